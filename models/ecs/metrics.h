/* metrics.h — CloudWatch datapoints of an ECS service and its ALB target group.
 *
 * A datapoint is a CloudWatch statistic set (sum, sample count, min, max), so
 * that datapoints of short periods combine exactly into those of an alarm with
 * a longer period, and any statistic can be read from it.
 *
 * Service CPU and memory utilisation follow ECS-CWM exactly (spec §3.1):
 *   service % = 100 * (total used by the tasks) / (reserved per task * tasks)
 * accumulated over a period from each task's exact consumption; one sample per
 * task that ran in the period (SampleCount = running tasks, ECS-CWM), and no
 * datapoint at all when no task ran. RequestCountPerTarget follows ALB-CWM
 * (spec §3.2). */
#ifndef ECS_METRICS_H
#define ECS_METRICS_H

#include <stdbool.h>

typedef enum ecs_stat {
  ECS_STAT_AVERAGE = 0,
  ECS_STAT_SUM,
  ECS_STAT_MINIMUM,
  ECS_STAT_MAXIMUM,
  ECS_STAT_SAMPLE_COUNT
} ecs_stat;
/* AWS spellings in enum order, NULL-terminated. */
extern const char *const ecs_stat_names[];

/* The metrics the model publishes. */
typedef enum ecs_metric {
  ECS_METRIC_CPU = 0,        /* AWS/ECS CPUUtilization, percent */
  ECS_METRIC_MEMORY,         /* AWS/ECS MemoryUtilization, percent */
  ECS_METRIC_REQUESTS,       /* AWS/ApplicationELB RequestCountPerTarget */
  ECS_METRIC_COUNT
} ecs_metric;
extern const char *const ecs_metric_names[]; /* CloudWatch metric names */

typedef struct ecs_statset {
  double sum, count, min, max; /* count == 0: no datapoint */
} ecs_statset;

void ecs_statset_clear(ecs_statset *s);
/* Adds one sample. */
void ecs_statset_add(ecs_statset *s, double value);
/* Adds every sample of src into dst (combining periods). */
void ecs_statset_merge(ecs_statset *dst, const ecs_statset *src);
/* The statistic's value; NaN when the set is empty (a missing datapoint). */
double ecs_statset_get(const ecs_statset *s, ecs_stat stat);

/* ECS-CWM service utilisation: 100 * used / (reserved_per_task * n_tasks), in
 * any consistent unit (CPU units, vCPU-seconds, MiB). n_tasks > 0. */
double ecs_util_pct(double used, double reserved_per_task, double n_tasks);

/* Accumulates one period of service utilisation from its tasks. */
typedef struct ecs_util_acc {
  double used;     /* sum over tasks of what they used (e.g. vCPU-s, MiB-s) */
  double reserved; /* sum over tasks of reserved * seconds running */
  double min, max; /* per-task utilisation extremes, percent */
  int n;           /* tasks that ran in the period */
} ecs_util_acc;

void ecs_util_acc_clear(ecs_util_acc *a);
/* A task that ran running_s > 0 seconds of the period, reserving `reserved`
 * (vCPUs, MiB) and using `used` (vCPU-s, MiB-s) in that time. */
void ecs_util_acc_add(ecs_util_acc *a, double used, double reserved, double running_s);
/* The period's datapoint: Average = the service formula over task-seconds
 * (equal to ECS-CWM's when every task ran the whole period), SampleCount =
 * tasks, Minimum/Maximum = per-task extremes. Empty when no task ran. */
void ecs_util_acc_datapoint(const ecs_util_acc *a, ecs_statset *out);

/* RequestCountPerTarget of one period (ALB-CWM: the requests each target
 * received, on average). The denominator is the time-weighted mean number of
 * healthy in-service targets — undocumented, spec §3.2 [I] — counting the
 * unhealthy ones while the ALB fails open to them, so that it counts the
 * targets that received the `routed` requests. With no target at
 * all in the period the value is the number of requests that arrived, as if
 * one target: the metric then still shows demand, which is what lets target
 * tracking wake a service at 0 tasks (spec §5.3, "scale from zero") [I]. */
double ecs_request_count_per_target(double routed, double arrived, double mean_targets);

#endif

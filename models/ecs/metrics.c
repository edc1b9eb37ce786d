/* metrics.c — statistic sets and the utilisation/request-count arithmetic of
 * ECS-CWM and ALB-CWM (spec §3; see metrics.h). */
#include "models/ecs/metrics.h"

#include <math.h>

#include "sim/error.h"

const char *const ecs_stat_names[] = {"Average", "Sum", "Minimum", "Maximum", "SampleCount",
                                      NULL};
const char *const ecs_metric_names[] = {"CPUUtilization", "MemoryUtilization",
                                        "RequestCountPerTarget", NULL};

void ecs_statset_clear(ecs_statset *s) {
  s->sum = 0;
  s->count = 0;
  s->min = INFINITY;
  s->max = -INFINITY;
}

void ecs_statset_add(ecs_statset *s, double v) {
  s->sum += v;
  s->count += 1;
  s->min = fmin(s->min, v);
  s->max = fmax(s->max, v);
}

void ecs_statset_merge(ecs_statset *dst, const ecs_statset *src) {
  if (src->count <= 0) return;
  dst->sum += src->sum;
  dst->count += src->count;
  dst->min = fmin(dst->min, src->min);
  dst->max = fmax(dst->max, src->max);
}

double ecs_statset_get(const ecs_statset *s, ecs_stat stat) {
  if (s->count <= 0) return NAN;
  switch (stat) {
  case ECS_STAT_AVERAGE: return s->sum / s->count;
  case ECS_STAT_SUM: return s->sum;
  case ECS_STAT_MINIMUM: return s->min;
  case ECS_STAT_MAXIMUM: return s->max;
  case ECS_STAT_SAMPLE_COUNT: return s->count;
  }
  SIM_ASSERT(!"unknown statistic");
  return NAN;
}

double ecs_util_pct(double used, double reserved_per_task, double n_tasks) {
  SIM_ASSERT(reserved_per_task > 0 && n_tasks > 0);
  return 100.0 * used / (reserved_per_task * n_tasks);
}

void ecs_util_acc_clear(ecs_util_acc *a) {
  a->used = 0;
  a->reserved = 0;
  a->min = INFINITY;
  a->max = -INFINITY;
  a->n = 0;
}

void ecs_util_acc_add(ecs_util_acc *a, double used, double reserved, double running_s) {
  SIM_ASSERT(reserved > 0 && running_s > 0 && used >= 0);
  double pct = ecs_util_pct(used, reserved * running_s, 1);
  a->used += used;
  a->reserved += reserved * running_s;
  a->min = fmin(a->min, pct);
  a->max = fmax(a->max, pct);
  a->n++;
}

void ecs_util_acc_datapoint(const ecs_util_acc *a, ecs_statset *out) {
  ecs_statset_clear(out);
  if (a->n == 0) return; /* no RUNNING task: no datapoint (ECS-CWM, spec §3.1) */
  double avg = ecs_util_pct(a->used, a->reserved, 1);
  out->count = a->n;
  out->sum = avg * a->n;
  out->min = a->min;
  out->max = a->max;
}

double ecs_request_count_per_target(double routed, double arrived, double mean_targets) {
  if (mean_targets > 0) return routed / mean_targets;
  return arrived;
}

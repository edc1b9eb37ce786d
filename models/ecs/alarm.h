/* alarm.h — a CloudWatch metric alarm, as Application Auto Scaling sees it.
 *
 * An alarm keeps the datapoints of its evaluation range (the N most recent
 * periods plus a few older ones), and after each new datapoint (or missing
 * one) re-evaluates its state by the rules of spec §4 (CW-ALARM,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html):
 * M of N datapoints, four comparison operators, TreatMissingData, states
 * OK / ALARM / INSUFFICIENT_DATA. The alarm does not invoke anything itself:
 * its owner re-invokes the Auto Scaling action every period the alarm is in
 * ALARM (CW-ACTIONS, spec §4 "Actions").
 *
 * A missing datapoint is a NaN value. */
#ifndef ECS_ALARM_H
#define ECS_ALARM_H

#include <stdbool.h>

#include "sim/error.h"

typedef enum ecs_cmp {
  ECS_CMP_GT = 0, /* GreaterThanThreshold */
  ECS_CMP_GE,     /* GreaterThanOrEqualToThreshold */
  ECS_CMP_LT,     /* LessThanThreshold */
  ECS_CMP_LE      /* LessThanOrEqualToThreshold */
} ecs_cmp;

typedef enum ecs_missing {
  ECS_MISSING_MISSING = 0,   /* `missing` (the default) */
  ECS_MISSING_IGNORE,        /* `ignore`: keep the state when undecidable */
  ECS_MISSING_BREACHING,     /* `breaching` */
  ECS_MISSING_NOT_BREACHING  /* `notBreaching` */
} ecs_missing;

typedef enum ecs_alarm_state {
  ECS_ALARM_INSUFFICIENT_DATA = 0, /* the initial state of a new alarm */
  ECS_ALARM_OK,
  ECS_ALARM_ALARM
} ecs_alarm_state;

/* AWS spellings, in enum order, NULL-terminated (for configs and imports). */
extern const char *const ecs_cmp_names[];
extern const char *const ecs_missing_names[];
const char *ecs_alarm_state_name(ecs_alarm_state s);

typedef struct ecs_alarm_cfg {
  ecs_cmp cmp;
  double threshold;
  int evaluation_periods;  /* N >= 1 */
  int datapoints_to_alarm; /* M, 1 <= M <= N */
  ecs_missing missing;
  /* How many periods older than the N evaluated ones CloudWatch retrieves.
   * Not documented beyond the example "5 datapoints for N = 3" [I], hence 2. */
  int range_extra;
} ecs_alarm_cfg;

/* Checks the configuration as PutMetricAlarm would (N >= 1, 1 <= M <= N,
 * range_extra >= 0, finite threshold). Returns 0 or SIM_ESCENARIO with err set;
 * `what` names the alarm in the message. */
int ecs_alarm_cfg_check(const ecs_alarm_cfg *cfg, const char *what, sim_error *err);

/* True when value breaches the threshold under the operator. NaN never does. */
bool ecs_alarm_breaching(const ecs_alarm_cfg *cfg, double value);

/* The evaluation rule of spec §4 over an explicit evaluation range, oldest
 * first (NaN = missing). `current` is the state before (kept by `ignore` when
 * the data cannot decide). Pure; used by ecs_alarm_push and by tests. */
ecs_alarm_state ecs_alarm_evaluate(const ecs_alarm_cfg *cfg, const double *range, int n,
                                   ecs_alarm_state current);

typedef struct ecs_alarm ecs_alarm;

/* Allocates an alarm in state INSUFFICIENT_DATA with an empty (all missing)
 * history. cfg must have passed ecs_alarm_cfg_check. Free with ecs_alarm_free. */
ecs_alarm *ecs_alarm_alloc(const ecs_alarm_cfg *cfg);
void ecs_alarm_free(ecs_alarm *a);

const ecs_alarm_cfg *ecs_alarm_config(const ecs_alarm *a);
ecs_alarm_state ecs_alarm_get_state(const ecs_alarm *a);

/* Appends the datapoint of the period that just ended (NaN when none was
 * published) and re-evaluates. Returns the state after the evaluation. */
ecs_alarm_state ecs_alarm_push(ecs_alarm *a, double value);

/* The most recent datapoint pushed (NaN when it was missing or none yet). */
double ecs_alarm_latest(const ecs_alarm *a);

typedef enum ecs_agg {
  ECS_AGG_AVERAGE = 0, /* MetricAggregationType Average (the default) */
  ECS_AGG_MINIMUM,
  ECS_AGG_MAXIMUM
} ecs_agg;
extern const char *const ecs_agg_names[];

/* Aggregates the datapoints the last evaluation looked at — the most recent N
 * real datapoints of the range, fewer if fewer exist — with agg (the step
 * policy's MetricAggregationType, spec §6.3 and §12.11). NaN when there are
 * none. */
double ecs_alarm_window(const ecs_alarm *a, ecs_agg agg);

#endif

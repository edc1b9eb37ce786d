/* target_tracking.h — Application Auto Scaling target tracking (spec §5).
 *
 * AAS creates two alarms per policy (spec §5.1; [O], not in the reference
 * docs): AlarmHigh "metric > T for 3 of 3 periods" and AlarmLow "metric <
 * 0.9 T for 15 of 15 periods", both with TreatMissingData = missing. While
 * AlarmHigh is in ALARM the policy scales out proportionally to the metric;
 * while AlarmLow is, it scales in, unless removing capacity would push the
 * metric above the target (anti-flapping). The proportional formula is not
 * documented; the model is the spec's [I] choice:
 *     scale out: ceil(C * M / T)         scale in: max(ceil(C * M / T), Min)
 * Cooldowns and the vote between policies are in scaling.h. */
#ifndef ECS_TARGET_TRACKING_H
#define ECS_TARGET_TRACKING_H

#include <stdbool.h>

#include "models/ecs/alarm.h"
#include "models/ecs/metrics.h"
#include "models/ecs/scaling.h"

/* The predefined metrics for ECS services (AAS-TT, ECS-HR). */
typedef enum ecs_tt_metric {
  ECS_TT_CPU = 0,        /* ECSServiceAverageCPUUtilization */
  ECS_TT_MEMORY,         /* ECSServiceAverageMemoryUtilization */
  ECS_TT_ALB_REQUESTS,   /* ALBRequestCountPerTarget */
  ECS_TT_CPU_HIGH_RES,   /* ECSServiceAverageCPUUtilizationHighResolution */
  ECS_TT_MEMORY_HIGH_RES /* ECSServiceAverageMemoryUtilizationHighResolution */
} ecs_tt_metric;
extern const char *const ecs_tt_metric_names[]; /* AWS spellings, NULL-terminated */

/* The CloudWatch metric behind a predefined metric, the statistic its alarms
 * use (Average for ECS, Sum for RequestCountPerTarget: ALB-CWM, spec §3.2),
 * and whether it needs the 20 s high-resolution metrics (ECS-HR). */
ecs_metric ecs_tt_metric_source(ecs_tt_metric m);
ecs_stat ecs_tt_metric_stat(ecs_tt_metric m);
bool ecs_tt_metric_high_res(ecs_tt_metric m);

/* The shape of the alarms AAS creates, which users cannot change. */
typedef struct ecs_tt_alarm_shape {
  int evaluation_periods;
  int datapoints_to_alarm;
} ecs_tt_alarm_shape;

typedef struct ecs_tt_alarms_cfg {
  ecs_tt_alarm_shape high; /* 3 of 3 [O] spec §5.1 */
  ecs_tt_alarm_shape low;  /* 15 of 15 [O] spec §5.1 */
  double low_ratio;        /* AlarmLow threshold / target: 0.9 [O] spec §5.1 */
} ecs_tt_alarms_cfg;

/* Fills the two alarm configurations for a policy with target value `target`
 * (OC-TT-ALARMS): AlarmHigh GreaterThanThreshold T, AlarmLow LessThanThreshold
 * low_ratio * T, both TreatMissingData missing. */
void ecs_tt_alarm_cfgs(double target, const ecs_tt_alarms_cfg *shape, int range_extra,
                       ecs_alarm_cfg *high, ecs_alarm_cfg *low);

/* Scale-out capacity ceil(base * M / T) (spec §5.3 [I], OC-TT-FORMULA). From
 * base 0 with demand (M > 0) it is 1, the "minimum possible amount" (ECS-AS,
 * spec §5.3 and §12.9). Not clamped. */
int ecs_tt_scale_out_capacity(int base, double metric, double target);

/* True when a service at 0 tasks should wake: capacity and desired count are 0
 * and the latest datapoint shows demand; AAS then scales out after that one
 * datapoint, without waiting for AlarmHigh (ECS-AS, spec §5.3). */
bool ecs_tt_wakes_from_zero(int running, int desired, double latest);

/* Scale-in computation (spec §5.3 [I]): new = max(ceil(C * M / T), min_cap),
 * and no more than max_step below C when max_step > 0. Stores the capacity in
 * *capacity and returns NULL when it is below C, else the AWS not-scaled
 * reason: "AlreadyAtMinCapacity" when only the minimum holds it,
 * "AutoScalingAnticipatedFlapping" when the nearest whole capacity would have
 * removed a task but removing it would push the metric above the target,
 * "AlreadyAtDesiredCapacity" otherwise (OC-TT-FORMULA). */
const char *ecs_tt_scale_in(int current, double metric, double target, int min_cap,
                            int max_step, int *capacity);

/* A target tracking policy (TargetTrackingScalingPolicyConfiguration, §5.2). */
typedef struct ecs_tt_policy {
  const char *name;
  ecs_tt_metric metric;
  double target;               /* TargetValue */
  double scale_out_cooldown_s; /* 300 s for ECS (AAS-API) */
  double scale_in_cooldown_s;  /* 300 s for ECS (AAS-API) */
  bool disable_scale_in;       /* false (AAS-API) */
  int max_scale_in_step;       /* tasks one scale-in may remove, 0 = no limit [I] */
} ecs_tt_policy;

/* What a policy's alarms ask for after an evaluation: */
typedef struct ecs_tt_inputs {
  ecs_alarm_state high, low; /* AlarmHigh / AlarmLow states (low ignored when
                                scale-in is disabled: AAS creates no AlarmLow) */
  double m_high, m_low;      /* metric values for the formula from each alarm */
  double latest;             /* the latest datapoint (NaN when missing) */
  int base_out;              /* ecs_scaler_base for a scale-out; 0 after a
                                scale from zero: the running count is used */
  int running;               /* RUNNING tasks, the scale-in base (ECS-AS) */
  int desired;
  int min_capacity;
} ecs_tt_inputs;

/* The policy's proposal: wake from zero (ecs_tt_wakes_from_zero), else scale
 * out while AlarmHigh is in ALARM (from base_out, or from the running count
 * when base_out is 0: scaling resumes from it after a scale from zero,
 * ECS-AS), else scale in while AlarmLow is; else not invoked (dir NONE, no
 * reason). */
void ecs_tt_propose(const ecs_tt_policy *tp, const ecs_tt_inputs *in, ecs_proposal *out);

#endif

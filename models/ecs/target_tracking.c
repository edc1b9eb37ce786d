/* target_tracking.c — target tracking alarms and capacity formulas (spec §5;
 * see target_tracking.h). */
#include "models/ecs/target_tracking.h"

#include <math.h>

#include "sim/error.h"

const char *const ecs_tt_metric_names[] = {
    "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization",
    "ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilizationHighResolution",
    "ECSServiceAverageMemoryUtilizationHighResolution", NULL};

ecs_metric ecs_tt_metric_source(ecs_tt_metric m) {
  switch (m) {
  case ECS_TT_CPU:
  case ECS_TT_CPU_HIGH_RES: return ECS_METRIC_CPU;
  case ECS_TT_MEMORY:
  case ECS_TT_MEMORY_HIGH_RES: return ECS_METRIC_MEMORY;
  case ECS_TT_ALB_REQUESTS: return ECS_METRIC_REQUESTS;
  }
  SIM_ASSERT(!"unknown predefined metric");
  return ECS_METRIC_CPU;
}

ecs_stat ecs_tt_metric_stat(ecs_tt_metric m) {
  return m == ECS_TT_ALB_REQUESTS ? ECS_STAT_SUM : ECS_STAT_AVERAGE;
}

bool ecs_tt_metric_high_res(ecs_tt_metric m) {
  return m == ECS_TT_CPU_HIGH_RES || m == ECS_TT_MEMORY_HIGH_RES;
}

void ecs_tt_alarm_cfgs(double target, const ecs_tt_alarms_cfg *shape, int range_extra,
                       ecs_alarm_cfg *high, ecs_alarm_cfg *low) {
  *high = (ecs_alarm_cfg){.cmp = ECS_CMP_GT,
                          .threshold = target,
                          .evaluation_periods = shape->high.evaluation_periods,
                          .datapoints_to_alarm = shape->high.datapoints_to_alarm,
                          .missing = ECS_MISSING_MISSING,
                          .range_extra = range_extra};
  *low = (ecs_alarm_cfg){.cmp = ECS_CMP_LT,
                         .threshold = shape->low_ratio * target,
                         .evaluation_periods = shape->low.evaluation_periods,
                         .datapoints_to_alarm = shape->low.datapoints_to_alarm,
                         .missing = ECS_MISSING_MISSING,
                         .range_extra = range_extra};
}

/* ceil(x) that ignores floating-point noise of a few ulps (C*M/T computed as
 * 3 * 50 / 50 must give 3, not 4). */
static int ceil_capacity(double x) {
  double c = ceil(x - 1e-9 * fmax(1.0, fabs(x)));
  if (c < 0) return 0;
  if (c > 1e9) return 1000000000;
  return (int)c;
}

int ecs_tt_scale_out_capacity(int base, double metric, double target) {
  SIM_ASSERT(target > 0);
  if (base == 0) return metric > 0 ? 1 : 0;
  return ceil_capacity((double)base * metric / target);
}

bool ecs_tt_wakes_from_zero(int running, int desired, double latest) {
  return running == 0 && desired == 0 && latest > 0;
}

const char *ecs_tt_scale_in(int current, double metric, double target, int min_cap,
                            int max_step, int *capacity) {
  SIM_ASSERT(target > 0);
  double raw = (double)current * metric / target;
  int proportional = ceil_capacity(raw);
  int cap = proportional > min_cap ? proportional : min_cap;
  if (max_step > 0 && cap < current - max_step) cap = current - max_step;
  *capacity = cap;
  if (cap < current) return NULL;
  if (proportional < current) return "AlreadyAtMinCapacity";
  /* The nearest whole capacity would remove a task, but the conservative
   * (upward) rounding keeps it because removing it would push the metric above
   * the target: the anti-flapping rule of AAS-TT. */
  if (raw < current - 0.5) return "AutoScalingAnticipatedFlapping";
  return "AlreadyAtDesiredCapacity";
}

void ecs_tt_propose(const ecs_tt_policy *tp, const ecs_tt_inputs *in, ecs_proposal *out) {
  *out = (ecs_proposal){.policy = tp->name,
                        .metric = ecs_tt_metric_names[tp->metric],
                        .value = NAN,
                        .kind = ECS_POLICY_TARGET_TRACKING,
                        .dir = ECS_DIR_NONE,
                        .capacity = in->desired,
                        .scale_in_enabled = !tp->disable_scale_in,
                        .out_cooldown_s = tp->scale_out_cooldown_s,
                        .in_cooldown_s = tp->scale_in_cooldown_s};
  if (ecs_tt_wakes_from_zero(in->running, in->desired, in->latest)) {
    out->dir = ECS_DIR_OUT;
    out->value = in->latest;
    out->capacity = 1;
  } else if (in->high == ECS_ALARM_ALARM) {
    /* After a scale from zero AAS "resumes scaling based on the actual running
     * task count" (ECS-AS, spec §5.3): a cooldown base of 0 tasks (the wake-up
     * was the initiating scale-out) gives way to the running count. */
    out->base = in->base_out > 0 ? in->base_out : in->running;
    out->dir = ECS_DIR_OUT;
    out->value = in->m_high;
    out->capacity = ecs_tt_scale_out_capacity(out->base, in->m_high, tp->target);
  } else if (in->low == ECS_ALARM_ALARM && !tp->disable_scale_in) {
    out->dir = ECS_DIR_IN;
    out->base = in->running;
    out->value = in->m_low;
    out->reason = ecs_tt_scale_in(in->running, in->m_low, tp->target, in->min_capacity,
                                  tp->max_scale_in_step, &out->capacity);
  }
}

/* test_ecs_tt.c — target tracking (models/ecs/target_tracking.c): the alarms
 * AAS creates (OC-TT-ALARMS), the proportional formula (OC-TT-FORMULA), the
 * predefined metrics and scale from zero. */
#include <math.h>

#include "models/ecs/target_tracking.h"
#include "tests/check.h"

static const ecs_tt_alarms_cfg shape = {.high = {3, 3}, .low = {15, 15}, .low_ratio = 0.9};

static void test_alarms(void) {
  static const struct { double t, low; } rows[] = {
      {30, 27}, {50, 45}, {70, 63}, {75, 67.5}, {80, 72}};
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    ecs_alarm_cfg hi, lo;
    ecs_tt_alarm_cfgs(rows[i].t, &shape, 2, &hi, &lo);
    CHECK_INT(hi.cmp, ECS_CMP_GT, "OC-TT-ALARMS T=%g: AlarmHigh is GreaterThanThreshold",
              rows[i].t);
    CHECK_REL(hi.threshold, rows[i].t, 1e-12, "OC-TT-ALARMS T=%g: AlarmHigh > %g", rows[i].t,
              rows[i].t);
    CHECK(hi.evaluation_periods == 3 && hi.datapoints_to_alarm == 3,
          "OC-TT-ALARMS T=%g: AlarmHigh 3 of 3", rows[i].t);
    CHECK_INT(lo.cmp, ECS_CMP_LT, "OC-TT-ALARMS T=%g: AlarmLow is LessThanThreshold", rows[i].t);
    CHECK_REL(lo.threshold, rows[i].low, 1e-12, "OC-TT-ALARMS T=%g: AlarmLow < %g", rows[i].t,
              rows[i].low);
    CHECK(lo.evaluation_periods == 15 && lo.datapoints_to_alarm == 15,
          "OC-TT-ALARMS T=%g: AlarmLow 15 of 15", rows[i].t);
    CHECK(hi.missing == ECS_MISSING_MISSING && lo.missing == ECS_MISSING_MISSING,
          "OC-TT-ALARMS T=%g: both treat missing data as missing", rows[i].t);
    sim_error err = {0};
    CHECK(!ecs_alarm_cfg_check(&hi, "hi", &err) && !ecs_alarm_cfg_check(&lo, "lo", &err),
          "OC-TT-ALARMS T=%g: both alarms are valid", rows[i].t);
  }
}

static void test_formula(void) {
  CHECK_INT(ecs_tt_scale_out_capacity(10, 80, 50), 16, "OC-TT-FORMULA: C=10 M=80 -> 16");
  CHECK_INT(ecs_tt_scale_out_capacity(4, 76, 50), 7, "OC-TT-FORMULA: C=4 M=76 -> ceil(6.08)=7");
  CHECK_INT(ecs_tt_scale_out_capacity(3, 50, 50), 3, "ceil ignores floating-point noise");
  int cap = -1;
  const char *why = ecs_tt_scale_in(10, 30, 50, 1, 0, &cap);
  CHECK(why == NULL && cap == 6, "OC-TT-FORMULA: C=10 M=30 -> 6");
  why = ecs_tt_scale_in(2, 44, 50, 1, 0, &cap);
  CHECK_INT(cap, 2, "OC-TT-FORMULA: C=2 M=44 -> ceil(1.76) = 2");
  CHECK_STR(why, "AlreadyAtDesiredCapacity", "OC-TT-FORMULA: C=2 M=44 reason");
  why = ecs_tt_scale_in(3, 40, 50, 1, 0, &cap);
  CHECK_INT(cap, 3, "OC-TT-FORMULA: C=3 M=40 -> ceil(2.4) = 3");
  CHECK_STR(why, "AutoScalingAnticipatedFlapping", "OC-TT-FORMULA: C=3 M=40 reason");
  /* Anti-flapping: whatever it returns, the predicted metric is within target. */
  for (int c = 1; c <= 40; c++)
    for (double m = 0.5; m < 50; m += 0.5) {
      ecs_tt_scale_in(c, m, 50, 0, 0, &cap);
      if (cap > 0 && m * c / cap > 50 + 1e-9) {
        CHECK(0, "scale-in to %d from C=%d M=%g would push the metric above the target", cap, c,
              m);
        return;
      }
    }
  CHECK(1, "no scale-in pushes the predicted metric above the target");
  why = ecs_tt_scale_in(10, 0, 50, 0, 0, &cap);
  CHECK(why == NULL && cap == 0, "no load at all scales in to 0 when Min is 0 (AAS-TT)");
}

static void test_metrics(void) {
  CHECK_INT(ecs_tt_metric_source(ECS_TT_CPU), ECS_METRIC_CPU, "CPU metric");
  CHECK_INT(ecs_tt_metric_source(ECS_TT_MEMORY_HIGH_RES), ECS_METRIC_MEMORY, "memory high-res");
  CHECK_INT(ecs_tt_metric_source(ECS_TT_ALB_REQUESTS), ECS_METRIC_REQUESTS, "ALB metric");
  CHECK_INT(ecs_tt_metric_stat(ECS_TT_ALB_REQUESTS), ECS_STAT_SUM,
            "RequestCountPerTarget's only valid statistic is Sum (ALB-CWM)");
  CHECK_INT(ecs_tt_metric_stat(ECS_TT_CPU), ECS_STAT_AVERAGE, "ECS metrics use Average");
  CHECK(ecs_tt_metric_high_res(ECS_TT_CPU_HIGH_RES) && !ecs_tt_metric_high_res(ECS_TT_CPU),
        "only the HighResolution types need 20 s metrics");
  CHECK_STR(ecs_tt_metric_names[ECS_TT_CPU_HIGH_RES],
            "ECSServiceAverageCPUUtilizationHighResolution", "AWS spelling of the high-res type");
}

static void test_from_zero(void) {
  CHECK(ecs_tt_wakes_from_zero(0, 0, 12), "0 tasks and demand in the one datapoint: wake");
  CHECK(!ecs_tt_wakes_from_zero(0, 0, 0), "0 tasks and no demand: stay at 0");
  CHECK(!ecs_tt_wakes_from_zero(0, 0, NAN), "0 tasks, no datapoint: stay at 0");
  CHECK(!ecs_tt_wakes_from_zero(0, 1, 12), "a task already launching: nothing more");
  CHECK_INT(ecs_tt_scale_out_capacity(0, 500, 100), 1,
            "from 0 the minimum possible amount is 1 task, whatever the metric");
  ecs_tt_policy tp = {.name = "alb", .metric = ECS_TT_ALB_REQUESTS, .target = 100,
                      .scale_out_cooldown_s = 300, .scale_in_cooldown_s = 300};
  ecs_tt_inputs in = {.high = ECS_ALARM_INSUFFICIENT_DATA, .low = ECS_ALARM_INSUFFICIENT_DATA,
                      .m_high = 500, .m_low = 500, .latest = 500};
  ecs_proposal p;
  ecs_tt_propose(&tp, &in, &p);
  CHECK(p.dir == ECS_DIR_OUT && p.capacity == 1,
        "scale from zero after one datapoint, without waiting for AlarmHigh");
  in.desired = in.running = 4;
  ecs_tt_propose(&tp, &in, &p);
  CHECK(p.dir == ECS_DIR_NONE && p.reason == NULL, "alarms not in ALARM: policy not invoked");
  in.low = ECS_ALARM_ALARM;
  tp.disable_scale_in = true;
  ecs_tt_propose(&tp, &in, &p);
  CHECK(p.dir == ECS_DIR_NONE && !p.scale_in_enabled, "DisableScaleIn: no scale-in proposal");
}

int main(void) {
  check_init();
  test_alarms();
  test_formula();
  test_metrics();
  test_from_zero();
  return check_done();
}

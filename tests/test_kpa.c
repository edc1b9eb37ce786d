/* test_kpa.c — the KPA decider against the oracle cases of spec cloudrun.md
 * Part C: C.1 (K1-K27, knative/serving pkg/autoscaler/scaling/
 * autoscaler_test.go), C.2 (D1-D4, scale-down delay) and the config-derived
 * cases of C.8 (panic window, initial EBC, Poke), plus the target resolution
 * of §B.2. Knative compares the EBC with a ±1 tolerance for rounding across
 * platforms; we compute it the same way in IEEE doubles and check it exactly. */
#include <math.h>

#include "models/cloudrun/kpa.h"
#include "models/cloudrun/kpa_config.h"
#include "tests/check.h"

static const double T = 5000.0; /* an arbitrary start time (time.Now() in Go) */

/* newTestAutoscalerWithScalingMetric: TargetValue t, TotalValue t/0.75, TBC,
 * PanicThreshold 2, rates 10, StableWindow 60 s, Reachable, no delay; the pod
 * counter reads `ready_at_start` at construction. */
static kpa_decider_spec test_spec(double t, double tbc, int metric) {
  return (kpa_decider_spec){.metric = metric,
                            .target_value = t,
                            .total_value = t / 0.75,
                            .target_burst_capacity = tbc,
                            .panic_threshold = 2,
                            .max_scale_up_rate = 10,
                            .max_scale_down_rate = 10,
                            .stable_window_s = 60,
                            .reachable = true,
                            .activation_scale = 0,
                            .initial_scale = 1};
}

static kpa_decider *make(double t, double tbc) {
  kpa_decider_spec s = test_spec(t, tbc, KPA_METRIC_CONCURRENCY);
  return kpa_decider_alloc(&s, T, 1);
}

/* One expectScale: desired and EBC exactly, and a valid result. */
static void step(kpa_decider *d, double now, int ready, double stable, double panic,
                 int want_desired, int want_ebc, const char *id) {
  kpa_scale_result r = kpa_decider_scale(d, now, ready, stable, panic, true);
  CHECK(r.valid, "%s: valid", id);
  CHECK_INT(r.desired, want_desired, "%s: desired", id);
  CHECK_INT(r.ebc, want_ebc, "%s: EBC", id);
}

static void test_stable_mode(void) {
  kpa_decider *d = make(10, 101);
  step(d, T, 1, 50, 10, 5, -98, "K1 TestAutoscalerStableModeIncreaseWithConcurrencyDefault #1");
  step(d, T, 1, 100, 10, 10, -98, "K1 TestAutoscalerStableModeIncreaseWithConcurrencyDefault #2");
  kpa_decider_free(d);

  kpa_decider_spec rps = test_spec(10, 101, KPA_METRIC_RPS);
  d = kpa_decider_alloc(&rps, T, 1);
  step(d, T, 1, 50, 50, 5, -138, "K2 TestAutoscalerStableModeIncreaseWithRPS #1");
  step(d, T, 1, 100, 99, 10, -187, "K2 TestAutoscalerStableModeIncreaseWithRPS #2");
  kpa_decider_free(d);

  d = make(10, 98);
  step(d, T, 8, 100, 100, 10, -92, "K5 TestAutoscalerStableModeDecrease #1");
  step(d, T, 8, 50, 50, 5, -42, "K5 TestAutoscalerStableModeDecrease #2");
  CHECK(!kpa_decider_panicking(d), "K5 10/8 < 2: no panic");
  kpa_decider_free(d);

  d = make(10, 75);
  step(d, T, 1, 1, 0, 1, -62, "K6 TestAutoscalerStableModeNoTrafficScaleToZero #1");
  step(d, T, 1, 0, 0, 0, -62, "K6 TestAutoscalerStableModeNoTrafficScaleToZero #2");
  kpa_decider_free(d);

  kpa_decider_spec act = test_spec(10, 75, KPA_METRIC_CONCURRENCY);
  act.activation_scale = 2;
  d = kpa_decider_alloc(&act, T, 1);
  step(d, T, 1, 0, 0, 0, -62, "K7 TestAutoscalerActivationScale: dspc = 0");
  step(d, T, 1, 1, 0, 2, -62, "K7 TestAutoscalerActivationScale: activation scale 2");
  kpa_decider_free(d);
}

static void test_panic_mode(void) {
  kpa_decider *d = make(1, 98);
  step(d, T, 10, 11, 25, 25, -110, "K3 TestAutoscalerUnpanicAfterSlowIncrease #1");
  CHECK(kpa_decider_panicking(d) && kpa_decider_panic_time_s(d) == T, "K3 panicTime = T");
  step(d, T + 30, 40, 30, 41, 41, -86, "K3 TestAutoscalerUnpanicAfterSlowIncrease #2");
  CHECK(kpa_decider_panic_time_s(d) == T, "K3 41/40 < 2: panicTime stays T");
  step(d, T + 62, 55, 50, 56, 50, -81, "K3 TestAutoscalerUnpanicAfterSlowIncrease #3");
  CHECK(!kpa_decider_panicking(d), "K3 panic ends after the stable window");
  kpa_decider_free(d);

  d = make(1, 98);
  step(d, T, 10, 11, 25, 25, -110, "K4 TestAutoscalerExtendPanicWindow #1");
  step(d, T + 30, 40, 30, 80, 80, -125, "K4 TestAutoscalerExtendPanicWindow #2");
  CHECK(kpa_decider_panic_time_s(d) == T + 30, "K4 80/40 >= 2: panicTime = T+30");
  kpa_decider_free(d);

  d = make(1, 101);
  step(d, T - 10, 1, 6, 6, 6, -106, "K8 TestAutoscalerPanicModeExponentialTrackAndStabilize #1");
  step(d, T, 6, 36, 36, 36, -129, "K8 #2");
  CHECK(kpa_decider_panic_time_s(d) == T, "K8 panicTime = T");
  step(d, T + 1, 36, 216, 216, 216, -269, "K8 #3");
  step(d, T + 1, 216, 1296, 1296, 1296, -1109, "K8 #4");
  step(d, T + 2, 1296, 1296, 1296, 1296, 331, "K8 #5 still panicking, holds");
  kpa_decider_free(d);

  d = make(10, 93);
  const double P = T + 0.001;
  step(d, T, 1, 100, 100, 10, -180, "K20 TestAutoscalerPanicThenUnPanicScaleDown #1");
  step(d, P, 10, 100, 1000, 100, -960, "K20 #2");
  step(d, P + 30, 10, 1, 1, 100, 39, "K20 #3 no scale-down in panic");
  step(d, P + 61, 10, 1, 1, 1, 39, "K20 #4 panic over");
  kpa_decider_free(d);
}

static void test_table(void) {
  kpa_decider *d = make(10, 100);
  step(d, T, 1, 0, 0, 0, -87, "K9 AutoscalerNoDataAtZeroNoAutoscale");
  kpa_decider_free(d);
  d = make(181, -1);
  step(d, T, 1, 21, 26, 1, -1, "K10 AutoscalerStableModeUnlimitedTBC");
  kpa_decider_free(d);
  d = make(10, 0);
  step(d, T, 1, 50, 49, 5, 0, "K11 Autoscaler0TBC");
  kpa_decider_free(d);
  d = make(10, 100);
  step(d, T, 1, 50, 50, 5, -137, "K12 AutoscalerStableModeNoChange");
  kpa_decider_free(d);

  /* Pre-state panicTime = T-5 s, maxPanicPods = 5: a decider created at T-5
   * seeing 5 ready pods starts in exactly that state. */
  kpa_decider_spec s = test_spec(1, 100, KPA_METRIC_CONCURRENCY);
  d = kpa_decider_alloc(&s, T - 5, 5);
  step(d, T, 5, 50, 30, 50, -124, "K13 AutoscalerPanicStableLargerThanPanic");
  kpa_decider_free(d);
  d = kpa_decider_alloc(&s, T - 5, 5);
  step(d, T, 5, 20, 30, 30, -124, "K14 AutoscalerPanicStableLessThanPanic");
  kpa_decider_free(d);

  d = make(10, 100);
  step(d, T, 5, 50, 50, 5, -84, "K15 AutoscalerStableModeNoChangeAlreadyScaled");
  kpa_decider_free(d);

  s = test_spec(1, 1982, KPA_METRIC_CONCURRENCY);
  s.max_scale_up_rate = 1.1;
  d = kpa_decider_alloc(&s, T, 1);
  step(d, T, 2, 3, 3.1, 3, -1983, "K16 AutoscalerStableModeIncreaseWithSmallScaleUpRate");
  kpa_decider_free(d);

  s = test_spec(10, 1982, KPA_METRIC_CONCURRENCY);
  s.max_scale_down_rate = 1.1;
  d = kpa_decider_alloc(&s, T, 1);
  step(d, T, 100, 1, 1, 90, -650, "K17 AutoscalerStableModeDecreaseWithSmallScaleDownRate");
  kpa_decider_free(d);
  s.reachable = false;
  d = kpa_decider_alloc(&s, T, 1);
  step(d, T, 100, 1, 1, 1, -650, "K18 AutoscalerStableModeDecreaseNonReachable");
  kpa_decider_free(d);

  d = make(10, 84);
  step(d, T, 1, 50, 100, 10, -171, "K19 AutoscalerPanicModeDoublePodCount");
  kpa_decider_free(d);
}

static void test_rate_limits(void) {
  kpa_decider *d = make(10, 61);
  step(d, T, 1, 1000, 1001, 10, -1049, "K21 TestAutoscalerRateLimitScaleUp #1 capped at 10x1");
  step(d, T, 10, 1000, 1001, 100, -929, "K21 TestAutoscalerRateLimitScaleUp #2");
  kpa_decider_free(d);

  d = make(10, 61);
  step(d, T, 100, 1, 1, 10, 1271, "K22 TestAutoscalerRateLimitScaleDown #1 floor(100/10)");
  step(d, T, 10, 1, 1, 1, 71, "K22 TestAutoscalerRateLimitScaleDown #2");
  kpa_decider_free(d);

  d = make(10, 81);
  step(d, T, 0, 1000, 888, 10, -969, "K23 TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound");
  kpa_decider_free(d);
}

static void test_update_and_errors(void) {
  kpa_decider *d = make(10, 77);
  step(d, T, 1, 100, 101, 10, -165, "K24 TestAutoscalerUpdateTarget #1");
  kpa_decider_spec u = test_spec(1, 71, KPA_METRIC_CONCURRENCY);
  kpa_decider_update(d, &u);
  step(d, T, 10, 100, 101, 100, -159, "K24 TestAutoscalerUpdateTarget #2 after Update");
  kpa_decider_free(d);

  d = make(10, 81);
  kpa_scale_result r = kpa_decider_scale(d, T, -1, 1000, 888, true);
  CHECK(!r.valid, "K25 TestCantCountPods: ScaleValid = false");
  kpa_decider_free(d);
  d = make(10, 100);
  r = kpa_decider_scale(d, T, 1, 0, 0, false);
  CHECK(!r.valid, "K26 TestAutoscalerNoDataNoAutoscale: ScaleValid = false");
  kpa_decider_free(d);
}

static void test_start_in_panic(void) {
  kpa_decider_spec s = {.target_value = 100, .total_value = 120, .target_burst_capacity = 11,
                        .panic_threshold = 220, .max_scale_up_rate = 10,
                        .max_scale_down_rate = 10, .stable_window_s = 60};
  for (int i = 0; i < 2; i++) {
    kpa_decider *d = kpa_decider_alloc(&s, T, i);
    CHECK(!kpa_decider_panicking(d), "K27 TestStartInPanicMode: ready %d, panic off", i);
    CHECK_INT(kpa_decider_max_panic_pods(d), i, "K27 TestStartInPanicMode: maxPanicPods %d", i);
    kpa_decider_free(d);
  }
  kpa_decider *d = kpa_decider_alloc(&s, T, 2);
  CHECK(kpa_decider_panicking(d), "K27 TestStartInPanicMode: ready 2, panic on");
  CHECK_INT(kpa_decider_max_panic_pods(d), 2, "K27 TestStartInPanicMode: maxPanicPods 2");
  kpa_decider_free(d);
  d = kpa_decider_alloc(&s, T, -1);
  CHECK_INT(kpa_decider_max_panic_pods(d), 0, "K27 TestNewFail: podCounter error -> 0");
  kpa_decider_free(d);
}

/* TestAutoscalerScaleDownDelay*: TargetValue 10, rates 10, PanicThreshold 100
 * (never panics), ready 0 (treated as 1), times from a 2 s-aligned origin. */
static kpa_decider_spec delay_spec(double delay_s) {
  return (kpa_decider_spec){.target_value = 10, .max_scale_down_rate = 10,
                            .max_scale_up_rate = 10, .panic_threshold = 100,
                            .scale_down_delay_s = delay_s, .reachable = true,
                            .stable_window_s = 60};
}

static void delay_step(kpa_decider *d, double t, double conc, int want, const char *id) {
  kpa_scale_result r = kpa_decider_scale(d, t, 0, conc, conc, true);
  CHECK(r.valid && r.ebc == 0, "%s: valid, EBC 0 (TBC 0)", id);
  CHECK_INT(r.desired, want, "%s: desired", id);
}

static void test_scale_down_delay(void) {
  kpa_decider_spec s = delay_spec(300);
  kpa_decider *d = kpa_decider_alloc(&s, 0, 0);
  delay_step(d, 2, 40, 4, "D1 simple: scale up");
  delay_step(d, 300, 0, 4, "D1 simple: 5 min at 0, index 149 < 150 keeps 4");
  delay_step(d, 302, 0, 0, "D1 simple: 5 min 2 s, scale down");
  delay_step(d, 540, 40, 4, "D2 gradual: 9 min");
  delay_step(d, 600, 30, 4, "D2 gradual: 10 min, 4 still dominates");
  delay_step(d, 660, 0, 4, "D2 gradual: 11 min");
  delay_step(d, 840, 0, 3, "D2 gradual: 14 min, 4 scrolls out");
  delay_step(d, 900, 0, 0, "D2 gradual: 15 min, everything scrolled out");
  kpa_decider_free(d);

  d = kpa_decider_alloc(&s, 0, 0);
  delay_step(d, 2, 40, 4, "D3 TestAutoscalerScaleDownDelayNotReachable: scale up");
  delay_step(d, 60, 0, 4, "D3 one minute at 0 keeps 4");
  s.reachable = false;
  kpa_decider_update(d, &s);
  delay_step(d, 2, 0, 0, "D3 unreachable: scale down at once");
  kpa_decider_free(d);

  s = delay_spec(0);
  d = kpa_decider_alloc(&s, 0, 0);
  delay_step(d, 0, 40, 4, "D4 TestAutoscalerScaleDownDelayZero: scale up");
  delay_step(d, 0.5, 20, 2, "D4 zero delay scales down immediately");
  kpa_decider_free(d);
}

static void test_config_derived(void) {
  CHECK_ABS(kpa_panic_window_s(10, 10), 1, 0, "C.8 TestMakeMetric: 10 s + 10%% -> 1 s (BucketSize)");
  CHECK_ABS(kpa_panic_window_s(600, 10), 60, 0, "C.8 TestMakeMetric: 10 min -> 60 s");
  CHECK_ABS(kpa_panic_window_s(60, 50), 30, 0, "C.8 TestMakeMetric: 60 s + 50%% -> 30 s");
  CHECK_ABS(kpa_panic_window_s(60, 51), 31, 0, "C.8 TestMakeMetric: 60 s + 51%% -> 31 s");

  kpa_decider_spec s = {.initial_scale = 2, .total_value = 25, .target_burst_capacity = 42};
  CHECK_INT(kpa_initial_ebc(&s), 8, "C.8 TestMultiscalerCreateTBC42: EBC 50 - 42");
  CHECK_INT(KPA_SCALE_UNKNOWN, -1, "C.8 TestMultiscalerCreateTBC42: initial DesiredScale -1");
  s.target_burst_capacity = -1;
  CHECK_INT(kpa_initial_ebc(&s), -1, "C.8 TestMultiscalerCreateTBCMinus1: EBC -1");
  CHECK(kpa_poke_ticks_now(0, 1), "C.8 TestMultiScalerScaleFromZero: scale 0 + poke 1 ticks");
  CHECK(!kpa_poke_ticks_now(0, 0), "Poke with concurrency 0 does not tick");
  CHECK(!kpa_poke_ticks_now(1, 1), "Poke at a non-zero scale does not tick");
}

static void test_target_resolution(void) {
  kpa_config c;
  kpa_config_defaults(&c);
  double tv, total;
  kpa_resolve_target(&c, 0, &tv, &total);
  CHECK_ABS(tv, 70, 1e-12, "B.2 defaults: TargetValue 70");
  CHECK_ABS(total, 100, 0, "B.2 defaults: TotalValue 100");
  kpa_resolve_target(&c, 80, &tv, &total);
  CHECK_ABS(tv, 56, 1e-12, "B.2 containerConcurrency 80: TargetValue 56");
  CHECK_ABS(total, 80, 0, "B.2 containerConcurrency 80: TotalValue 80");
  c.target = 50;
  kpa_resolve_target(&c, 80, &tv, &total);
  CHECK_ABS(total, 50, 0, "B.2 annotation target 50 < containerConcurrency 80");
  c.target = 500;
  kpa_resolve_target(&c, 80, &tv, &total);
  CHECK_ABS(total, 80, 0, "B.2 annotation target capped by containerConcurrency");
  c.target = 0;
  c.metric = KPA_METRIC_RPS;
  kpa_resolve_target(&c, 80, &tv, &total);
  CHECK_ABS(tv, 140, 1e-12, "B.2 rps: TargetValue 0.7 x 200");
  kpa_config_defaults(&c);
  c.target_utilization_pct = 0.6; /* legacy fraction */
  CHECK_ABS(kpa_target_fraction(&c), 0.6, 0, "B.2 values <= 1 are fractions");
  CHECK_INT(kpa_config_validate(&c, NULL), SIM_OK, "fraction 0.6 validates");
  c.max_scale_down_rate = 1;
  sim_error err;
  CHECK_INT(kpa_config_validate(&c, &err), SIM_ESCENARIO, "max-scale-down-rate 1 rejected");
  CHECK_CONTAINS(err.msg, "max-scale-down-rate", "message names the key");
  kpa_config_defaults(&c);
  c.stable_window_s = 5;
  CHECK_INT(kpa_config_validate(&c, &err), SIM_ESCENARIO, "stable-window 5 s rejected");
  c.stable_window_s = 60;
  c.target_burst_capacity = -2;
  CHECK_INT(kpa_config_validate(&c, &err), SIM_ESCENARIO, "target-burst-capacity -2 rejected");
}

int main(void) {
  check_init();
  test_stable_mode();
  test_panic_mode();
  test_table();
  test_rate_limits();
  test_update_and_errors();
  test_start_in_panic();
  test_scale_down_delay();
  test_config_derived();
  test_target_resolution();
  return check_done();
}

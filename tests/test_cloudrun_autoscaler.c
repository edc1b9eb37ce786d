/* test_cloudrun_autoscaler.c — Cloud Run's CPU and concurrency drivers (spec
 * cloudrun.md §A.2, §A.7) on hand-worked load histories: the exact one-minute
 * averages, each driver's ceil rule, the max of the two, the bounds, disabled
 * drivers and the partial window at the start. */
#include "models/cloudrun/autoscaler.h"
#include "tests/check.h"

static crun_autoscaler_cfg base_cfg(void) {
  return (crun_autoscaler_cfg){.concurrency_target = 0.6, .cpu_target = 0.6, .window_s = 60,
                               .eval_period_s = 5, .max_concurrency = 80, .vcpu = 1,
                               .min_instances = 0, .max_instances = 100};
}

/* Cumulative integrals of a load that is `a` before t1 and `b` after. */
static double step_integral(double t, double t1, double a, double b) {
  return t < t1 ? a * t : a * t1 + b * (t - t1);
}

static void test_drivers(void) {
  crun_autoscaler_cfg c = base_cfg();
  crun_autoscaler *a = crun_autoscaler_alloc(&c, 0, 0, 0);
  crun_recommendation r = {0};
  /* 100 requests in flight and 2 CPU-seconds per second, constant. */
  for (double t = 5; t <= 60; t += 5) r = crun_autoscaler_evaluate(a, t, 100 * t, 2 * t);
  CHECK_ABS(r.window_s, 60, 1e-9, "one full window after a minute");
  CHECK_ABS(r.concurrency_avg, 100, 1e-9, "concurrency average 100");
  CHECK_INT(r.n_concurrency, 3, "concurrency driver: ceil(100 / (80 x 0.6)) = 3");
  CHECK_INT(r.n_cpu, 4, "CPU driver: ceil((2 / 1) / 0.6) = 4");
  CHECK_INT(r.desired, 4, "the larger recommendation wins");
  CHECK_STR(r.reason, "cpu", "reason names the CPU driver");
  crun_autoscaler_free(a);
}

static void test_window(void) {
  crun_autoscaler_cfg c = base_cfg();
  c.cpu_target = 0; /* CPU driver off */
  crun_autoscaler *a = crun_autoscaler_alloc(&c, 0, 0, 0);
  crun_recommendation r = {0};
  /* 0 in flight until 60 s, then 96: at 90 s the minute [30, 90] averages 48. */
  for (double t = 5; t <= 90; t += 5)
    r = crun_autoscaler_evaluate(a, t, step_integral(t, 60, 0, 96), 0);
  CHECK_ABS(r.concurrency_avg, 48, 0, "average over [30, 90] is exactly 48");
  CHECK_INT(r.n_concurrency, 1, "48 / (80 x 0.6) = 1 exactly");
  CHECK_INT(r.n_cpu, 0, "disabled CPU driver recommends 0");
  for (double t = 95; t <= 120; t += 5)
    r = crun_autoscaler_evaluate(a, t, step_integral(t, 60, 0, 96), 0);
  CHECK_INT(r.desired, 2, "a full minute at 96 needs 2");
  CHECK_STR(r.reason, "concurrency", "reason names the concurrency driver");
  for (double t = 125; t <= 300; t += 5)
    r = crun_autoscaler_evaluate(a, t, step_integral(t, 60, 0, 96) - 96 * (t - 120), 0);
  CHECK_INT(r.desired, 0, "a minute without load recommends 0");
  CHECK_STR(r.reason, "idle", "reason idle");
  crun_autoscaler_free(a);
}

static void test_partial_window_and_bounds(void) {
  crun_autoscaler_cfg c = base_cfg();
  c.min_instances = 2;
  c.max_instances = 5;
  crun_autoscaler *a = crun_autoscaler_alloc(&c, 0, 0, 0);
  crun_recommendation r = crun_autoscaler_evaluate(a, 10, 10 * 10, 0);
  CHECK_ABS(r.window_s, 10, 0, "the first evaluation averages over the 10 s seen");
  CHECK_ABS(r.concurrency_avg, 10, 1e-12, "partial-window average");
  CHECK_INT(r.desired, 2, "raised to min instances");
  CHECK_STR(r.reason, "min_instances", "reason min_instances");
  r = crun_autoscaler_evaluate(a, 20, 100 + 1000 * 10, 0);
  CHECK_INT(r.n_concurrency, 11, "ceil(505 / 48) = 11 before the bound");
  CHECK_INT(r.desired, 5, "capped at max instances");
  CHECK_STR(r.reason, "max_instances", "reason max_instances");
  crun_autoscaler_free(a);
}

static void test_unaligned_period(void) {
  crun_autoscaler_cfg c = base_cfg();
  c.eval_period_s = 7;
  crun_autoscaler *a = crun_autoscaler_alloc(&c, 0, 0, 0);
  crun_recommendation r = {0};
  for (double t = 7; t <= 140; t += 7) r = crun_autoscaler_evaluate(a, t, 30 * t, 0);
  CHECK(r.window_s <= 60 && r.window_s > 60 - 7, "unaligned period: window within one period of 60 s");
  CHECK_ABS(r.concurrency_avg, 30, 1e-9, "constant load averages exactly");
  crun_autoscaler_free(a);
}

/* A load exactly on target, integrated the way the service does (many small
 * steps), averages a few ulps above it: 48.000000000001812 for 48 in flight
 * summed in 0.1 s steps. ceil of that would ask for a second instance. */
static void test_on_target_float_sums(void) {
  crun_autoscaler_cfg c = base_cfg();
  c.cpu_target = 0;
  crun_autoscaler *a = crun_autoscaler_alloc(&c, 0, 0, 0);
  crun_recommendation r = {0};
  double t = 0, integral = 0;
  for (int i = 1; i <= 1200; i++) {
    t += 0.1;
    integral += 48 * 0.1;
    if (i % 50 == 0) r = crun_autoscaler_evaluate(a, t, integral, 0);
  }
  CHECK(r.concurrency_avg > 48, "the float sums land above 48 (%.17g)", r.concurrency_avg);
  CHECK_REL(r.concurrency_avg, 48, 1e-12, "but within rounding of it");
  CHECK_INT(r.n_concurrency, 1, "48 in flight = 80 x 60%%: one instance, not two");
  r = crun_autoscaler_evaluate(a, t + 5, integral + 48.01 * 5, 0);
  CHECK_INT(r.n_concurrency, 2, "a load really above the target still adds one");
  crun_autoscaler_free(a);
}

int main(void) {
  check_init();
  test_drivers();
  test_window();
  test_partial_window_and_bounds();
  test_unaligned_period();
  test_on_target_float_sums();
  return check_done();
}

/* test_ecs_launch.c — Fargate launch throttling and launch times
 * (models/ecs/launch.c, OC-THROTTLE) and ALB target health (models/ecs/alb.c,
 * OC-HEALTH). */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

#include "models/ecs/alb.h"
#include "models/ecs/launch.h"
#include "tests/check.h"

static void test_throttle(void) {
  ecs_token_bucket b;
  ecs_bucket_init(&b, 100, 20, 0);
  double at[300];
  for (int i = 0; i < 300; i++) at[i] = ecs_bucket_take(&b, 0);
  int at_zero = 0;
  for (int i = 0; i < 300; i++) at_zero += at[i] == 0;
  CHECK_INT(at_zero, 100, "OC-THROTTLE: 100 of 300 launches start at t = 0");
  CHECK_REL(at[100], 0.05, 1e-12, "OC-THROTTLE: then one every 1/20 s");
  CHECK_REL(at[299], 10, 1e-12, "OC-THROTTLE: the last launch is admitted at t = 10 s");
  for (int i = 1; i < 300; i++)
    if (at[i] < at[i - 1]) {
      CHECK(0, "launch admissions are in request order");
      break;
    }
  /* A drained bucket refills at 20/s up to the burst. */
  ecs_bucket_init(&b, 100, 20, 0);
  for (int i = 0; i < 100; i++) ecs_bucket_take(&b, 0);
  CHECK_REL(ecs_bucket_take(&b, 1.0), 1.0, 1e-12, "after 1 s, 20 tokens are back");
  for (int i = 0; i < 19; i++) ecs_bucket_take(&b, 1.0);
  CHECK(ecs_bucket_take(&b, 1.0) > 1.0, "... and only 20");
  ecs_bucket_init(&b, 100, 20, 0);
  ecs_bucket_take(&b, 0);
  for (int i = 0; i < 100; i++) ecs_bucket_take(&b, 3600);
  CHECK(ecs_bucket_take(&b, 3600) > 3600, "the bucket never holds more than its burst");
}

static void test_launch_time(void) {
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 4242);
  ecs_launch_time lt = {.median_s = 40, .p95_s = 90};
  enum { N = 20000 };
  double *x = malloc(N * sizeof *x);
  for (int i = 0; i < N; i++) x[i] = ecs_launch_time_draw(&lt, rng);
  gsl_sort(x, 1, N);
  /* Sample quantiles of 20000 draws: standard error of the median ~0.5 %. */
  CHECK_REL(gsl_stats_quantile_from_sorted_data(x, 1, N, 0.5), 40, 0.03,
            "launch time median 40 s (spec §9.2 default)");
  CHECK_REL(gsl_stats_quantile_from_sorted_data(x, 1, N, 0.95), 90, 0.04,
            "launch time p95 90 s (spec §9.2 default)");
  ecs_launch_time fixed = {.median_s = 30, .p95_s = 30};
  CHECK_REL(ecs_launch_time_draw(&fixed, rng), 30, 0, "p95 = median: a constant launch time");
  free(x);
  gsl_rng_free(rng);
}

static const ecs_health_cfg defaults = {.interval_s = 30, .timeout_s = 5,
                                        .healthy_threshold = 5, .unhealthy_threshold = 2,
                                        .initial_threshold = 1};

/* Seconds of checks every interval until the target reaches `want`. */
static double time_to(const ecs_health_cfg *c, ecs_target_health *h, bool pass,
                      ecs_health want) {
  double t = 0;
  for (int i = 0; i < 100 && h->state != want; i++) {
    t += c->interval_s;
    ecs_health_record(c, h, pass);
  }
  return t;
}

static void test_health(void) {
  ecs_target_health h;
  ecs_health_init(&h);
  CHECK_INT(h.state, ECS_HEALTH_INITIAL, "a registered target starts in `initial`");
  CHECK_INT(ecs_health_record(&defaults, &h, true), ECS_HEALTH_HEALTHY,
            "OC-HEALTH 1: a new target is healthy after 1 passing check");
  CHECK_REL(time_to(&defaults, &h, false, ECS_HEALTH_UNHEALTHY), 60, 0,
            "OC-HEALTH 4: a healthy target failing checks is unhealthy after 2 x 30 s = 60 s");
  CHECK_REL(time_to(&defaults, &h, true, ECS_HEALTH_HEALTHY), 150, 0,
            "OC-HEALTH 2: recovering from unhealthy takes 30 s x 5 = 150 s");
  ecs_health_cfg tuned = defaults;
  tuned.interval_s = 5;
  tuned.healthy_threshold = 2;
  ecs_health_init(&h);
  ecs_health_record(&tuned, &h, false);
  ecs_health_record(&tuned, &h, false);
  CHECK_INT(h.state, ECS_HEALTH_UNHEALTHY, "two failures make a new target unhealthy");
  CHECK_REL(time_to(&tuned, &h, true, ECS_HEALTH_HEALTHY), 10, 0,
            "OC-HEALTH 3: tuned 5 s x 2 recovers in 10 s");
  ecs_health_init(&h);
  ecs_health_record(&defaults, &h, false);
  CHECK_INT(h.state, ECS_HEALTH_INITIAL, "one failure is not yet unhealthy");
  CHECK_INT(ecs_health_record(&defaults, &h, true), ECS_HEALTH_HEALTHY,
            "a new target needs one pass even after a failure");
}

static void test_slow_start(void) {
  CHECK_REL(ecs_slow_start_weight(100, 100, 0), 1, 0, "slow start off: full weight");
  CHECK_REL(ecs_slow_start_weight(100, 100, 60), 0, 0, "slow start begins at 0");
  CHECK_REL(ecs_slow_start_weight(130, 100, 60), 0.5, 1e-12, "linear ramp: half way");
  CHECK_REL(ecs_slow_start_weight(1000, 100, 60), 1, 0, "after the duration: full weight");
}

int main(void) {
  check_init();
  test_throttle();
  test_launch_time();
  test_health();
  test_slow_start();
  return check_done();
}

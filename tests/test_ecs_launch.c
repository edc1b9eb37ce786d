/* test_ecs_launch.c — Fargate launch throttling and launch times
 * (models/ecs/launch.c, OC-THROTTLE) and ALB target health (models/ecs/alb.c,
 * OC-HEALTH). */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
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

/* Shares of N picks with u on a regular grid: exact up to 1/N. */
static void grid_shares(const ecs_slow_set *set, double now, int *items, double *share, int n) {
  enum { N = 6000 };
  for (int k = 0; k < n; k++) share[k] = 0;
  for (int i = 0; i < N; i++) {
    int *got = ecs_slow_set_pick(set, now, (i + 0.5) / N);
    for (int k = 0; k < n; k++)
      if (got == &items[k]) share[k] += 1.0 / N;
  }
}

/* The slow-start set routes by weight (now - since) / duration in O(log n)
 * (ALB-TG, spec §9.4): its total weight, the choice within it, removals, and
 * growth past its first slots. */
static void test_slow_set(void) {
  static int items[200];
  ecs_slow_set *set = ecs_slow_set_alloc(200);
  CHECK(ecs_slow_set_pick(set, 0, 0.5) == NULL, "an empty set picks nothing");
  CHECK_ABS(ecs_slow_set_weight(set, 10), 0, 0, "an empty set weighs nothing");
  int slot[3];
  slot[0] = ecs_slow_set_add(set, &items[0], 1000);
  slot[1] = ecs_slow_set_add(set, &items[1], 1050);
  slot[2] = ecs_slow_set_add(set, &items[2], 1100);
  CHECK_INT(ecs_slow_set_size(set), 3, "three targets in slow start");
  CHECK_REL(ecs_slow_set_weight(set, 1100), 0.5 + 0.25 + 0, 1e-12,
            "weights (now - since) / duration: 0.5 + 0.25 + 0");
  CHECK_REL(ecs_slow_set_weight(set, 1100),
            ecs_slow_start_weight(1100, 1000, 200) + ecs_slow_start_weight(1100, 1050, 200) +
                ecs_slow_start_weight(1100, 1100, 200),
            1e-12, "the set's weight is the sum of ecs_slow_start_weight");
  double share[3];
  grid_shares(set, 1100, items, share, 3);
  CHECK_ABS(share[0], 2.0 / 3, 1e-3, "picked in proportion to weight: 0.5 / 0.75");
  CHECK_ABS(share[1], 1.0 / 3, 1e-3, "picked in proportion to weight: 0.25 / 0.75");
  CHECK_ABS(share[2], 0, 0, "a target that just entered slow start gets nothing yet");
  ecs_slow_set_remove(set, slot[0]);
  grid_shares(set, 1100, items, share, 3);
  CHECK(share[0] == 0 && fabs(share[1] - 1) < 1e-12, "a removed target is never picked");
  CHECK_REL(ecs_slow_set_weight(set, 1150), 0.5 + 0.25, 1e-12, "weights grow with time");
  ecs_slow_set_remove(set, slot[1]);
  grid_shares(set, 1100, items, share, 3);
  CHECK_ABS(share[2], 1, 1e-12, "every weight 0: picked by count");

  /* Past the first 8 slots, with holes: every share against a direct sum. */
  int slots[200];
  for (int k = 3; k < 200; k++) slots[k] = ecs_slow_set_add(set, &items[k], 1100 + k);
  for (int k = 3; k < 200; k += 3) ecs_slow_set_remove(set, slots[k]);
  double now = 1299, total = 0, want[200] = {0}; /* every ramp still running */
  for (int k = 2; k < 200; k++) {
    if (k >= 3 && k % 3 == 0) continue;
    double since = k == 2 ? 1100 : 1100 + k;
    want[k] = ecs_slow_start_weight(now, since, 200);
    total += want[k];
  }
  CHECK_REL(ecs_slow_set_weight(set, now), total, 1e-9, "weight after growth and removals");
  static double got[200];
  grid_shares(set, now, items, got, 200);
  double worst = 0;
  for (int k = 0; k < 200; k++) worst = fmax(worst, fabs(got[k] - want[k] / total));
  CHECK(worst < 2.0 / 6000, "shares match the weights after growth (worst error %g)", worst);
  ecs_slow_set_free(set);
  ecs_slow_set_free(NULL);
}

int main(void) {
  check_init();
  test_throttle();
  test_launch_time();
  test_health();
  test_slow_start();
  test_slow_set();
  return check_done();
}

/* test_kpa_window.c — Knative's bucketed metric windows against the oracle
 * cases of spec cloudrun.md Part C: C.3 (B1-B14, linear average, from
 * knative/serving pkg/autoscaler/aggregation/bucketing_test.go) and C.4
 * (W1-W7, weighted exponential). Knative's tests compare with ==, so exact
 * expectations are checked with tolerance 0; the weighted averages are checked
 * against their closed form (and the spec's printed digits). */
#include <math.h>

#include "models/cloudrun/kpa_window.h"
#include "tests/check.h"

/* Knative's tests start from time.Now(), which is not aligned to a second:
 * every time below is an offset from this origin. */
static const double T0 = 1000.25;

static void test_linear_window_average(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_LINEAR);
  double now = T0;
  kpa_window_record(w, now, 1);
  CHECK_ABS(kpa_window_average(w, now), 1, 0, "B1 TestTimedFloat64BucketsWindowAverage: firstWrite");
  for (int i = 1; i < 5; i++) kpa_window_record(w, now + i, i + 1);
  CHECK_ABS(kpa_window_average(w, now + 4), 15.0 / 5, 0, "B2 full window");
  CHECK_ABS(kpa_window_average(w, now + 3.6), 15.0 / 5, 0, "B3 now lags behind lastWrite");
  CHECK_ABS(kpa_window_average(w, now + 6), (15.0 - 1 - 2) / (5 - 2), 0, "B4 short hole");
  CHECK_ABS(kpa_window_average(w, now + 10), 0, 0, "B5 long hole");
  kpa_window_record(w, now + 6, 91);
  CHECK_ABS(kpa_window_average(w, now + 6), (15.0 - 1 - 2 + 91) / 5, 0, "B6 write with holes");
  now += 60;
  kpa_window_record(w, now, 1984);
  CHECK_ABS(kpa_window_average(w, now), 1984, 0, "B7 gap >= window resets");
  kpa_window_record(w, now - 3, 4);
  CHECK_ABS(kpa_window_average(w, now), (4.0 + 1984) / 4, 0, "B8 late write moves firstWrite");
  now += 1;
  kpa_window_record(w, now, 5);
  CHECK_ABS(kpa_window_average(w, now), (4.0 + 1984 + 5) / 5, 0, "B9 one more second");
  kpa_window_record(w, now - 3, 10);
  CHECK_ABS(kpa_window_average(w, now), (4.0 + 10 + 1984 + 5) / 5, 0, "B10 earlier write again");
  kpa_window_record(w, now - 6, 10);
  kpa_window_record(w, now - 5, 10);
  CHECK_ABS(kpa_window_average(w, now), (4.0 + 10 + 1984 + 5) / 5, 0,
            "B11 writes a window older than lastWrite are ignored");
  kpa_window_record(w, now + 5, 10);
  CHECK_ABS(kpa_window_average(w, now + 5), 10, 0, "B12 exactly one window without data resets");
  kpa_window_free(w);
}

static void test_descending_record(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_LINEAR);
  for (int i = 8; i >= 0; i--) kpa_window_record(w, T0 + i, 5);
  CHECK_ABS(kpa_window_average(w, T0 + 5), 5, 0, "B13 TestDescendingRecord");
  kpa_window_free(w);
}

static void test_holes(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_LINEAR);
  for (int i = 0; i < 5; i++) kpa_window_record(w, T0 + i, i + 1);
  CHECK_ABS(kpa_window_sum(w, T0 + 4), 15, 0, "B14 TestTimedFloat64BucketsHoles: sum");
  CHECK_ABS(kpa_window_average(w, T0 + 4), 3, 0, "B14 TestTimedFloat64BucketsHoles: average");
  /* Writing at +8 zeroes seconds 5, 6, 7: buckets [3] = 2 and [4] = 5 remain. */
  kpa_window_record(w, T0 + 8, 2);
  CHECK_ABS(kpa_window_sum(w, T0 + 8), 7, 0, "B14 TestTimedFloat64BucketsHoles: sum after hole");
  kpa_window_free(w);
}

static void test_is_empty(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_LINEAR);
  CHECK(kpa_window_is_empty(w, T0), "IsEmpty before any write");
  kpa_window_record(w, T0, 1);
  CHECK(!kpa_window_is_empty(w, T0 + 5), "not empty exactly one window after the write");
  CHECK(kpa_window_is_empty(w, T0 + 6), "empty more than a window after the write");
  kpa_window_free(w);
}

static void test_decay_multiplier(void) {
  CHECK_ABS(kpa_window_smoothing(100), 0.2, 1e-15, "W1 TestComputeDecayMultiplier nb=100");
  CHECK_ABS(kpa_window_smoothing(60), 0.2, 1e-15, "W1 TestComputeDecayMultiplier nb=60");
  CHECK_ABS(kpa_window_smoothing(40), 0.20567, 5e-6, "W1 TestComputeDecayMultiplier nb=40");
  CHECK_ABS(kpa_window_smoothing(6), 0.78456, 5e-6, "W1 TestComputeDecayMultiplier nb=6");
  CHECK_REL(kpa_window_smoothing(40), 1 - pow(1e-4, 1.0 / 40), 1e-9, "W1 nb=40 closed form");
}

static void test_weighted_average(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_WEIGHTED_EXPONENTIAL);
  double a = kpa_window_smoothing(5), q = 1 - a;
  CHECK_ABS(a, 0.8415107, 1e-7, "W2 alpha for a 5 s window");
  kpa_window_record(w, T0, 2);
  CHECK_REL(kpa_window_average(w, T0), 2 * a, 1e-12, "W2 avg(0) = 2a");
  CHECK_ABS(kpa_window_average(w, T0), 1.683021, 1e-6, "W2 avg(0) digits");
  CHECK_REL(kpa_window_average(w, T0 + 1), 2 * a * q, 1e-12, "W3 avg(1) = 2a(1-a)");
  CHECK_ABS(kpa_window_average(w, T0 + 1), 0.266741, 1e-6, "W3 avg(1) digits");
  kpa_window_record(w, T0 + 1, 2);
  CHECK_REL(kpa_window_average(w, T0 + 1), 2 * a * q + 2 * a, 1e-12, "W4 avg(1) after 1:2");
  CHECK_ABS(kpa_window_average(w, T0 + 1), 1.949762, 1e-6, "W4 digits");
  for (int i = 2; i <= 6; i++) kpa_window_record(w, T0 + i, i);
  double w5 = 6 * a + 5 * a * q + 4 * a * q * q + 3 * a * q * q * q + 2 * a * q * q * q * q;
  CHECK_REL(kpa_window_average(w, T0 + 6), w5, 1e-12, "W5 avg(6)");
  CHECK_ABS(kpa_window_average(w, T0 + 6), 5.811580, 1e-6, "W5 digits");
  CHECK_ABS(kpa_window_average(w, T0 + 16), 0, 0, "W6 avg(16) = 0");
  kpa_window_free(w);
}

static void test_weighted_ring(void) {
  kpa_window *w = kpa_window_alloc(5, KPA_WINDOW_WEIGHTED_EXPONENTIAL);
  for (int i = 0; i <= 5; i++) kpa_window_record(w, T0 + i, i + 1);
  CHECK_ABS(round(kpa_window_average(w, T0 + 5) * 1000) / 1000, 5.812, 1e-12,
            "W7 TestWeightedFloat64BucketsResizeWindow: ring keeps 2..6");
  kpa_window_free(w);
}

int main(void) {
  check_init();
  test_linear_window_average();
  test_descending_record();
  test_holes();
  test_is_empty();
  test_decay_multiplier();
  test_weighted_average();
  test_weighted_ring();
  return check_done();
}

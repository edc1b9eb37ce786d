/* test_kpa_max_window.c — the scale-down delay max window against spec
 * cloudrun.md C.5 (knative/serving pkg/autoscaler/aggregation/max/
 * window_test.go, window size 5, index = step number unless stated, and
 * timewindow_test.go, 5 s window at 1 s granularity). */
#include "models/cloudrun/kpa_max_window.h"
#include "tests/check.h"

/* Records values[i] at index idx[i] (or i when idx is NULL) in a fresh size-5
 * window and checks Current() after every record. */
static void run_case(const char *name, const double *values, const int64_t *idx,
                     const double *expect, int n) {
  kpa_max_window *w = kpa_max_window_alloc(5);
  for (int i = 0; i < n; i++) {
    kpa_max_window_record_index(w, idx ? idx[i] : i, values[i]);
    CHECK_ABS(kpa_max_window_current(w), expect[i], 0, "C.5 TestWindowMax %s: step %d", name, i);
  }
  kpa_max_window_free(w);
}

#define N(a) ((int)(sizeof(a) / sizeof(a)[0]))

static void test_window_max(void) {
  static const double single[] = {1}, single_e[] = {1};
  run_case("single value", single, NULL, single_e, 1);
  static const double asc[] = {1, 2}, asc_e[] = {1, 2};
  run_case("ascending values", asc, NULL, asc_e, 2);
  static const double desc[] = {2, 1}, desc_e[] = {2, 2};
  run_case("descending values", desc, NULL, desc_e, 2);
  static const double udu[] = {1, 2, 1}, udu_e[] = {1, 2, 2};
  run_case("up, down, up", udu, NULL, udu_e, 3);
  static const double wo[] = {5, 6, 5, 5, 5, 5, 5}, wo_e[] = {5, 6, 6, 6, 6, 6, 5};
  run_case("windowing out", wo, NULL, wo_e, N(wo));
  static const double gaps[] = {6, 5, 2, 1}, gaps_e[] = {6, 6, 6, 2};
  static const int64_t gaps_i[] = {0, 1, 2, 6};
  run_case("windowing out with gaps", gaps, gaps_i, gaps_e, N(gaps));
  static const double wo2[] = {5, 6, 5, 7, 5, 5, 1}, wo2_e[] = {5, 6, 6, 7, 7, 7, 7};
  run_case("windowing out 2", wo2, NULL, wo2_e, N(wo2));
  static const double wo4[] = {5, 8, 5, 7, 5, 5, 1}, wo4_e[] = {5, 8, 8, 8, 8, 8, 7};
  run_case("windowing out 4", wo4, NULL, wo4_e, N(wo4));
  static const double wo8[] = {5, 8, 5, 7, 5, 5, 1, 4, 4, 4, 4, 9, 3, 4, 2, 1, 0};
  static const double wo8_e[] = {5, 8, 8, 8, 8, 8, 7, 7, 5, 5, 4, 9, 9, 9, 9, 9, 4};
  run_case("windowing out 8", wo8, NULL, wo8_e, N(wo8));
  static const int64_t same[] = {1, 1, 1, 1, 1, 1, 1};
  static const double sd[] = {7, 6, 5, 4, 3, 2, 1}, sd_e[] = {7, 7, 7, 7, 7, 7, 7};
  run_case("multiple with same index, descending", sd, same, sd_e, N(sd));
  static const double sa[] = {1, 2, 3, 4, 5, 6, 7}, sa_e[] = {1, 2, 3, 4, 5, 6, 7};
  run_case("multiple with same index, ascending", sa, same, sa_e, N(sa));
}

static void test_time_window(void) {
  const double now = 1000; /* aligned, so now + 0.5 s is the same second */
  kpa_max_window *w = kpa_max_window_alloc_time(5, 1);
  kpa_max_window_record(w, now, 6);
  kpa_max_window_record(w, now + 0.5, 5);
  CHECK_ABS(kpa_max_window_current(w), 6, 0, "C.5 timewindow_test: {now:6, now+0.5s:5} -> 6");
  kpa_max_window_free(w);

  w = kpa_max_window_alloc_time(5, 1);
  kpa_max_window_record(w, now, 5);
  kpa_max_window_record(w, now + 1, 8);
  CHECK_ABS(kpa_max_window_current(w), 8, 0, "C.5 timewindow_test: {now:5, now+1s:8} -> 8");
  kpa_max_window_free(w);

  w = kpa_max_window_alloc_time(5, 1);
  kpa_max_window_record(w, now, 5);
  kpa_max_window_record(w, now + 6, 4);
  CHECK_ABS(kpa_max_window_current(w), 4, 0, "C.5 timewindow_test: {now:5, now+6s:4} -> 4");
  kpa_max_window_free(w);
}

int main(void) {
  check_init();
  test_window_max();
  test_time_window();
  return check_done();
}

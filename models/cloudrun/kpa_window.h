/* kpa_window.h — Knative's per-second bucketed metric windows, exactly as
 * knative/serving pkg/autoscaler/aggregation/bucketing.go has them (commit
 * 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944; spec cloudrun.md §B.3).
 *
 * A window of W whole seconds is a ring of nb = W buckets of 1 s
 * (config.BucketSize); values recorded in the same second are summed. Two ways
 * to average it, selected by the `metric-aggregation-algorithm` annotation:
 *   - linear (TimedFloat64Buckets.WindowAverage): the sum over the seconds that
 *     hold valid data divided by their number — a partial history (first write
 *     less than a window ago) and trailing seconds without writes shrink the
 *     divisor, gaps in the middle count as 0 — truncated to 6 decimals;
 *   - weighted-exponential (WeightedFloat64Buckets.WindowAverage): the newest
 *     buckets weighted alpha, alpha(1-alpha), ... with
 *     alpha = max(1 - (1 - 0.9999)^(1/nb), 0.2), not normalised.
 * Times are simulated seconds; a bucket is floor(t). Record and the averages
 * are O(1) amortised (clearing skipped buckets is bounded by the window). */
#ifndef CRUN_KPA_WINDOW_H
#define CRUN_KPA_WINDOW_H

#include <stdbool.h>

typedef enum kpa_window_algo {
  KPA_WINDOW_LINEAR = 0,
  KPA_WINDOW_WEIGHTED_EXPONENTIAL
} kpa_window_algo;

/* Spellings of kpa_window_algo as Knative's annotation values, NULL-terminated. */
extern const char *const kpa_window_algo_names[];

typedef struct kpa_window kpa_window;

/* Allocates a window of window_s whole seconds (>= 1). Free with
 * kpa_window_free (NULL is a no-op). */
kpa_window *kpa_window_alloc(int window_s, kpa_window_algo algo);
void kpa_window_free(kpa_window *w);

/* Adds value to the bucket of second floor(t_s) (Record). A value more than a
 * window older than the newest write is ignored; a write a whole window or more
 * after the newest one restarts the history. */
void kpa_window_record(kpa_window *w, double t_s, double value);

/* The window's average as of t_s (WindowAverage of the window's algorithm). */
double kpa_window_average(const kpa_window *w, double t_s);

/* True when nothing was written in the window ending at t_s (IsEmpty). */
bool kpa_window_is_empty(const kpa_window *w, double t_s);

/* Sum of the buckets that are still inside the window as of t_s, from the
 * newest write backwards (the tests' forEachBucket accumulation). */
double kpa_window_sum(const kpa_window *w, double t_s);

/* The weighted-exponential smoothing coefficient for n_buckets buckets
 * (computeSmoothingCoeff). */
double kpa_window_smoothing(int n_buckets);

#endif

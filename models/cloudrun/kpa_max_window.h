/* kpa_max_window.h — the scale-down delay window: the maximum of the values
 * recorded over the last `size` time indices, exactly as knative/serving
 * pkg/autoscaler/aggregation/max/{window,timewindow}.go (commit
 * 98e5ef90aa7033797aa0a61ef97f3ff7e49a3944; spec cloudrun.md §B.5).
 *
 * A descending-maxima deque ("ascending minima algorithm") in a ring of `size`
 * entries: Record is O(1) amortised, Current is O(1). The decider records its
 * desired scale every tick and applies Current(), so a scale-down only happens
 * once the larger decisions have scrolled out of `scale-down-delay`. */
#ifndef CRUN_KPA_MAX_WINDOW_H
#define CRUN_KPA_MAX_WINDOW_H

#include <stdint.h>

typedef struct kpa_max_window kpa_max_window;

/* A window over the last `size` (>= 1) indices (window.go newWindow). */
kpa_max_window *kpa_max_window_alloc(int size);

/* A window of duration_s seen at granularity_s (whole seconds, >= 1): size =
 * ceil(duration / granularity) (timewindow.go NewTimeWindow). */
kpa_max_window *kpa_max_window_alloc_time(double duration_s, int granularity_s);

/* Frees the window; NULL is a no-op. */
void kpa_max_window_free(kpa_max_window *w);

/* Records v at a non-decreasing index (window.go Record): values recorded at
 * the same index keep their maximum. */
void kpa_max_window_record_index(kpa_max_window *w, int64_t index, double v);

/* Records v at time t_s: index = floor(t_s) / granularity in integer seconds,
 * as Go's int(now.Unix()) / int(granularity.Seconds()) (TimeWindow.Record). */
void kpa_max_window_record(kpa_max_window *w, double t_s, double v);

/* The maximum over the window (Current); 0 before the first record. */
double kpa_max_window_current(const kpa_max_window *w);

#endif

/* kpa_max_window.c — the scale-down delay max window (see kpa_max_window.h),
 * statement by statement after knative/serving
 * pkg/autoscaler/aggregation/max/window.go and timewindow.go. */
#include "models/cloudrun/kpa_max_window.h"

#include <math.h>

#include "sim/error.h"

typedef struct entry {
  double value;
  int64_t index;
} entry;

struct kpa_max_window {
  entry *maxima;     /* ring of `size` entries, values strictly descending */
  int size;
  int first, length; /* deque position and length in the ring */
  int granularity_s; /* for time-indexed records */
};

kpa_max_window *kpa_max_window_alloc(int size) {
  SIM_ASSERT(size >= 1);
  kpa_max_window *w = sim_xcalloc(1, sizeof *w);
  w->maxima = sim_xcalloc((size_t)size, sizeof *w->maxima);
  w->size = size;
  w->granularity_s = 1;
  return w;
}

kpa_max_window *kpa_max_window_alloc_time(double duration_s, int granularity_s) {
  SIM_ASSERT(granularity_s >= 1 && duration_s > 0);
  kpa_max_window *w = kpa_max_window_alloc((int)ceil(duration_s / granularity_s));
  w->granularity_s = granularity_s;
  return w;
}

void kpa_max_window_free(kpa_max_window *w) {
  if (!w) return;
  free(w->maxima);
  free(w);
}

static entry *at(kpa_max_window *w, int i) { return &w->maxima[i % w->size]; }

void kpa_max_window_record_index(kpa_max_window *w, int64_t index, double v) {
  /* Step one: drop entries not above v from the back; they can never be the
   * maximum again, since v is both larger and more recent. */
  while (w->length > 0 && !(v < at(w, w->first + w->length - 1)->value)) w->length--;
  /* Step two: drop entries older than the window from the front. */
  while (w->length > 0 && index - w->maxima[w->first].index >= w->size) {
    w->length--;
    w->first = (w->first + 1) % w->size;
  }
  /* Step 2b: several values at one index keep the largest. */
  if (w->length > 0) {
    entry *last = at(w, w->first + w->length - 1);
    if (last->index == index) {
      if (last->value > v) v = last->value;
      w->length--;
    }
  }
  /* Step three: append; the deque stays sorted descending. */
  *at(w, w->first + w->length) = (entry){.value = v, .index = index};
  w->length++;
  SIM_ASSERT(w->length <= w->size);
}

void kpa_max_window_record(kpa_max_window *w, double t_s, double v) {
  int64_t unix_s = (int64_t)floor(t_s);
  kpa_max_window_record_index(w, unix_s / w->granularity_s, v);
}

double kpa_max_window_current(const kpa_max_window *w) { return w->maxima[w->first].value; }

/* kpa_window.c — Knative's bucketed metric windows (see kpa_window.h).
 *
 * Follows knative/serving pkg/autoscaler/aggregation/bucketing.go statement by
 * statement (spec cloudrun.md §B.3); comments name the Go code each part
 * mirrors. Go's zero time.Time ("never written") is modelled by a sentinel far
 * in the past, which makes every comparison come out as it does in Go. */
#include "models/cloudrun/kpa_window.h"

#include <math.h>
#include <stdint.h>

#include "sim/error.h"

const char *const kpa_window_algo_names[] = {"linear", "weighted-exponential", NULL};

/* "Never written": earlier than any simulated second by more than any window. */
#define NEVER (INT64_MIN / 4)

/* bucketing.go constants. */
static const double weight_precision = 0.9999; /* weightPrecision */
static const double min_exponent = 0.2;        /* minExponent */
static const double round_scale = 1e6;         /* precision = 6 digits */

struct kpa_window {
  kpa_window_algo algo;
  int64_t window;     /* seconds (the bucket granularity is 1 s) */
  int64_t nb;         /* number of buckets = window / 1 s */
  int64_t first_write; /* second of the first write, NEVER when unset */
  int64_t last_write;  /* second of the newest write, NEVER when unset */
  double total;        /* windowTotal: sum of every bucket */
  double alpha;        /* smoothingCoeff (weighted-exponential only) */
  double *b;           /* nb buckets, indexed second % nb */
};

double kpa_window_smoothing(int n_buckets) {
  /* computeSmoothingCoeff */
  return fmax(1 - pow(1 - weight_precision, 1.0 / n_buckets), min_exponent);
}

kpa_window *kpa_window_alloc(int window_s, kpa_window_algo algo) {
  SIM_ASSERT(window_s >= 1);
  kpa_window *w = sim_xcalloc(1, sizeof *w);
  w->algo = algo;
  w->window = window_s;
  w->nb = window_s;
  w->first_write = NEVER;
  w->last_write = NEVER;
  w->alpha = kpa_window_smoothing(window_s);
  w->b = sim_xcalloc((size_t)w->nb, sizeof *w->b);
  return w;
}

void kpa_window_free(kpa_window *w) {
  if (!w) return;
  free(w->b);
  free(w);
}

static int64_t second_of(double t_s) { return (int64_t)floor(t_s); }

/* Ring position of a second; Go's `%` on the (positive) Unix second. */
static int64_t slot(const kpa_window *w, int64_t sec) {
  int64_t i = sec % w->nb;
  return i < 0 ? i + w->nb : i;
}

static void clear_all(kpa_window *w) {
  for (int64_t i = 0; i < w->nb; i++) w->b[i] = 0;
  w->total = 0;
}

/* Zeroes the buckets of seconds last_write+1 .. to (at most one ring). */
static void clear_after_last_write(kpa_window *w, int64_t to) {
  for (int64_t s = w->last_write + 1; s <= to; s++) {
    int64_t i = slot(w, s);
    w->total -= w->b[i];
    w->b[i] = 0;
  }
}

void kpa_window_record(kpa_window *w, double t_s, double value) {
  int64_t bt = second_of(t_s); /* bucketTime; writeIdx is the same second */
  if (w->last_write != bt) {
    if (bt + w->window <= w->last_write) return; /* a window too old: ignored */
    if (w->first_write == NEVER || w->first_write > bt) w->first_write = bt;
    if (bt > w->last_write) {
      if (bt - w->last_write >= w->window) {
        /* No writes for a whole window: restart the history. */
        w->first_write = bt;
        clear_all(w);
      } else {
        clear_after_last_write(w, bt);
      }
      w->last_write = bt;
    }
    /* else last_write - window < bt < last_write: just add. */
  }
  w->b[slot(w, bt)] += value;
  w->total += value;
}

bool kpa_window_is_empty(const kpa_window *w, double t_s) {
  return second_of(t_s) - w->last_write > w->window;
}

/* roundToNDigits(6, x): truncation towards -inf at the 6th decimal. */
static double round6(double x) { return floor(x * round_scale) / round_scale; }

/* Buckets with valid data: (lastWrite - firstWrite)/g + 1, at most `limit`. */
static double valid_buckets(const kpa_window *w, int64_t limit) {
  int64_t n = w->last_write - w->first_write + 1;
  return (double)(n < limit ? n : limit);
}

static double linear_average(const kpa_window *w, int64_t now) {
  int64_t d = now - w->last_write;
  if (d <= 0) return round6(w->total / valid_buckets(w, w->nb));
  if (d < w->window) {
    /* Seconds after the newest write hold stale data of the previous lap. */
    double r = w->total;
    for (int64_t s = w->last_write + 1; s <= now; s++) r -= w->b[slot(w, s)];
    return round6(r / valid_buckets(w, w->nb - d));
  }
  return 0;
}

static double weighted_average(const kpa_window *w, int64_t now) {
  if (now - w->last_write > w->window) return 0; /* isEmptyLocked */
  double m = w->alpha, ret = 0;
  int64_t num_b = w->nb;
  if (now > w->last_write) {
    int64_t num_z = now - w->last_write;
    m *= pow(1 - w->alpha, (double)num_z);
    num_b -= num_z;
  }
  for (int64_t i = 0; i < num_b; i++) {
    ret += w->b[slot(w, w->last_write - i)] * m;
    m *= 1 - w->alpha;
  }
  return ret;
}

double kpa_window_average(const kpa_window *w, double t_s) {
  int64_t now = second_of(t_s);
  return w->algo == KPA_WINDOW_LINEAR ? linear_average(w, now) : weighted_average(w, now);
}

double kpa_window_sum(const kpa_window *w, double t_s) {
  int64_t n = w->nb - (second_of(t_s) - w->last_write);
  if (n > w->nb) n = w->nb;
  double sum = 0;
  for (int64_t i = 0; i < n; i++) sum += w->b[slot(w, w->last_write - i)];
  return sum;
}

/* sketch.c — the log-bucketed latency sketch (see sketch.h).
 *
 * Slot 0 counts exact zeros; slot k >= 1 is log bucket i = k - 1 + i_min, which
 * holds x in (gamma^(i-1), gamma^i] (DDSketch, Masson et al., VLDB 2019, §2).
 * Its representative 2 gamma^i / (gamma + 1) is within a = (gamma-1)/(gamma+1)
 * of every x in the bucket. Each sketch remembers the range of slots touched
 * since its last reset, so reset and merge cost only what was used. */
#include "output/sketch.h"

#include <math.h>
#include <string.h>

#include "sim/error.h"

/* a: the relative error bound. The promise is 1%; a is a hair below it so that
 * floating-point rounding at a bucket edge (x = gamma^i exactly, e.g. 1 s) and
 * printing with 6 significant digits cannot push the error past 1%. */
#define SKETCH_REL_ACCURACY 0.0099
#define SKETCH_MIN_S 1e-6        /* smallest value with a bucket of its own */
#define SKETCH_MAX_S 1e6         /* largest value with a bucket of its own */

struct out_sketch {
  uint64_t n;
  double sum, min, max; /* min/max are +inf/-inf while empty */
  double ln_gamma, inv_ln_gamma, rep_scale; /* rep_scale = 2 / (gamma + 1) */
  int i_min, i_max;                         /* log bucket index range */
  size_t lo, hi;     /* slots touched since reset; lo > hi when none */
  size_t n_slots;    /* 1 + (i_max - i_min + 1) */
  uint64_t counts[]; /* n_slots */
};

out_sketch *out_sketch_alloc(void) {
  const double a = SKETCH_REL_ACCURACY;
  const double gamma = (1 + a) / (1 - a);
  const double ln_gamma = log1p(2 * a / (1 - a));
  const int i_min = (int)ceil(log(SKETCH_MIN_S) / ln_gamma);
  const int i_max = (int)ceil(log(SKETCH_MAX_S) / ln_gamma);
  const size_t n_slots = 1 + (size_t)(i_max - i_min + 1);
  out_sketch *s = sim_xcalloc(1, sizeof *s + n_slots * sizeof s->counts[0]);
  s->ln_gamma = ln_gamma;
  s->inv_ln_gamma = 1 / ln_gamma;
  s->rep_scale = 2 / (gamma + 1);
  s->i_min = i_min;
  s->i_max = i_max;
  s->n_slots = n_slots;
  s->lo = n_slots;
  s->hi = 0;
  s->min = INFINITY;
  s->max = -INFINITY;
  return s;
}

void out_sketch_free(out_sketch *s) { free(s); }

void out_sketch_reset(out_sketch *s) {
  if (s->lo <= s->hi) memset(&s->counts[s->lo], 0, (s->hi - s->lo + 1) * sizeof s->counts[0]);
  s->lo = s->n_slots;
  s->hi = 0;
  s->n = 0;
  s->sum = 0;
  s->min = INFINITY;
  s->max = -INFINITY;
}

static size_t slot_of(const out_sketch *s, double x) {
  if (x == 0) return 0;
  double i = ceil(log(x) * s->inv_ln_gamma);
  /* Out-of-range values (including +inf) fold into the end buckets. */
  if (i < s->i_min) i = s->i_min;
  if (i > s->i_max) i = s->i_max;
  return (size_t)((int)i - s->i_min) + 1;
}

static double representative(const out_sketch *s, size_t slot) {
  if (slot == 0) return 0;
  int i = (int)slot - 1 + s->i_min;
  return s->rep_scale * exp(i * s->ln_gamma);
}

static void touch(out_sketch *s, size_t slot) {
  if (slot < s->lo) s->lo = slot;
  if (slot > s->hi) s->hi = slot;
}

void out_sketch_add(out_sketch *s, double x) {
  SIM_ASSERT(x >= 0); /* also rejects NaN */
  size_t slot = slot_of(s, x);
  s->counts[slot]++;
  touch(s, slot);
  s->n++;
  s->sum += x;
  if (x < s->min) s->min = x;
  if (x > s->max) s->max = x;
}

void out_sketch_merge(out_sketch *dst, const out_sketch *src) {
  SIM_ASSERT(dst->n_slots == src->n_slots);
  if (src->n == 0) return;
  for (size_t k = src->lo; k <= src->hi; k++) dst->counts[k] += src->counts[k];
  touch(dst, src->lo);
  touch(dst, src->hi);
  dst->n += src->n;
  dst->sum += src->sum;
  if (src->min < dst->min) dst->min = src->min;
  if (src->max > dst->max) dst->max = src->max;
}

uint64_t out_sketch_count(const out_sketch *s) { return s->n; }
double out_sketch_sum(const out_sketch *s) { return s->sum; }
double out_sketch_min(const out_sketch *s) { return s->n ? s->min : NAN; }
double out_sketch_max(const out_sketch *s) { return s->n ? s->max : NAN; }

double out_sketch_quantile(const out_sketch *s, double q) {
  SIM_ASSERT(q >= 0 && q <= 1);
  if (s->n == 0) return NAN;
  uint64_t rank = (uint64_t)floor(q * (double)(s->n - 1));
  if (rank == 0) return s->min;
  if (rank >= s->n - 1) return s->max;
  uint64_t seen = 0;
  for (size_t k = s->lo; k <= s->hi; k++) {
    seen += s->counts[k];
    if (seen > rank) {
      double x = representative(s, k);
      return x < s->min ? s->min : x > s->max ? s->max : x;
    }
  }
  SIM_ASSERT(!"sketch counts sum to n");
  return NAN;
}

void out_sketch_each(const out_sketch *s, void (*fn)(double x, uint64_t n, void *arg),
                     void *arg) {
  if (s->n == 0) return;
  for (size_t k = s->lo; k <= s->hi; k++)
    if (s->counts[k]) fn(representative(s, k), s->counts[k], arg);
}

/* sketch.c — the log-bucketed latency sketch (see sketch.h).
 *
 * Slot 0 counts exact zeros; slot k >= 1 is log bucket i = k - 1 + i_min, which
 * holds x in (gamma^(i-1), gamma^i] (DDSketch, Masson et al., VLDB 2019, §2).
 * Its representative 2 gamma^i / (gamma + 1) is within a = (gamma-1)/(gamma+1)
 * of every x in the bucket. Each sketch remembers the range of slots touched
 * since its last reset, so reset and merge cost only what was used.
 *
 * Finding the bucket without log(). Adding a value is on the path of every
 * request, and log() was a third of its cost. Instead the bucket edges gamma^i
 * are computed once, and a table indexed by a double's exponent and its top
 * MANTISSA_BITS mantissa bits gives the bucket of the smallest value sharing
 * those bits. Such a run of values spans a factor of at most 1 + 2^-6, less
 * than gamma, so it meets at most one edge: one comparison with that edge
 * finishes the job. The buckets are the same as ceil(log_gamma(x)) would
 * give, up to rounding of the edges themselves. The layout is the same for
 * every sketch, so it is built once and shared (read-only after that). */
#include "output/sketch.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "sim/error.h"

/* a: the relative error bound. The promise is 1%; a is a hair below it so that
 * floating-point rounding at a bucket edge (x = gamma^i exactly, e.g. 1 s) and
 * printing with 6 significant digits cannot push the error past 1%. */
#define SKETCH_REL_ACCURACY 0.0099
#define SKETCH_MIN_S 1e-6        /* smallest value with a bucket of its own */
#define SKETCH_MAX_S 1e6         /* largest value with a bucket of its own */
#define MANTISSA_BITS 6          /* 1 + 2^-6 < gamma: see the header */

/* What every sketch shares: bucket geometry, edges and the lookup table. */
typedef struct sketch_layout {
  double ln_gamma, rep_scale; /* rep_scale = 2 / (gamma + 1) */
  int i_min, i_max;           /* log bucket index range */
  size_t n_slots;             /* 1 + (i_max - i_min + 1) */
  double *upper;              /* upper[k]: the largest value in slot k >= 1 */
  uint64_t key_lo;            /* lookup key of upper[1]; the table starts there */
  size_t n_keys;
  uint16_t *first_slot;       /* first_slot[key - key_lo]: slot of the key's smallest value */
} sketch_layout;

static sketch_layout layout;

struct out_sketch {
  uint64_t n;
  double sum, min, max; /* min/max are +inf/-inf while empty */
  size_t lo, hi;        /* slots touched since reset; lo > hi when none */
  size_t n_slots;       /* layout.n_slots */
  uint64_t counts[];    /* n_slots */
};
static pthread_once_t layout_once = PTHREAD_ONCE_INIT;

/* The exponent and top mantissa bits of a positive finite double. */
static inline uint64_t lookup_key(double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return bits >> (52 - MANTISSA_BITS);
}

static double smallest_with_key(uint64_t key) {
  uint64_t bits = key << (52 - MANTISSA_BITS);
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* The slot of x by walking the edges from slot `from` (x > upper[from - 1]). */
static size_t slot_from(const sketch_layout *l, size_t from, double x) {
  size_t k = from;
  while (k < l->n_slots - 1 && x > l->upper[k]) k++;
  return k;
}

static void layout_build(void) {
  sketch_layout *l = &layout;
  const double a = SKETCH_REL_ACCURACY;
  const double gamma = (1 + a) / (1 - a);
  l->ln_gamma = log1p(2 * a / (1 - a));
  l->rep_scale = 2 / (gamma + 1);
  l->i_min = (int)ceil(log(SKETCH_MIN_S) / l->ln_gamma);
  l->i_max = (int)ceil(log(SKETCH_MAX_S) / l->ln_gamma);
  l->n_slots = 1 + (size_t)(l->i_max - l->i_min + 1);
  SIM_ASSERT(l->n_slots <= UINT16_MAX);
  l->upper = sim_xmalloc(l->n_slots * sizeof *l->upper);
  l->upper[0] = 0;
  for (size_t k = 1; k < l->n_slots; k++)
    l->upper[k] = exp(((int)k - 1 + l->i_min) * l->ln_gamma);
  l->key_lo = lookup_key(l->upper[1]);
  l->n_keys = lookup_key(l->upper[l->n_slots - 2]) - l->key_lo + 1;
  l->first_slot = sim_xmalloc(l->n_keys * sizeof *l->first_slot);
  size_t k = 1;
  for (size_t j = 0; j < l->n_keys; j++) {
    k = slot_from(l, k, smallest_with_key(l->key_lo + j));
    l->first_slot[j] = (uint16_t)k;
  }
}

out_sketch *out_sketch_alloc(void) {
  pthread_once(&layout_once, layout_build);
  out_sketch *s = sim_xcalloc(1, sizeof *s + layout.n_slots * sizeof s->counts[0]);
  s->n_slots = layout.n_slots;
  s->lo = s->n_slots;
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

static size_t slot_of(double x) {
  const sketch_layout *l = &layout;
  if (x == 0) return 0;
  /* Out-of-range values (including +inf) fold into the end buckets. */
  if (x <= l->upper[1]) return 1;
  if (x > l->upper[l->n_slots - 2]) return l->n_slots - 1;
  uint64_t j = lookup_key(x) - l->key_lo;
  size_t k = l->first_slot[j];
  return x > l->upper[k] ? k + 1 : k; /* at most one edge per key: see the header */
}

static double representative(size_t slot) {
  if (slot == 0) return 0;
  int i = (int)slot - 1 + layout.i_min;
  return layout.rep_scale * exp(i * layout.ln_gamma);
}

static void touch(out_sketch *s, size_t slot) {
  if (slot < s->lo) s->lo = slot;
  if (slot > s->hi) s->hi = slot;
}

void out_sketch_add(out_sketch *s, double x) {
  SIM_ASSERT(x >= 0); /* also rejects NaN */
  size_t slot = slot_of(x);
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
      double x = representative(k);
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
    if (s->counts[k]) fn(representative(k), s->counts[k], arg);
}

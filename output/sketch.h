/* sketch.h — a mergeable streaming quantile sketch for latencies.
 *
 * Log-bucketed (as DDSketch, Masson et al., VLDB 2019): a value x > 0 falls in
 * bucket ceil(log_gamma(x)) with gamma = (1 + a) / (1 - a); reporting the
 * bucket's midpoint 2 gamma^i / (gamma + 1) has relative error <= a. With
 * a = 0.0099 (a hair under 1%, so that rounding at bucket edges and printing
 * to 6 digits stay inside the bound) every quantile is within 1% of the exact order statistic. Buckets
 * cover 1 µs to ~11.6 days in a fixed array, so memory is constant; values
 * below the range count as the minimum bucket, above it as the maximum, and the
 * exact min, max and sum are kept beside. Exact zeros are counted in a bucket of
 * their own below the minimum one, which reports 0. Two sketches merge by
 * adding counts. */
#ifndef OUT_SKETCH_H
#define OUT_SKETCH_H

#include <stdint.h>

typedef struct out_sketch out_sketch;

/* A new empty sketch (owned by the caller; aborts on exhaustion). */
out_sketch *out_sketch_alloc(void);
/* Frees s; NULL is a no-op. */
void out_sketch_free(out_sketch *s);
/* Empties s; costs O(buckets touched since the last reset). */
void out_sketch_reset(out_sketch *s);

/* Adds one value (seconds, >= 0; 0 counts in the zero bucket). A negative or
 * NaN value is an internal error (SIM_ASSERT). O(1): a table look-up, no log() and no allocation. */
void out_sketch_add(out_sketch *s, double x);
/* Adds every value of src into dst (src unchanged). Quantiles of the result
 * equal those of one sketch fed both streams. */
void out_sketch_merge(out_sketch *dst, const out_sketch *src);

/* Number of values added; their exact sum (0 when empty), and exact min and
 * max (NaN when empty). */
uint64_t out_sketch_count(const out_sketch *s);
double out_sketch_sum(const out_sketch *s);
double out_sketch_min(const out_sketch *s);
double out_sketch_max(const out_sketch *s);
/* The q-quantile (0 <= q <= 1) with <= 1% relative error; NaN when empty.
 * Uses the rank rule of the lower empirical quantile: rank = floor(q (n-1)).
 * Rank 0 and rank n-1 return the exact min and max; others the representative
 * of the bucket holding that rank, clamped to [min, max]. q outside [0, 1] is an
 * internal error. */
double out_sketch_quantile(const out_sketch *s, double q);

/* Visits non-empty buckets in increasing order: fn(representative value,
 * count) — for CDF charts and serialisation. */
void out_sketch_each(const out_sketch *s, void (*fn)(double x, uint64_t n, void *arg),
                     void *arg);

#endif

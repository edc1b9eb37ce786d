/* sketch.h — a mergeable streaming quantile sketch for latencies.
 *
 * Log-bucketed (as DDSketch, Masson et al., VLDB 2019): a value x > 0 falls in
 * bucket ceil(log_gamma(x)) with gamma = (1 + a) / (1 - a); reporting the
 * bucket's midpoint 2 gamma^i / (gamma + 1) has relative error <= a. With
 * a = 0.01 every quantile is within 1% of the exact order statistic. Buckets
 * cover 1 µs to ~11.6 days in a fixed array, so memory is constant; values
 * below the range count as the minimum bucket, above it as the maximum, and the
 * exact min and max are kept beside. Two sketches merge by adding counts. */
#ifndef OUT_SKETCH_H
#define OUT_SKETCH_H

#include <stdint.h>

typedef struct out_sketch out_sketch;

out_sketch *out_sketch_alloc(void);
void out_sketch_free(out_sketch *s);
void out_sketch_reset(out_sketch *s);

/* Adds one value (seconds, >= 0; 0 counts in the lowest bucket). */
void out_sketch_add(out_sketch *s, double x);
/* Adds every value of src into dst. */
void out_sketch_merge(out_sketch *dst, const out_sketch *src);

uint64_t out_sketch_count(const out_sketch *s);
double out_sketch_sum(const out_sketch *s);
double out_sketch_min(const out_sketch *s);
double out_sketch_max(const out_sketch *s);
/* The q-quantile (0 <= q <= 1) with <= 1% relative error; NaN when empty.
 * Uses the rank rule of the lower empirical quantile: rank = floor(q (n-1)). */
double out_sketch_quantile(const out_sketch *s, double q);

/* Visits non-empty buckets in increasing order: fn(representative value,
 * count) — for CDF charts and serialisation. */
void out_sketch_each(const out_sketch *s, void (*fn)(double x, uint64_t n, void *arg),
                     void *arg);

#endif

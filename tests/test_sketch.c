/* test_sketch.c — the latency sketch against exact order statistics, merging,
 * reset, empty sketches, zeros and out-of-range values. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "output/sketch.h"
#include "tests/check.h"

#define N_SAMPLES 1000000

static const double quantiles[] = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};
#define N_QUANTILES (sizeof quantiles / sizeof quantiles[0])

typedef double (*sampler)(gsl_rng *r);

static double lognormal(gsl_rng *r) { return gsl_ran_lognormal(r, log(0.12), 0.8); }
static double exponential(gsl_rng *r) { return gsl_ran_exponential(r, 0.25); }
/* Warm requests around 50 ms, one in ten waiting for a multi-second cold start. */
static double mixture(gsl_rng *r) {
  return gsl_rng_uniform(r) < 0.9 ? gsl_ran_lognormal(r, log(0.05), 0.3)
                                  : 2 + gsl_ran_exponential(r, 3);
}

/* The exact order statistic at the sketch's rank rule, floor(q (n-1)). */
static double exact_quantile(const double *sorted, size_t n, double q) {
  return sorted[(size_t)floor(q * (double)(n - 1))];
}

static void check_accuracy(const char *name, sampler draw, unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  double *x = malloc(N_SAMPLES * sizeof *x);
  out_sketch *s = out_sketch_alloc();
  double sum = 0;
  for (size_t i = 0; i < N_SAMPLES; i++) {
    x[i] = draw(r);
    sum += x[i];
    out_sketch_add(s, x[i]);
  }
  gsl_sort(x, 1, N_SAMPLES);
  CHECK_INT(out_sketch_count(s), N_SAMPLES, "%s: count", name);
  CHECK_REL(out_sketch_sum(s), sum, 1e-12, "%s: sum", name);
  CHECK(out_sketch_min(s) == x[0], "%s: min exact", name);
  CHECK(out_sketch_max(s) == x[N_SAMPLES - 1], "%s: max exact", name);
  for (size_t k = 0; k < N_QUANTILES; k++) {
    double q = quantiles[k];
    CHECK_REL(out_sketch_quantile(s, q), exact_quantile(x, N_SAMPLES, q), 0.01,
              "%s: quantile %g within 1%%", name, q);
  }
  out_sketch_free(s);
  free(x);
  gsl_rng_free(r);
}

static void check_merge(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  out_sketch *all = out_sketch_alloc(), *a = out_sketch_alloc(), *b = out_sketch_alloc();
  for (size_t i = 0; i < N_SAMPLES; i++) {
    double x = mixture(r);
    out_sketch_add(all, x);
    out_sketch_add(i < N_SAMPLES / 2 ? a : b, x);
  }
  out_sketch_merge(a, b);
  CHECK_INT(out_sketch_count(a), out_sketch_count(all), "merge: count");
  CHECK(out_sketch_min(a) == out_sketch_min(all), "merge: min");
  CHECK(out_sketch_max(a) == out_sketch_max(all), "merge: max");
  CHECK_REL(out_sketch_sum(a), out_sketch_sum(all), 1e-12, "merge: sum");
  for (int k = 0; k <= 1000; k++) {
    double q = k / 1000.0;
    if (out_sketch_quantile(a, q) != out_sketch_quantile(all, q)) {
      CHECK(0, "merge: quantile %g equals the single sketch's", q);
      break;
    }
    if (k == 1000) CHECK(1, "merge: all 1001 quantiles equal the single sketch's");
  }
  /* Merging into an empty sketch copies; merging an empty one changes nothing. */
  out_sketch *empty = out_sketch_alloc(), *copy = out_sketch_alloc();
  out_sketch_merge(copy, all);
  out_sketch_merge(copy, empty);
  CHECK(out_sketch_quantile(copy, 0.5) == out_sketch_quantile(all, 0.5), "merge: copy p50");
  CHECK_INT(out_sketch_count(copy), out_sketch_count(all), "merge: copy count");
  out_sketch_free(empty);
  out_sketch_free(copy);
  out_sketch_free(all);
  out_sketch_free(a);
  out_sketch_free(b);
  gsl_rng_free(r);
}

struct walk {
  uint64_t total;
  double last_x;
  int increasing;
};
static void walk_bucket(double x, uint64_t n, void *arg) {
  struct walk *w = arg;
  if (!(x > w->last_x)) w->increasing = 0;
  w->last_x = x;
  w->total += n;
}

static void check_empty_and_reset(void) {
  out_sketch *s = out_sketch_alloc();
  CHECK_INT(out_sketch_count(s), 0, "empty: count");
  CHECK(isnan(out_sketch_quantile(s, 0.5)), "empty: quantile is NaN");
  CHECK(isnan(out_sketch_min(s)) && isnan(out_sketch_max(s)), "empty: min/max NaN");
  CHECK(out_sketch_sum(s) == 0, "empty: sum 0");
  for (int i = 1; i <= 100; i++) out_sketch_add(s, i * 0.01);
  double p90 = out_sketch_quantile(s, 0.9);
  CHECK_REL(p90, 0.9, 0.01, "reset: p90 before (rank 89 -> 0.90)");
  out_sketch_reset(s);
  CHECK_INT(out_sketch_count(s), 0, "reset: count 0");
  CHECK(isnan(out_sketch_quantile(s, 0.5)), "reset: quantile NaN");
  struct walk w = {0, -1, 1};
  out_sketch_each(s, walk_bucket, &w);
  CHECK_INT(w.total, 0, "reset: no bucket left");
  for (int i = 1; i <= 100; i++) out_sketch_add(s, i * 0.01);
  CHECK(out_sketch_quantile(s, 0.9) == p90, "reset: same values, same quantile");
  out_sketch_free(s);
  out_sketch_free(NULL);
}

static void check_zeros(void) {
  out_sketch *s = out_sketch_alloc();
  for (int i = 0; i < 10; i++) out_sketch_add(s, 0);
  CHECK(out_sketch_quantile(s, 0) == 0, "zeros: q0");
  CHECK(out_sketch_quantile(s, 0.5) == 0, "zeros: q0.5");
  CHECK(out_sketch_quantile(s, 1) == 0, "zeros: q1");
  /* 10 zeros then 10 values of 2 s: ranks 0..9 are 0, ranks 10..19 are 2. */
  for (int i = 0; i < 10; i++) out_sketch_add(s, 2);
  CHECK(out_sketch_quantile(s, 0.45) == 0, "zeros: rank 8 is an exact 0");
  CHECK(out_sketch_quantile(s, 9.0 / 19) == 0, "zeros: rank 9 is an exact 0");
  CHECK_REL(out_sketch_quantile(s, 10.0 / 19), 2, 0.01, "zeros: rank 10 is 2");
  out_sketch_free(s);
}

static void check_range_and_each(void) {
  out_sketch *s = out_sketch_alloc();
  out_sketch_add(s, 1e-9); /* below the bucket range */
  out_sketch_add(s, 0.5);
  out_sketch_add(s, 0.5);
  out_sketch_add(s, 1e9); /* above it */
  CHECK(out_sketch_quantile(s, 0) == 1e-9, "range: q0 is the exact min");
  CHECK(out_sketch_quantile(s, 1) == 1e9, "range: q1 is the exact max");
  CHECK_REL(out_sketch_quantile(s, 0.5), 0.5, 0.01, "range: median");
  out_sketch_add(s, 0);
  struct walk w = {0, -1, 1};
  out_sketch_each(s, walk_bucket, &w);
  CHECK_INT(w.total, 5, "each: counts sum to n");
  CHECK(w.increasing, "each: buckets in increasing order");
  out_sketch_free(s);
}

/* Round values (1 ms .. 10 s in 1 ms steps, among them 1 s, which sits exactly
 * on a bucket edge) reported as a middle rank, where clamping to [min, max]
 * cannot help: each within 1%. */
static void check_round_values(void) {
  out_sketch *s = out_sketch_alloc();
  double worst = 0;
  for (int k = 1; k <= 10000; k++) {
    double x = k * 1e-3;
    out_sketch_reset(s);
    out_sketch_add(s, x / 2);
    for (int i = 0; i < 3; i++) out_sketch_add(s, x);
    out_sketch_add(s, 100 * x);
    double err = fabs(out_sketch_quantile(s, 0.5) - x) / x;
    if (err > worst) worst = err;
  }
  CHECK(worst <= 0.01, "round values: worst relative error %g <= 1%%", worst);
  out_sketch_free(s);
}

/* The bucket of a value comes from a table of exponent and top mantissa bits
 * plus one comparison with a bucket edge: every value over the whole range
 * (steps of 0.05%, so every bucket several times, each with its neighbouring
 * doubles) reported as a middle rank is within 1%. */
static void check_whole_range(void) {
  out_sketch *s = out_sketch_alloc();
  double worst = 0;
  for (double x0 = 1.0001e-6; x0 < 0.99e6; x0 *= 1.0005) {
    double xs[3] = {nextafter(x0, 0), x0, nextafter(x0, INFINITY)};
    for (int j = 0; j < 3; j++) {
      double x = xs[j];
      out_sketch_reset(s);
      out_sketch_add(s, x / 2);
      out_sketch_add(s, x);
      out_sketch_add(s, 2 * x);
      double err = fabs(out_sketch_quantile(s, 0.5) - x) / x;
      if (err > worst) worst = err;
    }
  }
  CHECK(worst <= 0.01, "whole range: worst relative error %g <= 1%%", worst);
  out_sketch_free(s);
}

int main(void) {
  check_init();
  check_accuracy("lognormal", lognormal, 1);
  check_accuracy("exponential", exponential, 2);
  check_accuracy("mixture", mixture, 3);
  check_merge();
  check_empty_and_reset();
  check_zeros();
  check_range_and_each();
  check_round_values();
  check_whole_range();
  return check_done();
}

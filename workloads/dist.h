/* dist.h — service-time distributions, named by their parameters.
 *
 * A wl_dist is a plain config value (read from the scenario as
 * `{dist: lognormal, median: 120ms, p99: 900ms}`) that draws seconds from a
 * caller's GSL stream. Parameters are named, never positional:
 *   constant {value} · exponential {mean} · lognormal {median, p99 | mu, sigma}
 *   gamma {shape, scale} · weibull {shape, scale} · pareto {shape, scale}
 *   empirical {points: [{percentile, value}, ...]} */
#ifndef WL_DIST_H
#define WL_DIST_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"

typedef enum wl_dist_kind {
  WL_DIST_CONSTANT = 0, /* value */
  WL_DIST_EXPONENTIAL,  /* mean */
  WL_DIST_LOGNORMAL,    /* median + p99, or mu + sigma (of ln seconds) */
  WL_DIST_GAMMA,        /* shape k, scale θ (s): mean k θ */
  WL_DIST_WEIBULL,      /* shape k, scale λ (s): mean λ Γ(1 + 1/k) */
  WL_DIST_PARETO,       /* shape α, scale x_m (s, the minimum): mean α x_m / (α - 1) */
  WL_DIST_EMPIRICAL     /* points: a percentile table, linear in between */
} wl_dist_kind;

/* One row of an empirical distribution's table. */
typedef struct wl_dist_point {
  double percentile; /* 0..100 */
  double value;      /* seconds */
} wl_dist_point;

/* An empirical table holds at most this many points. */
#define WL_DIST_MAX_POINTS 32

typedef struct wl_dist {
  int kind;      /* wl_dist_kind */
  double value;  /* constant: seconds */
  double mean;   /* exponential: mean seconds */
  double median, p99; /* lognormal, as percentiles (seconds) */
  double mu, sigma;   /* lognormal, derived or given */
  double shape, scale; /* gamma, weibull, pareto (scale in seconds) */
  cfg_list points;     /* empirical, as written: wl_dist_point items */
  /* empirical, derived: the table as probabilities and seconds, kept inline so
   * that a wl_dist stays a plain value a source can copy */
  size_t n_points;
  double p[WL_DIST_MAX_POINTS], v[WL_DIST_MAX_POINTS];
} wl_dist;

/* Fills the empirical table of d from n points (percentiles 0..100 increasing
 * from 0 to 100, values in seconds non-decreasing). On failure returns false
 * and writes why. For distributions built in code; the schema does it for
 * scenarios. */
bool wl_dist_set_points(wl_dist *d, const wl_dist_point *points, size_t n, char *why,
                        size_t why_len);

/* The q-quantile (0 < q < 1) in seconds, for documentation and tests. */
double wl_dist_quantile(const wl_dist *d, double q);

extern const cfg_schema wl_dist_schema;

/* An exponential variate of the given mean: -mean * ln(U), U uniform on (0,1).
 * GSL's gsl_ran_exponential computes -mean * log1p(-U), the same law (1 - U
 * and U are equally distributed) but a log1p costs three times a log, and
 * arrivals and service times draw one per request. */
static inline double wl_exponential(gsl_rng *rng, double mean) {
  return -mean * log(gsl_rng_uniform_pos(rng));
}

/* Draws one value in seconds (>= 0). */
double wl_dist_draw(const wl_dist *d, gsl_rng *rng);

/* The distribution's mean in seconds (for documentation and tests). */
double wl_dist_mean(const wl_dist *d);

#endif

/* quantiles.h — an empirical distribution given by a percentile table, as the
 * Azure Functions 2019 trace publishes durations (0th, 1st, 25th, 50th, 75th,
 * 99th, 100th percentiles) and as scenarios may write one.
 *
 * Between the given points the quantile function is linear, so draws are
 * inverse-transform samples of a distribution that honours every given
 * percentile exactly and is uniform between neighbouring ones. The table must
 * start at probability 0 and end at 1 so the distribution is bounded. */
#ifndef WL_QUANTILES_H
#define WL_QUANTILES_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct wl_quantiles {
  size_t n;        /* >= 2 points */
  const double *p; /* probabilities, increasing from 0 to 1 (not owned) */
  const double *v; /* values at them, non-decreasing (not owned) */
} wl_quantiles;

/* Checks a table; on failure writes why (naming the offending point) and
 * returns false. */
bool wl_quantiles_check(const double *p, const double *v, size_t n, char *why, size_t why_len);

/* The u-quantile (0 <= u <= 1): linear between the table's points. */
double wl_quantiles_at(const wl_quantiles *q, double u);

/* One draw by inversion from rng. */
double wl_quantiles_draw(const wl_quantiles *q, gsl_rng *rng);

/* The mean: the integral of the quantile function, exact for the linear pieces. */
double wl_quantiles_mean(const wl_quantiles *q);

#endif

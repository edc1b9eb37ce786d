/* quantiles.c — percentile-table distributions (see quantiles.h). The tables
 * are a handful of points, so a binary search and one linear interpolation per
 * draw beat setting up a gsl_interp per table (Azure traces have thousands). */
#include "workloads/quantiles.h"

#include <math.h>
#include <stdio.h>

bool wl_quantiles_check(const double *p, const double *v, size_t n, char *why, size_t why_len) {
  if (n < 2) {
    snprintf(why, why_len, "needs at least 2 points (the 0th and 100th percentiles)");
    return false;
  }
  if (p[0] != 0 || p[n - 1] != 1) {
    snprintf(why, why_len, "must start at the 0th percentile and end at the 100th");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(v[i]) || v[i] < 0) {
      snprintf(why, why_len, "value %g at percentile %g is not a number >= 0", v[i], 100 * p[i]);
      return false;
    }
    if (i && !(p[i] > p[i - 1])) {
      snprintf(why, why_len, "percentiles must increase (%g after %g)", 100 * p[i],
               100 * p[i - 1]);
      return false;
    }
    if (i && v[i] < v[i - 1]) {
      snprintf(why, why_len, "values must not decrease (%g at percentile %g after %g at %g)",
               v[i], 100 * p[i], v[i - 1], 100 * p[i - 1]);
      return false;
    }
  }
  return true;
}

double wl_quantiles_at(const wl_quantiles *q, double u) {
  size_t lo = 0, hi = q->n - 1;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (q->p[mid] <= u) lo = mid;
    else hi = mid;
  }
  double w = (u - q->p[lo]) / (q->p[hi] - q->p[lo]);
  return q->v[lo] + w * (q->v[hi] - q->v[lo]);
}

double wl_quantiles_draw(const wl_quantiles *q, gsl_rng *rng) {
  return wl_quantiles_at(q, gsl_rng_uniform(rng));
}

double wl_quantiles_mean(const wl_quantiles *q) {
  double m = 0;
  for (size_t i = 1; i < q->n; i++) m += (q->p[i] - q->p[i - 1]) * (q->v[i] + q->v[i - 1]) / 2;
  return m;
}

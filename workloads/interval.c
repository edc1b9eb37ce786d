/* interval.c — arrivals within an interval from its count (see interval.h). */
#include "workloads/interval.h"
#include "workloads/dist.h"

#include <gsl/gsl_randist.h>
#include <math.h>

#include "workloads/trace.h"

void wl_interval_start(wl_interval *iv, int mode, double t0_s, double len_s, uint64_t n) {
  *iv = (wl_interval){mode, t0_s, len_s, n, 0, mode == WL_SPREAD_POISSON ? t0_s : 0};
}

bool wl_interval_next(wl_interval *iv, gsl_rng *rng, double *t_s) {
  switch (iv->mode) {
    case WL_SPREAD_POISSON:
      if (iv->n == 0) return false;
      iv->x += wl_exponential(rng, iv->len_s / (double)iv->n);
      if (iv->x >= iv->t0_s + iv->len_s) return false;
      *t_s = iv->x;
      return true;
    case WL_SPREAD_UNIFORM: {
      if (iv->i == iv->n) return false;
      /* The minimum of the m = n - i uniforms still to place on [x, 1] is
       * x + (1 - x)(1 - U^(1/m)): order statistics one at a time, in O(1)
       * memory (Devroye, Non-Uniform Random Variate Generation, V.3). */
      double m = (double)(iv->n - iv->i);
      double gap = -expm1(log(gsl_rng_uniform_pos(rng)) / m);
      iv->x += (1 - iv->x) * gap;
      break;
    }
    case WL_SPREAD_EQUIDISTANT:
      if (iv->i == iv->n) return false;
      iv->x = ((double)iv->i + 0.5) / (double)iv->n;
      break;
    default:
      if (iv->i == iv->n) return false;
      iv->x = 0;
      break;
  }
  iv->i++;
  *t_s = iv->t0_s + iv->x * iv->len_s;
  return true;
}

void wl_interval_skip_before(wl_interval *iv, gsl_rng *rng, double t_s) {
  double end_s = iv->t0_s + iv->len_s;
  if (t_s <= iv->t0_s || iv->i == iv->n) return;
  if (t_s >= end_s) {
    iv->i = iv->n; /* every request of the interval is before t_s */
    return;
  }
  double frac = (t_s - iv->t0_s) / iv->len_s;
  switch (iv->mode) {
    case WL_SPREAD_POISSON:
      /* Memoryless: the process after t_s is the same process. */
      if (iv->x < t_s) iv->x = t_s;
      return;
    case WL_SPREAD_UNIFORM: {
      /* Of the m uniforms still to place on [x, 1], those below frac number
       * Binomial(m, (frac - x) / (1 - x)); the rest are uniform on [frac, 1]. */
      if (frac <= iv->x) return;
      uint64_t m = iv->n - iv->i;
      double p = (frac - iv->x) / (1 - iv->x);
      uint64_t below = m > UINT32_MAX ? (uint64_t)llround(p * (double)m)
                                      : gsl_ran_binomial(rng, p, (unsigned)m);
      iv->i += below;
      iv->x = frac;
      return;
    }
    case WL_SPREAD_EQUIDISTANT: {
      /* Request i sits at (i + 1/2) / n: skip those below frac. */
      double first = ceil(frac * (double)iv->n - 0.5);
      if (first > (double)iv->i) iv->i = first >= (double)iv->n ? iv->n : (uint64_t)first;
      return;
    }
    default:
      iv->i = iv->n; /* all at the interval's start, which is before t_s */
      return;
  }
}

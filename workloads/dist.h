/* dist.h — service-time distributions, named by their parameters.
 *
 * A wl_dist is a plain config value (read from the scenario as
 * `{dist: lognormal, median: 120ms, p99: 900ms}`) that draws seconds from a
 * caller's GSL stream. Parameters are named, never positional. */
#ifndef WL_DIST_H
#define WL_DIST_H

#include <gsl/gsl_rng.h>

#include "sim/cfg.h"

typedef enum wl_dist_kind {
  WL_DIST_CONSTANT = 0, /* value */
  WL_DIST_EXPONENTIAL,  /* mean */
  WL_DIST_LOGNORMAL     /* median + p99, or mu + sigma (of ln seconds) */
} wl_dist_kind;

typedef struct wl_dist {
  int kind;      /* wl_dist_kind */
  double value;  /* constant: seconds */
  double mean;   /* exponential: mean seconds */
  double median, p99; /* lognormal, as percentiles (seconds) */
  double mu, sigma;   /* lognormal, derived or given */
} wl_dist;

extern const cfg_schema wl_dist_schema;

/* Draws one value in seconds (>= 0). */
double wl_dist_draw(const wl_dist *d, gsl_rng *rng);

/* The distribution's mean in seconds (for documentation and tests). */
double wl_dist_mean(const wl_dist *d);

#endif

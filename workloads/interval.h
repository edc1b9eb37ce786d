/* interval.h — expanding "n requests in this interval" into arrival times, in
 * increasing order and one at a time (no buffer, whatever n is).
 *
 *   uniform      n independent uniform times in the interval, drawn directly
 *                in sorted order (a Poisson process conditioned on its count:
 *                exact counts, Poisson-like burstiness);
 *   poisson      a Poisson process at rate n / length over the interval: the
 *                count varies around n (so totals match only on average);
 *   equidistant  evenly spaced, at (i + 1/2) length / n;
 *   none         all n at the interval's start (as logged). */
#ifndef WL_INTERVAL_H
#define WL_INTERVAL_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct wl_interval {
  int mode;          /* WL_SPREAD_* of trace.h */
  double t0_s, len_s;
  uint64_t n, i;     /* requests in the interval, placed so far */
  double x;          /* uniform: last position in [0, 1]; poisson: last time */
} wl_interval;

/* Starts expanding n requests over [t0_s, t0_s + len_s). */
void wl_interval_start(wl_interval *iv, int mode, double t0_s, double len_s, uint64_t n);

/* The next arrival in *t_s (non-decreasing, inside the interval) and true, or
 * false when the interval is used up. */
bool wl_interval_next(wl_interval *iv, gsl_rng *rng, double *t_s);

/* Drops the requests the interval would place before t_s without drawing
 * them one by one (a window that starts inside an interval of a huge count
 * must not expand it; found by fuzzing: tests/fuzz/regressions/trace_counts/
 * window-start-inside-huge-count-hangs). The rest keep their distribution. */
void wl_interval_skip_before(wl_interval *iv, gsl_rng *rng, double t_s);

#endif

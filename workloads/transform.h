/* transform.h — the stream transforms of a trace replay (internal to the
 * trace pipeline): the time window, speedup and rate_scale. Filters are in
 * trace.h because the parsers apply them while they still hold the fields. */
#ifndef WL_TRANSFORM_H
#define WL_TRANSFORM_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

#include "workloads/reorder.h"
#include "workloads/trace.h"

/* One end of the window: absent, a duration from the trace start, or an
 * absolute time (ISO 8601 text, in epoch seconds). */
typedef struct wl_bound {
  bool set;
  bool absolute;
  double value_s;
} wl_bound;

/* Parses a window bound: empty → unset; an ISO 8601 time → absolute; else a
 * duration (`2h`, `90m`, `3600`) → from the trace start. On failure returns
 * false and writes what was expected into why. */
bool wl_bound_parse(const char *text, wl_bound *out, char *why, size_t why_len);

/* The absolute trace-clock time of a bound, given the trace's first time. */
double wl_bound_resolve(const wl_bound *b, double trace_start_s);

/* rate_scale: thins (keeps each record with probability rate_scale < 1) or
 * replicates (floor(rate_scale) copies, one more with the fractional part's
 * probability; copies after the first arrive a uniform [0, jitter) later).
 * Replicas are held in a heap until no later input can precede them, so the
 * output stays in time order. Deterministic from the rng. */
typedef struct wl_scaler {
  double rate_scale, jitter_s;
  gsl_rng *rng;         /* not owned */
  wl_reorder *pending;  /* replicas waiting for their time (rate_scale > 1) */
  double last_in_s;     /* time of the latest input record */
} wl_scaler;

void wl_scaler_init(wl_scaler *s, double rate_scale, double jitter_s, gsl_rng *rng);
void wl_scaler_free(wl_scaler *s);

/* Feeds one input record (times non-decreasing); returns how many copies it
 * became. With rate_scale <= 1 a kept record is returned in *out directly (1)
 * or dropped (0); with rate_scale > 1 copies go to the heap (use wl_scaler_pop). */
int wl_scaler_feed(wl_scaler *s, const wl_rec *in, wl_rec *out);
/* True if replication is on (records come out through wl_scaler_pop). */
bool wl_scaler_replicates(const wl_scaler *s);
/* Pops the earliest held copy if no later input can precede it (its time <=
 * the last input's, or `flush` at the end of the input). */
bool wl_scaler_pop(wl_scaler *s, bool flush, wl_rec *out);

#endif

/* profile.h — arrival-rate profiles over time and the non-homogeneous Poisson
 * generator that follows one (by thinning).
 *
 * A profile is a base shape — constant, step, ramp, sine, diurnal, or
 * piecewise-linear from a CSV of (time, rate) interpolated by GSL's Steffen
 * method (monotone between points, so it never overshoots them) — plus any
 * number of flash-crowd spikes added on top. Every shape knows its exact
 * integral (the expected number of arrivals) and an upper bound of its rate
 * over any interval, which the thinning uses as a piecewise majorant so that a
 * tall spike does not slow the quiet hours. */
#ifndef WL_PROFILE_H
#define WL_PROFILE_H

#include <stdint.h>

#include "sim/cfg.h"
#include "workloads/dist.h"
#include "workloads/source.h"

enum wl_profile_kind {
  WL_PROFILE_CONSTANT = 0, /* rate */
  WL_PROFILE_STEP,         /* steps: [{at, rate}, ...] */
  WL_PROFILE_RAMP,         /* from, to, start, end */
  WL_PROFILE_SINE,         /* mean, amplitude, period, peak_at */
  WL_PROFILE_DIURNAL,      /* min, max, peak_at (time of day; period 24 h) */
  WL_PROFILE_PIECEWISE     /* path: CSV of time (s), rate (/s) */
};

typedef struct wl_step_cfg {
  double at_s;       /* the rate holds from here to the next step */
  double rate_per_s;
} wl_step_cfg;

/* A flash crowd: extra rate rising linearly from 0 at `at` to `rate` over
 * `rise`, holding for `hold`, falling linearly back to 0 over `decay`. */
typedef struct wl_spike_cfg {
  double at_s, rate_per_s, rise_s, hold_s, decay_s;
} wl_spike_cfg;

typedef struct wl_profile_cfg {
  int kind;                  /* enum wl_profile_kind */
  double rate_per_s;         /* constant */
  cfg_list steps;            /* step: wl_step_cfg items, `at` increasing */
  double from_per_s, to_per_s, start_s, end_s; /* ramp */
  double mean_per_s, amplitude_per_s, period_s; /* sine */
  double min_per_s, max_per_s;                  /* diurnal */
  double peak_at_s;          /* sine, diurnal: time of a peak */
  char *path;                /* piecewise */
  cfg_list spikes;           /* wl_spike_cfg items, on top of any kind */
} wl_profile_cfg;

extern const cfg_schema wl_profile_schema;

typedef struct wl_profile wl_profile;

/* Compiles cfg (reading the piecewise CSV). SIM_ESCENARIO for inconsistent
 * parameters, SIM_EINPUT for an unreadable or malformed CSV (with file:line). */
int wl_profile_alloc(const wl_profile_cfg *cfg, wl_profile **out, sim_error *err);
void wl_profile_free(wl_profile *p);

/* The rate (/s) at time t_s. */
double wl_profile_rate(const wl_profile *p, double t_s);
/* The expected number of arrivals in [t0_s, t1_s]: the rate's integral. */
double wl_profile_integral(const wl_profile *p, double t0_s, double t1_s);
/* An upper bound (usually the maximum) of the rate over [t0_s, t1_s]. */
double wl_profile_bound(const wl_profile *p, double t0_s, double t1_s);

/* A non-homogeneous Poisson source following cfg until horizon_s (> 0):
 * arrivals by thinning (Lewis and Shedler, 1979) against the piecewise
 * majorant wl_profile_bound over short blocks, from the stream
 * "workload/arrivals" of seed; each request's duration from `duration`
 * ("workload/service"), split by cpu_share (DESIGN.md §4); size copied. */
int wl_nhpp_open(const wl_profile_cfg *cfg, const wl_dist *duration, double cpu_share,
                 double size, double horizon_s, uint64_t seed, wl_source **out, sim_error *err);

#endif

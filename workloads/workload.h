/* workload.h — the scenario's `workload:` section and the factory that turns
 * it into a wl_source.
 *
 * Several platforms in one scenario each open their own source from the same
 * (read-only) config and seed, so they see the same requests. */
#ifndef WL_WORKLOAD_H
#define WL_WORKLOAD_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "sim/cfg.h"
#include "workloads/dist.h"
#include "workloads/mmpp.h"
#include "workloads/profile.h"
#include "workloads/source.h"
#include "workloads/trace.h"

/* How a duration splits into CPU work and waiting (DESIGN.md §4). */
typedef struct wl_request_cfg {
  wl_dist duration;  /* total service time at 1 vCPU with no contention */
  double cpu_share;  /* fraction of duration that is CPU work, [0, 1] */
  double size;       /* request size (optional) */
} wl_request_cfg;

typedef struct wl_arrivals_cfg {
  int process;       /* WL_POISSON, WL_MMPP */
  double rate_per_s; /* poisson: a constant rate (or a profile) */
  bool has_profile;  /* poisson: derived, `profile` was given */
  wl_profile_cfg profile;      /* poisson: a rate that varies over time */
  wl_mmpp_state_cfg quiet, burst; /* mmpp: the two states */
} wl_arrivals_cfg;

enum { WL_POISSON = 0, WL_MMPP };

typedef struct wl_config {
  wl_arrivals_cfg arrivals;
  wl_request_cfg request;
  double duration_s; /* how long the generator emits arrivals (0 = until the end) */
  bool has_trace;    /* derived: `trace` was given: a replay, not a generator */
  wl_trace_cfg trace;
  wl_transform_cfg transform; /* start, end, speedup, rate_scale(_jitter), filter */
} wl_config;

extern const cfg_schema wl_config_schema;

/* Opens the source the config describes, with randomness from `seed`.
 * Returns SIM_ESCENARIO with err set when the config cannot make a stream (a
 * generator without a duration). The source does not keep cfg. */
int wl_open(const wl_config *cfg, uint64_t seed, wl_source **out, sim_error *err);

/* True when the workload generates its arrivals (rather than replaying a
 * trace), so that it runs until the scenario's duration and needs one. */
bool wl_is_generator(const wl_config *cfg);

/* The mean number of requests a generator emits over duration_s: the
 * integral of its rate (constant, profile, or the MMPP's long-run mean).
 * NaN for a trace replay, whose size is known only by reading it. */
double wl_expected_requests(const wl_config *cfg, double duration_s);

/* --- the sources wl_open chooses from (one file each in workloads/) ------- */

/* Constant-rate Poisson arrivals until cfg->duration_s (workloads/poisson.c),
 * drawing from the streams "workload/arrivals" and "workload/service" of seed. */
int wl_poisson_open(const wl_config *cfg, uint64_t seed, wl_source **out, sim_error *err);

/* The others: a rate profile (profile.h), an MMPP (mmpp.h), a trace replay
 * (trace.h). */

#endif

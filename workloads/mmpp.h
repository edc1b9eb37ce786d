/* mmpp.h — a 2-state Markov-modulated Poisson process for bursty traffic.
 *
 * The process alternates between a quiet and a burst state; it stays in each
 * for an exponential time with the state's mean, and while in a state
 * arrivals are Poisson at the state's rate (Fischer and Meier-Hellstern, "The
 * Markov-modulated Poisson process (MMPP) cookbook", Performance Evaluation
 * 18, 1993). The long-run rate is (rate_q mean_q + rate_b mean_b) /
 * (mean_q + mean_b). The first state is drawn from that stationary split, so
 * a run has no start-up bias. */
#ifndef WL_MMPP_H
#define WL_MMPP_H

#include <stdint.h>

#include "sim/cfg.h"
#include "workloads/dist.h"
#include "workloads/source.h"

/* One state: its arrival rate and how long the process stays in it. */
typedef struct wl_mmpp_state_cfg {
  double rate_per_s;
  double mean_time_s; /* mean sojourn, > 0 */
} wl_mmpp_state_cfg;

extern const cfg_schema wl_mmpp_state_schema;

typedef struct wl_mmpp_cfg {
  wl_mmpp_state_cfg quiet, burst;
} wl_mmpp_cfg;

/* The long-run mean rate (/s). */
double wl_mmpp_mean_rate(const wl_mmpp_cfg *cfg);

/* An MMPP source until horizon_s (> 0), arrivals and state changes from the
 * stream "workload/arrivals" of seed, durations from `duration`
 * ("workload/service") split by cpu_share (DESIGN.md §4). */
int wl_mmpp_open(const wl_mmpp_cfg *cfg, const wl_dist *duration, double cpu_share, double size,
                 double horizon_s, uint64_t seed, wl_source **out, sim_error *err);

#endif

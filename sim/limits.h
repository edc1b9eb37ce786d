/* limits.h — resource budgets of a run: the scenario's `limits:` section.
 *
 *   limits: {memory: 8GiB, wall_time: 1h, requests: 1e9, timeseries_rows: 1e6}
 *
 * A run that exceeds a budget stops with a clear message (and its completed
 * outputs kept, marked incomplete) instead of taking the machine down or
 * running forever. The size budgets (requests, timeseries_rows) have defaults
 * far above any sensible run, so that a typo (`rate: 1e9/s` over a day,
 * `resolution: 1ns`) is an error at validation when the size can be known
 * in advance (scenario.c), and stops the run when it cannot (a trace). The runner calls sim_limits_check every
 * SIM_LIMITS_CHECK_EVERY events (sim_limits_due), which costs one getrusage
 * and one clock read per ~64k events, nothing measurable. Memory is the
 * process's peak resident set (getrusage ru_maxrss), so the budget covers
 * everything the process holds, whatever allocated it; growth between two
 * checks (at most 64k events' worth) may overshoot the budget before it is
 * noticed. */
#ifndef SIM_LIMITS_H
#define SIM_LIMITS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/cfg.h"
#include "sim/error.h"

typedef struct sim_limits {
  double memory_mib;  /* peak resident memory budget (MiB); 0: none */
  double wall_time_s; /* wall-clock budget from sim_limits_start (s); 0: none */
  double requests;    /* requests fed to one platform; 0: none */
  double timeseries_rows; /* rows of one platform's timeseries.csv; 0: none */
  double started_s;   /* CLOCK_MONOTONIC at sim_limits_start; not a scenario key */
} sim_limits;

/* The schema of the `limits` section (memory and wall_time default to 0, no
 * limit; requests to 1e11 and timeseries_rows to 1e7), for the scenario
 * schema to embed as a CFG_MAP. */
extern const cfg_schema sim_limits_schema;

/* How many events may pass between two checks; a power of two. */
#define SIM_LIMITS_CHECK_EVERY 65536u

/* True when `events` (a running count, e.g. sim_fired_count) has reached a
 * multiple of SIM_LIMITS_CHECK_EVERY: the moment to call sim_limits_check. */
static inline bool sim_limits_due(uint64_t events) {
  return (events & (SIM_LIMITS_CHECK_EVERY - 1)) == 0;
}

/* Starts the wall-clock budget now. Call once before the run. */
void sim_limits_start(sim_limits *l);

/* Returns 0 while the run, which has fed `requests` requests so far, is
 * within its budgets. Otherwise SIM_EFAIL with err naming the key, what was
 * used and the budget, e.g. "limits.wall_time: the run took 3612s, over its
 * budget of 1h". A NULL l, or zero budgets, never fail. */
int sim_limits_check(const sim_limits *l, uint64_t requests, sim_error *err);

/* The peak resident memory of this process so far, in MiB (getrusage). */
double sim_limits_peak_rss_mib(void);

/* Seconds since sim_limits_start on the monotonic clock. */
double sim_limits_elapsed_s(const sim_limits *l);

#endif

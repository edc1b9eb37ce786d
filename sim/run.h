/* run.h — runs a loaded scenario: every platform in its own engine, each fed
 * the same request stream, then writes the summary files.
 *
 * Per platform: open the workload source and a recorder (DIR/<platform>/), let
 * the model create its state, run the engine to the horizon with arrivals
 * pulled lazily, then drain (at most scenario.drain_s) while requests are in
 * flight, finish billing and close the files. DIR/summary.json and
 * DIR/summary.csv hold one entry per platform.
 *
 * SIGINT/SIGTERM (sim/signals.h, installed by the caller) and the scenario's
 * resource budgets (sim/limits.h) stop a run early: the platform running is
 * finished at the time it reached, later ones are not run, the summary lists
 * what ran with "complete": false, and run_scenario returns SIM_EFAIL saying
 * why (docs/guarantees.md). */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "output/recorder.h"
#include "sim/scenario.h"

typedef struct run_options {
  const char *out_dir; /* overrides the scenario's output.dir when non-NULL */
  bool progress;       /* print a progress line on stderr */
  bool no_report;      /* skip charts and report.html (sweeps: the sweep has its own) */
} run_options;

/* What one platform's run produced, for the caller's table. */
typedef struct run_result {
  const char *name, *kind;
  out_totals totals;
  double p50_s, p95_s, p99_s;
  double wall_s;        /* wall-clock seconds the run took */
  uint64_t events;      /* engine events fired */
  bool complete;        /* false: stopped early (signal or budget), or not run */
} run_result;

/* Runs sc; fills results[0..sc->n_platforms) when results is non-NULL. Returns a
 * SIM_E* status with err set on failure (outputs of failed runs are removed). */
int run_scenario(const scenario *sc, const run_options *opt, run_result *results,
                 sim_error *err);

/* The output folder a run of sc writes to under opt. */
const char *run_out_dir(const scenario *sc, const run_options *opt);

#endif

/* sweep_report.h — the sweep page (issues #6, #7): DIR/sweep.html from a
 * sweep's results table DIR/sweep.csv (sim/sweep.h, docs/experiments.md).
 *
 * sweep.html is one self-contained file (inline CSS and SVG, no scripts) with
 *   1. cost against p99 latency: one marker series per platform, every row of
 *      sweep.csv a point, and the rows on the Pareto front of (cost, p99)
 *      (pareto_cost_p99 = 1) joined by a step line per platform
 *      (DIR/charts/sweep_cost_p99.svg);
 *   2. the Pareto-front rows as a table: variant, its key values, platform,
 *      cost, p99 latency and error rate, cheapest first;
 *   3. one sensitivity chart per swept key (every column between `variant` and
 *      `platform`): mean p99 (left axis) and mean cost (right axis) against the
 *      key's value, per platform, each mean taken over the rows with that value
 *      (so over the other keys' values); DIR/charts/sweep_key<k>_<key>.svg. A
 *      key whose values are not all numbers gets no chart, and the page says
 *      so.
 * With replications the `<metric>_mean` columns are used. The page depends on
 * sweep.csv alone, so the same table gives the same bytes. */
#ifndef OUT_SWEEP_REPORT_H
#define OUT_SWEEP_REPORT_H

#include "sim/error.h"

/* Reads DIR/sweep.csv and writes DIR/sweep.html and its charts (SVG, under
 * DIR/charts/), each file atomically (output/atomic.h). Returns 0; SIM_EINPUT
 * when sweep.csv is missing or malformed (err names `path:line`: a row with the
 * wrong number of fields, a missing column such as `cost_usd`, a metric that is
 * not a number); SIM_EFAIL when an output cannot be written. */
int out_sweep_report_write(const char *dir, sim_error *err);

#endif

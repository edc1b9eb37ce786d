/* summary.h — the run's headline numbers per platform: summary.json and
 * summary.csv.
 *
 * Both files carry the same fields, in the same order, formatted the same way
 * (one table drives both), so a sweep can merge the CSVs and a report can read
 * the JSON without the two ever disagreeing. Numbers are plain decimals, never
 * exponents, with up to 10 significant digits (counts: all their digits;
 * latency quantiles, which the sketch knows to 1%: 6 digits);
 * a value that does not exist (a latency with no completed request, a rate of
 * nothing) is JSON null and an empty CSV field. Same inputs, same bytes.
 *
 * Per platform, after name and kind:
 *   duration_s, requests (arrivals), completed, errors_429 … errors_504,
 *   errors_total, error_rate (errors_total / requests), unfinished, waited,
 *   queue_wait_mean_s (queued seconds / requests that waited),
 *   latency_mean_s, latency_p50_s, _p90_s, _p95_s, _p99_s, _p999_s, _max_s,
 *   instance_starts, cold_requests, cold_wait_s (total), cold_share (cold_wait_s
 *   / the summed latency of the completed requests: the share of latency spent
 *   waiting for starting instances), instances_mean, instances_max,
 *   instance_seconds, cpu_utilization_mean (busy vCPU-seconds /
 *   allotted vCPU-seconds), cost_usd, cost_per_million_usd (per million
 *   requests that arrived: the workload is the same for every platform, so this
 *   compares them directly), decisions, records_skipped (malformed trace records
 *   skipped under on_error: skip), origin_errors (requests the trace's own
 *   system failed, e.g. ALB -1 fields).
 *
 * summary.json: {"scenario": NAME, "seed": SEED, "complete": BOOL,
 * ["stopped": WHY,] "platforms": [{"name": ..., "kind": ..., "complete": BOOL,
 * <fields>}, ...]}. summary.csv: a header, then one row per platform:
 * scenario, seed, name, kind, complete, <fields>. A run stopped early (signal,
 * resource budget; docs/guarantees.md) has "complete": false at the top, says
 * why in "stopped", lists only the platforms that ran, and marks the one it
 * stopped with "complete": false; its numbers cover the time it reached. */
#ifndef OUT_SUMMARY_H
#define OUT_SUMMARY_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "output/recorder.h"
#include "output/sketch.h"
#include "sim/error.h"

/* One platform's results; everything borrowed. */
typedef struct out_platform_result {
  const char *name, *kind;
  out_totals totals;
  const out_sketch *latency; /* the whole-run latency sketch */
  uint64_t records_skipped;  /* malformed trace records skipped (on_error: skip) */
  uint64_t origin_errors;    /* requests the trace's own system failed (ALB -1) */
  bool incomplete;           /* stopped before its end: totals up to then */
} out_platform_result;

/* Writes DIR/summary.json and DIR/summary.csv (atomically, creating DIR) for
 * the n results r. Returns 0, or SIM_EFAIL with the path in err when a file
 * cannot be written (then neither is left half-written). */
int out_write_summary(const char *dir, const char *scenario_name, uint64_t seed,
                      const out_platform_result *r, size_t n, sim_error *err);

/* The same for a run that may have stopped early: `stopped` says why (e.g.
 * "interrupted by SIGINT (platform web stopped at t=5s)"), NULL when it
 * completed. out_write_summary(...) is out_write_summary_run(..., NULL, err). */
int out_write_summary_run(const char *dir, const char *scenario_name, uint64_t seed,
                          const out_platform_result *r, size_t n, const char *stopped,
                          sim_error *err);

/* v as a plain decimal (never an exponent) with `significant` significant
 * digits, trailing zeros dropped; significant 0 rounds to a whole number. The
 * summary's number format, shared by sweep.csv so that the two agree. Returns
 * false (and an empty buf) when v is not finite. */
bool out_format_decimal(char *buf, size_t len, double v, int significant);

#endif

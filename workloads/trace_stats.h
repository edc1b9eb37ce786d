/* trace_stats.h — `scalesim trace-stats TRACE [--format F]`: what a trace
 * holds, so a user sees what they are about to replay: requests, time span,
 * mean and peak rate per second and per minute, the inter-arrival coefficient
 * of variation, duration percentiles when the trace has durations, and the
 * bad lines (counted, never fatal here) and requests the original system
 * failed. */
#ifndef WL_TRACE_STATS_H
#define WL_TRACE_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "sim/error.h"
#include "workloads/trace.h"

typedef struct wl_trace_summary {
  uint64_t requests;
  double first_s, last_s;    /* first and last time as logged, in the trace's clock
                                (epoch seconds but for the Azure formats); for counts
                                the start of the first and the end of the last interval */
  bool epoch_clock;          /* first_s/last_s are epoch seconds */
  double peak_per_s;         /* most requests in one second (0: not known) */
  double peak_per_min;       /* most in one minute */
  double iat_mean_s, iat_cv; /* inter-arrival times (NaN: not known) */
  uint64_t with_duration;    /* requests that carry a duration */
  double duration_pct[5];    /* p50, p90, p99, p99.9, max (s) when with_duration > 0 */
  uint64_t bad;              /* malformed records */
  char first_bad[1024];      /* the message of the first */
  uint64_t origin_errors, filtered;
  uint64_t intervals;        /* counts formats: rows read */
  double interval_s;         /* counts formats: the interval of a row */
} wl_trace_summary;

/* Reads the whole trace cfg describes (its on_error is taken as skip: bad
 * records are counted) into *out. Counts formats are summed without expanding
 * (their per-second peak and inter-arrival times are then not known, unless
 * the interval is 1 s). Returns SIM_EINPUT / SIM_ESCENARIO with err set when
 * the trace cannot be read at all. */
int wl_trace_summarize(const wl_trace_cfg *cfg, wl_trace_summary *out, sim_error *err);

/* Writes a summary as text, one `key  value` line per statistic. */
void wl_trace_summary_print(const wl_trace_summary *s, const wl_trace_cfg *cfg, FILE *out);

/* The command: summarizes `path` read as `format` (a format name as in
 * workload.trace.format, or NULL to guess it from the file name and first
 * line) and prints the result to out. For csv/tsv the time column is `time`
 * if the header has it, else the first column whose name suggests a time
 * (timestamp, ts, date, period, start), else column 0; a column named
 * duration, latency, elapsed or request_time gives durations (in seconds).
 * Counts files take the gap between their first two rows as the interval, a
 * count series 1 s. Returns SIM_OK, SIM_EUSAGE for an unknown format name,
 * or SIM_EINPUT with err set. */
int wl_trace_stats(const char *path, const char *format, FILE *out, sim_error *err);

#endif

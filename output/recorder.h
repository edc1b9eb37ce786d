/* recorder.h — what a platform model observes, kept exactly and streamed out.
 *
 * One recorder per platform run. Models report through it, never by writing
 * files (DESIGN.md §3):
 *   - counters (arrivals, completions, errors by HTTP code, instance starts, …)
 *     summed per interval and in total;
 *   - gauges (requests in flight and queued, instances by state, vCPUs busy and
 *     allotted, memory) integrated exactly over time: a time-weighted mean per
 *     interval, and mean/max over the run;
 *   - latencies into a per-interval and a whole-run sketch;
 *   - scaling decisions into the decision log;
 *   - cost in USD, as it accrues.
 * Every call carries the simulated time, which never decreases. When time passes
 * an interval boundary the finished row is written to timeseries.csv at once, so
 * memory stays flat however long the run. */
#ifndef OUT_RECORDER_H
#define OUT_RECORDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "output/sketch.h"
#include "sim/error.h"

typedef enum out_counter {
  OUT_ARRIVALS = 0,    /* requests that arrived */
  OUT_COMPLETIONS,     /* requests served successfully */
  OUT_ERR_429,         /* Cloud Run: pending-queue limit expired */
  OUT_ERR_500,         /* request failed in the instance (e.g. killed) */
  OUT_ERR_502,         /* ALB: target closed the connection (SIGKILL mid-request) */
  OUT_ERR_503,         /* no healthy target / queue full / rejected */
  OUT_ERR_504,         /* request or ALB timeout */
  OUT_INSTANCE_STARTS, /* instances launched (cold starts) */
  OUT_INSTANCE_STOPS,  /* instances stopped */
  OUT_WAITED,          /* requests that queued before an instance took them */
  OUT_QUEUE_WAIT_S,    /* total seconds requests spent queued */
  OUT_COLD_REQUESTS,   /* requests that waited for a starting instance */
  OUT_COLD_WAIT_S,     /* total seconds requests waited for starting instances */
  OUT_COST_USD,        /* money accrued */
  OUT_DECISIONS,       /* scaling decisions that changed the desired count */
  OUT_COUNTER_COUNT
} out_counter;

typedef enum out_gauge {
  OUT_IN_FLIGHT = 0,   /* requests in the system (queued or active) */
  OUT_QUEUED,          /* requests waiting for an instance or slot */
  OUT_PROVISIONING,    /* instances by lifecycle state */
  OUT_STARTING,
  OUT_READY,
  OUT_DRAINING,
  OUT_DESIRED,         /* the autoscaler's desired count */
  OUT_CPU_BUSY,        /* vCPUs in use (sum of min(n_cpu, vcpu)) */
  OUT_CPU_ALLOC,       /* vCPUs allotted to instances that exist */
  OUT_MEM_USED_MIB,
  OUT_MEM_ALLOC_MIB,
  OUT_GAUGE_COUNT
} out_gauge;

/* Short snake_case names ("arrivals", "errors_429", "in_flight", ...), static. */
const char *out_counter_name(out_counter c);
const char *out_gauge_name(out_gauge g);

/* Maps an HTTP status to its error counter; returns OUT_ERR_500 for unknown. */
out_counter out_error_counter(int http_status);

/* One entry of the decision log (decisions.csv). Strings are borrowed. */
typedef struct out_decision {
  const char *source;   /* policy or autoscaler name */
  const char *event;    /* "alarm", "scale", "schedule", "evaluation", ... */
  const char *metric;   /* metric name, or "" */
  double value;         /* metric value (NaN when none) */
  double old_desired;   /* desired count before (NaN when n/a) */
  double new_desired;   /* desired count after  (NaN when n/a) */
  const char *status;   /* e.g. "Successful", "Failed", "ALARM" */
  const char *reason;   /* e.g. "AlreadyAtMaxCapacity", free text */
} out_decision;

typedef struct out_recorder out_recorder;

typedef struct out_recorder_cfg {
  double resolution_s;   /* time-series interval (> 0) */
  const char *dir;       /* folder for this platform's files (created) */
  bool timeseries;       /* write timeseries.csv */
  bool decisions;        /* write decisions.csv */
} out_recorder_cfg;

/* Opens the recorder and its files (under temporary names until finish).
 * Intervals are [k res, (k+1) res) from time 0; cfg is copied (dir only used
 * here). dir may be NULL when both files are off (totals only). Returns 0 and
 * *out (owned; free with out_recorder_free), SIM_ESCENARIO for a bad cfg, or
 * SIM_EFAIL when a file cannot be created. */
int out_recorder_open(const out_recorder_cfg *cfg, out_recorder **out, sim_error *err);

/* The observation calls below take the simulated time t_s, which must never
 * decrease from one call to the next, whatever the call (SIM_ASSERT). Each is
 * O(1) amortised, with no allocation; reaching an interval boundary writes the
 * finished row(s). */

/* Adds n to counter c (a count, or seconds/USD for the _S/_USD counters). */
void out_count(out_recorder *rec, double t_s, out_counter c, double n);
/* Changes gauge g by delta, or to value, from t_s on. Gauges start at 0. */
void out_gauge_add(out_recorder *rec, double t_s, out_gauge g, double delta);
void out_gauge_set(out_recorder *rec, double t_s, out_gauge g, double value);
/* The current value of gauge g. */
double out_gauge_value(const out_recorder *rec, out_gauge g);
/* A request finished at t_s after latency_s (>= 0): into the sketch of the
 * interval holding t_s and the run's. Does not count completions. */
void out_latency(out_recorder *rec, double t_s, double latency_s);
/* Counts one error of this HTTP status (out_error_counter). */
void out_error(out_recorder *rec, double t_s, int http_status);
/* Appends d to decisions.csv (text quoted, NaN as an empty field). Only logs:
 * the model counts OUT_DECISIONS itself with out_count. */
void out_decide(out_recorder *rec, double t_s, const out_decision *d);

/* Closes every interval up to end_s (>= the time of every earlier call; the last
 * interval may be partial), completes and renames the files. Events at exactly
 * end_s when end_s is an interval boundary get a final row of zero length
 * (gauges at their values), so the rows always sum to the totals. Called once;
 * no observation may follow. Returns 0 or SIM_EFAIL (write error; the files
 * are then removed). Totals are valid either way. */
int out_recorder_finish(out_recorder *rec, double end_s, sim_error *err);

/* Frees the recorder; if it was not finished its temporary files are removed. */
void out_recorder_free(out_recorder *rec);

/* Whole-run results, valid after finish. Means are over [0, end_s] (NaN for a
 * run of zero length); maxima are over values held for a positive time, so a
 * zero-length blip between two calls at the same instant does not count. */
typedef struct out_totals {
  double duration_s;
  double counters[OUT_COUNTER_COUNT];
  double gauge_mean[OUT_GAUGE_COUNT]; /* time-weighted over the run */
  double gauge_max[OUT_GAUGE_COUNT];
  double instance_seconds;            /* integral of instances that exist */
  double instances_mean, instances_max;
  double unfinished;                  /* requests still in flight at the end */
} out_totals;

/* Copies the totals into *t; only after finish. */
void out_recorder_totals(const out_recorder *rec, out_totals *t);
/* The whole-run latency sketch (borrowed, lives with rec); only after finish. */
const out_sketch *out_recorder_latency(const out_recorder *rec);

#endif

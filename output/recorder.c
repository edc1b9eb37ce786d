/* recorder.c — exact counters and time-integrated gauges per interval, latency
 * sketches, the decision log, and their files (see recorder.h).
 *
 * Time is cut into intervals [k r, (k+1) r) of the resolution r, computed by
 * multiplication so that boundaries never drift. Each gauge is a step function
 * of time: it keeps its value and the time it was last integrated to, and each
 * change adds value x (t - since) to the current interval's integral. When a
 * call's time reaches the next boundary, every gauge is integrated up to the
 * boundary (so an interval's integral is exact however the changes fall), the
 * row is written, and the interval's sums are folded into the run's. A change
 * at exactly a boundary belongs to the interval that starts there.
 *
 * Maxima are taken over values held for a positive time: a model that moves an
 * instance from STARTING to READY in two calls at the same instant (in either
 * order) must not create a momentary peak that never existed.
 *
 * A row's cold_share is its cold_wait_s over the summed latency of the
 * requests that completed in it (the interval's sketch keeps that sum
 * exactly). Models count a cold wait when the request reaches its instance
 * and a latency when it completes, so the two can fall in different rows for
 * a request that straddles a boundary; over many requests, or the whole run,
 * the ratio is the share of latency spent waiting for starting instances. */
#include "output/recorder.h"

#include <csv.h>
#include <math.h>
#include <string.h>

#include "output/atomic.h"

struct out_recorder {
  double res_s;
  int64_t k;          /* index of the current interval */
  double start_s;     /* k * res_s */
  double boundary_s;  /* (k + 1) * res_s: where the current interval ends */
  double t_last_s;    /* time of the latest call (non-decreasing) */
  bool finished;

  double count[OUT_COUNTER_COUNT]; /* this interval */
  double count_run[OUT_COUNTER_COUNT];

  double gauge[OUT_GAUGE_COUNT];       /* current values */
  double gauge_since[OUT_GAUGE_COUNT]; /* integrated up to this time */
  double gauge_int[OUT_GAUGE_COUNT];   /* this interval's integral */
  double gauge_run_int[OUT_GAUGE_COUNT];
  double gauge_max[OUT_GAUGE_COUNT];   /* -inf until a value was held */

  double instances, instances_since, instances_max; /* sum of the four states */

  out_sketch *lat;     /* this interval */
  out_sketch *lat_run; /* every interval closed so far */

  out_file *ts, *dec; /* NULL when turned off, committed or aborted */
  out_totals totals;  /* filled by finish */
};

static const char *const counter_names[OUT_COUNTER_COUNT] = {
    [OUT_ARRIVALS] = "arrivals",
    [OUT_COMPLETIONS] = "completions",
    [OUT_ERR_429] = "errors_429",
    [OUT_ERR_500] = "errors_500",
    [OUT_ERR_502] = "errors_502",
    [OUT_ERR_503] = "errors_503",
    [OUT_ERR_504] = "errors_504",
    [OUT_INSTANCE_STARTS] = "instance_starts",
    [OUT_INSTANCE_STOPS] = "instance_stops",
    [OUT_WAITED] = "waited",
    [OUT_QUEUE_WAIT_S] = "queue_wait_s",
    [OUT_COLD_REQUESTS] = "cold_requests",
    [OUT_COLD_WAIT_S] = "cold_wait_s",
    [OUT_COST_USD] = "cost_usd",
    [OUT_DECISIONS] = "decisions",
};

static const char *const gauge_names[OUT_GAUGE_COUNT] = {
    [OUT_IN_FLIGHT] = "in_flight",     [OUT_QUEUED] = "queued",
    [OUT_PROVISIONING] = "provisioning", [OUT_STARTING] = "starting",
    [OUT_READY] = "ready",             [OUT_DRAINING] = "draining",
    [OUT_DESIRED] = "desired",         [OUT_CPU_BUSY] = "cpu_busy",
    [OUT_CPU_ALLOC] = "cpu_alloc",     [OUT_MEM_USED_MIB] = "mem_used_mib",
    [OUT_MEM_ALLOC_MIB] = "mem_alloc_mib",
};

const char *out_counter_name(out_counter c) {
  SIM_ASSERT((unsigned)c < OUT_COUNTER_COUNT);
  return counter_names[c];
}

const char *out_gauge_name(out_gauge g) {
  SIM_ASSERT((unsigned)g < OUT_GAUGE_COUNT);
  return gauge_names[g];
}

out_counter out_error_counter(int http_status) {
  switch (http_status) {
  case 429: return OUT_ERR_429;
  case 502: return OUT_ERR_502;
  case 503: return OUT_ERR_503;
  case 504: return OUT_ERR_504;
  default: return OUT_ERR_500;
  }
}

/* --- formatting ---------------------------------------------------------- */

/* Times to the microsecond, without trailing zeros ("20", "0.25", "1.000001"):
 * exact for any resolution or event time a scenario can express. */
static void put_time(FILE *fp, double t_s) {
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%.6f", t_s);
  while (n > 0 && buf[n - 1] == '0') n--;
  if (n > 0 && buf[n - 1] == '.') n--;
  fwrite(buf, 1, (size_t)n, fp);
}

/* A number in the given printf format; NaN is written as an empty field, and
 * -0 as 0 so that equal results print equal bytes. */
static void put_num(FILE *fp, const char *fmt, double v) {
  if (isnan(v)) return;
  if (v == 0) v = 0;
  fprintf(fp, fmt, v);
}

#define FMT_COUNT "%.15g" /* counts are integers: print them whole; also sums of seconds */
#define FMT_MONEY "%.10g" /* cumulative cost needs cents on large sums */
#define FMT_REAL "%.6g"   /* means, ratios, latencies */

static void put_text(FILE *fp, const char *s) {
  csv_fwrite(fp, s ? s : "", s ? strlen(s) : 0);
}

static const char timeseries_header[] =
    "t_s,arrivals,completions,errors_429,errors_500,errors_502,errors_503,errors_504,"
    "waited,cold_requests,cold_wait_s,cold_share,instance_starts,instance_stops,in_flight,"
    "queued,provisioning,"
    "starting,ready,draining,desired,instances,cpu_utilization,mem_utilization,"
    "latency_p50_s,latency_p95_s,latency_p99_s,cost_usd,cost_cum_usd\n";

static const char decisions_header[] =
    "t_s,source,event,metric,value,old_desired,new_desired,status,reason\n";

/* The counter columns, in header order; cold_share sits after cold_wait_s. */
static const out_counter row_counters[] = {
    OUT_ARRIVALS, OUT_COMPLETIONS, OUT_ERR_429,       OUT_ERR_500,     OUT_ERR_502,
    OUT_ERR_503,  OUT_ERR_504,     OUT_WAITED,        OUT_COLD_REQUESTS, OUT_COLD_WAIT_S,
};
static const out_counter row_counters_after_share[] = {OUT_INSTANCE_STARTS, OUT_INSTANCE_STOPS};

static const out_gauge row_gauges[] = {
    OUT_IN_FLIGHT, OUT_QUEUED, OUT_PROVISIONING, OUT_STARTING,
    OUT_READY,     OUT_DRAINING, OUT_DESIRED,
};

static const out_gauge instance_gauges[] = {OUT_PROVISIONING, OUT_STARTING, OUT_READY,
                                            OUT_DRAINING};

static double ratio_or_nan(double num, double den) { return den > 0 ? num / den : NAN; }

/* The interval's weight of gauge g: its integral, or for a row of zero length
 * (see out_recorder_finish) its value, which is the limit of the mean. */
static double weight(const out_recorder *rec, out_gauge g, double len_s) {
  return len_s > 0 ? rec->gauge_int[g] : rec->gauge[g];
}

/* Writes the row of the interval [start_s, end_s) whose sums are still open. */
static void write_row(out_recorder *rec, double end_s) {
  FILE *fp = out_file_stream(rec->ts);
  double len_s = end_s - rec->start_s;
  double scale = len_s > 0 ? len_s : 1;
  put_time(fp, rec->start_s);
  for (size_t i = 0; i < sizeof row_counters / sizeof row_counters[0]; i++) {
    fputc(',', fp);
    put_num(fp, FMT_COUNT, rec->count[row_counters[i]]);
  }
  fputc(',', fp);
  put_num(fp, FMT_REAL, ratio_or_nan(rec->count[OUT_COLD_WAIT_S], out_sketch_sum(rec->lat)));
  for (size_t i = 0; i < sizeof row_counters_after_share / sizeof row_counters_after_share[0];
       i++) {
    fputc(',', fp);
    put_num(fp, FMT_COUNT, rec->count[row_counters_after_share[i]]);
  }
  double inst = 0;
  for (size_t i = 0; i < sizeof instance_gauges / sizeof instance_gauges[0]; i++)
    inst += weight(rec, instance_gauges[i], len_s);
  for (size_t i = 0; i < sizeof row_gauges / sizeof row_gauges[0]; i++) {
    fputc(',', fp);
    put_num(fp, FMT_REAL, weight(rec, row_gauges[i], len_s) / scale);
  }
  fputc(',', fp);
  put_num(fp, FMT_REAL, inst / scale);
  fputc(',', fp);
  put_num(fp, FMT_REAL,
          ratio_or_nan(weight(rec, OUT_CPU_BUSY, len_s), weight(rec, OUT_CPU_ALLOC, len_s)));
  fputc(',', fp);
  put_num(fp, FMT_REAL, ratio_or_nan(weight(rec, OUT_MEM_USED_MIB, len_s),
                                     weight(rec, OUT_MEM_ALLOC_MIB, len_s)));
  static const double qs[] = {0.5, 0.95, 0.99};
  for (size_t i = 0; i < 3; i++) {
    fputc(',', fp);
    put_num(fp, FMT_REAL, out_sketch_quantile(rec->lat, qs[i]));
  }
  fputc(',', fp);
  put_num(fp, FMT_MONEY, rec->count[OUT_COST_USD]);
  fputc(',', fp);
  put_num(fp, FMT_MONEY, rec->count_run[OUT_COST_USD] + rec->count[OUT_COST_USD]);
  fputc('\n', fp);
}

/* --- integration --------------------------------------------------------- */

/* Integrates gauge g's current value up to t_s. */
static inline void hold_gauge(out_recorder *rec, out_gauge g, double t_s) {
  double dt = t_s - rec->gauge_since[g];
  if (dt > 0) {
    rec->gauge_int[g] += rec->gauge[g] * dt;
    if (rec->gauge[g] > rec->gauge_max[g]) rec->gauge_max[g] = rec->gauge[g];
    rec->gauge_since[g] = t_s;
  }
}

static inline void hold_instances(out_recorder *rec, double t_s) {
  if (t_s > rec->instances_since) {
    if (rec->instances > rec->instances_max) rec->instances_max = rec->instances;
    rec->instances_since = t_s;
  }
}

/* Closes the current interval at end_s (its boundary, or the run's end). */
static void close_interval(out_recorder *rec, double end_s) {
  for (int g = 0; g < OUT_GAUGE_COUNT; g++) hold_gauge(rec, (out_gauge)g, end_s);
  hold_instances(rec, end_s);
  if (rec->ts) write_row(rec, end_s);
  for (int c = 0; c < OUT_COUNTER_COUNT; c++) {
    rec->count_run[c] += rec->count[c];
    rec->count[c] = 0;
  }
  for (int g = 0; g < OUT_GAUGE_COUNT; g++) {
    rec->gauge_run_int[g] += rec->gauge_int[g];
    rec->gauge_int[g] = 0;
  }
  out_sketch_merge(rec->lat_run, rec->lat);
  out_sketch_reset(rec->lat);
  rec->k++;
  rec->start_s = end_s;
  rec->boundary_s = (double)(rec->k + 1) * rec->res_s;
}

static void advance(out_recorder *rec, double t_s) {
  while (t_s >= rec->boundary_s) close_interval(rec, rec->boundary_s);
}

/* Every call passes through here: time never goes back, and reaching a
 * boundary closes the intervals before it. */
static inline void observe(out_recorder *rec, double t_s) {
  SIM_ASSERT(!rec->finished);
  SIM_ASSERT(t_s >= rec->t_last_s); /* also rejects NaN */
  rec->t_last_s = t_s;
  if (t_s >= rec->boundary_s) advance(rec, t_s);
}

/* --- the API ------------------------------------------------------------- */

static int open_file(const out_recorder_cfg *cfg, const char *name, const char *header,
                     out_file **out, sim_error *err) {
  size_t len = strlen(cfg->dir) + 1 + strlen(name) + 1;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/%s", cfg->dir, name);
  *out = out_file_open(path, err);
  free(path);
  if (!*out) return err ? err->status : SIM_EFAIL;
  fputs(header, out_file_stream(*out));
  return SIM_OK;
}

int out_recorder_open(const out_recorder_cfg *cfg, out_recorder **out, sim_error *err) {
  *out = NULL;
  if (!(cfg->resolution_s > 0) || isinf(cfg->resolution_s))
    return sim_errorf(err, SIM_ESCENARIO, "output.resolution: expected a positive duration, got %g s",
                      cfg->resolution_s);
  if ((cfg->timeseries || cfg->decisions) && !cfg->dir)
    return sim_errorf(err, SIM_ESCENARIO, "output.dir: a folder is needed to write files");
  out_recorder *rec = sim_xcalloc(1, sizeof *rec);
  rec->res_s = cfg->resolution_s;
  rec->boundary_s = cfg->resolution_s;
  for (int g = 0; g < OUT_GAUGE_COUNT; g++) rec->gauge_max[g] = -INFINITY;
  rec->instances_max = -INFINITY;
  rec->lat = out_sketch_alloc();
  rec->lat_run = out_sketch_alloc();
  if (cfg->dir && out_mkdirs(cfg->dir, err) != SIM_OK) goto fail;
  if (cfg->timeseries && open_file(cfg, "timeseries.csv", timeseries_header, &rec->ts, err))
    goto fail;
  if (cfg->decisions && open_file(cfg, "decisions.csv", decisions_header, &rec->dec, err))
    goto fail;
  *out = rec;
  return SIM_OK;
fail:
  out_recorder_free(rec);
  return err ? err->status : SIM_EFAIL;
}

void out_count(out_recorder *rec, double t_s, out_counter c, double n) {
  SIM_ASSERT((unsigned)c < OUT_COUNTER_COUNT);
  observe(rec, t_s);
  rec->count[c] += n;
}

static bool is_instance_gauge(out_gauge g) {
  return g == OUT_PROVISIONING || g == OUT_STARTING || g == OUT_READY || g == OUT_DRAINING;
}

void out_gauge_set(out_recorder *rec, double t_s, out_gauge g, double value) {
  SIM_ASSERT((unsigned)g < OUT_GAUGE_COUNT);
  observe(rec, t_s);
  hold_gauge(rec, g, t_s);
  rec->gauge[g] = value;
  if (is_instance_gauge(g)) {
    hold_instances(rec, t_s);
    /* Re-summed rather than updated by deltas, so it never drifts from the parts. */
    rec->instances = rec->gauge[OUT_PROVISIONING] + rec->gauge[OUT_STARTING] +
                     rec->gauge[OUT_READY] + rec->gauge[OUT_DRAINING];
  }
}

void out_gauge_add(out_recorder *rec, double t_s, out_gauge g, double delta) {
  SIM_ASSERT((unsigned)g < OUT_GAUGE_COUNT);
  out_gauge_set(rec, t_s, g, rec->gauge[g] + delta);
}

double out_gauge_value(const out_recorder *rec, out_gauge g) {
  SIM_ASSERT((unsigned)g < OUT_GAUGE_COUNT);
  return rec->gauge[g];
}

void out_latency(out_recorder *rec, double t_s, double latency_s) {
  observe(rec, t_s);
  out_sketch_add(rec->lat, latency_s);
}

void out_error(out_recorder *rec, double t_s, int http_status) {
  out_count(rec, t_s, out_error_counter(http_status), 1);
}

void out_decide(out_recorder *rec, double t_s, const out_decision *d) {
  observe(rec, t_s);
  if (!rec->dec) return;
  FILE *fp = out_file_stream(rec->dec);
  put_time(fp, t_s);
  fputc(',', fp);
  put_text(fp, d->source);
  fputc(',', fp);
  put_text(fp, d->event);
  fputc(',', fp);
  put_text(fp, d->metric);
  fputc(',', fp);
  put_num(fp, FMT_REAL, d->value);
  fputc(',', fp);
  put_num(fp, FMT_COUNT, d->old_desired);
  fputc(',', fp);
  put_num(fp, FMT_COUNT, d->new_desired);
  fputc(',', fp);
  put_text(fp, d->status);
  fputc(',', fp);
  put_text(fp, d->reason);
  fputc('\n', fp);
}

static void fill_totals(out_recorder *rec, double end_s) {
  out_totals *t = &rec->totals;
  t->duration_s = end_s;
  memcpy(t->counters, rec->count_run, sizeof t->counters);
  for (int g = 0; g < OUT_GAUGE_COUNT; g++) {
    t->gauge_mean[g] = ratio_or_nan(rec->gauge_run_int[g], end_s);
    /* A run of zero length held no value for any time: report the value. */
    t->gauge_max[g] = isinf(rec->gauge_max[g]) ? rec->gauge[g] : rec->gauge_max[g];
  }
  t->instance_seconds = 0;
  for (size_t i = 0; i < sizeof instance_gauges / sizeof instance_gauges[0]; i++)
    t->instance_seconds += rec->gauge_run_int[instance_gauges[i]];
  t->instances_mean = ratio_or_nan(t->instance_seconds, end_s);
  t->instances_max = isinf(rec->instances_max) ? rec->instances : rec->instances_max;
  t->unfinished = rec->gauge[OUT_IN_FLIGHT];
}

/* Commits *f (if open); on failure the other files are the caller's to abort. */
static int commit(out_file **f, sim_error *err) {
  if (!*f) return SIM_OK;
  int rc = out_file_commit(*f, err);
  *f = NULL;
  return rc;
}

/* Whether anything was counted in the open interval. */
static bool interval_has_events(const out_recorder *rec) {
  for (int c = 0; c < OUT_COUNTER_COUNT; c++)
    if (rec->count[c] != 0) return true;
  return out_sketch_count(rec->lat) > 0;
}

int out_recorder_finish(out_recorder *rec, double end_s, sim_error *err) {
  observe(rec, end_s);
  /* The last interval ends at end_s, possibly early. When end_s falls exactly on
   * a boundary, events at end_s itself already opened the next interval; they
   * get a row of zero length (gauges at their values) rather than vanishing, so
   * the rows always sum to the totals. */
  if (end_s > rec->start_s || interval_has_events(rec)) close_interval(rec, end_s);
  rec->finished = true;
  fill_totals(rec, end_s);
  int rc = commit(&rec->ts, err);
  if (rc == SIM_OK) rc = commit(&rec->dec, err);
  out_file_abort(rec->dec);
  rec->dec = NULL;
  return rc;
}

void out_recorder_free(out_recorder *rec) {
  if (!rec) return;
  out_file_abort(rec->ts);
  out_file_abort(rec->dec);
  out_sketch_free(rec->lat);
  out_sketch_free(rec->lat_run);
  free(rec);
}

void out_recorder_totals(const out_recorder *rec, out_totals *t) {
  SIM_ASSERT(rec->finished);
  *t = rec->totals;
}

const out_sketch *out_recorder_latency(const out_recorder *rec) {
  SIM_ASSERT(rec->finished);
  return rec->lat_run;
}

/* trace_counts.c — traces that give request counts per interval instead of
 * requests (specs/trace-formats.md §3.1.3):
 *
 *   counts        CSV rows `time,count` (the World Cup 98 per-minute file:
 *                 `period,count`, GMT, minutes with no requests omitted);
 *   count_series  whitespace-separated counts of consecutive intervals from
 *                 `series_start` (the NASA per-second file: one line of
 *                 integers, one per second).
 *
 * Each count is expanded into arrivals inside its interval as `spread` says
 * (interval.h), lazily: a count of 229,426 costs no memory. Rows must be in
 * time order and may not overlap (a count file is an aggregate, not a log). */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "workloads/csvrows.h"
#include "workloads/interval.h"
#include "workloads/linebuf.h"
#include "workloads/trace_csv.h"
#include "workloads/tstamp.h"

struct wl_parser {
  wl_parse_env *env;
  wl_csv *csv;         /* counts */
  wl_linebuf *lb;      /* count_series */
  size_t col_time, col_count;
  double interval_s;
  double series_start_s; /* count_series */
  uint64_t slot;         /* count_series: index of the next count */
  double prev_end_s;     /* counts: end of the previous row's interval */
  long prev_line;
  double skip_before_s;
  wl_interval iv;
  bool in_interval;
  long iv_line;
};

/* A count: an integer >= 0 that a double holds exactly. */
static bool parse_count(const char *s, size_t len, uint64_t *n) {
  double v;
  if (!wl_parse_decimal(s, len, &v, NULL) || v < 0 || v != floor(v) || v > 9007199254740992.0)
    return false;
  *n = (uint64_t)v;
  return true;
}

/* The next (interval start, count) row of a counts CSV: 1, 0, or negative. */
static int next_csv_row(wl_parser *p, double *t0, uint64_t *n, sim_error *err) {
  for (;;) {
    int rc = wl_csv_next(p->csv, err);
    if (rc <= 0) return rc;
    const char *path = wl_csv_path(p->csv);
    long ln = wl_csv_line(p->csv);
    size_t tl, cl;
    const char *ts = wl_csv_field(p->csv, p->col_time, &tl);
    const char *cs = wl_csv_field(p->csv, p->col_count, &cl);
    double res;
    if (!ts || !cs)
      wl_rec_fail(err, "%s:%ld: %s: missing (the row has %zu field%s)", path, ln,
                  wl_csv_colname(p->csv, ts ? p->col_count : p->col_time), wl_csv_nfields(p->csv),
               wl_csv_nfields(p->csv) == 1 ? "" : "s");
    else if (!wl_csv_parse_time(ts, tl, p->env->cfg->time_format, t0, &res))
      wl_rec_fail(err, "%s:%ld: %s: expected epoch seconds or an ISO 8601 time, got '%.60s'",
                  path, ln, wl_csv_colname(p->csv, p->col_time), ts);
    else if (!parse_count(cs, cl, n))
      wl_rec_fail(err, "%s:%ld: %s: expected a count (an integer >= 0), got '%.60s'", path, ln,
                  wl_csv_colname(p->csv, p->col_count), cs);
    else if (*t0 < p->prev_end_s - 1e-9)
      wl_rec_fail(err, "%s:%ld: %s: interval starts before the one of line %ld ends (rows must "
                  "be in time order, one interval each)",
                  path, ln, wl_csv_colname(p->csv, p->col_time), p->prev_line);
    else {
      p->prev_end_s = *t0 + p->interval_s;
      p->prev_line = ln;
      return 1;
    }
    rc = wl_parse_bad_record(p->env, err);
    if (rc) return rc;
  }
}

/* The next count of a count series: 1, 0, or negative. */
static int next_series_count(wl_parser *p, double *t0, uint64_t *n, sim_error *err) {
  for (;;) {
    char *tok = NULL;
    size_t len = 0;
    int rc = wl_linebuf_next_token(p->lb, &tok, &len, err);
    if (rc < 0) return rc;
    if (rc == 0) return 0;
    uint64_t slot = p->slot++;
    *t0 = p->series_start_s + (double)slot * p->interval_s;
    if (parse_count(tok, len, n)) return 1;
    wl_rec_fail(err, "%s:%ld: slot %llu: expected a count (an integer >= 0), got '%.60s'",
                wl_linebuf_path(p->lb), wl_linebuf_lineno(p->lb), (unsigned long long)slot, tok);
    rc = wl_parse_bad_record(p->env, err);
    if (rc) return rc;
  }
}

static int read_counts(wl_parser *p, wl_rec *out, sim_error *err) {
  for (;;) {
    double t;
    if (p->in_interval && wl_interval_next(&p->iv, p->env->spread_rng, &t)) {
      *out = (wl_rec){t, p->iv.t0_s, NAN, NAN, 0, 0, p->iv_line};
      return 1;
    }
    p->in_interval = false;
    double t0;
    uint64_t n;
    int rc = p->csv ? next_csv_row(p, &t0, &n, err) : next_series_count(p, &t0, &n, err);
    if (rc <= 0) return rc;
    if (n == 0 || t0 + p->interval_s <= p->skip_before_s) continue;
    if (p->env->count_keep > 0 && p->env->count_keep < 1) n = gsl_ran_binomial(p->env->thin_rng, p->env->count_keep, (unsigned)n);
    if (n == 0) continue;
    wl_interval_start(&p->iv, p->env->cfg->spread, t0, p->interval_s, n);
    wl_interval_skip_before(&p->iv, p->env->spread_rng, p->skip_before_s);
    p->in_interval = true;
    p->iv_line = p->csv ? wl_csv_line(p->csv) : wl_linebuf_lineno(p->lb);
  }
}

static void skip_counts(wl_parser *p, double t_s) {
  p->skip_before_s = t_s;
  /* The interval being expanded may straddle t_s (the first record, read to
   * fix the origin, started it). */
  if (p->in_interval) wl_interval_skip_before(&p->iv, p->env->spread_rng, t_s);
}

static void free_counts(wl_parser *p) {
  if (!p) return;
  wl_csv_free(p->csv);
  wl_linebuf_free(p->lb);
  free(p);
}

static wl_parser *alloc_counts(wl_parse_env *env) {
  wl_parser *p = sim_xcalloc(1, sizeof *p);
  p->env = env;
  p->interval_s = env->cfg->interval_s;
  p->prev_end_s = -INFINITY;
  p->skip_before_s = -INFINITY;
  return p;
}

static int open_counts(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  *out = NULL;
  int rc = wl_filter_check(env->filter, "counts", false, false, false, false, err);
  if (rc) return rc;
  wl_parser *p = alloc_counts(env);
  const wl_trace_cfg *c = env->cfg;
  char delim = c->delimiter && *c->delimiter ? c->delimiter[0] : ',';
  rc = wl_csv_open(path, delim, c->header, &p->csv, err);
  if (rc == 0) rc = wl_csv_column(p->csv, c->time_column, &p->col_time, err);
  if (rc == 0) rc = wl_csv_column(p->csv, c->count_column, &p->col_count, err);
  if (rc) {
    free_counts(p);
    return rc;
  }
  *out = p;
  return SIM_OK;
}

static int open_series(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  *out = NULL;
  int rc = wl_filter_check(env->filter, "count_series", false, false, false, false, err);
  if (rc) return rc;
  const char *start = env->cfg->series_start ? env->cfg->series_start : "0";
  double t0, res;
  if (!wl_csv_parse_time(start, strlen(start), WL_TIME_AUTO, &t0, &res))
    return sim_errorf(err, SIM_ESCENARIO,
                      "workload.trace.series_start: expected epoch seconds or an ISO 8601 time, "
                      "got '%s'",
                      start);
  wl_parser *p = alloc_counts(env);
  p->series_start_s = t0;
  rc = wl_linebuf_open(path, 0, &p->lb, err);
  if (rc) {
    free_counts(p);
    return rc;
  }
  *out = p;
  return SIM_OK;
}

const wl_format wl_format_counts = {"counts", true, open_counts, read_counts, skip_counts,
                                    free_counts};
const wl_format wl_format_count_series = {"count_series", true, open_series, read_counts,
                                          skip_counts, free_counts};

/* --- totals without expanding --------------------------------------------------- */

int wl_counts_summarize(const wl_trace_cfg *cfg, wl_counts_summary *out, sim_error *err) {
  memset(out, 0, sizeof *out);
  out->first_s = INFINITY;
  out->last_s = -INFINITY;
  wl_trace_counts counts = {0};
  wl_parse_env env = {.cfg = cfg, .counts = &counts};
  const wl_format *fmt = wl_format_get(cfg->format);
  SIM_ASSERT(fmt->sorted && fmt->skip_before == skip_counts);
  wl_parser *p;
  int rc = fmt->open(cfg->path, &env, &p, err);
  if (rc) return rc;
  /* Per-minute sums when whole intervals fit in a minute. */
  bool minutes = cfg->interval_s <= 60 && fmod(60, cfg->interval_s) == 0;
  double minute = NAN;
  uint64_t in_minute = 0;
  for (;;) {
    double t0;
    uint64_t n;
    rc = p->csv ? next_csv_row(p, &t0, &n, err) : next_series_count(p, &t0, &n, err);
    if (rc <= 0) break;
    out->rows++;
    out->total += n;
    if (n > out->peak) out->peak = n;
    out->first_s = fmin(out->first_s, t0);
    out->last_s = fmax(out->last_s, t0);
    if (!minutes) continue;
    double m = floor((t0 - out->first_s) / 60);
    if (m != minute) in_minute = 0;
    minute = m;
    in_minute += n;
    if (in_minute > out->peak_per_min) out->peak_per_min = in_minute;
  }
  out->skipped = counts.skipped;
  free_counts(p);
  return rc < 0 ? -rc : SIM_OK;
}

/* trace_csv.c — the csv and tsv trace formats: one row per request, columns
 * chosen by header name or 0-based index; arrival time as epoch seconds,
 * milliseconds or microseconds, or ISO 8601 / RFC 3339; optional duration, CPU
 * time, size, status, URL and function columns. The time may mark the request's
 * start or its end (then arrival = end - duration). */
#include "workloads/trace_csv.h"

#include <math.h>
#include <string.h>

#include "workloads/csvrows.h"
#include "workloads/tstamp.h"

enum { R_TIME, R_DURATION, R_CPU, R_SIZE, R_STATUS, R_URL, R_FUNCTION, R_APP, R_N };

struct wl_parser {
  wl_parse_env *env;
  wl_csv *csv;
  size_t col[R_N];
  bool has[R_N];
  int time_format, time_marks;
  double unit_s; /* seconds per unit of the duration and cpu columns */
  char expected_amount[40]; /* "expected a number >= 0 (ms)", for messages */
};

static const double unit_seconds[] = {1.0, 1e-3, 1e-6};
static const char *const unit_label[] = {"s", "ms", "us"};

int wl_filter_check(const wl_filter_cfg *f, const char *format, bool has_url, bool has_status,
                    bool has_function, bool has_trigger, sim_error *err) {
  if (!f) return SIM_OK;
  const char *key = NULL;
  if (f->url_prefix && *f->url_prefix && !has_url) key = "url_prefix";
  else if (f->status.n && !has_status) key = "status";
  else if (f->function && *f->function && !has_function) key = "function";
  else if (f->trigger && *f->trigger && !has_trigger) key = "trigger";
  if (!key) return SIM_OK;
  return sim_errorf(err, SIM_ESCENARIO,
                    "workload.filter.%s: a %s trace has no such field%s", key, format,
                    strcmp(format, "csv") == 0 || strcmp(format, "tsv") == 0
                        ? " (name its column in workload.trace)"
                        : "");
}

bool wl_csv_parse_time(const char *s, size_t len, int time_format, double *t_s, double *res_s) {
  static const double scale[] = {1, 1, 1e-3, 1e-6, 1};
  if (time_format == WL_TIME_ISO8601) return wl_parse_iso8601(s, len, t_s, res_s);
  if (wl_parse_decimal(s, len, t_s, res_s)) {
    *t_s *= scale[time_format];
    *res_s *= scale[time_format];
    return fabs(*t_s) <= WL_MAX_EPOCH_S;
  }
  return time_format == WL_TIME_AUTO && wl_parse_iso8601(s, len, t_s, res_s);
}

static const char *time_expected(int time_format) {
  switch (time_format) {
    case WL_TIME_S: return "epoch seconds";
    case WL_TIME_MS: return "epoch milliseconds";
    case WL_TIME_US: return "epoch microseconds";
    case WL_TIME_ISO8601: return "an ISO 8601 time";
    default: return "epoch seconds or an ISO 8601 time";
  }
}

/* --- reading one row ---------------------------------------------------------- */

typedef struct row_ctx {
  wl_parser *p;
  sim_error *err;
} row_ctx;

/* Sets err for field r of the current row ("what" is what was expected) and
 * returns -1. */
static int field_error(row_ctx *x, int r, const char *what, const char *text) {
  sim_errorf(x->err, SIM_EINPUT, "%s:%ld: %s: %s, got '%.60s'", wl_csv_path(x->p->csv),
             wl_csv_line(x->p->csv), wl_csv_colname(x->p->csv, x->p->col[r]), what, text);
  return -1;
}

/* Field r of the row, or NULL with err set when the row is too short. */
static const char *get(row_ctx *x, int r, size_t *len) {
  const char *s = wl_csv_field(x->p->csv, x->p->col[r], len);
  if (!s)
    sim_errorf(x->err, SIM_EINPUT, "%s:%ld: %s: missing (the row has %zu field%s)",
               wl_csv_path(x->p->csv), wl_csv_line(x->p->csv),
               wl_csv_colname(x->p->csv, x->p->col[r]), wl_csv_nfields(x->p->csv),
               wl_csv_nfields(x->p->csv) == 1 ? "" : "s");
  return s;
}

/* "" and "-" mean "not recorded" in the optional columns. */
static bool absent(const char *s, size_t len) { return len == 0 || (len == 1 && s[0] == '-'); }

/* An optional non-negative number of column r, scaled; NAN when absent. */
static int get_amount(row_ctx *x, int r, double scale, const char *expected, double *out) {
  *out = NAN;
  if (!x->p->has[r]) return 0;
  size_t len;
  const char *s = get(x, r, &len);
  if (!s) return -1;
  if (absent(s, len)) return 0;
  double v;
  if (!wl_parse_decimal(s, len, &v, NULL) || v < 0) return field_error(x, r, expected, s);
  *out = v * scale;
  return 0;
}

static int get_status(row_ctx *x, int *status) {
  *status = 0;
  if (!x->p->has[R_STATUS]) return 0;
  size_t len;
  const char *s = get(x, R_STATUS, &len);
  if (!s) return -1;
  if (absent(s, len)) return 0;
  double v;
  if (!wl_parse_decimal(s, len, &v, NULL) || v != floor(v) || v < 0 || v > 999)
    return field_error(x, R_STATUS, "expected a status code", s);
  *status = (int)v;
  return 0;
}

/* The id fields pass filter.function if either matches. */
static bool ids_pass(row_ctx *x) {
  const wl_filter_cfg *f = x->p->env->filter;
  if (!f || !f->function || !*f->function) return true;
  for (int r = R_FUNCTION; r <= R_APP; r++) {
    size_t len;
    const char *s = x->p->has[r] ? wl_csv_field(x->p->csv, x->p->col[r], &len) : NULL;
    if (s && wl_id_listed(f->function, s, len)) return true;
  }
  return false;
}

/* Parses the current row: 1 a record, 0 filtered out, -1 malformed (err set). */
static int parse_row(wl_parser *p, wl_rec *out, sim_error *err) {
  row_ctx x = {p, err};
  size_t len;
  const char *ts = get(&x, R_TIME, &len);
  if (!ts) return -1;
  double t, res;
  if (!wl_csv_parse_time(ts, len, p->time_format, &t, &res)) {
    char what[64];
    snprintf(what, sizeof what, "expected %s", time_expected(p->time_format));
    return field_error(&x, R_TIME, what, ts);
  }
  double dur, cpu, size;
  int status;
  if (get_amount(&x, R_DURATION, p->unit_s, p->expected_amount, &dur) ||
      get_amount(&x, R_CPU, p->unit_s, p->expected_amount, &cpu) ||
      get_amount(&x, R_SIZE, 1.0, "expected a number >= 0", &size) || get_status(&x, &status))
    return -1;
  if (p->time_marks == WL_MARKS_END) {
    if (isnan(dur)) {
      sim_errorf(err, SIM_EINPUT, "%s:%ld: %s: missing (the time marks the end)",
                 wl_csv_path(p->csv), wl_csv_line(p->csv),
                 wl_csv_colname(p->csv, p->col[R_DURATION]));
      return -1;
    }
    t -= dur;
  }
  const char *url = p->has[R_URL] ? wl_csv_field(p->csv, p->col[R_URL], NULL) : NULL;
  if (!wl_filter_accepts(p->env->filter, url, status, NULL) || !ids_pass(&x)) {
    p->env->counts->filtered++;
    return 0;
  }
  *out = (wl_rec){wl_spread_in(p->env, t, res), t, dur, cpu, isnan(size) ? 0 : size, status,
                  wl_csv_line(p->csv)};
  return 1;
}

int wl_csv_requests_read(wl_parser *p, wl_rec *out, sim_error *err) {
  for (;;) {
    int rc = wl_csv_next(p->csv, err);
    if (rc <= 0) return rc;
    rc = parse_row(p, out, err);
    if (rc >= 0) {
      if (rc == 1) return 1;
      continue;
    }
    rc = wl_parse_bad_record(p->env, err);
    if (rc) return rc;
  }
}

/* --- opening -------------------------------------------------------------------- */

static int resolve_columns(wl_parser *p, const wl_csv_spec *spec, sim_error *err) {
  const char *names[R_N] = {spec->time, spec->duration, spec->cpu,      spec->size,
                            spec->status, spec->url,    spec->function, spec->app};
  for (int r = 0; r < R_N; r++) {
    p->has[r] = names[r] && *names[r];
    if (!p->has[r]) continue;
    int rc = wl_csv_column(p->csv, names[r], &p->col[r], err);
    if (rc) return rc;
  }
  if (!p->has[R_TIME])
    return sim_errorf(err, SIM_ESCENARIO, "workload.trace.time_column: required for csv traces");
  return SIM_OK;
}

int wl_csv_requests_open(const char *path, const wl_csv_spec *spec, wl_parse_env *env,
                         wl_parser **out, sim_error *err) {
  *out = NULL;
  bool has_ids = (spec->function && *spec->function) || (spec->app && *spec->app);
  int rc = wl_filter_check(env->filter, spec->format, spec->url && *spec->url,
                           spec->status && *spec->status, has_ids, false, err);
  if (rc) return rc;
  wl_parser *p = sim_xcalloc(1, sizeof *p);
  p->env = env;
  p->time_format = spec->time_format;
  p->time_marks = spec->time_marks;
  p->unit_s = unit_seconds[spec->unit];
  snprintf(p->expected_amount, sizeof p->expected_amount, "expected a number >= 0 (%s)",
           unit_label[spec->unit]);
  rc = wl_csv_open(path, spec->delim, spec->header, &p->csv, err);
  if (rc == 0) rc = resolve_columns(p, spec, err);
  if (rc) {
    wl_csv_requests_free(p);
    return rc;
  }
  *out = p;
  return SIM_OK;
}

void wl_csv_requests_free(wl_parser *p) {
  if (!p) return;
  wl_csv_free(p->csv);
  free(p);
}

/* --- the csv and tsv formats --------------------------------------------------- */

static int open_delimited(const char *path, wl_parse_env *env, char default_delim,
                          wl_parser **out, sim_error *err) {
  const wl_trace_cfg *c = env->cfg;
  wl_csv_spec spec = {
      .format = default_delim == ',' ? "csv" : "tsv",
      .delim = c->delimiter && *c->delimiter ? c->delimiter[0] : default_delim,
      .header = c->header,
      .time = c->time_column,
      .duration = c->duration_column,
      .cpu = c->cpu_column,
      .size = c->size_column,
      .status = c->status_column,
      .url = c->url_column,
      .function = c->function_column,
      .time_format = c->time_format,
      .time_marks = c->time_marks,
      .unit = c->duration_unit,
  };
  return wl_csv_requests_open(path, &spec, env, out, err);
}

static int open_csv(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  return open_delimited(path, env, ',', out, err);
}

static int open_tsv(const char *path, wl_parse_env *env, wl_parser **out, sim_error *err) {
  return open_delimited(path, env, '\t', out, err);
}

const wl_format wl_format_csv = {"csv", false, open_csv, wl_csv_requests_read, NULL,
                                 wl_csv_requests_free};
const wl_format wl_format_tsv = {"tsv", false, open_tsv, wl_csv_requests_read, NULL,
                                 wl_csv_requests_free};

/* trace.c — the `workload.trace` schema and the trace replay source: merged
 * records → origin → window → speedup → rate_scale → requests (see trace.h). */
#include "workloads/trace.h"

#include <gsl/gsl_randist.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "sim/rng.h"
#include "workloads/trace_csv.h"
#include "workloads/transform.h"

/* --- schema ------------------------------------------------------------------- */

static const char *const format_names[] = {"csv",       "tsv",       "clf",    "alb",
                                           "azure2019", "azure2021", "counts", "count_series",
                                           NULL};
static const char *const on_error_names[] = {"fail", "skip", NULL};
static const char *const spread_names[] = {"uniform", "poisson", "equidistant", "none", NULL};
static const char *const time_format_names[] = {"auto", "s", "ms", "us", "iso8601", NULL};
static const char *const marks_names[] = {"start", "end", NULL};
static const char *const unit_names[] = {"s", "ms", "us", NULL};
static const char *const origin_error_names[] = {"replay", "drop", NULL};

#define STR(k, member, def_, doc_)                                                  \
  {.key = k, .type = CFG_STRING, .offset = offsetof(wl_trace_cfg, member), .def = def_, \
   .doc = doc_}
#define ENUM(k, member, def_, names, doc_)                                       \
  {.key = k, .type = CFG_ENUM, .offset = offsetof(wl_trace_cfg, member), .def = def_, \
   .choices = names, .doc = doc_}
/* A file path: relative ones are resolved against the scenario's folder. */
#define PATHF(k, member, doc_) \
  {.key = k, .type = CFG_PATH, .offset = offsetof(wl_trace_cfg, member), .doc = doc_}

static const cfg_field trace_fields[] = {
    /* path and format are required when `trace` is given; trace_check demands
     * them (a CFG_REQUIRED key would make the whole section required). */
    {.key = "path", .type = CFG_PATH, .offset = offsetof(wl_trace_cfg, path),
     .doc = "(required) the trace file (plain or gzip), or a glob of several merged in time "
            "order"},
    {.key = "format", .type = CFG_ENUM, .offset = offsetof(wl_trace_cfg, format),
     .choices = format_names,
     .doc = "(required) the trace's format (docs/workloads.md shows an example line of each)"},
    ENUM("on_error", on_error, "fail", on_error_names,
         "a malformed record: fail (exit 4, naming file:line and field) or skip (counted and "
         "reported)"),
    {.key = "reorder_window", .type = CFG_DURATION,
     .offset = offsetof(wl_trace_cfg, reorder_window_s), .def = "60s", .min = 0, .max = 1e9,
     .doc = "records may be out of time order by this much within a file; more is an error"},
    ENUM("spread", spread, "uniform", spread_names,
         "placing requests within a timestamp's resolution (uniform|none) or a count's "
         "interval (uniform|poisson|equidistant|none)"),
    {.key = "header", .type = CFG_BOOL, .offset = offsetof(wl_trace_cfg, header),
     .def = "true", .doc = "csv/tsv/counts: the first row names the columns"},
    STR("delimiter", delimiter, NULL,
        "csv/tsv/counts: the field separator (default: a comma; tab for tsv)"),
    STR("time_column", time_column, "time",
        "csv/tsv/counts: the arrival-time column, by header name or 0-based index"),
    ENUM("time_format", time_format, "auto", time_format_names,
         "csv/tsv/counts: epoch seconds (s), milliseconds (ms), microseconds (us), iso8601, "
         "or auto (numbers are s, text ISO 8601)"),
    ENUM("time_marks", time_marks, "start", marks_names,
         "csv/tsv: the time marks the request's start, or its end (arrival = end - duration)"),
    STR("duration_column", duration_column, NULL,
        "csv/tsv: the service-time column (none: durations from request.duration)"),
    ENUM("duration_unit", duration_unit, "s", unit_names,
         "csv/tsv: the unit of the duration and cpu columns"),
    STR("cpu_column", cpu_column, NULL, "csv/tsv: CPU time per request (optional)"),
    STR("size_column", size_column, NULL, "csv/tsv: request size (optional)"),
    STR("status_column", status_column, NULL, "csv/tsv: logged status (for filter.status)"),
    STR("url_column", url_column, NULL, "csv/tsv: URL (for filter.url_prefix)"),
    STR("function_column", function_column, NULL, "csv/tsv: function id (for filter.function)"),
    STR("count_column", count_column, "count", "counts: the request-count column"),
    {.key = "interval", .type = CFG_DURATION, .offset = offsetof(wl_trace_cfg, interval_s),
     .def = "0s", .min = 0, .max = 1e9,
     .doc = "counts/count_series: the interval one count covers (required for them: 1s, 1m)"},
    STR("series_start", series_start, "0",
        "count_series: the time of the first interval (epoch seconds or ISO 8601)"),
    PATHF("durations", durations,
        "azure2019: the function_durations_percentiles file (none: request.duration)"),
    PATHF("memory", memory, "azure2019: the app_memory_percentiles file (size = its MB)"),
    ENUM("origin_errors", origin_errors, "replay", origin_error_names,
         "alb: requests the original system failed (-1 processing times): replay or drop; "
         "counted either way"),
    {0}};

#undef STR
#undef ENUM

/* Settings that contradict each other, or NULL. */
static const char *trace_cfg_problem(const wl_trace_cfg *c) {
  bool counts = c->format == WL_FMT_COUNTS || c->format == WL_FMT_COUNT_SERIES;
  bool intervals = counts || c->format == WL_FMT_AZURE2019;
  if (counts && c->interval_s <= 0)
    return "interval: the counts formats need the interval one count covers (e.g. 1s, 1m)";
  if (!intervals && (c->spread == WL_SPREAD_POISSON || c->spread == WL_SPREAD_EQUIDISTANT))
    return "spread: poisson and equidistant apply to counts formats (counts, count_series, "
           "azure2019); use uniform or none";
  if (c->delimiter && strlen(c->delimiter) > 1) return "delimiter: expected one character";
  if (c->time_marks == WL_MARKS_END && (!c->duration_column || !*c->duration_column))
    return "time_marks: end needs a duration_column (arrival = end - duration)";
  return NULL;
}

static int trace_check(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  for (const char *const *k = (const char *const[]){"path", "format", NULL}; *k; k++)
    if (!fy_node_mapping_lookup_pair_by_simple_key(node, *k, strlen(*k)))
      return cfg_error_at(ctx, node, path, "missing required key '%s'", *k);
  const char *why = trace_cfg_problem(obj);
  return why ? cfg_error_at(ctx, node, path, "%s", why) : SIM_OK;
}

const cfg_schema wl_trace_schema = {.name = "trace",
                                    .size = sizeof(wl_trace_cfg),
                                    .fields = trace_fields,
                                    .check = trace_check};

/* --- what parsers share ---------------------------------------------------------- */

const wl_format *wl_format_get(int format) {
  static const wl_format *const table[] = {
      &wl_format_csv,       &wl_format_tsv,       &wl_format_clf,    &wl_format_alb,
      &wl_format_azure2019, &wl_format_azure2021, &wl_format_counts, &wl_format_count_series};
  SIM_ASSERT(format >= 0 && (size_t)format < sizeof table / sizeof *table);
  return table[format];
}

int wl_format_by_name(const char *name) {
  for (int i = 0; format_names[i]; i++)
    if (strcmp(format_names[i], name) == 0) return i;
  return -1;
}

int wl_line_parser_open(const char *path, wl_parse_env *env, const char *format, size_t size,
                        wl_parser **out, sim_error *err) {
  *out = NULL;
  SIM_ASSERT(size >= sizeof(wl_line_parser));
  int rc = wl_filter_check(env->filter, format, true, true, false, false, err);
  if (rc) return rc;
  wl_line_parser *p = sim_xcalloc(1, size);
  p->env = env;
  if ((rc = wl_linebuf_open(path, 0, &p->lb, err))) {
    free(p);
    return rc;
  }
  *out = (wl_parser *)p;
  return SIM_OK;
}

void wl_line_parser_free(wl_parser *p) {
  if (!p) return;
  wl_linebuf_free(((wl_line_parser *)p)->lb);
  free(p);
}

int wl_parse_bad_record(wl_parse_env *env, sim_error *err) {
  if (env->cfg->on_error != WL_ON_ERROR_SKIP) return -SIM_EINPUT;
  if (env->counts->skipped++ == 0)
    snprintf(env->counts->first_skip, sizeof env->counts->first_skip, "%s", err->msg);
  sim_error_clear(err);
  return 0;
}

int wl_rec_fail(sim_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sim_verrorf(err, SIM_EINPUT, fmt, ap);
  va_end(ap);
  return -1;
}

double wl_spread_in(wl_parse_env *env, double t_s, double res_s) {
  if (env->cfg->spread == WL_SPREAD_NONE || res_s <= 0) return t_s;
  /* A time in exponent form ("1.5e9") would claim a resolution of many
   * seconds: no log means that, so at most one second is spread over. */
  return t_s + fmin(res_s, 1.0) * gsl_rng_uniform(env->spread_rng);
}

/* --- the source ------------------------------------------------------------------- */

typedef struct trace_source {
  wl_source base;
  wl_trace_cfg cfg;          /* shallow copy: the strings parsers keep are copied below */
  wl_filter_cfg filter;
  wl_trace_counts counts;
  wl_parse_env env;
  wl_merge *merge;
  gsl_rng *spread_rng, *service_rng, *thin_rng;
  wl_dist duration;
  double cpu_share;
  wl_bound start, end;
  double speedup, horizon_s;
  wl_scaler scaler;
  bool have_origin, input_done, reported;
  int ahead_rc;              /* the first record, read at open to fix the origin */
  wl_rec ahead;
  bool has_ahead;
  double origin_s, end_s;    /* trace clock */
} trace_source;

static void copy_str(char **s) { *s = sim_xstrdup(*s ? *s : ""); }

/* Owned copies of the strings, so the caller's config may go away. */
static void own_strings(trace_source *s) {
  char **strs[] = {&s->cfg.path,          &s->cfg.delimiter,    &s->cfg.time_column,
                   &s->cfg.duration_column, &s->cfg.cpu_column, &s->cfg.size_column,
                   &s->cfg.status_column, &s->cfg.url_column,   &s->cfg.function_column,
                   &s->cfg.count_column,  &s->cfg.series_start, &s->cfg.durations,
                   &s->cfg.memory,        &s->filter.url_prefix, &s->filter.function,
                   &s->filter.trigger};
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) copy_str(strs[i]);
  double *v = sim_xmalloc((s->filter.status.n + 1) * sizeof *v);
  if (s->filter.status.n) memcpy(v, s->filter.status.v, s->filter.status.n * sizeof *v);
  s->filter.status.v = v;
}

static void free_strings(trace_source *s) {
  char *strs[] = {s->cfg.path,          s->cfg.delimiter,    s->cfg.time_column,
                  s->cfg.duration_column, s->cfg.cpu_column, s->cfg.size_column,
                  s->cfg.status_column, s->cfg.url_column,   s->cfg.function_column,
                  s->cfg.count_column,  s->cfg.series_start, s->cfg.durations,
                  s->cfg.memory,        s->filter.url_prefix, s->filter.function,
                  s->filter.trigger};
  for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) free(strs[i]);
  free(s->filter.status.v);
}

/* The first record fixes the origin: the window start, or the trace start. */
static void set_origin(trace_source *s, const wl_rec *first) {
  s->origin_s = s->start.set ? wl_bound_resolve(&s->start, first->t_raw_s) : first->t_raw_s;
  s->end_s = s->end.set ? wl_bound_resolve(&s->end, first->t_raw_s) : INFINITY;
  s->have_origin = true;
  /* Azure traces count seconds from their own start, not from the epoch. */
  bool epoch = s->cfg.format != WL_FMT_AZURE2019 && s->cfg.format != WL_FMT_AZURE2021;
  s->base.origin_epoch_s = epoch ? s->origin_s : 0;
  if (s->origin_s > first->t_s) wl_merge_skip_before(s->merge, s->origin_s);
}

/* The next record inside the window, rebased and sped up: 1, 0, negative. */
static int next_in_window(trace_source *s, wl_rec *rec, sim_error *err) {
  while (!s->input_done) {
    int rc = wl_merge_next(s->merge, rec, err);
    if (rc < 0) return rc;
    if (rc == 0) break;
    if (!s->have_origin) set_origin(s, rec);
    if (rec->t_s < s->origin_s) continue;
    if (rec->t_s >= s->end_s) break;
    rec->t_s = (rec->t_s - s->origin_s) / s->speedup;
    if (s->horizon_s > 0 && rec->t_s >= s->horizon_s) break;
    return 1;
  }
  s->input_done = true;
  return 0;
}

/* The next record after rate_scale: 1, 0, negative. */
static int next_scaled(trace_source *s, wl_rec *out, sim_error *err) {
  wl_rec in;
  if (!wl_scaler_replicates(&s->scaler)) {
    for (;;) {
      int rc = next_in_window(s, &in, err);
      if (rc <= 0) return rc;
      if (wl_scaler_feed(&s->scaler, &in, out)) return 1;
    }
  }
  while (!wl_scaler_pop(&s->scaler, s->input_done, out)) {
    if (s->input_done) return 0;
    int rc = next_in_window(s, &in, err);
    if (rc < 0) return rc;
    if (rc == 1) wl_scaler_feed(&s->scaler, &in, out);
  }
  return 1;
}

static void report_counts(trace_source *s) {
  if (s->reported) return;
  s->reported = true;
  if (s->counts.skipped)
    fprintf(stderr, "scalesim: %s: skipped %llu malformed record%s (on_error: skip); first: %s\n",
            s->cfg.path, (unsigned long long)s->counts.skipped, s->counts.skipped == 1 ? "" : "s",
            s->counts.first_skip);
  if (s->counts.missing_durations)
    fprintf(stderr,
            "scalesim: %s: %llu function%s had no duration row; their durations came from "
            "workload.request.duration\n",
            s->cfg.path, (unsigned long long)s->counts.missing_durations,
            s->counts.missing_durations == 1 ? "" : "s");
  if (s->counts.origin_errors)
    fprintf(stderr, "scalesim: %s: %llu request%s failed in the original system (%s)\n",
            s->cfg.path, (unsigned long long)s->counts.origin_errors,
            s->counts.origin_errors == 1 ? "" : "s",
            s->cfg.origin_errors == WL_ORIGIN_ERRORS_DROP ? "dropped" : "replayed");
}

/* DESIGN.md §4: a duration d splits into cpu_s = cpu_share d and wait_s = d - cpu_s;
 * a trace's own CPU time, when it has one, takes precedence over the share. */
static void fill_request(trace_source *s, const wl_rec *rec, wl_request *out) {
  double d = isnan(rec->duration_s) ? wl_dist_draw(&s->duration, s->service_rng) : rec->duration_s;
  out->arrival_s = rec->t_s;
  if (!isnan(rec->cpu_s)) {
    out->cpu_s = rec->cpu_s;
    out->wait_s = isnan(rec->duration_s) ? 0 : fmax(0, d - rec->cpu_s);
  } else {
    out->cpu_s = s->cpu_share * d;
    out->wait_s = d - out->cpu_s;
  }
  out->size = rec->size;
  out->origin_status = rec->status;
}

static int trace_next(wl_source *src, wl_request *out, sim_error *err) {
  trace_source *s = (trace_source *)src;
  wl_rec rec = s->ahead;
  int rc = s->has_ahead ? s->ahead_rc : next_scaled(s, &rec, err);
  s->has_ahead = false;
  s->base.skipped = s->counts.skipped;
  s->base.origin_errors = s->counts.origin_errors;
  if (rc < 0) return rc;
  if (rc == 0) {
    report_counts(s);
    return 0;
  }
  fill_request(s, &rec, out);
  return 1;
}

static void trace_free(wl_source *src) {
  trace_source *s = (trace_source *)src;
  if (!s) return;
  wl_merge_free(s->merge);
  wl_scaler_free(&s->scaler);
  gsl_rng_free(s->spread_rng);
  gsl_rng_free(s->service_rng);
  gsl_rng_free(s->thin_rng);
  free_strings(s);
  free(s);
}

static const wl_source_type trace_source_type = {"trace", trace_next, trace_free};

/* Checks the transform settings; SIM_ESCENARIO with err set when wrong. */
static int read_transforms(trace_source *s, const wl_transform_cfg *tf, sim_error *err) {
  char why[256];
  if (!wl_bound_parse(tf->start, &s->start, why, sizeof why))
    return sim_errorf(err, SIM_ESCENARIO, "workload.start: %s", why);
  if (!wl_bound_parse(tf->end, &s->end, why, sizeof why))
    return sim_errorf(err, SIM_ESCENARIO, "workload.end: %s", why);
  if (!(tf->speedup > 0))
    return sim_errorf(err, SIM_ESCENARIO, "workload.speedup: expected a number > 0");
  if (!(tf->rate_scale > 0))
    return sim_errorf(err, SIM_ESCENARIO, "workload.rate_scale: expected a number > 0");
  if (!(tf->rate_scale_jitter_s >= 0))
    return sim_errorf(err, SIM_ESCENARIO, "workload.rate_scale_jitter: expected a duration >= 0");
  s->speedup = tf->speedup;
  return SIM_OK;
}

int wl_trace_open(const wl_trace_cfg *cfg, const wl_transform_cfg *tf,
                  const wl_dist *duration, double cpu_share, double horizon_s,
                  uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  const char *why = trace_cfg_problem(cfg);
  if (why) return sim_errorf(err, SIM_ESCENARIO, "workload.trace.%s", why);
  trace_source *s = sim_xcalloc(1, sizeof *s);
  s->base.type = &trace_source_type;
  s->cfg = *cfg;
  s->filter = tf->filter;
  own_strings(s);
  s->duration = *duration;
  s->cpu_share = cpu_share;
  s->horizon_s = horizon_s;
  s->spread_rng = sim_rng_alloc(seed, "workload/spread");
  s->service_rng = sim_rng_alloc(seed, "workload/service");
  s->thin_rng = sim_rng_alloc(seed, "workload/thin");
  /* rate_scale < 1 on a count series thins the counts (see wl_parse_env);
   * Poisson spreading keeps per-request thinning, which is exact for it. */
  bool thin_counts = (cfg->format == WL_FMT_COUNTS || cfg->format == WL_FMT_COUNT_SERIES) &&
                     tf->rate_scale < 1 && cfg->spread != WL_SPREAD_POISSON;
  wl_scaler_init(&s->scaler, thin_counts ? 1 : tf->rate_scale, tf->rate_scale_jitter_s,
                 s->thin_rng);
  s->env = (wl_parse_env){&s->cfg, &s->filter, s->spread_rng, s->service_rng, &s->counts,
                          thin_counts ? tf->rate_scale : 1, s->thin_rng};
  int rc = read_transforms(s, tf, err);
  if (rc) goto fail;
  rc = wl_merge_open(wl_format_get(cfg->format), s->cfg.path, &s->env, cfg->reorder_window_s,
                     &s->merge, err);
  if (rc) goto fail;
  /* Reading the first record now fixes origin_epoch_s before the first pull
   * and reports a trace that is bad from its first line at open. */
  s->ahead_rc = next_scaled(s, &s->ahead, err);
  if (s->ahead_rc < 0) {
    rc = -s->ahead_rc;
    goto fail;
  }
  s->has_ahead = true;
  *out = &s->base;
  return SIM_OK;
fail:
  trace_free(&s->base);
  return rc;
}

/* charts.c — the per-platform and comparison charts of a run (see charts.h),
 * built from the files out_run_read loaded. */
#include "output/charts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"
#include "output/chart.h"

void out_chart_list_free(out_chart_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].file);
    free(l->v[i].title);
    free(l->v[i].svg);
  }
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static int write_text(const char *path, const char *text, size_t len, sim_error *err) {
  out_file *f = out_file_open(path, err);
  if (!f) return SIM_EFAIL;
  fwrite(text, 1, len, out_file_stream(f));
  return out_file_commit(f, err);
}

/* Renders c, writes it as DIR/<file>.svg (and .png when asked) and records it
 * with its SVG text, which the report inlines without reading the file back.
 * Frees c. */
static int emit(const out_run *run, out_chart *c, const char *file, const char *title,
                int platform, unsigned formats, out_chart_list *list, sim_error *err) {
  char path[4096];
  char *svg = NULL;
  size_t len = 0;
  int rc = out_chart_svg(c, &svg, &len, err);
  if (rc == SIM_OK && (formats & OUT_PLOT_SVG)) {
    snprintf(path, sizeof path, "%s/%s.svg", run->dir, file);
    rc = write_text(path, svg, len, err);
  }
  if (rc == SIM_OK && (formats & OUT_PLOT_PNG)) {
    snprintf(path, sizeof path, "%s/%s", run->dir, file);
    rc = out_chart_write(c, path, OUT_PLOT_PNG, err);
  }
  out_chart_free(c);
  if (rc) {
    free(svg);
    return rc;
  }
  if (list->n == list->cap) {
    list->cap = list->cap ? 2 * list->cap : 16;
    list->v = sim_xrealloc(list->v, list->cap * sizeof *list->v);
  }
  list->v[list->n++] = (out_chart_ref){sim_xstrdup(file), sim_xstrdup(title), platform, svg};
  return SIM_OK;
}

/* --- one platform's time series ----------------------------------------------- */

/* The time axis of timeseries.csv: interval starts, midpoints and lengths. The
 * last interval may be partial: it ends at the run's duration_s when the
 * summary has it. */
typedef struct ts_view {
  const out_run_platform *p;
  size_t n;
  const double *start;
  double *mid, *len;
  double **tmp;   /* scratch columns, freed with the view */
  size_t n_tmp;
} ts_view;

static bool ts_open(const out_run_platform *p, ts_view *v) {
  memset(v, 0, sizeof *v);
  v->p = p;
  v->start = out_table_col(p->ts, "t_s");
  if (!v->start || p->ts->n_rows == 0) return false;
  v->n = p->ts->n_rows;
  v->mid = sim_xmalloc(v->n * sizeof *v->mid);
  v->len = sim_xmalloc(v->n * sizeof *v->len);
  double res = v->n > 1 ? v->start[1] - v->start[0] : 0;
  double end = out_run_value(p, "duration_s");
  for (size_t i = 0; i < v->n; i++) {
    double next = i + 1 < v->n ? v->start[i + 1] : v->start[i] + res;
    if (i + 1 == v->n && !isnan(end) && end > v->start[i]) next = end;
    if (!(next > v->start[i])) next = v->start[i] + 1; /* a single row: a nominal 1 s */
    v->len[i] = next - v->start[i];
    v->mid[i] = v->start[i] + v->len[i] / 2;
  }
  return true;
}

static void ts_close(ts_view *v) {
  free(v->mid);
  free(v->len);
  for (size_t i = 0; i < v->n_tmp; i++) free(v->tmp[i]);
  free(v->tmp);
}

/* A column of n values owned by the view (a dozen per platform at most). */
static double *scratch(ts_view *v) {
  v->tmp = sim_xrealloc(v->tmp, (v->n_tmp + 1) * sizeof *v->tmp);
  return v->tmp[v->n_tmp++] = sim_xmalloc(v->n * sizeof(double) + 1);
}

static const double *col(const ts_view *v, const char *name) {
  return out_table_col(v->p->ts, name);
}

/* A counter column per second of its interval (NULL when absent). A final
 * interval shorter than half the others (the drain after the horizon) is left
 * out: a rate over a sliver of time is noise, and would read as a collapse. */
static const double *per_second(ts_view *v, const char *name) {
  const double *c = col(v, name);
  if (!c) return NULL;
  double *r = scratch(v);
  for (size_t i = 0; i < v->n; i++) r[i] = c[i] / v->len[i];
  if (v->n > 1 && v->len[v->n - 1] < 0.5 * v->len[0]) r[v->n - 1] = NAN;
  return r;
}

/* The sum of columns (NULL entries skipped); NULL when none exists. */
static const double *sum_cols(ts_view *v, const char *a, const char *b) {
  const double *x = col(v, a), *y = col(v, b);
  if (!x && !y) return NULL;
  double *r = scratch(v);
  for (size_t i = 0; i < v->n; i++) r[i] = (x ? x[i] : 0) + (y ? y[i] : 0);
  return r;
}

static const double *scaled(ts_view *v, const char *name, double k) {
  const double *c = col(v, name);
  if (!c) return NULL;
  double *r = scratch(v);
  for (size_t i = 0; i < v->n; i++) r[i] = c[i] * k;
  return r;
}

static void add_line(out_chart *c, const char *label, out_style style, int axis, int color,
                     const double *x, const double *y, size_t n) {
  if (y) out_chart_add(c, &(out_series){label, style, axis, color, x, y, n});
}

/* A chart over time; with a view, its x axis spans exactly the run's
 * intervals (so it starts at 0 even though lines are drawn at midpoints). */
static out_chart_spec time_spec(const char *title, const char *y_label, const ts_view *v) {
  out_chart_spec s = out_chart_spec_default();
  s.title = title;
  s.x = (out_axis_spec){"time", OUT_UNIT_TIME, NAN, NAN};
  if (v) {
    s.x.min = v->start[0];
    s.x.max = v->start[v->n - 1] + v->len[v->n - 1];
  }
  s.y.label = y_label;
  return s;
}

/* Decisions that changed the desired count are ▲/▽ with the change; alarm
 * state changes and faults are plain ticks. Invocations that changed nothing
 * (a policy re-fired at its bound, an evaluation that kept the count) are in
 * decisions.csv but not drawn: there are one or more a minute. */
static void decision_markers(out_chart *c, const out_run_platform *p) {
  char label[32];
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *d = &p->decisions[i];
    double delta = d->new_desired - d->old_desired;
    if (!isnan(delta) && delta != 0) {
      snprintf(label, sizeof label, "%+g", delta);
      out_chart_marker(c, d->t_s, delta > 0 ? OUT_MARK_UP : OUT_MARK_DOWN, label);
    } else if (!strcmp(d->event, "alarm") || !strncmp(d->event, "fault", 5)) {
      out_chart_marker(c, d->t_s, OUT_MARK_EVENT, NULL);
    }
  }
}

static void title_of(char *buf, size_t len, const out_run_platform *p, const char *what) {
  snprintf(buf, len, "%s: %s", p->name, what);
}

static int chart_requests(const out_run *run, int pi, ts_view *v, unsigned formats,
                          out_chart_list *list, sim_error *err) {
  const out_run_platform *p = &run->platforms[pi];
  char title[256], file[512];
  title_of(title, sizeof title, p, "requests and instances");
  out_chart_spec s = time_spec(title, "requests/s", v);
  s.y2.label = "instances";
  s.up_label = "scale out";
  s.down_label = "scale in";
  s.event_label = "alarm or fault";
  out_chart *c = out_chart_alloc(&s);
  add_line(c, "arrivals/s", OUT_AREA, 0, 0, v->mid, per_second(v, "arrivals"), v->n);
  add_line(c, "desired", OUT_STEP, 1, 1, v->start, col(v, "desired"), v->n);
  add_line(c, "starting", OUT_LINE, 1, 2, v->mid, sum_cols(v, "provisioning", "starting"),
           v->n);
  add_line(c, "ready", OUT_LINE, 1, 3, v->mid, col(v, "ready"), v->n);
  decision_markers(c, p);
  snprintf(file, sizeof file, "%s/requests", p->name);
  return emit(run, c, file, "requests and instances", pi, formats, list, err);
}

static int chart_latency(const out_run *run, int pi, ts_view *v, unsigned formats,
                         out_chart_list *list, sim_error *err) {
  const out_run_platform *p = &run->platforms[pi];
  const double *p50 = col(v, "latency_p50_s"), *p95 = col(v, "latency_p95_s"),
               *p99 = col(v, "latency_p99_s");
  if (!p50 && !p95 && !p99) return SIM_OK;
  char title[256], file[512];
  title_of(title, sizeof title, p, "latency per interval");
  out_chart_spec s = time_spec(title, "latency", v);
  s.y.unit = OUT_UNIT_DURATION;
  out_chart *c = out_chart_alloc(&s);
  if (p50 && p99) out_chart_band(c, "p50 to p99", 0, 0, v->mid, p50, p99, v->n);
  add_line(c, "p50", OUT_LINE, 0, 0, v->mid, p50, v->n);
  add_line(c, "p95", OUT_LINE, 0, 1, v->mid, p95, v->n);
  add_line(c, "p99", OUT_LINE, 0, 3, v->mid, p99, v->n);
  snprintf(file, sizeof file, "%s/latency", p->name);
  return emit(run, c, file, "latency per interval", pi, formats, list, err);
}

static int chart_cpu(const out_run *run, int pi, ts_view *v, unsigned formats,
                     out_chart_list *list, sim_error *err) {
  const out_run_platform *p = &run->platforms[pi];
  const double *cpu = scaled(v, "cpu_utilization", 100), *mem = scaled(v, "mem_utilization", 100);
  if (!cpu && !mem) return SIM_OK;
  char title[256], file[512], label[64];
  title_of(title, sizeof title, p, "utilisation");
  out_chart_spec s = time_spec(title, "utilisation (%)", v);
  s.y.min = 0;
  s.y.max = 100;
  out_chart *c = out_chart_alloc(&s);
  add_line(c, "CPU", OUT_LINE, 0, 0, v->mid, cpu, v->n);
  add_line(c, "memory", OUT_LINE, 0, 4, v->mid, mem, v->n);
  double target = out_run_cpu_target_pct(run, p->name);
  if (!isnan(target)) {
    snprintf(label, sizeof label, "CPU target %g%%", target);
    out_chart_hline(c, 0, target, label);
  }
  snprintf(file, sizeof file, "%s/cpu", p->name);
  return emit(run, c, file, "utilisation", pi, formats, list, err);
}

static double column_total(const ts_view *v, const char *name) {
  const double *c = col(v, name);
  double sum = 0;
  for (size_t i = 0; c && i < v->n; i++)
    if (!isnan(c[i])) sum += c[i];
  return sum;
}

static int chart_queue(const out_run *run, int pi, ts_view *v, unsigned formats,
                       out_chart_list *list, sim_error *err) {
  static const char *const codes[] = {"errors_429", "errors_500", "errors_502", "errors_503",
                                      "errors_504"};
  const out_run_platform *p = &run->platforms[pi];
  char title[256], file[512];
  title_of(title, sizeof title, p, "queued requests and errors");
  /* Only the codes that occurred: five flat zero lines would hide the one
   * that matters (and with none, there is no errors axis). */
  bool occurred[5], any = false;
  for (int k = 0; k < 5; k++) any |= occurred[k] = column_total(v, codes[k]) > 0;
  out_chart_spec s = time_spec(title, "requests", v);
  if (any) s.y2.label = "errors/s";
  out_chart *c = out_chart_alloc(&s);
  add_line(c, "queued", OUT_AREA, 0, 0, v->mid, col(v, "queued"), v->n);
  add_line(c, "in flight", OUT_LINE, 0, 6, v->mid, col(v, "in_flight"), v->n);
  for (int k = 0; k < 5; k++) {
    if (!occurred[k]) continue;
    char label[16];
    snprintf(label, sizeof label, "%s/s", codes[k] + 7);
    add_line(c, label, OUT_LINE, 1, 1 + k, v->mid, per_second(v, codes[k]), v->n);
  }
  snprintf(file, sizeof file, "%s/queue", p->name);
  return emit(run, c, file, "queued requests and errors", pi, formats, list, err);
}

/* Requests that waited for a cold start (left) and instance starts and stops
 * (right), per interval: two axes, since a handful of starts can make a
 * hundred requests wait. */
static int chart_cold(const out_run *run, int pi, ts_view *v, unsigned formats,
                      out_chart_list *list, sim_error *err) {
  const out_run_platform *p = &run->platforms[pi];
  char title[256], file[512], y_label[64], y2_label[64];
  title_of(title, sizeof title, p, "cold starts");
  double res = v->n > 1 ? v->start[1] - v->start[0] : v->len[0];
  snprintf(y_label, sizeof y_label, "requests per %gs", res);
  snprintf(y2_label, sizeof y2_label, "instances per %gs", res);
  out_chart_spec s = time_spec(title, y_label, v);
  s.y2.label = y2_label;
  out_chart *c = out_chart_alloc(&s);
  add_line(c, "requests that waited for a start", OUT_AREA, 0, 1, v->start,
           col(v, "cold_requests"), v->n);
  add_line(c, "instance starts", OUT_STEP, 1, 0, v->start, col(v, "instance_starts"), v->n);
  add_line(c, "instance stops", OUT_STEP, 1, 6, v->start, col(v, "instance_stops"), v->n);
  snprintf(file, sizeof file, "%s/cold_starts", p->name);
  return emit(run, c, file, "cold starts", pi, formats, list, err);
}

static int chart_cost(const out_run *run, int pi, ts_view *v, unsigned formats,
                      out_chart_list *list, sim_error *err) {
  const out_run_platform *p = &run->platforms[pi];
  const double *cum = col(v, "cost_cum_usd");
  if (!cum) return SIM_OK;
  char title[256], file[512];
  title_of(title, sizeof title, p, "cumulative cost");
  out_chart_spec s = time_spec(title, "cost (USD)", v);
  out_chart *c = out_chart_alloc(&s);
  /* cost_cum_usd is the total at the end of each interval. */
  double *end = scratch(v);
  for (size_t i = 0; i < v->n; i++) end[i] = v->start[i] + v->len[i];
  add_line(c, "cost so far", OUT_AREA, 0, 0, end, cum, v->n);
  snprintf(file, sizeof file, "%s/cost", p->name);
  return emit(run, c, file, "cumulative cost", pi, formats, list, err);
}

static int platform_charts(const out_run *run, int pi, unsigned formats, out_chart_list *list,
                           sim_error *err) {
  ts_view v;
  if (!ts_open(&run->platforms[pi], &v)) return SIM_OK;
  int rc = chart_requests(run, pi, &v, formats, list, err);
  if (!rc) rc = chart_latency(run, pi, &v, formats, list, err);
  if (!rc) rc = chart_cpu(run, pi, &v, formats, list, err);
  if (!rc) rc = chart_queue(run, pi, &v, formats, list, err);
  if (!rc) rc = chart_cold(run, pi, &v, formats, list, err);
  if (!rc) rc = chart_cost(run, pi, &v, formats, list, err);
  ts_close(&v);
  return rc;
}

/* --- comparisons ---------------------------------------------------------------- */

/* The x range covering every platform's intervals; false when no platform has
 * an `instances` column. */
static bool instances_range(const out_run *run, double *lo, double *hi) {
  bool any = false;
  for (size_t i = 0; i < run->n_platforms; i++) {
    ts_view v;
    if (!ts_open(&run->platforms[i], &v)) continue;
    if (col(&v, "instances")) {
      double end = v.start[v.n - 1] + v.len[v.n - 1];
      *lo = any && *lo < v.start[0] ? *lo : v.start[0];
      *hi = any && *hi > end ? *hi : end;
      any = true;
    }
    ts_close(&v);
  }
  return any;
}

static int compare_instances(const out_run *run, unsigned formats, out_chart_list *list,
                             sim_error *err) {
  out_chart_spec s = time_spec("instances by platform", "instances", NULL);
  if (!instances_range(run, &s.x.min, &s.x.max)) return SIM_OK;
  out_chart *c = out_chart_alloc(&s);
  for (size_t i = 0; i < run->n_platforms; i++) {
    ts_view v;
    if (!ts_open(&run->platforms[i], &v)) continue;
    add_line(c, run->platforms[i].name, OUT_LINE, 0, (int)i, v.mid, col(&v, "instances"), v.n);
    ts_close(&v);
  }
  return emit(run, c, "charts/instances", "instances by platform", -1, formats, list, err);
}

static int compare_cdf(const out_run *run, unsigned formats, out_chart_list *list,
                       sim_error *err) {
  out_chart_spec s = out_chart_spec_default();
  s.title = "latency distribution (whole run)";
  s.x_scale = OUT_X_LOG;
  s.x = (out_axis_spec){"latency", OUT_UNIT_DURATION, NAN, NAN};
  s.y = (out_axis_spec){"fraction of requests at or below", OUT_UNIT_PLAIN, 0, 1};
  out_chart *c = out_chart_alloc(&s);
  bool any = false;
  for (size_t i = 0; i < run->n_platforms; i++) {
    const out_run_platform *p = &run->platforms[i];
    double total = 0;
    for (size_t k = 0; k < p->n_lat; k++) total += p->lat_count[k];
    if (total <= 0) continue;
    double *cdf = sim_xmalloc(p->n_lat * sizeof *cdf);
    double acc = 0;
    for (size_t k = 0; k < p->n_lat; k++) cdf[k] = (acc += p->lat_count[k]) / total;
    add_line(c, p->name, OUT_LINE, 0, (int)i, p->lat_s, cdf, p->n_lat);
    free(cdf);
    any = true;
  }
  if (!any) {
    out_chart_free(c);
    return SIM_OK;
  }
  return emit(run, c, "charts/latency_cdf", "latency distribution", -1, formats, list, err);
}

typedef struct bar_metric {
  const char *file, *title, *y_label, *key;
  double scale;      /* value shown = summary value x scale */
  const char *fmt;   /* printf format of the value label */
} bar_metric;

static const bar_metric bar_metrics[] = {
    {"charts/cost", "cost", "cost (USD)", "cost_usd", 1, "$%.2f"},
    {"charts/p99", "p99 latency", "p99 latency (ms)", "latency_p99_s", 1e3, "%.0f ms"},
    {"charts/errors", "errors", "errors (% of requests)", "error_rate", 100, "%.2f%%"},
};

static int compare_bars(const out_run *run, const bar_metric *m, unsigned formats,
                        out_chart_list *list, sim_error *err) {
  out_chart_spec s = out_chart_spec_default();
  s.title = m->title;
  s.x_scale = OUT_X_CATEGORY;
  s.y.label = m->y_label;
  s.width_px = 400;
  s.height_px = 280;
  out_chart *c = out_chart_alloc(&s);
  char text[64];
  for (size_t i = 0; i < run->n_platforms; i++) {
    double v = out_run_value(&run->platforms[i], m->key) * m->scale;
    if (isnan(v)) snprintf(text, sizeof text, "n/a");
    else snprintf(text, sizeof text, m->fmt, v);
    out_chart_bar(c, run->platforms[i].name, v, (int)i, text);
  }
  return emit(run, c, m->file, m->title, -1, formats, list, err);
}

int out_charts_write(const out_run *run, unsigned formats, out_chart_list *list,
                     sim_error *err) {
  int rc = SIM_OK;
  for (size_t i = 0; rc == SIM_OK && i < run->n_platforms; i++)
    rc = platform_charts(run, (int)i, formats, list, err);
  if (rc == SIM_OK && run->n_platforms > 0) {
    rc = compare_instances(run, formats, list, err);
    if (!rc) rc = compare_cdf(run, formats, list, err);
    for (size_t k = 0; !rc && k < sizeof bar_metrics / sizeof bar_metrics[0]; k++)
      rc = compare_bars(run, &bar_metrics[k], formats, list, err);
  }
  return rc;
}

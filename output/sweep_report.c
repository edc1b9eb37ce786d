/* sweep_report.c — the sweep page (see sweep_report.h): reads sweep.csv as
 * text with libcsv, draws the charts with output/chart.h and writes
 * sweep.html. */
#include "output/sweep_report.h"

#include <csv.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/atomic.h"
#include "output/chart.h"
#include "output/report.h"

/* --- sweep.csv as text ---------------------------------------------------------- */

/* Every cell as written; the header row gives the names. */
typedef struct text_table {
  size_t n_cols, n_rows, cap;
  char **names;   /* n_cols */
  char **cells;   /* row r, column c at cells[r * n_cols + c] */
  char **row;     /* the row being parsed */
  size_t n_row, cap_row;
  size_t line;
  const char *path;
  int rc;
  sim_error *err;
} text_table;

static void text_table_free(text_table *t) {
  for (size_t i = 0; i < t->n_cols; i++) free(t->names[i]);
  for (size_t i = 0; i < t->n_rows * t->n_cols; i++) free(t->cells[i]);
  for (size_t i = 0; i < t->n_row; i++) free(t->row[i]);
  free(t->names);
  free(t->cells);
  free(t->row);
}

static void on_field(void *text, size_t len, void *data) {
  text_table *t = data;
  if (t->n_row == t->cap_row) {
    t->cap_row = t->cap_row ? 2 * t->cap_row : 32;
    t->row = sim_xrealloc(t->row, t->cap_row * sizeof *t->row);
  }
  char *f = sim_xmalloc(len + 1);
  if (len) memcpy(f, text, len);
  f[len] = '\0';
  t->row[t->n_row++] = f;
}

/* Takes the parsed row as the header or as a data row of as many fields. */
static void on_row(int term, void *data) {
  text_table *t = data;
  size_t n = t->n_row;
  t->n_row = 0;
  if (t->rc == SIM_OK && t->n_cols == 0) {
    t->names = sim_xmalloc(n * sizeof *t->names);
    memcpy(t->names, t->row, n * sizeof *t->names);
    t->n_cols = n;
  } else if (t->rc == SIM_OK && n == t->n_cols) {
    if (t->n_rows == t->cap) {
      t->cap = t->cap ? 2 * t->cap : 16;
      t->cells = sim_xrealloc(t->cells, t->cap * t->n_cols * sizeof *t->cells);
    }
    memcpy(t->cells + t->n_rows++ * t->n_cols, t->row, n * sizeof *t->cells);
  } else {
    if (t->rc == SIM_OK)
      t->rc = sim_errorf(t->err, SIM_EINPUT, "%s:%zu: %zu fields, the header has %zu", t->path,
                         t->line, n, t->n_cols);
    for (size_t i = 0; i < n; i++) free(t->row[i]);
  }
  t->line++;
}

static int text_table_read(const char *path, text_table *t, sim_error *err) {
  *t = (text_table){.line = 1, .path = path, .err = err};
  FILE *f = fopen(path, "rb");
  if (!f) return sim_errorf(err, SIM_EINPUT, "%s: cannot open", path);
  struct csv_parser p;
  csv_init(&p, CSV_APPEND_NULL);
  char buf[65536];
  size_t got;
  while (t->rc == SIM_OK && (got = fread(buf, 1, sizeof buf, f)) > 0)
    if (csv_parse(&p, buf, got, on_field, on_row, t) != got && t->rc == SIM_OK)
      t->rc = sim_errorf(err, SIM_EINPUT, "%s:%zu: %s", path, t->line,
                         csv_strerror(csv_error(&p)));
  if (t->rc == SIM_OK) csv_fini(&p, on_field, on_row, t);
  csv_free(&p);
  fclose(f);
  if (t->rc == SIM_OK && t->n_cols == 0)
    t->rc = sim_errorf(err, SIM_EINPUT, "%s: empty (no header)", path);
  t->path = NULL;
  return t->rc;
}

static const char *cell(const text_table *t, size_t r, size_t c) {
  return t->cells[r * t->n_cols + c];
}

/* The column named name, or n_cols. */
static size_t column(const text_table *t, const char *name) {
  size_t c = 0;
  while (c < t->n_cols && strcmp(t->names[c], name) != 0) c++;
  return c;
}

/* A whole cell as a finite number; an empty cell is NaN. False when it is text. */
static bool parse_number(const char *s, double *v) {
  *v = NAN;
  if (!*s) return true;
  char *end;
  double x = strtod(s, &end);
  if (*end || !isfinite(x)) return false;
  *v = x;
  return true;
}

/* --- the sweep's rows ---------------------------------------------------------------- */

typedef struct sweep_rows {
  text_table t;
  size_t n_keys;            /* key columns 1 .. n_keys */
  size_t platform_col;
  bool means;               /* metrics from <metric>_mean columns */
  double *cost, *p99, *errors;
  bool *front;              /* pareto_cost_p99 = 1 */
  size_t *plat;             /* index into plat_names */
  const char **plat_names;  /* borrowed from t; in order of first row */
  size_t n_plat;
} sweep_rows;

static void sweep_rows_free(sweep_rows *s) {
  text_table_free(&s->t);
  free(s->cost);
  free(s->p99);
  free(s->errors);
  free(s->front);
  free(s->plat);
  free(s->plat_names);
}

/* Reads the metric `name` (or `name`_mean) into v; a missing optional one is
 * all NaN. */
static int read_metric(sweep_rows *s, const char *path, const char *name, bool required,
                       double **v, sim_error *err) {
  char mean[128];
  snprintf(mean, sizeof mean, "%s_mean", name);
  size_t c = column(&s->t, s->means ? mean : name);
  *v = sim_xmalloc((s->t.n_rows + 1) * sizeof **v);
  for (size_t r = 0; r < s->t.n_rows; r++) (*v)[r] = NAN;
  if (c == s->t.n_cols)
    return required ? sim_errorf(err, SIM_EINPUT, "%s:1: no column '%s'", path,
                                 s->means ? mean : name)
                    : SIM_OK;
  for (size_t r = 0; r < s->t.n_rows; r++)
    if (!parse_number(cell(&s->t, r, c), &(*v)[r]))
      return sim_errorf(err, SIM_EINPUT, "%s:%zu: column '%s': not a number: '%s'", path, r + 2,
                        s->t.names[c], cell(&s->t, r, c));
  return SIM_OK;
}

static void index_platforms(sweep_rows *s) {
  s->plat = sim_xmalloc((s->t.n_rows + 1) * sizeof *s->plat);
  s->plat_names = sim_xmalloc((s->t.n_rows + 1) * sizeof *s->plat_names);
  for (size_t r = 0; r < s->t.n_rows; r++) {
    const char *name = cell(&s->t, r, s->platform_col);
    size_t p = 0;
    while (p < s->n_plat && strcmp(s->plat_names[p], name) != 0) p++;
    if (p == s->n_plat) s->plat_names[s->n_plat++] = name;
    s->plat[r] = p;
  }
}

static int sweep_rows_read(const char *path, sweep_rows *s, sim_error *err) {
  *s = (sweep_rows){0};
  int rc = text_table_read(path, &s->t, err);
  if (rc) return rc;
  s->platform_col = column(&s->t, "platform");
  if (strcmp(s->t.names[0], "variant") != 0 || s->platform_col == s->t.n_cols)
    return sim_errorf(err, SIM_EINPUT, "%s:1: not a sweep table (columns 'variant' ... "
                      "'platform' expected)", path);
  s->n_keys = s->platform_col - 1;
  s->means = column(&s->t, "cost_usd") == s->t.n_cols;
  size_t front_col = column(&s->t, "pareto_cost_p99");
  if (front_col == s->t.n_cols)
    return sim_errorf(err, SIM_EINPUT, "%s:1: no column 'pareto_cost_p99'", path);
  bool rows = s->t.n_rows > 0; /* a table without runs has no metric columns */
  if ((rc = read_metric(s, path, "cost_usd", rows, &s->cost, err)) ||
      (rc = read_metric(s, path, "latency_p99_s", rows, &s->p99, err)) ||
      (rc = read_metric(s, path, "error_rate", false, &s->errors, err)))
    return rc;
  s->front = sim_xcalloc(s->t.n_rows + 1, sizeof *s->front);
  for (size_t r = 0; r < s->t.n_rows; r++)
    s->front[r] = strcmp(cell(&s->t, r, front_col), "1") == 0;
  index_platforms(s);
  return SIM_OK;
}

/* --- charts --------------------------------------------------------------------------- */

/* A chart drawn: its file (relative to DIR, without ".svg"), caption and SVG. */
typedef struct drawn {
  char file[256];
  char *title;
  char *svg;
} drawn;

/* Renders c into d and writes DIR/<d->file>.svg. Frees c. */
static int finish_chart(out_chart *c, const char *dir, drawn *d, sim_error *err) {
  size_t len = 0;
  int rc = out_chart_svg(c, &d->svg, &len, err);
  out_chart_free(c);
  if (rc) return rc;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.svg", dir, d->file);
  out_file *f = out_file_open(path, err);
  if (!f) return SIM_EFAIL;
  fwrite(d->svg, 1, len, out_file_stream(f));
  return out_file_commit(f, err);
}

/* Row indices by cost (arg: the costs), ties in table order. */
static int by_cost(const void *a, const void *b, void *arg) {
  const double *cost = arg;
  size_t i = *(const size_t *)a, k = *(const size_t *)b;
  if (cost[i] != cost[k]) return cost[i] < cost[k] ? -1 : 1;
  return i < k ? -1 : i > k;
}

/* Row indices of the front, cheapest first (ties in table order); returns how
 * many. platform (SIZE_MAX = all) restricts it to one platform. */
static size_t front_rows(const sweep_rows *s, size_t platform, size_t *out) {
  size_t n = 0;
  for (size_t r = 0; r < s->t.n_rows; r++)
    if (s->front[r] && (platform == SIZE_MAX || s->plat[r] == platform)) out[n++] = r;
  qsort_r(out, n, sizeof *out, by_cost, s->cost);
  return n;
}

/* The step line through platform p's front points. The last point is repeated
 * so that the step ends there instead of running on by one more step. */
static void add_front_line(out_chart *c, const sweep_rows *s, size_t p, size_t *idx, double *x,
                           double *y) {
  size_t n = front_rows(s, p, idx);
  if (n == 0) return;
  for (size_t i = 0; i < n; i++) {
    x[i] = s->cost[idx[i]];
    y[i] = s->p99[idx[i]];
  }
  x[n] = x[n - 1];
  y[n] = y[n - 1];
  char label[160];
  snprintf(label, sizeof label, "%s Pareto front", s->plat_names[p]);
  out_chart_add(c, &(out_series){.label = label, .style = OUT_STEP, .color = (int)p, .x = x,
                                 .y = y, .n = n + 1});
}

static int chart_cost_p99(const sweep_rows *s, const char *dir, drawn *d, sim_error *err) {
  out_chart_spec spec = out_chart_spec_default();
  spec.title = "Cost against p99 latency (lines: the Pareto front)";
  spec.x = (out_axis_spec){"cost (USD)", OUT_UNIT_PLAIN, 0, NAN}; /* costs from 0, honestly */
  spec.y = (out_axis_spec){"p99 latency", OUT_UNIT_DURATION, NAN, NAN};
  out_chart *c = out_chart_alloc(&spec);
  size_t n = s->t.n_rows;
  double *x = sim_xmalloc((n + 1) * sizeof *x), *y = sim_xmalloc((n + 1) * sizeof *y);
  size_t *idx = sim_xmalloc((n + 1) * sizeof *idx);
  for (size_t p = 0; p < s->n_plat; p++) {
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
      if (s->plat[r] == p) {
        x[m] = s->cost[r];
        y[m++] = s->p99[r];
      }
    out_chart_add(c, &(out_series){.label = s->plat_names[p], .style = OUT_POINTS,
                                   .color = (int)p, .x = x, .y = y, .n = m});
  }
  for (size_t p = 0; p < s->n_plat; p++) add_front_line(c, s, p, idx, x, y);
  free(x);
  free(y);
  free(idx);
  snprintf(d->file, sizeof d->file, "charts/sweep_cost_p99");
  d->title = sim_xstrdup("Cost against p99 latency, every variant and platform");
  return finish_chart(c, dir, d, err);
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The distinct numbers of v (NaN skipped), sorted, into u; returns how many. */
static size_t distinct(const double *v, size_t n, double *u) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i])) u[m++] = v[i];
  qsort(u, m, sizeof *u, by_value);
  size_t k = 0;
  for (size_t i = 0; i < m; i++)
    if (k == 0 || u[i] != u[k - 1]) u[k++] = u[i];
  return k;
}

/* Mean of metric over platform p's rows whose key value is x (NaNs skipped). */
static double mean_at(const sweep_rows *s, const double *key, const double *metric, size_t p,
                      double x) {
  double sum = 0;
  size_t n = 0;
  for (size_t r = 0; r < s->t.n_rows; r++)
    if (s->plat[r] == p && key[r] == x && !isnan(metric[r])) {
      sum += metric[r];
      n++;
    }
  return n ? sum / (double)n : NAN;
}

/* A line with a marker at each point (a key with one value still shows). */
static void add_line(out_chart *c, const char *label, int axis, int color, const double *x,
                     const double *y, size_t n) {
  out_chart_add(c, &(out_series){.label = label, .style = OUT_LINE, .axis = axis,
                                 .color = color, .x = x, .y = y, .n = n});
  out_chart_add(c, &(out_series){.style = OUT_POINTS, .axis = axis, .color = color, .x = x,
                                 .y = y, .n = n});
}

/* A file name part from a key path: letters and digits, runs of others as '_'. */
static void file_part(const char *key, char *out, size_t len) {
  size_t n = 0;
  for (; *key && n + 1 < len; key++) {
    bool word = (*key >= 'a' && *key <= 'z') || (*key >= 'A' && *key <= 'Z') ||
                (*key >= '0' && *key <= '9');
    if (word) out[n++] = *key;
    else if (n > 0 && out[n - 1] != '_') out[n++] = '_';
  }
  while (n > 0 && out[n - 1] == '_') n--;
  out[n] = '\0';
}

/* The sensitivity chart of key column k, whose values are in key. */
static int chart_key(const sweep_rows *s, size_t k, const double *key, const char *dir,
                     drawn *d, sim_error *err) {
  const char *name = s->t.names[k];
  char title[512];
  snprintf(title, sizeof title, "Sensitivity to %s (means over the other keys)", name);
  out_chart_spec spec = out_chart_spec_default();
  spec.title = title;
  spec.x = (out_axis_spec){name, OUT_UNIT_PLAIN, NAN, NAN};
  spec.y = (out_axis_spec){"p99 latency", OUT_UNIT_DURATION, NAN, NAN};
  spec.y2 = (out_axis_spec){"cost (USD)", OUT_UNIT_PLAIN, NAN, NAN};
  out_chart *c = out_chart_alloc(&spec);
  size_t n = s->t.n_rows;
  double *u = sim_xmalloc((n + 1) * sizeof *u), *p99 = sim_xmalloc((n + 1) * sizeof *p99),
         *cost = sim_xmalloc((n + 1) * sizeof *cost);
  size_t m = distinct(key, n, u);
  for (size_t p = 0; p < s->n_plat; p++) {
    for (size_t i = 0; i < m; i++) {
      p99[i] = mean_at(s, key, s->p99, p, u[i]);
      cost[i] = mean_at(s, key, s->cost, p, u[i]);
    }
    char label[160];
    snprintf(label, sizeof label, "%s p99", s->plat_names[p]);
    add_line(c, label, 0, (int)p, u, p99, m);
    snprintf(label, sizeof label, "%s cost", s->plat_names[p]);
    add_line(c, label, 1, (int)(s->n_plat + p), u, cost, m);
  }
  free(u);
  free(p99);
  free(cost);
  char part[128];
  file_part(name, part, sizeof part);
  snprintf(d->file, sizeof d->file, "charts/sweep_key%zu_%s", k, part);
  d->title = sim_xstrdup(title);
  return finish_chart(c, dir, d, err);
}

/* Key column k's values as numbers (NaN where empty); false with the first
 * text value in *bad when one is not a number, or when none is set. */
static bool key_values(const sweep_rows *s, size_t k, double *v, const char **bad) {
  bool any = false;
  *bad = NULL;
  for (size_t r = 0; r < s->t.n_rows; r++) {
    if (!parse_number(cell(&s->t, r, k), &v[r])) {
      *bad = cell(&s->t, r, k);
      return false;
    }
    any |= !isnan(v[r]);
  }
  return any;
}

/* --- HTML ------------------------------------------------------------------------------ */

/* What the sweep page adds to the shared style (out_html_head). */
static const char sweep_css[] = "td.text{text-align:left}\n";

static void html_head(FILE *f, const sweep_rows *s) {
  out_html_head(f, "scalesim sweep", sweep_css);
  fputs("<h1>scalesim sweep</h1>\n<p class=\"meta\">", f);
  fprintf(f, "%zu row%s of sweep.csv, %zu platform%s, %zu swept key%s", s->t.n_rows,
          s->t.n_rows == 1 ? "" : "s", s->n_plat, s->n_plat == 1 ? "" : "s", s->n_keys,
          s->n_keys == 1 ? "" : "s");
  if (s->means) fputs("; metrics are the means over each variant's replications", f);
  fputs(". Generated from sweep.csv; docs/experiments.md explains the page.</p>\n"
        "<nav><a href=\"#tradeoff\">Cost vs p99</a><a href=\"#front\">Pareto front</a>"
        "<a href=\"#sensitivity\">Sensitivity</a></nav>\n",
        f);
}

static int html_figure(FILE *f, const drawn *d, sim_error *err) {
  const char *svg = strstr(d->svg, "<svg");
  if (!svg) return sim_errorf(err, SIM_EFAIL, "chart %s: no <svg> element", d->file);
  fputs("<figure>\n", f);
  fputs(svg, f);
  fputs("\n<figcaption>", f);
  out_html_text(f, d->title);
  fputs(" &#8212; <a href=\"", f);
  out_html_text(f, d->file); /* file_part left letters, digits, '_' and '/' only */
  fputs(".svg\">SVG</a></figcaption>\n</figure>\n", f);
  return SIM_OK;
}

/* A number cell: value × scale with fmt, or empty for NaN. */
static void num_cell(FILE *f, double v, double scale, const char *fmt) {
  fputs("<td class=\"num\">", f);
  if (!isnan(v)) fprintf(f, fmt, v * scale);
  fputs("</td>", f);
}

static void text_cell(FILE *f, const char *s) {
  fputs("<td class=\"text\">", f);
  out_html_text(f, s);
  fputs("</td>", f);
}

static void html_front(FILE *f, const sweep_rows *s) {
  fputs("<h2 id=\"front\">Pareto front: cost and p99 latency</h2>\n"
        "<p>The rows that no other row beats on both cost and p99 latency "
        "(<code>pareto_cost_p99</code> = 1), cheapest first.</p>\n"
        "<table class=\"front\">\n<thead><tr><th>variant</th>",
        f);
  for (size_t k = 1; k <= s->n_keys; k++) {
    fputs("<th>", f);
    out_html_text(f, s->t.names[k]);
    fputs("</th>", f);
  }
  fputs("<th>platform</th><th>cost (USD)</th><th>p99 (ms)</th><th>error rate (%)</th>"
        "</tr></thead>\n<tbody>\n",
        f);
  size_t *idx = sim_xmalloc((s->t.n_rows + 1) * sizeof *idx);
  size_t n = front_rows(s, SIZE_MAX, idx);
  for (size_t i = 0; i < n; i++) {
    size_t r = idx[i];
    fputs("<tr data-variant=\"", f);
    out_html_text(f, cell(&s->t, r, 0));
    fputs("\" data-platform=\"", f);
    out_html_text(f, s->plat_names[s->plat[r]]);
    fputs("\">", f);
    for (size_t k = 0; k <= s->n_keys; k++) text_cell(f, cell(&s->t, r, k));
    text_cell(f, s->plat_names[s->plat[r]]);
    num_cell(f, s->cost[r], 1, fabs(s->cost[r]) < 10 ? "%.4f" : "%.2f");
    num_cell(f, s->p99[r], 1e3, "%.1f");
    num_cell(f, s->errors[r], 100, "%.2f");
    fputs("</tr>\n", f);
  }
  free(idx);
  fputs("</tbody>\n</table>\n", f);
  if (n == 0) fputs("<p class=\"missing\">No row is on the front (no p99 latency).</p>\n", f);
}

static void html_skipped(FILE *f, const char *key, const char *bad) {
  fputs("<p class=\"missing skipped\">No sensitivity chart for <code>", f);
  out_html_text(f, key);
  if (bad) {
    fputs("</code>: its values are not all numbers (e.g. <code>", f);
    out_html_text(f, bad);
    fputs("</code>).</p>\n", f);
  } else {
    fputs("</code>: no row sets it.</p>\n", f);
  }
}

/* Draws and writes the sensitivity section, one key after another. */
static int html_sensitivity(FILE *f, const sweep_rows *s, const char *dir, sim_error *err) {
  fputs("<h2 id=\"sensitivity\">Sensitivity to each swept key</h2>\n"
        "<p>Per platform, the mean p99 latency (left axis) and mean cost (right axis) of "
        "the rows with each value of the key, over all values of the other keys.</p>\n",
        f);
  double *v = sim_xmalloc((s->t.n_rows + 1) * sizeof *v);
  int rc = SIM_OK;
  for (size_t k = 1; rc == SIM_OK && k <= s->n_keys; k++) {
    const char *bad;
    if (!key_values(s, k, v, &bad)) {
      html_skipped(f, s->t.names[k], bad);
      continue;
    }
    drawn d = {0};
    rc = chart_key(s, k, v, dir, &d, err);
    if (rc == SIM_OK) rc = html_figure(f, &d, err);
    free(d.title);
    free(d.svg);
  }
  free(v);
  return rc;
}

static int write_page(const sweep_rows *s, const char *dir, sim_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/sweep.html", dir);
  out_file *of = out_file_open(path, err);
  if (!of) return SIM_EFAIL;
  FILE *f = out_file_stream(of);
  html_head(f, s);
  if (s->t.n_rows == 0) {
    fputs("<p class=\"missing\">sweep.csv has no rows: no run is complete yet.</p>\n"
          "</main>\n</body>\n</html>\n",
          f);
    return out_file_commit(of, err);
  }
  fputs("<h2 id=\"tradeoff\">Cost against p99 latency</h2>\n", f);
  drawn d = {0};
  int rc = chart_cost_p99(s, dir, &d, err);
  if (rc == SIM_OK) rc = html_figure(f, &d, err);
  free(d.title);
  free(d.svg);
  if (rc == SIM_OK) {
    html_front(f, s);
    rc = html_sensitivity(f, s, dir, err);
  }
  fputs("</main>\n</body>\n</html>\n", f);
  if (rc) {
    out_file_abort(of);
    return rc;
  }
  return out_file_commit(of, err);
}

int out_sweep_report_write(const char *dir, sim_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s/sweep.csv", dir);
  sweep_rows s;
  int rc = sweep_rows_read(path, &s, err);
  if (rc == SIM_OK) rc = write_page(&s, dir, err);
  sweep_rows_free(&s);
  return rc;
}

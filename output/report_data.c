/* report_data.c — reads a finished run's folder back (see report_data.h):
 * CSV through libcsv, summary.json through libfyaml. */
#include "output/report_data.h"

#include <csv.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/recorder.h"

/* --- CSV rows ---------------------------------------------------------------- */

/* Called once per row (the header too) with its fields; returns a status. */
typedef int (*row_fn)(void *arg, const char *path, size_t line, char **fields, size_t n,
                      sim_error *err);

typedef struct csv_state {
  char **fields;
  size_t n, cap;
  size_t line;  /* 1-based row number: the line, for files without quoted newlines */
  row_fn fn;
  void *arg;
  const char *path;
  int rc;
  sim_error *err;
} csv_state;

static void on_field(void *text, size_t len, void *data) {
  csv_state *s = data;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 32;
    s->fields = sim_xrealloc(s->fields, s->cap * sizeof *s->fields);
  }
  char *f = sim_xmalloc(len + 1);
  if (len) memcpy(f, text, len);
  f[len] = '\0';
  s->fields[s->n++] = f;
}

static void on_row(int term, void *data) {
  csv_state *s = data;
  if (s->rc == SIM_OK) s->rc = s->fn(s->arg, s->path, s->line, s->fields, s->n, s->err);
  for (size_t i = 0; i < s->n; i++) free(s->fields[i]);
  s->n = 0;
  s->line++;
}

/* Feeds every row of the CSV file at path to fn. */
static int csv_each(const char *path, row_fn fn, void *arg, sim_error *err) {
  FILE *f = fopen(path, "rb");
  if (!f) return sim_errorf(err, SIM_EINPUT, "%s: cannot open: %s", path, strerror(errno));
  struct csv_parser p;
  csv_init(&p, CSV_APPEND_NULL);
  csv_state s = {.line = 1, .fn = fn, .arg = arg, .path = path, .err = err};
  char buf[65536];
  size_t got;
  while (s.rc == SIM_OK && (got = fread(buf, 1, sizeof buf, f)) > 0)
    if (csv_parse(&p, buf, got, on_field, on_row, &s) != got && s.rc == SIM_OK)
      s.rc = sim_errorf(err, SIM_EINPUT, "%s:%zu: malformed CSV: %s", path, s.line,
                        csv_strerror(csv_error(&p)));
  if (s.rc == SIM_OK && ferror(f))
    s.rc = sim_errorf(err, SIM_EINPUT, "%s: read error: %s", path, strerror(errno));
  if (s.rc == SIM_OK) csv_fini(&p, on_field, on_row, &s);
  for (size_t i = 0; i < s.n; i++) free(s.fields[i]);
  free(s.fields);
  csv_free(&p);
  fclose(f);
  return s.rc;
}

/* Parses a whole cell as a number; "" is NaN. Returns false when it is not one. */
static bool parse_number(const char *text, double *v) {
  if (!*text) {
    *v = NAN;
    return true;
  }
  char *end;
  errno = 0;
  *v = strtod(text, &end);
  return end != text && *end == '\0' && errno != ERANGE;
}

/* --- numeric tables ---------------------------------------------------------- */

/* How a column merges when several rows become one (out_series_read): the
 * recorder's counters add up, an interval starts where its first part did, a
 * running total is its last part's, latency quantiles take the worst part's,
 * and everything else (time-weighted gauges, utilisations, shares) averages. */
enum { MERGE_MEAN = 0, MERGE_SUM, MERGE_MAX, MERGE_FIRST, MERGE_LAST };

static int merge_kind_of(const char *name) {
  if (strcmp(name, "t_s") == 0) return MERGE_FIRST;
  if (strcmp(name, "cost_cum_usd") == 0) return MERGE_LAST;
  if (strncmp(name, "latency_", 8) == 0) return MERGE_MAX;
  for (int c = 0; c < OUT_COUNTER_COUNT; c++)
    if (strcmp(name, out_counter_name((out_counter)c)) == 0) return MERGE_SUM;
  return MERGE_MEAN;
}

/* a merged with b (NaN: no value; a mean of two halves is their average). */
static double merge2(int kind, double a, double b) {
  if (isnan(a)) return kind == MERGE_FIRST ? a : b;
  if (isnan(b)) return kind == MERGE_LAST ? b : a;
  switch (kind) {
  case MERGE_SUM: return a + b;
  case MERGE_MAX: return a > b ? a : b;
  case MERGE_FIRST: return a;
  case MERGE_LAST: return b;
  default: return (a + b) / 2;
  }
}

typedef struct table_builder {
  out_table *t;
  size_t cap;
  /* Bounded reading (out_series_read; max_rows 0: unbounded): each table row
   * holds `per_row` file rows; the next one builds up in acc (acc_n rows). */
  size_t max_rows, per_row, acc_n;
  int *kind;
  double *acc, *acc_count; /* MERGE_MEAN: sum and count of the values seen */
  double *row;             /* the row being parsed */
} table_builder;

static void push_row(table_builder *b, const double *v) {
  out_table *t = b->t;
  if (t->n_rows == b->cap) {
    b->cap = b->cap ? 2 * b->cap : 256;
    for (size_t c = 0; c < t->n_cols; c++)
      t->cols[c] = sim_xrealloc(t->cols[c], b->cap * sizeof *t->cols[c]);
  }
  for (size_t c = 0; c < t->n_cols; c++) t->cols[c][t->n_rows] = v[c];
  t->n_rows++;
}

/* The table is full: neighbouring rows merge in pairs, and from now on each
 * row holds twice as many of the file's. */
static void halve(table_builder *b) {
  out_table *t = b->t;
  size_t n = t->n_rows / 2;
  for (size_t c = 0; c < t->n_cols; c++)
    for (size_t r = 0; r < n; r++)
      t->cols[c][r] = merge2(b->kind[c], t->cols[c][2 * r], t->cols[c][2 * r + 1]);
  t->n_rows = n;
  b->per_row *= 2;
}

/* The accumulated rows become one table row (means divided out). */
static void push_acc(table_builder *b) {
  for (size_t c = 0; c < b->t->n_cols; c++)
    if (b->kind[c] == MERGE_MEAN) b->acc[c] = b->acc_count[c] ? b->acc[c] / b->acc_count[c] : NAN;
  push_row(b, b->acc);
  b->acc_n = 0;
}

/* One row of the file into the accumulator (bounded reading). A full one
 * becomes a table row; when the table is full too, its rows merge in pairs
 * first and the accumulator goes on to the new, doubled size. */
static void accumulate(table_builder *b, const double *v) {
  for (size_t c = 0; c < b->t->n_cols; c++) {
    double *a = &b->acc[c];
    if (b->acc_n == 0) {
      *a = b->kind[c] == MERGE_MEAN && isnan(v[c]) ? 0 : v[c];
      b->acc_count[c] = !isnan(v[c]);
    } else if (b->kind[c] == MERGE_MEAN) {
      if (!isnan(v[c])) *a += v[c], b->acc_count[c]++;
    } else {
      *a = merge2(b->kind[c], *a, v[c]);
    }
  }
  if (++b->acc_n < b->per_row) return;
  if (b->t->n_rows == b->max_rows) halve(b);
  else push_acc(b);
}

static int table_row(void *arg, const char *path, size_t line, char **fields, size_t n,
                     sim_error *err) {
  table_builder *b = arg;
  out_table *t = b->t;
  if (line == 1) {
    t->n_cols = n;
    t->names = sim_xcalloc(n, sizeof *t->names);
    t->cols = sim_xcalloc(n, sizeof *t->cols);
    /* Columns exist from the header on, so a table with no rows still has them. */
    b->cap = 256;
    b->kind = sim_xcalloc(n + 1, sizeof *b->kind);
    b->acc = sim_xcalloc(3 * (n + 1), sizeof *b->acc);
    b->acc_count = b->acc + n + 1;
    b->row = b->acc_count + n + 1;
    for (size_t c = 0; c < n; c++) {
      t->names[c] = sim_xstrdup(fields[c]);
      t->cols[c] = sim_xmalloc(b->cap * sizeof *t->cols[c]);
      b->kind[c] = merge_kind_of(fields[c]);
    }
    return SIM_OK;
  }
  if (n != t->n_cols)
    return sim_errorf(err, SIM_EINPUT, "%s:%zu: expected %zu fields, got %zu", path, line,
                      t->n_cols, n);
  for (size_t c = 0; c < n; c++)
    if (!parse_number(fields[c], &b->row[c]))
      return sim_errorf(err, SIM_EINPUT, "%s:%zu: column '%s': not a number: '%s'", path, line,
                        t->names[c], fields[c]);
  if (b->max_rows) accumulate(b, b->row);
  else push_row(b, b->row);
  return SIM_OK;
}

static int read_table(const char *path, size_t max_rows, out_table **out, size_t *per_row,
                      sim_error *err) {
  SIM_ASSERT(max_rows == 0 || max_rows >= 2);
  table_builder b = {.t = sim_xcalloc(1, sizeof *b.t), .max_rows = max_rows, .per_row = 1};
  int rc = csv_each(path, table_row, &b, err);
  if (rc == SIM_OK && b.t->n_cols == 0)
    rc = sim_errorf(err, SIM_EINPUT, "%s:1: empty file (expected a header)", path);
  if (rc == SIM_OK && b.acc_n) { /* the last rows: fewer than a full one */
    if (b.t->n_rows == b.max_rows) halve(&b);
    push_acc(&b);
  }
  free(b.kind);
  free(b.acc);
  if (rc) {
    out_table_free(b.t);
    b.t = NULL;
  }
  *out = b.t;
  if (per_row) *per_row = b.per_row;
  return rc;
}

int out_table_read(const char *path, out_table **out, sim_error *err) {
  return read_table(path, 0, out, NULL, err);
}

int out_series_read(const char *path, size_t max_rows, out_table **out, size_t *per_row,
                    sim_error *err) {
  return read_table(path, max_rows, out, per_row, err);
}
void out_table_free(out_table *t) {
  if (!t) return;
  for (size_t c = 0; c < t->n_cols; c++) {
    free(t->names[c]);
    free(t->cols[c]);
  }
  free(t->names);
  free(t->cols);
  free(t);
}

const double *out_table_col(const out_table *t, const char *name) {
  if (!t) return NULL;
  for (size_t c = 0; c < t->n_cols; c++)
    if (strcmp(t->names[c], name) == 0) return t->cols[c];
  return NULL;
}

/* --- text tables (decisions, settings) -------------------------------------- */

/* Maps wanted column names to their indices in a header; optional ones may be
 * missing (index SIZE_MAX). */
typedef struct text_builder {
  const char *const *want; /* column names, NULL-terminated */
  size_t n_required;       /* the first n_required of want must be present */
  size_t index[16];
  size_t n_fields;
  void (*row)(void *arg, char **cells); /* cells in `want` order; NULL if absent */
  void *arg;
} text_builder;

static int text_row(void *arg, const char *path, size_t line, char **fields, size_t n,
                    sim_error *err) {
  text_builder *b = arg;
  if (line == 1) {
    b->n_fields = n;
    for (size_t w = 0; b->want[w]; w++) {
      b->index[w] = (size_t)-1;
      for (size_t c = 0; c < n; c++)
        if (strcmp(fields[c], b->want[w]) == 0) b->index[w] = c;
      if (b->index[w] == (size_t)-1 && w < b->n_required)
        return sim_errorf(err, SIM_EINPUT, "%s:1: header: no column '%s'", path, b->want[w]);
    }
    return SIM_OK;
  }
  if (n != b->n_fields)
    return sim_errorf(err, SIM_EINPUT, "%s:%zu: expected %zu fields, got %zu", path, line,
                      b->n_fields, n);
  char *cells[16];
  size_t w = 0;
  for (; b->want[w]; w++) cells[w] = b->index[w] == (size_t)-1 ? NULL : fields[b->index[w]];
  b->row(b->arg, cells);
  return SIM_OK;
}

typedef struct decision_list {
  out_run_platform *p;
  size_t cap;
  const char *path;
  size_t line;
  int rc;
  sim_error *err;
} decision_list;

static const char *const decision_cols[] = {"t_s", "source", "event", "metric", "value",
                                            "old_desired", "new_desired", "status", "reason",
                                            NULL};

static int decision_number(decision_list *d, const char *text, const char *col, double *v) {
  if (parse_number(text, v)) return SIM_OK;
  return sim_errorf(d->err, SIM_EINPUT, "%s:%zu: column '%s': not a number: '%s'", d->path,
                    d->line, col, text);
}

static int compare_text(const void *a, const void *b) { return strcmp(a, b); }

/* The decisions' text cells repeat — a handful of sources, events, statuses
 * and reasons over thousands of rows — so each distinct text is kept once, in
 * the C library's search tree (tsearch), and rows point at it. */
static const char *intern(void **texts, const char *text) {
  char **found = tfind(text, texts, compare_text);
  if (found) return *found;
  char *copy = sim_xstrdup(text);
  found = tsearch(copy, texts, compare_text);
  SIM_ASSERT(found); /* NULL only when the tree could not allocate */
  return *found;
}

static void decision_row(void *arg, char **c) {
  decision_list *d = arg;
  out_run_platform *p = d->p;
  d->line++;
  if (d->rc) return;
  if (p->n_decisions == d->cap) {
    d->cap = d->cap ? 2 * d->cap : 64;
    p->decisions = sim_xrealloc(p->decisions, d->cap * sizeof *p->decisions);
  }
  out_decision_row r = {0};
  if ((d->rc = decision_number(d, c[0], "t_s", &r.t_s)) ||
      (d->rc = decision_number(d, c[4], "value", &r.value)) ||
      (d->rc = decision_number(d, c[5], "old_desired", &r.old_desired)) ||
      (d->rc = decision_number(d, c[6], "new_desired", &r.new_desired)))
    return;
  if (isnan(r.t_s)) {
    d->rc = sim_errorf(d->err, SIM_EINPUT, "%s:%zu: column 't_s': empty", d->path, d->line);
    return;
  }
  r.source = intern(&p->decision_texts, c[1]);
  r.event = intern(&p->decision_texts, c[2]);
  r.metric = intern(&p->decision_texts, c[3]);
  r.status = intern(&p->decision_texts, c[7]);
  r.reason = intern(&p->decision_texts, c[8]);
  p->decisions[p->n_decisions++] = r;
}

static int read_decisions(const char *path, out_run_platform *p, sim_error *err) {
  decision_list d = {.p = p, .path = path, .line = 1, .err = err};
  text_builder b = {.want = decision_cols, .n_required = 9, .row = decision_row, .arg = &d};
  int rc = csv_each(path, text_row, &b, err);
  p->has_decisions = true;
  return rc ? rc : d.rc;
}

typedef struct settings_list {
  out_run *r;
  size_t cap;
} settings_list;

static const char *const settings_cols[] = {"platform", "key", "value", "defaulted", "role",
                                            NULL};

static void setting_row(void *arg, char **c) {
  settings_list *l = arg;
  out_run *r = l->r;
  if (r->n_settings == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    r->settings = sim_xrealloc(r->settings, l->cap * sizeof *r->settings);
  }
  r->settings[r->n_settings++] = (out_setting_row){
      sim_xstrdup(c[0]), sim_xstrdup(c[1]), sim_xstrdup(c[2]), sim_xstrdup(c[4] ? c[4] : ""),
      strcmp(c[3], "true") == 0 || strcmp(c[3], "1") == 0};
}

static int read_settings(const char *path, out_run *r, sim_error *err) {
  settings_list l = {.r = r};
  text_builder b = {.want = settings_cols, .n_required = 4, .row = setting_row, .arg = &l};
  r->has_settings = true;
  return csv_each(path, text_row, &b, err);
}

/* --- latency histogram ------------------------------------------------------- */

static int read_latency(const char *path, out_run_platform *p, sim_error *err) {
  out_table *t;
  int rc = out_table_read(path, &t, err);
  if (rc) return rc;
  const double *x = out_table_col(t, "latency_s"), *n = out_table_col(t, "count");
  if (!x || !n) {
    out_table_free(t);
    return sim_errorf(err, SIM_EINPUT, "%s:1: header: expected columns latency_s,count", path);
  }
  p->n_lat = t->n_rows;
  p->lat_s = sim_xmalloc(t->n_rows * sizeof *p->lat_s + 1);
  p->lat_count = sim_xmalloc(t->n_rows * sizeof *p->lat_count + 1);
  memcpy(p->lat_s, x, t->n_rows * sizeof *x);
  memcpy(p->lat_count, n, t->n_rows * sizeof *n);
  out_table_free(t);
  for (size_t i = 0; i < p->n_lat; i++)
    if (isnan(p->lat_s[i]) || isnan(p->lat_count[i]) || p->lat_count[i] < 0 ||
        (i > 0 && p->lat_s[i] <= p->lat_s[i - 1]))
      return sim_errorf(err, SIM_EINPUT,
                        "%s:%zu: expected increasing latency_s and a count >= 0", path, i + 2);
  return SIM_OK;
}

/* --- summary.json -------------------------------------------------------------- */

/* An error at a node of summary.json, located by its path in the document
 * ("/platforms/0/requests"): libfyaml 0.7 has no accessor for a node's line. */
static int json_error(const char *path, struct fy_node *node, sim_error *err, const char *what) {
  char *where = node ? fy_node_get_path(node) : NULL;
  int rc = sim_errorf(err, SIM_EINPUT, "%s: %s: %s", path, where ? where : "/", what);
  free(where);
  return rc;
}

static char *scalar_dup(struct fy_node *n) {
  const char *s = n && fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
  return s ? sim_xstrdup(s) : NULL;
}

static int read_platform_entry(const char *path, struct fy_node *node, out_run_platform *p,
                               sim_error *err) {
  if (!fy_node_is_mapping(node)) return json_error(path, node, err, "expected an object");
  size_t cap = (size_t)fy_node_mapping_item_count(node);
  p->fields = sim_xcalloc(cap + 1, sizeof *p->fields);
  void *iter = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(node, &iter))) {
    struct fy_node *k = fy_node_pair_key(pair), *v = fy_node_pair_value(pair);
    const char *key = fy_node_get_scalar0(k);
    if (!key) return json_error(path, k, err, "expected a string key");
    if (strcmp(key, "name") == 0 || strcmp(key, "kind") == 0) {
      char *s = scalar_dup(v);
      if (!s) return json_error(path, v, err, "expected a string");
      free(strcmp(key, "name") == 0 ? p->name : p->kind);
      *(strcmp(key, "name") == 0 ? &p->name : &p->kind) = s;
      continue;
    }
    const char *text = fy_node_is_scalar(v) ? fy_node_get_scalar0(v) : NULL;
    if (strcmp(key, "complete") == 0) {
      p->incomplete = text && strcmp(text, "false") == 0;
      continue;
    }
    double value;
    bool null = text && strcmp(text, "null") == 0;
    if (!text || (!null && (!parse_number(text, &value) || !*text))) {
      char what[160];
      snprintf(what, sizeof what, "%s: expected a number or null", key);
      return json_error(path, v, err, what);
    }
    p->fields[p->n_fields++] = (out_field){sim_xstrdup(key), null ? NAN : value};
  }
  if (!p->name) return json_error(path, node, err, "platform entry without \"name\"");
  if (!p->kind) p->kind = sim_xstrdup("");
  return SIM_OK;
}

static int read_summary(const char *path, out_run *r, sim_error *err) {
  if (access(path, R_OK) != 0)
    return sim_errorf(err, SIM_EINPUT, "%s: cannot open: %s (is this a run folder?)", path,
                      strerror(errno));
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_AUTO};
  struct fy_document *doc = fy_document_build_from_file(&cfg, path);
  if (!doc) return sim_errorf(err, SIM_EINPUT, "%s: not valid JSON", path);
  int rc = SIM_OK;
  struct fy_node *root = fy_document_root(doc);
  struct fy_node *list = root && fy_node_is_mapping(root)
                             ? fy_node_mapping_lookup_by_string(root, "platforms", -1)
                             : NULL;
  if (!list || !fy_node_is_sequence(list)) {
    rc = json_error(path, root, err, "expected an object with a \"platforms\" list");
    goto done;
  }
  r->scenario = scalar_dup(fy_node_mapping_lookup_by_string(root, "scenario", -1));
  r->seed = scalar_dup(fy_node_mapping_lookup_by_string(root, "seed", -1));
  const char *complete = fy_node_get_scalar0(fy_node_mapping_lookup_by_string(root, "complete", -1));
  r->incomplete = complete && strcmp(complete, "false") == 0;
  if (!r->scenario) r->scenario = sim_xstrdup("");
  if (!r->seed) r->seed = sim_xstrdup("");
  r->n_platforms = 0;
  r->platforms = sim_xcalloc((size_t)fy_node_sequence_item_count(list) + 1, sizeof *r->platforms);
  void *iter = NULL;
  struct fy_node *item;
  while (rc == SIM_OK && (item = fy_node_sequence_iterate(list, &iter)))
    rc = read_platform_entry(path, item, &r->platforms[r->n_platforms++], err);
done:
  fy_document_destroy(doc);
  return rc;
}

/* --- the run ---------------------------------------------------------------------- */

static char *join(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
  char *s = sim_xmalloc(n);
  if (c) snprintf(s, n, "%s/%s/%s", a, b, c);
  else snprintf(s, n, "%s/%s", a, b);
  return s;
}

static bool exists(const char *path) { return access(path, F_OK) == 0; }

static int read_platform_files(const char *dir, out_run_platform *p, sim_error *err) {
  int rc = SIM_OK;
  char *ts = join(dir, p->name, "timeseries.csv");
  char *dec = join(dir, p->name, "decisions.csv");
  char *lat = join(dir, p->name, "latency.csv");
  if (exists(ts)) rc = out_series_read(ts, OUT_SERIES_MAX_ROWS, &p->ts, &p->ts_per_row, err);
  if (rc == SIM_OK && exists(dec)) rc = read_decisions(dec, p, err);
  if (rc == SIM_OK && exists(lat)) rc = read_latency(lat, p, err);
  free(ts);
  free(dec);
  free(lat);
  return rc;
}

int out_run_read(const char *dir, out_run **out, sim_error *err) {
  out_run *r = sim_xcalloc(1, sizeof *r);
  r->dir = sim_xstrdup(dir);
  char *summary = join(dir, "summary.json", NULL);
  char *settings = join(dir, "settings.csv", NULL);
  int rc = read_summary(summary, r, err);
  for (size_t i = 0; rc == SIM_OK && i < r->n_platforms; i++)
    rc = read_platform_files(dir, &r->platforms[i], err);
  if (rc == SIM_OK && exists(settings)) rc = read_settings(settings, r, err);
  free(summary);
  free(settings);
  if (rc) {
    out_run_free(r);
    r = NULL;
  }
  *out = r;
  return rc;
}

static void platform_free(out_run_platform *p) {
  free(p->name);
  free(p->kind);
  for (size_t i = 0; i < p->n_fields; i++) free(p->fields[i].key);
  free(p->fields);
  out_table_free(p->ts);
  tdestroy(p->decision_texts, free);
  free(p->decisions);
  free(p->lat_s);
  free(p->lat_count);
}

void out_run_free(out_run *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_platforms; i++) platform_free(&r->platforms[i]);
  free(r->platforms);
  for (size_t i = 0; i < r->n_settings; i++) {
    out_setting_row *s = &r->settings[i];
    free(s->platform);
    free(s->key);
    free(s->value);
    free(s->role);
  }
  free(r->settings);
  free(r->dir);
  free(r->scenario);
  free(r->seed);
  free(r);
}

double out_run_value(const out_run_platform *p, const char *key) {
  for (size_t i = 0; i < p->n_fields; i++)
    if (strcmp(p->fields[i].key, key) == 0) return p->fields[i].value;
  return NAN;
}

const out_setting_row *out_run_setting_by_role(const out_run *r, const char *platform,
                                               const char *role) {
  for (size_t i = 0; i < r->n_settings; i++)
    if (strcmp(r->settings[i].platform, platform) == 0 && strcmp(r->settings[i].role, role) == 0)
      return &r->settings[i];
  return NULL;
}

double out_run_cpu_target_pct(const out_run *r, const char *platform) {
  const out_setting_row *st = out_run_setting_by_role(r, platform, "cpu_target");
  if (!st) return NAN;
  char *end;
  double v = strtod(st->value, &end);
  if (end == st->value) return NAN;
  return *end == '%' || v > 1 ? v : v * 100;
}

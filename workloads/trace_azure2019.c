/* trace_azure2019.c — the Azure Functions Trace 2019 (AzureFunctionsDataset2019.md;
 * specs/trace-formats.md §3.3.1): per function, the invocation count of each
 * minute of a day, with the day's duration percentiles and the app's memory.
 *
 *   invocations  [HashOwner,HashApp,]HashFunction,Trigger,1,2,...,1440 (counts)
 *   durations    ids,Average,Count,Minimum,Maximum,percentile_Average_{0,1,25,50,75,99,100} (ms)
 *   memory       ids,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct{...} (MB)
 *
 * Files are matched by the id columns they share (the sample's integer
 * HashFunction, or the original's HashOwner/HashApp/HashFunction hashes).
 * Each function's count of a minute is expanded inside that minute as `spread`
 * says, and every function's stream of the minute is merged by a heap, so
 * arrivals come out in time order. A request's duration is drawn from its
 * function's percentile table as an empirical distribution (quantiles.h).
 * Caveat from the schema: those are percentiles of 30-second *averages* and
 * exclude cold starts, so they are narrower than per-invocation durations.
 * Functions without a duration row take the scenario's request.duration.
 *
 * The minute number is relative to the day; the day comes from the file name
 * (`...anon.dNN.csv`: day NN starts at (NN - 1) × 86400 s); without one, day 1.
 *
 * Memory: rows are functions and columns minutes, so no minute can be emitted
 * before the whole file is read. The reader keeps the non-zero (function,
 * minute) counts of one day file in a compact array — bounded by the file, not
 * by the requests it expands to — plus one cursor per function active in the
 * current minute. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "workloads/csvrows.h"
#include "workloads/interval.h"
#include "workloads/quantiles.h"
#include "workloads/trace_csv.h"
#include "workloads/tstamp.h"

enum { ID_OWNER, ID_APP, ID_FUNCTION, N_IDS, N_PCT = 7, MINUTES_PER_DAY = 1440 };
static const char *const id_names[N_IDS] = {"HashOwner", "HashApp", "HashFunction"};
static const char *const pct_names[N_PCT] = {
    "percentile_Average_0",  "percentile_Average_1",  "percentile_Average_25",
    "percentile_Average_50", "percentile_Average_75", "percentile_Average_99",
    "percentile_Average_100"};
static const double pct_p[N_PCT] = {0, 0.01, 0.25, 0.50, 0.75, 0.99, 1};

typedef struct fn_info {
  char *id[N_IDS];    /* "" when the file has no such column */
  long line;          /* its row in the invocations file */
  bool has_durations;
  double pct_s[N_PCT]; /* duration percentiles (s) */
  double memory_mib;   /* 0 when unknown */
} fn_info;

typedef struct cell {
  uint32_t fn, count;
} cell;

typedef struct cursor {
  double next_s;
  uint32_t fn;
  wl_interval iv;
} cursor;

struct wl_parser {
  wl_parse_env *env;
  fn_info *fns;
  size_t n_fns, cap_fns;
  bool has_id[N_IDS];
  cell *cells;          /* non-zero counts, by minute */
  size_t *minute_start; /* cells of minute m: [minute_start[m], minute_start[m + 1]) */
  size_t n_minutes;
  double day_start_s;
  size_t minute;        /* the next minute to expand */
  double skip_before_s;
  cursor *heap;
  size_t n_heap;
};

/* --- reading the invocations ------------------------------------------------------ */

typedef struct triple {
  uint32_t minute, fn, count;
} triple;

typedef struct loader {
  wl_parser *p;
  wl_csv *csv;
  size_t col_id[N_IDS], col_trigger;
  size_t *minute_col; /* column of minute m (0-based), SIZE_MAX if absent */
  triple *t;
  size_t n_t, cap_t;
} loader;

/* The day offset of a file named `...dNN.csv` (Azure's naming), else 0. */
static double day_offset(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  for (const char *s = strstr(base, ".d"); s; s = strstr(s + 1, ".d")) {
    if (s[2] >= '0' && s[2] <= '9' && s[3] >= '0' && s[3] <= '9' && s[4] == '.') {
      int day = (s[2] - '0') * 10 + (s[3] - '0');
      if (day >= 1) return (day - 1) * 86400.0;
    }
  }
  return 0;
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

/* Finds the id, trigger and minute columns of the invocations header. */
/* The minute a header name stands for (1..1440), 0 if it is not a minute
 * column, -1 if it is a number out of a day's range. */
static long minute_of(const char *name) {
  if (!all_digits(name)) return 0;
  if (strlen(name) > 4) return -1;
  long m = strtol(name, NULL, 10);
  return m >= 1 && m <= MINUTES_PER_DAY ? m : -1;
}

static int map_invocation_columns(loader *l, sim_error *err) {
  size_t nc = wl_csv_ncolumns(l->csv);
  for (int k = 0; k < N_IDS; k++)
    l->p->has_id[k] = wl_csv_column(l->csv, id_names[k], &l->col_id[k], NULL) == SIM_OK;
  if (!l->p->has_id[ID_FUNCTION])
    return wl_csv_column(l->csv, "HashFunction", &l->col_id[ID_FUNCTION], err);
  int rc = wl_csv_column(l->csv, "Trigger", &l->col_trigger, err);
  if (rc) return rc;
  long max_minute = 0;
  for (size_t i = 0; i < nc; i++) {
    long m = minute_of(wl_csv_colname(l->csv, i));
    if (m < 0)
      return sim_errorf(err, SIM_EINPUT, "%s:1: header: minute column '%.20s' is not in 1..%d",
                        wl_csv_path(l->csv), wl_csv_colname(l->csv, i), MINUTES_PER_DAY);
    if (m > max_minute) max_minute = m;
  }
  if (max_minute == 0)
    return sim_errorf(err, SIM_EINPUT, "%s:1: header: no minute columns (1, 2, ...)",
                      wl_csv_path(l->csv));
  l->p->n_minutes = (size_t)max_minute;
  l->minute_col = sim_xmalloc(l->p->n_minutes * sizeof *l->minute_col);
  for (size_t m = 0; m < l->p->n_minutes; m++) l->minute_col[m] = SIZE_MAX;
  for (size_t i = 0; i < nc; i++) {
    long m = minute_of(wl_csv_colname(l->csv, i));
    if (m > 0) l->minute_col[m - 1] = i;
  }
  return SIM_OK;
}

static void add_triple(loader *l, uint32_t minute, uint32_t fn, uint32_t count) {
  if (l->n_t == l->cap_t) {
    l->cap_t = l->cap_t ? 2 * l->cap_t : 1024;
    l->t = sim_xrealloc(l->t, l->cap_t * sizeof *l->t);
  }
  l->t[l->n_t++] = (triple){minute, fn, count};
}

/* Reads one function's row: 1 kept, 0 filtered, -1 malformed (err set). */
static int load_row(loader *l, sim_error *err) {
  wl_parser *p = l->p;
  const wl_filter_cfg *f = p->env->filter;
  const char *func = wl_csv_field(l->csv, l->col_id[ID_FUNCTION], NULL);
  const char *app = p->has_id[ID_APP] ? wl_csv_field(l->csv, l->col_id[ID_APP], NULL) : NULL;
  const char *trig = wl_csv_field(l->csv, l->col_trigger, NULL);
  const char *path = wl_csv_path(l->csv);
  long ln = wl_csv_line(l->csv);
  if (!func || !trig)
    return wl_rec_fail(err, "%s:%ld: %s: missing (the row has %zu field%s)", path, ln,
                       func ? "Trigger" : "HashFunction", wl_csv_nfields(l->csv),
               wl_csv_nfields(l->csv) == 1 ? "" : "s");
  bool id_ok = !f || !f->function || !*f->function ||
               wl_id_listed(f->function, func, strlen(func)) ||
               (app && wl_id_listed(f->function, app, strlen(app)));
  bool trig_ok = !f || wl_id_listed(f->trigger, trig, strlen(trig));
  size_t first = l->n_t;
  uint64_t sum = 0;
  for (size_t m = 0; m < p->n_minutes; m++) {
    if (l->minute_col[m] == SIZE_MAX) continue;
    size_t len;
    const char *s = wl_csv_field(l->csv, l->minute_col[m], &len);
    double v;
    if (!s || !wl_parse_decimal(s, len, &v, NULL) || v < 0 || v != floor(v) || v > UINT32_MAX) {
      l->n_t = first;
      return s ? wl_rec_fail(err, "%s:%ld: minute %zu: expected a count (an integer >= 0), "
                             "got '%.60s'", path, ln, m + 1, s)
               : wl_rec_fail(err, "%s:%ld: minute %zu: missing (the row has %zu field%s)", path,
                             ln, m + 1, wl_csv_nfields(l->csv),
               wl_csv_nfields(l->csv) == 1 ? "" : "s");
    }
    if (v > 0) add_triple(l, (uint32_t)m, (uint32_t)p->n_fns, (uint32_t)v);
    sum += (uint64_t)v;
  }
  if (!id_ok || !trig_ok) {
    l->n_t = first;
    p->env->counts->filtered += sum;
    return 0;
  }
  if (p->n_fns == p->cap_fns) {
    p->cap_fns = p->cap_fns ? 2 * p->cap_fns : 256;
    p->fns = sim_xrealloc(p->fns, p->cap_fns * sizeof *p->fns);
  }
  fn_info *fn = &p->fns[p->n_fns++];
  memset(fn, 0, sizeof *fn);
  for (int k = 0; k < N_IDS; k++)
    fn->id[k] = sim_xstrdup(p->has_id[k] ? wl_csv_field(l->csv, l->col_id[k], NULL) : "");
  fn->line = ln;
  return 1;
}

/* Orders the counts by minute (a counting sort) into p->cells/minute_start. */
static void index_by_minute(loader *l) {
  wl_parser *p = l->p;
  p->minute_start = sim_xcalloc(p->n_minutes + 1, sizeof *p->minute_start);
  for (size_t i = 0; i < l->n_t; i++) p->minute_start[l->t[i].minute + 1]++;
  for (size_t m = 0; m < p->n_minutes; m++) p->minute_start[m + 1] += p->minute_start[m];
  p->cells = sim_xmalloc((l->n_t ? l->n_t : 1) * sizeof *p->cells);
  size_t *fill = sim_xmalloc((p->n_minutes + 1) * sizeof *fill);
  memcpy(fill, p->minute_start, (p->n_minutes + 1) * sizeof *fill);
  for (size_t i = 0; i < l->n_t; i++)
    p->cells[fill[l->t[i].minute]++] = (cell){l->t[i].fn, l->t[i].count};
  free(fill);
}

static int load_invocations(wl_parser *p, const char *path, sim_error *err) {
  loader l = {.p = p};
  int rc = wl_csv_open(path, ',', true, &l.csv, err);
  if (rc == 0) rc = map_invocation_columns(&l, err);
  while (rc == 0) {
    rc = wl_csv_next(l.csv, err);
    if (rc <= 0) {
      rc = -rc;
      break;
    }
    rc = load_row(&l, err);
    if (rc >= 0) rc = 0;
    else rc = -wl_parse_bad_record(p->env, err);
  }
  if (rc == 0) index_by_minute(&l);
  wl_csv_free(l.csv);
  free(l.minute_col);
  free(l.t);
  return rc;
}

/* --- durations and memory ---------------------------------------------------------- */

/* Which of the id columns a side file has, and where. */
typedef struct side_ids {
  bool has[N_IDS];
  size_t col[N_IDS];
} side_ids;

static int map_side_ids(wl_parser *p, wl_csv *csv, side_ids *ids, sim_error *err) {
  bool any = false;
  for (int k = 0; k < N_IDS; k++) {
    ids->has[k] = p->has_id[k] && wl_csv_column(csv, id_names[k], &ids->col[k], NULL) == SIM_OK;
    any |= ids->has[k];
  }
  if (!any)
    return sim_errorf(err, SIM_EINPUT, "%s:1: header: no id column shared with the invocations "
                      "file (HashOwner, HashApp, HashFunction)", wl_csv_path(csv));
  return SIM_OK;
}

/* Side-file rows are matched to functions through an index of the functions
 * sorted by the ids the side file has (several functions of one app share a
 * memory row). */
typedef struct key_ctx {
  const side_ids *ids;
  const fn_info *fns;
} key_ctx;

static int cmp_keys(char *const *a, char *const *b, const side_ids *ids) {
  for (int k = 0; k < N_IDS; k++) {
    if (!ids->has[k]) continue;
    int c = strcmp(a[k], b[k]);
    if (c) return c;
  }
  return 0;
}

static int cmp_order(const void *a, const void *b, void *ctx) {
  const key_ctx *k = ctx;
  return cmp_keys(k->fns[*(const size_t *)a].id, k->fns[*(const size_t *)b].id, k->ids);
}

/* The first position in order whose function's key is >= probe. */
static size_t lower_bound(const size_t *order, size_t n, const key_ctx *k, char *const *probe) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (cmp_keys(k->fns[order[mid]].id, probe, k->ids) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef enum side_kind { SIDE_DURATIONS, SIDE_MEMORY } side_kind;

/* Parses the current side row's values into v (durations: 7 percentiles in s;
 * memory: MiB). 0, or -1 with err set. */
static int parse_side_values(wl_csv *csv, side_kind kind, const size_t *cols, double *v,
                             sim_error *err) {
  size_t n = kind == SIDE_DURATIONS ? N_PCT : 1;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    const char *s = wl_csv_field(csv, cols[i], &len);
    if (!s)
      return wl_rec_fail(err, "%s:%ld: %s: missing (the row has %zu field%s)", wl_csv_path(csv),
                         wl_csv_line(csv), wl_csv_colname(csv, cols[i]), wl_csv_nfields(csv),
               wl_csv_nfields(csv) == 1 ? "" : "s");
    if (!wl_parse_decimal(s, len, &v[i], NULL) || v[i] < 0)
      return wl_rec_fail(err, "%s:%ld: %s: expected a number >= 0, got '%.60s'",
                         wl_csv_path(csv), wl_csv_line(csv), wl_csv_colname(csv, cols[i]), s);
    if (kind == SIDE_DURATIONS) v[i] /= 1000; /* the trace gives milliseconds */
  }
  char why[200];
  if (kind == SIDE_DURATIONS && !wl_quantiles_check(pct_p, v, N_PCT, why, sizeof why))
    return wl_rec_fail(err, "%s:%ld: percentile_Average: %s", wl_csv_path(csv), wl_csv_line(csv),
                       why);
  return 0;
}

static void apply_side(fn_info *fn, side_kind kind, const double *v) {
  if (kind == SIDE_MEMORY) {
    fn->memory_mib = v[0];
    return;
  }
  fn->has_durations = true;
  memcpy(fn->pct_s, v, sizeof fn->pct_s);
}

static int read_side_rows(wl_parser *p, wl_csv *csv, side_kind kind, const side_ids *ids,
                          const size_t *cols, const size_t *order, sim_error *err) {
  key_ctx k = {ids, p->fns};
  for (;;) {
    int rc = wl_csv_next(csv, err);
    if (rc <= 0) return -rc;
    char *probe[N_IDS] = {NULL, NULL, NULL};
    bool complete = true;
    for (int i = 0; i < N_IDS; i++)
      if (ids->has[i])
        complete &= (probe[i] = (char *)wl_csv_field(csv, ids->col[i], NULL)) != NULL;
    size_t at = complete ? lower_bound(order, p->n_fns, &k, probe) : p->n_fns;
    if (at == p->n_fns || cmp_keys(p->fns[order[at]].id, probe, ids) != 0) continue;
    double v[N_PCT];
    if (parse_side_values(csv, kind, cols, v, err) != 0) {
      rc = -wl_parse_bad_record(p->env, err);
      if (rc) return rc;
      continue;
    }
    for (; at < p->n_fns && cmp_keys(p->fns[order[at]].id, probe, ids) == 0; at++)
      apply_side(&p->fns[order[at]], kind, v);
  }
}

/* Reads a durations or memory file into the functions already loaded. */
static int load_side(wl_parser *p, const char *path, side_kind kind, sim_error *err) {
  wl_csv *csv;
  int rc = wl_csv_open(path, ',', true, &csv, err);
  if (rc) return rc;
  side_ids ids;
  size_t cols[N_PCT];
  rc = map_side_ids(p, csv, &ids, err);
  if (kind == SIDE_DURATIONS)
    for (int i = 0; i < N_PCT && rc == 0; i++) rc = wl_csv_column(csv, pct_names[i], &cols[i], err);
  else if (rc == 0)
    rc = wl_csv_column(csv, "AverageAllocatedMb", &cols[0], err);
  size_t *order = sim_xmalloc((p->n_fns ? p->n_fns : 1) * sizeof *order);
  for (size_t i = 0; i < p->n_fns; i++) order[i] = i;
  key_ctx k = {&ids, p->fns};
  if (rc == 0) {
    qsort_r(order, p->n_fns, sizeof *order, cmp_order, &k);
    rc = read_side_rows(p, csv, kind, &ids, cols, order, err);
  }
  free(order);
  wl_csv_free(csv);
  return rc;
}

/* --- expanding minutes ---------------------------------------------------------- */

static bool cursor_before(const cursor *a, const cursor *b) {
  return a->next_s < b->next_s || (a->next_s == b->next_s && a->fn < b->fn);
}

static void heap_sift_down(wl_parser *p, size_t i) {
  cursor x = p->heap[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= p->n_heap) break;
    if (c + 1 < p->n_heap && cursor_before(&p->heap[c + 1], &p->heap[c])) c++;
    if (!cursor_before(&p->heap[c], &x)) break;
    p->heap[i] = p->heap[c];
    i = c;
  }
  p->heap[i] = x;
}

/* Puts a cursor per function with requests in minute m into the heap. */
static void start_minute(wl_parser *p, size_t m) {
  double t0 = p->day_start_s + 60.0 * (double)m;
  p->n_heap = 0;
  for (size_t i = p->minute_start[m]; i < p->minute_start[m + 1]; i++) {
    cursor c = {0, p->cells[i].fn, {0}};
    wl_interval_start(&c.iv, p->env->cfg->spread, t0, 60, p->cells[i].count);
    if (wl_interval_next(&c.iv, p->env->spread_rng, &c.next_s)) p->heap[p->n_heap++] = c;
  }
  for (size_t i = p->n_heap / 2; i-- > 0;) heap_sift_down(p, i);
}

static double draw_duration(wl_parser *p, const fn_info *fn) {
  if (!fn->has_durations) return NAN;
  wl_quantiles q = {N_PCT, pct_p, fn->pct_s};
  return wl_quantiles_draw(&q, p->env->service_rng);
}

static int read_azure2019(wl_parser *p, wl_rec *out, sim_error *err) {
  while (p->n_heap == 0) {
    if (p->minute >= p->n_minutes) return 0;
    size_t m = p->minute++;
    if (p->day_start_s + 60.0 * (double)(m + 1) > p->skip_before_s) start_minute(p, m);
  }
  cursor *c = &p->heap[0];
  const fn_info *fn = &p->fns[c->fn];
  double t = c->next_s;
  *out = (wl_rec){t, c->iv.t0_s, draw_duration(p, fn), NAN, fn->memory_mib, 0, fn->line};
  if (!wl_interval_next(&c->iv, p->env->spread_rng, &c->next_s)) p->heap[0] = p->heap[--p->n_heap];
  if (p->n_heap) heap_sift_down(p, 0);
  return 1;
}

static void skip_azure2019(wl_parser *p, double t_s) { p->skip_before_s = t_s; }

static void free_azure2019(wl_parser *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n_fns; i++)
    for (int k = 0; k < N_IDS; k++) free(p->fns[i].id[k]);
  free(p->fns);
  free(p->cells);
  free(p->minute_start);
  free(p->heap);
  free(p);
}

static int open_azure2019(const char *path, wl_parse_env *env, wl_parser **out,
                          sim_error *err) {
  *out = NULL;
  int rc = wl_filter_check(env->filter, "azure2019", false, false, true, true, err);
  if (rc) return rc;
  wl_parser *p = sim_xcalloc(1, sizeof *p);
  p->env = env;
  p->day_start_s = day_offset(path);
  p->skip_before_s = -INFINITY;
  const wl_trace_cfg *c = env->cfg;
  rc = load_invocations(p, path, err);
  if (rc == 0 && c->durations && *c->durations)
    rc = load_side(p, c->durations, SIDE_DURATIONS, err);
  if (rc == 0 && c->memory && *c->memory) rc = load_side(p, c->memory, SIDE_MEMORY, err);
  if (rc) {
    free_azure2019(p);
    return rc;
  }
  if (c->durations && *c->durations)
    for (size_t i = 0; i < p->n_fns; i++)
      env->counts->missing_durations += !p->fns[i].has_durations;
  p->heap = sim_xmalloc((p->n_fns ? p->n_fns : 1) * sizeof *p->heap);
  *out = p;
  return SIM_OK;
}

const wl_format wl_format_azure2019 = {"azure2019", true, open_azure2019, read_azure2019,
                                       skip_azure2019, free_azure2019};

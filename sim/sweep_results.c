/* sweep_results.c — sweep.csv: one row per variant × platform from the
 * complete runs' summary.json files, replications summarised by their mean and
 * a t-distribution confidence interval, Pareto fronts marked (see sweep.h).
 *
 * The table depends on nothing but the design and those files, read in design
 * order, so the sweep and `scalesim merge` write the same bytes. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <libfyaml.h>
#include <math.h>
#include <string.h>

#include "output/atomic.h"
#include "sim/cfg.h"
#include "sim/pareto.h"
#include "sim/sweep.h"
#include "output/summary.h"
#include "sim/file.h"

/* The metrics the Pareto fronts are over (summary.h's names). */
static const char cost_key[] = "cost_usd", p99_key[] = "latency_p99_s",
                  errors_key[] = "error_rate";

/* One platform of a summary.json: its metrics' texts (NULL for null). */
typedef struct summary_platform {
  const char *name, *kind;
  size_t n;
  const char **keys, **values;
} summary_platform;

/* One parsed summary.json; the texts point into its document. */
typedef struct summary {
  cfg_ctx *ctx;
  struct fy_document *fyd;
  summary_platform *platforms;
  size_t n_platforms;
} summary;

static void summary_free(summary *s) {
  for (size_t i = 0; i < s->n_platforms; i++) {
    free(s->platforms[i].keys);
    free(s->platforms[i].values);
  }
  free(s->platforms);
  fy_document_destroy(s->fyd);
  cfg_ctx_free(s->ctx);
  *s = (summary){0};
}

static const char *lookup(struct fy_node *map, const char *key) {
  return cfg_scalar(fy_node_mapping_lookup_value_by_simple_key(map, key, strlen(key)));
}

/* A plain `null` is JSON's null; anything else is kept as written. */
static const char *metric_text(struct fy_node *value) {
  const char *text = cfg_scalar(value);
  if (text && fy_node_get_style(value) == FYNS_PLAIN && strcmp(text, "null") == 0) return NULL;
  return text;
}

static int read_platform(summary *s, struct fy_node *item, size_t i) {
  char where[CFG_PATH_LEN];
  cfg_path_index(where, sizeof where, "platforms", i);
  summary_platform *p = &s->platforms[i];
  p->name = lookup(item, "name");
  p->kind = lookup(item, "kind");
  if (fy_node_get_type(item) != FYNT_MAPPING || !p->name || !p->kind)
    return cfg_error_at(s->ctx, item, where, "expected a platform with a name and a kind");
  size_t n = (size_t)fy_node_mapping_item_count(item);
  p->keys = sim_xcalloc(n, sizeof(char *));
  p->values = sim_xcalloc(n, sizeof(char *));
  void *it = NULL;
  struct fy_node_pair *pair;
  while ((pair = fy_node_mapping_iterate(item, &it))) {
    const char *key = cfg_scalar(fy_node_pair_key(pair));
    struct fy_node *value = fy_node_pair_value(pair);
    if (!key || !strcmp(key, "name") || !strcmp(key, "kind") || !strcmp(key, "complete"))
      continue; /* labels, and the flag of a run stopped early (never in a sweep) */
    if (fy_node_get_type(value) != FYNT_SCALAR)
      return cfg_error_at(s->ctx, value, where, "%s: expected a number or null", key);
    p->keys[p->n] = key;
    p->values[p->n++] = metric_text(value);
  }
  return SIM_OK;
}

static int summary_read(const char *path, summary *s, sim_error *err) {
  char *text;
  size_t len;
  int rc = sim_read_file(path, &text, &len, err);
  if (rc) return rc;
  *s = (summary){.ctx = cfg_ctx_alloc(path)};
  rc = cfg_parse(s->ctx, text, len, &s->fyd);
  free(text);
  struct fy_node *root = s->fyd ? fy_document_root(s->fyd) : NULL;
  struct fy_node *list = root && fy_node_get_type(root) == FYNT_MAPPING
                             ? fy_node_mapping_lookup_value_by_simple_key(root, "platforms", 9)
                             : NULL;
  if (!rc && (!list || fy_node_get_type(list) != FYNT_SEQUENCE))
    rc = cfg_error_at(s->ctx, root, "", "not a summary.json: expected a list of platforms");
  if (!rc) {
    s->n_platforms = (size_t)fy_node_sequence_item_count(list);
    s->platforms = sim_xcalloc(s->n_platforms + 1, sizeof *s->platforms);
    for (size_t i = 0; !rc && i < s->n_platforms; i++)
      rc = read_platform(s, fy_node_sequence_get_by_index(list, (int)i), i);
  }
  if (rc) {
    sim_errorf(err, SIM_EINPUT, "%s", cfg_ctx_error(s->ctx)->msg);
    summary_free(s);
  }
  return rc ? SIM_EINPUT : SIM_OK;
}

static const summary_platform *find_platform(const summary *s, const char *name) {
  for (size_t i = 0; i < s->n_platforms; i++)
    if (strcmp(s->platforms[i].name, name) == 0) return &s->platforms[i];
  return NULL;
}

static const char *find_value(const summary_platform *p, const char *key) {
  for (size_t i = 0; p && i < p->n; i++)
    if (strcmp(p->keys[i], key) == 0) return p->values[i];
  return NULL;
}

/* --- numbers --------------------------------------------------------------- */


static double number(const char *text) { return text ? strtod(text, NULL) : NAN; }

/* --- rows ------------------------------------------------------------------- */

/* One row of the table before the Pareto columns. */
typedef struct row {
  char *text;             /* every field up to the Pareto columns */
  double cost, p99, errors;
} row;

typedef struct table {
  const sweep_design *d;
  char **metrics;         /* metric names, from the first complete run */
  size_t n_metrics;
  row *rows;
  size_t n_rows, cap_rows;
  double *scratch;        /* one value per replication */
} table;

static void take_metrics(table *t, const summary *s) {
  if (t->metrics || s->n_platforms == 0) return;
  const summary_platform *p = &s->platforms[0];
  t->metrics = sim_xcalloc(p->n + 1, sizeof(char *));
  for (size_t i = 0; i < p->n; i++) t->metrics[i] = sim_xstrdup(p->keys[i]);
  t->n_metrics = p->n;
}

/* The mean over the replications where the metric exists; its CI half-width
 * into *ci (NaN below two values). */
static double mean_ci(table *t, const summary *reps, size_t n_reps, const char *platform,
                      const char *metric, double *ci) {
  size_t n = 0;
  for (size_t r = 0; r < n_reps; r++) {
    const char *text = find_value(find_platform(&reps[r], platform), metric);
    if (text) t->scratch[n++] = number(text);
  }
  *ci = NAN;
  if (n == 0) return NAN;
  double mean = gsl_stats_mean(t->scratch, 1, n);
  if (n >= 2) {
    double sd = gsl_stats_sd_m(t->scratch, 1, n, mean);
    *ci = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
  }
  return mean;
}

static void put_real(FILE *f, double v) {
  char buf[512];
  out_format_decimal(buf, sizeof buf, v, 10); /* summary.csv's format */
  fputs(buf, f);
}

/* Writes the metric fields of one variant × platform and fills its Pareto
 * coordinates. */
static void put_metrics(table *t, FILE *f, const summary *reps, size_t n_reps,
                        const char *platform, row *out) {
  if (t->d->replications == 1) {
    const summary_platform *p = find_platform(&reps[0], platform);
    for (size_t m = 0; m < t->n_metrics; m++) {
      fputc(',', f);
      sweep_csv_put(f, find_value(p, t->metrics[m]));
    }
    out->cost = number(find_value(p, cost_key));
    out->p99 = number(find_value(p, p99_key));
    out->errors = number(find_value(p, errors_key));
    return;
  }
  size_t complete = 0;
  for (size_t r = 0; r < n_reps; r++) complete += find_platform(&reps[r], platform) != NULL;
  fprintf(f, ",%zu", complete);
  for (size_t m = 0; m < t->n_metrics; m++) {
    double ci, mean = mean_ci(t, reps, n_reps, platform, t->metrics[m], &ci);
    fputc(',', f);
    put_real(f, mean);
    fputc(',', f);
    put_real(f, ci);
  }
  double ignored;
  out->cost = mean_ci(t, reps, n_reps, platform, cost_key, &ignored);
  out->p99 = mean_ci(t, reps, n_reps, platform, p99_key, &ignored);
  out->errors = mean_ci(t, reps, n_reps, platform, errors_key, &ignored);
}

static void add_row(table *t, size_t v, const summary *reps, size_t n_reps,
                    const summary_platform *p) {
  if (t->n_rows == t->cap_rows)
    t->rows = sim_xrealloc(t->rows, (t->cap_rows = 2 * t->cap_rows + 64) * sizeof(row));
  row *out = &t->rows[t->n_rows++];
  size_t size = 0;
  FILE *f = open_memstream(&out->text, &size);
  SIM_ASSERT(f);
  char id[SWEEP_ID_LEN];
  fputs(sweep_variant_id(t->d, v, id), f);
  for (size_t k = 0; k < t->d->n_keys; k++) {
    fputc(',', f);
    sweep_csv_put(f, sweep_value(t->d, v, k));
  }
  fputc(',', f);
  sweep_csv_put(f, p->name);
  fputc(',', f);
  sweep_csv_put(f, p->kind);
  put_metrics(t, f, reps, n_reps, p->name, out);
  SIM_ASSERT(fclose(f) == 0);
}

/* Reads variant v's complete runs and adds its rows; counts them. */
static int add_variant(table *t, const char *dir, size_t v, summary *reps, size_t *n_complete,
                       sim_error *err) {
  size_t n = 0;
  int rc = SIM_OK;
  for (unsigned r = 0; r < t->d->replications && rc == SIM_OK; r++) {
    char id[SWEEP_ID_LEN];
    sweep_run_id(t->d, v * t->d->replications + r, id);
    if (!sweep_run_complete(dir, id)) continue;
    size_t len = strlen(dir) + strlen(id) + 32;
    char *path = sim_xmalloc(len);
    snprintf(path, len, "%s/runs/%s/summary.json", dir, id);
    rc = summary_read(path, &reps[n], err);
    free(path);
    if (rc == SIM_OK) take_metrics(t, &reps[n++]);
  }
  /* The platforms of the first complete replication, in their order. */
  for (size_t i = 0; rc == SIM_OK && n > 0 && i < reps[0].n_platforms; i++)
    add_row(t, v, reps, n, &reps[0].platforms[i]);
  for (size_t r = 0; r < n; r++) summary_free(&reps[r]);
  *n_complete += n;
  return rc;
}

static void write_header(const table *t, FILE *f) {
  fputs("variant", f);
  for (size_t k = 0; k < t->d->n_keys; k++) {
    fputc(',', f);
    sweep_csv_put(f, t->d->keys[k]);
  }
  fputs(",platform,kind", f);
  if (t->d->replications > 1) fputs(",replications", f);
  for (size_t m = 0; m < t->n_metrics; m++) {
    fputc(',', f);
    if (t->d->replications == 1) sweep_csv_put(f, t->metrics[m]);
    else fprintf(f, "%s_mean,%s_ci95", t->metrics[m], t->metrics[m]);
  }
  fputs(",pareto_cost_p99,pareto_cost_errors\n", f);
}

static void write_table(const table *t, FILE *f) {
  size_t n = t->n_rows;
  double *cost = sim_xcalloc(n + 1, sizeof(double)), *p99 = sim_xcalloc(n + 1, sizeof(double));
  double *errors = sim_xcalloc(n + 1, sizeof(double));
  bool *front_p99 = sim_xcalloc(n + 1, sizeof(bool));
  bool *front_errors = sim_xcalloc(n + 1, sizeof(bool));
  for (size_t i = 0; i < n; i++) {
    cost[i] = t->rows[i].cost;
    p99[i] = t->rows[i].p99;
    errors[i] = t->rows[i].errors;
  }
  pareto_front(cost, p99, n, front_p99);
  pareto_front(cost, errors, n, front_errors);
  write_header(t, f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%s,%d,%d\n", t->rows[i].text, front_p99[i], front_errors[i]);
  free(cost);
  free(p99);
  free(errors);
  free(front_p99);
  free(front_errors);
}

int sweep_write_results(const sweep_design *d, const char *dir, size_t *n_complete,
                        sim_error *err) {
  table t = {.d = d, .scratch = sim_xcalloc(d->replications, sizeof(double))};
  summary *reps = sim_xcalloc(d->replications, sizeof *reps);
  *n_complete = 0;
  int rc = SIM_OK;
  for (size_t v = 0; v < d->n_variants && rc == SIM_OK; v++)
    rc = add_variant(&t, dir, v, reps, n_complete, err);
  if (rc == SIM_OK) {
    char *path = sweep_path(dir, "sweep.csv");
    out_file *f = out_file_open(path, err);
    free(path);
    if (!f) rc = SIM_EFAIL;
    else {
      write_table(&t, out_file_stream(f));
      rc = out_file_commit(f, err);
    }
  }
  for (size_t i = 0; i < t.n_rows; i++) free(t.rows[i].text);
  free(t.rows);
  for (size_t m = 0; m < t.n_metrics; m++) free(t.metrics[m]);
  free(t.metrics);
  free(t.scratch);
  free(reps);
  return rc;
}

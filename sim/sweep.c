/* sweep.c — the design of a sweep: grids and grid files expanded into
 * variants, their ids and seeds, validation before anything runs, and
 * variants.csv (see sweep.h). */
#include "sim/sweep.h"
#include "sim/file.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <libfyaml.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/rng.h"

/* One --grid: a key and its values. */
typedef struct axis {
  char *key;
  char **values;
  size_t n;
} axis;

struct sweep_spec {
  axis *axes;
  size_t n_axes;
  bool has_file;
  char **file_keys;    /* the grid file's keys, in order of first appearance */
  size_t n_file_keys;
  char **file_values;  /* [row * n_file_keys + k], NULL when the row leaves key k alone */
  size_t n_rows;
};

/* --- small helpers ---------------------------------------------------------- */

void sweep_csv_put(FILE *f, const char *text) {
  if (!text) return;
  size_t len = strlen(text);
  bool quote = len > 0 && (text[0] == ' ' || text[len - 1] == ' ');
  if (quote || strpbrk(text, ",\"\r\n")) csv_fwrite(f, text, len);
  else fputs(text, f);
}


char *sweep_path(const char *dir, const char *name) {
  size_t len = strlen(dir) + 1 + strlen(name) + 1;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/%s", dir, name);
  return path;
}

/* A copy of text[0, len) without leading and trailing blanks. */
static char *trimmed_copy(const char *text, size_t len) {
  while (len > 0 && (*text == ' ' || *text == '\t')) text++, len--;
  while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n'))
    len--;
  char *s = sim_xmalloc(len + 1);
  memcpy(s, text, len);
  s[len] = '\0';
  return s;
}

static void free_strings(char **v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* --- the spec ---------------------------------------------------------------- */

sweep_spec *sweep_spec_alloc(void) { return sim_xcalloc(1, sizeof(sweep_spec)); }

void sweep_spec_free(sweep_spec *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n_axes; i++) {
    free(s->axes[i].key);
    free_strings(s->axes[i].values, s->axes[i].n);
  }
  free(s->axes);
  free_strings(s->file_keys, s->n_file_keys);
  free_strings(s->file_values, s->n_rows * s->n_file_keys);
  free(s);
}

static bool key_in(char *const *keys, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(keys[i], key) == 0) return true;
  return false;
}

static bool axis_key_taken(const sweep_spec *s, const char *key) {
  for (size_t i = 0; i < s->n_axes; i++)
    if (strcmp(s->axes[i].key, key) == 0) return true;
  return false;
}

/* Splits a grid's value list at the commas outside brackets, braces and
 * quotes (YAML flow values may hold commas). Returns 0 or SIM_EUSAGE. */
static int split_values(const char *arg, const char *list, axis *a, sim_error *err) {
  int depth = 0;
  char quote = 0;
  const char *start = list;
  for (const char *p = list; *p || (!quote && depth == 0); p++) {
    if (quote) {
      if (quote == '"' && *p == '\\' && p[1]) p++;
      else if (*p == quote) quote = 0;
    } else if (*p == '\'' || *p == '"') {
      quote = *p;
    } else if (*p == '[' || *p == '{') {
      depth++;
    } else if ((*p == ']' || *p == '}') && --depth < 0) {
      break;
    } else if ((*p == ',' && depth == 0) || *p == '\0') {
      char *v = trimmed_copy(start, (size_t)(p - start));
      if (!*v) {
        free(v);
        return sim_errorf(err, SIM_EUSAGE, "--grid %s: empty value (values are separated by "
                          "commas: key=v1,v2,...)", arg);
      }
      a->values = sim_xrealloc(a->values, (a->n + 1) * sizeof *a->values);
      a->values[a->n++] = v;
      if (*p == '\0') return SIM_OK;
      start = p + 1;
    }
  }
  return sim_errorf(err, SIM_EUSAGE, "--grid %s: unbalanced %s", arg,
                    quote ? "quotes" : "brackets or braces");
}

int sweep_spec_add_grid(sweep_spec *s, const char *arg, sim_error *err) {
  const char *eq = strchr(arg, '=');
  if (!eq) return sim_errorf(err, SIM_EUSAGE, "--grid %s: expected key.path=v1,v2,...", arg);
  axis a = {.key = trimmed_copy(arg, (size_t)(eq - arg))};
  int rc = SIM_OK;
  if (!*a.key) rc = sim_errorf(err, SIM_EUSAGE, "--grid %s: the key path is empty", arg);
  else if (axis_key_taken(s, a.key))
    rc = sim_errorf(err, SIM_EUSAGE, "--grid %s: %s is already swept by another --grid", arg,
                    a.key);
  else rc = split_values(arg, eq + 1, &a, err);
  if (rc) {
    free(a.key);
    free_strings(a.values, a.n);
    return rc;
  }
  s->axes = sim_xrealloc(s->axes, (s->n_axes + 1) * sizeof *s->axes);
  s->axes[s->n_axes++] = a;
  return SIM_OK;
}

/* The value node as one line of YAML, so it reads back as it was written
 * (quotes, flow collections, escapes kept). */
static char *value_text(struct fy_node *node) {
  char *emitted = fy_emit_node_to_string(node, FYECF_MODE_FLOW_ONELINE | FYECF_WIDTH_INF);
  SIM_ASSERT(emitted);
  char *s = trimmed_copy(emitted, strlen(emitted));
  free(emitted);
  return s;
}

/* Pass 1 over the file's rows: each is a non-empty mapping with scalar keys;
 * collects the keys in order of first appearance. */
static int collect_file_keys(cfg_ctx *ctx, struct fy_node *root, sweep_spec *s) {
  int n = fy_node_sequence_item_count(root);
  if (n == 0)
    return cfg_error_at(ctx, root, "", "the grid file lists no variants");
  char path[CFG_PATH_LEN], got[256];
  for (int i = 0; i < n; i++) {
    struct fy_node *row = fy_node_sequence_get_by_index(root, i);
    cfg_path_index(path, sizeof path, "", (size_t)i);
    if (fy_node_get_type(row) != FYNT_MAPPING || fy_node_mapping_item_count(row) == 0)
      return cfg_error_at(ctx, row, path,
                          "expected a mapping from key path to value (e.g. "
                          "`- platforms[0].instances: 4`), got %s",
                          cfg_node_kind(row, got, sizeof got));
    void *it = NULL;
    struct fy_node_pair *pair;
    while ((pair = fy_node_mapping_iterate(row, &it))) {
      const char *key = cfg_scalar(fy_node_pair_key(pair));
      if (!key || !*key)
        return cfg_error_at(ctx, fy_node_pair_key(pair), path, "a key must be a key path");
      if (key_in(s->file_keys, s->n_file_keys, key)) continue;
      s->file_keys = sim_xrealloc(s->file_keys, (s->n_file_keys + 1) * sizeof(char *));
      s->file_keys[s->n_file_keys++] = sim_xstrdup(key);
    }
  }
  s->n_rows = (size_t)n;
  return SIM_OK;
}

/* Pass 2: each row's value per key (NULL where the row leaves it alone). */
static void collect_file_values(struct fy_node *root, sweep_spec *s) {
  s->file_values = sim_xcalloc(s->n_rows * s->n_file_keys, sizeof(char *));
  for (size_t i = 0; i < s->n_rows; i++) {
    struct fy_node *row = fy_node_sequence_get_by_index(root, (int)i);
    for (size_t k = 0; k < s->n_file_keys; k++) {
      const char *key = s->file_keys[k];
      struct fy_node *v = fy_node_mapping_lookup_value_by_simple_key(row, key, strlen(key));
      if (v) s->file_values[i * s->n_file_keys + k] = value_text(v);
    }
  }
}

int sweep_spec_add_file(sweep_spec *s, const char *path, sim_error *err) {
  if (s->has_file)
    return sim_errorf(err, SIM_EUSAGE, "--grid-file %s: only one grid file is allowed", path);
  char *text;
  size_t len;
  int rc = sim_read_file(path, &text, &len, err);
  if (rc) return rc;
  cfg_ctx *ctx = cfg_ctx_alloc(path);
  struct fy_document *fyd = NULL;
  rc = cfg_parse(ctx, text, len, &fyd);
  struct fy_node *root = fyd ? fy_document_root(fyd) : NULL;
  if (!rc && (!root || fy_node_get_type(root) != FYNT_SEQUENCE))
    rc = cfg_error_at(ctx, root, "",
                      "a grid file is a list of variants, each a mapping from key path to "
                      "value (e.g. `- platforms[0].instances: 4`)");
  if (!rc) rc = collect_file_keys(ctx, root, s);
  if (!rc) collect_file_values(root, s);
  if (rc) {
    sim_errorf(err, rc, "%s", cfg_ctx_error(ctx)->msg);
    free_strings(s->file_keys, s->n_file_keys);
    s->file_keys = NULL;
    s->n_file_keys = s->n_rows = 0;
  }
  s->has_file = rc == SIM_OK;
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  free(text);
  return rc;
}

/* --- the design ---------------------------------------------------------------- */

static char *setting_text(const char *key, const char *value) {
  size_t len = strlen(key) + 1 + strlen(value) + 1;
  char *s = sim_xmalloc(len);
  snprintf(s, len, "%s=%s", key, value);
  return s;
}

static const char *own(sweep_design *d, char *s) {
  if (d->n_owned == d->cap_owned)
    d->owned =
        sim_xrealloc(d->owned, (d->cap_owned = 2 * d->cap_owned + 16) * sizeof *d->owned);
  d->owned[d->n_owned++] = s;
  return s;
}

/* The number of variants spec describes, or 0 when more than `limit`. */
static size_t count_variants(const sweep_spec *spec, size_t limit) {
  size_t n = spec->has_file ? spec->n_rows : 1;
  for (size_t i = 0; i < spec->n_axes; i++) {
    if (spec->axes[i].n > limit / n) return 0;
    n *= spec->axes[i].n;
  }
  return n;
}

/* The settings of every (row, key) and (axis, value), made once and shared by
 * the variants that use them. */
static void fill_settings(const sweep_spec *spec, sweep_design *d) {
  size_t nf = spec->n_file_keys, combos = d->n_variants / (spec->has_file ? spec->n_rows : 1);
  const char **row_settings = sim_xcalloc(spec->n_rows * nf + 1, sizeof(char *));
  for (size_t i = 0; i < spec->n_rows * nf; i++)
    if (spec->file_values[i])
      row_settings[i] = own(d, setting_text(spec->file_keys[i % nf], spec->file_values[i]));
  const char ***axis_settings = sim_xcalloc(spec->n_axes + 1, sizeof *axis_settings);
  for (size_t a = 0; a < spec->n_axes; a++) {
    axis_settings[a] = sim_xcalloc(spec->axes[a].n, sizeof(char *));
    for (size_t j = 0; j < spec->axes[a].n; j++)
      axis_settings[a][j] = own(d, setting_text(spec->axes[a].key, spec->axes[a].values[j]));
  }
  for (size_t v = 0; v < d->n_variants; v++) {
    const char **out = &d->settings[v * d->n_keys];
    size_t row = v / combos, rest = v % combos;
    for (size_t k = 0; k < nf; k++) out[k] = row_settings[row * nf + k];
    for (size_t a = spec->n_axes; a-- > 0;) { /* the last grid varies fastest */
      out[nf + a] = axis_settings[a][rest % spec->axes[a].n];
      rest /= spec->axes[a].n;
    }
  }
  for (size_t a = 0; a < spec->n_axes; a++) free(axis_settings[a]);
  free(axis_settings);
  free(row_settings);
}

int sweep_expand(const sweep_spec *spec, unsigned replications, sweep_design **out,
                 sim_error *err) {
  *out = NULL;
  if (replications < 1)
    return sim_errorf(err, SIM_EUSAGE, "--replications must be at least 1");
  for (size_t a = 0; a < spec->n_axes; a++)
    if (key_in(spec->file_keys, spec->n_file_keys, spec->axes[a].key))
      return sim_errorf(err, SIM_EUSAGE, "--grid %s: the grid file sweeps this key too",
                        spec->axes[a].key);
  size_t n = count_variants(spec, SWEEP_MAX_RUNS);
  if (n == 0 || n > SWEEP_MAX_RUNS / replications)
    return sim_errorf(err, SIM_EUSAGE, "the sweep has more than %lu runs", SWEEP_MAX_RUNS);
  sweep_design *d = sim_xcalloc(1, sizeof *d);
  d->n_keys = spec->n_file_keys + spec->n_axes;
  d->keys = sim_xcalloc(d->n_keys + 1, sizeof(char *));
  for (size_t k = 0; k < spec->n_file_keys; k++) d->keys[k] = sim_xstrdup(spec->file_keys[k]);
  for (size_t a = 0; a < spec->n_axes; a++)
    d->keys[spec->n_file_keys + a] = sim_xstrdup(spec->axes[a].key);
  d->n_variants = n;
  d->replications = replications;
  d->settings = sim_xcalloc(n * d->n_keys + 1, sizeof(char *));
  d->seeds = sim_xcalloc(n * replications, sizeof(uint64_t));
  fill_settings(spec, d);
  *out = d;
  return SIM_OK;
}

void sweep_design_free(sweep_design *d) {
  if (!d) return;
  free_strings(d->keys, d->n_keys);
  free(d->settings);
  free(d->seeds);
  free_strings(d->owned, d->n_owned);
  free(d);
}

size_t sweep_n_runs(const sweep_design *d) { return d->n_variants * d->replications; }

const char *sweep_value(const sweep_design *d, size_t v, size_t k) {
  SIM_ASSERT(v < d->n_variants && k < d->n_keys);
  const char *s = d->settings[v * d->n_keys + k];
  return s ? s + strlen(d->keys[k]) + 1 : NULL;
}

size_t sweep_overrides(const sweep_design *d, size_t v, scenario_override *out) {
  SIM_ASSERT(v < d->n_variants);
  size_t n = 0;
  for (size_t k = 0; k < d->n_keys; k++)
    if (d->settings[v * d->n_keys + k]) out[n++].text = d->settings[v * d->n_keys + k];
  return n;
}

/* The digits ids give a number up to max: at least `least`, at most 20 (the
 * digits of SIZE_MAX). */
static int id_width(size_t max, int least) {
  int w = 1;
  while (max >= 10) max /= 10, w++;
  return w < least ? least : w > 20 ? 20 : w;
}

char *sweep_variant_id(const sweep_design *d, size_t v, char *buf) {
  snprintf(buf, SWEEP_ID_LEN, "v%0*zu", id_width(d->n_variants - 1, 4), v);
  return buf;
}

char *sweep_run_id(const sweep_design *d, size_t run, char *buf) {
  SIM_ASSERT(run < sweep_n_runs(d));
  sweep_variant_id(d, run / d->replications, buf);
  size_t len = strlen(buf);
  snprintf(buf + len, SWEEP_ID_LEN - len, "-r%0*zu", id_width(d->replications - 1, 2),
           run % d->replications);
  return buf;
}

/* --- loading variants ---------------------------------------------------------- */

/* Loads variant v: the sweep's --set first, then the variant's settings. */
static int load_variant(const sweep_design *d, size_t v, const sweep_scenario *sc,
                        scenario **out, sim_error *err) {
  scenario_override *ov = sim_xcalloc(sc->n_base + d->n_keys + 1, sizeof *ov);
  for (size_t i = 0; i < sc->n_base; i++) ov[i] = sc->base[i];
  size_t n = sc->n_base + sweep_overrides(d, v, ov + sc->n_base);
  int rc = scenario_load_text(sc->name, sc->text, sc->len, ov, n, out, err);
  free(ov);
  return rc;
}

int sweep_validate(sweep_design *d, const sweep_scenario *sc, sim_error *err) {
  for (size_t v = 0; v < d->n_variants; v++) {
    scenario *s;
    int rc = load_variant(d, v, sc, &s, err);
    if (rc) {
      char id[SWEEP_ID_LEN];
      return sim_error_prefix(err, "variant %s: ", sweep_variant_id(d, v, id));
    }
    for (unsigned r = 0; r < d->replications; r++)
      d->seeds[v * d->replications + r] = sim_rng_replication_seed(s->seed, r);
    scenario_free(s);
  }
  return SIM_OK;
}

int sweep_load_run(const sweep_design *d, size_t run, const sweep_scenario *sc,
                   scenario **out, sim_error *err) {
  SIM_ASSERT(run < sweep_n_runs(d));
  int rc = load_variant(d, run / d->replications, sc, out, err);
  if (rc == SIM_OK) (*out)->seed = d->seeds[run];
  return rc;
}

/* --- variants.csv -------------------------------------------------------------- */

static const char *const variants_columns[] = {"run", "variant", "replication", "run_seed"};
enum { N_VARIANTS_COLUMNS = 4 };

char *sweep_variants_csv(const sweep_design *d) {
  char *text = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&text, &size);
  SIM_ASSERT(f);
  for (int c = 0; c < N_VARIANTS_COLUMNS; c++)
    fprintf(f, "%s%s", c ? "," : "", variants_columns[c]);
  for (size_t k = 0; k < d->n_keys; k++) {
    fputc(',', f);
    sweep_csv_put(f, d->keys[k]);
  }
  fputc('\n', f);
  char run_id[SWEEP_ID_LEN], variant_id[SWEEP_ID_LEN];
  for (size_t run = 0; run < sweep_n_runs(d); run++) {
    size_t v = run / d->replications;
    fprintf(f, "%s,%s,%zu,%" PRIu64, sweep_run_id(d, run, run_id),
            sweep_variant_id(d, v, variant_id), run % d->replications, d->seeds[run]);
    for (size_t k = 0; k < d->n_keys; k++) {
      fputc(',', f);
      sweep_csv_put(f, sweep_value(d, v, k));
    }
    fputc('\n', f);
  }
  SIM_ASSERT(fclose(f) == 0);
  return text;
}

/* The state of reading variants.csv back. */
typedef struct variants_reader {
  const char *path;
  sweep_design *d;
  char **fields;       /* the current row's fields (NULL: empty) */
  size_t n_fields, cap_fields;
  size_t n_columns;    /* from the header */
  size_t row;          /* rows seen (1 = the header) */
  size_t cap_variants, cap_runs;
  char *last_variant;  /* the variant column of the previous row */
  unsigned next_replication;
  int rc;
  sim_error *err;
} variants_reader;

static void on_field(void *data, size_t len, void *arg) {
  variants_reader *r = arg;
  if (r->n_fields == r->cap_fields)
    r->fields = sim_xrealloc(r->fields, (r->cap_fields = 2 * r->cap_fields + 8) * sizeof(char *));
  char *s = NULL;
  if (data) {
    s = sim_xmalloc(len + 1);
    memcpy(s, data, len);
    s[len] = '\0';
  }
  r->fields[r->n_fields++] = s;
}

static int bad_row(variants_reader *r, const char *what) {
  r->rc = sim_errorf(r->err, SIM_EINPUT, "%s:%zu: %s", r->path, r->row, what);
  return r->rc;
}

static void read_header(variants_reader *r) {
  for (int c = 0; c < N_VARIANTS_COLUMNS; c++)
    if (r->n_fields <= (size_t)c || !r->fields[c] || strcmp(r->fields[c], variants_columns[c])) {
      bad_row(r, "not a variants.csv: expected the columns run,variant,replication,run_seed,...");
      return;
    }
  sweep_design *d = r->d;
  r->n_columns = r->n_fields;
  d->n_keys = r->n_fields - N_VARIANTS_COLUMNS;
  d->keys = sim_xcalloc(d->n_keys + 1, sizeof(char *));
  for (size_t k = 0; k < d->n_keys; k++) {
    const char *key = r->fields[N_VARIANTS_COLUMNS + k];
    if (!key) {
      bad_row(r, "a key column has no name");
      return;
    }
    d->keys[k] = sim_xstrdup(key);
  }
}

/* Starts a new variant from the current row: its settings. */
static void start_variant(variants_reader *r) {
  sweep_design *d = r->d;
  if (d->n_variants == r->cap_variants) {
    r->cap_variants = 2 * r->cap_variants + 16;
    d->settings = sim_xrealloc(d->settings, (r->cap_variants * d->n_keys + 1) * sizeof(char *));
  }
  for (size_t k = 0; k < d->n_keys; k++) {
    const char *value = r->fields[N_VARIANTS_COLUMNS + k];
    d->settings[d->n_variants * d->n_keys + k] =
        value ? own(d, setting_text(d->keys[k], value)) : NULL;
  }
  d->n_variants++;
  free(r->last_variant);
  r->last_variant = sim_xstrdup(r->fields[1]);
  r->next_replication = 0;
}

/* A whole decimal number that fits in 64 bits. */
static bool parse_u64(const char *text, uint64_t *out) {
  if (!text[0] || strspn(text, "0123456789") != strlen(text)) return false;
  errno = 0;
  unsigned long long v = strtoull(text, NULL, 10);
  *out = v;
  return errno == 0;
}

static void read_run(variants_reader *r) {
  sweep_design *d = r->d;
  if (r->n_fields != r->n_columns) {
    bad_row(r, "the row does not have the header's number of fields");
    return;
  }
  uint64_t rep, seed;
  if (!r->fields[0] || !r->fields[1] || !r->fields[2] || !parse_u64(r->fields[2], &rep) ||
      !r->fields[3] || !parse_u64(r->fields[3], &seed)) {
    bad_row(r, "expected a run id, a variant id, and whole numbers for replication and run_seed");
    return;
  }
  bool new_variant = !r->last_variant || strcmp(r->last_variant, r->fields[1]) != 0;
  if (new_variant && d->n_variants > 0 && r->next_replication != d->replications) {
    bad_row(r, "the previous variant does not have every replication");
    return;
  }
  if (new_variant) start_variant(r);
  if (rep != r->next_replication || (d->n_variants > 1 && rep >= d->replications)) {
    bad_row(r, "replications must be numbered 0, 1, ... within each variant, as many for each");
    return;
  }
  if (d->n_variants == 1) d->replications = (unsigned)rep + 1;
  r->next_replication++;
  size_t run = (d->n_variants - 1) * d->replications + rep;
  if (run >= r->cap_runs) {
    r->cap_runs = 2 * r->cap_runs + 64;
    d->seeds = sim_xrealloc(d->seeds, r->cap_runs * sizeof(uint64_t));
  }
  d->seeds[run] = seed;
}

static void on_row(int terminator, void *arg) {
  variants_reader *r = arg;
  r->row++;
  if (r->rc == SIM_OK) {
    if (r->row == 1) read_header(r);
    else read_run(r);
  }
  for (size_t i = 0; i < r->n_fields; i++) free(r->fields[i]);
  r->n_fields = 0;
}

/* The ids the design gives must be those in the file: otherwise the file was
 * edited or written by another version, and run folders would not match. */
static int check_ids(const char *path, const sweep_design *d, const char *text, size_t len,
                     sim_error *err) {
  char *expected = sweep_variants_csv(d);
  bool same = strlen(expected) == len && memcmp(expected, text, len) == 0;
  free(expected);
  if (same) return SIM_OK;
  return sim_errorf(err, SIM_EINPUT,
                    "%s: not a variants.csv as scalesim writes it (ids, order or formatting "
                    "differ); was it edited?", path);
}

int sweep_read_variants(const char *path, sweep_design **out, sim_error *err) {
  *out = NULL;
  char *text;
  size_t len;
  int rc = sim_read_file(path, &text, &len, err);
  if (rc) return rc;
  struct csv_parser p;
  SIM_ASSERT(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) == 0);
  variants_reader r = {.path = path, .d = sim_xcalloc(1, sizeof(sweep_design)), .err = err};
  r.d->replications = 1;
  if (csv_parse(&p, text, len, on_field, on_row, &r) != len ||
      csv_fini(&p, on_field, on_row, &r) != 0)
    if (r.rc == SIM_OK)
      r.rc = sim_errorf(err, SIM_EINPUT, "%s: malformed CSV: %s", path,
                        csv_strerror(csv_error(&p)));
  csv_free(&p);
  if (r.rc == SIM_OK && r.d->n_variants == 0) bad_row(&r, "no runs listed");
  if (r.rc == SIM_OK && r.next_replication != r.d->replications)
    bad_row(&r, "the last variant does not have every replication");
  if (r.rc == SIM_OK) r.rc = check_ids(path, r.d, text, len, err);
  /* A malformed file can end inside a row: its fields never reached on_row. */
  for (size_t i = 0; i < r.n_fields; i++) free(r.fields[i]);
  free(r.fields);
  free(r.last_variant);
  free(text);
  if (r.rc) {
    sweep_design_free(r.d);
    return r.rc;
  }
  *out = r.d;
  return SIM_OK;
}

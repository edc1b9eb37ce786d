/* scenario.c — loading a scenario (see scenario.h).
 *
 * The text is parsed into a libfyaml document (cfg_parse); each `--set
 * key.path=value` override then edits that document — its value parsed as
 * YAML, so maps and lists can be set too — and marks the nodes it placed, so
 * that an error found later in them names the override instead of a line of
 * the file. Finally the document is read through the schemas: the scenario's
 * keys here, the workload's (workloads/), and each platform's from the type its
 * `kind` selects. */
#include "sim/scenario.h"
#include "sim/file.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <ctype.h>
#include <string.h>

#include "models/faults.h"
#include "sim/calendar.h"
#include "sim/units.h"

enum { PATH_LEN = CFG_PATH_LEN, GOT_LEN = 256, MAX_SEGMENTS = 32 };

static void join_key(char *out, const char *path, const char *key) {
  cfg_path_key(out, PATH_LEN, path, key);
}

static void join_index(char *out, const char *path, size_t i) {
  cfg_path_index(out, PATH_LEN, path, i);
}

/* --- platforms ------------------------------------------------------------- */

/* Keys of a platform item that are not its type's: read here. */
static const char *const platform_own_keys[] = {"name", "kind", NULL};

/* The non-empty scalar text of a platform item's required key. */
static int item_text(cfg_ctx *ctx, struct fy_node *item, const char *path, const char *key,
                     struct fy_node **value, const char **text) {
  char key_path[PATH_LEN], got[GOT_LEN];
  *value = fy_node_mapping_lookup_value_by_simple_key(item, key, strlen(key));
  if (!*value) return cfg_error_at(ctx, item, path, "missing required key '%s'", key);
  join_key(key_path, path, key);
  *text = cfg_scalar(*value);
  if (!*text || !**text)
    return cfg_error_at(ctx, *value, key_path, "expected a non-empty string, got %s",
                        cfg_node_kind(*value, got, sizeof got));
  return SIM_OK;
}

static const platform_type *find_kind(cfg_ctx *ctx, struct fy_node *value, const char *path,
                                      const char *kind, int *rc) {
  const platform_type *type = platform_find(kind);
  if (type) return type;
  const char *names[64];
  size_t n = 0;
  for (; platform_types[n] && n + 1 < sizeof names / sizeof *names; n++)
    names[n] = platform_types[n]->name;
  names[n] = NULL;
  char list[GOT_LEN] = "", tip[GOT_LEN] = "", kind_path[PATH_LEN];
  for (size_t i = 0; i < n; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
  const char *near = cfg_did_you_mean(kind, names);
  if (near) snprintf(tip, sizeof tip, " (did you mean '%s'?)", near);
  join_key(kind_path, path, "kind");
  *rc = cfg_error_at(ctx, value, kind_path, "expected one of %s, got '%s'%s", list, kind, tip);
  return NULL;
}

static int check_unique_name(cfg_ctx *ctx, const scenario *sc, size_t i, struct fy_node *value,
                             const char *path) {
  char name_path[PATH_LEN];
  for (size_t j = 0; j < i; j++) {
    if (strcmp(sc->platforms[j].name, sc->platforms[i].name) != 0) continue;
    join_key(name_path, path, "name");
    return cfg_error_at(ctx, value, name_path, "duplicate platform name '%s' (platforms[%zu] has it too)",
                        sc->platforms[i].name, j);
  }
  return SIM_OK;
}

/* Reads platforms[i]: its kind first (it decides which keys are valid), then
 * the type's keys (so a misspelt `name` is reported as such), then its name. */
static int read_platform(cfg_ctx *ctx, struct fy_node *item, const char *path, scenario *sc,
                         size_t i) {
  scenario_platform *p = &sc->platforms[i];
  struct fy_node *value;
  const char *text;
  char got[GOT_LEN];
  int rc;
  if (fy_node_get_type(item) != FYNT_MAPPING)
    return cfg_error_at(ctx, item, path, "expected a mapping, got %s",
                        cfg_node_kind(item, got, sizeof got));
  if ((rc = item_text(ctx, item, path, "kind", &value, &text))) return rc;
  if (!(p->type = find_kind(ctx, value, path, text, &rc))) return rc;
  p->cfg = sim_xcalloc(1, p->type->schema->size);
  if ((rc = cfg_read_except(ctx, item, path, p->type->schema, p->cfg, platform_own_keys)))
    return rc;
  if ((rc = item_text(ctx, item, path, "name", &value, &text))) return rc;
  p->name = sim_xstrdup(text);
  return check_unique_name(ctx, sc, i, value, path);
}

/* The `platforms` list (a CFG_CUSTOM field at scenario.platforms). */
static int read_platforms(cfg_ctx *ctx, struct fy_node *node, const char *path, void *dst) {
  scenario *sc = (scenario *)((char *)dst - offsetof(scenario, platforms));
  char got[GOT_LEN], item_path[PATH_LEN];
  if (fy_node_get_type(node) != FYNT_SEQUENCE)
    return cfg_error_at(ctx, node, path, "expected a list of platforms, got %s",
                        cfg_node_kind(node, got, sizeof got));
  size_t n = (size_t)fy_node_sequence_item_count(node);
  if (n == 0) return cfg_error_at(ctx, node, path, "expected at least 1 platform, got none");
  sc->platforms = sim_xcalloc(n, sizeof *sc->platforms);
  void *iter = NULL;
  struct fy_node *item;
  while ((item = fy_node_sequence_iterate(node, &iter))) {
    size_t i = sc->n_platforms++; /* counted before reading, so cleanup sees it */
    join_index(item_path, path, i);
    int rc = read_platform(ctx, item, item_path, sc, i);
    if (rc) return rc;
  }
  return SIM_OK;
}

/* free_extra of the scenario schema: the platforms read_platforms allocated. */
static void free_platforms(void *obj) {
  scenario *sc = obj;
  for (size_t i = 0; i < sc->n_platforms; i++) {
    scenario_platform *p = &sc->platforms[i];
    free(p->name);
    if (p->cfg) cfg_free(p->type->schema, p->cfg);
    free(p->cfg);
  }
  free(sc->platforms);
  sc->platforms = NULL;
  sc->n_platforms = 0;
}

/* --- the scenario schema ----------------------------------------------------- */

static const cfg_field output_fields[] = {
    {.key = "dir", .type = CFG_STRING, .offset = offsetof(scenario_output, dir),
     .doc = "output folder; default out/<scenario name>"},
    {.key = "resolution", .type = CFG_DURATION, .offset = offsetof(scenario_output, resolution_s),
     .flags = CFG_POSITIVE, .def = "10s", .doc = "interval of the time series"},
    {0}};

static const cfg_schema output_schema = {
    .name = "output", .size = sizeof(scenario_output), .fields = output_fields};

static const cfg_field slo_fields[] = {
    {.key = "latency_p99", .type = CFG_DURATION, .offset = offsetof(scenario_slo, latency_p99_s),
     .flags = CFG_POSITIVE,
     .doc = "p99 latency per interval at most this; the report measures each fault's recovery "
            "time against it (docs/faults.md)"},
    {0}};

const cfg_schema scenario_slo_schema = {
    .name = "slo", .size = sizeof(scenario_slo), .fields = slo_fields};

static int check_scenario(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);

static const cfg_field scenario_fields[] = {
    {.key = "name", .type = CFG_STRING, .offset = offsetof(scenario, name), .flags = CFG_REQUIRED,
     .doc = "the scenario's name (in reports and the default output folder)"},
    {.key = "seed", .type = CFG_UINT64, .offset = offsetof(scenario, seed), .def = "1",
     .doc = "seed of every random stream; same seed, same results"},
    {.key = "duration", .type = CFG_DURATION, .offset = offsetof(scenario, duration_s),
     .def = "0", .min = 0, .max = INFINITY,
     .doc = "horizon of arrivals; 0: the workload's own end (a generator needs one)"},
    {.key = "drain", .type = CFG_DURATION, .offset = offsetof(scenario, drain_s), .def = "15m",
     .min = 0, .max = INFINITY,
     .doc = "after the horizon, run at most this long so in-flight requests can finish"},
    {.key = "start_time", .type = CFG_STRING, .offset = offsetof(scenario, start_time),
     .doc = "the calendar time of t = 0, ISO 8601 with its zone (2026-05-01T00:00:00Z, "
            "2026-05-01T09:00:00+02:00), for schedules on the calendar (an ECS cron(...)); "
            "default: a trace's first timestamp; a generator has none"},
    {.key = "workload", .type = CFG_MAP, .offset = offsetof(scenario, workload),
     .flags = CFG_REQUIRED, .sub = &wl_config_schema, .doc = "the requests (see below)"},
    {.key = "platforms", .type = CFG_CUSTOM, .offset = offsetof(scenario, platforms),
     .flags = CFG_REQUIRED, .custom = read_platforms,
     .doc = "at least one platform: a mapping with `name` (unique), `kind` and the kind's keys"},
    {.key = "faults", .type = CFG_LIST, .offset = offsetof(scenario, faults),
     .sub = &fault_cfg_schema,
     .doc = "faults injected into every platform, e.g. {at: 2h, kind: lose_instances, "
            "fraction: 0.33} (docs/faults.md)"},
    {.key = "slo", .type = CFG_MAP, .offset = offsetof(scenario, slo), .sub = &scenario_slo_schema,
     .flags = CFG_FLOW, .doc = "service level objectives, e.g. {latency_p99: 500ms}"},
    {.key = "output", .type = CFG_MAP, .offset = offsetof(scenario, output), .sub = &output_schema,
     .doc = "where and how finely results are written"},
    {.key = "limits", .type = CFG_MAP, .offset = offsetof(scenario, limits),
     .sub = &sim_limits_schema,
     .doc = "resource budgets, e.g. {memory: 8GiB, wall_time: 1h}: a run over one stops, "
            "keeping what is complete (docs/guarantees.md)"},
    {0}};

static const cfg_schema scenario_schema = {.name = "scenario",
                                           .size = sizeof(scenario),
                                           .fields = scenario_fields,
                                           .check = check_scenario,
                                           .free_extra = free_platforms};

/* --- faults ------------------------------------------------------------------ */

/* Why platform p cannot apply fault f, or NULL. degraded_dependency is the
 * runner's (sim/run.c), so every platform takes it. */
static const char *fault_unsupported(const scenario_platform *p, const fault_cfg *f) {
  if (f->kind == FAULT_DEGRADED_DEPENDENCY) return NULL;
  if (!p->type->on_fault) return "it models no faults but degraded_dependency";
  return p->type->fault_check ? p->type->fault_check(p->cfg, f) : NULL;
}

/* A fault must start before the horizon (else it meets no request) and be one
 * every platform can apply. */
static int check_faults(cfg_ctx *ctx, struct fy_node *node, const scenario *sc) {
  struct fy_node *list = fy_node_mapping_lookup_value_by_simple_key(node, "faults", 6);
  const fault_cfg *faults = sc->faults.items;
  char path[PATH_LEN], key_path[PATH_LEN], a[32], b[32];
  for (size_t i = 0; i < sc->faults.n; i++) {
    const fault_cfg *f = &faults[i];
    struct fy_node *item = fy_node_sequence_get_by_index(list, (int)i);
    join_index(path, "faults", i);
    const char *key = f->rate_per_s > 0 ? "from" : "at";
    double when = f->rate_per_s > 0 ? f->from_s : f->at_s;
    if (sc->duration_s > 0 && when >= sc->duration_s) {
      join_key(key_path, path, key);
      struct fy_node *v = fy_node_mapping_lookup_value_by_simple_key(item, key, strlen(key));
      return cfg_error_at(ctx, v ? v : item, key_path,
                          "expected a time before the scenario's duration (%s), got %s",
                          sim_format_duration(sc->duration_s, a, sizeof a),
                          sim_format_duration(when, b, sizeof b));
    }
    for (size_t k = 0; k < sc->n_platforms; k++) {
      const scenario_platform *p = &sc->platforms[k];
      const char *why = fault_unsupported(p, f);
      if (why)
        return cfg_error_at(ctx, item, path, "platform '%s' (kind: %s) cannot apply %s: %s",
                            p->name, p->type->name, fault_kind_names[f->kind], why);
    }
  }
  return SIM_OK;
}

static struct fy_node *child(struct fy_node *map, const char *key) {
  return map ? fy_node_mapping_lookup_value_by_simple_key(map, key, strlen(key)) : NULL;
}

/* The size budgets (limits.requests, limits.timeseries_rows) checked before a
 * run where the size is known in advance, so that a typo such as `rate:
 * 1e9/s` over a day, or `resolution: 1ns`, is an error here rather than a run
 * that never ends (docs/guarantees.md). A trace's size is checked as it is
 * read (sim_limits_check). */
static int check_size(cfg_ctx *ctx, struct fy_node *node, const scenario *sc) {
  char d[32], r[32];
  double requests = wl_expected_requests(&sc->workload, sc->duration_s);
  if (sc->limits.requests > 0 && requests > sc->limits.requests) {
    struct fy_node *w = child(node, "workload");
    return cfg_error_at(ctx, w ? w : node, "workload",
                        "the arrivals would be about %.3g requests over %s, more than "
                        "limits.requests (%.3g); raise limits.requests to run it",
                        requests, sim_format_duration(sc->duration_s, d, sizeof d),
                        sc->limits.requests);
  }
  double rows = ceil(sc->duration_s / sc->output.resolution_s);
  if (sc->limits.timeseries_rows > 0 && rows > sc->limits.timeseries_rows) {
    struct fy_node *res = child(child(node, "output"), "resolution");
    return cfg_error_at(ctx, res ? res : node, "output.resolution",
                        "%s over %s makes %.3g time-series rows per platform, more than "
                        "limits.timeseries_rows (%.3g); use a coarser resolution or raise the "
                        "limit",
                        sim_format_duration(sc->output.resolution_s, r, sizeof r),
                        sim_format_duration(sc->duration_s, d, sizeof d), rows,
                        sc->limits.timeseries_rows);
  }
  return SIM_OK;
}

/* start_time checked, and needed where a generator runs calendar schedules
 * (below, after the key paths it walks). */
static int check_start_time(cfg_ctx *ctx, struct fy_node *node, scenario *sc);

static int check_scenario(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  scenario *sc = obj;
  if (sc->duration_s == 0 && wl_is_generator(&sc->workload)) {
    struct fy_node *given = fy_node_mapping_lookup_value_by_simple_key(node, "duration", 8);
    if (given)
      return cfg_error_at(ctx, given, "duration",
                          "a generator needs a scenario duration > 0, got '%s'", cfg_scalar(given));
    return cfg_error_at(ctx, node, "duration", "a generator needs a scenario duration, got none");
  }
  int rc = check_faults(ctx, node, sc);
  if (rc) return rc;
  if ((rc = check_start_time(ctx, node, sc))) return rc;
  if ((rc = check_size(ctx, node, sc))) return rc;
  sc->workload.duration_s = sc->duration_s;
  if (!sc->output.dir) {
    size_t len = strlen("out/") + strlen(sc->name) + 1;
    sc->output.dir = sim_xmalloc(len);
    snprintf(sc->output.dir, len, "out/%s", sc->name);
  }
  return SIM_OK;
}

void scenario_write_reference(FILE *f) {
  cfg_write_reference(f, &scenario_schema, "Scenario keys", 2);
  char title[PATH_LEN];
  for (size_t i = 0; platform_types[i]; i++) {
    snprintf(title, sizeof title, "`platforms[]` with `kind: %s` — %s", platform_types[i]->name,
             platform_types[i]->summary);
    cfg_write_reference(f, platform_types[i]->schema, title, 2);
  }
}

/* --- overrides --------------------------------------------------------------- */

/* One step of an override's key path: a key, or a list index written `[N]`. */
typedef struct segment {
  char text[128];
  bool bracket;
} segment;

/* The state of applying one override. */
typedef struct override {
  cfg_ctx *ctx;
  struct fy_document *fyd;
  const char *text;    /* "key.path=value" as given */
  char where[PATH_LEN]; /* the path walked so far, in the reader's style */
} override;

static int ov_error(const override *ov, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ov_error(const override *ov, const char *fmt, ...) {
  char msg[sizeof ((sim_error *)0)->msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sim_errorf(cfg_ctx_error(ov->ctx), SIM_ESCENARIO, "--set %s: %s", ov->text, msg);
}

/* Splits "platforms[0].task.vcpu" (or "platforms.0.task", "platforms.run-c80")
 * into segments; false when malformed. */
static bool split_path(const char *p, size_t len, segment *segs, size_t *n) {
  const char *end = p + len;
  *n = 0;
  while (p < end) {
    if (*n == MAX_SEGMENTS) return false;
    segment *s = &segs[(*n)++];
    size_t k;
    s->bracket = *p == '[';
    if (s->bracket) {
      k = strspn(p + 1, "0123456789");
      if (k == 0 || p + 1 + k >= end || p[1 + k] != ']') return false;
      p++;
    } else {
      k = strcspn(p, ".[");
      if (p + k > end) k = (size_t)(end - p);
      if (k == 0) return false;
    }
    if (k >= sizeof s->text) return false;
    /* A key with surrounding blanks cannot be a scenario key (YAML drops them
     * from plain keys, so it would not find itself either). */
    if (isspace((unsigned char)p[0]) || isspace((unsigned char)p[k - 1])) return false;
    memcpy(s->text, p, k);
    s->text[k] = '\0';
    p += k + s->bracket;
    if (p < end && *p != '.' && *p != '[') return false; /* "a[0]b" */
    if (p < end && *p == '.' && (++p == end || *p == '.' || *p == '[')) return false;
  }
  return *n > 0;
}

/* The segment as a list index, if it is one ("[2]", or "2" after a list);
 * an index too large for a long is clamped, and so out of range. */
static bool segment_index(const segment *s, long *i) {
  if (!s->text[0] || strspn(s->text, "0123456789") != strlen(s->text)) return false;
  *i = strtol(s->text, NULL, 10);
  return true;
}

static const char *describe_where(const override *ov) { return *ov->where ? ov->where : "the scenario"; }

/* The index of the item of seq whose `name` is name, or -1; the names seen
 * go into names (NULL-terminated, for a hint). */
static long find_named(struct fy_node *seq, const char *name, const char **names, size_t max) {
  int count = fy_node_sequence_item_count(seq);
  size_t n = 0;
  names[0] = NULL;
  for (int i = 0; i < count; i++) {
    struct fy_node *item = fy_node_sequence_get_by_index(seq, i);
    const char *item_name = fy_node_get_type(item) == FYNT_MAPPING
        ? cfg_scalar(fy_node_mapping_lookup_value_by_simple_key(item, "name", 4)) : NULL;
    if (!item_name) continue;
    if (strcmp(item_name, name) == 0) return i;
    if (n + 1 < max) names[n++] = item_name;
    names[n] = NULL;
  }
  return -1;
}

/* The item of a list that a segment names, by index or by its `name`. */
static int list_item(override *ov, struct fy_node *seq, const segment *s, struct fy_node **item) {
  int count = fy_node_sequence_item_count(seq);
  long i;
  if (segment_index(s, &i)) {
    if (i >= count)
      return ov_error(ov, "%s has %d item%s, no [%ld]", describe_where(ov), count,
                      count == 1 ? "" : "s", i);
  } else {
    const char *names[64];
    i = find_named(seq, s->text, names, sizeof names / sizeof *names);
    if (i < 0) {
      const char *near = cfg_did_you_mean(s->text, names);
      char tip[GOT_LEN] = "";
      if (near) snprintf(tip, sizeof tip, " (did you mean '%s'?)", near);
      return ov_error(ov, "%s has no item named '%s'%s", describe_where(ov), s->text, tip);
    }
  }
  *item = fy_node_sequence_get_by_index(seq, (int)i);
  char where[PATH_LEN];
  join_index(where, ov->where, (size_t)i);
  memcpy(ov->where, where, sizeof where);
  return SIM_OK;
}

/* The value of the key whose text is exactly `key`, or NULL. (libfyaml's
 * simple-key lookup trims and re-reads the key as YAML, so " x" would miss a
 * key " x" that an earlier override added; found by fuzzing:
 * tests/fuzz/regressions/scenario/override-key-with-space-aborts.) */
static struct fy_node_pair *lookup_pair_exact(struct fy_node *map, const char *key) {
  for (int i = 0, n = fy_node_mapping_item_count(map); i < n; i++) {
    struct fy_node_pair *p = fy_node_mapping_get_by_index(map, i);
    const char *k = cfg_scalar(fy_node_pair_key(p));
    if (k && strcmp(k, key) == 0) return p;
  }
  return NULL;
}

static struct fy_node *lookup_exact(struct fy_node *map, const char *key) {
  struct fy_node_pair *p = lookup_pair_exact(map, key);
  return p ? fy_node_pair_value(p) : NULL;
}

/* Adds `key: value` to a mapping; the new key carries the override's mark. */
static void add_pair(override *ov, struct fy_node *map, const char *key, struct fy_node *value) {
  struct fy_node *key_node = fy_node_create_scalar_copy(ov->fyd, key, strlen(key));
  SIM_ASSERT(key_node);
  cfg_mark_override(ov->ctx, key_node, ov->text);
  cfg_mark_override(ov->ctx, value, ov->text);
  int rc = fy_node_mapping_append(map, key_node, value); /* the key is new: cannot clash */
  SIM_ASSERT(rc == 0);
}

/* Steps from node into the child a segment names. A missing key becomes a new
 * empty mapping (a later unknown-key error then names the override). */
static int step(override *ov, struct fy_node *node, const segment *s, const segment *next,
                struct fy_node **child) {
  char got[GOT_LEN], where[PATH_LEN];
  switch (fy_node_get_type(node)) {
    case FYNT_SEQUENCE: return list_item(ov, node, s, child);
    case FYNT_MAPPING:
      if (s->bracket) return ov_error(ov, "%s is a mapping, not a list", describe_where(ov));
      join_key(where, ov->where, s->text);
      memcpy(ov->where, where, sizeof where);
      *child = lookup_exact(node, s->text);
      if (*child) return SIM_OK;
      if (next->bracket) return ov_error(ov, "%s is not in the scenario, so it has no items", where);
      *child = fy_node_create_mapping(ov->fyd);
      SIM_ASSERT(*child);
      add_pair(ov, node, s->text, *child);
      return SIM_OK;
    default:
      return ov_error(ov, "%s is %s, not a mapping or a list", describe_where(ov),
                      cfg_node_kind(node, got, sizeof got));
  }
}

/* Puts value at the last segment under node, replacing what was there. */
static int place(override *ov, struct fy_node *node, const segment *s, struct fy_node *value) {
  char got[GOT_LEN];
  if (fy_node_get_type(node) == FYNT_MAPPING && !s->bracket) {
    struct fy_node_pair *pair = lookup_pair_exact(node, s->text);
    if (!pair) {
      add_pair(ov, node, s->text, value);
      return SIM_OK;
    }
    cfg_mark_override(ov->ctx, value, ov->text);
    int rc = fy_node_pair_set_value(pair, value); /* frees the old value */
    SIM_ASSERT(rc == 0);
    return SIM_OK;
  }
  if (fy_node_get_type(node) == FYNT_SEQUENCE) {
    struct fy_node *old;
    int rc = list_item(ov, node, s, &old);
    if (rc) return rc;
    cfg_mark_override(ov->ctx, value, ov->text);
    rc = fy_node_sequence_insert_after(node, old, value);
    SIM_ASSERT(rc == 0);
    fy_node_free(fy_node_sequence_remove(node, old));
    return SIM_OK;
  }
  if (fy_node_get_type(node) == FYNT_MAPPING)
    return ov_error(ov, "%s is a mapping, not a list", describe_where(ov));
  return ov_error(ov, "%s is %s, not a mapping or a list", describe_where(ov),
                  cfg_node_kind(node, got, sizeof got));
}

/* Applies one `key.path=value` to the document. */
static int apply_override(cfg_ctx *ctx, struct fy_document *fyd, const char *text) {
  override ov = {.ctx = ctx, .fyd = fyd, .text = text};
  segment segs[MAX_SEGMENTS];
  size_t n;
  const char *eq = strchr(text, '=');
  if (!eq) return ov_error(&ov, "expected key.path=value");
  if (!split_path(text, (size_t)(eq - text), segs, &n))
    return ov_error(&ov, "malformed key path (keys separated by '.', list items as [N] or by name)");
  struct fy_node *value, *node = fy_document_root(fyd);
  char what[sizeof ((sim_error *)0)->msg / 2];
  snprintf(what, sizeof what, "--set %s", text);
  int rc = cfg_parse_node(ctx, fyd, eq + 1, what, &value);
  if (rc) return rc;
  for (size_t i = 0; !rc && i + 1 < n; i++) rc = step(&ov, node, &segs[i], &segs[i + 1], &node);
  if (!rc) rc = place(&ov, node, &segs[n - 1], value);
  if (rc) fy_node_free(value); /* place() inserts it only on success */
  return rc;
}

/* --- start_time ------------------------------------------------------------- */

/* The node at `key` (a reader-style path, "a[0].b") under node; the deepest
 * one found when the path leaves the document (imported settings). */
static struct fy_node *node_at(struct fy_node *node, const char *key) {
  segment segs[MAX_SEGMENTS];
  size_t n;
  if (!split_path(key, strlen(key), segs, &n)) return node;
  for (size_t i = 0; i < n; i++) {
    struct fy_node *next = NULL;
    if (fy_node_get_type(node) == FYNT_MAPPING && !segs[i].bracket)
      next = child(node, segs[i].text);
    else if (fy_node_get_type(node) == FYNT_SEQUENCE && segs[i].bracket)
      next = fy_node_sequence_get_by_index(node, atoi(segs[i].text));
    if (!next) return node;
    node = next;
  }
  return node;
}

/* start_time parsed; without it a generator cannot run what needs the
 * calendar (a trace gives its own first timestamp, checked when it is open). */
static int check_start_time(cfg_ctx *ctx, struct fy_node *node, scenario *sc) {
  sim_error err = {0};
  if (sc->start_time && sim_time_parse(sc->start_time, &sc->start_epoch_s, &err))
    return cfg_error_at(ctx, child(node, "start_time"), "start_time", "%s", err.msg);
  if (sc->start_time && sc->start_epoch_s <= 0)
    return cfg_error_at(ctx, child(node, "start_time"), "start_time",
                        "expected a time after 1970-01-01T00:00:00Z, got '%s'", sc->start_time);
  if (sc->start_time || !wl_is_generator(&sc->workload)) return SIM_OK;
  struct fy_node *list = child(node, "platforms");
  for (size_t i = 0; i < sc->n_platforms; i++) {
    const scenario_platform *p = &sc->platforms[i];
    char key[PATH_LEN], path[PATH_LEN], full[PATH_LEN];
    const char *what = p->type->needs_calendar ? p->type->needs_calendar(p->cfg, key, sizeof key)
                                               : NULL;
    if (!what) continue;
    join_index(path, "platforms", i);
    join_key(full, path, key);
    struct fy_node *at = node_at(list ? fy_node_sequence_get_by_index(list, (int)i) : node, key);
    return cfg_error_at(ctx, at, full,
                        "%s needs the calendar time of t = 0: set start_time (ISO 8601, e.g. "
                        "2026-05-01T00:00:00Z)",
                        what);
  }
  return SIM_OK;
}

/* --- loading ----------------------------------------------------------------- */

#ifndef SCALESIM_DATADIR
#define SCALESIM_DATADIR "."
#endif

/* Loads text named `name`; relative file paths in it are resolved against
 * base_dir (NULL: the working directory). */
static int load_text(const char *name, const char *base_dir, const char *text, size_t len,
                     const scenario_override *ov, size_t n_ov, scenario **out,
                     sim_error *err) {
  *out = NULL;
  cfg_ctx *ctx = cfg_ctx_alloc(name);
  cfg_ctx_set_base_dir(ctx, base_dir);
  struct fy_document *fyd = NULL;
  scenario *sc = NULL;
  int rc = cfg_parse(ctx, text, len, &fyd);
  if (rc) goto fail;
  if (!fy_document_root(fyd)) /* an empty file: report its missing keys */
    fy_document_set_root(fyd, fy_node_create_mapping(fyd));
  for (size_t i = 0; i < n_ov; i++)
    if ((rc = apply_override(ctx, fyd, ov[i].text))) goto fail;
  sc = sim_xcalloc(1, sizeof *sc);
  if ((rc = cfg_read(ctx, fy_document_root(fyd), "", &scenario_schema, sc))) goto fail;
  fy_document_destroy(fyd);
  sc->source = sim_xstrdup(name);
  sc->ctx = ctx;
  *out = sc;
  return SIM_OK;
fail:
  sim_errorf(err, rc, "%s", cfg_ctx_error(ctx)->msg);
  free(sc); /* cfg_read freed what it had read */
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  return rc;
}

int scenario_load_text(const char *name, const char *text, size_t len,
                       const scenario_override *ov, size_t n_ov, scenario **out,
                       sim_error *err) {
  /* The built-in demo's traces live in the data folder the binary was built
   * for (the source tree, or PREFIX/share/scalesim once installed). */
  const char *base = strcmp(name, "<demo>") == 0 ? SCALESIM_DATADIR : NULL;
  return load_text(name, base, text, len, ov, n_ov, out, err);
}


int scenario_load_file(const char *path, const scenario_override *ov, size_t n_ov,
                       scenario **out, sim_error *err) {
  char *text = NULL;
  size_t len = 0;
  *out = NULL;
  int rc = sim_read_file(path, &text, &len, err);
  if (rc) return rc;
  /* Paths in a scenario file are relative to the file's own folder. */
  char *dir = sim_xstrdup(path);
  char *slash = strrchr(dir, '/');
  if (slash) *slash = '\0';
  rc = load_text(path, slash ? (dir[0] ? dir : "/") : NULL, text, len, ov, n_ov, out, err);
  free(dir);
  free(text);
  return rc;
}

void scenario_free(scenario *sc) {
  if (!sc) return;
  cfg_free(&scenario_schema, sc);
  free(sc->source);
  cfg_ctx_free(sc->ctx);
  free(sc);
}

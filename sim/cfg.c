/* cfg.c — the schema-driven reader of scenario YAML (see cfg.h).
 *
 * libfyaml parses; this file walks the document along a cfg_schema, turns each
 * scalar into a typed field through sim/units.h, and reports every problem as
 * `file:line:col: key.path: expected ..., got '...'`.
 *
 * Locations come from libfyaml's own diagnostics: 0.7.12 has no public
 * accessor for a node's start mark, so node_location() has a collecting
 * fy_diag report at the node and reads back the (already 1-based) line and
 * column it recorded. Errors are rare, so the cost of that does not matter.
 * Override marks (`--set`) are stored as node meta pointing at texts the
 * context owns: a mark dies with its node, so a replaced value never leaves a
 * dangling mark behind. */
#include "sim/cfg.h"

#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"

enum { PATH_LEN = CFG_PATH_LEN, WHY_LEN = 256, MAX_KEYS = 128 };

typedef struct str_list {
  char **v;
  size_t n, cap;
} str_list;

struct cfg_ctx {
  char *file;           /* name used in messages */
  sim_error err;        /* the last error */
  str_list defaulted;   /* leaf paths whose default was used */
  str_list overrides;   /* `--set` texts; marked nodes' meta point at these */
  str_list sources;     /* texts parsed by cfg_parse(_node): libfyaml points into them */
  struct fy_diag *diag; /* collects libfyaml's messages for the documents parsed */
  char *base_dir;       /* relative CFG_PATH values are resolved against it */
};

/* Appends a copy of the len bytes at s (NUL-terminated); returns the copy. */
static const char *str_list_pushn(str_list *l, const char *s, size_t len) {
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->v = sim_xrealloc(l->v, l->cap * sizeof *l->v);
  }
  char *copy = sim_xmalloc(len + 1);
  memcpy(copy, s, len);
  copy[len] = '\0';
  return l->v[l->n++] = copy;
}

static const char *str_list_push(str_list *l, const char *s) {
  return str_list_pushn(l, s, strlen(s));
}

static void str_list_clear(str_list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  *l = (str_list){0};
}

/* --- context ------------------------------------------------------------ */

cfg_ctx *cfg_ctx_alloc(const char *file) {
  cfg_ctx *ctx = sim_xcalloc(1, sizeof *ctx);
  ctx->file = sim_xstrdup(file ? file : "<input>");
  return ctx;
}

void cfg_ctx_free(cfg_ctx *ctx) {
  if (!ctx) return;
  free(ctx->base_dir);
  str_list_clear(&ctx->defaulted);
  str_list_clear(&ctx->overrides);
  str_list_clear(&ctx->sources);
  /* Destroyed last: libfyaml leaks what a diag collects after fy_diag_destroy
   * while a document still holds it (0.7.12), so the documents go first. */
  if (ctx->diag) fy_diag_destroy(ctx->diag);
  free(ctx->file);
  free(ctx);
}

sim_error *cfg_ctx_error(cfg_ctx *ctx) { return &ctx->err; }

bool cfg_was_defaulted(const cfg_ctx *ctx, const char *path) {
  for (size_t i = 0; i < ctx->defaulted.n; i++)
    if (strcmp(ctx->defaulted.v[i], path) == 0) return true;
  return false;
}

void cfg_each_defaulted(const cfg_ctx *ctx, void (*fn)(const char *path, void *arg),
                        void *arg) {
  for (size_t i = 0; i < ctx->defaulted.n; i++) fn(ctx->defaulted.v[i], arg);
}

/* --- libfyaml diagnostics ------------------------------------------------ */

static void discard_output(struct fy_diag *diag, void *user, const char *buf, size_t len) {}

/* A diag that collects errors instead of printing them. */
static struct fy_diag *collecting_diag(void) {
  struct fy_diag_cfg dc;
  fy_diag_cfg_default(&dc);
  dc.fp = NULL;
  dc.output_fn = discard_output;
  dc.colorize = false;
  struct fy_diag *diag = fy_diag_create(&dc);
  SIM_ASSERT(diag);
  fy_diag_set_collect_errors(diag, true);
  return diag;
}

/* The first collected error at or after index `skip`, or NULL. */
static struct fy_diag_error *diag_error(struct fy_diag *diag, size_t skip) {
  void *iter = NULL;
  struct fy_diag_error *e;
  size_t i = 0;
  while ((e = fy_diag_errors_iterate(diag, &iter)))
    if (i++ >= skip && e->type >= FYET_ERROR) return e;
  return NULL;
}

static size_t diag_count(struct fy_diag *diag) {
  void *iter = NULL;
  size_t n = 0;
  while (fy_diag_errors_iterate(diag, &iter)) n++;
  return n;
}

/* True when node was built in code rather than parsed (it has no input). */
static bool built_in_code(struct fy_node *node) {
  return fy_node_get_meta(node) != NULL; /* only override nodes carry a meta (cfg_mark_override) */
}

/* True if anything below a container (keys, values, at any depth) was built
 * in code. Only called on the error path, so a walk of the subtree is fine. */
static bool has_code_built_child(struct fy_node *node) {
  if (fy_node_get_type(node) == FYNT_SEQUENCE) {
    for (int i = 0, n = fy_node_sequence_item_count(node); i < n; i++) {
      struct fy_node *item = fy_node_sequence_get_by_index(node, i);
      if (built_in_code(item)) return true;
      if (fy_node_get_type(item) != FYNT_SCALAR && has_code_built_child(item)) return true;
    }
    return false;
  }
  if (fy_node_get_type(node) != FYNT_MAPPING) return false;
  for (int i = 0, n = fy_node_mapping_item_count(node); i < n; i++) {
    struct fy_node_pair *p = fy_node_mapping_get_by_index(node, i);
    struct fy_node *v = fy_node_pair_value(p);
    if (built_in_code(fy_node_pair_key(p)) || built_in_code(v)) return true;
    if (v && fy_node_get_type(v) != FYNT_SCALAR && has_code_built_child(v)) return true;
  }
  return false;
}

/* Where node starts in its input, 1-based; false for a node built in code. */
static bool node_location(struct fy_node *node, int *line, int *col) {
  if (built_in_code(node)) return false; /* no input to point into */
  /* libfyaml reports on a container from its first to its last token, and
   * crashes when something below it was built in code (an override appended
   * to it; found by fuzzing: tests/fuzz/regressions/scenario/
   * override-key-appended-to-root, override-in-grandchild-segfaults). Such a container is located by its first
   * child instead, which is where a block container starts anyway. */
  if (fy_node_get_type(node) == FYNT_MAPPING && fy_node_mapping_item_count(node) > 0 &&
      has_code_built_child(node)) {
    struct fy_node_pair *first = fy_node_mapping_get_by_index(node, 0);
    return node_location(fy_node_pair_key(first), line, col);
  }
  if (fy_node_get_type(node) == FYNT_SEQUENCE && fy_node_sequence_item_count(node) > 0 &&
      has_code_built_child(node))
    return node_location(fy_node_sequence_get_by_index(node, 0), line, col);
  struct fy_diag *diag = collecting_diag();
  fy_diag_node_report(diag, node, FYET_ERROR, "here");
  struct fy_diag_error *e = diag_error(diag, 0);
  bool found = e && e->line > 0;
  if (found) {
    *line = e->line;
    *col = e->column;
  }
  fy_diag_destroy(diag);
  return found;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t left) {
  if (s[0] < 0x80) return 1;
  size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
             : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
  if (!n || n > left) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F))) return 0;
  if (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))) return 0;
  return n;
}

long cfg_utf8_invalid_line(const char *text, size_t len) {
  const unsigned char *u = (const unsigned char *)text;
  long line = 1;
  for (size_t i = 0, n; i < len; i += n) {
    if (!(n = utf8_len(u + i, len - i))) return line;
    line += u[i] == '\n';
  }
  return 0;
}

int cfg_parse(cfg_ctx *ctx, const char *text, size_t len, struct fy_document **out) {
  /* libfyaml 0.7.12 can loop forever on invalid UTF-8 (found by fuzzing:
   * tests/fuzz/regressions/scenario/directive-invalid-utf8-hangs), and YAML
   * text is UTF-8 anyway (YAML 1.2 §5.2), so such text never reaches it. */
  long bad = cfg_utf8_invalid_line(text, len);
  if (bad) {
    *out = NULL;
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s:%ld: invalid UTF-8 (YAML text is UTF-8)",
                      ctx->file, bad);
  }
  /* libfyaml 0.7.12 can crash on a NUL byte inside the text (found by fuzzing:
   * tests/fuzz/regressions/scenario/nul-after-tab-segfaults); YAML forbids it. */
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    long line = 1;
    for (const char *c = text; c < nul; c++) line += *c == '\n';
    *out = NULL;
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s:%ld: a NUL byte: not YAML text", ctx->file,
                      line);
  }
  if (!ctx->diag) ctx->diag = collecting_diag();
  struct fy_parse_cfg pc = {.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT, .diag = ctx->diag};
  size_t before = diag_count(ctx->diag);
  /* libfyaml keeps pointers into its input: parse a copy that ctx keeps. */
  *out = fy_document_build_from_string(&pc, str_list_pushn(&ctx->sources, text, len), len);
  if (*out) return SIM_OK;
  struct fy_diag_error *e = diag_error(ctx->diag, before);
  if (e)
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s:%d:%d: %s", ctx->file, e->line, e->column,
                      e->msg);
  /* No document and no complaint: the text holds none (empty, or comments). */
  *out = fy_document_create(&pc);
  SIM_ASSERT(*out);
  return SIM_OK;
}

int cfg_parse_node(cfg_ctx *ctx, struct fy_document *fyd, const char *text,
                   const char *what, struct fy_node **out) {
  size_t len = strlen(text);
  if (cfg_utf8_invalid_line(text, len)) { /* see cfg_parse */
    *out = NULL;
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s: invalid UTF-8", what);
  }
  /* A '%' at a line's start is a YAML directive, which no value can hold, and
   * libfyaml 0.7.12 leaks the nodes it built before it (found by fuzzing:
   * tests/fuzz/regressions/scenario/override-value-then-directive-leaks). */
  if (text[0] == '%' || strstr(text, "\n%") || strstr(text, "\r%")) { /* CR breaks lines too */
    *out = NULL;
    return sim_errorf(&ctx->err, SIM_ESCENARIO,
                      "%s: a YAML directive ('%%' starting a line) is not a value", what);
  }
  if (len == 0) {
    *out = fy_node_create_scalar_copy(fyd, "", 0);
    SIM_ASSERT(*out);
    return SIM_OK;
  }
  struct fy_diag *diag = fy_document_get_diag(fyd); /* a reference to drop */
  size_t before = diag ? diag_count(diag) : 0;
  *out = fy_node_build_from_string(fyd, str_list_push(&ctx->sources, text), len);
  struct fy_diag_error *e = !*out && diag ? diag_error(diag, before) : NULL;
  int rc = SIM_OK;
  if (e)
    rc = sim_errorf(&ctx->err, SIM_ESCENARIO, "%s: %s (column %d)", what, e->msg, e->column);
  else if (!*out)
    rc = sim_errorf(&ctx->err, SIM_ESCENARIO, "%s: not a YAML value", what);
  if (diag) fy_diag_unref(diag);
  return rc;
}

/* --- errors -------------------------------------------------------------- */

void cfg_mark_override(cfg_ctx *ctx, struct fy_node *node, const char *text) {
  fy_node_set_meta(node, (void *)str_list_push(&ctx->overrides, text));
}

/* The override text node carries, if its meta is one of ours. */
static const char *override_text(const cfg_ctx *ctx, struct fy_node *node) {
  const void *meta = fy_node_get_meta(node);
  for (size_t i = 0; meta && i < ctx->overrides.n; i++)
    if (ctx->overrides.v[i] == meta) return meta;
  return NULL;
}

const char *cfg_node_kind(struct fy_node *node, char *buf, size_t len) {
  if (!node) return "nothing";
  switch (fy_node_get_type(node)) {
    case FYNT_SEQUENCE: return "a list";
    case FYNT_MAPPING: return "a mapping";
    default: snprintf(buf, len, "'%s'", cfg_scalar(node)); return buf;
  }
}

static int report(cfg_ctx *ctx, struct fy_node *node, const char *path, const char *msg) {
  const char *sep = *path ? ": " : "";
  for (struct fy_node *n = node; n; n = fy_node_get_parent(n)) {
    const char *ov = override_text(ctx, n);
    if (!ov) continue;
    if (n == node) return sim_errorf(&ctx->err, SIM_ESCENARIO, "--set %s: %s", ov, msg);
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "--set %s: %s%s%s", ov, path, sep, msg);
  }
  int line, col;
  if (node && node_location(node, &line, &col))
    return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s:%d:%d: %s%s%s", ctx->file, line, col,
                      path, sep, msg);
  return sim_errorf(&ctx->err, SIM_ESCENARIO, "%s: %s%s%s", ctx->file, path, sep, msg);
}

int cfg_error_at(cfg_ctx *ctx, struct fy_node *node, const char *path, const char *fmt, ...) {
  char msg[sizeof ctx->err.msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return report(ctx, node, path, msg);
}

/* --- paths, keys, hints -------------------------------------------------- */

/* Ends a truncated path with "..." so that it does not pass for a real one. */
static char *mark_truncated(char *out, size_t len, int written) {
  if (written >= 0 && (size_t)written >= len && len >= 4) memcpy(out + len - 4, "...", 4);
  return out;
}

char *cfg_path_key(char *out, size_t len, const char *path, const char *key) {
  return mark_truncated(out, len, snprintf(out, len, "%s%s%s", path, *path ? "." : "", key));
}

char *cfg_path_index(char *out, size_t len, const char *path, size_t i) {
  return mark_truncated(out, len, snprintf(out, len, "%s[%zu]", path, i));
}

static void join_key(char *out, const char *path, const char *key) {
  cfg_path_key(out, PATH_LEN, path, key);
}

static void join_index(char *out, const char *path, size_t i) {
  cfg_path_index(out, PATH_LEN, path, i);
}

const char *cfg_scalar(struct fy_node *node) {
  return node && fy_node_get_type(node) == FYNT_SCALAR ? fy_node_get_scalar0(node) : NULL;
}

/* Damerau distance (optimal string alignment); SIZE_MAX for very long words. */
static size_t edit_distance(const char *a, const char *b) {
  enum { MAXW = 64 };
  size_t la = strlen(a), lb = strlen(b);
  if (la >= MAXW || lb >= MAXW) return SIZE_MAX;
  unsigned short d[MAXW][MAXW];
  for (size_t i = 0; i <= la; i++) d[i][0] = (unsigned short)i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = (unsigned short)j;
  for (size_t i = 1; i <= la; i++) {
    for (size_t j = 1; j <= lb; j++) {
      unsigned cost = a[i - 1] != b[j - 1];
      unsigned best = d[i - 1][j - 1] + cost;
      if (d[i - 1][j] + 1u < best) best = d[i - 1][j] + 1u;
      if (d[i][j - 1] + 1u < best) best = d[i][j - 1] + 1u;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          d[i - 2][j - 2] + 1u < best)
        best = d[i - 2][j - 2] + 1u;
      d[i][j] = (unsigned short)best;
    }
  }
  return d[la][lb];
}

const char *cfg_did_you_mean(const char *key, const char *const *candidates) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX, klen = strlen(key);
  for (const char *const *c = candidates; *c; c++) {
    size_t limit = klen <= 4 || strlen(*c) <= 4 ? 1 : 2;
    size_t d = edit_distance(key, *c);
    if (d <= limit && d < best_d) {
      best = *c;
      best_d = d;
    }
  }
  if (best || klen < 2) return best;
  for (const char *const *c = candidates; *c; c++)
    if (strncmp(*c, key, klen) == 0) return *c;
  return NULL;
}

size_t cfg_schema_keys(const cfg_schema *schema, const char **out, size_t max) {
  size_t n = 0;
  for (const cfg_field *f = schema->fields; f->key && n + 1 < max; f++) out[n++] = f->key;
  if (max) out[n] = NULL;
  return n;
}

/* Appends "a, b, c" (the NULL-terminated words) to buf. */
static void join_words(char *buf, size_t len, const char *const *words) {
  size_t used = strlen(buf);
  for (size_t i = 0; words[i] && used < len; i++) {
    snprintf(buf + used, len - used, "%s%s", i ? ", " : "", words[i]);
    used += strlen(buf + used);
  }
}

/* The hint after an unknown word: " (did you mean 'x'?)" or " (valid ...: a, b)". */
static void hint(char *buf, size_t len, const char *word, const char *const *candidates,
                 const char *what) {
  const char *near = cfg_did_you_mean(word, candidates);
  if (near) {
    snprintf(buf, len, " (did you mean '%s'?)", near);
    return;
  }
  snprintf(buf, len, " (valid %s: ", what);
  join_words(buf, len, candidates);
  size_t used = strlen(buf);
  snprintf(buf + used, len - used, ")");
}

/* --- describing what a field expects ------------------------------------- */

static bool has_bounds(const cfg_field *f) { return f->min != 0 || f->max != 0; }
static bool has_min(const cfg_field *f) { return has_bounds(f) && isfinite(f->min); }
static bool has_max(const cfg_field *f) {
  return has_bounds(f) && f->min <= f->max && isfinite(f->max);
}

/* A bound value in the field's unit, as a scenario would write it. */
static const char *format_bound(cfg_type type, double v, char *buf, size_t len) {
  switch (type) {
    case CFG_DURATION: return sim_format_duration(v, buf, len);
    case CFG_SIZE: snprintf(buf, len, "%gMiB", v); return buf;
    case CFG_PERCENT: snprintf(buf, len, "%g%%", v); return buf;
    case CFG_RATE: snprintf(buf, len, "%g/s", v); return buf;
    case CFG_INT: snprintf(buf, len, "%.0f", v); return buf; /* 1000000, not 1e+06 */
    default: snprintf(buf, len, "%g", v); return buf;
  }
}

/* "> 0", ">= 0.25 and <= 16", or "" — the bounds of a value of `type`. */
static void describe_bounds(const cfg_field *f, cfg_type type, char *buf, size_t len) {
  char lo[64], hi[64];
  bool positive = (f->flags & CFG_POSITIVE) && !(has_min(f) && f->min > 0);
  const char *and = "";
  buf[0] = '\0';
  if (positive) {
    snprintf(buf, len, "> %s", format_bound(type, 0, lo, sizeof lo));
    and = " and ";
  } else if (has_min(f)) {
    snprintf(buf, len, ">= %s", format_bound(type, f->min, lo, sizeof lo));
    and = " and ";
  }
  if (has_max(f)) {
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s<= %s", and, format_bound(type, f->max, hi, sizeof hi));
  }
}

static const char *type_noun(cfg_type type) {
  switch (type) {
    case CFG_BOOL: return "true or false";
    case CFG_INT: return "an integer";
    case CFG_UINT64: return "a non-negative integer";
    case CFG_NUMBER: return "a number";
    case CFG_DURATION: return "a duration";
    case CFG_SIZE: return "a size";
    case CFG_PERCENT: return "a percentage";
    case CFG_RATE: return "a rate";
    case CFG_STRING: return "a string";
    case CFG_PATH: return "a file path";
    case CFG_ENUM: return "one of";
    case CFG_MAP: return "a mapping";
    case CFG_LIST: return "a list";
    case CFG_NUMBER_LIST: return "a list of numbers";
    case CFG_CUSTOM: return "a value";
  }
  return "a value";
}

/* How values of the unit types are written, shown when a value did not parse. */
static const char *type_example(cfg_type type) {
  switch (type) {
    case CFG_DURATION: return " (e.g. 250ms, 45s, 15m)";
    case CFG_SIZE: return " (e.g. 512MiB, 2GiB)";
    case CFG_PERCENT: return " (e.g. 60% or 60)";
    case CFG_RATE: return " (e.g. 100/s, 1200/min)";
    default: return "";
  }
}

/* "a number >= 0.25 and <= 16" (with the syntax example when `example`). */
static void describe(const cfg_field *f, cfg_type type, bool example, char *buf, size_t len) {
  char bounds[160];
  describe_bounds(f, type, bounds, sizeof bounds);
  snprintf(buf, len, "%s%s%s%s", type_noun(type), *bounds ? " " : "", bounds,
           example ? type_example(type) : "");
}

/* An integer field without a bound of its own still has its C type's: a
 * message about a whole number too large (or small) to fit names it. */
static void describe_int_overflow(const cfg_field *f, const char *text, char *buf, size_t len) {
  bool negative = text[0] == '-';
  const char *digits = text + (text[0] == '-' || text[0] == '+');
  bool whole = *digits && strspn(digits, "0123456789") == strlen(digits);
  if (!whole || (negative ? has_min(f) || f->type == CFG_UINT64 : has_max(f))) return;
  const char *limit = f->type == CFG_UINT64 ? "<= 18446744073709551615"
                      : negative            ? ">= -2147483648"
                                            : "<= 2147483647";
  size_t used = strlen(buf);
  bool bounded = used > strlen(type_noun(f->type));
  snprintf(buf + used, len - used, "%s%s", bounded ? " and " : " ", limit);
}

/* --- scalars -------------------------------------------------------------- */

static bool in_bounds(const cfg_field *f, double v) {
  if ((f->flags & CFG_POSITIVE) && !(v > 0)) return false;
  if (has_min(f) && v < f->min) return false;
  return !(has_max(f) && v > f->max);
}

static bool parse_bool(const char *s, bool *out) {
  static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False", "FALSE"};
  for (size_t i = 0; i < 3; i++) {
    if (strcmp(s, yes[i]) == 0) return *out = true, true;
    if (strcmp(s, no[i]) == 0) return *out = false, true;
  }
  return false;
}

/* Parses text as a number of `type` (without storing it): the integer types
 * accept only integers in their C range. */
static bool parse_number_as(cfg_type type, const char *s, double *v) {
  char *end;
  errno = 0;
  switch (type) {
    case CFG_INT: {
      long x = strtol(s, &end, 10);
      *v = (double)x;
      return *s && !*end && !errno && x >= -2147483647L - 1 && x <= 2147483647L;
    }
    case CFG_UINT64: {
      if (*s < '0' || *s > '9') return false; /* strtoull would take "-1" as huge */
      unsigned long long x = strtoull(s, &end, 10);
      *v = (double)x;
      return !*end && !errno;
    }
    case CFG_NUMBER: return sim_parse_number(s, v, NULL, 0) == 0;
    case CFG_DURATION: return sim_parse_duration(s, v, NULL, 0) == 0;
    case CFG_SIZE: return sim_parse_size(s, v, NULL, 0) == 0;
    case CFG_PERCENT: return sim_parse_percent(s, v, NULL, 0) == 0;
    case CFG_RATE: return sim_parse_rate(s, v, NULL, 0) == 0;
    default: SIM_ASSERT(!"not a numeric type"); return false;
  }
}

/* Stores a parsed number into a field of `type`. */
static void store_number(cfg_type type, const char *s, double v, void *dst) {
  if (type == CFG_INT) *(int *)dst = (int)v;
  else if (type == CFG_UINT64) *(uint64_t *)dst = strtoull(s, NULL, 10); /* exact */
  else *(double *)dst = v;
}

/* Parses scalar text as field f's (non-enum) scalar type into dst; on failure
 * writes what was expected into why and returns false. */
static bool parse_scalar(const cfg_field *f, const char *text, void *dst, char *why,
                         size_t len) {
  if (f->type == CFG_STRING || f->type == CFG_PATH) {
    *(char **)dst = sim_xstrdup(text);
    return true;
  }
  if (f->type == CFG_BOOL) {
    if (parse_bool(text, dst)) return true;
    describe(f, f->type, false, why, len);
    return false;
  }
  double v;
  if (!parse_number_as(f->type, text, &v)) {
    describe(f, f->type, true, why, len);
    if (f->type == CFG_INT || f->type == CFG_UINT64) describe_int_overflow(f, text, why, len);
    return false;
  }
  if (!in_bounds(f, v)) {
    describe(f, f->type, false, why, len);
    return false;
  }
  store_number(f->type, text, v, dst);
  return true;
}

/* "one of a, b, c" */
static void describe_enum(const cfg_field *f, char *buf, size_t len) {
  snprintf(buf, len, "one of ");
  join_words(buf, len, f->choices);
}

static bool parse_enum(const cfg_field *f, const char *text, void *dst) {
  for (int i = 0; f->choices[i]; i++)
    if (strcmp(f->choices[i], text) == 0) return *(int *)dst = i, true;
  return false;
}

/* --- reading values -------------------------------------------------------- */

static int read_schema(cfg_ctx *ctx, struct fy_node *node, const char *path,
                       const cfg_schema *schema, void *obj, const char *const *skip);

void cfg_ctx_set_base_dir(cfg_ctx *ctx, const char *dir) {
  free(ctx->base_dir);
  ctx->base_dir = dir && *dir ? sim_xstrdup(dir) : NULL;
}

char *cfg_resolve_path(const char *base_dir, const char *path) {
  if (!base_dir || !*base_dir || !strcmp(base_dir, ".") || path[0] == '/' || !path[0])
    return sim_xstrdup(path);
  size_t n = strlen(base_dir) + strlen(path) + 2;
  char *out = sim_xmalloc(n);
  snprintf(out, n, "%s/%s", base_dir, path);
  return out;
}

static int read_scalar(cfg_ctx *ctx, const cfg_field *f, struct fy_node *node,
                       const char *path, void *dst) {
  char why[WHY_LEN], got[WHY_LEN];
  const char *text = cfg_scalar(node);
  if (!text) {
    describe(f, f->type, false, why, sizeof why);
    return cfg_error_at(ctx, node, path, "expected a scalar (%s), got %s", why,
                        cfg_node_kind(node, got, sizeof got));
  }
  if (f->type == CFG_PATH) {
    *(char **)dst = cfg_resolve_path(ctx->base_dir, text);
    return SIM_OK;
  }
  if (parse_scalar(f, text, dst, why, sizeof why)) return SIM_OK;
  return cfg_error_at(ctx, node, path, "expected %s, got '%s'", why, text);
}

static int read_enum(cfg_ctx *ctx, const cfg_field *f, struct fy_node *node,
                     const char *path, void *dst) {
  char why[WHY_LEN], got[WHY_LEN], tip[WHY_LEN];
  const char *text = cfg_scalar(node);
  describe_enum(f, why, sizeof why);
  if (!text)
    return cfg_error_at(ctx, node, path, "expected a scalar (%s), got %s", why,
                        cfg_node_kind(node, got, sizeof got));
  if (parse_enum(f, text, dst)) return SIM_OK;
  const char *near = cfg_did_you_mean(text, f->choices);
  tip[0] = '\0';
  if (near) snprintf(tip, sizeof tip, " (did you mean '%s'?)", near);
  return cfg_error_at(ctx, node, path, "expected %s, got '%s'%s", why, text, tip);
}

static int expect_list(cfg_ctx *ctx, struct fy_node *node, const char *path, const char *what) {
  if (fy_node_get_type(node) == FYNT_SEQUENCE) return SIM_OK;
  char got[WHY_LEN];
  return cfg_error_at(ctx, node, path, "expected %s, got %s", what,
                      cfg_node_kind(node, got, sizeof got));
}

static int read_list(cfg_ctx *ctx, const cfg_field *f, struct fy_node *node,
                     const char *path, cfg_list *list) {
  int rc = expect_list(ctx, node, path, "a list");
  if (rc) return rc;
  size_t n = (size_t)fy_node_sequence_item_count(node);
  if (!in_bounds(f, (double)n)) {
    char bounds[160];
    describe_bounds(f, CFG_INT, bounds, sizeof bounds);
    return cfg_error_at(ctx, node, path, "expected a list of %s items, got %zu", bounds, n);
  }
  list->items = n ? sim_xcalloc(n, f->sub->size) : NULL;
  void *iter = NULL;
  struct fy_node *item;
  char item_path[PATH_LEN];
  /* list->n counts items fully read, so that cleanup frees exactly those. */
  while ((item = fy_node_sequence_iterate(node, &iter))) {
    join_index(item_path, path, list->n);
    void *dst = (char *)list->items + list->n * f->sub->size;
    if ((rc = read_schema(ctx, item, item_path, f->sub, dst, NULL))) return rc;
    list->n++;
  }
  return SIM_OK;
}

static int read_numbers(cfg_ctx *ctx, const cfg_field *f, struct fy_node *node,
                        const char *path, cfg_numbers *nums) {
  int rc = expect_list(ctx, node, path, "a list of numbers");
  if (rc) return rc;
  size_t n = (size_t)fy_node_sequence_item_count(node);
  nums->v = n ? sim_xcalloc(n, sizeof *nums->v) : NULL;
  cfg_field item_field = *f;
  item_field.type = CFG_NUMBER;
  void *iter = NULL;
  struct fy_node *item;
  char item_path[PATH_LEN];
  while ((item = fy_node_sequence_iterate(node, &iter))) {
    join_index(item_path, path, nums->n);
    if ((rc = read_scalar(ctx, &item_field, item, item_path, &nums->v[nums->n]))) return rc;
    nums->n++;
  }
  return SIM_OK;
}

/* Reads a present value node into the field at dst. */
static int read_value(cfg_ctx *ctx, const cfg_field *f, struct fy_node *node,
                      const char *path, void *dst) {
  switch (f->type) {
    case CFG_MAP: return read_schema(ctx, node, path, f->sub, dst, NULL);
    case CFG_LIST: return read_list(ctx, f, node, path, dst);
    case CFG_NUMBER_LIST: return read_numbers(ctx, f, node, path, dst);
    case CFG_CUSTOM: return f->custom(ctx, node, path, dst);
    case CFG_ENUM: return read_enum(ctx, f, node, path, dst);
    default: return read_scalar(ctx, f, node, path, dst);
  }
}

/* --- defaults -------------------------------------------------------------- */

static bool schema_has_required(const cfg_schema *schema) {
  for (const cfg_field *f = schema->fields; f->key; f++)
    if (f->flags & CFG_REQUIRED) return true;
  return false;
}

static int apply_defaults(cfg_ctx *ctx, const cfg_schema *schema, const char *path, void *obj);

/* Reads a default given as text for a collection or custom field: the text is
 * a YAML document read like user input. Errors there are schema bugs. */
static int read_default_document(cfg_ctx *ctx, const cfg_field *f, const char *path, void *dst) {
  cfg_ctx *def_ctx = cfg_ctx_alloc("schema default");
  struct fy_document *doc = NULL;
  int rc = cfg_parse(def_ctx, f->def, strlen(f->def), &doc);
  if (!rc) rc = read_value(def_ctx, f, fy_document_root(doc), path, dst);
  if (rc)
    sim_errorf(&ctx->err, SIM_EFAIL, "%s: bad schema default '%s': %s", path, f->def,
               def_ctx->err.msg);
  fy_document_destroy(doc);
  cfg_ctx_free(def_ctx);
  return rc ? SIM_EFAIL : SIM_OK;
}

/* Fills the absent field f (at path) with its default and records it. */
static int apply_default(cfg_ctx *ctx, const cfg_field *f, const char *path, void *dst) {
  if (f->type == CFG_MAP && !f->def) return apply_defaults(ctx, f->sub, path, dst);
  str_list_push(&ctx->defaulted, path);
  if (!f->def) return SIM_OK; /* stays zero: an empty list, a NULL string, 0 */
  char why[WHY_LEN];
  switch (f->type) {
    case CFG_MAP: case CFG_LIST: case CFG_NUMBER_LIST: case CFG_CUSTOM:
      return read_default_document(ctx, f, path, dst);
    case CFG_ENUM:
      if (parse_enum(f, f->def, dst)) return SIM_OK;
      describe_enum(f, why, sizeof why);
      break;
    default:
      if (parse_scalar(f, f->def, dst, why, sizeof why)) return SIM_OK;
  }
  return sim_errorf(&ctx->err, SIM_EFAIL, "%s: bad schema default: expected %s, got '%s'",
                    path, why, f->def);
}

/* Applies the defaults of every field but the required ones (they stay zero). */
static int apply_defaults(cfg_ctx *ctx, const cfg_schema *schema, const char *path, void *obj) {
  char field_path[PATH_LEN];
  for (const cfg_field *f = schema->fields; f->key; f++) {
    if (f->flags & CFG_REQUIRED) continue;
    join_key(field_path, path, f->key);
    int rc = apply_default(ctx, f, field_path, (char *)obj + f->offset);
    if (rc) return rc;
  }
  return SIM_OK;
}

int cfg_defaults(const cfg_schema *schema, void *obj, sim_error *err) {
  cfg_ctx *ctx = cfg_ctx_alloc("defaults");
  memset(obj, 0, schema->size);
  int rc = apply_defaults(ctx, schema, "", obj);
  if (rc) {
    sim_errorf(err, rc, "%s", ctx->err.msg);
    cfg_free(schema, obj);
  }
  cfg_ctx_free(ctx);
  return rc;
}

/* --- mappings -------------------------------------------------------------- */

static const cfg_field *find_field(const cfg_schema *schema, const char *key) {
  for (const cfg_field *f = schema->fields; f->key; f++)
    if (strcmp(f->key, key) == 0) return f;
  return NULL;
}

static bool in_words(const char *const *words, const char *key) {
  for (; words && *words; words++)
    if (strcmp(*words, key) == 0) return true;
  return false;
}

static int unknown_key(cfg_ctx *ctx, struct fy_node *key_node, const char *path,
                       const char *key, const cfg_schema *schema, const char *const *skip) {
  const char *keys[MAX_KEYS];
  size_t n = 0;
  for (; skip && *skip && n + 1 < MAX_KEYS; skip++) keys[n++] = *skip;
  cfg_schema_keys(schema, keys + n, MAX_KEYS - n);
  char key_path[PATH_LEN], tip[sizeof ctx->err.msg / 2];
  join_key(key_path, path, key);
  hint(tip, sizeof tip, key, keys, "keys");
  return cfg_error_at(ctx, key_node, key_path, "unknown key%s", tip);
}

/* Rejects keys the schema does not know (before reading, so that a misspelt
 * key is reported as such rather than as a missing one). */
static int check_keys(cfg_ctx *ctx, struct fy_node *node, const char *path,
                      const cfg_schema *schema, const char *const *skip) {
  void *iter = NULL;
  struct fy_node_pair *pair;
  char got[WHY_LEN];
  while ((pair = fy_node_mapping_iterate(node, &iter))) {
    struct fy_node *key_node = fy_node_pair_key(pair);
    const char *key = cfg_scalar(key_node);
    if (!key)
      return cfg_error_at(ctx, key_node ? key_node : node, path, "expected a scalar key, got %s",
                          cfg_node_kind(key_node, got, sizeof got));
    if (!find_field(schema, key) && !in_words(skip, key))
      return unknown_key(ctx, key_node, path, key, schema, skip);
  }
  return SIM_OK;
}

static int read_fields(cfg_ctx *ctx, struct fy_node *node, const char *path,
                       const cfg_schema *schema, void *obj) {
  char field_path[PATH_LEN], got[WHY_LEN];
  for (const cfg_field *f = schema->fields; f->key; f++) {
    join_key(field_path, path, f->key);
    void *dst = (char *)obj + f->offset;
    struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_simple_key(node, f->key, strlen(f->key));
    struct fy_node *value = pair ? fy_node_pair_value(pair) : NULL;
    int rc;
    if (pair && !value)
      rc = cfg_error_at(ctx, fy_node_pair_key(pair), field_path, "expected a value, got %s",
                        cfg_node_kind(NULL, got, sizeof got));
    else if (value)
      rc = read_value(ctx, f, value, field_path, dst);
    else if ((f->flags & CFG_REQUIRED) ||
             (f->type == CFG_MAP && !f->def && schema_has_required(f->sub)))
      rc = cfg_error_at(ctx, node, path, "missing required key '%s'", f->key);
    else
      rc = apply_default(ctx, f, field_path, dst);
    if (rc) return rc;
  }
  return SIM_OK;
}

static int read_schema(cfg_ctx *ctx, struct fy_node *node, const char *path,
                       const cfg_schema *schema, void *obj, const char *const *skip) {
  memset(obj, 0, schema->size);
  char got[WHY_LEN];
  int rc;
  if (!node || fy_node_get_type(node) != FYNT_MAPPING)
    rc = cfg_error_at(ctx, node, path, "expected a mapping, got %s", cfg_node_kind(node, got, sizeof got));
  else if (!(rc = check_keys(ctx, node, path, schema, skip)) &&
           !(rc = read_fields(ctx, node, path, schema, obj)) && schema->check)
    rc = schema->check(ctx, node, path, obj);
  if (rc) {
    cfg_free(schema, obj);
    memset(obj, 0, schema->size);
  }
  return rc;
}

int cfg_read(cfg_ctx *ctx, struct fy_node *node, const char *path, const cfg_schema *schema,
             void *obj) {
  return read_schema(ctx, node, path, schema, obj, NULL);
}

int cfg_read_except(cfg_ctx *ctx, struct fy_node *node, const char *path,
                    const cfg_schema *schema, void *obj, const char *const *skip) {
  return read_schema(ctx, node, path, schema, obj, skip);
}

void cfg_free(const cfg_schema *schema, void *obj) {
  if (!obj) return;
  for (const cfg_field *f = schema->fields; f->key; f++) {
    void *dst = (char *)obj + f->offset;
    if (f->type == CFG_STRING || f->type == CFG_PATH) {
      free(*(char **)dst);
      *(char **)dst = NULL;
    } else if (f->type == CFG_MAP) {
      cfg_free(f->sub, dst);
    } else if (f->type == CFG_LIST) {
      cfg_list *list = dst;
      for (size_t i = 0; i < list->n; i++) cfg_free(f->sub, (char *)list->items + i * f->sub->size);
      free(list->items);
      *list = (cfg_list){0};
    } else if (f->type == CFG_NUMBER_LIST) {
      cfg_numbers *nums = dst;
      free(nums->v);
      *nums = (cfg_numbers){0};
    }
  }
  if (schema->free_extra) schema->free_extra(obj);
}

/* --- the reference --------------------------------------------------------- */

static const char *type_name(cfg_type type) {
  switch (type) {
    case CFG_BOOL: return "bool";
    case CFG_INT: return "integer";
    case CFG_UINT64: return "integer (64-bit)";
    case CFG_NUMBER: return "number";
    case CFG_DURATION: return "duration";
    case CFG_SIZE: return "size";
    case CFG_PERCENT: return "percent";
    case CFG_RATE: return "rate";
    case CFG_STRING: return "string";
    case CFG_PATH: return "file path";
    case CFG_ENUM: return "choice";
    case CFG_MAP: return "mapping";
    case CFG_LIST: return "list of mappings";
    case CFG_NUMBER_LIST: return "list of numbers";
    case CFG_CUSTOM: return "see description";
  }
  return "?";
}

/* Writes s into a table cell: a '|' would end the cell. */
static void put_cell(FILE *f, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|') fputc('\\', f);
    fputc(*s, f);
  }
}

static void write_range(FILE *out, const cfg_field *f) {
  char buf[WHY_LEN];
  if (f->type == CFG_ENUM) {
    for (int i = 0; f->choices[i]; i++) fprintf(out, "%s`%s`", i ? ", " : "", f->choices[i]);
    return;
  }
  if (f->type == CFG_STRING || f->type == CFG_PATH || f->type == CFG_MAP ||
      f->type == CFG_CUSTOM)
    return;
  describe_bounds(f, f->type == CFG_LIST ? CFG_INT : f->type == CFG_NUMBER_LIST ? CFG_NUMBER : f->type,
                  buf, sizeof buf);
  if (*buf) fprintf(out, "%s%s", f->type == CFG_LIST ? "items " : "", buf);
}

static void write_row(FILE *out, const cfg_field *f) {
  fprintf(out, "| `%s` | %s | ", f->key, type_name(f->type));
  if (f->flags & CFG_REQUIRED) fputs("required", out);
  else if (f->def) fprintf(out, "`%s`", f->def);
  else fputs("—", out);
  fputs(" | ", out);
  write_range(out, f);
  fputs(" | ", out);
  put_cell(out, f->doc);
  fputs(" |\n", out);
}

static void write_schema_ref(FILE *out, const cfg_schema *schema, const char *title,
                             const char *prefix, int level) {
  fprintf(out, "%.*s %s\n\n", level < 1 ? 1 : level > 6 ? 6 : level, "######", title);
  fputs("| key | type | default | range / choices | description |\n", out);
  fputs("|---|---|---|---|---|\n", out);
  for (const cfg_field *f = schema->fields; f->key; f++) write_row(out, f);
  fputc('\n', out);
  char sub_prefix[PATH_LEN], sub_title[PATH_LEN + 64];
  for (const cfg_field *f = schema->fields; f->key; f++) {
    if ((f->type != CFG_MAP && f->type != CFG_LIST) || !f->sub) continue;
    snprintf(sub_prefix, sizeof sub_prefix, "%s%s%s%s", prefix, *prefix ? "." : "", f->key,
             f->type == CFG_LIST ? "[]" : "");
    snprintf(sub_title, sizeof sub_title, "`%s` (%s)", sub_prefix, f->sub->name);
    write_schema_ref(out, f->sub, sub_title, sub_prefix, level + 1);
  }
}

void cfg_write_reference(FILE *f, const cfg_schema *schema, const char *title,
                         int heading_level) {
  write_schema_ref(f, schema, title, "", heading_level);
}

/* cfg.h — schema-driven reading of scenario YAML (libfyaml) into plain structs.
 *
 * Each config struct is described once by a cfg_schema: its fields, their types,
 * bounds, defaults (as text, parsed like user input), and one line of
 * documentation. From that one table the loader fills the struct, rejects
 * unknown keys with a "did you mean" hint, checks types and ranges, records
 * which values were defaulted (the report marks assumed defaults), validates
 * `--set` key paths before a run, and prints the scenario reference
 * (`scalesim keys`). Models declare their own schemas next to their code, so
 * sim/ never learns a cloud word.
 *
 * Error messages read `file:line:col: key.path: expected ..., got '...'`. */
#ifndef SIM_CFG_H
#define SIM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

struct fy_node;
struct fy_document;
typedef struct cfg_ctx cfg_ctx;
typedef struct cfg_schema cfg_schema;

typedef enum cfg_type {
  CFG_BOOL,     /* bool */
  CFG_INT,      /* int; min/max bound it */
  CFG_UINT64,   /* uint64_t (seeds) */
  CFG_NUMBER,   /* double, no unit */
  CFG_DURATION, /* double seconds: "250ms", "15m" */
  CFG_SIZE,     /* double MiB: "512MiB", "2GiB" */
  CFG_PERCENT,  /* double percent: "60%" or 60 */
  CFG_RATE,     /* double per second: "1200/min" */
  CFG_STRING,   /* char * (owned, freed by cfg_free) */
  CFG_PATH,     /* char *: a file path (or glob); a relative one is resolved against
                 * the context's base folder (the scenario file's own folder) */
  CFG_ENUM,     /* int: index into `choices` */
  CFG_MAP,      /* nested struct described by `sub`, stored inline */
  CFG_LIST,     /* list of `sub` structs: cfg_list {void *items; size_t n} */
  CFG_NUMBER_LIST, /* list of numbers: cfg_numbers {double *v; size_t n} */
  CFG_CUSTOM    /* read by `custom` (e.g. a kind-discriminated platform) */
} cfg_type;

enum {
  CFG_REQUIRED = 1u << 0, /* a missing key is an error */
  CFG_FLOW = 1u << 1,     /* doc hint: usually written in flow style */
  CFG_POSITIVE = 1u << 2  /* numeric value (each item of a number list) must be > 0 */
};

typedef struct cfg_list {
  void *items; /* n structs of sub->size bytes each */
  size_t n;
} cfg_list;

typedef struct cfg_numbers {
  double *v;
  size_t n;
} cfg_numbers;

/* Reads a custom-typed value at node into the struct field at dst. */
typedef int (*cfg_custom_fn)(cfg_ctx *ctx, struct fy_node *node, const char *path,
                             void *dst);

typedef struct cfg_field {
  const char *key;
  cfg_type type;
  size_t offset;              /* offsetof(struct, member) */
  unsigned flags;             /* CFG_REQUIRED, ... */
  const char *def;            /* default as scenario text, NULL = none (zeroed) */
  /* Inclusive bounds, in the type's unit (s, MiB, percent, /s). Both 0: none.
   * min > max (e.g. `.min = 1` alone): a lower bound only; for an upper bound
   * only, set .min = -INFINITY. CFG_NUMBER_LIST: bounds of each item;
   * CFG_LIST: bounds of the item count. */
  double min, max;
  const char *const *choices; /* CFG_ENUM: NULL-terminated */
  const cfg_schema *sub;      /* CFG_MAP / CFG_LIST */
  cfg_custom_fn custom;       /* CFG_CUSTOM */
  const char *doc;            /* one line for the reference; cite sources here */
} cfg_field;

struct cfg_schema {
  const char *name;        /* for docs: "workload", "platform (kind: ecs)" */
  size_t size;             /* sizeof the struct */
  const cfg_field *fields; /* terminated by an entry with key == NULL */
  /* Optional cross-field check after all fields are read (e.g. min <= max).
   * Report with cfg_error_at(ctx, node, path, ...). It may also fill derived
   * fields. It does not run for a map absent from the document (no node: the
   * map gets its fields' defaults) nor under cfg_defaults. */
  int (*check)(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);
  /* Optional destructor for what `custom` fields allocated. It must accept a
   * zeroed or partly read object (cfg_read cleans up through it on failure). */
  void (*free_extra)(void *obj);
  /* Optional: whether field f means anything for this object (a step scaling
   * key does not for a target tracking policy). Fields it rejects are left
   * out of the effective settings (output/report_settings.h); NULL: all
   * apply. */
  bool (*applies)(const void *obj, const cfg_field *f);
};

/* --- the loader context ------------------------------------------------- */

/* Creates a context for reading nodes of a document loaded from `file` (the
 * name used in messages). */
cfg_ctx *cfg_ctx_alloc(const char *file);
void cfg_ctx_free(cfg_ctx *ctx);

/* Sets the folder that relative CFG_PATH values are resolved against (NULL or
 * "": the working directory). The built-in demo uses the data folder. */
void cfg_ctx_set_base_dir(cfg_ctx *ctx, const char *dir);

/* path resolved against base_dir: unchanged when absolute or when base_dir is
 * NULL, empty or "."; otherwise "base_dir/path". Returns a malloc'd string. */
char *cfg_resolve_path(const char *base_dir, const char *path);

/* The error of the last failed call. */
sim_error *cfg_ctx_error(cfg_ctx *ctx);

/* Reads mapping `node` into obj (zeroed first by the caller or not: every field
 * is written) following schema; `path` is the dotted key path of node ("" for
 * the root; list items are written `platforms[0]`). Applies defaults, checks
 * bounds, rejects unknown keys, then runs schema->check. On failure obj holds
 * no allocations (it is freed and zeroed). */
int cfg_read(cfg_ctx *ctx, struct fy_node *node, const char *path,
             const cfg_schema *schema, void *obj);

/* Like cfg_read, but the keys in `skip` (NULL-terminated) are left to the
 * caller: neither read nor rejected, and offered in "did you mean" hints (a
 * platform's `name` and `kind` beside its type's own keys). */
int cfg_read_except(cfg_ctx *ctx, struct fy_node *node, const char *path,
                    const cfg_schema *schema, void *obj, const char *const *skip);

/* Parses YAML (or JSON) text into a document owned by the caller
 * (fy_document_destroy, before cfg_ctx_free: ctx keeps the copy of the text
 * that the document points into). Syntax errors come back as SIM_ESCENARIO
 * with "file:line:col: <libfyaml's message>" in the context's error; libfyaml
 * never prints on its own. An empty text gives a document without a root. */
int cfg_parse(cfg_ctx *ctx, const char *text, size_t len, struct fy_document **out);

/* 0 when text[0..len) is valid UTF-8 (RFC 3629), else the 1-based line of the
 * first invalid byte. cfg_parse and cfg_parse_node refuse invalid text. */
long cfg_utf8_invalid_line(const char *text, size_t len);

/* Parses `text` as a YAML value into a new node of fyd (a document from
 * cfg_parse, destroyed before ctx, which keeps the text's copy), e.g. an
 * override's value. A syntax error is reported as "<what>: <message> (column
 * N)"; empty text gives an empty scalar. */
int cfg_parse_node(cfg_ctx *ctx, struct fy_document *fyd, const char *text,
                   const char *what, struct fy_node **out);

/* Applies every field's default to obj without a document (a config built in
 * code, e.g. by tests). Required fields stay zero. */
int cfg_defaults(const cfg_schema *schema, void *obj, sim_error *err);

/* Frees strings, lists and nested allocations of obj (not obj itself). */
void cfg_free(const cfg_schema *schema, void *obj);

/* Reports an error located at node: "file:line:col: path: <message>". Also
 * recognises nodes that came from a `--set` override and names the override
 * instead. Returns SIM_ESCENARIO. */
int cfg_error_at(cfg_ctx *ctx, struct fy_node *node, const char *path,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Marks a node as coming from `--set text` so errors at it, or inside it, name
 * the override: "--set text: message" (at it), "--set text: path: message"
 * (inside it). The mark lives in the node (libfyaml node meta) and dies with it;
 * the text is copied and kept by ctx, which must outlive the node. */
void cfg_mark_override(cfg_ctx *ctx, struct fy_node *node, const char *text);

/* True if the value at `path` was not in the scenario (its default was used).
 * Paths are those of leaf values ("output.resolution"); a field with no
 * default text counts too (its zero value was used). */
bool cfg_was_defaulted(const cfg_ctx *ctx, const char *path);

/* Iterates the defaulted paths (for the report): calls fn for each. */
void cfg_each_defaulted(const cfg_ctx *ctx, void (*fn)(const char *path, void *arg),
                        void *arg);

/* The scalar text of node, or NULL if node is not a scalar. */
const char *cfg_scalar(struct fy_node *node);

/* Key paths in the reader's style: "a.b" (a key under path; just "b" under
 * the root "") and "a[3]" (a list item), written into out (at most len bytes,
 * a too-long path ending in "..."). Return out. */
enum { CFG_PATH_LEN = 512 };
char *cfg_path_key(char *out, size_t len, const char *path, const char *key);
char *cfg_path_index(char *out, size_t len, const char *path, size_t i);

/* What node is, for "got ..." in messages: "a list", "a mapping", "nothing"
 * (NULL), or the scalar quoted ('text', written into buf). */
const char *cfg_node_kind(struct fy_node *node, char *buf, size_t len);

/* Finds the key closest to `key` among `candidates` (NULL-terminated): the
 * smallest Damerau (optimal string alignment) distance, at most 2 (at most 1
 * when either word has <= 4 characters), else the first candidate that `key`
 * (>= 2 characters) is a prefix of; NULL when none is close. */
const char *cfg_did_you_mean(const char *key, const char *const *candidates);

/* Writes the keys of a schema into out (at most max - 1 of them, then a NULL),
 * for hints; returns how many were written. */
size_t cfg_schema_keys(const cfg_schema *schema, const char **out, size_t max);

/* Writes the reference of schema (every key, type, default, bounds, doc) in
 * Markdown to f, headed by `title`, recursing into nested schemas. */
void cfg_write_reference(FILE *f, const cfg_schema *schema, const char *title,
                         int heading_level);

#endif

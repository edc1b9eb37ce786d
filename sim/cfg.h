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
  CFG_ENUM,     /* int: index into `choices` */
  CFG_MAP,      /* nested struct described by `sub`, stored inline */
  CFG_LIST,     /* list of `sub` structs: cfg_list {void *items; size_t n} */
  CFG_NUMBER_LIST, /* list of numbers: cfg_numbers {double *v; size_t n} */
  CFG_CUSTOM    /* read by `custom` (e.g. a kind-discriminated platform) */
} cfg_type;

enum {
  CFG_REQUIRED = 1u << 0, /* a missing key is an error */
  CFG_FLOW = 1u << 1      /* doc hint: usually written in flow style */
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
  double min, max;            /* inclusive bounds for numeric types (both 0: none) */
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
   * Report with cfg_error_at(ctx, node, path, ...). */
  int (*check)(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj);
  /* Optional destructor for what `custom` fields allocated. */
  void (*free_extra)(void *obj);
};

/* --- the loader context ------------------------------------------------- */

/* Creates a context for reading nodes of a document loaded from `file` (the
 * name used in messages). */
cfg_ctx *cfg_ctx_alloc(const char *file);
void cfg_ctx_free(cfg_ctx *ctx);

/* The error of the last failed call. */
sim_error *cfg_ctx_error(cfg_ctx *ctx);

/* Reads mapping `node` into obj (zeroed first by the caller or not: every field
 * is written) following schema; `path` is the dotted key path of node ("" for
 * the root). Applies defaults, checks bounds, rejects unknown keys. */
int cfg_read(cfg_ctx *ctx, struct fy_node *node, const char *path,
             const cfg_schema *schema, void *obj);

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

/* Marks a node as coming from `--set text` so errors at it name the override. */
void cfg_mark_override(cfg_ctx *ctx, struct fy_node *node, const char *text);

/* True if the value at `path` was not in the scenario (its default was used). */
bool cfg_was_defaulted(const cfg_ctx *ctx, const char *path);

/* Iterates the defaulted paths (for the report): calls fn for each. */
void cfg_each_defaulted(const cfg_ctx *ctx, void (*fn)(const char *path, void *arg),
                        void *arg);

/* The scalar text of node, or NULL if node is not a scalar. */
const char *cfg_scalar(struct fy_node *node);

/* Finds the key closest to `key` (edit distance <= 2, or a prefix) among
 * `candidates` (NULL-terminated); NULL when none is close. */
const char *cfg_did_you_mean(const char *key, const char *const *candidates);

/* The candidate keys of a schema as a NULL-terminated static array (for hints). */
size_t cfg_schema_keys(const cfg_schema *schema, const char **out, size_t max);

/* Writes the reference of schema (every key, type, default, bounds, doc) in
 * Markdown to f, headed by `title`, recursing into nested schemas. */
void cfg_write_reference(FILE *f, const cfg_schema *schema, const char *title,
                         int heading_level);

#endif

/* test_cfg.c — the schema-driven reader (sim/cfg.c): values of every type,
 * defaults and their record, and the full text of every class of error
 * (file:line:col, key path, what was expected, did-you-mean), YAML syntax
 * errors, override marks, cleanup after failures, and the reference writer. */
#include <libfyaml.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "sim/cfg.h"
#include "tests/check.h"

/* --- a schema that uses every field type ------------------------------------ */

typedef struct inner {
  double vcpu;
  int count;
} inner;

typedef struct extra {
  double level;
  char *label;
} extra;

typedef struct item {
  char *label;
  double weight;
} item;

typedef struct thing {
  char *name;
  bool on;
  int count;
  uint64_t seed;
  double ratio, timeout_s, memory_mib, target_pct, rate_per_s;
  int mode;
  inner task;
  extra more;
  cfg_list items;
  cfg_numbers steps;
  int checked; /* set by the check callback */
} thing;

static const cfg_field inner_fields[] = {
    {.key = "vcpu", .type = CFG_NUMBER, .offset = offsetof(inner, vcpu), .flags = CFG_REQUIRED,
     .min = 0.25, .max = 16, .doc = "vCPUs"},
    {.key = "count", .type = CFG_INT, .offset = offsetof(inner, count), .def = "1",
     .min = -INFINITY, .max = 10, .doc = "at most 10"},
    {0}};
static const cfg_schema inner_schema = {"inner", sizeof(inner), inner_fields, NULL, NULL};

static const cfg_field extra_fields[] = {
    {.key = "level", .type = CFG_NUMBER, .offset = offsetof(extra, level), .def = "2.5", .doc = "l"},
    {.key = "label", .type = CFG_STRING, .offset = offsetof(extra, label), .def = "plain", .doc = "s"},
    {0}};
static const cfg_schema extra_schema = {"extra", sizeof(extra), extra_fields, NULL, NULL};

static const cfg_field item_fields[] = {
    {.key = "label", .type = CFG_STRING, .offset = offsetof(item, label), .flags = CFG_REQUIRED,
     .doc = "the label"},
    {.key = "weight", .type = CFG_NUMBER, .offset = offsetof(item, weight), .def = "1", .doc = "w"},
    {0}};
static const cfg_schema item_schema = {"item", sizeof(item), item_fields, NULL, NULL};

static const char *const modes[] = {"fast", "slow", "careful", NULL};

static int check_thing(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  thing *t = obj;
  if (t->on && t->ratio == 0) return cfg_error_at(ctx, node, path, "ratio must be > 0 when on");
  t->checked = 1;
  return 0;
}

static const cfg_field thing_fields[] = {
    {.key = "name", .type = CFG_STRING, .offset = offsetof(thing, name), .flags = CFG_REQUIRED,
     .doc = "the name | with a bar"},
    {.key = "on", .type = CFG_BOOL, .offset = offsetof(thing, on), .def = "false", .doc = "switch"},
    {.key = "count", .type = CFG_INT, .offset = offsetof(thing, count), .def = "3", .min = 1,
     .doc = "at least one"},
    {.key = "seed", .type = CFG_UINT64, .offset = offsetof(thing, seed), .def = "1", .doc = "seed"},
    {.key = "ratio", .type = CFG_NUMBER, .offset = offsetof(thing, ratio), .def = "0.5", .min = 0,
     .max = 1, .doc = "a fraction"},
    {.key = "timeout", .type = CFG_DURATION, .offset = offsetof(thing, timeout_s), .def = "30s",
     .flags = CFG_POSITIVE, .min = 0, .max = 3600, .doc = "how long"},
    {.key = "memory", .type = CFG_SIZE, .offset = offsetof(thing, memory_mib), .def = "512MiB",
     .min = 128, .max = 16384, .doc = "how much"},
    {.key = "target", .type = CFG_PERCENT, .offset = offsetof(thing, target_pct), .def = "60%",
     .min = 0, .max = 100, .doc = "target"},
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(thing, rate_per_s), .def = "10/s",
     .flags = CFG_POSITIVE, .doc = "rate"},
    {.key = "mode", .type = CFG_ENUM, .offset = offsetof(thing, mode), .def = "fast",
     .choices = modes, .doc = "mode"},
    {.key = "task", .type = CFG_MAP, .offset = offsetof(thing, task), .sub = &inner_schema,
     .doc = "the task"},
    {.key = "more", .type = CFG_MAP, .offset = offsetof(thing, more), .sub = &extra_schema,
     .doc = "more"},
    {.key = "items", .type = CFG_LIST, .offset = offsetof(thing, items), .sub = &item_schema,
     .min = 0, .max = 3, .doc = "items"},
    {.key = "steps", .type = CFG_NUMBER_LIST, .offset = offsetof(thing, steps), .def = "[0.5, 0.9]",
     .min = 0, .max = 1, .doc = "steps"},
    {0}};
static const cfg_schema thing_schema = {"thing", sizeof(thing), thing_fields, check_thing, NULL};

/* --- helpers ---------------------------------------------------------------- */

static char message[1024];

/* Parses yaml as t.yaml and reads it into *t; returns the status and keeps the
 * error text in `message`. The caller frees *t and *ctx_out (if requested). */
static int read_text(const char *yaml, thing *t, cfg_ctx **ctx_out) {
  cfg_ctx *ctx = cfg_ctx_alloc("t.yaml");
  struct fy_document *fyd = NULL;
  int rc = cfg_parse(ctx, yaml, strlen(yaml), &fyd);
  if (!rc) rc = cfg_read(ctx, fy_document_root(fyd), "", &thing_schema, t);
  snprintf(message, sizeof message, "%s", rc ? cfg_ctx_error(ctx)->msg : "");
  fy_document_destroy(fyd);
  if (ctx_out) *ctx_out = ctx;
  else cfg_ctx_free(ctx);
  return rc;
}

/* Reads yaml expecting failure; returns the message. */
static const char *error_of(const char *yaml) {
  thing t;
  int rc = read_text(yaml, &t, NULL);
  if (!rc) {
    cfg_free(&thing_schema, &t);
    return "(no error)";
  }
  CHECK_INT(rc, SIM_ESCENARIO, "status of a failed read");
  return message;
}

static const char *const minimal = "name: x\ntask: {vcpu: 1}\n";

/* --- values and defaults ------------------------------------------------------ */

static void test_values(void) {
  const char *yaml =
      "name: alpha\n"
      "on: true\n"
      "count: 7\n"
      "seed: 18446744073709551615\n"
      "ratio: 0.25\n"
      "timeout: 250ms\n"
      "memory: 2GiB\n"
      "target: 70%\n"
      "rate: 1200/min\n"
      "mode: careful\n"
      "task: {vcpu: 0.5, count: -4}\n"
      "more: {level: 9}\n"
      "items:\n"
      "  - {label: a, weight: 2}\n"
      "  - label: b\n"
      "steps: [0, 0.25, 1]\n";
  thing t;
  cfg_ctx *ctx;
  CHECK_INT(read_text(yaml, &t, &ctx), 0, "a valid document reads");
  CHECK_STR(t.name, "alpha", "string");
  CHECK(t.on, "bool");
  CHECK_INT(t.count, 7, "int");
  CHECK(t.seed == UINT64_MAX, "uint64 keeps all 64 bits");
  CHECK_ABS(t.ratio, 0.25, 0, "number");
  CHECK_ABS(t.timeout_s, 0.25, 1e-15, "duration in seconds");
  CHECK_ABS(t.memory_mib, 2048, 0, "size in MiB");
  CHECK_ABS(t.target_pct, 70, 0, "percent");
  CHECK_ABS(t.rate_per_s, 20, 1e-12, "rate per second");
  CHECK_INT(t.mode, 2, "enum index");
  CHECK_ABS(t.task.vcpu, 0.5, 0, "nested map");
  CHECK_INT(t.task.count, -4, "upper-bound-only int takes negatives");
  CHECK_ABS(t.more.level, 9, 0, "second map");
  CHECK_STR(t.more.label, "plain", "default inside a given map");
  CHECK_INT(t.items.n, 2, "list length");
  item *items = t.items.items;
  CHECK_STR(items[0].label, "a", "list item 0");
  CHECK_ABS(items[0].weight, 2, 0, "list item 0 weight");
  CHECK_STR(items[1].label, "b", "list item 1 (block style)");
  CHECK_ABS(items[1].weight, 1, 0, "list item default");
  CHECK_INT(t.steps.n, 3, "number list length");
  CHECK_ABS(t.steps.v[1], 0.25, 0, "number list value");
  CHECK_INT(t.checked, 1, "check callback ran");
  CHECK(!cfg_was_defaulted(ctx, "count"), "given value is not defaulted");
  CHECK(cfg_was_defaulted(ctx, "more.label"), "default inside a map is recorded");
  CHECK(cfg_was_defaulted(ctx, "items[1].weight"), "default inside a list item is recorded");
  cfg_free(&thing_schema, &t);
  CHECK(t.name == NULL && t.items.items == NULL && t.steps.v == NULL, "cfg_free clears");
  cfg_ctx_free(ctx);
}

static void count_path(const char *path, void *arg) { ++*(int *)arg; }

static void test_defaults(void) {
  thing t;
  cfg_ctx *ctx;
  CHECK_INT(read_text(minimal, &t, &ctx), 0, "minimal document reads");
  CHECK(!t.on, "bool default");
  CHECK_INT(t.count, 3, "int default");
  CHECK(t.seed == 1, "uint64 default");
  CHECK_ABS(t.ratio, 0.5, 0, "number default");
  CHECK_ABS(t.timeout_s, 30, 0, "duration default");
  CHECK_ABS(t.memory_mib, 512, 0, "size default");
  CHECK_ABS(t.target_pct, 60, 0, "percent default");
  CHECK_ABS(t.rate_per_s, 10, 0, "rate default");
  CHECK_INT(t.mode, 0, "enum default");
  CHECK_INT(t.task.count, 1, "default in a given map");
  CHECK_ABS(t.more.level, 2.5, 0, "default in an absent map");
  CHECK_STR(t.more.label, "plain", "string default in an absent map");
  CHECK_INT(t.items.n, 0, "absent list is empty");
  CHECK_INT(t.steps.n, 2, "number list default parsed like input");
  CHECK_ABS(t.steps.v[1], 0.9, 0, "number list default value");
  const char *defaulted[] = {"on", "count", "seed", "ratio", "timeout", "memory", "target", "rate",
                             "mode", "task.count", "more.level", "more.label", "items", "steps"};
  size_t n = sizeof defaulted / sizeof *defaulted;
  for (size_t i = 0; i < n; i++)
    CHECK(cfg_was_defaulted(ctx, defaulted[i]), "%s is marked defaulted", defaulted[i]);
  CHECK(!cfg_was_defaulted(ctx, "name") && !cfg_was_defaulted(ctx, "task.vcpu"),
        "given values are not marked");
  int seen = 0;
  cfg_each_defaulted(ctx, count_path, &seen);
  CHECK_INT(seen, (int)n, "cfg_each_defaulted visits each defaulted path once");
  cfg_free(&thing_schema, &t);
  cfg_ctx_free(ctx);

  sim_error err = {0};
  CHECK_INT(cfg_defaults(&thing_schema, &t, &err), 0, "cfg_defaults");
  CHECK(t.name == NULL, "required string stays NULL");
  CHECK_ABS(t.task.vcpu, 0, 0, "required number stays 0");
  CHECK_ABS(t.timeout_s, 30, 0, "cfg_defaults applies defaults");
  CHECK_INT(t.steps.n, 2, "cfg_defaults parses list defaults");
  CHECK_INT(t.checked, 0, "cfg_defaults does not run checks (no document)");
  cfg_free(&thing_schema, &t);
  cfg_free(&thing_schema, NULL);
}

/* A default that its own bounds reject is a schema bug, reported as such. */
static void test_bad_default(void) {
  static const cfg_field fields[] = {
      {.key = "share", .type = CFG_NUMBER, .offset = 0, .def = "1.5", .min = 0, .max = 1},
      {0}};
  static const cfg_schema schema = {"bad", sizeof(double), fields, NULL, NULL};
  double v;
  sim_error err = {0};
  CHECK_INT(cfg_defaults(&schema, &v, &err), SIM_EFAIL, "a bad default fails");
  CHECK_STR(err.msg, "share: bad schema default: expected a number >= 0 and <= 1, got '1.5'",
            "bad default message");
}

/* --- errors -------------------------------------------------------------------- */

static void test_value_errors(void) {
  CHECK_STR(error_of("name: x\ntask:\n  vcpu: lots\n"),
            "t.yaml:3:9: task.vcpu: expected a number >= 0.25 and <= 16, got 'lots'",
            "unparsable number");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 32}\n"),
            "t.yaml:2:14: task.vcpu: expected a number >= 0.25 and <= 16, got '32'",
            "number above its bound");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1, count: 11}\n"),
            "t.yaml:2:24: task.count: expected an integer <= 10, got '11'", "upper bound only");
  CHECK_STR(error_of("name: x\ncount: 0\ntask: {vcpu: 1}\n"),
            "t.yaml:2:8: count: expected an integer >= 1, got '0'", "lower bound only");
  CHECK_STR(error_of("name: x\ncount: 2.5\ntask: {vcpu: 1}\n"),
            "t.yaml:2:8: count: expected an integer >= 1, got '2.5'", "integer only");
  CHECK_STR(error_of("name: x\ncount: 2147483648\ntask: {vcpu: 1}\n"),
            "t.yaml:2:8: count: expected an integer >= 1 and <= 2147483647, got '2147483648'",
            "an integer too large for an int names the int's bound");
  CHECK_STR(error_of("name: x\nseed: -1\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: seed: expected a non-negative integer, got '-1'", "uint64 rejects sign");
  CHECK_STR(error_of("name: x\nseed: 18446744073709551616\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: seed: expected a non-negative integer <= 18446744073709551615, got "
            "'18446744073709551616'",
            "uint64 overflow");
  CHECK_STR(error_of("name: x\non: maybe\ntask: {vcpu: 1}\n"),
            "t.yaml:2:5: on: expected true or false, got 'maybe'", "bool");
  CHECK_STR(error_of("name: x\ntimeout: soon\ntask: {vcpu: 1}\n"),
            "t.yaml:2:10: timeout: expected a duration > 0s and <= 1h (e.g. 250ms, 45s, 15m), got 'soon'",
            "unparsable duration shows how durations are written");
  CHECK_STR(error_of("name: x\ntimeout: 0s\ntask: {vcpu: 1}\n"),
            "t.yaml:2:10: timeout: expected a duration > 0s and <= 1h, got '0s'",
            "positive duration");
  CHECK_STR(error_of("name: x\nmemory: 64MiB\ntask: {vcpu: 1}\n"),
            "t.yaml:2:9: memory: expected a size >= 128MiB and <= 16384MiB, got '64MiB'", "size");
  CHECK_STR(error_of("name: x\ntarget: 120%\ntask: {vcpu: 1}\n"),
            "t.yaml:2:9: target: expected a percentage >= 0% and <= 100%, got '120%'", "percent");
  CHECK_STR(error_of("name: x\nrate: 0/s\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: rate: expected a rate > 0/s, got '0/s'", "positive rate");
  CHECK_STR(error_of("name: x\nmode: slwo\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: mode: expected one of fast, slow, careful, got 'slwo' (did you mean 'slow'?)",
            "enum with a hint");
  CHECK_STR(error_of("name: x\nmode: turbo\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: mode: expected one of fast, slow, careful, got 'turbo'",
            "enum without a near choice");
  CHECK_STR(error_of("name: x\nsteps: [0.5, 2]\ntask: {vcpu: 1}\n"),
            "t.yaml:2:14: steps[1]: expected a number >= 0 and <= 1, got '2'", "number list item");
  CHECK_STR(error_of("name: x\nitems: [{label: a}, {weight: 2}]\ntask: {vcpu: 1}\n"),
            "t.yaml:2:21: items[1]: missing required key 'label'", "list item missing key");
  CHECK_STR(error_of("name: x\nitems: [{label: a}, {label: b}, {label: c}, {label: d}]\n"
                     "task: {vcpu: 1}\n"),
            "t.yaml:2:8: items: expected a list of >= 0 and <= 3 items, got 4", "list count bound");
  CHECK_STR(error_of("name: x\non: true\nratio: 0\ntask: {vcpu: 1}\n"),
            "t.yaml:1:1: ratio must be > 0 when on", "check callback error at the root");
}

static void test_structure_errors(void) {
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1}\nmod: slow\n"),
            "t.yaml:3:1: mod: unknown key (did you mean 'mode'?)", "unknown key, near");
  CHECK_STR(error_of("name: x\ntask:\n  vcpu: 1\n  cuont: 2\n"),
            "t.yaml:4:3: task.cuont: unknown key (did you mean 'count'?)", "transposition");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1, zzz: 2}\n"),
            "t.yaml:2:17: task.zzz: unknown key (valid keys: vcpu, count)",
            "unknown key lists the valid keys");
  CHECK_STR(error_of("name: x\ntask:\n  count: 2\n"),
            "t.yaml:3:3: task: missing required key 'vcpu'", "missing key located at its mapping");
  CHECK_STR(error_of("task: {vcpu: 1}\n"), "t.yaml:1:1: missing required key 'name'",
            "missing key at the root has no path");
  CHECK_STR(error_of("name: x\n"), "t.yaml:1:1: missing required key 'task'",
            "an absent map with required keys is itself missing");
  CHECK_STR(error_of("name: x\ntask: 4\n"), "t.yaml:2:7: task: expected a mapping, got '4'",
            "scalar for a mapping");
  CHECK_STR(error_of("name: x\ntask: [1]\n"), "t.yaml:2:7: task: expected a mapping, got a list",
            "list for a mapping");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1}\nitems: {label: a}\n"),
            "t.yaml:3:8: items: expected a list, got a mapping", "mapping for a list");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1}\nsteps: 0.5\n"),
            "t.yaml:3:8: steps: expected a list of numbers, got '0.5'", "scalar for a number list");
  CHECK_STR(error_of("name: [x]\ntask: {vcpu: 1}\n"),
            "t.yaml:1:7: name: expected a scalar (a string), got a list", "list for a scalar");
  CHECK_STR(error_of("name: x\ntask: {vcpu: {a: 1}}\n"),
            "t.yaml:2:14: task.vcpu: expected a scalar (a number >= 0.25 and <= 16), got a mapping",
            "mapping for a scalar");
  CHECK_STR(error_of("name: x\nmode: [fast]\ntask: {vcpu: 1}\n"),
            "t.yaml:2:7: mode: expected a scalar (one of fast, slow, careful), got a list",
            "list for an enum");
  CHECK_STR(error_of("- 1\n- 2\n"), "t.yaml:1:1: expected a mapping, got a list",
            "root must be a mapping");
  CHECK_STR(error_of("name: x\n[a, b]: 1\ntask: {vcpu: 1}\n"),
            "t.yaml:2:1: expected a scalar key, got a list", "complex key");
}

/* libfyaml's own messages come through our error type, located. */
static void test_syntax_errors(void) {
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1}\non: 'abc\n"),
            "t.yaml:3:6: single-quoted scalar without closing quote", "unclosed quote");
  CHECK_STR(error_of("name: 'x\ntask: {vcpu: 1}\n"),
            "t.yaml:1:7: wrongly indented single-quoted scalar", "quote running into the next line");
  CHECK_STR(error_of("name: x\ntask:\n  vcpu: 1\n count: 2\n"),
            "t.yaml:4:2: invalid indentation in mapping", "bad indentation");
  CHECK_STR(error_of("name: x\nname: y\n"), "t.yaml:2:1: duplicate key", "duplicate key");
  CHECK_STR(error_of("name: x\ntask: {vcpu: 1\n"), "t.yaml:3:1: missing comma in flow mapping",
            "unclosed flow mapping");
}

/* --- override marks ------------------------------------------------------------ */

/* Replaces the value of `key` at the root with `value`, marked as an override. */
static int read_with_override(const char *yaml, const char *key, const char *value,
                              const char *text) {
  cfg_ctx *ctx = cfg_ctx_alloc("t.yaml");
  struct fy_document *fyd = NULL;
  struct fy_node *node = NULL;
  int rc = cfg_parse(ctx, yaml, strlen(yaml), &fyd);
  if (!rc) rc = cfg_parse_node(ctx, fyd, value, text, &node);
  if (!rc) {
    cfg_mark_override(ctx, node, text);
    struct fy_node_pair *pair = fy_node_mapping_lookup_pair_by_simple_key(fy_document_root(fyd), key, strlen(key));
    fy_node_pair_set_value(pair, node);
    thing t;
    rc = cfg_read(ctx, fy_document_root(fyd), "", &thing_schema, &t);
    if (!rc) cfg_free(&thing_schema, &t);
  }
  snprintf(message, sizeof message, "%s", rc ? cfg_ctx_error(ctx)->msg : "");
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  return rc;
}

static void test_override_marks(void) {
  read_with_override(minimal, "task", "{vcpu: 99}", "task={vcpu: 99}");
  CHECK_STR(message, "--set task={vcpu: 99}: task.vcpu: expected a number >= 0.25 and <= 16, got '99'",
            "an error inside an override names it with the path");
  read_with_override("name: x\ntask: {vcpu: 1}\nratio: 0.1\n", "ratio", "7", "ratio=7");
  CHECK_STR(message, "--set ratio=7: expected a number >= 0 and <= 1, got '7'",
            "an error at the override's own node names it alone");
  read_with_override(minimal, "task", "{vcpu: 1, vpcu: 2}", "task={vcpu: 1, vpcu: 2}");
  CHECK_STR(message, "--set task={vcpu: 1, vpcu: 2}: task.vpcu: unknown key (did you mean 'vcpu'?)",
            "unknown key inside an override");
  CHECK_INT(read_with_override(minimal, "task", "{vcpu: [}", "task={vcpu: [}"), SIM_ESCENARIO,
            "an override that is not YAML fails");
  CHECK_CONTAINS(message, "task={vcpu: [}: ", "a value's syntax error names the override");
  CHECK_CONTAINS(message, "(column ", "and the column in the value");
  CHECK_INT(read_with_override("name: x\ntask: {vcpu: 1}\nmore: {label: a}\n", "more", "", "more="),
            SIM_ESCENARIO, "an empty override value is an empty scalar");
  CHECK_STR(message, "--set more=: expected a mapping, got ''", "empty value message");
}

/* A node built in code has no location: the message says so by omitting it. */
static void test_unlocated(void) {
  cfg_ctx *ctx = cfg_ctx_alloc("t.yaml");
  struct fy_document *fyd = fy_document_create(NULL);
  struct fy_node *root = fy_node_create_mapping(fyd);
  fy_document_set_root(fyd, root);
  thing t;
  CHECK_INT(cfg_read(ctx, root, "", &thing_schema, &t), SIM_ESCENARIO, "built node read");
  CHECK_STR(cfg_ctx_error(ctx)->msg, "t.yaml: missing required key 'name'", "no line:col");
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
}

/* Keys left to the caller are neither errors nor read, but are hinted. */
static void test_read_except(void) {
  static const char *const skip[] = {"kind", NULL};
  const char *yaml = "name: x\nkind: special\ntask: {vcpu: 1}\n";
  cfg_ctx *ctx = cfg_ctx_alloc("t.yaml");
  struct fy_document *fyd = NULL;
  thing t;
  CHECK_INT(cfg_parse(ctx, yaml, strlen(yaml), &fyd), 0, "parse");
  CHECK_INT(cfg_read_except(ctx, fy_document_root(fyd), "", &thing_schema, &t, skip), 0,
            "skipped key is accepted");
  cfg_free(&thing_schema, &t);
  fy_document_destroy(fyd);
  yaml = "name: x\nknd: special\ntask: {vcpu: 1}\n";
  CHECK_INT(cfg_parse(ctx, yaml, strlen(yaml), &fyd), 0, "parse");
  CHECK_INT(cfg_read_except(ctx, fy_document_root(fyd), "", &thing_schema, &t, skip),
            SIM_ESCENARIO, "misspelt skipped key");
  CHECK_STR(cfg_ctx_error(ctx)->msg, "t.yaml:2:1: knd: unknown key (did you mean 'kind'?)",
            "skipped keys take part in hints");
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
}

/* A failure after strings and lists were read leaves nothing allocated (the
 * sanitizer build checks for leaks). */
static void test_cleanup_on_failure(void) {
  thing t;
  CHECK_INT(read_text("name: x\nitems: [{label: a}, {label: b}]\nmore: {label: z}\n"
                      "steps: [0.1]\ntask: {vcpu: 0}\n", &t, NULL),
            SIM_ESCENARIO, "late failure");
  CHECK(t.name == NULL && t.items.items == NULL && t.items.n == 0 && t.more.label == NULL &&
            t.steps.v == NULL, "the object is zeroed after a failure");
}

/* --- hints ----------------------------------------------------------------------- */

static void test_did_you_mean(void) {
  static const char *const keys[] = {"scaling", "max_instances", "min_instances", "cpu", "name", NULL};
  CHECK_STR(cfg_did_you_mean("scalng", keys), "scaling", "deletion");
  CHECK_STR(cfg_did_you_mean("sclaing", keys), "scaling", "transposition counts as one edit");
  CHECK_STR(cfg_did_you_mean("max_instancs", keys), "max_instances", "closest of two");
  CHECK_STR(cfg_did_you_mean("min_instnaces", keys), "min_instances", "transposition");
  CHECK_STR(cfg_did_you_mean("nmae", keys), "name", "short key, one transposition");
  CHECK(cfg_did_you_mean("nm", keys) == NULL, "short key: two edits is too far");
  CHECK_STR(cfg_did_you_mean("cpus", keys), "cpu", "short key, one edit");
  CHECK_STR(cfg_did_you_mean("max", keys), "max_instances", "a prefix");
  CHECK(cfg_did_you_mean("m", keys) == NULL, "a one-letter prefix is no hint");
  CHECK(cfg_did_you_mean("memory", keys) == NULL, "nothing near");
  const char *out[4];
  CHECK_INT(cfg_schema_keys(&inner_schema, out, 4), 2, "schema keys");
  CHECK(out[2] == NULL && strcmp(out[0], "vcpu") == 0, "schema keys NULL-terminated");
  CHECK_INT(cfg_schema_keys(&thing_schema, out, 4), 3, "schema keys bounded by max");
  CHECK(out[3] == NULL, "bounded list still NULL-terminated");
}

/* --- the reference --------------------------------------------------------------- */

static void test_reference(void) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cfg_write_reference(f, &thing_schema, "Thing", 2);
  fclose(f);
  CHECK_CONTAINS(text, "## Thing\n", "title at the heading level");
  for (const cfg_field *fl = thing_fields; fl->key; fl++) {
    char cell[64];
    snprintf(cell, sizeof cell, "| `%s` |", fl->key);
    CHECK_CONTAINS(text, cell, "reference row for %s", fl->key);
  }
  CHECK_CONTAINS(text, "### `task` (inner)", "nested schema section");
  CHECK_CONTAINS(text, "| `vcpu` | number | required | >= 0.25 and <= 16 | vCPUs |",
                 "row with bounds and required");
  CHECK_CONTAINS(text, "### `items[]` (item)", "list item section");
  CHECK_CONTAINS(text, "| `label` | string | required |", "list item keys");
  CHECK_CONTAINS(text, "| `mode` | choice | `fast` | `fast`, `slow`, `careful` |", "enum choices");
  CHECK_CONTAINS(text, "| `timeout` | duration | `30s` | > 0s and <= 1h |", "duration bounds");
  CHECK_CONTAINS(text, "the name \\| with a bar", "a bar in a description is escaped");
  free(text);
}

int main(void) {
  check_init();
  test_values();
  test_defaults();
  test_bad_default();
  test_value_errors();
  test_structure_errors();
  test_syntax_errors();
  test_override_marks();
  test_unlocated();
  test_read_except();
  test_cleanup_on_failure();
  test_did_you_mean();
  test_reference();
  return check_done();
}

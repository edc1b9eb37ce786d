/* test_scenario.c — the scenario loader (sim/scenario.c): a complete file and
 * its defaults, the full text of every class of error in files
 * (tests/scenarios/) and texts, `--set` overrides of scalars, maps, list items
 * and platforms by name with their errors, and the keys reference.
 *
 * Platforms are of kind `fixed` (models/fixed.c); their fields are found
 * through the type's schema, so the test needs no model header. Run from the
 * repository root (the fixtures are read by relative path). */
#include <stdlib.h>

#include "sim/scenario.h"
#include "tests/check.h"

static const char base[] =
    "name: demo\n"
    "duration: 1h\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 100/s}\n"
    "  request: {duration: {dist: constant, value: 100ms}}\n"
    "platforms:\n"
    "  - {name: small, kind: fixed, instances: 1}\n"
    "  - {name: large, kind: fixed, instances: 4, instance: {vcpu: 2}}\n"
    "output: {dir: out/x}\n";

static char message[1024];

/* Loads text (named s.yaml) with the given overrides; on failure keeps the
 * message and returns NULL. */
static scenario *load(const char *text, const char *const *sets) {
  scenario_override ov[8];
  size_t n = 0;
  for (; sets && sets[n]; n++) ov[n].text = sets[n];
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = scenario_load_text("s.yaml", text, strlen(text), ov, n, &sc, &err);
  snprintf(message, sizeof message, "%s", rc ? err.msg : "");
  if (rc) {
    CHECK_INT(rc, SIM_ESCENARIO, "status of an invalid scenario");
    CHECK(sc == NULL, "no scenario on error");
  }
  return sc;
}

/* The message of loading text with one override, expecting failure. */
static const char *error_with(const char *text, const char *set) {
  const char *sets[] = {set, NULL};
  scenario *sc = load(text, set ? sets : NULL);
  if (sc) {
    scenario_free(sc);
    return "(no error)";
  }
  return message;
}

static const char *error_of_file(const char *path) {
  scenario *sc = NULL;
  sim_error err = {0};
  if (scenario_load_file(path, NULL, 0, &sc, &err) == 0) {
    scenario_free(sc);
    return "(no error)";
  }
  snprintf(message, sizeof message, "%s", err.msg);
  return message;
}

/* The field at `path` ("instance.vcpu") of platform i, found through its
 * type's schema. */
static const void *platform_field(const scenario *sc, size_t i, const char *path, cfg_type *type) {
  const cfg_schema *schema = sc->platforms[i].type->schema;
  const char *at = sc->platforms[i].cfg;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *save, *key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save)) {
    const cfg_field *f = schema ? schema->fields : NULL;
    while (f && f->key && strcmp(f->key, key) != 0) f++;
    if (!f || !f->key) return NULL;
    at += f->offset;
    *type = f->type;
    schema = f->sub;
  }
  return at;
}

static double platform_number(const scenario *sc, size_t i, const char *path) {
  cfg_type type = CFG_NUMBER;
  const void *v = platform_field(sc, i, path, &type);
  if (!v) return NAN;
  return type == CFG_INT ? *(const int *)v : *(const double *)v;
}

/* "fixed, ..." — every known kind, as the unknown-kind message lists them. */
static const char *known_kinds(void) {
  static char list[512];
  list[0] = '\0';
  for (size_t i = 0; platform_types[i]; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
             platform_types[i]->name);
  return list;
}

/* --- a complete scenario ------------------------------------------------------- */

static void test_good_file(void) {
  scenario *sc = NULL;
  sim_error err = {0};
  CHECK_INT(scenario_load_file("tests/scenarios/good.yaml", NULL, 0, &sc, &err), 0,
            "good.yaml loads (%s)", err.msg);
  if (!sc) return;
  CHECK_STR(sc->name, "good", "name");
  CHECK(sc->seed == 42, "seed");
  CHECK_ABS(sc->duration_s, 3600, 0, "duration");
  CHECK_ABS(sc->drain_s, 900, 0, "drain default 15m");
  CHECK_ABS(sc->workload.duration_s, 3600, 0, "the workload gets the scenario's duration");
  CHECK_ABS(sc->workload.arrivals.rate_per_s, 20, 1e-12, "rate 1200/min");
  CHECK_INT(sc->workload.request.duration.kind, WL_DIST_LOGNORMAL, "service distribution");
  CHECK_ABS(sc->workload.request.duration.median, 0.12, 1e-15, "median");
  CHECK_ABS(sc->workload.request.cpu_share, 0.6, 0, "cpu_share");
  CHECK_INT(sc->n_platforms, 2, "two platforms");
  CHECK_STR(sc->platforms[0].name, "small", "first platform");
  CHECK_STR(sc->platforms[1].name, "large", "second platform");
  CHECK(sc->platforms[0].type == platform_find("fixed"), "kind selects the type");
  CHECK_ABS(platform_number(sc, 0, "instances"), 2, 0, "platform key read by its type's schema");
  CHECK_ABS(platform_number(sc, 1, "instances"), 8, 0, "second platform's key");
  CHECK_ABS(platform_number(sc, 0, "instance.max_concurrency"), 80, 0, "nested platform key");
  CHECK_STR(sc->output.dir, "out/good", "output dir defaults to out/<name>");
  CHECK_ABS(sc->output.resolution_s, 30, 0, "resolution");
  CHECK_STR(sc->source, "tests/scenarios/good.yaml", "source");
  const char *defaulted[] = {"drain", "output.dir", "platforms[1].instance.vcpu",
                             "platforms[0].queue", "workload.arrivals.rate", NULL};
  for (size_t i = 0; i < 4; i++)
    CHECK(cfg_was_defaulted(sc->ctx, defaulted[i]), "%s defaulted", defaulted[i]);
  for (size_t i = 4; defaulted[i]; i++)
    CHECK(!cfg_was_defaulted(sc->ctx, defaulted[i]), "%s given", defaulted[i]);
  CHECK(!cfg_was_defaulted(sc->ctx, "seed") && !cfg_was_defaulted(sc->ctx, "platforms[0].instance.vcpu"),
        "given values are not defaulted");
  scenario_free(sc);
  scenario_free(NULL);
}

static void test_text_defaults(void) {
  scenario *sc = load(base, NULL);
  CHECK(sc != NULL, "base scenario loads (%s)", message);
  if (!sc) return;
  CHECK(sc->seed == 1, "seed default 1");
  CHECK(cfg_was_defaulted(sc->ctx, "seed"), "seed marked defaulted");
  CHECK_ABS(sc->output.resolution_s, 10, 0, "resolution default 10s");
  CHECK_STR(sc->output.dir, "out/x", "given dir kept");
  CHECK_ABS(sc->workload.request.cpu_share, 1, 0, "cpu_share default 1");
  CHECK_STR(sc->source, "s.yaml", "source name");
  scenario_free(sc);

  sim_error err = {0};
  CHECK_INT(scenario_load_text("<demo>", base, strlen(base), NULL, 0, &sc, &err), 0, "text load");
  CHECK_STR(sc->source, "<demo>", "the demo's name");
  scenario_free(sc);
  const char *bad = "name: demo\nduration: 1h\nworkload: 3\n";
  CHECK_INT(scenario_load_text("<demo>", bad, strlen(bad), NULL, 0, &sc, &err), SIM_ESCENARIO,
            "bad text");
  CHECK_STR(err.msg, "<demo>:3:11: workload: expected a mapping, got '3'", "messages name the text");
}

/* --- errors ----------------------------------------------------------------------- */

static void test_file_errors(void) {
  CHECK_STR(error_of_file("tests/scenarios/bad_missing_arrivals.yaml"),
            "tests/scenarios/bad_missing_arrivals.yaml:3:3: workload: missing required key 'arrivals' (or 'trace')",
            "missing key");
  CHECK_STR(error_of_file("tests/scenarios/bad_unknown_key.yaml"),
            "tests/scenarios/bad_unknown_key.yaml:9:5: platforms[1].instanse: unknown key (did you mean 'instance'?)",
            "unknown platform key");
  CHECK_STR(error_of_file("tests/scenarios/bad_value.yaml"),
            "tests/scenarios/bad_value.yaml:7:16: workload.request.cpu_share: expected a number >= 0 and <= 1, got 'lots'",
            "bad value");
  CHECK_STR(error_of_file("tests/scenarios/bad_duplicate_name.yaml"),
            "tests/scenarios/bad_duplicate_name.yaml:10:11: platforms[1].name: duplicate platform name 'a' (platforms[0] has it too)",
            "duplicate platform name");
  CHECK_STR(error_of_file("tests/scenarios/bad_indentation.yaml"),
            "tests/scenarios/bad_indentation.yaml:5:4: invalid indentation in mapping",
            "YAML syntax error located");
  scenario *sc = NULL;
  sim_error err = {0};
  CHECK_INT(scenario_load_file("tests/scenarios/no-such-file.yaml", NULL, 0, &sc, &err), SIM_EINPUT,
            "unreadable file");
  CHECK_STR(err.msg, "tests/scenarios/no-such-file.yaml: cannot open: No such file or directory",
            "unreadable file message");
}

static void test_text_errors(void) {
  const char *head = "name: demo\nduration: 1h\nworkload:\n  arrivals: {process: poisson, rate: 100/s}\n"
                     "  request: {duration: {dist: constant, value: 100ms}}\n";
  char text[1024], want[512];
#define WITH(tail) (snprintf(text, sizeof text, "%s%s", head, tail), text)
  CHECK_STR(error_with(head, NULL), "s.yaml:1:1: missing required key 'platforms'", "no platforms");
  CHECK_STR(error_with(WITH("platforms: []\n"), NULL),
            "s.yaml:6:12: platforms: expected at least 1 platform, got none", "empty platforms");
  CHECK_STR(error_with(WITH("platforms: {a: 1}\n"), NULL),
            "s.yaml:6:12: platforms: expected a list of platforms, got a mapping", "platforms not a list");
  CHECK_STR(error_with(WITH("platforms: [fixed]\n"), NULL),
            "s.yaml:6:13: platforms[0]: expected a mapping, got 'fixed'", "platform not a mapping");
  CHECK_STR(error_with(WITH("platforms:\n  - {name: a, instances: 1}\n"), NULL),
            "s.yaml:7:5: platforms[0]: missing required key 'kind'", "no kind");
  CHECK_STR(error_with(WITH("platforms:\n  - {kind: fixed, instances: 1}\n"), NULL),
            "s.yaml:7:5: platforms[0]: missing required key 'name'", "no name");
  CHECK_STR(error_with(WITH("platforms:\n  - {name: '', kind: fixed, instances: 1}\n"), NULL),
            "s.yaml:7:13: platforms[0].name: expected a non-empty string, got ''", "empty name");
  CHECK_STR(error_with(WITH("platforms:\n  - {nmae: a, kind: fixed, instances: 1}\n"), NULL),
            "s.yaml:7:6: platforms[0].nmae: unknown key (did you mean 'name'?)", "misspelt name");
  snprintf(want, sizeof want,
           "s.yaml:7:21: platforms[0].kind: expected one of %s, got 'fixd' (did you mean 'fixed'?)",
           known_kinds());
  CHECK_STR(error_with(WITH("platforms:\n  - {name: a, kind: fixd, instances: 1}\n"), NULL), want,
            "unknown kind, near");
  snprintf(want, sizeof want, "s.yaml:7:21: platforms[0].kind: expected one of %s, got 'kubernetes'",
           known_kinds());
  CHECK_STR(error_with(WITH("platforms:\n  - {name: a, kind: kubernetes}\n"), NULL), want,
            "unknown kind lists the kinds");
  CHECK_STR(error_with(WITH("platforms: [{name: a, kind: fixed, instances: 1}]\noutput: {resolution: 0s}\n"), NULL),
            "s.yaml:7:22: output.resolution: expected a duration > 0s, got '0s'", "resolution > 0");
  CHECK_STR(error_with("name: demo\nworkload:\n  arrivals: {process: poisson, rate: 100/s}\n"
                       "  request: {duration: {dist: constant, value: 100ms}}\n"
                       "platforms: [{name: a, kind: fixed, instances: 1}]\n", NULL),
            "s.yaml:1:1: duration: a generator needs a scenario duration, got none",
            "a generator without a duration");
  CHECK_STR(error_with("name: demo\nduration: 0s\nworkload:\n  arrivals: {process: poisson, rate: 100/s}\n"
                       "  request: {duration: {dist: constant, value: 100ms}}\n"
                       "platforms: [{name: a, kind: fixed, instances: 1}]\n", NULL),
            "s.yaml:2:11: duration: a generator needs a scenario duration > 0, got '0s'",
            "a generator with a zero duration");
  CHECK_STR(error_with(WITH("platforms: [{name: a, kind: fixed, instances: 1}]\nseed: -3\n"), NULL),
            "s.yaml:7:7: seed: expected a non-negative integer, got '-3'", "seed");
  CHECK_STR(error_with("", NULL), "s.yaml: missing required key 'name'", "an empty file");
  CHECK_STR(error_with("# nothing but a comment\n", NULL), "s.yaml: missing required key 'name'",
            "a file of comments");
  CHECK_STR(error_with("name: 'demo\n", NULL), "s.yaml:1:8: single-quoted scalar without closing quote",
            "syntax error in text (located at the scalar's first character)");
#undef WITH
}

/* --- overrides ----------------------------------------------------------------------- */

static scenario *load_with(const char *const *sets) {
  scenario *sc = load(base, sets);
  CHECK(sc != NULL, "overrides apply (%s)", message);
  return sc;
}

static void test_overrides(void) {
  scenario *sc = load_with((const char *[]){"seed=7", "duration=2h", "workload.arrivals.rate=50/s",
                                            "platforms[1].instances=6", NULL});
  if (sc) {
    CHECK(sc->seed == 7, "scalar override");
    CHECK(!cfg_was_defaulted(sc->ctx, "seed"), "an overridden default is not defaulted");
    CHECK_ABS(sc->duration_s, 7200, 0, "duration override");
    CHECK_ABS(sc->workload.duration_s, 7200, 0, "workload sees the overridden duration");
    CHECK_ABS(sc->workload.arrivals.rate_per_s, 50, 0, "nested scalar override");
    CHECK_ABS(platform_number(sc, 1, "instances"), 6, 0, "list item by [N]");
    scenario_free(sc);
  }
  sc = load_with((const char *[]){"workload.arrivals={process: poisson, rate: 5/s}",
                                  "platforms[0].instance={vcpu: 0.5, max_concurrency: 10}", NULL});
  if (sc) {
    CHECK_ABS(sc->workload.arrivals.rate_per_s, 5, 0, "map override");
    CHECK_ABS(platform_number(sc, 0, "instance.vcpu"), 0.5, 0, "map inserted into a platform");
    CHECK_ABS(platform_number(sc, 0, "instance.max_concurrency"), 10, 0, "map inserted, second key");
    scenario_free(sc);
  }
  sc = load_with((const char *[]){"platforms.large.instance.vcpu=3", "platforms.0.instances=9",
                                  "output.resolution=1s", "seed=3", "seed=4", NULL});
  if (sc) {
    CHECK_ABS(platform_number(sc, 1, "instance.vcpu"), 3, 0, "platform addressed by name");
    CHECK_ABS(platform_number(sc, 0, "instances"), 9, 0, "list item by .N");
    CHECK_ABS(sc->output.resolution_s, 1, 0, "key inserted into an existing mapping");
    CHECK_STR(sc->output.dir, "out/x", "its sibling kept");
    CHECK(sc->seed == 4, "the later override wins");
    scenario_free(sc);
  }
  sc = load_with((const char *[]){"platforms[1]={name: huge, kind: fixed, instances: 16}", NULL});
  if (sc) {
    CHECK_STR(sc->platforms[1].name, "huge", "a list item replaced");
    CHECK_ABS(platform_number(sc, 1, "instances"), 16, 0, "replaced item's keys");
    CHECK_INT(sc->n_platforms, 2, "no item added");
    scenario_free(sc);
  }
  char no_output[sizeof base];
  snprintf(no_output, sizeof no_output, "%.*s", (int)(strstr(base, "output:") - base), base);
  const char *sets[] = {"output.resolution=5s", NULL};
  sc = load(no_output, sets);
  CHECK(sc != NULL, "an override creates a missing mapping (%s)", message);
  if (sc) {
    CHECK_ABS(sc->output.resolution_s, 5, 0, "value in the created mapping");
    CHECK_STR(sc->output.dir, "out/demo", "defaults beside it");
    scenario_free(sc);
  }
}

static void test_override_errors(void) {
  char want[512];
  CHECK_STR(error_with(base, "seed"), "--set seed: expected key.path=value", "no '='");
  CHECK_STR(error_with(base, "a..b=1"),
            "--set a..b=1: malformed key path (keys separated by '.', list items as [N] or by name)",
            "malformed path");
  CHECK_STR(error_with(base, "=1"),
            "--set =1: malformed key path (keys separated by '.', list items as [N] or by name)",
            "empty path");
  CHECK_STR(error_with(base, "platforms[0]x=1"),
            "--set platforms[0]x=1: malformed key path (keys separated by '.', list items as [N] or by name)",
            "text after an index");
  CHECK_STR(error_with(base, "platforms[5].instances=1"),
            "--set platforms[5].instances=1: platforms has 2 items, no [5]", "index out of range");
  CHECK_STR(error_with(base, "platforms.smal.instances=3"),
            "--set platforms.smal.instances=3: platforms has no item named 'smal' (did you mean 'small'?)",
            "no such platform name");
  CHECK_STR(error_with(base, "name.x=1"), "--set name.x=1: name is 'demo', not a mapping or a list",
            "descending into a scalar");
  CHECK_STR(error_with(base, "workload[0]=1"), "--set workload[0]=1: workload is a mapping, not a list",
            "index on a mapping");
  CHECK_STR(error_with(base, "platformz[0].x=1"),
            "--set platformz[0].x=1: platformz is not in the scenario, so it has no items",
            "index into a missing key");
  CHECK_STR(error_with(base, "outptu.dir=x"), "--set outptu.dir=x: unknown key (did you mean 'output'?)",
            "unknown top-level key caught by the reader");
  CHECK_STR(error_with(base, "platforms[0].instance.vcpuu=2"),
            "--set platforms[0].instance.vcpuu=2: unknown key (did you mean 'vcpu'?)",
            "unknown nested key names the override");
  CHECK_STR(error_with(base, "workload.request.cpu_share=2"),
            "--set workload.request.cpu_share=2: expected a number >= 0 and <= 1, got '2'",
            "bad overridden value");
  CHECK_STR(error_with(base, "workload.request={duration: {dist: constant, value: 1s}, cpu_share: 2}"),
            "--set workload.request={duration: {dist: constant, value: 1s}, cpu_share: 2}: "
            "workload.request.cpu_share: expected a number >= 0 and <= 1, got '2'",
            "bad value inside an overridden map");
  CHECK_STR(error_with(base, "platforms[1].name=small"),
            "--set platforms[1].name=small: duplicate platform name 'small' (platforms[0] has it too)",
            "override making a duplicate name");
  snprintf(want, sizeof want,
           "--set platforms[1].kind=fixd: expected one of %s, got 'fixd' (did you mean 'fixed'?)",
           known_kinds());
  CHECK_STR(error_with(base, "platforms[1].kind=fixd"), want, "overridden kind");
  CHECK_STR(error_with(base, "duration=0s"),
            "--set duration=0s: a generator needs a scenario duration > 0, got '0s'",
            "cross-field check names the override");
  const char *msg = error_with(base, "workload.arrivals={rate: [}");
  CHECK_CONTAINS(msg, "--set workload.arrivals={rate: [}: ", "YAML error in a value names the override");
  CHECK_CONTAINS(msg, " (column ", "and where in the value");
}

/* --- the reference --------------------------------------------------------------------- */

static void check_keys(const char *text, const cfg_schema *schema, const char *where) {
  char cell[128];
  for (const cfg_field *f = schema->fields; f->key; f++) {
    snprintf(cell, sizeof cell, "| `%s` |", f->key);
    CHECK_CONTAINS(text, cell, "reference has %s key %s", where, f->key);
    if (f->sub) check_keys(text, f->sub, where);
  }
}

static void test_reference(void) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  scenario_write_reference(f);
  fclose(f);
  static const char *const top[] = {"name", "seed", "duration", "drain", "workload",
                                    "platforms", "output", "dir", "resolution", NULL};
  char cell[128];
  for (const char *const *k = top; *k; k++) {
    snprintf(cell, sizeof cell, "| `%s` |", *k);
    CHECK_CONTAINS(text, cell, "reference has scenario key %s", *k);
  }
  check_keys(text, &wl_config_schema, "workload");
  for (size_t i = 0; platform_types[i]; i++) {
    snprintf(cell, sizeof cell, "`kind: %s`", platform_types[i]->name);
    CHECK_CONTAINS(text, cell, "reference has a section for kind %s", platform_types[i]->name);
    check_keys(text, platform_types[i]->schema, platform_types[i]->name);
  }
  free(text);
}

int main(void) {
  check_init();
  test_good_file();
  test_text_defaults();
  test_file_errors();
  test_text_errors();
  test_overrides();
  test_override_errors();
  test_reference();
  return check_done();
}

/* test_summary.c — summary.json and summary.csv written, read back (the JSON
 * with libfyaml in strict JSON mode, the CSV with libcsv), every derived value
 * checked against the totals it comes from, the two files agreeing field by
 * field, and a second write giving the same bytes. */
#include <csv.h>
#include <libfyaml.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/summary.h"
#include "tests/check.h"
#include "tests/files.h"

/* --- inputs ---------------------------------------------------------------- */

static const char *const scenario = "nasa-day \"x20\", é";
static const uint64_t seed = UINT64_MAX; /* needs all 20 digits */

/* Platform 0 with a latency sketch, platform 1 that served nothing. */
static void make_results(out_platform_result r[2], out_sketch *lat) {
  memset(r, 0, 2 * sizeof r[0]);
  for (int i = 1; i <= 1000; i++) out_sketch_add(lat, i * 0.001); /* 1 ms .. 1 s */
  out_totals *t = &r[0].totals;
  r[0].name = "ecs, \"cpu60\"";
  r[0].kind = "ecs";
  r[0].latency = lat;
  r[0].records_skipped = 3;
  r[0].origin_errors = 17;
  t->duration_s = 3600;
  t->counters[OUT_ARRIVALS] = 1010;
  t->counters[OUT_COMPLETIONS] = 1000;
  t->counters[OUT_ERR_503] = 4;
  t->counters[OUT_ERR_504] = 2;
  t->counters[OUT_WAITED] = 40;
  t->counters[OUT_QUEUE_WAIT_S] = 10;
  t->counters[OUT_INSTANCE_STARTS] = 7;
  t->counters[OUT_COLD_REQUESTS] = 12;
  t->counters[OUT_COLD_WAIT_S] = 30.5;
  t->counters[OUT_COST_USD] = 1.2345678;
  t->counters[OUT_DECISIONS] = 3;
  t->gauge_mean[OUT_CPU_BUSY] = 0.75;
  t->gauge_mean[OUT_CPU_ALLOC] = 2.5;
  t->instance_seconds = 9000;
  t->instances_mean = 2.5;
  t->instances_max = 5;
  t->unfinished = 4;

  r[1].name = "123"; /* a name that looks like a number stays a string */
  r[1].kind = "cloudrun";
  r[1].latency = NULL;
  r[1].totals.duration_s = 3600;
  r[1].totals.counters[OUT_COST_USD] = 0.00002;
}

/* --- reading back ---------------------------------------------------------- */

static struct fy_node *at(struct fy_document *doc, const char *path) {
  return fy_node_by_path(fy_document_root(doc), path, FY_NT, FYNWF_DONT_FOLLOW);
}

static const char *scalar(struct fy_document *doc, const char *path) {
  struct fy_node *n = at(doc, path);
  return n ? fy_node_get_scalar0(n) : NULL;
}

/* A JSON number at path (its text must be a plain scalar). */
static double number(struct fy_document *doc, const char *path) {
  struct fy_node *n = at(doc, path);
  if (!n || fy_node_get_style(n) != FYNS_PLAIN) return NAN;
  const char *s = fy_node_get_scalar0(n);
  return s && strcmp(s, "null") != 0 ? strtod(s, NULL) : NAN;
}

#define MAX_ROWS 8
#define MAX_FIELDS 64
typedef struct table {
  char *cell[MAX_ROWS][MAX_FIELDS];
  int n_fields[MAX_ROWS];
  int n_rows;
} table;

static void on_field(void *data, size_t len, void *arg) {
  table *t = arg;
  if (t->n_rows < MAX_ROWS && t->n_fields[t->n_rows] < MAX_FIELDS)
    t->cell[t->n_rows][t->n_fields[t->n_rows]++] = data ? strndup(data, len) : NULL;
}
static void on_row(int c, void *arg) {
  table *t = arg;
  if (t->n_rows < MAX_ROWS) t->n_rows++;
}

static int parse_csv(const char *text, size_t len, table *t) {
  memset(t, 0, sizeof *t);
  struct csv_parser p;
  csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
  int rc = csv_parse(&p, text, len, on_field, on_row, t) == len ? 0 : -1;
  if (csv_fini(&p, on_field, on_row, t) != 0) rc = -1;
  csv_free(&p);
  return rc;
}

static void free_table(table *t) {
  for (int r = 0; r < MAX_ROWS; r++)
    for (int f = 0; f < t->n_fields[r]; f++) free(t->cell[r][f]);
}

/* --- checks ---------------------------------------------------------------- */

/* Platform 0's numbers against the totals, computed here independently. */
static void check_values(struct fy_document *doc, const out_sketch *lat) {
  static const struct { const char *key; double want; } exact[] = {
      {"duration_s", 3600},       {"requests", 1010},      {"completed", 1000},
      {"errors_429", 0},          {"errors_503", 4},       {"errors_504", 2},
      {"errors_total", 6},        {"error_rate", 6.0 / 1010}, {"unfinished", 4},
      {"waited", 40},             {"queue_wait_mean_s", 0.25}, {"instance_starts", 7},
      {"cold_requests", 12},      {"cold_wait_s", 30.5},   {"instances_mean", 2.5},
      {"instances_max", 5},       {"instance_seconds", 9000}, {"cpu_utilization_mean", 0.3},
      {"cost_usd", 1.2345678},    {"cost_per_million_usd", 1.2345678e6 / 1010},
      {"decisions", 3},           {"latency_mean_s", 0.5005}, {"latency_max_s", 1},
      /* cold wait over the latencies' sum, 1 + 2 + ... + 1000 ms = 500.5 s */
      {"cold_share", 30.5 / 500.5},
      {"records_skipped", 3},     {"origin_errors", 17},
  };
  char path[128];
  for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
    snprintf(path, sizeof path, "/platforms/0/%s", exact[i].key);
    /* 10 significant digits are printed. */
    CHECK_REL(number(doc, path), exact[i].want, 1e-9, "json: %s", exact[i].key);
  }
  static const struct { const char *key; double q; } qs[] = {
      {"latency_p50_s", 0.5}, {"latency_p90_s", 0.9}, {"latency_p95_s", 0.95},
      {"latency_p99_s", 0.99}, {"latency_p999_s", 0.999}};
  for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
    snprintf(path, sizeof path, "/platforms/0/%s", qs[i].key);
    /* quantiles are printed to 6 significant digits */
    CHECK_REL(number(doc, path), out_sketch_quantile(lat, qs[i].q), 5e-6, "json: %s", qs[i].key);
    /* and the exact order statistic of 1..1000 ms, within the sketch's 1% */
    CHECK_REL(number(doc, path), 0.001 * (1 + floor(qs[i].q * 999)), 0.01, "json: %s vs exact",
              qs[i].key);
  }
}

static void check_json(const char *path, const out_sketch *lat) {
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
  struct fy_document *doc = fy_document_build_from_file(&cfg, path);
  CHECK(doc != NULL, "json: parses in strict JSON mode");
  if (!doc) return;
  CHECK_STR(scalar(doc, "/scenario"), scenario, "json: scenario name round-trips");
  CHECK_STR(scalar(doc, "/seed"), "18446744073709551615", "json: seed exact");
  CHECK_INT(fy_node_sequence_item_count(at(doc, "/platforms")), 2, "json: two platforms");
  CHECK_STR(scalar(doc, "/platforms/0/name"), "ecs, \"cpu60\"", "json: name with quotes");
  CHECK_STR(scalar(doc, "/platforms/0/kind"), "ecs", "json: kind");
  CHECK_STR(scalar(doc, "/platforms/1/name"), "123", "json: numeric-looking name text");
  CHECK(fy_node_get_style(at(doc, "/platforms/1/name")) == FYNS_DOUBLE_QUOTED,
        "json: numeric-looking name is a string");
  CHECK_STR(scalar(doc, "/complete"), "true", "json: a run written whole is complete");
  CHECK(at(doc, "/stopped") == NULL, "json: and has no stop reason");
  CHECK_STR(scalar(doc, "/platforms/0/complete"), "true", "json: platform complete");
  /* Key order is the documented one: name, kind, complete, duration_s, requests, ... */
  struct fy_node *p0 = at(doc, "/platforms/0");
  struct fy_node_pair *first = fy_node_mapping_get_by_index(p0, 0);
  struct fy_node_pair *fifth = fy_node_mapping_get_by_index(p0, 4);
  CHECK_STR(fy_node_get_scalar0(fy_node_pair_key(first)), "name", "json: first key");
  CHECK_STR(fy_node_get_scalar0(fy_node_pair_key(fifth)), "requests", "json: fifth key");
  check_values(doc, lat);
  CHECK_STR(scalar(doc, "/platforms/1/latency_p50_s"), "null", "json: no latency is null");
  CHECK_STR(scalar(doc, "/platforms/1/error_rate"), "null", "json: rate of nothing is null");
  CHECK_STR(scalar(doc, "/platforms/1/cold_share"), "null",
            "json: no cold-start share without completed requests");
  CHECK_STR(scalar(doc, "/platforms/1/cost_usd"), "0.00002", "json: small cost as a plain decimal");
  CHECK_STR(scalar(doc, "/platforms/1/requests"), "0", "json: zero count");
  fy_document_destroy(doc);
}

/* Every CSV field equals the JSON scalar of the same key, byte for byte. */
static void check_csv(const char *csv_path, const char *json_path) {
  size_t len;
  char *text = read_file(csv_path, &len);
  CHECK(text != NULL, "csv: readable");
  if (!text) return;
  table t;
  CHECK_INT(parse_csv(text, len, &t), 0, "csv: parses as strict CSV");
  CHECK_INT(t.n_rows, 3, "csv: header and two rows");
  CHECK_STR(t.cell[0][0], "scenario", "csv: header starts with scenario");
  CHECK_STR(t.cell[1][0], scenario, "csv: scenario quoted and round-trips");
  CHECK_STR(t.cell[1][1], "18446744073709551615", "csv: seed");
  CHECK_STR(t.cell[1][2], "ecs, \"cpu60\"", "csv: name with comma and quotes");
  CHECK_STR(t.cell[2][2], "123", "csv: second name");
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
  struct fy_document *doc = fy_document_build_from_file(&cfg, json_path);
  int mismatches = 0, compared = 0;
  for (int r = 1; r < t.n_rows && doc; r++) {
    CHECK_INT(t.n_fields[r], t.n_fields[0], "csv: row %d width", r);
    for (int f = 4; f < t.n_fields[0] && f < t.n_fields[r]; f++) {
      char path[128];
      snprintf(path, sizeof path, "/platforms/%d/%s", r - 1, t.cell[0][f]);
      const char *j = scalar(doc, path);
      const char *c = t.cell[r][f] ? t.cell[r][f] : "null";
      compared++;
      if (!j || strcmp(j, c) != 0) {
        mismatches++;
        fprintf(stderr, "csv/json differ at %s: csv '%s', json '%s'\n", path, c, j ? j : "?");
      }
      if (f > 4 && t.cell[r][f] && strpbrk(t.cell[r][f], "eE")) /* 4: complete */
        CHECK(0, "csv: %s is a plain decimal (got %s)", path, t.cell[r][f]);
    }
  }
  CHECK_INT(compared, 2 * 34, "csv: 34 fields per platform compared with the JSON");
  CHECK_INT(mismatches, 0, "csv: every field equals the JSON's");
  if (doc) fy_document_destroy(doc);
  free_table(&t);
  free(text);
}

static void check_deterministic(const char *dir, const out_platform_result *r) {
  char json_path[600], csv_path[600];
  snprintf(json_path, sizeof json_path, "%s/summary.json", dir);
  snprintf(csv_path, sizeof csv_path, "%s/summary.csv", dir);
  size_t lj1, lc1, lj2, lc2;
  char *j1 = read_file(json_path, &lj1), *c1 = read_file(csv_path, &lc1);
  CHECK_INT(out_write_summary(dir, scenario, seed, r, 2, NULL), 0, "second write");
  char *j2 = read_file(json_path, &lj2), *c2 = read_file(csv_path, &lc2);
  CHECK(j1 && j2 && lj1 == lj2 && memcmp(j1, j2, lj1) == 0, "json: same bytes on a rewrite");
  CHECK(c1 && c2 && lc1 == lc2 && memcmp(c1, c2, lc1) == 0, "csv: same bytes on a rewrite");
  free(j1);
  free(j2);
  free(c1);
  free(c2);
}

/* A run stopped early: "complete": false at the top with the reason, and on
 * the platform that was stopped; in the CSV too. */
static void check_stopped(const char *dir, out_platform_result *r) {
  char json_path[600], csv_path[600];
  snprintf(json_path, sizeof json_path, "%s/summary.json", dir);
  snprintf(csv_path, sizeof csv_path, "%s/summary.csv", dir);
  r[1].incomplete = true;
  sim_error err = {0};
  CHECK_INT(out_write_summary_run(dir, scenario, seed, r, 2, "interrupted by SIGINT", &err), 0,
            "stopped: write: %s", err.msg);
  r[1].incomplete = false;
  struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_JSON_FORCE};
  struct fy_document *doc = fy_document_build_from_file(&cfg, json_path);
  CHECK(doc != NULL, "stopped: json parses");
  if (doc) {
    CHECK_STR(scalar(doc, "/complete"), "false", "stopped: run incomplete");
    CHECK_STR(scalar(doc, "/stopped"), "interrupted by SIGINT", "stopped: the reason");
    CHECK_STR(scalar(doc, "/platforms/0/complete"), "true", "stopped: first platform whole");
    CHECK_STR(scalar(doc, "/platforms/1/complete"), "false", "stopped: second one not");
    fy_document_destroy(doc);
  }
  size_t len;
  char *text = read_file(csv_path, &len);
  CHECK_CONTAINS(text, "\"123\",\"cloudrun\",false,", "stopped: csv marks the platform");
  free(text);
}

int main(void) {
  check_init();
  char root[] = "/tmp/scalesim-test-summary-XXXXXX";
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    return 1;
  }
  char dir[256], json_path[600], csv_path[600];
  snprintf(dir, sizeof dir, "%s/out/run", root); /* nested: created */
  snprintf(json_path, sizeof json_path, "%s/summary.json", dir);
  snprintf(csv_path, sizeof csv_path, "%s/summary.csv", dir);

  out_sketch *lat = out_sketch_alloc();
  out_platform_result r[2];
  make_results(r, lat);
  sim_error err = {0};
  CHECK_INT(out_write_summary(dir, scenario, seed, r, 2, &err), 0, "write: %s", err.msg);
  CHECK(access(json_path, F_OK) == 0 && access(csv_path, F_OK) == 0, "both files exist");
  char tmp[700];
  snprintf(tmp, sizeof tmp, "%s.tmp", json_path);
  CHECK(access(tmp, F_OK) != 0, "no temporary left");
  check_json(json_path, lat);
  check_csv(csv_path, json_path);
  check_deterministic(dir, r);
  check_stopped(dir, r);

  CHECK_INT(out_write_summary("/proc/scalesim-no", scenario, seed, r, 2, &err), SIM_EFAIL,
            "unwritable folder fails");
  CHECK_CONTAINS(err.msg, "/proc/scalesim-no", "error names the path");

  out_sketch_free(lat);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
  return check_done();
}

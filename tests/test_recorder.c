/* test_recorder.c — the recorder against hand-worked sequences: exact gauge
 * integration (changes on boundaries, a partial last interval), counters per
 * interval, totals, the CSV files parsed back with libcsv, decision quoting, and
 * the files' atomic appearance. */
#include <csv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/recorder.h"
#include "tests/check.h"

/* --- a CSV file parsed back: rows of fields, NULL for an unquoted empty one - */

#define MAX_ROWS 64
#define MAX_FIELDS 32

typedef struct table {
  char *cell[MAX_ROWS][MAX_FIELDS];
  int n_fields[MAX_ROWS];
  int n_rows;
} table;

static void on_field(void *data, size_t len, void *arg) {
  table *t = arg;
  if (t->n_rows >= MAX_ROWS || t->n_fields[t->n_rows] >= MAX_FIELDS) return;
  t->cell[t->n_rows][t->n_fields[t->n_rows]++] = data ? strndup(data, len) : NULL;
}
static void on_row(int c, void *arg) {
  table *t = arg;
  if (t->n_rows < MAX_ROWS) t->n_rows++;
}

/* Reads path into t; returns 0 on success. */
static int read_table(const char *path, table *t) {
  memset(t, 0, sizeof *t);
  FILE *fp = fopen(path, "rb");
  if (!fp) return -1;
  struct csv_parser p;
  csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL);
  char buf[4096];
  size_t n;
  int rc = 0;
  while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
    if (csv_parse(&p, buf, n, on_field, on_row, t) != n) rc = -1;
  if (csv_fini(&p, on_field, on_row, t) != 0) rc = -1;
  csv_free(&p);
  fclose(fp);
  return rc;
}

static void free_table(table *t) {
  for (int r = 0; r < MAX_ROWS; r++)
    for (int f = 0; f < t->n_fields[r]; f++) free(t->cell[r][f]);
}

static int column(const table *t, const char *name) {
  for (int f = 0; f < t->n_fields[0]; f++)
    if (t->cell[0][f] && strcmp(t->cell[0][f], name) == 0) return f;
  return -1;
}

/* The number in row r (1-based data row), column name; NaN when empty. */
static double num(const table *t, int r, const char *name) {
  int f = column(t, name);
  if (f < 0 || r >= t->n_rows || f >= t->n_fields[r] || !t->cell[r][f]) return NAN;
  return strtod(t->cell[r][f], NULL);
}

static const char *text(const table *t, int r, int f) {
  return r < t->n_rows && f < t->n_fields[r] ? t->cell[r][f] : NULL;
}

/* Values go through "%.6g": this is the rounding that format allows. */
#define FMT_REL 5e-6

static bool exists(const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return access(path, F_OK) == 0;
}

static void path_of(char *buf, size_t len, const char *dir, const char *name) {
  snprintf(buf, len, "%s/%s", dir, name);
}

/* --- the hand-worked run ----------------------------------------------------
 * Resolution 10 s, end at 27 s, so rows [0,10), [10,20), [20,27).
 *   in_flight:   +1@1 +1@4 -1@10 +1@15 -1@25   → integrals 15, 15, 12 (2x5 + 1x2)
 *   instances:   prov 2@0; prov→starting @3; starting→ready @8 (READY raised
 *                first: a zero-length blip to 4); ready→draining 1 @12;
 *                draining -1 @20 (on a boundary); prov +1 @22
 *                → prov 6 | 0 | 5; starting 10 | 0 | 0; ready 4 | 12 | 7;
 *                  draining 0 | 8 | 0; instances 20 | 20 | 12 (1x2 + 2x5)
 *   desired:     2@0, 3@12 → 20 | 28 | 21
 *   cpu_alloc:   2@0; cpu_busy +0.5@5 +0.5@15 → busy 2.5 | 7.5 | 7, alloc 20 | 20 | 14
 *   counters:    arrivals @1 @4 @15; completions @10 (boundary) and 2 @25;
 *                errors 503, 429 and 418 (→500) @21; cost 0.001@9.999 0.002@10
 *                0.004@26; cold waits 6.5 s @8 (nothing completes in row 1:
 *                cold_share empty), 0.75 s @25 → cold_share 0 | 0 | 0.75 / 3
 *   latencies:   9 @10; 0.5, 1, 1.5 @25 */
static void feed(out_recorder *rec) {
  out_gauge_set(rec, 0, OUT_DESIRED, 2);
  out_gauge_add(rec, 0, OUT_PROVISIONING, 2);
  out_gauge_set(rec, 0, OUT_CPU_ALLOC, 2);
  out_count(rec, 1, OUT_ARRIVALS, 1);
  out_gauge_add(rec, 1, OUT_IN_FLIGHT, 1);
  out_gauge_add(rec, 3, OUT_PROVISIONING, -2);
  out_gauge_add(rec, 3, OUT_STARTING, 2);
  out_count(rec, 4, OUT_ARRIVALS, 1);
  out_gauge_add(rec, 4, OUT_IN_FLIGHT, 1);
  out_decide(rec, 5, &(out_decision){"svc/TargetTracking-\"cpu\"", "scale", "CPUUtilization",
                                     73.5, 2, 3, "Successful",
                                     "monitor alarm High, in state ALARM, triggered \"policy\""});
  out_gauge_add(rec, 5, OUT_CPU_BUSY, 0.5);
  out_gauge_add(rec, 8, OUT_READY, 2);
  out_gauge_add(rec, 8, OUT_STARTING, -2);
  out_count(rec, 8, OUT_COLD_REQUESTS, 2);
  out_count(rec, 8, OUT_COLD_WAIT_S, 6.5);
  out_count(rec, 9.999, OUT_COST_USD, 0.001);
  out_gauge_add(rec, 10, OUT_IN_FLIGHT, -1);
  out_count(rec, 10, OUT_COMPLETIONS, 1);
  out_latency(rec, 10, 9);
  out_count(rec, 10, OUT_COST_USD, 0.002);
  out_gauge_add(rec, 12, OUT_READY, -1);
  out_gauge_add(rec, 12, OUT_DRAINING, 1);
  out_gauge_set(rec, 12, OUT_DESIRED, 3);
  out_decide(rec, 12.25, &(out_decision){"kpa", "evaluation", NULL, NAN, NAN, NAN, "", "x"});
  out_count(rec, 15, OUT_ARRIVALS, 1);
  out_gauge_add(rec, 15, OUT_IN_FLIGHT, 1);
  out_gauge_add(rec, 15, OUT_CPU_BUSY, 0.5);
  out_gauge_add(rec, 20, OUT_DRAINING, -1);
  out_error(rec, 21, 503);
  out_error(rec, 21, 429);
  out_error(rec, 21, 418);
  out_gauge_add(rec, 22, OUT_PROVISIONING, 1);
  out_gauge_add(rec, 25, OUT_IN_FLIGHT, -1);
  out_count(rec, 25, OUT_COMPLETIONS, 2);
  out_latency(rec, 25, 0.5);
  out_latency(rec, 25, 1.0);
  out_latency(rec, 25, 1.5);
  out_count(rec, 25, OUT_COLD_REQUESTS, 1);
  out_count(rec, 25, OUT_COLD_WAIT_S, 0.75);
  out_count(rec, 26, OUT_COST_USD, 0.004);
}

static void check_timeseries(const char *dir) {
  char path[1024];
  path_of(path, sizeof path, dir, "timeseries.csv");
  table t;
  CHECK_INT(read_table(path, &t), 0, "timeseries: parses as strict CSV");
  CHECK_INT(t.n_rows, 4, "timeseries: header and three rows");
  CHECK_INT(t.n_fields[0], 29, "timeseries: 29 columns");
  CHECK_STR(text(&t, 0, 0), "t_s", "timeseries: first column");
  CHECK_STR(text(&t, 0, 28), "cost_cum_usd", "timeseries: last column");
  CHECK_INT(column(&t, "cold_wait_s"), column(&t, "cold_requests") + 1,
            "timeseries: cold_wait_s after cold_requests");
  CHECK_INT(column(&t, "cold_share"), column(&t, "cold_wait_s") + 1,
            "timeseries: cold_share after cold_wait_s");
  for (int r = 1; r < t.n_rows; r++)
    CHECK_INT(t.n_fields[r], 29, "timeseries: row %d has 29 fields", r);
  CHECK_STR(text(&t, 1, 0), "0", "row 1 starts at 0");
  CHECK_STR(text(&t, 2, 0), "10", "row 2 starts at 10");
  CHECK_STR(text(&t, 3, 0), "20", "row 3 starts at 20 (partial)");

  static const struct { const char *col; double want[3]; } cols[] = {
      {"arrivals", {2, 1, 0}},
      {"completions", {0, 1, 2}},
      {"errors_429", {0, 0, 1}},
      {"errors_500", {0, 0, 1}},
      {"errors_502", {0, 0, 0}},
      {"errors_503", {0, 0, 1}},
      {"errors_504", {0, 0, 0}},
      {"cold_requests", {2, 0, 1}},
      {"cold_wait_s", {6.5, 0, 0.75}},
      {"cold_share", {NAN, 0, 0.75 / 3}},
      {"in_flight", {1.5, 1.5, 12.0 / 7}},
      {"provisioning", {0.6, 0, 5.0 / 7}},
      {"starting", {1.0, 0, 0}},
      {"ready", {0.4, 1.2, 1}},
      {"draining", {0, 0.8, 0}},
      {"desired", {2, 2.8, 3}},
      {"instances", {2, 2, 12.0 / 7}},
      {"cpu_utilization", {0.125, 0.375, 0.5}},
      {"latency_p50_s", {NAN, 9, 1}},
      {"latency_p95_s", {NAN, 9, 1}},
      {"latency_p99_s", {NAN, 9, 1}},
      {"cost_usd", {0.001, 0.002, 0.004}},
      {"cost_cum_usd", {0.001, 0.003, 0.007}},
  };
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    for (int r = 0; r < 3; r++) {
      double got = num(&t, r + 1, cols[i].col), want = cols[i].want[r];
      /* Latencies come from the sketch: within its 1% bound. */
      double rel = strncmp(cols[i].col, "latency", 7) == 0 ? 0.01 : FMT_REL;
      CHECK_REL(got, want, rel, "timeseries: %s in row %d", cols[i].col, r + 1);
    }
  for (int r = 1; r <= 3; r++)
    CHECK(text(&t, r, column(&t, "mem_utilization")) == NULL,
          "timeseries: mem_utilization empty without memory allotted (row %d)", r);
  CHECK(text(&t, 1, column(&t, "latency_p50_s")) == NULL,
        "timeseries: latency empty when nothing completed");
  CHECK(text(&t, 1, column(&t, "cold_share")) == NULL,
        "timeseries: cold_share empty when nothing completed");
  free_table(&t);
}

static void check_decisions(const char *dir) {
  char path[1024];
  path_of(path, sizeof path, dir, "decisions.csv");
  table t;
  CHECK_INT(read_table(path, &t), 0, "decisions: parses as strict CSV");
  CHECK_INT(t.n_rows, 3, "decisions: header and two rows");
  CHECK_STR(text(&t, 0, 8), "reason", "decisions: header");
  CHECK_STR(text(&t, 1, 0), "5", "decisions: time");
  CHECK_STR(text(&t, 1, 1), "svc/TargetTracking-\"cpu\"", "decisions: quoted source");
  CHECK_STR(text(&t, 1, 3), "CPUUtilization", "decisions: metric");
  CHECK_REL(num(&t, 1, "value"), 73.5, 0, "decisions: value");
  CHECK_REL(num(&t, 1, "old_desired"), 2, 0, "decisions: old");
  CHECK_REL(num(&t, 1, "new_desired"), 3, 0, "decisions: new");
  CHECK_STR(text(&t, 1, 7), "Successful", "decisions: status");
  CHECK_STR(text(&t, 1, 8), "monitor alarm High, in state ALARM, triggered \"policy\"",
            "decisions: reason with commas and quotes");
  CHECK_STR(text(&t, 2, 0), "12.25", "decisions: fractional time");
  CHECK_STR(text(&t, 2, 3), "", "decisions: NULL metric is an empty text");
  CHECK(text(&t, 2, 4) == NULL && text(&t, 2, 5) == NULL && text(&t, 2, 6) == NULL,
        "decisions: NaN numbers are empty fields");
  free_table(&t);
}

static void check_totals(const out_recorder *rec) {
  out_totals t;
  out_recorder_totals(rec, &t);
  CHECK_REL(t.duration_s, 27, 0, "totals: duration");
  CHECK_REL(t.counters[OUT_ARRIVALS], 3, 0, "totals: arrivals");
  CHECK_REL(t.counters[OUT_COMPLETIONS], 3, 0, "totals: completions");
  CHECK_REL(t.counters[OUT_ERR_500], 1, 0, "totals: unknown status counts as 500");
  CHECK_REL(t.counters[OUT_COST_USD], 0.007, 1e-12, "totals: cost");
  CHECK_REL(t.counters[OUT_COLD_WAIT_S], 7.25, 1e-12, "totals: cold wait");
  CHECK_REL(t.gauge_mean[OUT_IN_FLIGHT], 42.0 / 27, 1e-12, "totals: in_flight mean");
  CHECK_REL(t.gauge_max[OUT_IN_FLIGHT], 2, 0, "totals: in_flight max");
  CHECK_REL(t.gauge_mean[OUT_DESIRED], 69.0 / 27, 1e-12, "totals: desired mean");
  CHECK_REL(t.gauge_max[OUT_DESIRED], 3, 0, "totals: desired max");
  CHECK_REL(t.gauge_max[OUT_READY], 2, 0, "totals: ready max");
  CHECK_REL(t.instance_seconds, 52, 1e-12, "totals: instance_seconds");
  CHECK_REL(t.instances_mean, 52.0 / 27, 1e-12, "totals: instances mean");
  CHECK_REL(t.instances_max, 2, 0, "totals: instances max ignores the zero-length blip");
  CHECK_REL(t.unfinished, 1, 0, "totals: unfinished = in flight at the end");
  const out_sketch *lat = out_recorder_latency(rec);
  CHECK_INT(out_sketch_count(lat), 4, "totals: latency count");
  CHECK_REL(out_sketch_max(lat), 9, 0, "totals: latency max");
}

static void check_full_run(const char *root) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/run/platform-a", root); /* nested: created */
  out_recorder *rec;
  sim_error err = {0};
  out_recorder_cfg cfg = {.resolution_s = 10, .dir = dir, .timeseries = true, .decisions = true};
  CHECK_INT(out_recorder_open(&cfg, &rec, &err), 0, "open: %s", err.msg);
  feed(rec);
  CHECK_REL(out_gauge_value(rec, OUT_IN_FLIGHT), 1, 0, "gauge value now");
  CHECK(!exists(dir, "timeseries.csv") && !exists(dir, "decisions.csv"),
        "files absent under final names before finish");
  CHECK(exists(dir, "timeseries.csv.tmp") && exists(dir, "decisions.csv.tmp"),
        "files written under temporary names");
  CHECK_INT(out_recorder_finish(rec, 27, &err), 0, "finish: %s", err.msg);
  CHECK(exists(dir, "timeseries.csv") && exists(dir, "decisions.csv"), "files present after finish");
  CHECK(!exists(dir, "timeseries.csv.tmp") && !exists(dir, "decisions.csv.tmp"),
        "no temporary left after finish");
  check_totals(rec);
  out_recorder_free(rec);
  check_timeseries(dir);
  check_decisions(dir);
}

static void check_unfinished_removes_files(const char *root) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/aborted", root);
  out_recorder *rec;
  out_recorder_cfg cfg = {.resolution_s = 1, .dir = dir, .timeseries = true, .decisions = true};
  CHECK_INT(out_recorder_open(&cfg, &rec, NULL), 0, "open (aborted)");
  out_count(rec, 5, OUT_ARRIVALS, 1); /* rows already written to the temporary */
  out_recorder_free(rec);
  CHECK(!exists(dir, "timeseries.csv") && !exists(dir, "timeseries.csv.tmp") &&
            !exists(dir, "decisions.csv") && !exists(dir, "decisions.csv.tmp"),
        "free without finish leaves no file");
  out_recorder_free(NULL);
}

/* A long gap, an end exactly on a boundary with events at that instant, and the
 * flags that turn files off. */
static void check_gap_and_boundary_end(const char *root) {
  char dir[512];
  snprintf(dir, sizeof dir, "%s/gap", root);
  out_recorder *rec;
  out_recorder_cfg cfg = {.resolution_s = 0.25, .dir = dir, .timeseries = true};
  CHECK_INT(out_recorder_open(&cfg, &rec, NULL), 0, "open (gap)");
  out_gauge_set(rec, 0.1, OUT_READY, 4);
  out_count(rec, 0.1, OUT_ARRIVALS, 1);
  out_count(rec, 2.0, OUT_ARRIVALS, 1); /* exactly on the end boundary */
  out_gauge_set(rec, 2.0, OUT_READY, 1);
  CHECK_INT(out_recorder_finish(rec, 2.0, NULL), 0, "finish (gap)");
  out_totals t;
  out_recorder_totals(rec, &t);
  CHECK_REL(t.counters[OUT_ARRIVALS], 2, 0, "gap: an arrival at the end is counted");
  CHECK_REL(t.instance_seconds, 4 * 1.9, 1e-12, "gap: instance_seconds");
  CHECK_REL(t.instances_max, 4, 0, "gap: max");
  out_recorder_free(rec);
  CHECK(!exists(dir, "decisions.csv") && !exists(dir, "decisions.csv.tmp"),
        "decisions off: no file");

  char path[1024];
  path_of(path, sizeof path, dir, "timeseries.csv");
  table tb;
  CHECK_INT(read_table(path, &tb), 0, "gap: parses");
  /* 8 intervals of 0.25 s over [0, 2), then the zero-length one at 2. */
  CHECK_INT(tb.n_rows, 1 + 8 + 1, "gap: a row per interval, plus one for the end instant");
  CHECK_STR(text(&tb, 2, 0), "0.25", "gap: second row time");
  CHECK_STR(text(&tb, 8, 0), "1.75", "gap: eighth row time");
  CHECK_REL(num(&tb, 1, "ready"), 4 * 0.15 / 0.25, FMT_REL, "gap: first row mean");
  CHECK_REL(num(&tb, 5, "ready"), 4, FMT_REL, "gap: rows in the gap hold the value");
  CHECK_REL(num(&tb, 9, "ready"), 1, FMT_REL, "gap: zero-length row shows the value");
  CHECK_REL(num(&tb, 9, "arrivals"), 1, 0, "gap: the end instant's arrival");
  double sum = 0;
  for (int r = 1; r < tb.n_rows; r++) sum += num(&tb, r, "arrivals");
  CHECK_REL(sum, 2, 0, "gap: rows sum to the total");
  free_table(&tb);
}

static void check_names_and_errors(void) {
  CHECK_STR(out_counter_name(OUT_ERR_504), "errors_504", "counter name");
  CHECK_STR(out_gauge_name(OUT_MEM_ALLOC_MIB), "mem_alloc_mib", "gauge name");
  CHECK_INT(out_error_counter(429), OUT_ERR_429, "429");
  CHECK_INT(out_error_counter(502), OUT_ERR_502, "502");
  CHECK_INT(out_error_counter(503), OUT_ERR_503, "503");
  CHECK_INT(out_error_counter(504), OUT_ERR_504, "504");
  CHECK_INT(out_error_counter(500), OUT_ERR_500, "500");
  CHECK_INT(out_error_counter(0), OUT_ERR_500, "unknown");
  for (int c = 0; c < OUT_COUNTER_COUNT; c++)
    CHECK(out_counter_name((out_counter)c) != NULL, "counter %d named", c);
  for (int g = 0; g < OUT_GAUGE_COUNT; g++)
    CHECK(out_gauge_name((out_gauge)g) != NULL, "gauge %d named", g);

  out_recorder *rec = (out_recorder *)1;
  sim_error err = {0};
  out_recorder_cfg bad = {.resolution_s = 0, .dir = "x", .timeseries = true};
  CHECK_INT(out_recorder_open(&bad, &rec, &err), SIM_ESCENARIO, "zero resolution rejected");
  CHECK(rec == NULL, "no recorder on error");
  CHECK_CONTAINS(err.msg, "resolution", "error names the key");
  out_recorder_cfg unwritable = {.resolution_s = 1, .dir = "/proc/scalesim-no", .timeseries = true};
  CHECK_INT(out_recorder_open(&unwritable, &rec, &err), SIM_EFAIL, "unwritable folder fails");
  CHECK_CONTAINS(err.msg, "/proc/scalesim-no", "error names the folder");
  /* No files: totals only. */
  out_recorder_cfg none = {.resolution_s = 1};
  CHECK_INT(out_recorder_open(&none, &rec, NULL), 0, "totals-only recorder");
  out_gauge_set(rec, 0.5, OUT_QUEUED, 3);
  CHECK_INT(out_recorder_finish(rec, 1.5, NULL), 0, "totals-only finish");
  out_totals t;
  out_recorder_totals(rec, &t);
  CHECK_REL(t.gauge_mean[OUT_QUEUED], 2.0, 1e-12, "totals-only mean");
  out_recorder_free(rec);
}

/* A write that cannot complete (the folder vanished under the run) is an error
 * that names the file, and totals stay valid. */
static void check_commit_failure(const char *root) {
  char dir[512], cmd[600];
  snprintf(dir, sizeof dir, "%s/vanishing", root);
  out_recorder *rec;
  sim_error err = {0};
  out_recorder_cfg cfg = {.resolution_s = 1, .dir = dir, .timeseries = true};
  CHECK_INT(out_recorder_open(&cfg, &rec, &err), 0, "open (vanishing)");
  out_count(rec, 0.5, OUT_ARRIVALS, 1);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK_INT(system(cmd), 0, "folder removed");
  CHECK_INT(out_recorder_finish(rec, 2, &err), SIM_EFAIL, "finish reports the failed rename");
  CHECK_CONTAINS(err.msg, "timeseries.csv", "error names the file");
  out_totals t;
  out_recorder_totals(rec, &t);
  CHECK_REL(t.counters[OUT_ARRIVALS], 1, 0, "totals valid after a failed finish");
  out_recorder_free(rec);
}

int main(void) {
  check_init();
  char root[] = "/tmp/scalesim-test-recorder-XXXXXX";
  if (!mkdtemp(root)) {
    perror("mkdtemp");
    return 1;
  }
  check_names_and_errors();
  check_full_run(root);
  check_unfinished_removes_files(root);
  check_gap_and_boundary_end(root);
  check_commit_failure(root);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
  return check_done();
}

/* test_faults.c — fault injection (models/faults.h): the `faults:` and `slo:`
 * schema with its exact messages; the scheduler (fixed times, windows,
 * rate-driven counts within statistical bounds, the decision log); victim
 * selection; the fixed platform losing instances (exact kill counts, 500s for
 * the requests in them, replacement, latency rising); a degraded dependency
 * scaling service times only inside its window; determinism; the report's
 * recovery notes on a hand-built run; and the ECS and Cloud Run models losing
 * a third of their instances and recovering. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/faults.h"
#include "models/fixed.h"
#include "output/report_data.h"
#include "output/report_notes.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "tests/check.h"

static char tmp_root[64];

/* A fresh folder under the test's temporary root. */
static const char *tmp_dir(const char *name) {
  static char path[8][256];
  static int next;
  char *p = path[next++ % 8];
  snprintf(p, sizeof path[0], "%s/%s", tmp_root, name);
  mkdir(p, 0755);
  return p;
}

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

static void write_text(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  SIM_ASSERT(f);
  fputs(text, f);
  fclose(f);
}

/* --- the schema ------------------------------------------------------------ */

/* A scenario with one fault item (line 9, column 5) and whatever else. */
static int load_fault(const char *item, const char *extra, scenario **sc, sim_error *err) {
  char text[4096];
  snprintf(text, sizeof text,
           "name: t\n"
           "duration: 1h\n"
           "workload:\n"
           "  arrivals: {process: poisson, rate: 10/s}\n"
           "  request: {duration: {dist: constant, value: 100ms}}\n"
           "platforms:\n"
           "  - {name: f, kind: fixed, instances: 3}\n"
           "faults:\n"
           "  - %s\n%s",
           item, extra ? extra : "");
  return scenario_load_text("t.yaml", text, strlen(text), NULL, 0, sc, err);
}

static void expect_error(const char *item, const char *want) {
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load_fault(item, NULL, &sc, &err);
  CHECK_INT(rc, SIM_ESCENARIO, "rejected: %s", item);
  CHECK_STR(err.msg, want, "message for %s", item);
  scenario_free(sc);
}

static void test_schema_errors(void) {
  expect_error("{at: 10m, kind: lose_instances, fraction: 1.5}",
               "t.yaml:9:47: faults[0].fraction: expected a number > 0 and <= 1, got '1.5'");
  expect_error("{at: 10m, kind: lose_instances, fraction: 0}",
               "t.yaml:9:47: faults[0].fraction: expected a number > 0 and <= 1, got '0'");
  expect_error("{at: 10m, kind: lose_instances, count: 0}",
               "t.yaml:9:44: faults[0].count: expected an integer >= 1, got '0'");
  expect_error("{at: 10m, kind: lose_instances, fraction: 0.5, count: 2}",
               "t.yaml:9:5: faults[0]: lose_instances needs exactly one of 'fraction' or "
               "'count', got both");
  expect_error("{at: 10m, kind: lose_instances}",
               "t.yaml:9:5: faults[0]: lose_instances needs exactly one of 'fraction' or "
               "'count', got neither");
  expect_error("{at: 10m, kind: degraded_dependency, factor: 2}",
               "t.yaml:9:5: faults[0]: degraded_dependency needs 'for' (how long its window "
               "lasts)");
  expect_error("{at: 10m, for: 0s, kind: degraded_dependency, factor: 2}",
               "t.yaml:9:20: faults[0].for: expected a duration > 0s, got '0s'");
  expect_error("{at: 10m, for: 5m, kind: degraded_dependency, factor: 0.5}",
               "t.yaml:9:59: faults[0].factor: expected a number >= 1, got '0.5'");
  expect_error("{at: 10m, for: 5m, kind: degraded_dependency}",
               "t.yaml:9:5: faults[0]: degraded_dependency needs 'factor' (>= 1)");
  expect_error("{at: 10m, kind: lose_instances, count: 1, factor: 2}",
               "t.yaml:9:55: faults[0].factor: lose_instances takes no 'factor' (it applies to "
               "slow_starts and degraded_dependency)");
  expect_error("{at: 10m, kind: lose_instances, count: 1, cpu: true}",
               "t.yaml:9:52: faults[0].cpu: lose_instances takes no 'cpu' (it applies to "
               "degraded_dependency)");
  expect_error("{at: 10m, for: 5m, kind: lose_instances, count: 1}",
               "t.yaml:9:20: faults[0].for: lose_instances takes no 'for' (it applies to "
               "start_failures, slow_starts and degraded_dependency)");
  expect_error("{at: 10m, rate: 2/h, kind: lose_instances, count: 1}",
               "t.yaml:9:5: faults[0]: expected exactly one of 'at' (a time) or 'rate' (Poisson "
               "occurrences), got both");
  expect_error("{kind: lose_instances, count: 1}",
               "t.yaml:9:5: faults[0]: expected exactly one of 'at' (a time) or 'rate' (Poisson "
               "occurrences), got neither");
  expect_error("{at: 10m, from: 5m, kind: lose_instances, count: 1}",
               "t.yaml:9:21: faults[0].from: applies only with 'rate' (use 'at' alone for one "
               "fault at a fixed time)");
  expect_error("{rate: 2/h, from: 30m, until: 20m, kind: lose_instances, count: 1}",
               "t.yaml:9:35: faults[0].until: expected a time after 'from' (30m), got 20m");
  expect_error("{at: 10m, kind: lose_zone, zone: 4, zones: 3}",
               "t.yaml:9:38: faults[0].zone: expected a zone from 1 to 3 (zones), got 4");
  expect_error("{at: 10m, kind: lose_zone, zone: 1}",
               "t.yaml:9:5: faults[0]: lose_zone needs 'zone' and 'zones'");
  expect_error("{at: 10m, kind: lose_zone, zone: 1, zones: 1}",
               "t.yaml:9:48: faults[0].zones: expected an integer >= 2, got '1'");
  expect_error("{at: 10m, kind: lose_instance, count: 1}",
               "t.yaml:9:21: faults[0].kind: expected one of lose_instances, lose_zone, "
               "start_failures, slow_starts, degraded_dependency, got 'lose_instance' (did you "
               "mean 'lose_instances'?)");
  expect_error("{at: 10m, kind: lose_instances, count: 1, fractoin: 0.5}",
               "t.yaml:9:47: faults[0].fractoin: unknown key (did you mean 'fraction'?)");
  expect_error("{at: -5m, kind: lose_instances, count: 1}",
               "t.yaml:9:10: faults[0].at: expected a duration >= 0s (e.g. 250ms, 45s, 15m), "
               "got '-5m'");
  expect_error("{at: 2h, kind: lose_instances, count: 1}",
               "t.yaml:9:10: faults[0].at: expected a time before the scenario's duration (1h), "
               "got 2h");
  expect_error("{at: 10m, for: 5m, kind: start_failures}",
               "t.yaml:9:5: faults[0]: platform 'f' (kind: fixed) cannot apply start_failures: "
               "fixed instances are ready from the start and never start (lose_instances with "
               "replace_after models a replacement)");
  expect_error("{at: 10m, for: 5m, kind: slow_starts, factor: 2}",
               "t.yaml:9:5: faults[0]: platform 'f' (kind: fixed) cannot apply slow_starts: "
               "fixed instances are ready from the start and never start (lose_instances with "
               "replace_after models a replacement)");

  /* A valid list, read in full. */
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = load_fault("{at: 10m, kind: lose_instances, fraction: 0.33, replace_after: 2m}\n"
                      "  - {rate: 2/h, until: 50m, kind: lose_zone, zone: 2, zones: 3}\n"
                      "  - {at: 20m, for: 5m, kind: degraded_dependency, factor: 4, cpu: true}",
                      "slo: {latency_p99: 500ms}\n", &sc, &err);
  CHECK_INT(rc, 0, "a valid fault list loads: %s", err.msg);
  if (rc) return;
  const fault_cfg *f = sc->faults.items;
  CHECK_INT((int)sc->faults.n, 3, "three faults");
  CHECK_INT(f[0].kind, FAULT_LOSE_INSTANCES, "faults[0].kind");
  CHECK_ABS(f[0].at_s, 600, 0, "faults[0].at");
  CHECK_ABS(f[0].fraction, 0.33, 0, "faults[0].fraction");
  CHECK(f[0].replace && f[0].replace_after_s == 120, "faults[0].replace_after");
  CHECK_REL(f[1].rate_per_s, 2.0 / 3600, 1e-15, "faults[1].rate");
  CHECK_ABS(f[1].until_s, 3000, 0, "faults[1].until");
  CHECK(f[1].zone == 2 && f[1].zones == 3, "faults[1] zone 2 of 3");
  CHECK(!f[1].replace, "faults[1] is not replaced");
  CHECK(f[2].cpu && f[2].factor == 4 && f[2].for_s == 300, "faults[2] factor, cpu, for");
  CHECK_ABS(sc->slo.latency_p99_s, 0.5, 0, "slo.latency_p99");
  char buf[128];
  CHECK_STR(fault_describe(&f[0], buf, sizeof buf),
            "lose_instances fraction 0.33, replaced after 2m", "describe faults[0]");
  CHECK_STR(fault_describe(&f[2], buf, sizeof buf),
            "degraded_dependency x4 for 5m (wait and cpu)", "describe faults[2]");
  scenario_free(sc);
}

/* --- the scheduler ------------------------------------------------------------- */

enum { MAX_SEEN = 8192 };

typedef struct seen {
  size_t n;
  double t[MAX_SEEN], end_s[MAX_SEEN];
  bool begin[MAX_SEEN];
  size_t index[MAX_SEEN];
  fault_windows w;
  bool factors_ok; /* the windows' products matched their open counts at every event */
  sim_engine *eng;
} seen;

static int record_hook(void *arg, const fault_event *ev) {
  seen *s = arg;
  fault_windows_apply(&s->w, ev);
  if (ev->cfg->kind == FAULT_DEGRADED_DEPENDENCY) /* factor 2: exact powers */
    s->factors_ok = s->factors_ok &&
                    s->w.wait_factor == ldexp(1, s->w.open[FAULT_DEGRADED_DEPENDENCY]) &&
                    s->w.cpu_factor == s->w.wait_factor;
  if (s->n < MAX_SEEN) {
    s->t[s->n] = sim_now(s->eng);
    s->end_s[s->n] = ev->end_s;
    s->begin[s->n] = ev->begin;
    s->index[s->n] = ev->index;
    s->n++;
  }
  return ev->cfg->kind == FAULT_LOSE_INSTANCES ? 2 : 0;
}

static void test_fixed_times(void) {
  const char *dir = tmp_dir("sched");
  out_recorder_cfg rcfg = {.resolution_s = 60, .dir = dir, .decisions = true};
  out_recorder *rec = NULL;
  sim_error err = {0};
  CHECK_INT(out_recorder_open(&rcfg, &rec, &err), 0, "recorder: %s", err.msg);
  sim_engine *eng = sim_engine_alloc();
  fault_cfg faults[] = {
      {.kind = FAULT_SLOW_STARTS, .at_s = 300, .for_s = 120, .factor = 3},
      {.kind = FAULT_LOSE_INSTANCES, .at_s = 100, .count = 2},
  };
  seen *s = calloc(1, sizeof *s);
  s->eng = eng;
  fault_windows_init(&s->w);
  fault_sched *fs = fault_sched_alloc(eng, rec, faults, 2, 1, 0, record_hook, s);
  sim_run(eng, INFINITY, NULL, NULL);
  CHECK_INT((int)s->n, 3, "three events: one instant, a window's begin and end");
  CHECK(s->index[0] == 1 && s->begin[0] && s->t[0] == 100 && s->end_s[0] == 100,
        "lose_instances at 100 s, instantaneous");
  CHECK(s->index[1] == 0 && s->begin[1] && s->t[1] == 300 && s->end_s[1] == 420,
        "slow_starts begins at 300 s, ends at 420 s");
  CHECK(s->index[2] == 0 && !s->begin[2] && s->t[2] == 420, "slow_starts ends at 420 s");
  CHECK_INT((int)fault_sched_fired(fs), 2, "two occurrences");
  CHECK_ABS(s->w.slow_factor, 1, 0, "the slow-start factor is 1 again after the window");
  CHECK_INT(out_recorder_finish(rec, sim_now(eng), &err), 0, "finish: %s", err.msg);
  char path[300];
  snprintf(path, sizeof path, "%s/decisions.csv", dir);
  char *log = read_text(path);
  CHECK(log != NULL, "decisions.csv written");
  if (log) {
    CHECK_CONTAINS(log, "100,\"fault\",\"fault_begin\",\"lose_instances\",2,,,\"faults[1]\","
                        "\"lose_instances count 2: 2 instances lost\"",
                   "the loss is logged with the instances lost");
    CHECK_CONTAINS(log, "300,\"fault\",\"fault_begin\",\"slow_starts\",3,,,\"faults[0]\","
                        "\"slow_starts x3 for 2m: ends at 7:00\"",
                   "the window's begin is logged with its factor and end");
    CHECK_CONTAINS(log, "420,\"fault\",\"fault_end\",\"slow_starts\",3,,,\"faults[0]\","
                        "\"slow_starts x3 for 2m: ended\"",
                   "the window's end is logged");
  }
  free(log);
  fault_sched_free(fs);
  out_recorder_free(rec);
  sim_engine_free(eng);
  free(s);
}

/* Occurrences of a rate-driven fault over T: a Poisson count of mean rate x T
 * (2000 here: within 4 standard deviations, ~179), all inside [from, until),
 * mean gap 1/rate (1800 s, sd 1800/sqrt(2000) ~ 40 s: within 4 sd); the same
 * seed gives the same times, another seed others. */
static void test_rate_driven(void) {
  const double rate = 2.0 / 3600, from = 3600, until = 1001 * 3600.0;
  fault_cfg f = {.kind = FAULT_LOSE_INSTANCES, .rate_per_s = rate, .from_s = from,
                 .until_s = until, .count = 1};
  seen *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b), *c = calloc(1, sizeof *c);
  seen *runs[] = {a, b, c};
  uint64_t seeds[] = {42, 42, 43};
  for (int r = 0; r < 3; r++) {
    sim_engine *eng = sim_engine_alloc();
    out_recorder_cfg rcfg = {.resolution_s = 3600};
    out_recorder *rec = NULL;
    sim_error err = {0};
    SIM_ASSERT(out_recorder_open(&rcfg, &rec, &err) == 0);
    runs[r]->eng = eng;
    fault_windows_init(&runs[r]->w);
    fault_sched *fs = fault_sched_alloc(eng, rec, &f, 1, seeds[r], 0, record_hook, runs[r]);
    sim_run(eng, INFINITY, NULL, NULL);
    fault_sched_free(fs);
    out_recorder_free(rec);
    sim_engine_free(eng);
  }
  double mean = rate * (until - from);
  CHECK_ABS((double)a->n, mean, 4 * sqrt(mean), "occurrences: Poisson count of mean %g", mean);
  bool inside = true;
  for (size_t i = 0; i < a->n; i++) inside = inside && a->t[i] >= from && a->t[i] < until;
  CHECK(inside, "every occurrence inside [from, until)");
  if (a->n > 1) {
    double gap = (a->t[a->n - 1] - a->t[0]) / (double)(a->n - 1);
    CHECK_ABS(gap, 1 / rate, 4 / rate / sqrt(mean), "mean gap 1/rate");
  }
  CHECK(a->n == b->n && memcmp(a->t, b->t, a->n * sizeof *a->t) == 0,
        "the same seed gives the same times");
  CHECK(a->n != c->n || memcmp(a->t, c->t, a->n * sizeof *a->t) != 0,
        "another seed gives other times");
  free(a);
  free(b);
  free(c);
}

/* Overlapping windows of one rate-driven fault (1 h windows at 4/h): the
 * open count and factor products stay consistent, ends come one per begin. */
static void test_overlapping_windows(void) {
  fault_cfg f = {.kind = FAULT_DEGRADED_DEPENDENCY, .rate_per_s = 4.0 / 3600, .until_s = 50 * 3600.0,
                 .for_s = 3600, .factor = 2, .cpu = true};
  seen *s = calloc(1, sizeof *s);
  sim_engine *eng = sim_engine_alloc();
  out_recorder_cfg rcfg = {.resolution_s = 3600};
  out_recorder *rec = NULL;
  sim_error err = {0};
  SIM_ASSERT(out_recorder_open(&rcfg, &rec, &err) == 0);
  s->eng = eng;
  s->factors_ok = true;
  fault_windows_init(&s->w);
  fault_sched *fs = fault_sched_alloc(eng, rec, &f, 1, 9, 0, record_hook, s);
  sim_run(eng, INFINITY, NULL, NULL);
  size_t begins = 0, max_open = 0, open = 0;
  for (size_t i = 0; i < s->n; i++) {
    begins += s->begin[i];
    open = s->begin[i] ? open + 1 : open - 1;
    if (open > max_open) max_open = open;
  }
  CHECK_INT((int)(s->n - begins), (int)begins, "one end per begin");
  CHECK(max_open >= 2, "windows overlapped (at most %zu open)", max_open);
  CHECK(s->factors_ok, "factor = 2^(windows open) at every event");
  CHECK(s->w.open[FAULT_DEGRADED_DEPENDENCY] == 0 && s->w.wait_factor == 1 && s->w.cpu_factor == 1,
        "all closed at the end: factors back to exactly 1");
  fault_sched_free(fs);
  out_recorder_free(rec);
  sim_engine_free(eng);
  free(s);
}

/* --- victims ------------------------------------------------------------------- */

static void no_complete(void *owner, instance *inst, inst_req *r) {}

static void test_select(void) {
  sim_engine *eng = sim_engine_alloc();
  inst_config icfg = {.vcpu = 1, .speed = 1, .memory_mib = 512, .max_concurrency = 1};
  inst_hooks hooks = {.on_complete = no_complete};
  instance *live[9], *out[9];
  for (int i = 0; i < 9; i++) live[i] = inst_alloc(eng, NULL, &icfg, &hooks, NULL, (uint64_t)i + 1);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  fault_cfg third = {.kind = FAULT_LOSE_INSTANCES, .fraction = 1.0 / 3};
  fault_event ev = {.cfg = &third, .begin = true, .rng = rng};
  CHECK_INT((int)fault_select(&ev, live, 9, out), 3, "a third of 9 is 3");
  CHECK_INT((int)fault_select(&ev, live, 10, out), 3, "a third of 10 rounds to 3");
  CHECK_INT((int)fault_select(&ev, live, 8, out), 3, "a third of 8 rounds to 3");
  fault_cfg half = {.kind = FAULT_LOSE_INSTANCES, .fraction = 0.5};
  ev.cfg = &half;
  CHECK_INT((int)fault_select(&ev, live, 3, out), 2, "half of 3 rounds halves up: 2");
  fault_cfg many = {.kind = FAULT_LOSE_INSTANCES, .count = 20};
  ev.cfg = &many;
  CHECK_INT((int)fault_select(&ev, live, 9, out), 9, "count 20 of 9 takes all 9");
  fault_cfg zone = {.kind = FAULT_LOSE_ZONE, .zone = 2, .zones = 3};
  ev.cfg = &zone;
  size_t k = fault_select(&ev, live, 9, out);
  CHECK_INT((int)k, 3, "zone 2 of 3 holds 3 of 9");
  CHECK(k == 3 && inst_id(out[0]) == 2 && inst_id(out[1]) == 5 && inst_id(out[2]) == 8,
        "zone 2 of 3: ids 2, 5, 8 (round robin by id)");
  /* A random third: every instance is picked about equally often (3000
   * draws of 3 of 9: 1000 each, sd ~26; within 5 sd). */
  ev.cfg = &third;
  int hits[9] = {0};
  bool ordered = true;
  for (int d = 0; d < 3000; d++) {
    size_t n = fault_select(&ev, live, 9, out);
    for (size_t j = 0; j < n; j++) {
      hits[inst_id(out[j]) - 1]++;
      if (j > 0 && inst_id(out[j]) <= inst_id(out[j - 1])) ordered = false;
    }
  }
  int lo = hits[0], hi = hits[0];
  for (int i = 1; i < 9; i++) {
    if (hits[i] < lo) lo = hits[i];
    if (hits[i] > hi) hi = hits[i];
  }
  CHECK(lo > 1000 - 130 && hi < 1000 + 130, "victims uniform: %d..%d of 1000 expected", lo, hi);
  CHECK(ordered, "victims come in the order of the live list");
  for (int i = 0; i < 9; i++) inst_free(live[i]);
  gsl_rng_free(rng);
  sim_engine_free(eng);
}

/* --- the fixed platform, driven directly ------------------------------------------ */

typedef struct script {
  const platform_type *type;
  void *state;
  const wl_request *reqs;
  size_t n, pos;
} script;

static int script_peek(void *ctx, double *at_s) {
  script *s = ctx;
  if (s->pos >= s->n) return 0;
  *at_s = s->reqs[s->pos].arrival_s;
  return 1;
}

static void script_fire(sim_engine *eng, void *ctx) {
  script *s = ctx;
  s->type->on_arrival(s->state, &s->reqs[s->pos++]);
}

typedef struct fixed_run {
  out_totals totals;
  int lost;          /* what on_fault reported */
  double ready_end;  /* ready instances at the end */
  uint64_t in_flight;
} fixed_run;

typedef struct forward {
  const platform_type *type;
  void *state;
  int lost;
} forward;

static int forward_hook(void *arg, const fault_event *ev) {
  forward *f = arg;
  int lost = f->type->on_fault(f->state, ev);
  f->lost += lost;
  return lost;
}

/* Runs fixed (cfg) over a script with faults until everything is done. */
static fixed_run run_fixed(const fixed_cfg *cfg, const wl_request *reqs, size_t n,
                           const fault_cfg *faults, size_t n_faults) {
  fixed_run out = {0};
  sim_engine *eng = sim_engine_alloc();
  out_recorder_cfg rcfg = {.resolution_s = 10};
  out_recorder *rec = NULL;
  sim_error err = {0};
  SIM_ASSERT(out_recorder_open(&rcfg, &rec, &err) == 0);
  platform_ctx ctx = {.eng = eng, .rec = rec, .name = "fixed", .seed = 5};
  void *state = platform_fixed.create(cfg, &ctx, &err);
  SIM_ASSERT(state);
  forward fw = {&platform_fixed, state, 0};
  fault_sched *fs = fault_sched_alloc(eng, rec, faults, n_faults, 5, 0, forward_hook, &fw);
  script sc = {&platform_fixed, state, reqs, n, 0};
  sim_stream stream = {script_peek, script_fire, &sc};
  sim_set_stream(eng, &stream);
  sim_run(eng, INFINITY, NULL, NULL);
  out.in_flight = platform_fixed.in_flight(state);
  out.ready_end = out_gauge_value(rec, OUT_READY);
  platform_fixed.finish(state);
  SIM_ASSERT(out_recorder_finish(rec, sim_now(eng), &err) == 0);
  out_recorder_totals(rec, &out.totals);
  out.lost = fw.lost;
  platform_fixed.destroy(state);
  fault_sched_free(fs);
  out_recorder_free(rec);
  sim_engine_free(eng);
  return out;
}

static fixed_cfg fixed_config(int instances, int queue) {
  fixed_cfg c;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(platform_fixed.schema, &c, &err) == 0);
  c.instances = instances;
  c.queue = queue;
  return c;
}

/* 18 requests of 100 s (off the CPU), one a second, over 9 instances round
 * robin: 2 in each. Losing a third at 50 s kills exactly 3 instances and the
 * 6 requests in them (500); then 6 more arrive and go to the 6 left. */
static void test_fixed_lose_third(void) {
  wl_request reqs[24];
  for (int i = 0; i < 24; i++)
    reqs[i] = (wl_request){.arrival_s = i < 18 ? i : 60 + i, .wait_s = 100};
  fixed_cfg cfg = fixed_config(9, FIXED_QUEUE_PER_INSTANCE);
  fault_cfg third = {.kind = FAULT_LOSE_INSTANCES, .at_s = 50, .fraction = 1.0 / 3};
  fixed_run r = run_fixed(&cfg, reqs, 24, &third, 1);
  CHECK_INT(r.lost, 3, "a third of 9 instances lost");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STOPS], 3, "3 instances stopped");
  CHECK_INT((int)r.totals.counters[OUT_ERR_500], 6, "the 6 requests in them failed with 500");
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 18, "the other 18 completed");
  CHECK_INT((int)r.totals.counters[OUT_ERR_503], 0, "none refused: 6 instances remain");
  CHECK_ABS(r.ready_end, 6, 0, "6 ready at the end: fixed does not replace by default");
  CHECK_INT((int)r.in_flight, 0, "nothing left in flight");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 0, "no instance started");

  /* The same by zone: zone 2 of 3 holds 3 of the 9. */
  fault_cfg zone = {.kind = FAULT_LOSE_ZONE, .at_s = 50, .zone = 2, .zones = 3};
  r = run_fixed(&cfg, reqs, 24, &zone, 1);
  CHECK_INT(r.lost, 3, "zone 2 of 3: 3 instances lost");
  CHECK_INT((int)r.totals.counters[OUT_ERR_500], 6, "zone: 6 requests failed with 500");

  /* Losing more than exist takes all: later arrivals find no instance (503). */
  fault_cfg all = {.kind = FAULT_LOSE_INSTANCES, .at_s = 50, .count = 20};
  r = run_fixed(&cfg, reqs, 24, &all, 1);
  CHECK_INT(r.lost, 9, "count 20 of 9: all 9 lost");
  CHECK_INT((int)r.totals.counters[OUT_ERR_500], 18, "all 18 in flight failed");
  CHECK_INT((int)r.totals.counters[OUT_ERR_503], 6, "the 6 later arrivals: 503, no instance");

  /* replace_after: the 3 come back 30 s later, ready. */
  third.replace = true;
  third.replace_after_s = 30;
  r = run_fixed(&cfg, reqs, 24, &third, 1);
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 3, "3 replacements started");
  CHECK_ABS(r.ready_end, 9, 0, "9 ready again after replace_after");
}

/* Central queue: 3 single-slot instances, 6 requests (3 served, 3 queued).
 * Losing one at 10 s fails its request; its replacement at 15 s takes the
 * queue head; everything else completes. */
static void test_fixed_central_replacement(void) {
  wl_request reqs[6];
  for (int i = 0; i < 6; i++) reqs[i] = (wl_request){.arrival_s = i * 0.1, .wait_s = 100};
  fixed_cfg cfg = fixed_config(3, FIXED_QUEUE_CENTRAL);
  cfg.instance.max_concurrency = 1;
  fault_cfg one = {.kind = FAULT_LOSE_INSTANCES, .at_s = 10, .count = 1, .replace = true,
                   .replace_after_s = 5};
  fixed_run r = run_fixed(&cfg, reqs, 6, &one, 1);
  CHECK_INT((int)r.totals.counters[OUT_ERR_500], 1, "central: the killed request failed");
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 5, "central: the other 5 completed");
  CHECK_INT((int)r.in_flight, 0, "central: nothing stranded in the queue");
  CHECK_ABS(r.ready_end, 3, 0, "central: 3 ready after the replacement");
}

/* --- whole runs through the runner -------------------------------------------- */

static int run_yaml(const char *yaml, const char *dir, bool report, run_result *res,
                    sim_error *err) {
  scenario *sc = NULL;
  int rc = scenario_load_text("t.yaml", yaml, strlen(yaml), NULL, 0, &sc, err);
  if (rc) return rc;
  run_options opt = {.out_dir = dir, .no_report = !report};
  rc = run_scenario(sc, &opt, res, err);
  scenario_free(sc);
  return rc;
}

static out_run *read_run(const char *dir) {
  out_run *run = NULL;
  sim_error err = {0};
  int rc = out_run_read(dir, &run, &err);
  CHECK_INT(rc, 0, "read %s: %s", dir, err.msg);
  return rc ? NULL : run;
}

/* Mean of column name over intervals starting in [t0, t1). */
static double mean_between(const out_run_platform *p, const char *name, double t0, double t1) {
  const double *t = out_table_col(p->ts, "t_s"), *v = out_table_col(p->ts, name);
  double sum = 0;
  int n = 0;
  for (size_t i = 0; t && v && i < p->ts->n_rows; i++)
    if (t[i] >= t0 && t[i] < t1 && !isnan(v[i])) sum += v[i], n++;
  return n ? sum / n : NAN;
}

/* The p99 of the response time of M/M/c (FCFS) with arrival rate lam and
 * service rate mu: P(T > t) = e^{-mu t} + C mu / ((c-1) mu - lam) (e^{-mu t} -
 * e^{-(c mu - lam) t}), C the Erlang C probability of waiting; its limit
 * e^{-mu t} (1 + C mu t) when (c-1) mu = lam. Solved by bisection. */
static double mmc_p99_s(int c, double lam, double mu) {
  double a = lam / mu, sum = 0, term = 1;
  for (int k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  double top = term * c / (c - a), erlang_c = top / (sum + top), d = (c - 1) * mu - lam;
  double lo = 0, hi = 100;
  for (int i = 0; i < 200; i++) {
    double t = (lo + hi) / 2;
    double tail = fabs(d) < 1e-12 ? exp(-mu * t) * (1 + erlang_c * mu * t)
                                  : exp(-mu * t) + erlang_c * mu / d *
                                                       (exp(-mu * t) - exp(-(c * mu - lam) * t));
    if (tail > 0.01) lo = t;
    else hi = t;
  }
  return lo;
}

/* 6 single-slot instances at 50% load (30/s of exponential 100 ms); losing
 * 0.34 of them at 30 min leaves 4 at 75%: queueing appears and p99 rises from
 * the M/M/6 value (465 ms) to the M/M/4 one (601 ms); the requests in service
 * on the lost instances fail with 500. Per-interval p99s (1800 requests each)
 * are averaged over 25 intervals on each side: within 10% of theory. */
static void test_fixed_latency_rises(void) {
  const char *yaml =
      "name: rise\nseed: 3\nduration: 1h\n"
      "workload:\n"
      "  arrivals: {process: poisson, rate: 30/s}\n"
      "  request: {duration: {dist: exponential, mean: 100ms}, cpu_share: 1}\n"
      "platforms:\n"
      "  - {name: f, kind: fixed, instances: 6, queue: central,\n"
      "     instance: {vcpu: 1, max_concurrency: 1}}\n"
      "faults:\n"
      "  - {at: 30m, kind: lose_instances, fraction: 0.34}\n"
      "output: {resolution: 60s}\n";
  run_result res[1];
  sim_error err = {0};
  const char *dir = tmp_dir("rise");
  CHECK_INT(run_yaml(yaml, dir, false, res, &err), 0, "fixed run with a fault: %s", err.msg);
  out_run *run = read_run(dir);
  if (!run) return;
  const out_run_platform *p = &run->platforms[0];
  double before = mean_between(p, "latency_p99_s", 300, 1800);
  double after = mean_between(p, "latency_p99_s", 2100, 3600);
  CHECK_REL(before, mmc_p99_s(6, 30, 10), 0.1, "p99 before: M/M/6 at 50%%");
  CHECK_REL(after, mmc_p99_s(4, 30, 10), 0.1, "p99 after: M/M/4 at 75%%");
  CHECK(after > 1.15 * before, "p99 rises after losing a third: %.3f s -> %.3f s", before, after);
  CHECK_ABS(mean_between(p, "ready", 0, 1800), 6, 0, "6 ready before");
  CHECK_ABS(mean_between(p, "ready", 1860, 3600), 4, 0, "4 ready after (0.34 x 6 = 2 lost)");
  CHECK(res[0].totals.counters[OUT_ERR_500] >= 1 && res[0].totals.counters[OUT_ERR_500] <= 2,
        "the 1 or 2 requests in service on the lost instances failed with 500 (%g)",
        res[0].totals.counters[OUT_ERR_500]);
  out_run_free(run);
}

/* Constant 100 ms requests, half CPU, on ample capacity: latency is exactly
 * wait + cpu. Inside the window the wait is x4 (250 ms), and with cpu: true
 * the CPU too (400 ms); requests arriving outside keep 100 ms. */
static void test_degraded_dependency(void) {
  static const char *const variants[] = {"false", "true"};
  const double inside[] = {0.05 * 4 + 0.05, 0.05 * 4 + 0.05 * 4};
  for (int v = 0; v < 2; v++) {
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: dep\nseed: 4\nduration: 30m\n"
             "workload:\n"
             "  arrivals: {process: poisson, rate: 20/s}\n"
             "  request: {duration: {dist: constant, value: 100ms}, cpu_share: 0.5}\n"
             "platforms:\n"
             "  - {name: f, kind: fixed, instances: 4, instance: {vcpu: 8, max_concurrency: 1000}}\n"
             "faults:\n"
             "  - {at: 10m, for: 10m, kind: degraded_dependency, factor: 4, cpu: %s}\n"
             "output: {resolution: 10s}\n",
             variants[v]);
    const char *dir = tmp_dir(v ? "dep-cpu" : "dep-wait");
    sim_error err = {0};
    CHECK_INT(run_yaml(yaml, dir, false, NULL, &err), 0, "degraded run: %s", err.msg);
    out_run *run = read_run(dir);
    if (!run) continue;
    const out_run_platform *p = &run->platforms[0];
    const double *t = out_table_col(p->ts, "t_s"), *p50 = out_table_col(p->ts, "latency_p50_s");
    const double *p99 = out_table_col(p->ts, "latency_p99_s");
    int in_ok = 0, in_n = 0, out_ok = 0, out_n = 0;
    for (size_t i = 0; i < p->ts->n_rows; i++) {
      if (isnan(p50[i])) continue;
      bool in = t[i] >= 600 && t[i] + 10 <= 1200;
      bool out = t[i] + 10 <= 600 || (t[i] >= 1210 && t[i] + 10 <= 1800);
      /* The sketch is within 1% of every quantile. */
      if (in) in_n++, in_ok += fabs(p50[i] - inside[v]) <= 0.01 * inside[v] &&
                               fabs(p99[i] - inside[v]) <= 0.01 * inside[v];
      if (out) out_n++, out_ok += fabs(p50[i] - 0.1) <= 0.001 && fabs(p99[i] - 0.1) <= 0.001;
    }
    CHECK_INT(in_ok, in_n, "cpu: %s: every interval inside the window at %.0f ms (%d)",
              variants[v], inside[v] * 1e3, in_n);
    CHECK_INT(out_ok, out_n, "cpu: %s: every interval outside it at 100 ms (%d)", variants[v],
              out_n);
    /* inside: starts 600..1190 s; outside: 0..590 s and 1210..1790 s */
    CHECK(in_n == 60 && out_n == 119, "intervals compared: %d inside, %d outside", in_n, out_n);
    out_run_free(run);
  }
}

/* The same scenario and seed twice: the same bytes. */
static void test_determinism(void) {
  const char *yaml =
      "name: det\nseed: 11\nduration: 40m\n"
      "workload:\n"
      "  arrivals: {process: poisson, rate: 40/s}\n"
      "  request: {duration: {dist: lognormal, median: 120ms, p99: 900ms}, cpu_share: 0.6}\n"
      "platforms:\n"
      "  - {name: f, kind: fixed, instances: 9, router: random}\n"
      "faults:\n"
      "  - {rate: 6/h, kind: lose_instances, count: 1, replace_after: 3m}\n"
      "  - {at: 20m, kind: lose_zone, zone: 3, zones: 3, replace_after: 1m}\n"
      "  - {rate: 3/h, for: 2m, kind: degraded_dependency, factor: 3}\n"
      "output: {resolution: 10s}\n";
  const char *names[] = {"det-a", "det-b"};
  char *files[2][2] = {{0}};
  for (int k = 0; k < 2; k++) {
    const char *dir = tmp_dir(names[k]);
    sim_error err = {0};
    CHECK_INT(run_yaml(yaml, dir, false, NULL, &err), 0, "determinism run %d: %s", k, err.msg);
    char path[300];
    snprintf(path, sizeof path, "%s/f/decisions.csv", dir);
    files[k][0] = read_text(path);
    snprintf(path, sizeof path, "%s/f/timeseries.csv", dir);
    files[k][1] = read_text(path);
  }
  CHECK(files[0][0] && files[1][0] && strcmp(files[0][0], files[1][0]) == 0,
        "decisions.csv identical");
  CHECK(files[0][1] && files[1][1] && strcmp(files[0][1], files[1][1]) == 0,
        "timeseries.csv identical");
  if (files[0][0]) CHECK_CONTAINS(files[0][0], "\"faults[2]\"", "the rate-driven window occurred");
  for (int k = 0; k < 2; k++) free(files[k][0]), free(files[k][1]);
}

/* --- recovery notes on a hand-built run --------------------------------------------- */

/* 10 s intervals; p99 0.2 s, above the 0.5 s SLO from 100 s to 150 s after a
 * fault at 95 s, with one good interval at 120 s that does not count as
 * recovered (6 good intervals in a row are needed): recovered at 150 s, 55 s
 * after the fault, confirmed at 210 s. 500s at 100 s and 110 s; ready 9 -> 6
 * at 100 s, back to 9 from 180 s (the interval ending at 190 s: 95 s after
 * the fault). */
static void write_recovery_run(const char *dir, bool slo) {
  char path[300];
  snprintf(path, sizeof path, "%s/summary.json", dir);
  write_text(path, "{\"scenario\": \"rec\", \"seed\": 1, \"platforms\": "
                   "[{\"name\": \"p\", \"kind\": \"fixed\", \"duration_s\": 400}]}\n");
  snprintf(path, sizeof path, "%s/settings.csv", dir);
  write_text(path, slo ? "platform,key,value,defaulted,role\n\"\",\"slo.latency_p99\",\"500ms\","
                         "false,\"\"\n"
                       : "platform,key,value,defaulted,role\n");
  snprintf(path, sizeof path, "%s/p", dir);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/p/timeseries.csv", dir);
  FILE *f = fopen(path, "w");
  fputs("t_s,arrivals,errors_500,ready,latency_p99_s\n", f);
  for (int i = 0; i < 40; i++) {
    double t = 10.0 * i;
    bool bad = t >= 100 && t < 150 && t != 120;
    fprintf(f, "%g,100,%d,%d,%g\n", t, t == 100 || t == 110 ? 7 : 0,
            t >= 100 && t < 180 ? 6 : 9, bad ? 1.5 + t / 1000 : 0.2);
  }
  fclose(f);
  snprintf(path, sizeof path, "%s/p/decisions.csv", dir);
  write_text(path, "t_s,source,event,metric,value,old_desired,new_desired,status,reason\n"
                   "95,\"fault\",\"fault_begin\",\"lose_instances\",3,,,\"faults[0]\","
                   "\"lose_instances fraction 0.33: 3 instances lost\"\n");
}

static void test_recovery_notes(void) {
  const char *dir = tmp_dir("recovery");
  write_recovery_run(dir, true);
  out_run *run = read_run(dir);
  if (!run) return;
  out_notes notes = {0};
  out_notes_build(run, &notes);
  const char *fault = NULL;
  for (size_t i = 0; i < notes.n; i++)
    if (strncmp(notes.v[i], "Fault ", 6) == 0) fault = notes.v[i];
  CHECK(fault != NULL, "a note on the fault");
  if (fault) {
    CHECK_STR(fault,
              "Fault faults[0] on p at 1:35 (lose_instances fraction 0.33: 3 instances lost): "
              "14 errors and a p99 peak of 1.6 s from its start to 3:30. Recovery time 55 s: p99 "
              "was back under the SLO (500 ms) at 2:30 and stayed there for 6 intervals. Ready "
              "instances were back at their level before it (9) 1 min 35 s after it began.",
              "the fault note: errors, peak, recovery, ready count");
  }
  out_notes_free(&notes);
  out_run_free(run);

  /* Without an SLO: no recovery time, errors over the window + 15 min. */
  dir = tmp_dir("recovery-noslo");
  write_recovery_run(dir, false);
  run = read_run(dir);
  if (!run) return;
  out_notes_build(run, &notes);
  fault = NULL;
  for (size_t i = 0; i < notes.n; i++)
    if (strncmp(notes.v[i], "Fault ", 6) == 0) fault = notes.v[i];
  CHECK(fault && strstr(fault, "No SLO is set"), "without an SLO the note says so");
  if (fault) CHECK_CONTAINS(fault, "14 errors", "without an SLO: the errors still counted");
  out_notes_free(&notes);
  out_run_free(run);
}

/* A real run with a report: the note is in report.md, the SLO in settings. */
static void test_report_has_fault_note(void) {
  const char *yaml =
      "name: rep\nseed: 2\nduration: 20m\n"
      "workload:\n"
      "  arrivals: {process: poisson, rate: 30/s}\n"
      "  request: {duration: {dist: constant, value: 100ms}, cpu_share: 0.5}\n"
      "platforms:\n"
      "  - {name: f, kind: fixed, instances: 6}\n"
      "faults:\n"
      "  - {at: 10m, kind: lose_instances, count: 2}\n"
      "slo: {latency_p99: 300ms}\n"
      "output: {resolution: 10s}\n";
  const char *dir = tmp_dir("report");
  sim_error err = {0};
  CHECK_INT(run_yaml(yaml, dir, true, NULL, &err), 0, "run with report: %s", err.msg);
  char path[300];
  snprintf(path, sizeof path, "%s/report.md", dir);
  char *md = read_text(path);
  CHECK(md != NULL, "report.md written");
  if (md) {
    CHECK_CONTAINS(md, "Fault faults[0] on f at 10:00 (lose\\_instances count 2: 2 instances "
                       "lost)", "report.md has the fault's note");
    CHECK_CONTAINS(md, "p99 stayed under the SLO (300 ms): recovery time 0.",
                   "ample capacity: p99 never breached");
  }
  free(md);
  snprintf(path, sizeof path, "%s/settings.csv", dir);
  char *settings = read_text(path);
  if (settings) CHECK_CONTAINS(settings, "\"\",\"slo.latency_p99\",\"300ms\",false",
                               "the SLO is in settings.csv");
  free(settings);
}

/* --- the autoscaling models: loss, start failures, slow starts ----------------------- */

static const out_run_platform *platform_named(const out_run *run, const char *name) {
  for (size_t i = 0; i < run->n_platforms; i++)
    if (strcmp(run->platforms[i].name, name) == 0 && run->platforms[i].ts)
      return &run->platforms[i];
  CHECK(false, "%s: a platform with a time series", name);
  return NULL;
}

/* The first decision row from `from` on with this event (and status, when
 * non-NULL), or NULL. */
static const out_decision_row *row_where(const out_run_platform *p, size_t from, const char *event,
                                         const char *status) {
  for (size_t i = from; i < p->n_decisions; i++)
    if (strcmp(p->decisions[i].event, event) == 0 &&
        (!status || strcmp(p->decisions[i].status, status) == 0))
      return &p->decisions[i];
  return NULL;
}

/* Index of the interval holding t. */
static size_t interval_of(const out_run_platform *p, double t) {
  const double *ts = out_table_col(p->ts, "t_s");
  size_t k = 0;
  while (k + 1 < p->ts->n_rows && ts[k + 1] <= t) k++;
  return k;
}

static double col_at(const out_run_platform *p, const char *name, size_t k) {
  return out_table_col(p->ts, name)[k];
}

/* The level of ready instances a platform keeps before time t: the mean
 * ready count of the interval before t's, or the desired count then when
 * lower (instances beyond the need are not replaced). */
static double level_before(const out_run_platform *p, double t) {
  size_t k = interval_of(p, t);
  return fmin(col_at(p, "ready", k - 1), col_at(p, "desired", k - 1));
}

/* The end of the first interval starting after `after_s` whose mean ready
 * count is within half an instance of level; NaN if none. */
static double ready_back_s(const out_run_platform *p, double after_s, double level) {
  const double *t = out_table_col(p->ts, "t_s"), *ready = out_table_col(p->ts, "ready");
  double res = t[1] - t[0];
  for (size_t i = 0; i < p->ts->n_rows; i++)
    if (t[i] > after_s && ready[i] >= level - 0.5) return t[i] + res;
  return NAN;
}

/* Runs yaml (10 s intervals) and reads the run back; NULL on failure. */
static out_run *run_and_read(const char *yaml, const char *name) {
  const char *dir = tmp_dir(name);
  sim_error err = {0};
  int rc = run_yaml(yaml, dir, false, NULL, &err);
  CHECK_INT(rc, 0, "%s: run: %s", name, err.msg);
  return rc ? NULL : read_run(dir);
}

/* An ECS service held at 17 tasks (10 vCPU of work; min 17 keeps target
 * tracking at 60% CPU from going lower), launches of exactly 40 s. */
static const char ecs_base[] =
    "name: ecs\nseed: 6\nduration: 40m\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 100/s}\n"
    "  request: {duration: {dist: constant, value: 100ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - name: ecs\n"
    "    kind: ecs\n"
    "    task: {vcpu: 1, memory: 2GiB, max_concurrency: 64}\n"
    "    capacity: {min: 17, max: 40}\n"
    "    launch: {median: 40s, p95: 40s}\n"
    "    policies:\n"
    "      - {kind: target_tracking, metric: ECSServiceAverageCPUUtilization, target: 60}\n"
    "output: {resolution: 10s}\n"
    "faults:\n";

/* A Cloud Run service at a steady ~17 instances (10 vCPU of work at the 60%
 * CPU target), and the same under the KPA (concurrency 4). */
static const char crun_base[] =
    "name: cr\nseed: 5\nduration: 40m\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 100/s}\n"
    "  request: {duration: {dist: constant, value: 100ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - {name: run, kind: cloudrun, instance: {vcpu: 1, max_concurrency: 80}}\n"
    "  - {name: kpa, kind: cloudrun, instance: {vcpu: 1, max_concurrency: 4},\n"
    "     scaling: {autoscaler: kpa}}\n"
    "output: {resolution: 10s}\n"
    "faults:\n";

static char *with_faults(const char *base, const char *faults) {
  size_t n = strlen(base) + strlen(faults) + 1;
  char *text = malloc(n);
  snprintf(text, n, "%s%s", base, faults);
  return text;
}

/* Checks the loss of a third at the fault row d: the count against the mean
 * ready count of the interval before, and the dip in the ready count. */
static double check_third_lost(const out_run_platform *p, const out_decision_row *d) {
  size_t k0 = interval_of(p, d->t_s);
  double before = col_at(p, "ready", k0 - 1), level = level_before(p, d->t_s);
  CHECK(before >= 6, "%s: %.3g ready before the fault (enough to lose a third)", p->name, before);
  CHECK_ABS(d->value, before / 3, 0.5, "%s: lost a third of %.3g", p->name, before);
  CHECK(col_at(p, "ready", k0) < level - 0.5, "%s: the loss shows in the ready count (%.3g, from "
        "%.3g)", p->name, col_at(p, "ready", k0), level);
  return level;
}

/* ECS loses a third of 17 tasks at 20 min. Each is replaced at once: a
 * launch of 40 s, registration (0 s), then one passing check, the first
 * within a check interval (30 s): ready again within 70 s, not before 40 s;
 * on 10 s intervals the count is back by 40 + 30 + 2 x 10 s. Each lost target
 * stays in the ALB's routing until two checks have failed — the first within
 * an interval, the second an interval later: between 30 s and 60 s after the
 * loss — and every request routed there fails with 502: with round robin over
 * at most 17 targets, each dead one takes at least 1/17 of 100/s for 30 s. */
static void test_ecs_lose_third(void) {
  char *yaml = with_faults(ecs_base, "  - {at: 20m, kind: lose_instances, fraction: 0.3333}\n");
  out_run *run = run_and_read(yaml, "ecs-lose");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "ecs") : NULL;
  const out_decision_row *d = p ? row_where(p, 0, "fault_begin", NULL) : NULL;
  CHECK(d != NULL, "ecs: the fault is logged");
  if (!d) goto done;
  double level = check_third_lost(p, d);
  double back = ready_back_s(p, d->t_s, level);
  CHECK(back - d->t_s <= 40 + 30 + 2 * 10, "ecs: ready back at %.3g within 90 s (took %.3g s)",
        level, back - d->t_s);
  CHECK(col_at(p, "ready", interval_of(p, d->t_s + 35)) < level - 0.5,
        "ecs: not back before the 40 s launch");
  int buried = 0, in_window = 0;
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *h = &p->decisions[i];
    if (strcmp(h->event, "health") || strcmp(h->status, "unhealthy")) continue;
    buried++;
    in_window += h->t_s >= d->t_s + 30 && h->t_s <= d->t_s + 60;
  }
  CHECK_INT(buried, (int)d->value, "ecs: every lost target leaves the target group");
  CHECK_INT(in_window, buried, "ecs: each after its two failed checks, 30-60 s after the loss");
  double e502 = out_run_value(p, "errors_502");
  CHECK(e502 >= d->value * 100.0 / 17 * 30 * 0.9,
        "ecs: requests routed to the lost targets failed with 502 (%g)", e502);
done:
  out_run_free(run);
}

/* The k-th failed start in a row waits min(15 min, 10 s x 2^(k-1)) before
 * the next launch (launch.restart_backoff). Three tasks lost at 20 min during
 * a 5 min start_failures window: their replacements fail to reach RUNNING
 * 40 s later, the scheduler holds its launches, tries again, fails again...
 * Every failure lies in the window, no launch happens while held, and after
 * the window the count is back within the last hold + 40 s + 30 s + 2
 * intervals. */
static void test_ecs_start_failures(void) {
  char *yaml = with_faults(ecs_base, "  - {at: 20m, for: 5m, kind: start_failures}\n"
                                     "  - {at: 20m, kind: lose_instances, count: 3}\n");
  out_run *run = run_and_read(yaml, "ecs-start");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "ecs") : NULL;
  const out_decision_row *lost = p ? row_where(p, 0, "fault_begin", "faults[1]") : NULL;
  CHECK(lost != NULL, "ecs start failures: the loss is logged");
  if (!lost) goto done;
  double level = level_before(p, lost->t_s), hold_end = 0;
  int k = 0, backoffs_ok = 0, held_ok = 0, held_n = 0;
  bool in_window = true;
  const double *t = out_table_col(p->ts, "t_s"), *starts = out_table_col(p->ts, "instance_starts");
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *r = &p->decisions[i];
    if (strcmp(r->event, "start") || strcmp(r->status, "Failed")) continue;
    k++;
    in_window = in_window && r->t_s >= 1200 && r->t_s < 1500;
    double want = fmin(900, 10 * ldexp(1, k - 1)), got = NAN;
    const char *at = strstr(r->reason, "next launch in ");
    if (at) got = strtod(at + strlen("next launch in "), NULL);
    backoffs_ok += got == want;
    hold_end = fmax(hold_end, r->t_s + want);
    for (size_t j = 0; j < p->ts->n_rows; j++) /* intervals wholly inside the hold */
      if (t[j] > r->t_s && t[j] + 10 < r->t_s + want) held_n++, held_ok += starts[j] == 0;
  }
  CHECK(k >= 3, "ecs: the replacements failed to start (%d failures)", k);
  CHECK(in_window, "ecs: every failure inside the window");
  CHECK_INT(backoffs_ok, k, "ecs: backoffs 10 s, 20 s, 40 s, ... in a row");
  CHECK_INT(held_ok, held_n, "ecs: no launch while the scheduler holds (%d intervals)", held_n);
  double back = ready_back_s(p, 1500, level);
  CHECK(hold_end > 1500 && back <= hold_end + 40 + 30 + 2 * 10,
        "ecs: ready back at %.3g by %.0f s (at %.0f s)", level, hold_end + 90, back);
done:
  out_run_free(run);
}

/* slow_starts x3: the replacements of three tasks lost at 20 min launch in
 * 120 s instead of 40 s: not back 110 s after the loss, back within 120 +
 * 30 + 2 x 10 s. */
static void test_ecs_slow_starts(void) {
  char *yaml = with_faults(ecs_base, "  - {at: 20m, for: 10m, kind: slow_starts, factor: 3}\n"
                                     "  - {at: 20m, kind: lose_instances, count: 3}\n");
  out_run *run = run_and_read(yaml, "ecs-slow");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "ecs") : NULL;
  const out_decision_row *lost = p ? row_where(p, 0, "fault_begin", "faults[1]") : NULL;
  CHECK(lost != NULL, "ecs slow starts: the loss is logged");
  if (!lost) goto done;
  double level = level_before(p, lost->t_s);
  CHECK(col_at(p, "ready", interval_of(p, lost->t_s + 110)) < level - 0.5,
        "ecs: not back before the 120 s launch");
  double back = ready_back_s(p, lost->t_s, level);
  CHECK(back - lost->t_s <= 120 + 30 + 2 * 10, "ecs: back within 170 s (took %.3g s)",
        back - lost->t_s);
done:
  out_run_free(run);
}

/* Cloud Run loses a third at 20 min. Its next evaluation (eval_period 5 s)
 * starts instances up to the desired count, and a cold start takes 0.3 s of
 * platform delay plus 1 s of init on the boosted CPU: 1.3 s. Measured on 10 s
 * intervals, the count is back by the end of the second interval after the
 * fault's: bound 5 + 1.3 + 2 x 10 s. Under the KPA the ReplicaSet recreates
 * every lost pod at once. */
static void test_cloudrun_lose_third(void) {
  char *yaml = with_faults(crun_base, "  - {at: 20m, kind: lose_instances, fraction: 0.3333}\n");
  out_run *run = run_and_read(yaml, "cr-lose");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "run") : NULL;
  const out_decision_row *d = p ? row_where(p, 0, "fault_begin", NULL) : NULL;
  CHECK(d != NULL, "cloudrun: the fault is logged");
  if (!d) goto done;
  double level = check_third_lost(p, d);
  double back = ready_back_s(p, d->t_s, level);
  CHECK(back - d->t_s <= 5 + 1.3 + 2 * 10, "cloudrun: ready back at %.3g within 26.3 s (took "
        "%.3g s)", level, back - d->t_s);
  CHECK(out_run_value(p, "errors_500") >= 1, "cloudrun: the requests in them failed with 500");
  const out_run_platform *kpa = platform_named(run, "kpa");
  const out_decision_row *dk = kpa ? row_where(kpa, 0, "fault_begin", NULL) : NULL;
  size_t k0 = dk ? interval_of(kpa, dk->t_s) : 0;
  CHECK(dk && dk->value >= 5 && col_at(kpa, "instance_starts", k0) >= dk->value,
        "kpa: %g pods lost, %g started in the fault's interval", dk ? dk->value : NAN,
        dk ? col_at(kpa, "instance_starts", k0) : NAN);
done:
  out_run_free(run);
}

/* start_failures on Cloud Run: during the window every instance that would
 * become ready fails (logged) and is discarded; the evaluations keep trying,
 * so after the window the count is back within an evaluation, a cold start
 * and 2 intervals. Under the KPA the pods crash-loop in place, restarting
 * after 10 s, 20 s, 40 s, ... */
static void test_cloudrun_start_failures(void) {
  char *yaml = with_faults(crun_base, "  - {at: 20m, for: 5m, kind: start_failures}\n"
                                      "  - {at: 20m, kind: lose_instances, count: 3}\n");
  out_run *run = run_and_read(yaml, "cr-start");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "run") : NULL;
  const out_decision_row *lost = p ? row_where(p, 0, "fault_begin", "faults[1]") : NULL;
  CHECK(lost != NULL, "cloudrun start failures: the loss is logged");
  if (!lost) goto done;
  double level = level_before(p, lost->t_s);
  int failed = 0, inside = 0;
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *r = &p->decisions[i];
    if (strcmp(r->event, "start") || strcmp(r->status, "Failed")) continue;
    failed++;
    inside += r->t_s >= 1200 && r->t_s < 1500;
  }
  CHECK(failed >= 3, "cloudrun: starts failed during the window (%d)", failed);
  CHECK_INT(inside, failed, "cloudrun: only inside the window");
  CHECK(col_at(p, "ready", interval_of(p, 1490)) < level - 0.5, "cloudrun: not back in the window");
  double back = ready_back_s(p, 1500, level);
  CHECK(back <= 1500 + 5 + 1.3 + 2 * 10, "cloudrun: back by 1526.3 s (at %.0f s)", back);
  const out_run_platform *kpa = platform_named(run, "kpa");
  int restarts = 0;
  bool doubling = true;
  for (size_t i = 0; kpa && i < kpa->n_decisions; i++) {
    const char *at = strstr(kpa->decisions[i].reason, "CrashLoopBackOff, restart in ");
    if (!at) continue;
    restarts++;
    double delay = strtod(at + strlen("CrashLoopBackOff, restart in "), NULL);
    doubling = doubling && (delay == 10 || delay == 20 || delay == 40 || delay == 80 ||
                            delay == 160 || delay == 300);
  }
  CHECK(restarts >= 3 && doubling, "kpa: %d crash-loop restarts at 10 s doubling to 5 min",
        restarts);
done:
  out_run_free(run);
}

/* slow_starts x10 on Cloud Run: a cold start of 13 s instead of 1.3 s, so
 * the instances replaced at the evaluation after a loss at 20 min are not
 * ready in the interval from 20:10, and back within 5 + 13 + 2 x 10 s. */
static void test_cloudrun_slow_starts(void) {
  char *yaml = with_faults(crun_base, "  - {at: 20m, for: 10m, kind: slow_starts, factor: 10}\n"
                                      "  - {at: 20m, kind: lose_instances, count: 3}\n");
  out_run *run = run_and_read(yaml, "cr-slow");
  free(yaml);
  const out_run_platform *p = run ? platform_named(run, "run") : NULL;
  const out_decision_row *lost = p ? row_where(p, 0, "fault_begin", "faults[1]") : NULL;
  CHECK(lost != NULL, "cloudrun slow starts: the loss is logged");
  if (!lost) goto done;
  double level = level_before(p, lost->t_s);
  CHECK(col_at(p, "ready", interval_of(p, lost->t_s + 10)) < level - 0.5,
        "cloudrun: not back 10 s after the loss");
  double back = ready_back_s(p, lost->t_s, level);
  CHECK(back - lost->t_s <= 5 + 13 + 2 * 10, "cloudrun: back within 38 s (took %.3g s)",
        back - lost->t_s);
done:
  out_run_free(run);
}

/* --- cleanup ------------------------------------------------------------------ */

static void remove_tree(const char *root) {
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
}

int main(void) {
  check_init();
  snprintf(tmp_root, sizeof tmp_root, "/tmp/test_faults.XXXXXX");
  if (!mkdtemp(tmp_root)) {
    perror("mkdtemp");
    return 1;
  }
  test_schema_errors();
  test_fixed_times();
  test_rate_driven();
  test_overlapping_windows();
  test_select();
  test_fixed_lose_third();
  test_fixed_central_replacement();
  test_fixed_latency_rises();
  test_degraded_dependency();
  test_determinism();
  test_recovery_notes();
  test_report_has_fault_note();
  test_ecs_lose_third();
  test_ecs_start_failures();
  test_ecs_slow_starts();
  test_cloudrun_lose_third();
  test_cloudrun_start_failures();
  test_cloudrun_slow_starts();
  remove_tree(tmp_root);
  return check_done();
}

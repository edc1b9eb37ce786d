/* ecs_harness.h — driving the `ecs` platform (models/ecs/service.c) through a
 * real engine and recorder in a test, shared by test_ecs_service.c and
 * test_ecs_predictive.c: configs with the schema's defaults, a run against a
 * Poisson stream whose rate is a step or a table of the hours of the day (or a
 * fixed list of requests), probes of the recorder's gauges at set times, and
 * what the run wrote read back: decisions.csv's rows and the 5xx errors of
 * each timeseries.csv interval. */
#ifndef TESTS_ECS_HARNESS_H
#define TESTS_ECS_HARNESS_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/ecs/config.h"
#include "models/ecs/service.h"
#include "output/recorder.h"
#include "sim/engine.h"
#include "tests/check.h"
#include "tests/files.h"

/* --- configs ------------------------------------------------------------------ */

/* c with every default of ecs_cfg_schema, capacity min/max/initial (initial
 * -1: Min) and 1000 requests at once per task, so that concurrency never
 * limits unless a test says so. Free with cfg_free(&ecs_cfg_schema, c). */
static inline void base_cfg(ecs_cfg *c, int min, int max, int initial) {
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&ecs_cfg_schema, c, &err) == 0);
  c->capacity = (ecs_capacity_cfg){.min = min, .max = max, .initial = initial};
  c->task.max_concurrency = 1000;
}

/* Appends a zeroed item of size bytes to list; returns it (owned by list). */
static inline void *list_append(cfg_list *list, size_t size) {
  list->items = realloc(list->items, (list->n + 1) * size);
  SIM_ASSERT(list->items);
  void *item = (char *)list->items + list->n++ * size;
  memset(item, 0, size);
  return item;
}

/* Appends a policy of kind (ECS_KIND_*) with the schema's defaults, called
 * name (NULL: "policy<its position>"); returns it for the test to set. */
static inline ecs_policy_cfg *add_policy(ecs_cfg *c, int kind, const char *name) {
  sim_error err = {0};
  ecs_policy_cfg *p = list_append(&c->policies, sizeof *p);
  SIM_ASSERT(cfg_defaults(&ecs_policy_schema, p, &err) == 0);
  p->kind = kind;
  if (name) {
    free(p->name);
    p->name = sim_xstrdup(name);
  }
  return p;
}

/* Appends a target tracking policy on metric (ecs_tt_metric) at target. */
static inline ecs_policy_cfg *add_tt(ecs_cfg *c, const char *name, int metric, double target) {
  ecs_policy_cfg *p = add_policy(c, ECS_KIND_TARGET_TRACKING, name);
  p->metric = metric;
  p->target = target;
  return p;
}

/* --- the load ----------------------------------------------------------------- */

/* Requests arriving as a Poisson stream — at rate0_per_s before step_s and
 * rate1_per_s after, or at hourly_per_s[hour of the day] when that is set —
 * or, when list is set, exactly the n requests {arrival_s, wait_s} of list. */
typedef struct load {
  double rate0_per_s, rate1_per_s, step_s;
  const double *hourly_per_s; /* 24 rates, or NULL */
  const double (*list)[2];
  int n;
  double cpu_s, wait_s; /* what each request costs (list: its own wait_s) */
  double end_s;         /* no arrival at or after */
} load;

/* A Poisson stream of requests of cpu_s and wait_s, rate0/s before step_s and
 * rate1/s after, until end_s. */
static inline load poisson(double rate0_per_s, double rate1_per_s, double step_s, double end_s,
                           double cpu_s, double wait_s) {
  return (load){.rate0_per_s = rate0_per_s, .rate1_per_s = rate1_per_s, .step_s = step_s,
                .end_s = end_s, .cpu_s = cpu_s, .wait_s = wait_s};
}

/* A Poisson stream of requests of cpu_s at rates_per_s[hour of the day] (24
 * rates, borrowed for the run) until end_s. */
static inline load poisson_hourly(const double *rates_per_s, double end_s, double cpu_s) {
  return (load){.hourly_per_s = rates_per_s, .end_s = end_s, .cpu_s = cpu_s};
}

/* The Poisson rate at t_s (requests/s); it holds until *change_s. */
static inline double load_rate_per_s(const load *ld, double t_s, double *change_s) {
  if (ld->hourly_per_s) {
    double hour = floor(t_s / 3600);
    *change_s = (hour + 1) * 3600;
    return ld->hourly_per_s[(long)hour % 24];
  }
  bool before = t_s < ld->step_s;
  *change_s = before ? ld->step_s : INFINITY;
  return before ? ld->rate0_per_s : ld->rate1_per_s;
}

/* --- a run -------------------------------------------------------------------- */

enum { RUN_MAX_PROBES = 16 };

/* The recorder's gauges at at_s. */
typedef struct probe {
  const out_recorder *rec;
  double at_s;
  double gauge[OUT_GAUGE_COUNT];
} probe;

/* decisions.csv's columns. */
enum { C_T = 0, C_SOURCE, C_EVENT, C_METRIC, C_VALUE, C_OLD, C_NEW, C_STATUS, C_REASON, C_COUNT };
enum { ROW_FIELD_LEN = 96 }; /* longer fields are cut */

typedef struct run {
  sim_engine *eng;
  out_recorder *rec;
  void *state; /* the ecs platform */
  gsl_rng *rng;
  load ld;
  double next_s;  /* the next arrival */
  int next_index; /* list loads: the next request */
  char dir[64];   /* where the recorder writes */
  probe probes[RUN_MAX_PROBES];
  int n_probes;
  /* after run_finish: */
  out_totals totals;
  char (*rows)[C_COUNT][ROW_FIELD_LEN]; /* decisions.csv without its header */
  int n_rows;
  /* after read_errors: 502 + 503 + 504 of each timeseries interval */
  double *errors;
  int n_errors;
} run;

/* Sets r->next_s to the first arrival after from_s. The Poisson stream is
 * memoryless: a draw past a change of rate restarts at the change. */
static inline void run_draw_next(run *r, double from_s) {
  if (r->ld.list) {
    r->next_s = r->next_index < r->ld.n ? r->ld.list[r->next_index][0] : INFINITY;
    return;
  }
  for (;;) {
    double change_s, rate = load_rate_per_s(&r->ld, from_s, &change_s);
    double next = rate > 0 ? from_s + gsl_ran_exponential(r->rng, 1 / rate) : INFINITY;
    if (next < change_s) {
      r->next_s = next;
      return;
    }
    from_s = change_s;
    if (from_s >= r->ld.end_s) {
      r->next_s = INFINITY;
      return;
    }
  }
}

static inline int run_peek(void *ctx, double *at_s) {
  run *r = ctx;
  if (r->next_s >= r->ld.end_s) return 0;
  *at_s = r->next_s;
  return 1;
}

static inline void run_fire(sim_engine *eng, void *ctx) {
  run *r = ctx;
  wl_request q = {.arrival_s = r->next_s, .cpu_s = r->ld.cpu_s, .wait_s = r->ld.wait_s};
  if (r->ld.list) q.wait_s = r->ld.list[r->next_index++][1];
  platform_ecs.on_arrival(r->state, &q);
  run_draw_next(r, r->next_s);
}

/* Starts a run of cfg (borrowed until run_finish returns) against ld, its
 * streams seeded with seed; the recorder writes decisions.csv and
 * timeseries.csv (60 s) into a fresh folder. Free with run_free. */
static inline void run_start(run *r, const ecs_cfg *cfg, load ld, uint64_t seed) {
  memset(r, 0, sizeof *r);
  snprintf(r->dir, sizeof r->dir, "/tmp/ecs_harness_XXXXXX");
  SIM_ASSERT(mkdtemp(r->dir));
  r->eng = sim_engine_alloc();
  sim_error err = {0};
  out_recorder_cfg rc = {.resolution_s = 60, .dir = r->dir, .timeseries = true,
                         .decisions = true};
  SIM_ASSERT(out_recorder_open(&rc, &r->rec, &err) == 0);
  platform_ctx ctx = {.eng = r->eng, .rec = r->rec, .name = "ecs", .seed = seed,
                      .end_s = ld.end_s};
  r->state = platform_ecs.create(cfg, &ctx, &err);
  if (!r->state) fprintf(stderr, "create failed: %s\n", err.msg);
  SIM_ASSERT(r->state);
  r->rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r->rng, seed);
  r->ld = ld;
  run_draw_next(r, 0);
}

static inline void take_probe(sim_engine *eng, void *arg) {
  probe *p = arg;
  for (int g = 0; g < OUT_GAUGE_COUNT; g++) p->gauge[g] = out_gauge_value(p->rec, (out_gauge)g);
}

/* Reads every gauge at at_s into r->probes[the probes added before]. Call
 * between run_start and run_finish. */
static inline void add_probe(run *r, double at_s) {
  SIM_ASSERT(r->n_probes < RUN_MAX_PROBES);
  probe *p = &r->probes[r->n_probes++];
  p->rec = r->rec;
  p->at_s = at_s;
  sim_schedule(r->eng, at_s, take_probe, p);
}

/* The whole of the run's output file name (the caller frees it), or NULL. */
static inline char *read_output(const run *r, const char *name) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", r->dir, name);
  return read_file(path, NULL);
}

/* Splits a decisions.csv line into its C_COUNT fields, without quotes. */
static inline void split_row(const char *line, char out[C_COUNT][ROW_FIELD_LEN]) {
  int f = 0;
  size_t k = 0;
  bool quoted = false;
  memset(out, 0, C_COUNT * ROW_FIELD_LEN);
  for (const char *c = line; *c && *c != '\n' && f < C_COUNT; c++) {
    if (*c == '"') quoted = !quoted;
    else if (*c == ',' && !quoted) {
      f++;
      k = 0;
    } else if (k + 1 < ROW_FIELD_LEN) out[f][k++] = *c;
  }
}

/* The line after line in a text, or NULL at its end. */
static inline const char *next_line(const char *line) {
  const char *nl = strchr(line, '\n');
  return nl && nl[1] ? nl + 1 : NULL;
}

static inline void read_decisions(run *r) {
  char *text = read_output(r, "decisions.csv");
  CHECK(text != NULL, "decisions.csv was written");
  if (!text) return;
  /* a row starts after each newline but the last */
  r->rows = malloc((size_t)(count_of(text, "\n") + 1) * sizeof *r->rows);
  for (const char *line = next_line(text); line; line = next_line(line))
    split_row(line, r->rows[r->n_rows++]);
  free(text);
}

/* Runs until until_s, finishes the platform and the recorder, and reads the
 * totals and decisions.csv's rows. */
static inline void run_finish(run *r, double until_s) {
  sim_stream st = {run_peek, run_fire, r};
  sim_set_stream(r->eng, &st);
  sim_run(r->eng, until_s, NULL, NULL);
  platform_ecs.finish(r->state);
  sim_error err = {0};
  SIM_ASSERT(out_recorder_finish(r->rec, sim_now(r->eng), &err) == 0);
  out_recorder_totals(r->rec, &r->totals);
  read_decisions(r);
}

/* The index of column name in a CSV header line, or -1. */
static inline int header_column(const char *header, const char *name) {
  size_t len = strlen(name);
  const char *f = header;
  for (int c = 0;; c++) {
    if (!strncmp(f, name, len) && (f[len] == ',' || f[len] == '\n' || f[len] == '\0')) return c;
    f = strpbrk(f, ",\n");
    if (!f || *f == '\n') return -1;
    f++;
  }
}

/* Field c of a CSV line of numbers (NaN when the line is shorter). */
static inline double field_value(const char *line, int c) {
  for (; c > 0; c--) {
    line = strpbrk(line, ",\n");
    if (!line || *line == '\n') return NAN;
    line++;
  }
  return atof(line);
}

/* After run_finish: the 502, 503 and 504 errors of each timeseries.csv row
 * into r->errors. */
static inline void read_errors(run *r) {
  char *text = read_output(r, "timeseries.csv");
  CHECK(text != NULL, "timeseries.csv was written");
  if (!text) return;
  static const char *const names[] = {"errors_502", "errors_503", "errors_504"};
  int col[3];
  for (int k = 0; k < 3; k++) col[k] = header_column(text, names[k]);
  CHECK(col[0] >= 0 && col[1] >= 0 && col[2] >= 0, "the error columns are there");
  r->errors = malloc((size_t)(count_of(text, "\n") + 1) * sizeof *r->errors);
  for (const char *line = next_line(text); line; line = next_line(line)) {
    double e = 0;
    for (int k = 0; k < 3; k++)
      if (col[k] >= 0) e += field_value(line, col[k]);
    r->errors[r->n_errors++] = e;
  }
  free(text);
}

/* The errors of the timeseries intervals from from_s to to_s (multiples of
 * 60 s). */
static inline double errors_between(const run *r, double from_s, double to_s) {
  double e = 0;
  for (int i = (int)(from_s / 60); i < (int)(to_s / 60) && i < r->n_errors; i++)
    e += r->errors[i];
  return e;
}

static inline void remove_output(const run *r, const char *name) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", r->dir, name);
  unlink(path);
}

/* Frees what run_start made and removes the run's folder. */
static inline void run_free(run *r) {
  platform_ecs.destroy(r->state);
  out_recorder_free(r->rec);
  sim_engine_free(r->eng);
  gsl_rng_free(r->rng);
  remove_output(r, "decisions.csv");
  remove_output(r, "timeseries.csv");
  rmdir(r->dir);
  free(r->rows);
  free(r->errors);
}

/* --- decisions.csv's rows -------------------------------------------------------- */

/* Which rows: at or after from_s, with each of source, event, status and reason
 * that is not NULL, and new desired > old when grows is 1, < old when -1. */
typedef struct row_filter {
  double from_s;
  const char *source, *event, *status, *reason;
  int grows;
} row_filter;

static inline bool row_matches(const run *r, int i, const row_filter *f) {
  const char(*row)[ROW_FIELD_LEN] = r->rows[i];
  if (atof(row[C_T]) < f->from_s - 1e-9) return false;
  if ((f->source && strcmp(row[C_SOURCE], f->source)) ||
      (f->event && strcmp(row[C_EVENT], f->event)) ||
      (f->status && strcmp(row[C_STATUS], f->status)) ||
      (f->reason && strcmp(row[C_REASON], f->reason)))
    return false;
  int d = atoi(row[C_NEW]) - atoi(row[C_OLD]);
  return !(f->grows > 0 && d <= 0) && !(f->grows < 0 && d >= 0);
}

/* How many rows match f; the first one's index in *first (-1: none) when
 * first is not NULL. */
static inline int count_rows(const run *r, row_filter f, int *first) {
  int n = 0;
  if (first) *first = -1;
  for (int i = 0; i < r->n_rows; i++) {
    if (!row_matches(r, i, &f)) continue;
    if (first && *first < 0) *first = i;
    n++;
  }
  return n;
}

/* The first row that matches f, or -1. */
static inline int find_row(const run *r, row_filter f) {
  for (int i = 0; i < r->n_rows; i++)
    if (row_matches(r, i, &f)) return i;
  return -1;
}

/* Row i's time (NaN for -1, no row). */
static inline double row_t(const run *r, int i) { return i < 0 ? NAN : atof(r->rows[i][C_T]); }

#endif

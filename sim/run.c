/* run.c — the runner: scenario in, per-platform outputs and summary out (see
 * run.h). It is the only place where the engine, a workload source, a platform
 * model and the recorder meet. */
#include "sim/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output/latency_csv.h"
#include "output/report.h"
#include "output/summary.h"
#include "sim/engine.h"
#include "sim/limits.h"
#include "sim/signals.h"

/* The faults of one platform's run: degraded_dependency is applied here, to
 * the arrivals, so every model gets it; the other kinds go to the model's
 * on_fault (the loader checked that it has one). */
typedef struct run_faults {
  const platform_type *type;
  void *state;
  fault_windows windows;
} run_faults;

static int apply_fault(void *arg, const fault_event *ev) {
  run_faults *rf = arg;
  if (ev->cfg->kind == FAULT_DEGRADED_DEPENDENCY) {
    fault_windows_apply(&rf->windows, ev);
    return 0;
  }
  SIM_ASSERT(rf->type->on_fault);
  return rf->type->on_fault(rf->state, ev);
}

/* The arrival stream: the workload source, one request of look-ahead, the
 * horizon, and progress bookkeeping. */
typedef struct arrivals {
  wl_source *src;
  const platform_type *type;
  void *state;
  wl_request next;
  bool have_next;
  double horizon_s;    /* arrivals after it are not fed (0 = none) */
  sim_error *err;
  const fault_windows *faults; /* open degraded_dependency windows */
  uint64_t fed;
  /* progress */
  bool progress;
  const char *name;
  double started_wall, last_print_wall;
} arrivals;

static double wall_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int arrivals_peek(void *ctx, double *at_s) {
  arrivals *a = ctx;
  if (!a->have_next) {
    int rc = wl_next(a->src, &a->next, a->err);
    if (rc <= 0) return rc;
    a->have_next = true;
  }
  if (a->horizon_s > 0 && a->next.arrival_s > a->horizon_s) return 0;
  *at_s = a->next.arrival_s;
  return 1;
}

static void print_progress(arrivals *a, double now_s) {
  double wall = wall_now();
  if (wall - a->last_print_wall < 0.5) return;
  a->last_print_wall = wall;
  double elapsed = wall - a->started_wall;
  double rate = elapsed > 0 ? a->fed / elapsed : 0;
  char eta[32] = "?";
  if (a->horizon_s > 0 && now_s > 0)
    snprintf(eta, sizeof eta, "%.0fs", elapsed * (a->horizon_s - now_s) / now_s);
  fprintf(stderr, "\r%s: t=%.0fs  %llu requests  %.2fM req/s  ETA %s   ", a->name, now_s,
          (unsigned long long)a->fed, rate / 1e6, eta);
}

static void arrivals_fire(sim_engine *eng, void *ctx) {
  arrivals *a = ctx;
  a->have_next = false;
  a->fed++;
  if (a->faults->wait_factor != 1) { /* a degraded dependency slows this request */
    wl_request slowed = a->next;
    slowed.wait_s *= a->faults->wait_factor;
    slowed.cpu_s *= a->faults->cpu_factor;
    a->type->on_arrival(a->state, &slowed);
  } else {
    a->type->on_arrival(a->state, &a->next);
  }
  if (a->progress && (a->fed & 0xffff) == 0) print_progress(a, sim_now(eng));
}

typedef struct drain_check {
  const platform_type *type;
  void *state;
} drain_check;

static bool drained(void *ctx) {
  drain_check *d = ctx;
  return d->type->in_flight(d->state) == 0;
}

static bool stream_done(void *ctx) { return sim_stream_done(ctx); }

/* Why a run stops before its end (issue #8, docs/guarantees.md): SIGINT or
 * SIGTERM, or a resource budget. Checked every SIM_LIMITS_CHECK_EVERY events,
 * wrapped around the phase's own stop condition (`until`, may be NULL). */
typedef struct run_guard {
  sim_engine *eng;
  const sim_limits *limits;
  const uint64_t *fed; /* requests fed so far */
  bool (*until)(void *ctx);
  void *until_ctx;
  bool stopped;       /* the run stopped early; why in `reason` */
  sim_error reason;
} run_guard;

static bool guard_stop(void *ctx) {
  run_guard *g = ctx;
  if (g->until && g->until(g->until_ctx)) return true;
  if (!sim_limits_due(sim_fired_count(g->eng))) return false;
  if (sim_signals_pending())
    sim_errorf(&g->reason, SIM_EFAIL, "interrupted by %s", sim_signals_name());
  else if (sim_limits_check(g->limits, *g->fed, &g->reason) == SIM_OK)
    return false;
  g->stopped = true;
  return true;
}

/* sim_run under the guard: stops at `until`, a signal or a budget. */
static int guarded_run(run_guard *g, double until_s, bool (*until)(void *), void *until_ctx) {
  g->until = until;
  g->until_ctx = until_ctx;
  return sim_run(g->eng, until_s, guard_stop, g);
}

const char *run_out_dir(const scenario *sc, const run_options *opt) {
  return opt && opt->out_dir ? opt->out_dir : sc->output.dir;
}

/* Runs the engine over the arrivals, then drains. Returns a status; a stop by
 * the guard (g->stopped) is not an error here: what ran is kept. */
static int simulate(const scenario *sc, run_guard *g, arrivals *a, sim_error *err) {
  int rc;
  if (sc->duration_s > 0) {
    rc = guarded_run(g, sc->duration_s, NULL, NULL);
  } else {
    /* No horizon: the workload's own end is the horizon. */
    rc = guarded_run(g, INFINITY, stream_done, g->eng);
  }
  if (rc < 0) return -rc;
  drain_check d = {a->type, a->state};
  if (!g->stopped && !drained(&d)) {
    rc = guarded_run(g, sim_now(g->eng) + sc->drain_s, drained, &d);
    if (rc < 0) return -rc;
  }
  return SIM_OK;
}

/* Runs one platform. When a signal or a budget stops it early, the recorder
 * is still finished at the time reached (its files are whole up to there),
 * summary->incomplete is set, and *stopped says why. */
static int run_platform(const scenario *sc, const scenario_platform *p, const char *dir,
                        bool progress, const sim_limits *limits, run_result *res,
                        out_platform_result *summary, out_recorder **rec_out,
                        sim_error *stopped, sim_error *err) {
  int rc = SIM_EFAIL;
  double wall0 = wall_now();
  sim_engine *eng = sim_engine_alloc();
  out_recorder *rec = NULL;
  wl_source *src = NULL;
  void *state = NULL;
  fault_sched *faults = NULL;
  char pdir[4096];
  snprintf(pdir, sizeof pdir, "%s/%s", dir, p->name);

  out_recorder_cfg rcfg = {.resolution_s = sc->output.resolution_s, .dir = pdir,
                           .timeseries = true, .decisions = true};
  if ((rc = out_recorder_open(&rcfg, &rec, err))) goto fail;
  if ((rc = wl_open(&sc->workload, sc->seed, &src, err))) goto fail;
  /* The calendar time of t = 0: start_time, else the trace's first timestamp
   * (known once the source is open). */
  platform_ctx ctx = {.eng = eng, .rec = rec, .name = p->name, .seed = sc->seed,
                      .end_s = sc->duration_s,
                      .start_epoch_s = sc->start_time ? sc->start_epoch_s : src->origin_epoch_s};
  state = p->type->create(p->cfg, &ctx, err);
  if (!state) {
    rc = err && err->status ? err->status : SIM_ESCENARIO;
    goto fail;
  }
  run_faults rf = {.type = p->type, .state = state};
  fault_windows_init(&rf.windows);
  faults = fault_sched_alloc(eng, rec, sc->faults.items, sc->faults.n, sc->seed, sc->duration_s,
                             apply_fault, &rf);
  arrivals a = {.src = src, .type = p->type, .state = state, .horizon_s = sc->duration_s,
                .err = err, .faults = &rf.windows, .progress = progress, .name = p->name,
                .started_wall = wall0, .last_print_wall = wall0};
  sim_stream stream = {arrivals_peek, arrivals_fire, &a};
  sim_set_stream(eng, &stream);
  run_guard guard = {.eng = eng, .limits = limits, .fed = &a.fed};
  if ((rc = simulate(sc, &guard, &a, err))) {
    sim_error_prefix(err, "platform %s: ", p->name);
    goto fail;
  }
  if (progress) fputs("\r\033[K", stderr);
  p->type->finish(state);
  if ((rc = out_recorder_finish(rec, sim_now(eng), err))) goto fail;
  char lat_path[4200];
  snprintf(lat_path, sizeof lat_path, "%s/latency.csv", pdir);
  if ((rc = out_write_latency_csv(lat_path, out_recorder_latency(rec), err))) goto fail;

  res->name = p->name;
  res->kind = p->type->name;
  out_recorder_totals(rec, &res->totals);
  const out_sketch *lat = out_recorder_latency(rec);
  res->p50_s = out_sketch_quantile(lat, 0.50);
  res->p95_s = out_sketch_quantile(lat, 0.95);
  res->p99_s = out_sketch_quantile(lat, 0.99);
  res->events = sim_fired_count(eng);
  res->wall_s = wall_now() - wall0;
  summary->name = p->name;
  summary->kind = p->type->name;
  summary->totals = res->totals;
  summary->latency = lat; /* kept alive: the recorder is freed by the caller */
  summary->records_skipped = src->skipped;
  summary->origin_errors = src->origin_errors;
  summary->incomplete = guard.stopped;
  res->complete = !guard.stopped;
  if (guard.stopped)
    sim_errorf(stopped, SIM_EFAIL, "%s (platform %s stopped at t=%.0fs)", guard.reason.msg,
               p->name, sim_now(eng));
  p->type->destroy(state);
  fault_sched_free(faults);
  wl_source_free(src);
  sim_engine_free(eng);
  /* The caller frees rec after writing the summary: the sketch lives in it. */
  *rec_out = rec;
  return SIM_OK;
fail:
  if (progress) fputs("\r\033[K", stderr);
  if (state) p->type->destroy(state);
  fault_sched_free(faults);
  wl_source_free(src);
  out_recorder_free(rec);
  sim_engine_free(eng);
  return rc;
}

/* The settings of sc for the report: the workload's and each platform's, with
 * the defaults the scenario did not set marked. */
static int write_report(const scenario *sc, const char *dir, sim_error *err) {
  out_settings *st = out_settings_alloc();
  out_settings_collect(st, NULL, "workload", &wl_config_schema, &sc->workload, sc->ctx);
  /* The SLO the report measures fault recovery against (report_notes.h). */
  if (sc->slo.latency_p99_s > 0)
    out_settings_collect(st, NULL, "slo", &scenario_slo_schema, &sc->slo, sc->ctx);
  for (size_t i = 0; i < sc->n_platforms; i++) {
    char path[64];
    snprintf(path, sizeof path, "platforms[%zu]", i);
    const scenario_platform *p = &sc->platforms[i];
    out_settings_collect(st, p->name, path, p->type->schema, p->cfg, sc->ctx);
    const char *target = p->type->cpu_target_key ? p->type->cpu_target_key(p->cfg) : NULL;
    if (target) out_settings_set_role(st, p->name, target, OUT_ROLE_CPU_TARGET);
  }
  out_report_options opt = {.plots = OUT_PLOT_SVG, .settings = st};
  int rc = out_report_write(dir, &opt, err);
  out_settings_free(st);
  return rc;
}

int run_scenario(const scenario *sc, const run_options *opt, run_result *results,
                 sim_error *err) {
  const char *dir = run_out_dir(sc, opt);
  size_t n = sc->n_platforms, ran = 0;
  run_result *res = sim_xcalloc(n, sizeof *res);
  out_platform_result *sum = sim_xcalloc(n, sizeof *sum);
  out_recorder **recs = sim_xcalloc(n, sizeof *recs);
  sim_limits limits = sc->limits;
  sim_limits_start(&limits);
  sim_error stopped = {0};
  int rc = SIM_OK;
  /* A platform stopped early is kept (marked incomplete); later ones are not
   * run. */
  for (; ran < n && rc == SIM_OK && !stopped.status; ran++) {
    if (sim_signals_pending()) {
      sim_errorf(&stopped, SIM_EFAIL, "interrupted by %s (before platform %s)",
                 sim_signals_name(), sc->platforms[ran].name);
      break;
    }
    rc = run_platform(sc, &sc->platforms[ran], dir, opt && opt->progress, &limits, &res[ran],
                      &sum[ran], &recs[ran], &stopped, err);
  }
  if (rc == SIM_OK)
    rc = out_write_summary_run(dir, sc->name, sc->seed, sum, ran,
                               stopped.status ? stopped.msg : NULL, err);
  /* The report presents a whole run; a stopped one has only its summary. */
  if (rc == SIM_OK && !stopped.status && !(opt && opt->no_report))
    rc = write_report(sc, dir, err);
  if (rc == SIM_OK && stopped.status)
    rc = sim_errorf(err, SIM_EFAIL,
                    "%s; the results so far are in %s/, marked incomplete "
                    "(summary.json: \"complete\": false)",
                    stopped.msg, dir);
  if (results) memcpy(results, res, n * sizeof *res);
  for (size_t i = 0; i < n; i++) out_recorder_free(recs[i]);
  free(recs);
  free(res);
  free(sum);
  return rc;
}

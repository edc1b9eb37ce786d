/* test_cloudrun_service.c — the `cloudrun` platform end to end, driven
 * through its platform_type with a real engine and recorder:
 *   - scale-per-request behaviour against an independent calculation
 *     (concurrency 1, no metrics-based scaling, 600 s idle retention);
 *   - a burst beyond max instances: 429 exactly when the pending limit expires;
 *   - 504 at exactly arrival + request timeout, the instance kept;
 *   - scale to zero and the first request's cold start, startup CPU boost;
 *   - billing of a hand-worked history (100 ms rounding, request fee);
 *   - the Cloud Run autoscaler's decisions, and the KPA's scale from and to
 *     zero, in decisions.csv and the instance counts;
 *   - scale-in after a surge (scale_in: drain_excess against idle_only), and
 *     overflow to excess instances only when the needed ones are full. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "models/cloudrun/cloudrun.h"
#include "models/cloudrun/pending.h"
#include "sim/engine.h"
#include "tests/check.h"
#include "tests/files.h"

/* --- harness ------------------------------------------------------------------ */

typedef struct feed {
  void *state;
  const wl_request *reqs;
  size_t n, pos;
} feed;

static int feed_peek(void *ctx, double *at_s) {
  feed *f = ctx;
  if (f->pos >= f->n) return 0;
  *at_s = f->reqs[f->pos].arrival_s;
  return 1;
}

static void feed_fire(sim_engine *eng, void *ctx) {
  feed *f = ctx;
  platform_cloudrun.on_arrival(f->state, &f->reqs[f->pos++]);
}

typedef struct run {
  sim_engine *eng;
  out_recorder *rec;
  void *state;
  feed feed;
  char dir[64];
  out_totals totals;
  char *decisions; /* decisions.csv after close */
} run;

static crun_cfg base_cfg(void) {
  crun_cfg c;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&crun_schema, &c, &err) == 0);
  return c;
}

/* A constant startup of `s` seconds that the boost does not change. */
static void set_startup(crun_cfg *c, double platform_s, double init_s) {
  c->instance.startup.platform_delay_s = platform_s;
  c->instance.startup.init = (wl_dist){.kind = WL_DIST_CONSTANT, .value = init_s};
}

static void run_open(run *r, const crun_cfg *cfg, const wl_request *reqs, size_t n) {
  memset(r, 0, sizeof *r);
  snprintf(r->dir, sizeof r->dir, "/tmp/test_cloudrun_XXXXXX");
  SIM_ASSERT(mkdtemp(r->dir));
  out_recorder_cfg rcfg = {.resolution_s = 60, .dir = r->dir, .decisions = true};
  sim_error err = {0};
  SIM_ASSERT(out_recorder_open(&rcfg, &r->rec, &err) == 0);
  r->eng = sim_engine_alloc();
  platform_ctx ctx = {.eng = r->eng, .rec = r->rec, .name = "run", .seed = 7};
  r->state = platform_cloudrun.create(cfg, &ctx, &err);
  if (!r->state) fprintf(stderr, "create failed: %s\n", err.msg);
  SIM_ASSERT(r->state);
  r->feed = (feed){.state = r->state, .reqs = reqs, .n = n};
  sim_stream stream = {feed_peek, feed_fire, &r->feed};
  sim_set_stream(r->eng, &stream);
}

static void run_until(run *r, double t_s) { sim_run(r->eng, t_s, NULL, NULL); }

static uint64_t in_flight(const run *r) { return platform_cloudrun.in_flight(r->state); }

static double gauge(const run *r, out_gauge g) { return out_gauge_value(r->rec, g); }

static double instances(const run *r) {
  return gauge(r, OUT_STARTING) + gauge(r, OUT_READY) + gauge(r, OUT_DRAINING);
}

static void run_close(run *r) {
  sim_error err = {0};
  platform_cloudrun.finish(r->state);
  SIM_ASSERT(out_recorder_finish(r->rec, sim_now(r->eng), &err) == 0);
  out_recorder_totals(r->rec, &r->totals);
  char path[128];
  snprintf(path, sizeof path, "%s/decisions.csv", r->dir);
  r->decisions = read_file(path, NULL);
  platform_cloudrun.destroy(r->state);
  out_recorder_free(r->rec);
  sim_engine_free(r->eng);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", r->dir);
  SIM_ASSERT(system(cmd) == 0);
}

static void run_free(run *r) { free(r->decisions); }

/* --- scale per request ------------------------------------------------------------ */

/* Why an independent calculation exists: with concurrency 1, no metrics-based
 * scaling and a startup of 0, an instance is started exactly when a request
 * finds every instance busy, and stopped exactly after idle_retention T idle.
 * Let N(t) be the number of requests in service: an M/G/inf process (Poisson
 * arrivals, each request holds one instance for its 2 s), the same whatever
 * instance serves which request. An instance is alive at t iff it was busy at
 * some time in (t - T, t], so at least M(t) = max over (t - T, t] of N are
 * alive, under any routing. If idle instances were reused most recently idle
 * first, exactly M(t) would be (an idle instance below the top of the stack is
 * only taken when all above it are busy, so the instances used in a window are
 * never more than its peak of N), and an arrival would start an instance iff
 * N(t-) = M(t-). Both quantities are computed below from the arrival times
 * alone, with a monotonic deque over the piecewise-constant N — no instances,
 * routers or idle lists. The model's least_loaded router breaks the tie
 * between idle instances by lowest id instead, which can keep an instance warm
 * that was busy across the window's start without a simultaneous peak. So,
 * exactly on every sample path: the model's cold starts are a subset of the
 * running-max ones (it starts one only when all alive are busy, i.e. N = alive
 * >= M >= N) and its instance-seconds are at least the integral of M; and the
 * two differ by little (checked within 1%). Little's law for M/G/inf gives the
 * mean number in service, lambda x 2 s = 1.8, as an analytic check. */

typedef struct seg {
  double end_s; /* when the segment of constant N ended */
  int n;        /* N on it */
} seg;

typedef struct deque {
  seg *v;
  size_t head, tail, cap;
} deque;

static void dq_push(deque *d, seg s) {
  while (d->tail > d->head && d->v[d->tail - 1].n <= s.n) d->tail--;
  SIM_ASSERT(d->tail < d->cap);
  d->v[d->tail++] = s;
}

/* The running maximum M over (t - T, t]: the current N and every ended segment
 * that ended after t - T. */
static int running_max(deque *d, double t, double window, int current) {
  while (d->tail > d->head && d->v[d->head].end_s + window <= t) d->head++;
  int m = current;
  if (d->tail > d->head && d->v[d->head].n > m) m = d->v[d->head].n;
  return m;
}

typedef struct independent {
  long cold;               /* arrivals with N(t-) = M(t-) */
  double instance_seconds; /* integral of M over [0, end] */
} independent;

/* Sweeps the arrivals (service `s` each) to `end`: events are arrivals,
 * departures, and expiries of the deque's front (its end + T). */
static independent mginf_running_max(const double *arr, size_t n, double s, double window,
                                     double end) {
  independent out = {0};
  deque d = {.v = calloc(4 * n + 8, sizeof(seg)), .cap = 4 * n + 8};
  size_t next_arr = 0, next_dep = 0; /* departures are arr[i] + s, in order */
  int cur = 0;
  double t = 0;
  while (t < end) {
    double ta = next_arr < n ? arr[next_arr] : INFINITY;
    double td = next_dep < next_arr ? arr[next_dep] + s : INFINITY;
    double tx = d.tail > d.head ? d.v[d.head].end_s + window : INFINITY;
    double tn = fmin(fmin(ta, td), fmin(tx, end));
    out.instance_seconds += running_max(&d, t, window, cur) * (tn - t);
    t = tn;
    if (t >= end) break;
    if (td <= ta && td == t) { /* departures first at ties: they free instances */
      dq_push(&d, (seg){t, cur});
      cur--;
      next_dep++;
    } else if (ta == t) {
      if (cur == running_max(&d, t, window, cur)) out.cold++;
      dq_push(&d, (seg){t, cur});
      cur++;
      next_arr++;
    } else {
      running_max(&d, t, window, cur); /* the front expired */
    }
  }
  free(d.v);
  return out;
}

static void test_scale_per_request(void) {
  const double lambda = 0.9, service_s = 2, retention_s = 600;
  const size_t n = 100000;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 12345);
  double *arr = malloc(n * sizeof *arr);
  wl_request *reqs = calloc(n, sizeof *reqs);
  double t = 0;
  for (size_t i = 0; i < n; i++) {
    t += gsl_ran_exponential(rng, 1 / lambda);
    arr[i] = t;
    reqs[i] = (wl_request){.arrival_s = t, .wait_s = service_s};
  }
  gsl_rng_free(rng);
  double end = 5 * ceil((t + 10) / 5); /* a multiple of the 5 s evaluation period */

  crun_cfg c = base_cfg();
  c.instance.max_concurrency = 1;
  c.scaling.concurrency_target_pct = 0; /* no metrics-based scaling */
  c.scaling.cpu_target_pct = 0;
  c.scaling.idle_retention_s = retention_s;
  c.scaling.max_instances = 1000;
  set_startup(&c, 0, 0);
  run r;
  run_open(&r, &c, reqs, n);
  run_until(&r, end);
  CHECK_ABS(sim_now(r.eng), end, 0, "scale per request: ran to the end");
  run_close(&r);

  independent ind = mginf_running_max(arr, n, service_s, retention_s, end);
  double starts = r.totals.counters[OUT_INSTANCE_STARTS];
  CHECK(starts <= (double)ind.cold, "cold starts (%g) never exceed the running-max count (%ld)",
        starts, ind.cold);
  CHECK_REL(starts / (double)n, (double)ind.cold / (double)n, 0.01,
            "cold-start probability %.5f within 1%% of the running-max one %.5f",
            starts / (double)n, (double)ind.cold / (double)n);
  CHECK(r.totals.instance_seconds >= ind.instance_seconds * (1 - 1e-12),
        "instance-seconds at least the integral of the running maximum");
  CHECK_REL(r.totals.instances_mean, ind.instance_seconds / end, 0.01,
            "mean instances %.4f within 1%% of the running maximum's %.4f",
            r.totals.instances_mean, ind.instance_seconds / end);
  /* M/G/inf: mean number in service = lambda x 2 s (Little), within 2%. */
  CHECK_REL(r.totals.gauge_mean[OUT_IN_FLIGHT], lambda * service_s, 0.02,
            "M/G/inf mean requests in service = 1.8");
  CHECK_INT((long)r.totals.counters[OUT_COMPLETIONS], (long)n, "every request completes");
  CHECK(r.totals.instances_mean > 1.8 && r.totals.instances_mean < 20,
        "kept-warm instances exceed the busy ones");
  run_free(&r);
  free(reqs);
  free(arr);
}

/* --- 429 after the pending limit ----------------------------------------------------- */

static void test_burst_429(int rule, double limit_s) {
  crun_cfg c = base_cfg();
  c.instance.max_concurrency = 1;
  c.scaling.max_instances = 2;
  c.pending.rule = rule;
  set_startup(&c, 0, 1); /* 1 s: current rule gives max(10, 3.5) = 10 s */
  wl_request reqs[10];
  for (int i = 0; i < 10; i++) reqs[i] = (wl_request){.arrival_s = 1, .wait_s = 100};
  run r;
  run_open(&r, &c, reqs, 10);
  run_until(&r, 1 + limit_s - 0.001);
  CHECK_INT(in_flight(&r), 10, "burst (limit %gs): all 10 in flight just before the limit", limit_s);
  CHECK_ABS(gauge(&r, OUT_QUEUED), 8, 0, "burst: 8 pending (2 instances at max)");
  CHECK_ABS(instances(&r), 2, 0, "burst: max instances 2 started on demand");
  run_until(&r, 1 + limit_s);
  CHECK_INT(in_flight(&r), 2, "burst: the 8 pending fail at exactly arrival + %gs", limit_s);
  run_until(&r, 200);
  run_close(&r);
  CHECK_INT((int)r.totals.counters[OUT_ERR_429], 8, "burst: eight 429s");
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 2, "burst: two served");
  CHECK_INT((int)r.totals.counters[OUT_COLD_REQUESTS], 2, "burst: the served two waited cold");
  CHECK_ABS(r.totals.counters[OUT_COLD_WAIT_S], 2.0, 1e-9, "burst: each waited the 1 s startup");
  run_free(&r);
}

/* --- 504 ----------------------------------------------------------------------------------- */

static void test_timeout_504(void) {
  crun_cfg c = base_cfg();
  c.instance.request_timeout_s = 5;
  set_startup(&c, 0, 1);
  wl_request reqs[] = {{.arrival_s = 10, .wait_s = 8}, {.arrival_s = 12, .wait_s = 2},
                       {.arrival_s = 20, .wait_s = 1}};
  run r;
  run_open(&r, &c, reqs, 3);
  run_until(&r, 14.999);
  CHECK_INT(in_flight(&r), 1, "504: the long request is still in flight before its deadline");
  run_until(&r, 15);
  CHECK_INT(in_flight(&r), 0, "504: failed at exactly arrival + 5 s");
  CHECK_ABS(instances(&r), 1, 0, "504: the instance is not terminated");
  run_until(&r, 100);
  run_close(&r);
  CHECK_INT((int)r.totals.counters[OUT_ERR_504], 1, "one 504");
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 2, "the other two complete");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 1, "no new instance after the 504");
  run_free(&r);
}

/* --- scale to zero, cold start, boost ----------------------------------------------------- */

static void test_scale_to_zero(void) {
  crun_cfg c = base_cfg();
  c.scaling.idle_retention_s = 60;
  set_startup(&c, 0.5, 1.5); /* boost 1 -> 2 vCPU does not speed a 1-thread init */
  wl_request reqs[] = {{.arrival_s = 10, .wait_s = 1}, {.arrival_s = 200, .wait_s = 1}};
  run r;
  run_open(&r, &c, reqs, 2);
  run_until(&r, 9);
  CHECK_ABS(instances(&r), 0, 0, "scale to zero: no instance before the first request");
  run_until(&r, 11.999);
  CHECK_ABS(gauge(&r, OUT_STARTING), 1, 0, "first request: an instance is starting");
  /* Idle from 13 s: the retention ends at 73 s, but the concurrency driver
   * still wants 1 instance until its one-minute window no longer holds the
   * request, which the first evaluation after 73 s (at 75 s) sees. */
  run_until(&r, 74.999);
  CHECK_ABS(instances(&r), 1, 0, "kept idle for the retention time and the metrics window");
  run_until(&r, 75);
  CHECK_ABS(instances(&r), 0, 0, "stopped at the evaluation after 60 s idle: scaled to zero");
  run_until(&r, 400);
  run_close(&r);
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 2, "each request after zero starts one");
  CHECK_INT((int)r.totals.counters[OUT_COLD_REQUESTS], 2, "both requests waited cold");
  CHECK_ABS(r.totals.counters[OUT_COLD_WAIT_S], 4.0, 1e-9, "each waited the 2 s cold start");
  run_free(&r);

  /* vcpu 0.5: the init runs on min(1, 0.5) of a CPU, or min(1, 2) boosted. */
  for (int boost = 0; boost < 2; boost++) {
    c = base_cfg();
    c.instance.vcpu = 0.5;
    c.instance.max_concurrency = 1;
    c.instance.startup_boost = boost;
    set_startup(&c, 0.5, 1.5);
    wl_request one[] = {{.arrival_s = 1, .wait_s = 1}};
    run_open(&r, &c, one, 1);
    run_until(&r, 100);
    run_close(&r);
    CHECK_ABS(r.totals.counters[OUT_COLD_WAIT_S], boost ? 2.0 : 3.5, 1e-9,
              "startup boost %s: cold start %s s", boost ? "on" : "off", boost ? "2.0" : "3.5");
    run_free(&r);
  }
}

/* --- billing -------------------------------------------------------------------------------- */

/* One instance, startup 1 s (boost off or on), 512 MiB = 0.5 GiB:
 * r1 arrives at 0, pends, runs [1.0, 1.25]; r2 arrives at 1.1, runs
 * [1.1, 1.6]. Starting [0, 1] touches r1, which overlaps r2: one billable
 * interval [0, 1.6] = 1.6 s, already a multiple of 100 ms; plus r3 at 100 on
 * the same (still warm) instance, [100, 100.01], billed 0.1 s. The instance
 * stops idle at 300.01 with no shutdown time (0 s billed). */
static double bill_run(int mode, bool boost) {
  crun_cfg c = base_cfg();
  c.billing.mode = mode;
  c.instance.startup_boost = boost;
  c.scaling.idle_retention_s = 200;
  set_startup(&c, 0, 1);
  wl_request reqs[] = {{.arrival_s = 0, .wait_s = 0.25}, {.arrival_s = 1.1, .wait_s = 0.5},
                       {.arrival_s = 100, .wait_s = 0.01}};
  run r;
  run_open(&r, &c, reqs, 3);
  run_until(&r, 400);
  CHECK_ABS(instances(&r), 0, 0, "billing run: the instance stopped");
  run_close(&r);
  run_free(&r);
  return r.totals.counters[OUT_COST_USD];
}

static void test_billing(void) {
  /* 1.7 s x (1 vCPU x 0.000024 + 0.5 GiB x 0.0000025) + 3 requests x 0.4e-6. */
  CHECK_REL(bill_run(CRUN_BILLING_REQUEST, false), 1.7 * 0.00002525 + 3 * 0.4e-6, 1e-9,
            "request-based: 100 ms rounding and the request fee, by hand");
  /* Boost: 2 vCPU until ready + 10 s = 11 s covers [0, 1.6]; r3 at 1 vCPU:
   * 2 x 1.6 + 1 x 0.1 = 3.3 vCPU-s, memory 1.7 x 0.5 GiB-s. */
  CHECK_REL(bill_run(CRUN_BILLING_REQUEST, true),
            3.3 * 0.000024 + 0.85 * 0.0000025 + 3 * 0.4e-6, 1e-9,
            "request-based: the startup boost billed at 2 vCPU");
  /* Instance-based: lifetime [0, 300.01] -> 300.1 s, no request fee:
   * 300.1 x (0.000018 + 0.5 x 0.000002). */
  CHECK_REL(bill_run(CRUN_BILLING_INSTANCE, false), 300.1 * 0.000019, 1e-9,
            "instance-based: the whole lifetime, rounded up to 100 ms");
}

/* One min instance, warm from 0 (no boost), 0.5 GiB, run to 100 s; one
 * request [50, 51]. Idle 99 s at the idle rate (1 vCPU + 0.5 GiB) x
 * $0.0000025, busy 1 s at the active rate, plus the request fee. */
static void test_idle_min_billing(void) {
  crun_cfg c = base_cfg();
  c.scaling.min_instances = 1;
  wl_request reqs[] = {{.arrival_s = 50, .wait_s = 1}};
  run r;
  run_open(&r, &c, reqs, 1);
  run_until(&r, 100);
  CHECK_ABS(instances(&r), 1, 0, "idle min instance: kept");
  run_close(&r);
  CHECK_REL(r.totals.counters[OUT_COST_USD],
            99 * 1.5 * 0.0000025 + 1 * (0.000024 + 0.5 * 0.0000025) + 0.4e-6, 1e-9,
            "idle min instance: idle rate while idle, active rate while serving, by hand");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 0, "a warm min instance is no launch");
  run_free(&r);
}

/* --- the Cloud Run autoscaler ----------------------------------------------------------------- */

static void test_autoscaler_decisions(void) {
  /* 20 req/s of 3 s off-CPU work: about 60 in flight, so the concurrency driver
   * asks for ceil(60 / (80 x 0.6)) = 2 instances. */
  const size_t n = 20 * 600;
  wl_request *reqs = calloc(n, sizeof *reqs);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 99);
  double t = 0;
  for (size_t i = 0; i < n; i++) {
    t += gsl_ran_exponential(rng, 1.0 / 20);
    reqs[i] = (wl_request){.arrival_s = t, .wait_s = 3};
  }
  gsl_rng_free(rng);
  crun_cfg c = base_cfg();
  set_startup(&c, 0, 1);
  run r;
  run_open(&r, &c, reqs, n);
  run_until(&r, 300);
  CHECK_ABS(gauge(&r, OUT_DESIRED), 2, 0, "concurrency driver: desired 2 in steady state");
  run_until(&r, 2000);
  CHECK_ABS(gauge(&r, OUT_DESIRED), 0, 0, "desired 0 once the traffic is over");
  run_close(&r);
  CHECK_CONTAINS(r.decisions, "\"cloudrun\",\"evaluation\",\"concurrency\"",
                 "decisions.csv logs the concurrency driver's evaluations");
  CHECK(r.totals.counters[OUT_DECISIONS] >= 2, "decisions counted");
  CHECK_INT((int)r.totals.counters[OUT_ERR_429], 0, "no 429 at this load");
  run_free(&r);
  free(reqs);
}

/* --- scale-in after a surge ------------------------------------------------------------------- */

/* Evenly spaced requests of d s off the CPU: `high` req/s until the step at
 * T, then `low` req/s until `end`. */
static wl_request *step_load(double high, double low, double step_s, double end_s, double d,
                             size_t *n) {
  size_t n_high = (size_t)(high * step_s), n_low = (size_t)(low * (end_s - step_s));
  wl_request *reqs = calloc(n_high + n_low, sizeof *reqs);
  for (size_t i = 0; i < n_high; i++) reqs[i] = (wl_request){.arrival_s = i / high, .wait_s = d};
  for (size_t j = 0; j < n_low; j++)
    reqs[n_high + j] = (wl_request){.arrival_s = step_s + j / low, .wait_s = d};
  *n = n_high + n_low;
  return reqs;
}

/* A step from 400 to 20 req/s of 1 s (off the CPU, so only the concurrency
 * driver counts) at T = 1200 s: ceil(400 / (80 x 60%)) = 9 instances desired
 * before the step, ceil(20 / 48) = 1 after. The on-demand starts of the first
 * seconds overshoot the 9; under drain_excess the extra ones are excess from
 * the first evaluations on and are gone by T > R + a minute. The bound after
 * the step, derived: once the in-flight count has
 * dropped (by T + d) the one-minute average only falls, so the desired count
 * reaches its final value at an evaluation t_f <= T + d + W + P (the first
 * evaluation whose window lies after T + d). Under drain_excess an instance
 * demoted at an evaluation t_e gets no new request (20 in flight never fill
 * the needed instance, so nothing overflows), finishes those it holds by
 * t_e + d, and is stopped idle_retention R after that: every excess
 * instance is gone by t_f + d + R, and the last one demoted (at t_f, still
 * holding requests then) not before t_f + R. Under idle_only the least-loaded
 * router spreads the 20 requests in flight over all 9, none goes idle, and
 * all instances stay. */
static void test_scale_in_after_surge(int scale_in) {
  const double high = 400, low = 20, d = 1, step_s = 1200;
  const double W = 60, P = 5, R = 900, end_s = step_s + d + W + P + R + d + 100;
  const double per_instance = 80 * 0.6;
  size_t n;
  wl_request *reqs = step_load(high, low, step_s, end_s, d, &n);
  crun_cfg c = base_cfg();
  c.scaling.scale_in = scale_in;
  set_startup(&c, 0.3, 1);
  SIM_ASSERT(c.scaling.idle_retention_s == R && c.scaling.metrics_window_s == W &&
             c.scaling.eval_period_s == P);
  const char *mode = crun_scale_in_names[scale_in];
  run r;
  run_open(&r, &c, reqs, n);
  run_until(&r, step_s);
  double before = ceil(high * d / per_instance), after = ceil(low * d / per_instance);
  CHECK_ABS(gauge(&r, OUT_DESIRED), before, 0, "%s: desired %g before the step", mode, before);
  double peak = instances(&r);
  if (scale_in == CRUN_SCALE_IN_DRAIN_EXCESS)
    CHECK_ABS(peak, before, 0, "%s: %g instances before the step", mode, before);
  else
    CHECK(peak > before, "%s: the on-demand overshoot (%g) kept before the step", mode, peak);
  /* The last evaluation that changed the desired count. */
  double t_f = step_s, last = gauge(&r, OUT_DESIRED);
  for (double t = step_s + P; t <= step_s + d + W + 2 * P; t += P) {
    run_until(&r, t);
    if (gauge(&r, OUT_DESIRED) != last) t_f = t;
    last = gauge(&r, OUT_DESIRED);
  }
  CHECK_ABS(last, after, 0, "%s: desired %g after the step", mode, after);
  CHECK(t_f > step_s && t_f <= step_s + d + W + P,
        "%s: desired settled at %g s, within T + d + W + P", mode, t_f);
  if (scale_in == CRUN_SCALE_IN_DRAIN_EXCESS) {
    run_until(&r, t_f + R - 1e-6);
    CHECK(instances(&r) > after, "%s: the last demoted instance is kept until t_f + R", mode);
    run_until(&r, t_f + d + R);
    CHECK_ABS(instances(&r), after, 0, "%s: back to %g instance by t_f + d + R", mode, after);
  }
  run_until(&r, end_s);
  double final = instances(&r);
  CHECK_ABS(final, scale_in == CRUN_SCALE_IN_DRAIN_EXCESS ? after : peak, 0,
            "%s: instances at the end", mode);
  run_close(&r);
  CHECK_INT((long)r.totals.counters[OUT_COMPLETIONS], (long)n - (long)r.totals.unfinished,
            "%s: every request served", mode);
  CHECK_INT((long)r.totals.counters[OUT_INSTANCE_STOPS],
            (long)(r.totals.counters[OUT_INSTANCE_STARTS] - final),
            "%s: instance stops", mode);
  run_free(&r);
  free(reqs);
}

/* Needed instance A (min_instances 1, no metrics-based scaling, concurrency
 * 2), idle retention 200 s, startup 1 s. r1, r2 fill A at 0 for 100 s; r3 at
 * 1 pends and starts B on demand (ready at 2, done at 3); r4 at 10 finds A
 * full and overflows to B at once (no pending, no start). At 101 r5 (50 s)
 * goes to A (both empty: the needed one, and the lowest id); r6 at 102 goes
 * to A under drain_excess (A has room) but to B under idle_only (least
 * loaded). So B, idle since 11, stops at 211 under drain_excess, and at
 * 103 + 200 = 303 under idle_only. */
static void test_overflow_to_excess(int scale_in) {
  crun_cfg c = base_cfg();
  c.scaling.scale_in = scale_in;
  c.scaling.min_instances = 1;
  c.scaling.concurrency_target_pct = 0;
  c.scaling.cpu_target_pct = 0;
  c.scaling.idle_retention_s = 200;
  c.instance.max_concurrency = 2;
  set_startup(&c, 0, 1);
  wl_request reqs[] = {{.arrival_s = 0, .wait_s = 100}, {.arrival_s = 0, .wait_s = 100},
                       {.arrival_s = 1, .wait_s = 1},   {.arrival_s = 10, .wait_s = 1},
                       {.arrival_s = 101, .wait_s = 50}, {.arrival_s = 102, .wait_s = 1}};
  const char *mode = crun_scale_in_names[scale_in];
  double stop_s = scale_in == CRUN_SCALE_IN_DRAIN_EXCESS ? 211 : 303;
  run r;
  run_open(&r, &c, reqs, 6);
  run_until(&r, 10);
  CHECK_ABS(gauge(&r, OUT_QUEUED), 0, 0, "%s: the request at 10 s overflowed to B at once", mode);
  run_until(&r, stop_s - 1e-6);
  CHECK_ABS(instances(&r), 2, 0, "%s: B kept until %g s", mode, stop_s);
  run_until(&r, stop_s);
  CHECK_ABS(instances(&r), 1, 0, "%s: B stopped at %g s", mode, stop_s);
  run_until(&r, 400);
  run_close(&r);
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 1, "%s: B is the only start", mode);
  CHECK_INT((int)r.totals.counters[OUT_COLD_REQUESTS], 1, "%s: only r3 waited cold", mode);
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 6, "%s: all six served", mode);
  run_free(&r);
}

/* --- the KPA ------------------------------------------------------------------------------------- */

static void test_kpa_zero(void) {
  crun_cfg c = base_cfg();
  c.scaling.autoscaler = CRUN_AUTOSCALER_KPA;
  set_startup(&c, 0, 1);
  wl_request reqs[] = {{.arrival_s = 200, .wait_s = 5}};
  run r;
  run_open(&r, &c, reqs, 1);
  run_until(&r, 0.5);
  CHECK_ABS(gauge(&r, OUT_STARTING), 1, 0, "KPA: the revision starts with initial-scale 1 pod");
  run_until(&r, 60);
  CHECK_ABS(instances(&r), 1, 0, "KPA: kept while Active for less than the stable window");
  run_until(&r, 66);
  CHECK_ABS(instances(&r), 0, 0, "KPA: scaled to zero a stable window after becoming Active");
  run_until(&r, 201.5);
  CHECK_ABS(instances(&r), 1, 0, "KPA: the activator's poke scaled from zero at once");
  /* The request ends at 206; the stable window empties about 60 s later. */
  run_until(&r, 206 + 58);
  CHECK_ABS(instances(&r), 1, 0, "KPA: still one pod within the stable window");
  run_until(&r, 206 + 66);
  CHECK_ABS(instances(&r), 0, 0, "KPA: back to zero about a stable window after the request");
  run_until(&r, 400);
  run_close(&r);
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 1, "KPA: the request completed");
  CHECK_INT((int)r.totals.counters[OUT_COLD_REQUESTS], 1, "KPA: it waited for a cold pod");
  CHECK_ABS(r.totals.counters[OUT_COLD_WAIT_S], 1, 1e-9, "KPA: cold wait = 1 s startup");
  CHECK_INT((int)r.totals.counters[OUT_INSTANCE_STARTS], 2, "KPA: initial pod + scale from zero");
  CHECK_CONTAINS(r.decisions, "\"kpa\",\"tick\",\"concurrency\"", "decisions.csv logs KPA ticks");
  run_free(&r);
}

/* Scale from zero under a burst, containerConcurrency 1 (TargetValue 0.7):
 * 5 requests at 200.5 s reach the activator, which creates the revision's
 * stats entry then (concurrency_reporter.go): the immediate stat {1} goes
 * into bucket 200 and pokes the decider (2 pods), and the report at 201
 * averages the 5 requests over the 0.5 s since the entry was created, 5,
 * minus the 1 already sent: 4 in bucket 201. The tick at 202 sees a stable
 * average of (1 + 4) / 2 = 2.5 -> ceil(2.5 / 0.7) = 4 pods, all still
 * starting (3 s startup). */
static void test_kpa_burst_from_zero(void) {
  crun_cfg c = base_cfg();
  c.scaling.autoscaler = CRUN_AUTOSCALER_KPA;
  c.instance.max_concurrency = 1;
  set_startup(&c, 0, 3);
  wl_request reqs[5];
  for (int i = 0; i < 5; i++) reqs[i] = (wl_request){.arrival_s = 200.5, .wait_s = 100};
  run r;
  run_open(&r, &c, reqs, 5);
  run_until(&r, 199);
  CHECK_ABS(instances(&r), 0, 0, "KPA burst: scaled to zero before the burst");
  run_until(&r, 201.5);
  CHECK_ABS(gauge(&r, OUT_STARTING), 2, 0, "KPA burst: the poke asks for ceil(1 / 0.7) = 2");
  run_until(&r, 202.5);
  CHECK_ABS(gauge(&r, OUT_STARTING), 4, 0,
            "KPA burst: the first activator report covers the 0.5 s in use: 4 pods at 202 s");
  run_until(&r, 400);
  run_close(&r);
  CHECK_CONTAINS(r.decisions, "stable 2.500", "KPA burst: the 202 s tick saw a stable 2.5");
  CHECK_INT((int)r.totals.counters[OUT_COMPLETIONS], 5, "KPA burst: all five served");
  run_free(&r);
}

int main(void) {
  check_init();
  test_scale_per_request();
  test_burst_429(CRUN_PENDING_CURRENT, 10);
  test_burst_429(CRUN_PENDING_60S, 60);
  test_timeout_504();
  test_scale_to_zero();
  test_billing();
  test_idle_min_billing();
  test_autoscaler_decisions();
  test_scale_in_after_surge(CRUN_SCALE_IN_DRAIN_EXCESS);
  test_scale_in_after_surge(CRUN_SCALE_IN_IDLE_ONLY);
  test_overflow_to_excess(CRUN_SCALE_IN_DRAIN_EXCESS);
  test_overflow_to_excess(CRUN_SCALE_IN_IDLE_ONLY);
  test_kpa_zero();
  test_kpa_burst_from_zero();
  return check_done();
}

/* kpa_driver.c — runs the Knative Pod Autoscaler on a Cloud Run service
 * model (`scaling.autoscaler: kpa`; spec cloudrun.md Part B), wiring the pure
 * pieces (kpa_stats.h, kpa.h, kpa_pa.h) to the simulated revision:
 *
 *   every 1 s (scrapeTickInterval): the scraper samples n of the N ready pods'
 *     queue-proxy reports — pods at least a stable window old first, in random
 *     order — and records the extrapolated revision total; the activator
 *     reports its own concurrency (requests it buffers and proxies);
 *   the first request the activator sees for the revision (no stats entry)
 *     sends an immediate stat {1 request} and pokes the decider, which ticks at
 *     once when the desired scale is 0 (scale from zero);
 *   every 2 s (tickInterval): the decider; a changed desired scale or a
 *     changed sign of the excess burst capacity reconciles the PodAutoscaler;
 *   the PA reconcile applies bounds and the scale-to-zero gating, sets the
 *     deployment's replicas, puts the activator in or out of the path (SKS
 *     mode) and updates the Active condition; it runs again when it asked to
 *     be requeued, when its state or the SKS mode changed, and when the ready
 *     pods change (endpoints).
 * Deployment scale-down removes not-ready pods first, then the most recently
 * ready (Kubernetes ReplicaSet ranking); removed pods drain their requests.
 * The activator's stats entry is created at a revision's first request and
 * dropped after a report with no concurrency (pkg/activator/handler/
 * concurrency_reporter.go). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>

#include "models/cloudrun/kpa.h"
#include "models/cloudrun/kpa_pa.h"
#include "models/cloudrun/service.h"
#include "sim/rng.h"

/* pkg/reconciler/autoscaling/kpa/scaler.go: probePeriod. */
static const double probe_period_s = 1.0;

struct kpa_driver {
  crun_service *svc;
  kpa_decider_spec spec;
  kpa_decider *dec;
  kpa_collector *col;
  kpa_pa pa;
  kpa_pa_cfg pacfg;
  bool scrape_target;  /* pods are scraped (TBC != -1) */
  double stable_window_s;
  kpa_reporter act;    /* the activator's stats for the revision */
  bool act_tracked;    /* the activator has a stats entry for the revision */
  double act_sub;      /* the immediate stat's request, taken off the next report */
  int desired;         /* the decider's DesiredScale */
  int ebc;             /* its ExcessBurstCapacity */
  int replicas;        /* the deployment's spec.replicas */
  gsl_rng *rng;        /* scrape sampling */
  crun_pod **scratch;
  int scratch_cap;
  sim_handle scrape_timer, tick_timer, requeue_timer, soon_timer;
  double requeue_at_s;
  char reason[256];    /* the decision log borrows it */
};

static double now(const kpa_driver *k) { return crun_now(k->svc); }

/* --- the deployment ----------------------------------------------------------- */

/* The pod a ReplicaSet removes first: not ready before ready, then the newest
 * (created, or ready, most recently). */
static crun_pod *pick_victim(const crun_service *s) {
  crun_pod *best = NULL;
  for (int i = 0; i < s->n_pods; i++) {
    crun_pod *p = s->pods[i];
    if (p->terminating) continue;
    bool starting = inst_get_state(p->inst) == INST_STARTING;
    if (!best) {
      best = p;
      continue;
    }
    bool best_starting = inst_get_state(best->inst) == INST_STARTING;
    if (starting != best_starting) {
      if (starting) best = p;
    } else if (starting ? p->created_s > best->created_s : p->ready_s > best->ready_s) {
      best = p;
    }
  }
  return best;
}

static void set_replicas(kpa_driver *k, int n) {
  crun_service *s = k->svc;
  k->replicas = n;
  out_gauge_set(s->rec, now(k), OUT_DESIRED, n);
  int alive = crun_alive(s);
  for (; alive < n; alive++) crun_start_pod(s);
  for (; alive > n; alive--) crun_stop_pod(s, pick_victim(s));
}

/* --- reconciles ---------------------------------------------------------------- */

static void reconcile(kpa_driver *k);

static void on_requeue(sim_engine *eng, void *arg) {
  kpa_driver *k = arg;
  k->requeue_timer = SIM_NO_HANDLE;
  reconcile(k);
}

static void on_soon(sim_engine *eng, void *arg) {
  kpa_driver *k = arg;
  k->soon_timer = SIM_NO_HANDLE;
  reconcile(k);
}

/* workqueue AddAfter: an earlier pending requeue wins. */
static void requeue(kpa_driver *k, double at_s) {
  sim_engine *eng = k->svc->eng;
  if (sim_pending(eng, k->requeue_timer)) {
    if (k->requeue_at_s <= at_s) return;
    sim_cancel(eng, k->requeue_timer);
  }
  k->requeue_timer = sim_schedule(eng, at_s, on_requeue, k);
  k->requeue_at_s = at_s;
}

/* A reconcile as soon as the current event is done. */
static void reconcile_soon(kpa_driver *k) {
  sim_engine *eng = k->svc->eng;
  if (!sim_pending(eng, k->soon_timer)) k->soon_timer = sim_schedule(eng, sim_now(eng), on_soon, k);
}

/* kpa.go ReconcileKind: scale, SKS mode, Active condition. */
static void reconcile(kpa_driver *k) {
  crun_service *s = k->svc;
  double t = now(k);
  kpa_pa_state old_state = k->pa.state;
  kpa_sks_mode old_mode = k->pa.sks_mode;
  kpa_pa_decision d = kpa_pa_scale(&k->pa, &k->pacfg, t, k->desired, k->replicas, true,
                                   k->pa.sks_mode == KPA_SKS_PROXY);
  if (d.apply) set_replicas(k, d.want);
  if (d.requeue_after_s > 0) requeue(k, t + d.requeue_after_s);
  if (d.probe_started) requeue(k, t + probe_period_s); /* the async probe succeeds */
  kpa_pa_set_sks_mode(&k->pa, kpa_pa_sks_mode(&k->pa, d.want, k->ebc), t);
  kpa_pa_compute_active(&k->pa, &k->pacfg, t, d.want, s->n_ready, true);
  if (k->pa.state != old_state || k->pa.sks_mode != old_mode) reconcile_soon(k);
}

void kpa_driver_on_endpoints(crun_service *s) { reconcile_soon(s->kpa); }

/* The ReplicaSet controller keeps the deployment's replicas running: pods
 * lost to a fault are recreated at once ("A ReplicaSet's purpose is to
 * maintain a stable set of replica Pods running at any given time",
 * https://kubernetes.io/docs/concepts/workloads/controllers/replicaset/);
 * the KPA sees the endpoints change. */
void kpa_driver_on_lost(crun_service *s) {
  kpa_driver *k = s->kpa;
  for (int alive = crun_alive(s); alive < k->replicas; alive++) crun_start_pod(s);
  reconcile_soon(k);
}

/* --- the decider ------------------------------------------------------------------ */

static void log_decision(kpa_driver *k, const kpa_scale_result *r) {
  crun_service *s = k->svc;
  snprintf(k->reason, sizeof k->reason,
           "stable %.3f panic %.3f target %.3f -> stable %d panic %d; ready %d, ebc %d%s",
           r->stable, r->panic, k->spec.target_value, r->desired_stable, r->desired_panic,
           s->n_ready, r->ebc, r->panicking ? ", panicking" : "");
  out_decision dd = {.source = "kpa",
                     .event = "tick",
                     .metric = k->spec.metric == KPA_METRIC_RPS ? "rps" : "concurrency",
                     .value = r->stable,
                     .old_desired = k->desired < 0 ? NAN : k->desired,
                     .new_desired = r->desired,
                     .status = r->panicking ? "panic" : "stable",
                     .reason = k->reason};
  double t = now(k);
  out_decide(s->rec, t, &dd);
  out_count(s->rec, t, OUT_DECISIONS, 1);
}

/* One decider tick (autoscaler.Scale) and multiscaler.updateLatestScale. */
static void decide(kpa_driver *k) {
  crun_service *s = k->svc;
  double t = now(k), stable = 0, panic = 0;
  bool ok = kpa_collector_stable_and_panic(k->col, t, k->spec.metric, &stable, &panic);
  kpa_scale_result r = kpa_decider_scale(k->dec, t, s->n_ready, stable, panic, ok);
  if (!r.valid) return;
  bool changed = r.desired != k->desired || (r.ebc < 0) != (k->ebc < 0);
  if (r.desired != k->desired) log_decision(k, &r);
  k->desired = r.desired;
  k->ebc = r.ebc;
  if (changed) reconcile(k);
}

static void on_tick(sim_engine *eng, void *arg) {
  kpa_driver *k = arg;
  decide(k);
  k->tick_timer = sim_schedule(eng, sim_now(eng) + KPA_TICK_INTERVAL_S, on_tick, k);
}

static void poke(kpa_driver *k, double concurrency) {
  if (kpa_poke_ticks_now(k->desired, concurrency)) decide(k);
}

/* --- metrics ------------------------------------------------------------------------ */

static void swap(crun_pod **a, crun_pod **b) {
  crun_pod *t = *a;
  *a = *b;
  *b = t;
}

/* Moves `want` pods chosen uniformly at random from v[from..n) to v[from..). */
static void choose(gsl_rng *rng, crun_pod **v, int from, int n, int want) {
  for (int i = from; i < from + want; i++)
    swap(&v[i], &v[i + (int)gsl_rng_uniform_int(rng, (unsigned long)(n - i))]);
}

/* stats_scraper.go scrapePods: old pods (age >= the stable window) shuffled
 * first, young ones only to fill the sample; the stat is the sample mean
 * times the ready count. */
static void scrape_pods(kpa_driver *k, double t) {
  crun_service *s = k->svc;
  if (k->scratch_cap < s->n_pods) {
    k->scratch_cap = s->n_pods * 2;
    k->scratch = sim_xrealloc(k->scratch, (size_t)k->scratch_cap * sizeof *k->scratch);
  }
  int n_old = 0, n = 0;
  for (int i = 0; i < s->n_pods; i++) {
    crun_pod *p = s->pods[i];
    if (inst_get_state(p->inst) != INST_READY || p->terminating) continue;
    k->scratch[n++] = p;
    if (t - p->created_s >= k->stable_window_s) swap(&k->scratch[n_old++], &k->scratch[n - 1]);
  }
  if (n == 0) return;
  int sample = kpa_scrape_sample_size(n);
  int from_old = sample < n_old ? sample : n_old;
  choose(k->rng, k->scratch, 0, n_old, from_old);
  if (sample > from_old) choose(k->rng, k->scratch, n_old, n, sample - from_old);
  kpa_stat sum = {0};
  for (int i = 0; i < sample; i++) {
    crun_pod *p = k->scratch[i < from_old ? i : n_old + (i - from_old)];
    kpa_stat one = kpa_reporter_report(&p->qp, t);
    kpa_stat_add(&sum, &one);
  }
  kpa_stat total = kpa_stat_extrapolate(&sum, sample, n);
  kpa_collector_record(k->col, t, &total);
}

/* The activator's periodic report, net of an immediate stat already sent
 * (concurrency_reporter.go computeReport). A period without any concurrency
 * drops the revision's stats entry, so the next request sends an immediate
 * stat again. */
static void report_activator(kpa_driver *k, double t) {
  if (!k->act_tracked) return;
  kpa_stat st = kpa_reporter_report(&k->act, t);
  if (st.avg_concurrency == 0) k->act_tracked = false;
  st.avg_concurrency = fmax(0, st.avg_concurrency - k->act_sub);
  st.request_count = fmax(0, st.request_count - k->act_sub);
  k->act_sub = 0;
  kpa_collector_record(k->col, t, &st);
  poke(k, st.avg_concurrency);
}

static void on_scrape(sim_engine *eng, void *arg) {
  kpa_driver *k = arg;
  double t = sim_now(eng);
  if (k->scrape_target) scrape_pods(k, t);
  report_activator(k, t);
  k->scrape_timer = sim_schedule(eng, t + KPA_REPORT_PERIOD_S, on_scrape, k);
}

/* The immediate stat of a revision's first request reaches the autoscaler. */
static void on_first_stat(sim_engine *eng, void *arg) {
  kpa_driver *k = arg;
  kpa_stat st = {.avg_concurrency = 1, .request_count = 1};
  kpa_collector_record(k->col, sim_now(eng), &st);
  poke(k, st.avg_concurrency);
}

/* --- the activator ------------------------------------------------------------------------ */

bool kpa_driver_via_activator(const kpa_driver *k) {
  return k->pa.sks_mode == KPA_SKS_PROXY || k->svc->n_ready == 0;
}

void kpa_driver_activator_in(crun_service *s) {
  kpa_driver *k = s->kpa;
  double t = now(k);
  if (!k->act_tracked) {
    /* getOrCreateStat: a new entry, whose RequestStats start now. */
    k->act_tracked = true;
    k->act_sub = 1;
    kpa_reporter_restart(&k->act, t);
    sim_schedule(s->eng, t, on_first_stat, k);
  }
  kpa_reporter_in(&k->act, t, false);
}

void kpa_driver_activator_out(crun_service *s) {
  kpa_driver *k = s->kpa;
  if (k) kpa_reporter_out(&k->act, now(k), false);
}

/* --- life ------------------------------------------------------------------------------------ */

kpa_driver *kpa_driver_alloc(crun_service *s, uint64_t seed, const char *name, sim_error *err) {
  const kpa_config *c = &s->cfg.kpa;
  kpa_driver *k = sim_xcalloc(1, sizeof *k);
  double t = crun_now(s);
  char stream[256];
  snprintf(stream, sizeof stream, "%s/kpa-scrape", name);
  k->rng = sim_rng_alloc(seed, stream);
  if (!k->rng) {
    sim_errorf(err, SIM_EFAIL, "cloudrun: cannot allocate the KPA's random stream");
    free(k);
    return NULL;
  }
  k->svc = s;
  s->kpa = k;
  k->spec = kpa_decider_spec_make(c, s->cfg.instance.max_concurrency, true);
  k->stable_window_s = c->stable_window_s;
  k->scrape_target = c->target_burst_capacity != -1;
  k->col = kpa_collector_alloc((int)c->stable_window_s,
                               (int)kpa_panic_window_s(c->stable_window_s, c->panic_window_pct),
                               (kpa_window_algo)c->aggregation, k->scrape_target);
  k->dec = kpa_decider_alloc(&k->spec, t, 0);
  k->pacfg = (kpa_pa_cfg){.enable_scale_to_zero = c->enable_scale_to_zero,
                          .stable_window_s = c->stable_window_s,
                          .grace_period_s = c->scale_to_zero_grace_period_s,
                          .pod_retention_s = c->scale_to_zero_pod_retention_period_s,
                          .activation_timeout_s = kpa_activation_timeout_s(c),
                          .min_scale = s->cfg.scaling.min_instances,
                          .max_scale = s->cfg.scaling.max_instances,
                          .initial_scale = c->initial_scale,
                          .target_burst_capacity = c->target_burst_capacity};
  kpa_pa_init(&k->pa, t);
  kpa_reporter_init(&k->act, t);
  k->desired = KPA_SCALE_UNKNOWN;
  k->ebc = kpa_initial_ebc(&k->spec);
  /* The revision's deployment starts with the initial scale (at least
   * min-scale, at most max-scale). */
  int initial = c->initial_scale > k->pacfg.min_scale ? c->initial_scale : k->pacfg.min_scale;
  if (initial > k->pacfg.max_scale) initial = k->pacfg.max_scale;
  set_replicas(k, initial);
  reconcile_soon(k);
  k->scrape_timer = sim_schedule(s->eng, t + KPA_REPORT_PERIOD_S, on_scrape, k);
  k->tick_timer = sim_schedule(s->eng, t + KPA_TICK_INTERVAL_S, on_tick, k);
  return k;
}

/* Frees the driver without touching the engine (the run is over). */
void kpa_driver_free(kpa_driver *k) {
  if (!k) return;
  kpa_decider_free(k->dec);
  kpa_collector_free(k->col);
  gsl_rng_free(k->rng);
  free(k->scratch);
  free(k);
}

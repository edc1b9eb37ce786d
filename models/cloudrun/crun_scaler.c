/* crun_scaler.c — Cloud Run's autoscaling of a service (spec cloudrun.md
 * §A.2, §A.7): metrics-based evaluations, on-demand starts and idle
 * retention, driving the service through service.h.
 *
 *   every eval_period: the CPU and concurrency drivers recommend a count
 *     (autoscaler.h); instances are started up to it; a change of the desired
 *     count goes to the decision log;
 *   on demand: a request that pends when no starting instance will have room
 *     for it starts an instance at once, up to max_instances [derived];
 *   idle retention: "Cloud Run might keep instances idle for a period of time
 *     after they finish handling requests (up to 15 minutes)": an instance
 *     idle that long is stopped unless it is needed for min_instances or the
 *     desired count. Idle instances sit in a list ordered by when they went
 *     idle, with one timer for the longest idle: O(1) per request;
 *   scale-in (scaling.scale_in [derived]): under drain_excess the service
 *     routes to the first max(min_instances, desired) ready instances first
 *     (crun_set_needed), so those beyond the need go idle and meet the idle
 *     retention rule; under idle_only every ready instance is routed alike. */
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "models/cloudrun/autoscaler.h"
#include "models/cloudrun/service.h"

struct crun_scaler {
  crun_service *svc;
  crun_autoscaler *as;
  sim_handle eval_timer;
  int desired;
  crun_pod *idle_head, *idle_tail; /* ready pods without requests, oldest idle first */
  sim_handle idle_timer;
  double idle_timer_at_s;
  char reason[256]; /* the decision log borrows it */
};

/* Instances the service keeps even when idle. */
static int floor_count(const crun_scaler *c) {
  int min = c->svc->cfg.scaling.min_instances;
  return c->desired > min ? c->desired : min;
}

/* Ready instances that take requests first (crun_set_needed). */
static int needed_count(const crun_scaler *c) {
  if (c->svc->cfg.scaling.scale_in == CRUN_SCALE_IN_IDLE_ONLY) return INT_MAX;
  return floor_count(c);
}

static double expiry_s(const crun_scaler *c, const crun_pod *p) {
  return p->idle_since_s + c->svc->cfg.scaling.idle_retention_s;
}

static void on_idle_timer(sim_engine *eng, void *arg);

/* Keeps a timer at the longest-idle pod's expiry while stopping it is
 * possible; an expired pod that is still needed waits for the next
 * evaluation, which may lower the need. */
static void arm_idle(crun_scaler *c) {
  crun_service *s = c->svc;
  if (!c->idle_head || crun_alive(s) <= floor_count(c)) return;
  double at = fmax(expiry_s(c, c->idle_head), crun_now(s));
  if (sim_pending(s->eng, c->idle_timer)) {
    if (c->idle_timer_at_s <= at) return;
    sim_cancel(s->eng, c->idle_timer);
  }
  c->idle_timer = sim_schedule(s->eng, at, on_idle_timer, c);
  c->idle_timer_at_s = at;
}

/* Stops the instances idle for the retention time, longest idle first, while
 * more than the needed count exist. */
static void trim_idle(crun_scaler *c) {
  crun_service *s = c->svc;
  double t = crun_now(s);
  while (c->idle_head && expiry_s(c, c->idle_head) <= t && crun_alive(s) > floor_count(c))
    crun_stop_pod(s, c->idle_head); /* unlinks it through crun_scaler_on_gone */
  arm_idle(c);
}

static void on_idle_timer(sim_engine *eng, void *arg) {
  crun_scaler *c = arg;
  c->idle_timer = SIM_NO_HANDLE;
  trim_idle(c);
}

static void unlink_idle(crun_scaler *c, crun_pod *p) {
  if (p->idle_prev) p->idle_prev->idle_next = p->idle_next;
  else c->idle_head = p->idle_next;
  if (p->idle_next) p->idle_next->idle_prev = p->idle_prev;
  else c->idle_tail = p->idle_prev;
  p->idle_next = p->idle_prev = NULL;
  p->idle = false;
}

void crun_scaler_on_idle(crun_service *s, crun_pod *p) {
  crun_scaler *c = s->scaler;
  p->idle = true;
  p->idle_since_s = crun_now(s);
  p->idle_next = NULL;
  p->idle_prev = c->idle_tail;
  if (c->idle_tail) c->idle_tail->idle_next = p;
  else c->idle_head = p;
  c->idle_tail = p;
  if (c->idle_head == p) arm_idle(c);
}

void crun_scaler_on_busy(crun_service *s, crun_pod *p) { unlink_idle(s->scaler, p); }

void crun_scaler_on_gone(crun_service *s, crun_pod *p) {
  if (p->idle) unlink_idle(s->scaler, p);
}

void crun_scaler_on_pending(crun_service *s) {
  const crun_cfg *cfg = &s->cfg;
  if (!cfg->scaling.on_demand) return;
  /* Start instances until the starting ones will have room for every pending
   * request. */
  size_t room = (size_t)s->n_starting * (size_t)cfg->instance.max_concurrency;
  while (crun_pending_len(s->pending) > room && crun_alive(s) < cfg->scaling.max_instances) {
    crun_start_pod(s);
    room += (size_t)cfg->instance.max_concurrency;
  }
}

/* Logs an evaluation that changed the desired count. */
static void log_decision(crun_scaler *c, const crun_recommendation *r) {
  crun_service *s = c->svc;
  bool cpu = r->n_cpu > r->n_concurrency;
  snprintf(c->reason, sizeof c->reason,
           "%s: concurrency %.3f over %gs -> %d, cpu %.3f vCPU -> %d, bounds [%d, %d]",
           r->reason, r->concurrency_avg, r->window_s, r->n_concurrency, r->cpu_avg, r->n_cpu,
           s->cfg.scaling.min_instances, s->cfg.scaling.max_instances);
  out_decision d = {.source = "cloudrun",
                    .event = "evaluation",
                    .metric = cpu ? "cpu" : "concurrency",
                    .value = cpu ? r->cpu_avg : r->concurrency_avg,
                    .old_desired = c->desired,
                    .new_desired = r->desired,
                    .status = "Successful",
                    .reason = c->reason};
  double t = crun_now(s);
  out_decide(s->rec, t, &d);
  out_count(s->rec, t, OUT_DECISIONS, 1);
  out_gauge_set(s->rec, t, OUT_DESIRED, r->desired);
}

static void on_eval(sim_engine *eng, void *arg) {
  crun_scaler *c = arg;
  crun_service *s = c->svc;
  double t = sim_now(eng);
  crun_recommendation r =
      crun_autoscaler_evaluate(c->as, t, crun_on_pods_integral(s), crun_cpu_seconds(s));
  if (r.desired != c->desired) {
    log_decision(c, &r);
    c->desired = r.desired;
    crun_set_needed(s, needed_count(c));
  }
  for (int alive = crun_alive(s); alive < c->desired; alive++) crun_start_pod(s);
  trim_idle(c);
  c->eval_timer = sim_schedule(eng, t + s->cfg.scaling.eval_period_s, on_eval, c);
}

crun_scaler *crun_scaler_alloc(crun_service *s) {
  const crun_cfg *cfg = &s->cfg;
  crun_scaler *c = sim_xcalloc(1, sizeof *c);
  c->svc = s;
  crun_autoscaler_cfg acfg = {.concurrency_target = cfg->scaling.concurrency_target_pct / 100,
                              .cpu_target = cfg->scaling.cpu_target_pct / 100,
                              .window_s = cfg->scaling.metrics_window_s,
                              .eval_period_s = cfg->scaling.eval_period_s,
                              .max_concurrency = cfg->instance.max_concurrency,
                              .vcpu = cfg->instance.vcpu,
                              .min_instances = cfg->scaling.min_instances,
                              .max_instances = cfg->scaling.max_instances};
  double t = crun_now(s);
  c->as = crun_autoscaler_alloc(&acfg, t, crun_on_pods_integral(s), crun_cpu_seconds(s));
  c->desired = cfg->scaling.min_instances;
  crun_set_needed(s, needed_count(c)); /* before the min instances are made */
  out_gauge_set(s->rec, t, OUT_DESIRED, c->desired);
  c->eval_timer = sim_schedule(s->eng, t + cfg->scaling.eval_period_s, on_eval, c);
  return c;
}

/* Frees the scaler without touching the engine (the run is over). */
void crun_scaler_free(crun_scaler *c) {
  if (!c) return;
  crun_autoscaler_free(c->as);
  free(c);
}

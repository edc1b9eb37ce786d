/* service.c — the `cloudrun` platform (see cloudrun.h): requests, instances
 * ("pods"), routing, the pending queue, request timeouts and billing. The
 * autoscalers live in crun_scaler.c (Cloud Run) and kpa_driver.c (Knative).
 *
 * Request path (spec cloudrun.md §A.2, §A.3, §A.7): an arriving request goes
 * to a ready instance with a free concurrency slot, chosen by `routing` among
 * the ready instances with room (a router whose members are exactly those, so
 * the choice is O(log n)); otherwise it pends in the service's FIFO, which a
 * freed slot or a newly ready instance drains, and fails with 429 when its
 * pending limit expires. With `scale_in: drain_excess` the ready instances
 * are split into the needed ones (the first max(min, desired) to become
 * ready) and the excess: two routers, the excess one picked from only when
 * every needed instance is full, so excess instances drain, go idle and are
 * stopped after the idle retention (§A.2, §A.7 scale-in [derived]).
 *
 * Under the KPA the same FIFO is the activator's buffer (SKS Proxy mode); in
 * Serve mode requests go straight to a pod, whose queue-proxy queues up to
 * 10 x containerConcurrency (§B.6). Under the KPA one router holds every ready
 * pod by load (an instance sits in one router), so both the activator and the
 * ingress pick the least loaded pod; the KPA removes pods itself (§B.7), so
 * there is no needed/excess split.
 *
 * Every request has the same timeout, so the requests in arrival order are in
 * deadline order: one timer for the oldest fails it with 504 (O(1) per
 * request); the instance that served it is not terminated (§A.1).
 *
 * Instances start cold (§A.4): platform delay plus application init on the
 * (boosted) CPU; the startup CPU boost lasts until 10 s after the instance is
 * ready. Stopping sends SIGTERM: the instance leaves routing, finishes what it
 * holds, exits after its shutdown time (SIGKILL at the grace period), and is
 * billed while it starts, serves and shuts down (§A.5).
 *
 * Faults (models/faults.h, docs/faults.md): a lost instance disappears at
 * once — the requests in it (active or in a queue-proxy's queue) fail with
 * 500, the code Cloud Run users see when a request is aborted in or for want
 * of an instance (§A.3); pending requests keep waiting. Cloud Run's
 * autoscaler replaces capacity by its own rules (on-demand starts for pending
 * requests, evaluations); under the KPA the ReplicaSet recreates the pods at
 * once. During a start_failures window an instance that would become ready
 * fails instead (its container never listens): Cloud Run discards it, billed
 * for its startup (§A.5), and its autoscaler starts others as it would any
 * instance; under the KPA the kubelet restarts the container in the same pod
 * after the CrashLoopBackOff delay. During slow_starts, instances starting
 * take factor x their startup time. */
#include <math.h>
#include <stdio.h>

#include "models/cloudrun/service.h"
#include "sim/rng.h"

/* Knative queue-proxy breaker: queue depth 10 x containerConcurrency
 * (pkg/queue/sharedmain/main.go, §B.6). */
static const int kpa_queue_depth_factor = 10;
/* Knative activator breaker queue depth (pkg/activator/net/throttler.go, §B.6). */
static const size_t kpa_activator_queue_depth = 10000;
/* Kubernetes restarts a failed container "with an exponential back-off delay
 * (10s, 20s, 40s, …), that is capped at five minutes"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy). */
static const double kube_restart_backoff_s = 10, kube_restart_backoff_max_s = 300;

double crun_now(const crun_service *s) { return sim_now(s->eng); }

void crun_cost(crun_service *s, double usd) {
  if (usd > 0) out_count(s->rec, crun_now(s), OUT_COST_USD, usd);
}

int crun_alive(const crun_service *s) { return s->n_starting + s->n_ready; }

/* --- the pod table --------------------------------------------------------- */

static void pods_add(crun_service *s, crun_pod *p) {
  if (s->n_pods == s->cap_pods) {
    s->cap_pods = s->cap_pods ? 2 * s->cap_pods : 16;
    s->pods = sim_xrealloc(s->pods, (size_t)s->cap_pods * sizeof *s->pods);
  }
  p->index = s->n_pods;
  s->pods[s->n_pods++] = p;
}

static void pods_remove(crun_service *s, crun_pod *p) {
  crun_pod *last = s->pods[--s->n_pods];
  s->pods[p->index] = last;
  last->index = p->index;
}

/* --- integrals the Cloud Run autoscaler reads -------------------------------- */

static void on_pods_change(crun_service *s, int delta) {
  double t = crun_now(s);
  s->on_pods_integral += s->on_pods * (t - s->on_pods_since_s);
  s->on_pods_since_s = t;
  s->on_pods += delta;
}

double crun_on_pods_integral(crun_service *s) {
  on_pods_change(s, 0);
  return s->on_pods_integral;
}

double crun_cpu_seconds(const crun_service *s) {
  double cpu = s->cpu_of_stopped_s;
  for (int i = 0; i < s->n_pods; i++) cpu += inst_cpu_consumed_s(s->pods[i]->inst);
  return cpu;
}

/* --- billing state ------------------------------------------------------------ */

/* Min instances that are idle pay the idle rate (§A.5): whichever pods are
 * idle, up to min_instances of them [derived]. */
static void idle_min_update(crun_service *s) {
  int n = s->n_unbilled < s->cfg.scaling.min_instances ? s->n_unbilled
                                                       : s->cfg.scaling.min_instances;
  if (n == s->idle_min_billed) return;
  crun_cost(s, crun_billing_idle_min(s->bill, crun_now(s), n, s->vcpu, s->mem_gib));
  s->idle_min_billed = n;
}

static void set_unbilled(crun_service *s, crun_pod *p, bool unbilled) {
  if (p->unbilled == unbilled) return;
  p->unbilled = unbilled;
  s->n_unbilled += unbilled ? 1 : -1;
  idle_min_update(s);
}

/* A pod is billed as serving while it has at least one active request. */
static void refresh_billing(crun_service *s, crun_pod *p) {
  bool serving = inst_active(p->inst) > 0;
  if (serving != p->serving) {
    p->serving = serving;
    double t = crun_now(s);
    crun_cost(s, serving ? crun_meter_begin(s->bill, &p->meter, t)
                         : crun_meter_end(s->bill, &p->meter, t));
  }
  set_unbilled(s, p, !crun_meter_busy(&p->meter));
}

/* --- routing ------------------------------------------------------------------ */

static bool routable(const crun_pod *p) {
  return inst_get_state(p->inst) == INST_READY && !p->terminating;
}

static void set_member(router *r, instance *inst, bool member) {
  if (!r) return;
  bool in = router_contains(r, inst);
  if (member && in) router_update(r, inst);
  else if (member) router_add(r, inst);
  else if (in) router_remove(r, inst);
}

/* Brings the pod's router entries, bill and idle state up to date after its
 * load, state or rank changed. */
static void pod_refresh(crun_service *s, crun_pod *p) {
  bool room = routable(p) && inst_has_slot(p->inst);
  /* Out of the other router first: an instance sits in one router at most. */
  set_member(p->needed ? s->route_excess : s->route_needed, p->inst, false);
  set_member(p->needed ? s->route_needed : s->route_excess, p->inst, room);
  set_member(s->route_all, p->inst, routable(p));
  refresh_billing(s, p);
  if (s->scaler) {
    bool idle = routable(p) && inst_outstanding(p->inst) == 0;
    if (idle && !p->idle) crun_scaler_on_idle(s, p);
    else if (!idle && p->idle) crun_scaler_on_busy(s, p);
  }
}

/* --- scale-in: needed and excess instances ---------------------------------------
 *
 * The spec's scale-in rule stops an instance idle for the retention time
 * "unless needed for min_instances or desired" (§A.7, from §A.2's idle
 * retention). Which instances the service keeps busy when it has more than it
 * needs is not documented [derived]: under `scale_in: drain_excess` the ready
 * pods are ranked by when they became ready, the first needed_max of them are
 * needed and the rest excess, which take requests only when every needed pod
 * is full (pick_with_room). The invariant is n_needed = min(needed_max, ready
 * pods), with rank_edge the last needed pod; a change of needed_max or of the
 * ready pods moves the edge, O(log n) per pod that changes sides. Under
 * `idle_only` needed_max is unbounded, so every ready pod is needed. Ready
 * pods have no free slot while requests pend, so a pod changing sides never
 * has pending requests to take. */

static crun_pod *first_excess(const crun_service *s) {
  return s->rank_edge ? s->rank_edge->rank_next : s->rank_head;
}

static void set_needed_flag(crun_service *s, crun_pod *p, bool needed) {
  p->needed = needed;
  s->n_needed += needed ? 1 : -1;
  pod_refresh(s, p); /* moves it to its router */
}

/* Moves the edge until n_needed = min(needed_max, ready pods). */
static void rebalance(crun_service *s) {
  while (s->n_needed > s->needed_max) {
    crun_pod *p = s->rank_edge;
    s->rank_edge = p->rank_prev;
    set_needed_flag(s, p, false);
  }
  crun_pod *p;
  while (s->n_needed < s->needed_max && (p = first_excess(s))) {
    s->rank_edge = p;
    set_needed_flag(s, p, true);
  }
}

void crun_set_needed(crun_service *s, int n) {
  s->needed_max = n;
  rebalance(s);
}

/* A pod became ready: last in the ranking, needed if there is room. */
static void rank_add(crun_service *s, crun_pod *p) {
  if (!s->scaler) return;
  p->rank_next = NULL;
  p->rank_prev = s->rank_tail;
  if (s->rank_tail) s->rank_tail->rank_next = p;
  else s->rank_head = p;
  s->rank_tail = p;
  rebalance(s);
}

/* A ready pod is leaving routing; the first excess pod takes its place. */
static void rank_remove(crun_service *s, crun_pod *p) {
  if (!s->scaler) return;
  if (p->needed) {
    p->needed = false;
    s->n_needed--;
    if (s->rank_edge == p) s->rank_edge = p->rank_prev;
  }
  if (p->rank_prev) p->rank_prev->rank_next = p->rank_next;
  else s->rank_head = p->rank_next;
  if (p->rank_next) p->rank_next->rank_prev = p->rank_prev;
  else s->rank_tail = p->rank_prev;
  p->rank_prev = p->rank_next = NULL;
  rebalance(s);
}

/* --- requests ------------------------------------------------------------------ */

static double deadline_s(const crun_service *s, const inst_req *r) {
  return r->arrival_s + s->cfg.instance.request_timeout_s;
}

static void on_timeout(sim_engine *eng, void *arg);

static void arm_timeout(crun_service *s) {
  if (!s->age_head) {
    sim_cancel(s->eng, s->timeout_timer);
    s->timeout_timer = SIM_NO_HANDLE;
  } else if (!sim_reschedule(s->eng, s->timeout_timer, deadline_s(s, s->age_head))) {
    s->timeout_timer = sim_schedule(s->eng, deadline_s(s, s->age_head), on_timeout, s);
  }
}

static void accept(crun_service *s, inst_req *r) {
  s->in_flight++;
  out_gauge_add(s->rec, crun_now(s), OUT_IN_FLIGHT, 1);
  r->model_next = NULL;
  r->model_prev = s->age_tail;
  if (s->age_tail) s->age_tail->model_next = r;
  else s->age_head = r;
  s->age_tail = r;
  if (s->age_head == r) arm_timeout(s);
}

/* The request leaves the platform. */
static void depart(crun_service *s, inst_req *r) {
  bool was_oldest = s->age_head == r;
  if (r->model_prev) r->model_prev->model_next = r->model_next;
  else s->age_head = r->model_next;
  if (r->model_next) r->model_next->model_prev = r->model_prev;
  else s->age_tail = r->model_prev;
  if (was_oldest) arm_timeout(s);
  s->in_flight--;
  out_gauge_add(s->rec, crun_now(s), OUT_IN_FLIGHT, -1);
  inst_req_put(s->pool, r);
}

static void mark_queued(crun_service *s, inst_req *r) {
  r->flags |= REQ_QUEUED;
  out_gauge_add(s->rec, crun_now(s), OUT_QUEUED, 1);
}

static void unqueue(crun_service *s, inst_req *r, bool served) {
  if (!(r->flags & REQ_QUEUED)) return;
  r->flags &= (uint8_t)~REQ_QUEUED;
  double t = crun_now(s);
  out_gauge_add(s->rec, t, OUT_QUEUED, -1);
  if (served) {
    out_count(s->rec, t, OUT_WAITED, 1);
    out_count(s->rec, t, OUT_QUEUE_WAIT_S, t - r->arrival_s);
  }
}

/* Fails a request that holds no instance slot. */
static void fail_request(crun_service *s, inst_req *r, int status) {
  if (r->flags & REQ_PROXIED) kpa_driver_activator_out(s);
  out_error(s->rec, crun_now(s), status);
  depart(s, r);
}

/* Puts r on pod p: a free slot, or (KPA Serve mode) the queue-proxy's queue. */
static void admit(crun_service *s, crun_pod *p, inst_req *r) {
  double t = crun_now(s);
  unqueue(s, r, true);
  if (p->ready_s > r->arrival_s) { /* it waited for this instance to start */
    r->cold_wait_s = t - r->arrival_s;
    out_count(s->rec, t, OUT_COLD_REQUESTS, 1);
    out_count(s->rec, t, OUT_COLD_WAIT_S, r->cold_wait_s);
  }
  crun_cost(s, crun_billing_request(s->bill, t)); /* it reached the container */
  if (s->kpa) kpa_reporter_in(&p->qp, t, r->flags & REQ_PROXIED);
  on_pods_change(s, 1);
  int rc = inst_admit(p->inst, r);
  SIM_ASSERT(rc >= 0);
  if (rc == 0) mark_queued(s, r);
  pod_refresh(s, p);
}

/* The request no longer holds anything on its pod. */
static void leave_pod(crun_service *s, crun_pod *p, inst_req *r) {
  if (s->kpa) kpa_reporter_out(&p->qp, crun_now(s), r->flags & REQ_PROXIED);
  on_pods_change(s, -1);
}

/* Sends pending requests to p while it has free slots. */
static void pull_pending(crun_service *s, crun_pod *p) {
  inst_req *r;
  while (routable(p) && inst_has_slot(p->inst) && (r = crun_pending_pop(s->pending))) {
    r->flags &= (uint8_t)~REQ_PENDING;
    admit(s, p, r);
  }
}

/* Queues r in the pending queue; false (r failed with 503) when it is full. */
static bool pend(crun_service *s, inst_req *r) {
  if (!crun_pending_push(s->pending, r)) {
    fail_request(s, r, 503);
    return false;
  }
  r->flags |= REQ_PENDING;
  mark_queued(s, r);
  return true;
}

static void on_pending_expired(void *owner, inst_req *r) {
  crun_service *s = owner;
  r->flags &= (uint8_t)~REQ_PENDING;
  unqueue(s, r, false);
  fail_request(s, r, 429);
}

static void begin_exit(crun_service *s, crun_pod *p);

static void maybe_exit(crun_service *s, crun_pod *p) {
  if (p->terminating && !p->shutting_down && inst_outstanding(p->inst) == 0) begin_exit(s, p);
}

/* 504: the request is failed wherever it is; its instance keeps running. */
static void expire(crun_service *s, inst_req *r) {
  unqueue(s, r, false);
  if (r->flags & REQ_PENDING) {
    crun_pending_remove(s->pending, r);
    r->flags &= (uint8_t)~REQ_PENDING;
  } else if (r->inst) {
    crun_pod *p = inst_user(r->inst);
    leave_pod(s, p, r);
    inst_remove(r->inst, r); /* may refill the slot through the hooks */
    pod_refresh(s, p);
    maybe_exit(s, p);
  }
  fail_request(s, r, 504);
}

static void on_timeout(sim_engine *eng, void *arg) {
  crun_service *s = arg;
  s->timeout_timer = SIM_NO_HANDLE;
  while (s->age_head && deadline_s(s, s->age_head) <= sim_now(eng)) expire(s, s->age_head);
}

/* --- instance hooks -------------------------------------------------------------- */

static void on_complete(void *owner, instance *inst, inst_req *r) {
  crun_service *s = owner;
  double t = crun_now(s);
  out_latency(s->rec, t, t - r->arrival_s);
  out_count(s->rec, t, OUT_COMPLETIONS, 1);
  leave_pod(s, inst_user(inst), r);
  if (r->flags & REQ_PROXIED) kpa_driver_activator_out(s);
  depart(s, r);
}

static void on_slot_free(void *owner, instance *inst) {
  crun_service *s = owner;
  crun_pod *p = inst_user(inst);
  pull_pending(s, p);
  pod_refresh(s, p);
  maybe_exit(s, p);
}

static void on_start(void *owner, instance *inst, inst_req *r) {
  crun_service *s = owner;
  unqueue(s, r, true);
  pod_refresh(s, inst_user(inst));
}

static const inst_hooks crun_hooks = {on_complete, on_slot_free, on_start};

/* --- pods ----------------------------------------------------------------------------- */

static crun_pod *new_pod(crun_service *s, double vcpu) {
  crun_pod *p = sim_xcalloc(1, sizeof *p);
  double t = crun_now(s);
  p->svc = s;
  p->inst = inst_alloc(s->eng, s->rec, &s->icfg, &crun_hooks, s, ++s->next_id);
  inst_set_user(p->inst, p);
  inst_set_vcpu(p->inst, vcpu);
  p->created_s = t;
  p->ready_s = INFINITY;
  crun_meter_init(&p->meter, t, vcpu, s->mem_gib);
  kpa_reporter_init(&p->qp, t);
  pods_add(s, p);
  return p;
}

/* The boost ends: back to the configured vCPU, in service and in the bill. */
static void on_boost_end(sim_engine *eng, void *arg) {
  crun_pod *p = arg;
  crun_service *s = p->svc;
  p->boost_timer = SIM_NO_HANDLE;
  inst_set_vcpu(p->inst, s->vcpu);
  crun_meter_set_vcpu(s->bill, &p->meter, sim_now(eng), s->vcpu);
}

static void fail_start(crun_service *s, crun_pod *p);

static void on_pod_ready(sim_engine *eng, void *arg) {
  crun_pod *p = arg;
  crun_service *s = p->svc;
  double t = sim_now(eng);
  p->ready_timer = SIM_NO_HANDLE;
  if (s->faults.open[FAULT_START_FAILURES] > 0) {
    fail_start(s, p);
    return;
  }
  s->n_starting--;
  s->n_ready++;
  inst_set_state(p->inst, INST_READY);
  p->ready_s = t;
  rank_add(s, p);
  crun_pending_observe_startup(s->pending, t - p->created_s);
  crun_cost(s, crun_meter_end(s->bill, &p->meter, t)); /* starting is over */
  if (s->boost_vcpu != s->vcpu)
    p->boost_timer = sim_schedule(eng, t + s->cfg.instance.boost_after_ready_s, on_boost_end, p);
  pull_pending(s, p);
  pod_refresh(s, p);
  if (s->kpa) kpa_driver_on_endpoints(s);
}

/* A cold start with application init `init_s`: the platform's part, then the
 * init on min(1, vCPU / threads) of a CPU at the generation's speed (§A.4
 * [derived]). */
static double startup_s(const crun_service *s, double init_s) {
  const crun_startup_cfg *c = &s->cfg.instance.startup;
  double cpu = fmin(1.0, s->boost_vcpu / c->init_threads) * s->gen.cpu_speed;
  return c->platform_delay_s * s->gen.cold_start_factor + init_s / cpu;
}

static double draw_startup_s(crun_service *s) {
  return startup_s(s, wl_dist_draw(&s->cfg.instance.startup.init, s->startup_rng));
}

crun_pod *crun_start_pod(crun_service *s) {
  crun_pod *p = new_pod(s, s->boost_vcpu);
  double t = crun_now(s);
  inst_set_state(p->inst, INST_STARTING);
  s->n_starting++;
  out_count(s->rec, t, OUT_INSTANCE_STARTS, 1);
  crun_cost(s, crun_meter_begin(s->bill, &p->meter, t)); /* starting is billable */
  double startup = draw_startup_s(s) * s->faults.slow_factor; /* slow_starts fault */
  p->ready_timer = sim_schedule(s->eng, t + startup, on_pod_ready, p);
  return p;
}

/* A pod that exists ready when the run starts (min instances): warm, not a
 * launch, so no cold start and no boost. */
static void warm_pod(crun_service *s) {
  crun_pod *p = new_pod(s, s->vcpu);
  inst_set_state(p->inst, INST_READY);
  p->ready_s = crun_now(s);
  s->n_ready++;
  rank_add(s, p);
  pod_refresh(s, p);
}

static void on_pod_exit(sim_engine *eng, void *arg) {
  crun_pod *p = arg;
  crun_service *s = p->svc;
  double t = sim_now(eng);
  p->exit_timer = SIM_NO_HANDLE;
  SIM_ASSERT(inst_outstanding(p->inst) == 0);
  crun_cost(s, crun_meter_end(s->bill, &p->meter, t));
  crun_cost(s, crun_meter_close(s->bill, &p->meter, t));
  set_unbilled(s, p, false);
  sim_cancel(eng, p->boost_timer);
  s->cpu_of_stopped_s += inst_cpu_consumed_s(p->inst);
  s->n_terminating--;
  inst_set_state(p->inst, INST_STOPPED);
  out_count(s->rec, t, OUT_INSTANCE_STOPS, 1);
  pods_remove(s, p);
  inst_free(p->inst);
  free(p);
}

/* SIGTERM handling: the container exits after its shutdown time, or is
 * killed at the grace period (§A.4); the time is billable (§A.5). */
static void begin_exit(crun_service *s, crun_pod *p) {
  double t = crun_now(s);
  p->shutting_down = true;
  if (inst_get_state(p->inst) == INST_STARTING) {
    sim_cancel(s->eng, p->ready_timer);
    p->ready_timer = SIM_NO_HANDLE;
    s->n_starting--;
    s->n_terminating++;
    crun_cost(s, crun_meter_end(s->bill, &p->meter, t));
  }
  inst_set_state(p->inst, INST_DRAINING);
  crun_cost(s, crun_meter_begin(s->bill, &p->meter, t));
  set_unbilled(s, p, false);
  const crun_instance_cfg *c = &s->cfg.instance;
  p->exit_timer = sim_schedule(s->eng, t + fmin(c->shutdown_s, c->sigterm_grace_s), on_pod_exit, p);
}

void crun_stop_pod(crun_service *s, crun_pod *p) {
  if (p->terminating) return;
  bool was_ready = inst_get_state(p->inst) == INST_READY;
  p->terminating = true;
  if (s->scaler) crun_scaler_on_gone(s, p);
  if (was_ready) {
    s->n_ready--;
    s->n_terminating++;
    inst_set_state(p->inst, INST_DRAINING);
    pod_refresh(s, p);
    rank_remove(s, p);
  }
  maybe_exit(s, p);
  if (was_ready && s->kpa) kpa_driver_on_endpoints(s);
}

/* --- faults ----------------------------------------------------------------------------- */

/* A request in a lost instance fails with 500 (§A.3). */
static void fail_evicted(void *arg, inst_req *r) {
  crun_pod *p = arg;
  crun_service *s = p->svc;
  leave_pod(s, p, r);
  unqueue(s, r, false);
  fail_request(s, r, 500);
}

/* The pod is gone at once (no SIGTERM): out of routing and the autoscaler's
 * books, its requests failed, billed up to now (§A.5), freed. Only a pod
 * that is starting or ready and not terminating is lost this way. */
static void discard_pod(crun_service *s, crun_pod *p) {
  double t = crun_now(s);
  bool was_ready = inst_get_state(p->inst) == INST_READY;
  SIM_ASSERT(!p->terminating && (was_ready || inst_get_state(p->inst) == INST_STARTING));
  p->terminating = true; /* not routable from here on */
  if (s->scaler) crun_scaler_on_gone(s, p);
  if (was_ready) {
    s->n_ready--;
    pod_refresh(s, p); /* leaves its routers */
    rank_remove(s, p);
  } else {
    sim_cancel(s->eng, p->ready_timer);
    p->ready_timer = SIM_NO_HANDLE;
    s->n_starting--;
  }
  inst_evict_all(p->inst, fail_evicted, p);
  crun_cost(s, crun_meter_close(s->bill, &p->meter, t));
  set_unbilled(s, p, false);
  sim_cancel(s->eng, p->boost_timer);
  s->cpu_of_stopped_s += inst_cpu_consumed_s(p->inst);
  inst_set_state(p->inst, INST_STOPPED);
  out_count(s->rec, t, OUT_INSTANCE_STOPS, 1);
  pods_remove(s, p);
  inst_free(p->inst);
  free(p);
  if (was_ready && s->kpa) kpa_driver_on_endpoints(s);
}

static void log_failed_start(crun_service *s, crun_pod *p, const char *reason) {
  char id[32];
  snprintf(id, sizeof id, "instance%llu", (unsigned long long)inst_id(p->inst));
  out_decision d = {.source = id, .event = "start", .metric = "", .value = NAN,
                    .old_desired = NAN, .new_desired = NAN, .status = "Failed",
                    .reason = reason};
  out_decide(s->rec, crun_now(s), &d);
}

/* A start during a start_failures window: the container never listens.
 * Cloud Run discards the instance and forces no retry: its autoscaler starts
 * another as it would any instance (a pending request, an evaluation), which
 * also keeps a zero startup time from looping. Under the KPA the kubelet
 * restarts the container in its pod after the CrashLoopBackOff delay; the pod
 * stays starting (and billed as starting). */
static void fail_start(crun_service *s, crun_pod *p) {
  if (!s->kpa) {
    log_failed_start(s, p, "the container failed to start (start_failures fault)");
    discard_pod(s, p);
    return;
  }
  double delay = fmin(kube_restart_backoff_max_s,
                      kube_restart_backoff_s * ldexp(1, p->failed_starts++));
  char reason[160];
  snprintf(reason, sizeof reason,
           "the container failed to start (start_failures fault): CrashLoopBackOff, restart in "
           "%gs", delay);
  log_failed_start(s, p, reason);
  double startup = draw_startup_s(s) * s->faults.slow_factor;
  p->ready_timer = sim_schedule(s->eng, crun_now(s) + delay + startup, on_pod_ready, p);
}

/* lose_instances / lose_zone: the victims among the pods starting or ready
 * (models/faults.h); the windows are only recorded. */
static int crun_on_fault(void *state, const fault_event *ev) {
  crun_service *s = state;
  fault_kind kind = (fault_kind)ev->cfg->kind;
  if (fault_is_window(kind)) {
    fault_windows_apply(&s->faults, ev);
    return 0;
  }
  instance **live = sim_xmalloc(((size_t)s->n_pods + 1) * sizeof *live);
  instance **victims = sim_xmalloc(((size_t)s->n_pods + 1) * sizeof *victims);
  size_t n = 0;
  for (int i = 0; i < s->n_pods; i++)
    if (!s->pods[i]->terminating) live[n++] = s->pods[i]->inst;
  size_t k = fault_select(ev, live, n, victims);
  for (size_t j = 0; j < k; j++) discard_pod(s, inst_user(victims[j]));
  free(live);
  free(victims);
  if (k > 0 && s->kpa) kpa_driver_on_lost(s);
  if (k > 0 && s->scaler && crun_pending_len(s->pending) > 0) crun_scaler_on_pending(s);
  return (int)k;
}

/* Every kind applies; a fixed fleet's replacement delay does not. */
static const char *crun_fault_check(const void *cfg, const fault_cfg *f) {
  if (f->replace)
    return "replace_after applies to kind fixed only (Cloud Run replaces instances by its "
           "autoscaler's rules)";
  return NULL;
}

/* --- arrivals --------------------------------------------------------------------------- */

/* KPA Serve mode: the ingress sends the request straight to a ready pod; its
 * queue-proxy serves or queues it, or answers 503 when its queue is full. */
static void arrive_direct(crun_service *s, inst_req *r) {
  instance *inst = router_pick(s->route_all);
  if (!inst_can_accept(inst)) {
    fail_request(s, r, 503);
    return;
  }
  admit(s, inst_user(inst), r);
}

/* A ready pod with a free slot, chosen by the routing policy, an excess one
 * only when no needed one has room; NULL if none. */
static crun_pod *pick_with_room(crun_service *s) {
  instance *inst;
  if (s->route_needed) {
    if (!(inst = router_pick(s->route_needed))) inst = router_pick(s->route_excess);
  } else if ((inst = router_pick(s->route_all)) && !inst_has_slot(inst)) {
    inst = NULL;
  }
  return inst ? inst_user(inst) : NULL;
}

static void crun_on_arrival(void *state, const wl_request *req) {
  crun_service *s = state;
  out_count(s->rec, req->arrival_s, OUT_ARRIVALS, 1);
  inst_req *r = inst_req_get(s->pool);
  r->arrival_s = req->arrival_s;
  r->cpu_s = req->cpu_s;
  r->wait_s = req->wait_s;
  accept(s, r);
  if (s->kpa) {
    if (!kpa_driver_via_activator(s->kpa)) {
      arrive_direct(s, r);
      return;
    }
    r->flags |= REQ_PROXIED;
    kpa_driver_activator_in(s);
  }
  crun_pod *p = pick_with_room(s);
  if (p) {
    admit(s, p, r);
    return;
  }
  if (pend(s, r) && s->scaler) crun_scaler_on_pending(s);
}

/* --- the platform type -------------------------------------------------------------------- */

static router_policy policy_of(int routing) {
  switch (routing) {
  case CRUN_ROUTE_FILL_BUSIEST: return ROUTER_MOST_OUTSTANDING;
  case CRUN_ROUTE_ROUND_ROBIN: return ROUTER_ROUND_ROBIN;
  case CRUN_ROUTE_RANDOM: return ROUTER_RANDOM;
  default: return ROUTER_LEAST_OUTSTANDING;
  }
}

static void crun_destroy(void *state);

static gsl_rng *stream(const platform_ctx *ctx, const char *purpose) {
  char name[256];
  snprintf(name, sizeof name, "%s/%s", ctx->name ? ctx->name : "cloudrun", purpose);
  return sim_rng_alloc(ctx->seed, name);
}

static void setup_instances(crun_service *s) {
  const crun_instance_cfg *ic = &s->cfg.instance;
  bool kpa = s->cfg.scaling.autoscaler == CRUN_AUTOSCALER_KPA;
  s->gen = ic->execution_environment == CRUN_GEN2 ? ic->gen2 : ic->gen1;
  s->vcpu = ic->vcpu;
  s->boost_vcpu = ic->startup_boost ? crun_boosted_vcpu(ic->vcpu) : ic->vcpu;
  s->mem_gib = ic->memory_mib / 1024;
  s->icfg = (inst_config){.vcpu = ic->vcpu,
                          .speed = s->gen.cpu_speed,
                          .memory_mib = ic->memory_mib,
                          .base_mem_mib = ic->base_memory_mib,
                          .req_mem_mib = ic->memory_per_request_mib,
                          .max_concurrency = ic->max_concurrency,
                          .backlog_max = kpa ? kpa_queue_depth_factor * ic->max_concurrency : 0};
}

static void *crun_create(const void *cfg_v, const platform_ctx *ctx, sim_error *err) {
  const crun_cfg *cfg = cfg_v;
  if (crun_cfg_validate(cfg, err)) return NULL;
  crun_service *s = sim_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->cfg.import = (crun_import_cfg){0}; /* strings stay with the caller's config */
  s->eng = ctx->eng;
  s->rec = ctx->rec;
  s->on_pods_since_s = sim_now(ctx->eng);
  fault_windows_init(&s->faults);
  bool kpa = cfg->scaling.autoscaler == CRUN_AUTOSCALER_KPA;
  setup_instances(s);
  s->startup_rng = stream(ctx, "startup");
  if (cfg->scaling.routing == CRUN_ROUTE_RANDOM) s->route_rng = stream(ctx, "router");
  if (!s->startup_rng || (cfg->scaling.routing == CRUN_ROUTE_RANDOM && !s->route_rng)) {
    sim_errorf(err, SIM_EFAIL, "cloudrun: cannot allocate random streams");
    goto fail;
  }
  s->pool = inst_req_pool_alloc();
  if (kpa) s->route_all = router_alloc(ROUTER_LEAST_OUTSTANDING, NULL);
  else {
    s->route_needed = router_alloc(policy_of(cfg->scaling.routing), s->route_rng);
    s->route_excess = router_alloc(policy_of(cfg->scaling.routing), s->route_rng);
  }
  /* Before any startup is observed, the pending limit uses the mean of the
   * configured startup. */
  double prior_s = startup_s(s, wl_dist_mean(&cfg->instance.startup.init));
  s->pending = crun_pending_alloc(s->eng, kpa ? CRUN_PENDING_NONE : cfg->pending.rule, prior_s,
                                  kpa ? kpa_activator_queue_depth : 0, on_pending_expired, s);
  s->cfg.billing.prices = cfg->prices;
  s->bill = crun_billing_alloc(&s->cfg.billing);
  if (kpa) {
    s->kpa = kpa_driver_alloc(s, ctx->seed, ctx->name ? ctx->name : "cloudrun", err);
    if (!s->kpa) goto fail;
  } else {
    s->scaler = crun_scaler_alloc(s);
    for (int i = 0; i < cfg->scaling.min_instances; i++) warm_pod(s);
  }
  return s;
fail:
  crun_destroy(s);
  return NULL;
}

static uint64_t crun_in_flight(const void *state) { return ((const crun_service *)state)->in_flight; }

/* The run ends: bill every pod up to now, and the idle min instances. */
static void crun_finish(void *state) {
  crun_service *s = state;
  double t = crun_now(s);
  for (int i = 0; i < s->n_pods; i++) crun_cost(s, crun_meter_close(s->bill, &s->pods[i]->meter, t));
  crun_cost(s, crun_billing_idle_min(s->bill, t, 0, s->vcpu, s->mem_gib));
  s->idle_min_billed = 0;
}

/* Frees the model without touching the engine or the recorder; requests still
 * in flight go with the pool. */
static void crun_destroy(void *state) {
  crun_service *s = state;
  if (!s) return;
  crun_scaler_free(s->scaler);
  kpa_driver_free(s->kpa);
  router_free(s->route_needed); /* before the instances: routers clear their slots */
  router_free(s->route_excess);
  router_free(s->route_all);
  for (int i = 0; i < s->n_pods; i++) {
    inst_free(s->pods[i]->inst);
    free(s->pods[i]);
  }
  free(s->pods);
  crun_pending_free(s->pending);
  crun_billing_free(s->bill);
  inst_req_pool_free(s->pool);
  if (s->startup_rng) gsl_rng_free(s->startup_rng);
  if (s->route_rng) gsl_rng_free(s->route_rng);
  free(s);
}

const platform_type platform_cloudrun = {
    .name = "cloudrun",
    .summary = "Google Cloud Run: concurrency slots, pending queue, CPU/concurrency autoscaler "
               "or the exact Knative KPA, cold starts with CPU boost, request/instance billing",
    .schema = &crun_schema,
    .create = crun_create,
    .on_arrival = crun_on_arrival,
    .in_flight = crun_in_flight,
    .finish = crun_finish,
    .destroy = crun_destroy,
    .on_fault = crun_on_fault,
    .fault_check = crun_fault_check,
};

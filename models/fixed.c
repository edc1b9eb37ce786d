/* fixed.c — the `fixed` platform (see fixed.h): N instances, READY from t = 0
 * for the whole run, no autoscaling and no cold starts.
 *
 * queue: central — one FIFO in front of every instance. An arriving request
 * takes a free slot if there is one, chosen by the router among the instances
 * that have a free slot (that set is the router's membership, so the choice is
 * O(log n)); else it waits (503 once queue_limit are waiting). A slot freed by
 * a completion pulls the queue head.
 * queue: per_instance — the router picks an instance for every request, which
 * serves it, backlogs it, or refuses it (503), as an ALB target would.
 * timeout — every request has the same deadline arrival + timeout, so the
 * requests in the platform, kept in arrival order, are also in deadline order:
 * one timer for the oldest fails it with 504 (O(1) per request).
 * Cost — the bill is settled whenever the number of instances changes (a
 * fault) and at finish.
 * Faults (models/faults.h, docs/faults.md) — lose_instances and lose_zone kill
 * instances at once: the requests in them fail with 500 (the instance died
 * under them; DESIGN.md §4). A fixed fleet has no scheduler to replace them, so
 * a lost instance stays lost unless the fault sets `replace_after`: then a new
 * instance, ready at once, takes its place that long after. Nothing starts in
 * a fixed fleet, so start_failures and slow_starts are rejected at load. */
#include "models/fixed.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "models/instance.h"
#include "models/router.h"
#include "sim/rng.h"

const char *const fixed_queue_names[] = {"central", "per_instance", NULL};

enum { REQ_QUEUED = 1 }; /* inst_req.flags: counted in OUT_QUEUED */

typedef struct fixed {
  fixed_cfg cfg;
  sim_engine *eng;
  out_recorder *rec;
  gsl_rng *rng; /* the random router's stream, else NULL */
  inst_req_pool *pool;
  instance **inst; /* the live instances (room for cfg.instances) */
  int n_inst;
  uint64_t next_id;
  router *route; /* per_instance: every instance; central: those with a free slot */
  inst_req *queue_head, *queue_tail; /* central FIFO, through next/prev */
  long queue_len;
  inst_req *age_head, *age_tail; /* with a timeout: requests in arrival order */
  sim_handle timeout_event;
  uint64_t in_flight;
  double billed_until_s;
} fixed;

/* --- the schema ---------------------------------------------------------- */

#define INST_FIELD(m) offsetof(fixed_instance_cfg, m)
#define FIELD(m) offsetof(fixed_cfg, m)

static const cfg_field instance_fields[] = {
    {.key = "vcpu", .type = CFG_NUMBER, .offset = INST_FIELD(vcpu), .flags = CFG_POSITIVE,
     .def = "1", .doc = "vCPUs per instance; a request uses at most one"},
    {.key = "memory", .type = CFG_SIZE, .offset = INST_FIELD(memory_mib), .flags = CFG_POSITIVE,
     .def = "2GiB", .doc = "memory allotted per instance"},
    {.key = "max_concurrency", .type = CFG_INT, .offset = INST_FIELD(max_concurrency), .def = "1000",
     .min = 1, .max = 100000, .doc = "requests served at once per instance"},
    {.key = "backlog", .type = CFG_INT, .offset = INST_FIELD(backlog), .def = "0", .min = -1,
     .max = INFINITY,
     .doc = "per-instance FIFO bound beyond max_concurrency (queue: per_instance): "
            "0 none, -1 unbounded"},
    {.key = "base_memory", .type = CFG_SIZE, .offset = INST_FIELD(base_memory_mib), .def = "0",
     .doc = "memory in use by an idle instance"},
    {.key = "memory_per_request", .type = CFG_SIZE, .offset = INST_FIELD(memory_per_request_mib),
     .def = "0", .doc = "additional memory in use per active request"},
    {.key = NULL}};

static const cfg_schema instance_schema = {.name = "fixed instance",
                                           .size = sizeof(fixed_instance_cfg),
                                           .fields = instance_fields};

/* Keys that mean something under one queue mode only are errors under the
 * other, never silently ignored. */
static int check_fixed(cfg_ctx *ctx, struct fy_node *node, const char *path, void *obj) {
  const fixed_cfg *c = obj;
  if (c->queue == FIXED_QUEUE_CENTRAL && c->instance.backlog != 0)
    return cfg_error_at(ctx, node, path,
                        "instance.backlog applies only with queue: per_instance "
                        "(the central queue holds the waiting requests)");
  if (c->queue == FIXED_QUEUE_PER_INSTANCE && c->queue_limit != -1)
    return cfg_error_at(ctx, node, path,
                        "queue_limit applies only with queue: central "
                        "(use instance.backlog to bound per-instance queues)");
  return 0;
}

static const cfg_field fixed_fields[] = {
    {.key = "instances", .type = CFG_INT, .offset = FIELD(instances), .flags = CFG_REQUIRED,
     .min = 1, .max = 1000000,
     .doc = "number of instances, all ready for the whole run (at most a million: each holds "
            "about 300 bytes)"},
    {.key = "instance", .type = CFG_MAP, .offset = FIELD(instance), .flags = CFG_FLOW,
     .sub = &instance_schema, .doc = "what each instance is"},
    {.key = "queue", .type = CFG_ENUM, .offset = FIELD(queue), .def = "per_instance",
     .choices = fixed_queue_names,
     .doc = "central: one FIFO for all instances (M/M/c); per_instance: route each request at once"},
    {.key = "router", .type = CFG_ENUM, .offset = FIELD(router), .def = "round_robin",
     .choices = router_policy_names,
     .doc = "how an instance is chosen (per_instance: among all; central: among those with a free slot)"},
    {.key = "queue_limit", .type = CFG_INT, .offset = FIELD(queue_limit), .def = "-1", .min = -1,
     .max = INFINITY, .doc = "requests the central queue holds before answering 503; -1 unbounded"},
    {.key = "timeout", .type = CFG_DURATION, .offset = FIELD(timeout_s), .def = "0",
     .doc = "a request not done this long after arriving fails with 504; 0 none"},
    {.key = "price_per_instance_hour", .type = CFG_NUMBER, .offset = FIELD(price_per_instance_hour),
     .def = "0", .min = 0, .max = INFINITY, .doc = "USD per instance-hour, settled at the end of the run"},
    {.key = NULL}};

static const cfg_schema fixed_schema = {.name = "platform (kind: fixed)",
                                        .size = sizeof(fixed_cfg),
                                        .fields = fixed_fields,
                                        .check = check_fixed};

/* --- bookkeeping ------------------------------------------------------------ */

static double now_s(const fixed *f) { return sim_now(f->eng); }

/* Keeps the router consistent with inst's load; in central mode its members
 * are exactly the instances with a free slot. */
static void refresh_route(fixed *f, instance *inst) {
  if (f->cfg.queue == FIXED_QUEUE_PER_INSTANCE) {
    router_update(f->route, inst);
    return;
  }
  bool member = router_contains(f->route, inst);
  if (inst_has_slot(inst)) {
    if (member) router_update(f->route, inst);
    else router_add(f->route, inst);
  } else if (member) {
    router_remove(f->route, inst);
  }
}

/* The request stops being counted as queued (it was served or it expired). */
static void unqueue(fixed *f, inst_req *r, bool served) {
  if (!(r->flags & REQ_QUEUED)) return;
  r->flags &= (uint8_t)~REQ_QUEUED;
  double t = now_s(f);
  out_gauge_add(f->rec, t, OUT_QUEUED, -1);
  if (served) {
    out_count(f->rec, t, OUT_WAITED, 1);
    out_count(f->rec, t, OUT_QUEUE_WAIT_S, t - r->arrival_s);
  }
}

static void mark_queued(fixed *f, inst_req *r) {
  r->flags |= REQ_QUEUED;
  out_gauge_add(f->rec, now_s(f), OUT_QUEUED, 1);
}

/* --- timeouts --------------------------------------------------------------- */

static double deadline_s(const fixed *f, const inst_req *r) { return r->arrival_s + f->cfg.timeout_s; }

static void on_timeout(sim_engine *eng, void *arg);

/* Points the one timeout event at the oldest request's deadline. */
static void arm_timeout(fixed *f) {
  if (!f->age_head) {
    sim_cancel(f->eng, f->timeout_event);
    f->timeout_event = SIM_NO_HANDLE;
  } else if (!sim_reschedule(f->eng, f->timeout_event, deadline_s(f, f->age_head))) {
    f->timeout_event = sim_schedule(f->eng, deadline_s(f, f->age_head), on_timeout, f);
  }
}

static void age_append(fixed *f, inst_req *r) {
  if (f->cfg.timeout_s <= 0) return;
  r->model_next = NULL;
  r->model_prev = f->age_tail;
  if (f->age_tail) f->age_tail->model_next = r;
  else f->age_head = r;
  f->age_tail = r;
  if (f->age_head == r) arm_timeout(f);
}

static void age_unlink(fixed *f, inst_req *r) {
  if (f->cfg.timeout_s <= 0) return;
  bool was_oldest = f->age_head == r;
  if (r->model_prev) r->model_prev->model_next = r->model_next;
  else f->age_head = r->model_next;
  if (r->model_next) r->model_next->model_prev = r->model_prev;
  else f->age_tail = r->model_prev;
  r->model_next = r->model_prev = NULL;
  if (was_oldest) arm_timeout(f);
}

/* The request leaves the platform: it is no longer in flight. */
static void depart(fixed *f, inst_req *r) {
  age_unlink(f, r);
  f->in_flight--;
  out_gauge_add(f->rec, now_s(f), OUT_IN_FLIGHT, -1);
  inst_req_put(f->pool, r);
}

/* Fails the oldest request with 504 wherever it is. */
static void expire(fixed *f, inst_req *r) {
  unqueue(f, r, false);
  instance *inst = r->inst;
  if (inst) {
    inst_remove(inst, r); /* may refill the slot through the hooks */
    refresh_route(f, inst);
  } else {
    inst_req_list_unlink(&f->queue_head, &f->queue_tail, r);
    f->queue_len--;
  }
  out_error(f->rec, now_s(f), 504);
  depart(f, r);
}

static void on_timeout(sim_engine *eng, void *arg) {
  fixed *f = arg;
  f->timeout_event = SIM_NO_HANDLE;
  while (f->age_head && deadline_s(f, f->age_head) <= now_s(f)) expire(f, f->age_head);
}

/* --- instance hooks --------------------------------------------------------- */

/* In central mode the router is brought up to date by on_slot_free, which
 * always follows (the instances have no backlog there). */
static void on_complete(void *owner, instance *inst, inst_req *r) {
  fixed *f = owner;
  double t = now_s(f);
  out_latency(f->rec, t, t - r->arrival_s);
  out_count(f->rec, t, OUT_COMPLETIONS, 1);
  if (f->cfg.queue == FIXED_QUEUE_PER_INSTANCE) router_update(f->route, inst);
  depart(f, r);
}

static void on_start(void *owner, instance *inst, inst_req *r) { unqueue(owner, r, true); }

/* Central mode: a freed slot pulls the queue head, which leaves the instance
 * as loaded as before and its router entry as it was; else the instance
 * joins (or moves in) the set with free slots. */
static void on_slot_free(void *owner, instance *inst) {
  fixed *f = owner;
  if (f->cfg.queue != FIXED_QUEUE_CENTRAL) return;
  if (!f->queue_head) {
    refresh_route(f, inst);
    return;
  }
  inst_req *r = f->queue_head;
  inst_req_list_unlink(&f->queue_head, &f->queue_tail, r);
  f->queue_len--;
  unqueue(f, r, true);
  int admitted = inst_admit(inst, r);
  SIM_ASSERT(admitted == 1);
}

static const inst_hooks fixed_hooks = {on_complete, on_slot_free, on_start};

/* --- arrivals ---------------------------------------------------------------- */

static void accept(fixed *f, inst_req *r) {
  f->in_flight++;
  out_gauge_add(f->rec, now_s(f), OUT_IN_FLIGHT, 1);
  age_append(f, r);
}

static void arrive_central(fixed *f, inst_req *r) {
  instance *inst = router_pick(f->route); /* among instances with a free slot */
  if (inst) {
    accept(f, r);
    int admitted = inst_admit(inst, r);
    SIM_ASSERT(admitted == 1);
    refresh_route(f, inst);
  } else if (f->cfg.queue_limit >= 0 && f->queue_len >= f->cfg.queue_limit) {
    out_error(f->rec, now_s(f), 503);
    inst_req_put(f->pool, r);
  } else {
    accept(f, r);
    inst_req_list_append(&f->queue_head, &f->queue_tail, r);
    f->queue_len++;
    mark_queued(f, r);
  }
}

static void arrive_per_instance(fixed *f, inst_req *r) {
  instance *inst = router_pick(f->route); /* NULL once every instance is lost */
  if (!inst || !inst_can_accept(inst)) {
    out_error(f->rec, now_s(f), 503);
    inst_req_put(f->pool, r);
    return;
  }
  accept(f, r);
  if (inst_admit(inst, r) == 0) mark_queued(f, r);
  router_update(f->route, inst);
}

static void fixed_on_arrival(void *state, const wl_request *req) {
  fixed *f = state;
  out_count(f->rec, req->arrival_s, OUT_ARRIVALS, 1);
  inst_req *r = inst_req_get(f->pool);
  r->arrival_s = req->arrival_s;
  r->cpu_s = req->cpu_s;
  r->wait_s = req->wait_s;
  if (f->cfg.queue == FIXED_QUEUE_CENTRAL) arrive_central(f, r);
  else arrive_per_instance(f, r);
}

/* --- faults ------------------------------------------------------------------ */

/* Reports the cost of the instances that existed since the last settlement. */
static void settle_bill(fixed *f) {
  double t = now_s(f);
  double cost = f->n_inst * f->cfg.price_per_instance_hour * (t - f->billed_until_s) / 3600;
  if (cost > 0) out_count(f->rec, t, OUT_COST_USD, cost);
  f->billed_until_s = t;
}

static const inst_config *instance_config(const fixed *f, inst_config *icfg) {
  const fixed_instance_cfg *ic = &f->cfg.instance;
  *icfg = (inst_config){.vcpu = ic->vcpu,
                        .speed = 1,
                        .memory_mib = ic->memory_mib,
                        .base_mem_mib = ic->base_memory_mib,
                        .req_mem_mib = ic->memory_per_request_mib,
                        .max_concurrency = ic->max_concurrency,
                        .backlog_max = ic->backlog};
  return icfg;
}

/* Adds a READY instance to the fleet and the router. */
static instance *add_instance(fixed *f) {
  inst_config icfg;
  SIM_ASSERT(f->n_inst < f->cfg.instances);
  instance *inst = inst_alloc(f->eng, f->rec, instance_config(f, &icfg), &fixed_hooks, f,
                              ++f->next_id);
  inst_set_state(inst, INST_READY);
  router_add(f->route, inst);
  f->inst[f->n_inst++] = inst;
  return inst;
}

/* A request in a killed instance fails with 500. */
static void fail_evicted(void *arg, inst_req *r) {
  fixed *f = arg;
  unqueue(f, r, false);
  out_error(f->rec, now_s(f), 500);
  depart(f, r);
}

/* Kills an instance: its requests fail, it stops at once (the caller takes
 * it out of f->inst). */
static void kill_instance(fixed *f, instance *inst) {
  if (router_contains(f->route, inst)) router_remove(f->route, inst);
  inst_evict_all(inst, fail_evicted, f);
  inst_set_state(inst, INST_STOPPED);
  out_count(f->rec, now_s(f), OUT_INSTANCE_STOPS, 1);
  inst_free(inst);
}

/* A replacement is ready: it joins, and in central mode takes queued requests
 * into its free slots. */
static void on_replacement(sim_engine *eng, void *arg) {
  fixed *f = arg;
  settle_bill(f);
  instance *inst = add_instance(f);
  out_count(f->rec, now_s(f), OUT_INSTANCE_STARTS, 1);
  if (f->cfg.queue != FIXED_QUEUE_CENTRAL) return;
  while (f->queue_head && inst_has_slot(inst)) on_slot_free(f, inst);
  refresh_route(f, inst);
}

static int fixed_on_fault(void *state, const fault_event *ev) {
  fixed *f = state;
  if (!ev->begin) return 0;
  instance **victims = sim_xmalloc(((size_t)f->n_inst + 1) * sizeof *victims);
  size_t k = fault_select(ev, f->inst, (size_t)f->n_inst, victims);
  settle_bill(f);
  /* The victims come in the order of f->inst: one pass kills and compacts. */
  int keep = 0;
  for (int i = 0, n = f->n_inst, j = 0; i < n; i++) {
    if ((size_t)j < k && f->inst[i] == victims[j]) {
      kill_instance(f, victims[j++]);
      if (ev->cfg->replace) sim_schedule_in(f->eng, ev->cfg->replace_after_s, on_replacement, f);
    } else {
      f->inst[keep++] = f->inst[i];
    }
  }
  f->n_inst = keep;
  free(victims);
  return (int)k;
}

static const char *fixed_fault_check(const void *cfg, const fault_cfg *fc) {
  if (fc->kind == FAULT_START_FAILURES || fc->kind == FAULT_SLOW_STARTS)
    return "fixed instances are ready from the start and never start (lose_instances with "
           "replace_after models a replacement)";
  return NULL;
}

/* --- the platform type -------------------------------------------------------- */

/* Configs built in code skip the schema's checks, so the model checks again. */
static int validate(const fixed_cfg *c, sim_error *err) {
  const fixed_instance_cfg *i = &c->instance;
  if (c->instances < 1) return sim_errorf(err, SIM_ESCENARIO, "fixed: instances must be >= 1");
  if (!(i->vcpu > 0) || !(i->memory_mib > 0))
    return sim_errorf(err, SIM_ESCENARIO, "fixed: instance vcpu and memory must be > 0");
  if (i->max_concurrency < 1 || i->backlog < -1)
    return sim_errorf(err, SIM_ESCENARIO,
                      "fixed: instance max_concurrency must be >= 1 and backlog >= -1");
  if (c->queue != FIXED_QUEUE_CENTRAL && c->queue != FIXED_QUEUE_PER_INSTANCE)
    return sim_errorf(err, SIM_ESCENARIO, "fixed: unknown queue mode %d", c->queue);
  if (c->router < ROUTER_ROUND_ROBIN || c->router > ROUTER_RANDOM)
    return sim_errorf(err, SIM_ESCENARIO, "fixed: unknown router %d", c->router);
  if (c->queue == FIXED_QUEUE_CENTRAL && i->backlog != 0)
    return sim_errorf(err, SIM_ESCENARIO, "fixed: instance backlog needs queue: per_instance");
  if (c->queue_limit < -1 || !(c->timeout_s >= 0) || !(c->price_per_instance_hour >= 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "fixed: queue_limit must be >= -1, timeout and price >= 0");
  return 0;
}

static void fixed_destroy(void *state);

/* Builds N instances, READY at the current time. They are the fleet the run
 * starts with, not launches, so they count no OUT_INSTANCE_STARTS. */
static void *fixed_create(const void *cfg_v, const platform_ctx *ctx, sim_error *err) {
  const fixed_cfg *cfg = cfg_v;
  if (validate(cfg, err)) return NULL;
  fixed *f = sim_xcalloc(1, sizeof *f);
  f->cfg = *cfg;
  f->eng = ctx->eng;
  f->rec = ctx->rec;
  f->billed_until_s = sim_now(ctx->eng);
  if (cfg->router == ROUTER_RANDOM) {
    char name[256];
    snprintf(name, sizeof name, "%s/router", ctx->name ? ctx->name : "fixed");
    f->rng = sim_rng_alloc(ctx->seed, name);
    if (!f->rng) {
      sim_errorf(err, SIM_EFAIL, "fixed: cannot allocate the router's random stream");
      goto fail;
    }
  }
  f->pool = inst_req_pool_alloc();
  f->route = router_alloc((router_policy)cfg->router, f->rng);
  f->inst = sim_xcalloc((size_t)cfg->instances, sizeof *f->inst);
  for (int i = 0; i < cfg->instances; i++) add_instance(f);
  out_gauge_set(f->rec, sim_now(f->eng), OUT_DESIRED, f->n_inst);
  return f;
fail:
  fixed_destroy(f);
  return NULL;
}

static uint64_t fixed_in_flight(const void *state) { return ((const fixed *)state)->in_flight; }

/* The instances that exist owe their bill up to now. */
static void fixed_finish(void *state) { settle_bill(state); }

/* Frees the model without touching the engine or the recorder (the run is
 * over); requests still in flight go with the pool. */
static void fixed_destroy(void *state) {
  fixed *f = state;
  if (!f) return;
  router_free(f->route); /* before the instances: it clears their slots */
  for (int i = 0; i < f->n_inst; i++) inst_free(f->inst[i]);
  free(f->inst);
  inst_req_pool_free(f->pool);
  if (f->rng) gsl_rng_free(f->rng);
  free(f);
}

const platform_type platform_fixed = {
    .name = "fixed",
    .summary = "N always-ready instances, no autoscaling (the baseline)",
    .schema = &fixed_schema,
    .create = fixed_create,
    .on_arrival = fixed_on_arrival,
    .in_flight = fixed_in_flight,
    .finish = fixed_finish,
    .destroy = fixed_destroy,
    .on_fault = fixed_on_fault,
    .fault_check = fixed_fault_check,
};

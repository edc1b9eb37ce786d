/* service.c — the `ecs` platform (see service.h): an ECS service of Fargate
 * tasks behind an ALB, scaled by Application Auto Scaling.
 *
 * The control loop of spec §1, each step in its module:
 *   requests  -> ALB: round robin or least outstanding over healthy targets
 *                (router.h; 503 when none, or when a bounded task queue is
 *                full; 504 after the idle timeout) -> a task (instance.h)
 *   every metric period: CPUUtilization / MemoryUtilization from each task's
 *                exact consumption, RequestCountPerTarget every 60 s
 *                (metrics.h), published after the pipeline delay (spec §3.3)
 *   on publish:  alarms evaluated (alarm.h), policies invoked while in ALARM
 *                (target_tracking.h, step_scaling.h), one decision
 *                (scaling.h), desired count applied by the scheduler below;
 *                the load datapoints go into each predictive policy's history
 *   every hour:  predictive policies (predictive.h, spec §8.2) forecast every
 *                6 hours and put each hour's forecast capacity in place
 *                SchedulingBufferTime before the hour (scaling.h)
 *   scheduled:   actions set Min/Max (scaling.h, spec §8.1) at at/every
 *                offsets, or at the firings of AWS's Schedule string on the
 *                calendar of t = 0 (cron.h), one pending event per action
 *   scheduler:   launches tasks through the Fargate token bucket and launch
 *                time (launch.h), ALB registration and health checks
 *                (alb.h), stops tasks by deregistration (draining), SIGTERM,
 *                stopTimeout, SIGKILL (spec §9.5), Fargate Spot interruptions
 *                with their notice (spec §9.7), billing per task (billing.h).
 * Task phases map onto instance states: PENDING = PROVISIONING (launching),
 * REGISTERING = STARTING (RUNNING, not yet healthy in the target group),
 * SERVING and SICK (unhealthy, routed to only when every target is: ALB fail
 * open) = READY, DRAINING and STOPPING (SIGTERM sent) = DRAINING.
 *
 * Faults (models/faults.h, docs/faults.md). A lost task's container is gone
 * at once, through the same kill path as SIGKILL (a Spot interruption's
 * included): the requests in it fail with 502. ECS counts it stopped and the
 * scheduler launches a replacement to keep the desired count [I: at once];
 * a lost task that was a healthy target stays registered (DEAD) and the ALB
 * keeps routing to it — each request sent there fails with 502, the target
 * refusing the connection ("The load balancer received a TCP RST from the
 * target", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/
 * load-balancer-troubleshooting.html#http-502-issues) — until
 * UnhealthyThresholdCount health checks have failed (spec §9.3: 2 x 30 s by
 * default), when it leaves the target group. During start_failures, a task
 * that would reach RUNNING fails instead (TaskFailedToStart); the scheduler
 * then waits launch.restart_backoff, doubling with each failure in a row up
 * to launch.restart_backoff_max, before it launches again (service throttle
 * logic, spec §9.2). During slow_starts, launches take factor x their time.
 *
 * Per request the work is O(log n) (router, processor sharing) with no
 * allocation (a request pool); metrics are accumulated per task at period
 * boundaries, not per request. */
#include "models/ecs/service.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "models/ecs/alarm.h"
#include "models/ecs/alb.h"
#include "models/ecs/billing.h"
#include "models/ecs/config.h"
#include "models/ecs/cron.h"
#include "models/ecs/deploy.h"
#include "models/ecs/launch.h"
#include "models/ecs/metrics.h"
#include "models/ecs/predictive.h"
#include "models/ecs/scaling.h"
#include "models/ecs/step_scaling.h"
#include "models/ecs/target_tracking.h"
#include "models/instance.h"
#include "models/router.h"
#include "sim/rng.h"

typedef enum phase {
  PH_PENDING = 0, /* launching: token bucket, ENI, image pull, start */
  PH_REGISTERING, /* RUNNING; registering and passing its first health check */
  PH_SERVING,     /* healthy target */
  PH_SICK,        /* unhealthy target, replaced, stopped once a replacement serves */
  PH_DRAINING,    /* deregistering: in-flight requests finish, no new ones */
  PH_STOPPING,    /* SIGTERM sent; SIGKILL at the stop timeout */
  PH_DEAD         /* lost to a fault, still a target until health checks fail */
} phase;

enum { REQ_QUEUED = 1 }; /* inst_req.flags: in a task's backlog */

typedef struct ecs_service ecs_service;

typedef struct task {
  ecs_service *svc;
  instance *inst;
  struct task *next, *prev; /* the service's tasks, oldest first */
  phase ph;
  bool spot;
  bool counted;         /* counts towards the desired count */
  bool registered;      /* in the ALB target group (until deregistered) */
  int rev;              /* task definition revision (deployments) */
  double bill_from_s;   /* billing starts (image pull, spec §10) */
  double running_s;     /* RUNNING since; INFINITY while pending */
  double billed_usd;    /* cost already reported */
  int slow_slot;        /* in s->slow (ALB slow start, spec §9.4), or -1 */
  double dereg_end_s;   /* the deregistration delay ends (while draining) */
  /* metric accumulation since the last period boundary */
  double cpu_mark_s;    /* inst_cpu_consumed_s at run_from_s */
  double run_from_s;
  double mem_area;      /* integral of active requests since run_from_s */
  double active_at_s;
  int active;           /* requests active in the task (mirrors the instance) */
  ecs_target_health health;
  sim_handle ev;        /* lifecycle timer */
  sim_handle check_ev;  /* next health check */
  sim_handle spot_ev;   /* Spot interruption */
  sim_handle slow_ev;   /* end of its slow start */
} task;

/* An alarm and what feeds it: datapoints of one metric combined over the
 * alarm's period (a multiple of the metric's). */
typedef struct feed {
  ecs_alarm *alarm;
  char *name;
  int metric, stat;
  int per_push, n; /* metric datapoints per alarm period; collected so far */
  ecs_statset acc;
  bool evaluated;  /* evaluated in the current publication */
} feed;

/* A predictive policy's state (spec §8.2, predictive.h). */
typedef struct predictor {
  ecs_service *svc;
  const ecs_policy_cfg *cfg;
  ecs_pred_history *history;               /* hourly load, 14 days */
  double forecast[ECS_PRED_HORIZON_HOURS]; /* load of the hours from forecast_hour */
  long forecast_hour;                      /* -1 before the first forecast */
  long acted_hour;                         /* the last hour acted on, -1 none */
} predictor;

typedef struct policy {
  char *name;
  int kind;              /* ECS_KIND_* */
  int high, low, alarm;  /* feed indices (-1 = none) */
  ecs_tt_policy tt;
  ecs_step_policy step;
  ecs_step steps[ECS_MAX_STEPS];
  predictor pred;
} policy;

/* One period's datapoints, waiting for their publication. */
typedef struct batch {
  double due_s;    /* when they reach the alarms */
  double start_s;  /* the start of their period */
  double requests; /* ALB batches: requests that reached the load balancer */
  ecs_statset dp[ECS_METRIC_COUNT];
} batch;

/* A FIFO of batches. ECS's datapoints (CPU, memory, every metric period) and
 * the ALB's (RequestCountPerTarget, every 60 s) travel in two of them, each
 * delayed by metrics.publish_delay_periods of its own period: the ALB's
 * pipeline does not speed up with ECS's 20 s metrics (spec §3.3 [I]). */
typedef struct batch_queue {
  batch *ring;
  int cap, head, n;
} batch_queue;

/* A scheduled action: at/every offsets, or a Schedule string's plan (one
 * pending event either way, re-armed when it fires). */
typedef struct schedule {
  ecs_service *svc;
  const ecs_schedule_cfg *cfg;
  char *name;
  ecs_cron_plan plan; /* with cfg->schedule */
  double due_s;       /* with cfg->schedule: the firing pending (epoch s) */
} schedule;

struct ecs_service {
  const ecs_cfg *cfg;
  sim_engine *eng;
  out_recorder *rec;
  gsl_rng *rng_launch, *rng_health, *rng_spot, *rng_route;
  inst_req_pool *pool;
  inst_config icfg;
  router *healthy, *sick; /* healthy: targets at full weight */
  ecs_slow_set *slow;      /* healthy targets in slow start; NULL when it is off */
  task *head, *tail;
  uint64_t next_id;
  int n_counted, n_running, n_spot, n_registered;
  int revision;   /* the service's current task definition revision */
  bool deploying; /* a rolling deployment is in progress */
  ecs_token_bucket bucket;
  ecs_scaler scaler;
  feed *feeds;
  int n_feeds;
  policy *pol;
  int n_pol;
  ecs_proposal *props;
  schedule *sched;
  size_t n_sched;
  double origin_s; /* calendar time of t = 0 (epoch s), 0 when unknown */
  /* the metrics pipeline */
  double period_s, delay_s, alb_delay_s;
  int ticks_per_minute;
  long tick;
  batch_queue ecs_q, alb_q;
  ecs_util_acc cpu_acc, mem_acc;
  double routed, arrived, targets_area, targets_at_s;
  /* requests */
  inst_req *age_head, *age_tail; /* in arrival order = deadline order */
  sim_handle timeout_ev;
  uint64_t in_flight;
  /* faults */
  fault_windows faults;  /* open start_failures / slow_starts windows */
  int failed_starts;     /* tasks that failed to start, in a row */
  double hold_until_s;   /* the scheduler launches nothing before this */
  sim_handle hold_ev;
};

static double now_s(const ecs_service *s) { return sim_now(s->eng); }

/* --- decision log ------------------------------------------------------- */

static void log_activity(void *arg, double t, const ecs_activity *a) {
  ecs_service *s = arg;
  out_decision d = {.source = a->source, .event = a->event, .metric = a->metric,
                    .value = a->value, .old_desired = a->old_desired,
                    .new_desired = a->new_desired, .status = a->status, .reason = a->reason};
  out_decide(s->rec, t, &d);
  if (a->new_desired != a->old_desired) out_count(s->rec, t, OUT_DECISIONS, 1);
}

static void log_event(ecs_service *s, const char *source, const char *event, const char *metric,
                      double value, const char *status, const char *reason) {
  out_decision d = {.source = source, .event = event, .metric = metric, .value = value,
                    .old_desired = NAN, .new_desired = NAN, .status = status,
                    .reason = reason};
  out_decide(s->rec, now_s(s), &d);
}

/* --- per-task accounting ---------------------------------------------------- */

static bool container_runs(const task *t) { return t->ph != PH_PENDING && t->ph != PH_DEAD; }

static void touch_memory(task *t) {
  double now = now_s(t->svc);
  t->mem_area += t->active * (now - t->active_at_s);
  t->active_at_s = now;
}

/* Adds the task's use since the last boundary to the period's utilisation
 * (spec §3.1) and restarts its marks. */
static void flush_metrics(task *t) {
  ecs_service *s = t->svc;
  if (!container_runs(t)) return;
  double now = now_s(s), dt = now - t->run_from_s;
  touch_memory(t);
  double cpu = inst_cpu_consumed_s(t->inst);
  if (dt > 0) {
    double mem = s->icfg.base_mem_mib * dt + s->icfg.req_mem_mib * t->mem_area;
    ecs_util_acc_add(&s->cpu_acc, cpu - t->cpu_mark_s, s->icfg.vcpu, dt);
    ecs_util_acc_add(&s->mem_acc, mem, s->icfg.memory_mib, dt);
  }
  t->cpu_mark_s = cpu;
  t->run_from_s = now;
  t->mem_area = 0;
}

/* Reports the cost the task owes up to now (spec §10). */
static void accrue_bill(task *t) {
  ecs_service *s = t->svc;
  double now = now_s(s);
  if (now < t->bill_from_s || t->ph == PH_DEAD) return; /* a lost task was billed to its end */
  const ecs_cfg *c = s->cfg;
  double due = ecs_task_cost(&c->prices, (ecs_arch)c->task.architecture, t->spot,
                             c->task.vcpu, c->task.memory_mib / 1024, now - t->bill_from_s);
  if (due > t->billed_usd) {
    out_count(s->rec, now, OUT_COST_USD, due - t->billed_usd);
    t->billed_usd = due;
  }
}

/* --- target group membership --------------------------------------------------- */

/* Healthy targets: at full weight, and in slow start. */
static size_t n_healthy(const ecs_service *s) {
  return router_size(s->healthy) + (s->slow ? (size_t)ecs_slow_set_size(s->slow) : 0);
}

/* Integrates the targets the ALB routes to — the healthy ones, or every
 * unhealthy one while none is healthy (fail open, ALB-HC) — for the
 * denominator of RequestCountPerTarget, so that it counts the targets that
 * received the requests it counts (spec §3.2 [I]). Called before any change
 * to them. */
static void touch_targets(ecs_service *s) {
  double now = now_s(s);
  size_t n = n_healthy(s);
  if (n == 0) n = router_size(s->sick);
  if (s->cfg->metrics.alb_targets == ECS_ALB_TARGETS_REGISTERED) n = (size_t)s->n_registered;
  s->targets_area += (double)n * (now - s->targets_at_s);
  s->targets_at_s = now;
}

/* Registration in the target group: from ALB registration until the
 * deregistration completes (SIGTERM follows it, spec §9.5). */
static void set_registered(task *t, bool registered) {
  if (t->registered == registered) return;
  touch_targets(t->svc);
  t->registered = registered;
  t->svc->n_registered += registered ? 1 : -1;
}

static void leave_slow_start(task *t) {
  ecs_service *s = t->svc;
  if (t->slow_slot < 0) return;
  ecs_slow_set_remove(s->slow, t->slow_slot);
  t->slow_slot = -1;
  sim_cancel(s->eng, t->slow_ev);
  t->slow_ev = SIM_NO_HANDLE;
}

/* Out of the target group's routing (an unhealthy target also exits slow
 * start, ALB-TG). */
static void leave_routers(task *t) {
  ecs_service *s = t->svc;
  touch_targets(s);
  if (router_contains(s->healthy, t->inst)) router_remove(s->healthy, t->inst);
  leave_slow_start(t);
  if (router_contains(s->sick, t->inst)) router_remove(s->sick, t->inst);
}

static void update_route(task *t) {
  ecs_service *s = t->svc;
  if (router_contains(s->healthy, t->inst)) router_update(s->healthy, t->inst);
  else if (router_contains(s->sick, t->inst)) router_update(s->sick, t->inst);
}

/* ECS's RUNNING state: the running count capacity is computed from (ECS-AS). */
static bool is_running(phase ph) {
  return ph == PH_REGISTERING || ph == PH_SERVING || ph == PH_SICK;
}

static void set_phase(task *t, phase ph) {
  static const inst_state states[] = {INST_PROVISIONING, INST_STARTING, INST_READY,
                                      INST_READY, INST_DRAINING, INST_DRAINING};
  ecs_service *s = t->svc;
  SIM_ASSERT(ph != PH_DEAD && t->ph != PH_DEAD); /* a lost task's instance has stopped */
  s->n_running += (int)is_running(ph) - (int)is_running(t->ph);
  t->ph = ph;
  inst_set_state(t->inst, states[ph]);
}

static void set_counted(task *t, bool counted) {
  if (t->counted == counted) return;
  t->counted = counted;
  int d = counted ? 1 : -1;
  t->svc->n_counted += d;
  if (t->spot) t->svc->n_spot += d;
}

/* --- task lifecycle ---------------------------------------------------------------- */

static void reconcile(ecs_service *s);
static void on_lifecycle_idle(sim_engine *eng, void *arg);
static void on_complete(void *owner, instance *inst, inst_req *r);
static void on_start(void *owner, instance *inst, inst_req *r);
static const inst_hooks task_hooks = {.on_complete = on_complete, .on_start = on_start};

static void cancel(ecs_service *s, sim_handle *h) {
  sim_cancel(s->eng, *h);
  *h = SIM_NO_HANDLE;
}

/* The task's container has stopped: final metrics and bill, instance
 * STOPPED. */
static void stop_container(task *t) {
  ecs_service *s = t->svc;
  flush_metrics(t);
  accrue_bill(t);
  if (is_running(t->ph)) s->n_running--;
  inst_set_state(t->inst, INST_STOPPED);
  out_count(s->rec, now_s(s), OUT_INSTANCE_STOPS, 1);
}

/* The task leaves the service (its container has stopped): out of routing,
 * the target group and the count, unlinked and freed. */
static void release(task *t) {
  ecs_service *s = t->svc;
  cancel(s, &t->ev);
  cancel(s, &t->check_ev);
  cancel(s, &t->spot_ev);
  leave_routers(t);
  set_registered(t, false);
  set_counted(t, false);
  if (t->prev) t->prev->next = t->next;
  else s->head = t->next;
  if (t->next) t->next->prev = t->prev;
  else s->tail = t->prev;
  inst_free(t->inst);
  free(t);
}

/* The task is gone: its container stops, it leaves the service. */
static void finalize(task *t) {
  stop_container(t);
  release(t);
}

static void on_kill(sim_engine *eng, void *arg);

/* SIGTERM: the application finishes what it holds and exits; SIGKILL after
 * `grace_s` (stopTimeout, spec §9.5). An idle task exits at once [I]. */
static void sigterm(task *t, double grace_s) {
  ecs_service *s = t->svc;
  cancel(s, &t->ev);
  set_registered(t, false);
  set_phase(t, PH_STOPPING);
  if (inst_outstanding(t->inst) == 0) finalize(t);
  else t->ev = sim_schedule_in(s->eng, grace_s, on_kill, t);
}

static void on_dereg_timeout(sim_engine *eng, void *arg) {
  task *t = arg;
  t->ev = SIM_NO_HANDLE;
  sigterm(t, t->svc->cfg->stop_timeout_s);
}

/* A draining target has no request left: "if a deregistering target has no
 * in-flight requests and no active connections", the ALB completes its
 * deregistration at once (ALB-TG, spec §9.5); its kept-alive connections close
 * alb.idle_connection_close after the last request [I], at the latest at the
 * deregistration delay. ECS then sends SIGTERM. Returns false when that is
 * now (the caller finalizes), else schedules it. */
static bool await_connections(task *t) {
  ecs_service *s = t->svc;
  double close_s = s->cfg->alb.idle_close_s;
  if (close_s <= 0) return false;
  cancel(s, &t->ev);
  double at = fmin(now_s(s) + close_s, t->dereg_end_s);
  t->ev = sim_schedule(s->eng, at, on_dereg_timeout, t);
  return true;
}

/* Stops a task: deregistration first when it is a target (ALB-TG: in-flight
 * requests finish, new ones stop arriving, complete at once when idle), then
 * SIGTERM (spec §9.5). Tasks not yet serving stop at once. */
static void stop_task(task *t) {
  ecs_service *s = t->svc;
  set_counted(t, false);
  if (t->ph == PH_DRAINING || t->ph == PH_STOPPING) return;
  cancel(s, &t->check_ev);
  cancel(s, &t->spot_ev);
  if (t->ph == PH_PENDING || t->ph == PH_REGISTERING) {
    finalize(t);
    return;
  }
  leave_routers(t);
  cancel(s, &t->ev);
  set_phase(t, PH_DRAINING);
  t->dereg_end_s = now_s(s) + s->cfg->alb.deregistration_delay_s;
  if (inst_outstanding(t->inst) > 0)
    t->ev = sim_schedule(s->eng, t->dereg_end_s, on_dereg_timeout, t);
  else if (!await_connections(t))
    finalize(t);
}

static void on_spot_interruption(sim_engine *eng, void *arg);
static void on_running(sim_engine *eng, void *arg);
static void on_registered(sim_engine *eng, void *arg);
static void on_check(sim_engine *eng, void *arg);

static task *task_alloc(ecs_service *s, bool spot) {
  task *t = sim_xcalloc(1, sizeof *t);
  t->svc = s;
  t->spot = spot;
  t->rev = s->revision;
  t->running_s = INFINITY;
  t->slow_slot = -1;
  t->inst = inst_alloc(s->eng, s->rec, &s->icfg, &task_hooks, s, ++s->next_id);
  inst_set_user(t->inst, t);
  t->prev = s->tail;
  if (s->tail) s->tail->next = t;
  else s->head = t;
  s->tail = t;
  set_counted(t, true);
  return t;
}

/* Capacity provider strategy (spec §9.7): the FARGATE base first, then the
 * provider furthest below its weight's share; ties go on demand. */
static bool place_on_spot(const ecs_service *s) {
  const ecs_spot_cfg *c = &s->cfg->spot;
  if (c->spot_weight <= 0) return false;
  int od = s->n_counted - s->n_spot;
  if (od < c->on_demand_base) return false;
  if (c->on_demand_weight <= 0) return true;
  double od_share = (od - c->on_demand_base) / c->on_demand_weight;
  double spot_share = s->n_spot / c->spot_weight;
  return spot_share < od_share;
}

static void arm_spot(task *t) {
  double rate = t->svc->cfg->spot.interruptions_per_task_hour / 3600.0;
  if (!t->spot || rate <= 0) return;
  double in = gsl_ran_exponential(t->svc->rng_spot, 1.0 / rate);
  t->spot_ev = sim_schedule_in(t->svc->eng, in, on_spot_interruption, t);
}

/* Launches one task (spec §9.2): admitted by the token bucket, RUNNING after
 * the launch time (x factor during a slow_starts fault), billed from the
 * image pull. */
static void launch(ecs_service *s) {
  double now = now_s(s);
  task *t = task_alloc(s, place_on_spot(s));
  const ecs_launch_cfg *l = &s->cfg->launch;
  double admitted = ecs_bucket_take(&s->bucket, now);
  ecs_launch_time lt = {l->median_s, l->p95_s};
  double took = ecs_launch_time_draw(&lt, s->rng_launch) * s->faults.slow_factor;
  t->bill_from_s = admitted + fmin(l->before_pull_s, took);
  t->ev = sim_schedule(s->eng, admitted + took, on_running, t);
  arm_spot(t);
  out_count(s->rec, now, OUT_INSTANCE_STARTS, 1);
}

static void start_running(task *t) {
  double now = now_s(t->svc);
  t->running_s = now;
  t->run_from_s = now;
  t->active_at_s = now;
  t->cpu_mark_s = inst_cpu_consumed_s(t->inst);
}

static void fail_start(task *t);

static void on_running(sim_engine *eng, void *arg) {
  task *t = arg;
  t->ev = SIM_NO_HANDLE;
  if (t->svc->faults.open[FAULT_START_FAILURES] > 0) {
    fail_start(t);
    return;
  }
  t->svc->failed_starts = 0; /* the throttle relents once a task runs */
  start_running(t);
  set_phase(t, PH_REGISTERING);
  t->ev = sim_schedule_in(eng, t->svc->cfg->alb.registration_delay_s, on_registered, t);
}

/* Registered: the first health check comes at a uniformly random point of the
 * check interval (the ALB checks on its own schedule) [I] spec §9.3. */
static void on_registered(sim_engine *eng, void *arg) {
  task *t = arg;
  t->ev = SIM_NO_HANDLE;
  set_registered(t, true);
  ecs_health_init(&t->health);
  double first = gsl_rng_uniform(t->svc->rng_health) * t->svc->cfg->alb.health_check.interval_s;
  t->check_ev = sim_schedule_in(eng, first, on_check, t);
}

/* The slow start is over: the target takes its full share. */
static void on_slow_start_end(sim_engine *eng, void *arg) {
  task *t = arg;
  t->slow_ev = SIM_NO_HANDLE;
  ecs_slow_set_remove(t->svc->slow, t->slow_slot);
  t->slow_slot = -1;
  router_add(t->svc->healthy, t->inst);
}

static void become_serving(task *t, bool from_sick) {
  ecs_service *s = t->svc;
  double now = now_s(s);
  touch_targets(s);
  if (from_sick) router_remove(s->sick, t->inst);
  set_phase(t, PH_SERVING);
  /* ALB-TG: a new target enters slow start only when at least one other
   * healthy target is not in slow start. */
  if (!from_sick && s->slow && router_size(s->healthy) > 0) {
    t->slow_slot = ecs_slow_set_add(s->slow, t, now);
    t->slow_ev = sim_schedule_in(s->eng, s->cfg->alb.slow_start_s, on_slow_start_end, t);
  } else {
    router_add(s->healthy, t->inst);
  }
  if (from_sick) {
    set_counted(t, true);
    reconcile(s); /* its replacement may now be one too many */
    return;
  }
  /* A replacement serves: the oldest unhealthy task it replaces goes. */
  for (task *u = s->head; u; u = u->next)
    if (u->ph == PH_SICK) {
      stop_task(u);
      break;
    }
  if (s->deploying) reconcile(s); /* one more healthy task: the rollout moves on */
}

/* Unhealthy: out of routing, replaced by the scheduler (an unhealthy task in a
 * service is stopped and replaced, spec §9.3), stopped once its replacement
 * serves. */
static void become_sick(task *t) {
  ecs_service *s = t->svc;
  leave_routers(t);
  set_phase(t, PH_SICK);
  touch_targets(s);
  router_add(s->sick, t->inst);
  set_counted(t, false);
  reconcile(s);
}

/* One ALB health check (ALB-HC): it fails only when fail_when_saturated is on
 * and every slot of the task is busy, so that the check itself would have to
 * wait [I]; results count at the check. */
static void bury(task *t);

static void on_check(sim_engine *eng, void *arg) {
  task *t = arg;
  ecs_service *s = t->svc;
  const ecs_health_check_cfg *hc = &s->cfg->alb.health_check;
  t->check_ev = SIM_NO_HANDLE;
  bool dead = t->ph == PH_DEAD;
  bool passed = !dead && !(hc->fail_when_saturated && !inst_has_slot(t->inst));
  ecs_health before = t->health.state;
  ecs_health after = ecs_health_record(
      &(ecs_health_cfg){hc->interval_s, hc->timeout_s, hc->healthy_threshold,
                        hc->unhealthy_threshold, hc->initial_threshold},
      &t->health, passed);
  if (dead) { /* a lost task: checked until the ALB declares it unhealthy */
    if (after == ECS_HEALTH_UNHEALTHY) bury(t);
    else t->check_ev = sim_schedule_in(eng, hc->interval_s, on_check, t);
    return;
  }
  if (after == ECS_HEALTH_HEALTHY && before != ECS_HEALTH_HEALTHY)
    become_serving(t, before == ECS_HEALTH_UNHEALTHY);
  else if (after == ECS_HEALTH_UNHEALTHY && before != ECS_HEALTH_UNHEALTHY)
    become_sick(t);
  /* Checks matter again only while they can change something. */
  if (hc->fail_when_saturated || t->health.state != ECS_HEALTH_HEALTHY)
    t->check_ev = sim_schedule_in(eng, hc->interval_s, on_check, t);
}

static void evict_one(void *arg, inst_req *r);

/* The kill path: the container dies now (SIGKILL, or lost to a fault) and
 * the requests still in it fail (502, the target closed the connection). */
static void kill_container(task *t) {
  touch_memory(t);
  t->active = 0;
  inst_evict_all(t->inst, evict_one, t->svc);
}

/* SIGKILL at the end of the stop timeout (a scale-in's or a Spot
 * interruption's). */
static void on_kill(sim_engine *eng, void *arg) {
  task *t = arg;
  t->ev = SIM_NO_HANDLE;
  kill_container(t);
  finalize(t);
}

/* A task lost to a fault (see the top of the file): killed; a healthy target
 * stays registered, DEAD, until its health checks fail, every other task
 * leaves at once. The caller reconciles: ECS replaces it. */
static void lose_task(task *t) {
  ecs_service *s = t->svc;
  kill_container(t);
  if (t->ph != PH_SERVING) {
    finalize(t);
    return;
  }
  stop_container(t);
  t->ph = PH_DEAD;
  set_counted(t, false);
  cancel(s, &t->ev);
  cancel(s, &t->spot_ev);
  /* The ALB checks on its own schedule: the next check within an interval. */
  const ecs_health_check_cfg *hc = &s->cfg->alb.health_check;
  if (!sim_pending(s->eng, t->check_ev))
    t->check_ev = sim_schedule_in(s->eng, gsl_rng_uniform(s->rng_health) * hc->interval_s,
                                  on_check, t);
}

/* The ALB has found a lost task unhealthy: it leaves the target group. */
static void bury(task *t) {
  char id[32];
  snprintf(id, sizeof id, "task%llu", (unsigned long long)inst_id(t->inst));
  log_event(t->svc, id, "health", "", NAN, "unhealthy",
            "Target.FailedHealthChecks: the lost task leaves the target group");
  release(t);
}

static void on_lifecycle_idle(sim_engine *eng, void *arg) {
  task *t = arg;
  t->ev = SIM_NO_HANDLE;
  if (inst_outstanding(t->inst) == 0) finalize(t);
}

/* Fargate Spot interruption (spec §9.7): TerminationNotice and SIGTERM now,
 * deregistration, SIGKILL after the stop timeout (at most the notice); the
 * scheduler launches a replacement. */
static void on_spot_interruption(sim_engine *eng, void *arg) {
  task *t = arg;
  ecs_service *s = t->svc;
  t->spot_ev = SIM_NO_HANDLE;
  char id[32];
  snprintf(id, sizeof id, "task%llu", (unsigned long long)inst_id(t->inst));
  log_event(s, id, "spot", "", NAN, "TerminationNotice", "Your Spot Task was interrupted.");
  set_counted(t, false);
  if (t->ph == PH_PENDING || t->ph == PH_REGISTERING) {
    finalize(t);
  } else if (t->ph == PH_SERVING || t->ph == PH_SICK) {
    cancel(s, &t->check_ev);
    leave_routers(t);
    sigterm(t, fmin(s->cfg->stop_timeout_s, s->cfg->spot.notice_s));
  }
  reconcile(s);
}

/* --- the scheduler ------------------------------------------------------------- */

/* The task a scale-in stops (spec §9.5; order [I]): launches first, then
 * tasks not yet serving, newest first, then serving ones by selection. */
static task *pick_victim(const ecs_service *s) {
  for (int ph = PH_PENDING; ph <= PH_REGISTERING; ph++)
    for (task *t = s->tail; t; t = t->prev)
      if (t->counted && (int)t->ph == ph) return t;
  bool oldest = s->cfg->scale_in_selection == ECS_STOP_OLDEST;
  for (task *t = oldest ? s->head : s->tail; t; t = oldest ? t->next : t->prev)
    if (t->counted) return t;
  return NULL;
}

/* The scheduler's throttle after tasks failed to start (see the top). */
static bool launches_held(const ecs_service *s) { return now_s(s) < s->hold_until_s; }

static void on_hold_end(sim_engine *eng, void *arg) {
  ecs_service *s = arg;
  s->hold_ev = SIM_NO_HANDLE;
  reconcile(s);
}

/* A task failed to reach RUNNING (a start_failures fault): it stops
 * (TaskFailedToStart), billed for its launch; the scheduler holds its
 * launches for the backoff, then replaces it. */
static void fail_start(task *t) {
  ecs_service *s = t->svc;
  const ecs_launch_cfg *l = &s->cfg->launch;
  double backoff = fmin(l->restart_backoff_max_s, l->restart_backoff_s * ldexp(1, s->failed_starts++));
  char id[32], reason[160];
  snprintf(id, sizeof id, "task%llu", (unsigned long long)inst_id(t->inst));
  snprintf(reason, sizeof reason,
           "TaskFailedToStart (start_failures fault); %d in a row: next launch in %gs",
           s->failed_starts, backoff);
  log_event(s, id, "start", "", NAN, "Failed", reason);
  finalize(t);
  s->hold_until_s = fmax(s->hold_until_s, now_s(s) + backoff);
  cancel(s, &s->hold_ev);
  s->hold_ev = sim_schedule(s->eng, s->hold_until_s, on_hold_end, s);
  reconcile(s);
}

/* Brings the counted tasks to the desired count (launches wait while the
 * scheduler's throttle holds them). */
static void scale_to_desired(ecs_service *s) {
  while (s->n_counted < s->scaler.desired && !launches_held(s)) launch(s);
  while (s->n_counted > s->scaler.desired) {
    task *t = pick_victim(s);
    SIM_ASSERT(t);
    stop_task(t);
  }
}

/* Where a rolling deployment stands. */
typedef struct rollout {
  int fresh, old;       /* counted tasks of the new / an old revision */
  int serving, waiting; /* counted tasks serving / launching or registering */
  task *old_waiting;    /* an old task not yet serving */
  task *old_serving;    /* the oldest old task serving */
} rollout;

static rollout count_rollout(const ecs_service *s) {
  rollout r = {0};
  for (task *t = s->head; t; t = t->next) {
    if (!t->counted) continue;
    bool old = t->rev < s->revision;
    if (old) r.old++;
    else r.fresh++;
    if (t->ph == PH_SERVING) r.serving++;
    if (t->ph == PH_PENDING || t->ph == PH_REGISTERING) {
      r.waiting++;
      if (old && !r.old_waiting) r.old_waiting = t;
    }
    if (old && t->ph == PH_SERVING && !r.old_serving) r.old_serving = t;
  }
  return r;
}

static void end_deployment(ecs_service *s, const char *status, const char *reason) {
  s->deploying = false;
  s->scaler.scale_in_paused = false;
  char rev[32];
  snprintf(rev, sizeof rev, "revision%d", s->revision);
  log_event(s, rev, "deployment", "", NAN, status, reason);
  scale_to_desired(s);
}

/* The rolling update (spec §9.6): launch tasks of the new revision while at
 * most maximumPercent of the desired count run or are pending, stop old ones
 * while at least minimumHealthyPercent stay healthy; tasks not yet serving go
 * first. Runs again whenever a task becomes healthy; complete when no old task
 * is left and none is still launching. A deployment that can neither launch
 * nor stop and waits for no task is stuck: logged as Failed. */
static void deploy_step(ecs_service *s) {
  const ecs_deployment_cfg *dc = &s->cfg->deployment;
  for (;;) {
    int desired = s->scaler.desired;
    rollout r = count_rollout(s);
    /* Complete once no old task is left and the new ones all serve: ECS's
     * steady state (running = desired, healthy), not merely launched. */
    if (r.old == 0 && r.waiting == 0) {
      end_deployment(s, "Successful", "COMPLETED");
      return;
    }
    if (r.fresh < desired && s->n_counted < ecs_deploy_max_tasks(desired, dc->maximum_percent)) {
      if (launches_held(s)) return; /* on_hold_end resumes the rollout */
      launch(s);
    }
    else if (r.old_waiting)
      stop_task(r.old_waiting);
    else if (r.old_serving &&
             r.serving - 1 >= ecs_deploy_min_healthy(desired, dc->minimum_healthy_percent))
      stop_task(r.old_serving);
    else if (r.waiting == 0) {
      end_deployment(s, "Failed",
                     "minimum_healthy_percent and maximum_percent leave no room to replace a "
                     "task");
      return;
    } else
      return;
  }
}

/* Applies the desired count: the rollout's rules while a deployment runs. */
static void reconcile(ecs_service *s) {
  if (s->deploying) deploy_step(s);
  else scale_to_desired(s);
  out_gauge_set(s->rec, now_s(s), OUT_DESIRED, s->scaler.desired);
}

/* A new task definition revision is deployed; scale-in pauses until it is
 * done (ECS-AS, spec §2). */
static void on_deploy(sim_engine *eng, void *arg) {
  ecs_service *s = arg;
  if (s->deploying) end_deployment(s, "Overridden", "a newer deployment replaced it");
  s->revision++;
  s->deploying = true;
  s->scaler.scale_in_paused = true;
  char rev[32];
  snprintf(rev, sizeof rev, "revision%d", s->revision);
  log_event(s, rev, "deployment", "", NAN, "InProgress", "rolling update started");
  reconcile(s);
}

/* --- requests ------------------------------------------------------------------ */

static double deadline_s(const ecs_service *s, const inst_req *r) {
  return r->arrival_s + s->cfg->alb.idle_timeout_s;
}

static void on_timeout(sim_engine *eng, void *arg);

/* One timer for the oldest request's deadline. It is not moved when that
 * request leaves early: it fires at the stale deadline, expires nothing and
 * re-arms for the new oldest, so timer work is about one event per timeout
 * period rather than one per request. */
static void arm_timeout(ecs_service *s) {
  if (s->age_head && !sim_pending(s->eng, s->timeout_ev))
    s->timeout_ev = sim_schedule(s->eng, deadline_s(s, s->age_head), on_timeout, s);
}

static void age_append(ecs_service *s, inst_req *r) {
  r->model_next = NULL;
  r->model_prev = s->age_tail;
  if (s->age_tail) s->age_tail->model_next = r;
  else s->age_head = r;
  s->age_tail = r;
  arm_timeout(s);
}

static void age_unlink(ecs_service *s, inst_req *r) {
  if (r->model_prev) r->model_prev->model_next = r->model_next;
  else s->age_head = r->model_next;
  if (r->model_next) r->model_next->model_prev = r->model_prev;
  else s->age_tail = r->model_prev;
  r->model_next = r->model_prev = NULL;
}

static void unqueue(ecs_service *s, inst_req *r, bool served) {
  if (!(r->flags & REQ_QUEUED)) return;
  r->flags &= (uint8_t)~REQ_QUEUED;
  double now = now_s(s);
  out_gauge_add(s->rec, now, OUT_QUEUED, -1);
  if (served) {
    out_count(s->rec, now, OUT_WAITED, 1);
    out_count(s->rec, now, OUT_QUEUE_WAIT_S, now - r->arrival_s);
  }
}

static void depart(ecs_service *s, inst_req *r) {
  age_unlink(s, r);
  s->in_flight--;
  out_gauge_add(s->rec, now_s(s), OUT_IN_FLIGHT, -1);
  inst_req_put(s->pool, r);
}

/* A stopping task that has become idle exits (checked in an event of its
 * own: an instance may not be freed from inside its hooks); a draining one
 * first waits for its connections to close (await_connections). */
static void maybe_idle(task *t) {
  if ((t->ph != PH_DRAINING && t->ph != PH_STOPPING) || inst_outstanding(t->inst) > 0) return;
  if (t->ph == PH_DRAINING && await_connections(t)) return;
  cancel(t->svc, &t->ev); /* the deregistration or SIGKILL timer is moot */
  t->ev = sim_schedule_in(t->svc->eng, 0, on_lifecycle_idle, t);
}

static void evict_one(void *arg, inst_req *r) {
  ecs_service *s = arg;
  unqueue(s, r, false);
  out_error(s->rec, now_s(s), 502);
  depart(s, r);
}

/* The ALB idle timeout: the oldest request gets 504 and leaves its task
 * (the application is assumed to stop working on it) [I]. */
static void expire(ecs_service *s, inst_req *r) {
  task *t = inst_user(r->inst);
  if (r->flags & REQ_QUEUED) {
    unqueue(s, r, false);
  } else {
    touch_memory(t);
    t->active--;
  }
  inst_remove(r->inst, r); /* may start the backlog head through on_start */
  update_route(t);
  out_error(s->rec, now_s(s), 504);
  depart(s, r);
  maybe_idle(t);
}

static void on_timeout(sim_engine *eng, void *arg) {
  ecs_service *s = arg;
  s->timeout_ev = SIM_NO_HANDLE;
  while (s->age_head && deadline_s(s, s->age_head) <= now_s(s)) expire(s, s->age_head);
  arm_timeout(s);
}

static void on_complete(void *owner, instance *inst, inst_req *r) {
  ecs_service *s = owner;
  task *t = inst_user(inst);
  double now = now_s(s);
  touch_memory(t);
  t->active--;
  out_latency(s->rec, now, now - r->arrival_s);
  out_count(s->rec, now, OUT_COMPLETIONS, 1);
  depart(s, r);
  update_route(t);
  maybe_idle(t);
}

static void on_start(void *owner, instance *inst, inst_req *r) {
  task *t = inst_user(inst);
  touch_memory(t);
  t->active++;
  unqueue(owner, r, true);
}

/* The ALB's choice of target (ALB-TG, spec §9.4): round robin or least
 * outstanding requests over the healthy targets at full weight; with slow
 * start, a target in it has weight (now - since) / duration against 1 for the
 * others, so its share rises linearly: the request goes to the slow-start
 * set with probability W / (F + W), and within it by weight. O(log n). */
static instance *pick_target(ecs_service *s) {
  if (n_healthy(s) == 0)
    return router_size(s->sick) ? router_pick(s->sick) : NULL; /* fail open (ALB-HC) */
  if (!s->slow || ecs_slow_set_size(s->slow) == 0) return router_pick(s->healthy);
  double now = now_s(s), full = (double)router_size(s->healthy);
  double w = ecs_slow_set_weight(s->slow, now);
  if (full > 0 && gsl_rng_uniform(s->rng_route) * (full + w) >= w)
    return router_pick(s->healthy);
  task *t = ecs_slow_set_pick(s->slow, now, gsl_rng_uniform(s->rng_route));
  return t->inst;
}

static void ecs_on_arrival(void *state, const wl_request *req) {
  ecs_service *s = state;
  double now = req->arrival_s;
  out_count(s->rec, now, OUT_ARRIVALS, 1);
  s->arrived++;
  instance *inst = pick_target(s);
  if (!inst) { /* no healthy target: 503 (spec §9.4, DESIGN §4) */
    out_error(s->rec, now, 503);
    return;
  }
  s->routed++;
  task *t = inst_user(inst);
  if (t->ph == PH_DEAD) { /* a lost task the ALB still routes to: refused, 502 */
    out_error(s->rec, now, 502);
    return;
  }
  /* A task with a bounded task.backlog that is full: 503 (DESIGN §4). The ALB
   * itself never refuses a busy target; by default the backlog is unbounded
   * and only the idle timeout (504) limits the wait. */
  if (!inst_can_accept(inst)) {
    out_error(s->rec, now, 503);
    return;
  }
  inst_req *r = inst_req_get(s->pool);
  r->arrival_s = req->arrival_s;
  r->cpu_s = req->cpu_s;
  r->wait_s = req->wait_s;
  s->in_flight++;
  out_gauge_add(s->rec, now, OUT_IN_FLIGHT, 1);
  age_append(s, r);
  touch_memory(t);
  if (inst_admit(inst, r) == 1) {
    t->active++;
  } else {
    r->flags |= REQ_QUEUED;
    out_gauge_add(s->rec, now, OUT_QUEUED, 1);
  }
  update_route(t);
}

/* --- metrics, alarms, decisions ------------------------------------------------------ */

static void on_publish(sim_engine *eng, void *arg);

/* A new batch of the period from start_s, due at due_s, at the back of q. */
static batch *queue_push(batch_queue *q, double start_s, double due_s) {
  SIM_ASSERT(q->n < q->cap);
  batch *b = &q->ring[(q->head + q->n++) % q->cap];
  for (int m = 0; m < ECS_METRIC_COUNT; m++) ecs_statset_clear(&b->dp[m]);
  b->due_s = due_s;
  b->start_s = start_s;
  b->requests = 0;
  return b;
}

/* The front batch of q if it is due at now_s (else NULL), taken off q; it
 * stays valid until the next push. */
static const batch *queue_pop_due(batch_queue *q, double now_s) {
  if (q->n == 0 || q->ring[q->head].due_s > now_s + 1e-6) return NULL;
  const batch *b = &q->ring[q->head];
  q->head = (q->head + 1) % q->cap;
  q->n--;
  return b;
}

/* End of a metric period: CPU and memory datapoints, and every minute the
 * ALB's, each published after its delay (spec §3.3); billing accrues. */
static void on_tick(sim_engine *eng, void *arg) {
  ecs_service *s = arg;
  double now = now_s(s);
  s->tick++;
  for (task *t = s->head; t; t = t->next) {
    flush_metrics(t);
    accrue_bill(t);
  }
  batch *b = queue_push(&s->ecs_q, now - s->period_s, now + s->delay_s);
  ecs_util_acc_datapoint(&s->cpu_acc, &b->dp[ECS_METRIC_CPU]);
  ecs_util_acc_datapoint(&s->mem_acc, &b->dp[ECS_METRIC_MEMORY]);
  ecs_util_acc_clear(&s->cpu_acc);
  ecs_util_acc_clear(&s->mem_acc);
  if (s->tick % s->ticks_per_minute == 0) {
    touch_targets(s);
    b = queue_push(&s->alb_q, now - 60, now + s->alb_delay_s);
    /* "ELB reports metrics only when requests are flowing" vs "Always
     * reported" (spec §3.2, §12.8): metrics.alb_report_when_idle. */
    if (s->arrived > 0 || s->cfg->metrics.alb_report_when_idle)
      ecs_statset_add(&b->dp[ECS_METRIC_REQUESTS],
                      ecs_request_count_per_target(s->routed, s->arrived,
                                                   s->targets_area / 60.0));
    b->requests = s->arrived;
    s->routed = s->arrived = s->targets_area = 0;
  }
  /* One publication per ECS period; the ALB's datapoints are taken by the
   * first at or after they are due (the same instant unless the delay is a
   * fraction of a period that does not line up). */
  sim_schedule_in(eng, s->delay_s, on_publish, s);
  sim_schedule_in(eng, s->period_s, on_tick, s);
}

/* Feeds one datapoint to an alarm; evaluates it at the end of its period and
 * logs a state change. */
static void feed_datapoint(ecs_service *s, feed *f, const ecs_statset *dp) {
  ecs_statset_merge(&f->acc, dp);
  if (++f->n < f->per_push) return;
  double v = ecs_statset_get(&f->acc, (ecs_stat)f->stat);
  ecs_alarm_state before = ecs_alarm_get_state(f->alarm);
  ecs_alarm_state after = ecs_alarm_push(f->alarm, v);
  f->evaluated = true;
  f->n = 0;
  ecs_statset_clear(&f->acc);
  if (after != before) {
    char why[64];
    snprintf(why, sizeof why, "from %s", ecs_alarm_state_name(before));
    log_event(s, f->name, "alarm", ecs_metric_names[f->metric], v, ecs_alarm_state_name(after),
              why);
  }
}

/* The metric value a target tracking policy computes with (spec §5.3 [I]). */
static double tt_value(const ecs_service *s, const ecs_alarm *a) {
  double latest = ecs_alarm_latest(a);
  if (s->cfg->scaling.tt_metric_value == ECS_TT_VALUE_WINDOW_AVERAGE || isnan(latest))
    return ecs_alarm_window(a, ECS_AGG_AVERAGE);
  return latest;
}

static void propose(ecs_service *s, const policy *p, ecs_proposal *out) {
  double now = now_s(s);
  int running = s->n_running;
  if (p->kind == ECS_KIND_TARGET_TRACKING) {
    const ecs_alarm *hi = s->feeds[p->high].alarm;
    const ecs_alarm *lo = p->low >= 0 ? s->feeds[p->low].alarm : NULL;
    ecs_tt_inputs in = {.high = ecs_alarm_get_state(hi),
                        .low = lo ? ecs_alarm_get_state(lo) : ECS_ALARM_OK,
                        .m_high = tt_value(s, hi),
                        .m_low = lo ? tt_value(s, lo) : NAN,
                        .latest = ecs_alarm_latest(hi),
                        .base_out = ecs_scaler_base(&s->scaler, now, running, ECS_DIR_OUT),
                        .running = running,
                        .desired = s->scaler.desired,
                        .min_capacity = s->scaler.cfg.min_capacity};
    ecs_tt_propose(&p->tt, &in, out);
    /* Invoked only when its alarms were evaluated now; else it just votes. */
    out->vote_only = !s->feeds[p->high].evaluated;
    return;
  }
  const feed *f = &s->feeds[p->alarm];
  if (!f->evaluated || ecs_alarm_get_state(f->alarm) != ECS_ALARM_ALARM) {
    *out = (ecs_proposal){.policy = p->name, .kind = ECS_POLICY_STEP, .dir = ECS_DIR_NONE};
    return;
  }
  const ecs_alarm_cfg *ac = ecs_alarm_config(f->alarm);
  double m = ecs_alarm_window(f->alarm, p->step.aggregation);
  bool up = ac->cmp == ECS_CMP_GT || ac->cmp == ECS_CMP_GE;
  int base = ecs_scaler_base(&s->scaler, now, running, up ? ECS_DIR_OUT : ECS_DIR_IN);
  ecs_step_propose(&p->step, ac, m, base, ecs_metric_names[f->metric], out);
}

/* A batch's load datapoint goes into the history of each predictive policy
 * whose pair it belongs to (AAS-API: the pair "knows the correct sum and
 * average statistics"): the Sum of CPUUtilization or MemoryUtilization —
 * ECSServiceTotal*Utilization, the tasks' percentages added up — or
 * TotalALBRequestCount, the requests of the minute. Those count every request
 * that reached the load balancer, a target or not (503s included: the demand
 * to forecast) [I]. A period without a datapoint adds nothing. */
static void observe_load(ecs_service *s, const batch *b, bool alb) {
  for (int i = 0; i < s->n_pol; i++) {
    policy *p = &s->pol[i];
    if (p->kind != ECS_KIND_PREDICTIVE) continue;
    int pair = p->pred.cfg->metric_pair;
    if ((pair == ECS_PRED_PAIR_ALB_REQUESTS) != alb) continue;
    int m = alb ? ECS_METRIC_REQUESTS : pair == ECS_PRED_PAIR_CPU ? ECS_METRIC_CPU
                                                                   : ECS_METRIC_MEMORY;
    if (b->dp[m].count <= 0) continue;
    double load = alb ? b->requests : ecs_statset_get(&b->dp[m], ECS_STAT_SUM);
    ecs_pred_observe(p->pred.history, b->start_s, load);
  }
}

/* A period's datapoints reach CloudWatch: alarms evaluate, policies are
 * invoked for every period an alarm stays in ALARM (CW-ACTIONS), the scaler
 * decides, the scheduler applies. Predictive policies only take the load
 * datapoints: they act on their own clock (on_forecast_hour). */
static void on_publish(sim_engine *eng, void *arg) {
  ecs_service *s = arg;
  double now = now_s(s);
  const batch *b = queue_pop_due(&s->ecs_q, now);
  SIM_ASSERT(b);
  for (int i = 0; i < s->n_feeds; i++) {
    feed *f = &s->feeds[i];
    f->evaluated = false;
    if (f->metric != ECS_METRIC_REQUESTS) feed_datapoint(s, f, &b->dp[f->metric]);
  }
  observe_load(s, b, false);
  while ((b = queue_pop_due(&s->alb_q, now))) {
    for (int i = 0; i < s->n_feeds; i++)
      if (s->feeds[i].metric == ECS_METRIC_REQUESTS)
        feed_datapoint(s, &s->feeds[i], &b->dp[ECS_METRIC_REQUESTS]);
    observe_load(s, b, true);
  }
  bool any = false;
  for (int i = 0; i < s->n_feeds; i++) any = any || s->feeds[i].evaluated;
  if (!any) return;
  size_t n = 0;
  for (int i = 0; i < s->n_pol; i++)
    if (s->pol[i].kind != ECS_KIND_PREDICTIVE) propose(s, &s->pol[i], &s->props[n++]);
  int before = s->scaler.desired;
  ecs_scaler_decide(&s->scaler, now_s(s), s->n_running, s->props, n);
  if (s->scaler.desired != before) reconcile(s);
}

/* --- predictive scaling (spec §8.2, predictive.h) ------------------------------------ */

static void log_forecast(const policy *p, const char *status, double load, const char *reason) {
  ecs_service *s = p->pred.svc;
  ecs_activity a = {.source = p->name, .event = "predictive",
                    .metric = ecs_pred_load_names[p->pred.cfg->metric_pair], .value = load,
                    .old_desired = s->scaler.desired, .new_desired = s->scaler.desired,
                    .status = status, .reason = reason};
  log_activity(s, now_s(s), &a);
}

/* A new forecast for the 48 hours from `hour` (AAS-PRED), logged; without 24
 * hours of data there is none, and the last one, if any, stays. */
static void refresh_forecast(policy *p, long hour) {
  predictor *pr = &p->pred;
  const ecs_aas_cfg *a = &pr->svc->cfg->scaling;
  double f[ECS_PRED_HORIZON_HOURS];
  int hours = ecs_pred_forecast(pr->history, hour, (ecs_pred_method)a->predictive_forecast, f);
  char reason[160];
  if (hours < ECS_PRED_MIN_HOURS) {
    snprintf(reason, sizeof reason, "needs %d h of metric data, has %d h", ECS_PRED_MIN_HOURS,
             hours);
    log_forecast(p, "NoForecast", NAN, reason);
    return;
  }
  memcpy(pr->forecast, f, sizeof f);
  pr->forecast_hour = hour;
  double peak = NAN;
  for (int i = 0; i < ECS_PRED_HORIZON_HOURS; i++)
    if (!isnan(f[i]) && (isnan(peak) || f[i] > peak)) peak = f[i];
  snprintf(reason, sizeof reason,
           "hourly forecast for hours %ld-%ld from %d h of data; peak %d tasks", hour,
           hour + ECS_PRED_HORIZON_HOURS - 1, hours,
           isnan(peak) ? 0 : ecs_pred_capacity(peak, pr->cfg->target));
  log_forecast(p, "ForecastUpdated", peak, reason);
}

/* The action for hour `hour`: its forecast capacity and effective maximum
 * to the scaler (ForecastOnly: only logged); with no forecast for the hour,
 * the last hour's hold ends. */
static void act_on_forecast(policy *p, long hour) {
  predictor *pr = &p->pred;
  ecs_service *s = pr->svc;
  const ecs_policy_cfg *c = pr->cfg;
  bool scale = c->mode == ECS_PRED_FORECAST_AND_SCALE;
  long i = hour - pr->forecast_hour;
  double load = pr->forecast_hour >= 0 && i >= 0 && i < ECS_PRED_HORIZON_HOURS ? pr->forecast[i]
                                                                              : NAN;
  if (isnan(load)) {
    if (scale) ecs_scaler_forecast_release(&s->scaler);
    return;
  }
  int cap = ecs_pred_capacity(load, c->target);
  if (cap > ECS_MAX_TASKS) cap = ECS_MAX_TASKS;
  int max = ecs_pred_max_capacity(cap, s->scaler.cfg.max_capacity,
                                  (ecs_pred_breach)c->max_capacity_breach,
                                  c->max_capacity_buffer);
  ecs_forecast_action a = {.policy = p->name, .metric = ecs_pred_load_names[c->metric_pair],
                           .load = load, .hour = hour, .capacity = cap,
                           .max_capacity = max > ECS_MAX_TASKS ? ECS_MAX_TASKS : max,
                           .scale = scale};
  int before = s->scaler.desired;
  ecs_scaler_forecast(&s->scaler, now_s(s), &a);
  pr->acted_hour = hour;
  if (s->scaler.desired != before) reconcile(s);
}

/* SchedulingBufferTime before an hour: its action (AAS-PRED). */
static void on_forecast_action(sim_engine *eng, void *arg) {
  policy *p = arg;
  act_on_forecast(p, lround((now_s(p->pred.svc) + p->pred.cfg->scheduling_buffer_s) / 3600));
}

/* The start of each hour: every 6th a new forecast ("updated every 6
 * hours", AAS-PRED, counted from the policy's creation at the start of the
 * run [I]); this hour's action if it has not run (its forecast came only now,
 * or SchedulingBufferTime is 0); the next hour's action set for
 * SchedulingBufferTime before it. */
static void on_forecast_hour(sim_engine *eng, void *arg) {
  policy *p = arg;
  predictor *pr = &p->pred;
  long hour = lround(now_s(pr->svc) / 3600);
  if (hour % ECS_PRED_REFRESH_HOURS == 0) refresh_forecast(p, hour);
  if (pr->acted_hour < hour) act_on_forecast(p, hour);
  double next_s = (double)(hour + 1) * 3600;
  if (pr->cfg->scheduling_buffer_s > 0)
    sim_schedule(eng, next_s - pr->cfg->scheduling_buffer_s, on_forecast_action, p);
  sim_schedule(eng, next_s, on_forecast_hour, p);
}

static void on_schedule(sim_engine *eng, void *arg);

/* Sets a Schedule string's next firing at or after from_s (epoch s), if any. */
static void arm_schedule(schedule *sc, double from_s) {
  ecs_service *s = sc->svc;
  sc->due_s = ecs_cron_plan_next(&sc->plan, from_s);
  if (!isnan(sc->due_s)) sim_schedule(s->eng, sc->due_s - s->origin_s, on_schedule, sc);
}

static void on_schedule(sim_engine *eng, void *arg) {
  schedule *sc = arg;
  ecs_service *s = sc->svc;
  int before = s->scaler.desired;
  ecs_scaler_schedule(&s->scaler, now_s(s), sc->name, sc->cfg->min, sc->cfg->max);
  if (s->scaler.desired != before) reconcile(s);
  /* Firings are a minute apart or more, except a start time's; 1 ms past
   * this one cannot skip the next. */
  if (sc->cfg->schedule) arm_schedule(sc, sc->due_s + 1e-3);
  else if (sc->cfg->every_s > 0) sim_schedule_in(eng, sc->cfg->every_s, on_schedule, sc);
}

/* --- construction ------------------------------------------------------------------------ */

static int add_feed(ecs_service *s, const char *name, int metric, int stat, double period_s,
                    const ecs_alarm_cfg *ac) {
  feed *f = &s->feeds[s->n_feeds];
  double metric_period = metric == ECS_METRIC_REQUESTS ? 60.0 : s->period_s;
  f->alarm = ecs_alarm_alloc(ac);
  f->name = sim_xstrdup(name);
  f->metric = metric;
  f->stat = stat;
  f->per_push = (int)lround(period_s / metric_period);
  SIM_ASSERT(f->per_push >= 1);
  ecs_statset_clear(&f->acc);
  return s->n_feeds++;
}

static void build_tt(ecs_service *s, policy *p, const ecs_policy_cfg *c) {
  const ecs_aas_cfg *a = &s->cfg->scaling;
  p->tt = (ecs_tt_policy){.name = p->name, .metric = (ecs_tt_metric)c->metric,
                          .target = c->target, .scale_out_cooldown_s = c->scale_out_cooldown_s,
                          .scale_in_cooldown_s = c->scale_in_cooldown_s,
                          .disable_scale_in = c->disable_scale_in,
                          .max_scale_in_step = c->max_scale_in_step};
  ecs_tt_alarms_cfg shape = {.high = {a->tt_high_evaluation_periods, a->tt_high_datapoints},
                             .low = {a->tt_low_evaluation_periods, a->tt_low_datapoints},
                             .low_ratio = a->tt_low_ratio};
  ecs_alarm_cfg hi, lo;
  ecs_tt_alarm_cfgs(c->target, &shape, a->alarm_range_extra, &hi, &lo);
  int metric = ecs_tt_metric_source(p->tt.metric), stat = ecs_tt_metric_stat(p->tt.metric);
  /* AAS's alarms: 60 s periods, or 20 s for the high-resolution types [I] §5.1. */
  double period = ecs_tt_metric_high_res(p->tt.metric) ? s->period_s : 60.0;
  char name[512];
  snprintf(name, sizeof name, "TargetTracking-%s-AlarmHigh", p->name);
  p->high = add_feed(s, name, metric, stat, period, &hi);
  p->low = -1;
  if (!c->disable_scale_in) { /* with scale-in disabled AAS creates no AlarmLow */
    snprintf(name, sizeof name, "TargetTracking-%s-AlarmLow", p->name);
    p->low = add_feed(s, name, metric, stat, period, &lo);
  }
}

static void build_step(ecs_service *s, policy *p, const ecs_policy_cfg *c) {
  const ecs_step_cfg *sc = c->steps.items;
  for (size_t k = 0; k < c->steps.n; k++)
    p->steps[k] = (ecs_step){sc[k].lower, sc[k].upper, sc[k].adjustment};
  p->step = (ecs_step_policy){.name = p->name, .type = (ecs_adjustment_type)c->adjustment_type,
                              .steps = p->steps, .n_steps = c->steps.n,
                              .min_adjustment_magnitude = c->min_adjustment_magnitude,
                              .cooldown_s = c->cooldown_s,
                              .aggregation = (ecs_agg)c->metric_aggregation};
  const ecs_alarm_def *d = &c->alarm;
  ecs_alarm_cfg ac = {.cmp = (ecs_cmp)d->comparison, .threshold = d->threshold,
                      .evaluation_periods = d->evaluation_periods,
                      .datapoints_to_alarm =
                          d->datapoints_to_alarm ? d->datapoints_to_alarm : d->evaluation_periods,
                      .missing = (ecs_missing)d->treat_missing_data,
                      .range_extra = s->cfg->scaling.alarm_range_extra};
  char name[512];
  if (d->name && *d->name) snprintf(name, sizeof name, "%s", d->name);
  else snprintf(name, sizeof name, "%s-alarm", p->name);
  p->alarm = add_feed(s, name, d->metric, d->statistic, d->period_s, &ac);
  p->high = p->low = -1;
}

static void build_pred(ecs_service *s, policy *p, const ecs_policy_cfg *c) {
  p->pred = (predictor){.svc = s, .cfg = c,
                        .history = ecs_pred_history_alloc(
                            (ecs_pred_hour_stat)s->cfg->scaling.predictive_hour_statistic),
                        .forecast_hour = -1, .acted_hour = -1};
  p->high = p->low = p->alarm = -1;
}

static void build_policies(ecs_service *s) {
  const ecs_cfg *c = s->cfg;
  s->n_pol = (int)c->policies.n;
  s->pol = sim_xcalloc(c->policies.n + 1, sizeof *s->pol);
  s->props = sim_xcalloc(c->policies.n + 1, sizeof *s->props);
  s->feeds = sim_xcalloc(2 * c->policies.n + 1, sizeof *s->feeds);
  const ecs_policy_cfg *pc = c->policies.items;
  for (int i = 0; i < s->n_pol; i++) {
    char buf[32];
    s->pol[i].name = sim_xstrdup(ecs_policy_name(&pc[i], (size_t)i, buf, sizeof buf));
    s->pol[i].kind = pc[i].kind;
    if (pc[i].kind == ECS_KIND_TARGET_TRACKING) build_tt(s, &s->pol[i], &pc[i]);
    else if (pc[i].kind == ECS_KIND_PREDICTIVE) build_pred(s, &s->pol[i], &pc[i]);
    else build_step(s, &s->pol[i], &pc[i]);
  }
}

/* A Schedule string's plan, its first firing at or after t = 0 armed. One that
 * needs the calendar is an error without it (the scenario's loader catches a
 * generator without start_time; this, a trace without dates). */
static int build_plan(ecs_service *s, schedule *sc, size_t i, const platform_ctx *ctx,
                      sim_error *err) {
  const ecs_schedule_cfg *c = sc->cfg;
  const char *key, *bad;
  const char *what = ecs_schedule_calendar_need(c, &key);
  if (what && !(s->origin_s > 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "platform %s: scheduled_actions[%zu].%s: %s needs the calendar time of "
                      "t = 0, and the workload gives none: set start_time",
                      ctx->name ? ctx->name : "ecs", i, key, what);
  ecs_cron_spec spec = {.schedule = c->schedule, .timezone = c->timezone, .start = c->start,
                        .end = c->end, .created = c->created};
  if (ecs_cron_plan_init(&sc->plan, &spec, s->origin_s,
                         (ecs_cron_gap)s->cfg->scaling.schedule_dst_gap, &bad, err))
    return sim_error_prefix(err, "platform %s: scheduled_actions[%zu].%s: ",
                            ctx->name ? ctx->name : "ecs", i, bad);
  arm_schedule(sc, s->origin_s);
  return SIM_OK;
}

static int build_schedules(ecs_service *s, const platform_ctx *ctx, sim_error *err) {
  const ecs_cfg *c = s->cfg;
  s->n_sched = c->scheduled_actions.n;
  s->sched = sim_xcalloc(s->n_sched + 1, sizeof *s->sched);
  const ecs_schedule_cfg *sc = c->scheduled_actions.items;
  for (size_t i = 0; i < s->n_sched; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "schedule%zu", i + 1);
    s->sched[i] = (schedule){.svc = s, .cfg = &sc[i],
                             .name = sim_xstrdup(sc[i].name && *sc[i].name ? sc[i].name : buf)};
    if (!sc[i].schedule) {
      sim_schedule(s->eng, sc[i].at_s, on_schedule, &s->sched[i]);
      continue;
    }
    int rc = build_plan(s, &s->sched[i], i, ctx, err);
    if (rc) return rc;
  }
  return SIM_OK;
}

/* The first scheduled action that needs the calendar time of t = 0. */
static const char *ecs_needs_calendar(const void *cfg_v, char *key, size_t len) {
  const ecs_cfg *cfg = cfg_v;
  const ecs_schedule_cfg *sc = cfg->scheduled_actions.items;
  for (size_t i = 0; i < cfg->scheduled_actions.n; i++) {
    const char *k;
    const char *what = ecs_schedule_calendar_need(&sc[i], &k);
    if (!what) continue;
    snprintf(key, len, "scheduled_actions[%zu].%s", i, k);
    return what;
  }
  return NULL;
}

static gsl_rng *stream(const platform_ctx *ctx, const char *purpose) {
  char name[512];
  snprintf(name, sizeof name, "%s/%s", ctx->name ? ctx->name : "ecs", purpose);
  return sim_rng_alloc(ctx->seed, name);
}

/* The tasks the service runs when the run starts: RUNNING and healthy at
 * t = 0, as a service in steady state [I]. They are not launches. */
static void start_initial_tasks(ecs_service *s) {
  for (int i = 0; i < s->scaler.desired; i++) {
    task *t = task_alloc(s, place_on_spot(s));
    t->bill_from_s = now_s(s);
    start_running(t);
    set_phase(t, PH_REGISTERING);
    set_registered(t, true);
    ecs_health_init(&t->health);
    t->health.state = ECS_HEALTH_HEALTHY;
    set_phase(t, PH_SERVING);
    touch_targets(s);
    router_add(s->healthy, t->inst);
    arm_spot(t);
    if (s->cfg->alb.health_check.fail_when_saturated)
      t->check_ev = sim_schedule_in(s->eng,
                                    gsl_rng_uniform(s->rng_health) *
                                        s->cfg->alb.health_check.interval_s,
                                    on_check, t);
  }
  out_gauge_set(s->rec, now_s(s), OUT_DESIRED, s->scaler.desired);
}

/* --- faults ----------------------------------------------------------------------------- */

/* lose_instances / lose_zone: the victims among the tasks launching,
 * registering, serving or unhealthy (not those already stopping or lost);
 * the windows are only recorded. */
static int ecs_on_fault(void *state, const fault_event *ev) {
  ecs_service *s = state;
  if (fault_is_window((fault_kind)ev->cfg->kind)) {
    fault_windows_apply(&s->faults, ev);
    return 0;
  }
  size_t n = 0;
  for (task *t = s->head; t; t = t->next) n++;
  instance **live = sim_xmalloc((n + 1) * sizeof *live);
  instance **victims = sim_xmalloc((n + 1) * sizeof *victims);
  n = 0;
  for (task *t = s->head; t; t = t->next)
    if (t->ph != PH_DRAINING && t->ph != PH_STOPPING && t->ph != PH_DEAD) live[n++] = t->inst;
  size_t k = fault_select(ev, live, n, victims);
  for (size_t j = 0; j < k; j++) lose_task(inst_user(victims[j]));
  free(live);
  free(victims);
  if (k > 0) reconcile(s); /* ECS replaces them to keep the desired count */
  return (int)k;
}

/* Every kind applies; a fixed fleet's replacement delay does not. */
static const char *ecs_fault_check(const void *cfg, const fault_cfg *f) {
  if (f->replace)
    return "replace_after applies to kind fixed only (ECS replaces lost tasks to keep the "
           "desired count)";
  return NULL;
}

static void ecs_destroy(void *state);

static void *ecs_create(const void *cfg_v, const platform_ctx *ctx, sim_error *err) {
  const ecs_cfg *cfg = cfg_v;
  if (ecs_cfg_validate(cfg, err)) return NULL;
  ecs_service *s = sim_xcalloc(1, sizeof *s);
  s->cfg = cfg;
  s->eng = ctx->eng;
  s->rec = ctx->rec;
  s->origin_s = ctx->start_epoch_s;
  fault_windows_init(&s->faults);
  s->rng_launch = stream(ctx, "launch");
  s->rng_health = stream(ctx, "health");
  s->rng_spot = stream(ctx, "spot");
  s->rng_route = stream(ctx, "route");
  if (!s->rng_launch || !s->rng_health || !s->rng_spot || !s->rng_route) {
    sim_errorf(err, SIM_EFAIL, "ecs: cannot allocate random streams");
    goto fail;
  }
  s->pool = inst_req_pool_alloc();
  const ecs_task_cfg *tc = &cfg->task;
  s->icfg = (inst_config){.vcpu = tc->vcpu, .speed = tc->speed, .memory_mib = tc->memory_mib,
                          .base_mem_mib = tc->base_memory_mib,
                          .req_mem_mib = tc->memory_per_request_mib,
                          .max_concurrency = tc->max_concurrency, .backlog_max = tc->backlog};
  router_policy rp = cfg->alb.algorithm == ECS_ALB_LEAST_OUTSTANDING ? ROUTER_LEAST_OUTSTANDING
                                                                     : ROUTER_ROUND_ROBIN;
  s->healthy = router_alloc(rp, NULL);
  s->sick = router_alloc(rp, NULL);
  if (cfg->alb.slow_start_s > 0) s->slow = ecs_slow_set_alloc(cfg->alb.slow_start_s);
  s->period_s = cfg->metrics.period_s;
  s->delay_s = cfg->metrics.publish_delay_periods * s->period_s;
  s->alb_delay_s = cfg->metrics.publish_delay_periods * 60.0; /* ALB-CWM: 60 s periods */
  s->ticks_per_minute = (int)lround(60.0 / s->period_s);
  /* Batches in flight: the delay in periods, rounded up, plus the one being
   * published; the ALB's may wait up to one ECS period more. */
  s->ecs_q.cap = s->alb_q.cap = (int)ceil(cfg->metrics.publish_delay_periods) + 2;
  s->ecs_q.ring = sim_xcalloc((size_t)s->ecs_q.cap, sizeof *s->ecs_q.ring);
  s->alb_q.ring = sim_xcalloc((size_t)s->alb_q.cap, sizeof *s->alb_q.ring);
  ecs_util_acc_clear(&s->cpu_acc);
  ecs_util_acc_clear(&s->mem_acc);
  ecs_bucket_init(&s->bucket, cfg->launch.burst, cfg->launch.rate_per_s, now_s(s));
  s->targets_at_s = now_s(s);
  build_policies(s);
  ecs_scaler_cfg sc = {.min_capacity = cfg->capacity.min, .max_capacity = cfg->capacity.max,
                       .out_cooldown_base = (ecs_cooldown_base)cfg->scaling.cooldown_base,
                       .scale_out_resets_scale_in_cooldown =
                           cfg->scaling.scale_out_resets_scale_in_cooldown,
                       .suspend_scale_in = cfg->suspend.scale_in,
                       .suspend_scale_out = cfg->suspend.scale_out,
                       .suspend_scheduled = cfg->suspend.scheduled,
                       .forecast_floor = cfg->scaling.predictive_floor,
                       .forecast_keeps_max = cfg->scaling.predictive_keep_raised_max};
  int initial = cfg->capacity.initial < 0 ? cfg->capacity.min : cfg->capacity.initial;
  ecs_scaler_init(&s->scaler, &sc, initial, log_activity, s);
  start_initial_tasks(s);
  if (build_schedules(s, ctx, err)) goto fail;
  /* Predictive policies start their hourly clock at the first hour boundary. */
  for (int i = 0; i < s->n_pol; i++)
    if (s->pol[i].kind == ECS_KIND_PREDICTIVE)
      sim_schedule(s->eng, ceil(now_s(s) / 3600) * 3600, on_forecast_hour, &s->pol[i]);
  const ecs_deploy_event_cfg *de = cfg->deployments.items;
  for (size_t i = 0; i < cfg->deployments.n; i++) sim_schedule(s->eng, de[i].at_s, on_deploy, s);
  sim_schedule_in(s->eng, s->period_s, on_tick, s);
  return s;
fail:
  ecs_destroy(s);
  return NULL;
}

static uint64_t ecs_in_flight(const void *state) {
  return ((const ecs_service *)state)->in_flight;
}

/* The run ends: tasks still running owe their bill up to now. */
static void ecs_finish(void *state) {
  ecs_service *s = state;
  for (task *t = s->head; t; t = t->next) accrue_bill(t);
}

/* Frees the model without touching the engine or the recorder. */
static void ecs_destroy(void *state) {
  ecs_service *s = state;
  if (!s) return;
  router_free(s->healthy); /* before the instances: it clears their slots */
  router_free(s->sick);
  ecs_slow_set_free(s->slow);
  for (task *t = s->head, *next; t; t = next) {
    next = t->next;
    inst_free(t->inst);
    free(t);
  }
  for (int i = 0; i < s->n_feeds; i++) {
    ecs_alarm_free(s->feeds[i].alarm);
    free(s->feeds[i].name);
  }
  for (int i = 0; i < s->n_pol; i++) {
    free(s->pol[i].name);
    ecs_pred_history_free(s->pol[i].pred.history);
  }
  for (size_t i = 0; i < s->n_sched; i++) {
    free(s->sched[i].name);
    ecs_cron_plan_free(&s->sched[i].plan);
  }
  free(s->feeds);
  free(s->pol);
  free(s->props);
  free(s->sched);
  free(s->ecs_q.ring);
  free(s->alb_q.ring);
  inst_req_pool_free(s->pool);
  if (s->rng_launch) gsl_rng_free(s->rng_launch);
  if (s->rng_health) gsl_rng_free(s->rng_health);
  if (s->rng_spot) gsl_rng_free(s->rng_spot);
  if (s->rng_route) gsl_rng_free(s->rng_route);
  free(s);
}

const platform_type platform_ecs = {
    .name = "ecs",
    .summary = "Amazon ECS on Fargate behind an ALB, with Application Auto Scaling",
    .schema = &ecs_cfg_schema,
    .create = ecs_create,
    .on_arrival = ecs_on_arrival,
    .in_flight = ecs_in_flight,
    .finish = ecs_finish,
    .destroy = ecs_destroy,
    .on_fault = ecs_on_fault,
    .fault_check = ecs_fault_check,
    .needs_calendar = ecs_needs_calendar,
};

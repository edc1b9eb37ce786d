/* autoscaler.c — Cloud Run's CPU and concurrency drivers over exact one-minute
 * averages (see autoscaler.h; spec cloudrun.md §A.2, §A.7). */
#include "models/cloudrun/autoscaler.h"

#include <math.h>

#include "sim/error.h"

typedef struct snapshot {
  double t_s, inflight, cpu;
} snapshot;

struct crun_autoscaler {
  crun_autoscaler_cfg cfg;
  snapshot *ring; /* snapshots of the last window, oldest at `head` */
  int cap, head, len;
};

/* Slack for the comparison of a snapshot time with now - window, so that
 * accumulated float error in periodic times does not drop a snapshot. */
static const double time_eps_s = 1e-9;

crun_autoscaler *crun_autoscaler_alloc(const crun_autoscaler_cfg *cfg, double now_s,
                                       double inflight_integral, double cpu_seconds) {
  SIM_ASSERT(cfg->window_s > 0 && cfg->eval_period_s > 0);
  crun_autoscaler *a = sim_xcalloc(1, sizeof *a);
  a->cfg = *cfg;
  a->cap = (int)ceil(cfg->window_s / cfg->eval_period_s) + 2;
  a->ring = sim_xcalloc((size_t)a->cap, sizeof *a->ring);
  a->ring[0] = (snapshot){now_s, inflight_integral, cpu_seconds};
  a->len = 1;
  return a;
}

void crun_autoscaler_free(crun_autoscaler *a) {
  if (!a) return;
  free(a->ring);
  free(a);
}

static snapshot *at(crun_autoscaler *a, int i) { return &a->ring[(a->head + i) % a->cap]; }

static void push(crun_autoscaler *a, snapshot s) {
  if (a->len == a->cap) {
    a->head = (a->head + 1) % a->cap;
    a->len--;
  }
  *at(a, a->len) = s;
  a->len++;
}

/* Drops snapshots older than now - window, keeping the oldest one inside. */
static void trim(crun_autoscaler *a, double now_s) {
  while (a->len > 1 && at(a, 0)->t_s < now_s - a->cfg.window_s - time_eps_s) {
    a->head = (a->head + 1) % a->cap;
    a->len--;
  }
}

/* A count within this relative distance above a whole number is that number:
 * the averages are differences of long float sums, and their rounding error
 * must not add an instance to a load that is exactly on target. */
static const double count_rel_eps = 1e-9;

/* ceil(load / capacity_per_instance) for a driver; 0 when it is disabled. */
static int driver_count(double load, double per_instance) {
  if (per_instance <= 0) return 0;
  return (int)ceil(load / per_instance * (1 - count_rel_eps));
}

crun_recommendation crun_autoscaler_evaluate(crun_autoscaler *a, double now_s,
                                             double inflight_integral, double cpu_seconds) {
  const crun_autoscaler_cfg *c = &a->cfg;
  trim(a, now_s);
  snapshot old = *at(a, 0);
  crun_recommendation r = {.window_s = now_s - old.t_s};
  if (r.window_s > 0) {
    r.concurrency_avg = (inflight_integral - old.inflight) / r.window_s;
    r.cpu_avg = (cpu_seconds - old.cpu) / r.window_s;
  }
  push(a, (snapshot){now_s, inflight_integral, cpu_seconds});

  r.n_concurrency = driver_count(r.concurrency_avg, c->max_concurrency * c->concurrency_target);
  r.n_cpu = driver_count(r.cpu_avg / c->vcpu, c->cpu_target);
  r.desired = r.n_concurrency > r.n_cpu ? r.n_concurrency : r.n_cpu;
  r.reason = r.desired == 0 ? "idle" : r.n_concurrency >= r.n_cpu ? "concurrency" : "cpu";
  if (r.desired < c->min_instances) {
    r.desired = c->min_instances;
    r.reason = "min_instances";
  } else if (r.desired > c->max_instances) {
    r.desired = c->max_instances;
    r.reason = "max_instances";
  }
  return r;
}

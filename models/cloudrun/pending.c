/* pending.c — the pending queue with its 429 limit (see pending.h; spec
 * cloudrun.md §A.3). */
#include "models/cloudrun/pending.h"

#include <math.h>

#include "sim/error.h"

const char *const crun_pending_rule_names[] = {"current", "10s", "60s", "none", NULL};

/* The documented constants of the rules (§A.3). */
static const double floor_limit_s = 10;   /* "or 10 s, whichever is greater" */
static const double startup_factor = 3.5; /* "3.5 x the average startup time" */
static const double legacy_60s_limit_s = 60;

struct crun_pending {
  sim_engine *eng;
  crun_pending_rule rule;
  double prior_s;          /* mean startup assumed before any observation */
  double startup_sum_s;
  unsigned long startups;
  size_t max_len, len;
  inst_req *head, *tail;
  sim_handle timer;        /* fires at or before the head's deadline */
  double timer_at_s;
  crun_pending_expire_fn on_expire;
  void *owner;
};

static void arm(crun_pending *p);

crun_pending *crun_pending_alloc(sim_engine *eng, crun_pending_rule rule,
                                 double startup_prior_s, size_t max_len,
                                 crun_pending_expire_fn on_expire, void *owner) {
  crun_pending *p = sim_xcalloc(1, sizeof *p);
  p->eng = eng;
  p->rule = rule;
  p->prior_s = startup_prior_s;
  p->max_len = max_len;
  p->on_expire = on_expire;
  p->owner = owner;
  return p;
}

void crun_pending_free(crun_pending *p) { free(p); }

double crun_pending_mean_startup_s(const crun_pending *p) {
  return p->startups ? p->startup_sum_s / (double)p->startups : p->prior_s;
}

double crun_pending_limit_s(const crun_pending *p) {
  switch (p->rule) {
  case CRUN_PENDING_CURRENT:
    return fmax(floor_limit_s, startup_factor * crun_pending_mean_startup_s(p));
  case CRUN_PENDING_10S:
    return floor_limit_s;
  case CRUN_PENDING_60S:
    return legacy_60s_limit_s;
  default:
    return INFINITY;
  }
}

static double deadline(const crun_pending *p, const inst_req *r) {
  return r->arrival_s + crun_pending_limit_s(p);
}

static void unlink_req(crun_pending *p, inst_req *r) {
  inst_req_list_unlink(&p->head, &p->tail, r);
  p->len--;
}

/* Expires every head whose limit has passed, then re-arms for the new head. */
static void on_timer(sim_engine *eng, void *arg) {
  crun_pending *p = arg;
  p->timer = SIM_NO_HANDLE;
  double now = sim_now(eng);
  while (p->head && deadline(p, p->head) <= now) {
    inst_req *r = p->head;
    unlink_req(p, r);
    p->on_expire(p->owner, r);
  }
  arm(p);
}

/* Ensures a timer is pending at or before the head's deadline. A head that
 * leaves early leaves the timer to fire once in vain and re-arm: cheaper than
 * rescheduling on every dispatch. */
static void arm(crun_pending *p) {
  if (!p->head || p->rule == CRUN_PENDING_NONE) return;
  double at = fmax(deadline(p, p->head), sim_now(p->eng));
  if (sim_pending(p->eng, p->timer)) {
    if (p->timer_at_s <= at) return;
    sim_cancel(p->eng, p->timer);
  }
  p->timer = sim_schedule(p->eng, at, on_timer, p);
  p->timer_at_s = at;
}

bool crun_pending_push(crun_pending *p, inst_req *r) {
  if (p->max_len && p->len >= p->max_len) return false;
  SIM_ASSERT(!p->tail || p->tail->arrival_s <= r->arrival_s);
  inst_req_list_append(&p->head, &p->tail, r);
  p->len++;
  arm(p);
  return true;
}

inst_req *crun_pending_head(const crun_pending *p) { return p->head; }

inst_req *crun_pending_pop(crun_pending *p) {
  inst_req *r = p->head;
  if (r) unlink_req(p, r);
  return r;
}

void crun_pending_remove(crun_pending *p, inst_req *r) { unlink_req(p, r); }

size_t crun_pending_len(const crun_pending *p) { return p->len; }

void crun_pending_observe_startup(crun_pending *p, double startup_s) {
  p->startup_sum_s += startup_s;
  p->startups++;
  arm(p); /* a shorter limit may bring the head's deadline forward */
}

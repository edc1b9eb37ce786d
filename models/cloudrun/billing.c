/* billing.c — Cloud Run billing arithmetic (see billing.h; spec cloudrun.md
 * §A.5). */
#include "models/cloudrun/billing.h"

#include <math.h>

#include "sim/error.h"

const char *const crun_billing_mode_names[] = {"request", "instance", NULL};

/* Rates a usage is charged at. */
typedef enum rate { RATE_ACTIVE, RATE_IDLE, RATE_INSTANCE } rate;

struct crun_billing {
  crun_billing_cfg cfg;
  double total_usd;
  long period;                 /* free-tier month of the usage counted below */
  double used_vcpu_s, used_gib_s, used_requests; /* free tier consumed this month */
  int idle_n;                  /* idle min instances since idle_since_s */
  double idle_vcpu, idle_mem_gib, idle_since_s;
};

/* A duration within this of a multiple of the rounding unit counts as that
 * multiple: sums of float times must not add a 100 ms slice. */
static const double rounding_eps_s = 1e-9;

crun_billing *crun_billing_alloc(const crun_billing_cfg *cfg) {
  crun_billing *b = sim_xcalloc(1, sizeof *b);
  b->cfg = *cfg;
  return b;
}

void crun_billing_free(crun_billing *b) { free(b); }

double crun_billing_total_usd(const crun_billing *b) { return b->total_usd; }

/* Takes what the free tier still covers out of *usage. */
static void take_free(double *usage, double *used, double allowance) {
  double left = allowance - *used;
  double take = *usage < left ? *usage : left;
  if (take <= 0) return;
  *used += take;
  *usage -= take;
}

/* Prices usage at `r` after the free tier of the month of now_s. */
static double charge(crun_billing *b, double now_s, rate r, double vcpu_s, double gib_s,
                     double requests) {
  const crun_prices *p = &b->cfg.prices;
  if (b->cfg.free_tier) {
    long period = (long)floor(now_s / b->cfg.free_tier_period_s);
    if (period != b->period) {
      b->period = period;
      b->used_vcpu_s = b->used_gib_s = b->used_requests = 0;
    }
    bool inst = r == RATE_INSTANCE;
    take_free(&vcpu_s, &b->used_vcpu_s, inst ? p->free_instance_vcpu_s : p->free_vcpu_s);
    take_free(&gib_s, &b->used_gib_s, inst ? p->free_instance_gib_s : p->free_gib_s);
    take_free(&requests, &b->used_requests, inst ? 0 : p->free_requests);
  }
  double usd;
  switch (r) {
  case RATE_ACTIVE:
    usd = vcpu_s * p->cpu_per_vcpu_s + gib_s * p->mem_per_gib_s + requests * p->per_request;
    break;
  case RATE_IDLE:
    usd = vcpu_s * p->idle_cpu_per_vcpu_s + gib_s * p->idle_mem_per_gib_s;
    break;
  default:
    usd = vcpu_s * p->instance_cpu_per_vcpu_s + gib_s * p->instance_mem_per_gib_s;
    break;
  }
  b->total_usd += usd;
  return usd;
}

double crun_billing_request(crun_billing *b, double now_s) {
  if (b->cfg.mode != CRUN_BILLING_REQUEST) return 0;
  return charge(b, now_s, RATE_ACTIVE, 0, 0, 1);
}

double crun_billing_idle_min(crun_billing *b, double now_s, int n_idle, double vcpu,
                             double mem_gib) {
  double usd = 0;
  if (b->cfg.mode == CRUN_BILLING_REQUEST && b->idle_n > 0 && now_s > b->idle_since_s) {
    double s = (now_s - b->idle_since_s) * b->idle_n;
    usd = charge(b, now_s, RATE_IDLE, s * b->idle_vcpu, s * b->idle_mem_gib, 0);
  }
  b->idle_n = n_idle;
  b->idle_vcpu = vcpu;
  b->idle_mem_gib = mem_gib;
  b->idle_since_s = now_s;
  return usd;
}

/* Rounds a billable duration up to the billing granularity. */
static double round_up(const crun_billing *b, double s) {
  double g = b->cfg.rounding_s;
  if (g <= 0) return s;
  return ceil(s / g - rounding_eps_s / g) * g;
}

void crun_meter_init(crun_meter *m, double now_s, double vcpu, double mem_gib) {
  *m = (crun_meter){.vcpu = vcpu, .mem_gib = mem_gib, .created_s = now_s, .last_s = now_s};
}

/* True while the meter integrates vCPU: always under instance-based billing,
 * only inside a billable interval under request-based billing. */
static bool integrating(const crun_billing *b, const crun_meter *m) {
  return b->cfg.mode == CRUN_BILLING_INSTANCE || (m->open && !m->closing);
}

static void advance(const crun_billing *b, crun_meter *m, double now_s) {
  if (integrating(b, m)) m->vcpu_s += m->vcpu * (now_s - m->last_s);
  m->last_s = now_s;
}

void crun_meter_set_vcpu(const crun_billing *b, crun_meter *m, double now_s, double vcpu) {
  advance(b, m, now_s);
  m->vcpu = vcpu;
}

/* Bills the request-based interval [open_since, end]: the rounding slack at
 * the vCPU in effect at its end. */
static double finalise(crun_billing *b, crun_meter *m, double end_s, double end_vcpu) {
  double len = end_s - m->open_since_s;
  double billed = round_up(b, len);
  double vcpu_s = m->vcpu_s + (billed - len) * end_vcpu;
  m->open = m->closing = false;
  m->vcpu_s = 0;
  return charge(b, end_s, RATE_ACTIVE, vcpu_s, billed * m->mem_gib, 0);
}

/* True when an interval beginning at now_s falls within the rounded-up end
 * of the closing one: they are billed as one, so no time is billed twice. */
static bool within_rounding(const crun_billing *b, const crun_meter *m, double now_s) {
  return now_s <= m->open_since_s + round_up(b, m->closed_at_s - m->open_since_s);
}

double crun_meter_begin(crun_billing *b, crun_meter *m, double now_s) {
  double usd = 0;
  if (b->cfg.mode == CRUN_BILLING_REQUEST && m->depth == 0 && m->closing &&
      within_rounding(b, m, now_s)) {
    /* Continue the closing interval; the gap is billed at the vCPU it ended with. */
    m->vcpu_s += m->closed_vcpu * (now_s - m->closed_at_s);
    m->closing = false;
    m->last_s = now_s;
  } else {
    advance(b, m, now_s);
    if (b->cfg.mode == CRUN_BILLING_REQUEST && m->depth == 0) {
      if (m->closing) usd = finalise(b, m, m->closed_at_s, m->closed_vcpu);
      m->open = true;
      m->open_since_s = now_s;
    }
  }
  m->depth++;
  return usd;
}

double crun_meter_end(crun_billing *b, crun_meter *m, double now_s) {
  SIM_ASSERT(m->depth > 0);
  advance(b, m, now_s);
  if (--m->depth == 0 && b->cfg.mode == CRUN_BILLING_REQUEST) {
    m->closing = true;
    m->closed_at_s = now_s;
    m->closed_vcpu = m->vcpu;
  }
  return 0;
}

bool crun_meter_busy(const crun_meter *m) { return m->depth > 0; }

double crun_meter_close(crun_billing *b, crun_meter *m, double now_s) {
  advance(b, m, now_s);
  if (b->cfg.mode == CRUN_BILLING_INSTANCE) {
    double life = now_s - m->created_s;
    double billed = round_up(b, life);
    if (billed < b->cfg.instance_min_s) billed = b->cfg.instance_min_s;
    double vcpu_s = m->vcpu_s + (billed - life) * m->vcpu;
    m->vcpu_s = 0;
    m->created_s = now_s;
    return charge(b, now_s, RATE_INSTANCE, vcpu_s, billed * m->mem_gib, 0);
  }
  if (m->closing) return finalise(b, m, m->closed_at_s, m->closed_vcpu);
  if (m->open) {
    m->depth = 0;
    return finalise(b, m, now_s, m->vcpu);
  }
  return 0;
}

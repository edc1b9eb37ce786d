/* mmpp.c — the 2-state MMPP generator (see mmpp.h). */
#include "workloads/mmpp.h"
#include "workloads/dist.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>

#include "sim/rng.h"

/* Both keys are required in a state that is given; the arrivals section's
 * check demands them (CFG_REQUIRED would make the states required for every
 * process). */
static const cfg_field state_fields[] = {
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(wl_mmpp_state_cfg, rate_per_s),
     .min = 0, .max = INFINITY, .doc = "(required) arrival rate in this state"},
    {.key = "mean_time", .type = CFG_DURATION,
     .offset = offsetof(wl_mmpp_state_cfg, mean_time_s), .flags = CFG_POSITIVE,
     .doc = "(required) mean time the process stays in this state (exponential)"},
    {0}};

const cfg_schema wl_mmpp_state_schema = {
    .name = "mmpp state", .size = sizeof(wl_mmpp_state_cfg), .fields = state_fields};

double wl_mmpp_mean_rate(const wl_mmpp_cfg *c) {
  return (c->quiet.rate_per_s * c->quiet.mean_time_s + c->burst.rate_per_s * c->burst.mean_time_s) /
         (c->quiet.mean_time_s + c->burst.mean_time_s);
}

typedef struct mmpp_source {
  wl_source base;
  gsl_rng *arrivals_rng, *service_rng;
  wl_mmpp_state_cfg state[2]; /* 0 quiet, 1 burst */
  int in;                     /* the current state */
  double switch_s;            /* when the current state ends */
  double t_s, horizon_s;
  wl_dist duration;
  double cpu_share, size;
} mmpp_source;

static void enter(mmpp_source *m, int state, double at_s) {
  m->in = state;
  m->switch_s = at_s + wl_exponential(m->arrivals_rng, m->state[state].mean_time_s);
}

static int mmpp_next(wl_source *src, wl_request *out, sim_error *err) {
  mmpp_source *m = (mmpp_source *)src;
  for (;;) {
    if (m->t_s >= m->horizon_s) return 0;
    double rate = m->state[m->in].rate_per_s;
    double t = rate > 0 ? m->t_s + wl_exponential(m->arrivals_rng, 1 / rate) : INFINITY;
    if (t < m->switch_s) {
      m->t_s = t;
      break;
    }
    /* No arrival before the switch: by memorylessness, start afresh there. */
    m->t_s = m->switch_s;
    enter(m, !m->in, m->switch_s);
  }
  if (m->t_s >= m->horizon_s) return 0;
  double d = wl_dist_draw(&m->duration, m->service_rng);
  double cpu = m->cpu_share * d;
  *out = (wl_request){.arrival_s = m->t_s, .cpu_s = cpu, .wait_s = d - cpu, .size = m->size};
  return 1;
}

static void mmpp_free(wl_source *src) {
  mmpp_source *m = (mmpp_source *)src;
  if (!m) return;
  gsl_rng_free(m->arrivals_rng);
  gsl_rng_free(m->service_rng);
  free(m);
}

static const wl_source_type mmpp_type = {.name = "mmpp", .next = mmpp_next, .free = mmpp_free};

int wl_mmpp_open(const wl_mmpp_cfg *cfg, const wl_dist *duration, double cpu_share, double size,
                 double horizon_s, uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  if (!(horizon_s > 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "workload.arrivals: a generator needs a scenario duration");
  if (!(cfg->quiet.mean_time_s > 0 && cfg->burst.mean_time_s > 0))
    return sim_errorf(err, SIM_ESCENARIO, "workload.arrivals: mmpp mean_time must be > 0");
  mmpp_source *m = sim_xcalloc(1, sizeof *m);
  m->base.type = &mmpp_type;
  m->arrivals_rng = sim_rng_alloc(seed, "workload/arrivals");
  m->service_rng = sim_rng_alloc(seed, "workload/service");
  m->state[0] = cfg->quiet;
  m->state[1] = cfg->burst;
  m->horizon_s = horizon_s;
  m->duration = *duration;
  m->cpu_share = cpu_share;
  m->size = size;
  double p_burst = cfg->burst.mean_time_s / (cfg->quiet.mean_time_s + cfg->burst.mean_time_s);
  enter(m, gsl_rng_uniform(m->arrivals_rng) < p_burst, 0);
  *out = &m->base;
  return SIM_OK;
}

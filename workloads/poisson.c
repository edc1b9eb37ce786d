/* poisson.c — the constant-rate Poisson generator: exponential gaps between
 * arrivals at `workload.arrivals.rate` until the scenario's duration, and a
 * service time per request from `workload.request.duration`.
 *
 * Arrivals and service times come from two named streams, so that changing
 * the service distribution never moves an arrival (and two platforms fed the
 * same config and seed see identical requests). Nothing is allocated per
 * request. */
#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "workloads/workload.h"
#include "workloads/dist.h"

typedef struct poisson_source {
  wl_source base; /* first: the source header */
  gsl_rng *arrivals_rng, *service_rng;
  double mean_gap_s; /* 1 / rate */
  double end_s;      /* arrivals stop before this time */
  double t_s;        /* the last arrival */
  bool done;
  wl_request_cfg request; /* a copy: the source outlives nothing it borrows */
} poisson_source;

static int poisson_next(wl_source *src, wl_request *out, sim_error *err) {
  poisson_source *p = (poisson_source *)src;
  if (p->done) return 0;
  p->t_s += wl_exponential(p->arrivals_rng, p->mean_gap_s);
  if (p->t_s >= p->end_s) {
    p->done = true;
    return 0;
  }
  double d = wl_dist_draw(&p->request.duration, p->service_rng);
  /* DESIGN.md §4: cpu_s = cpu_share × d, wait_s = d − cpu_s (>= 0 in floating
   * point too: cpu_share <= 1 and a product rounds to at most d). */
  double cpu_s = p->request.cpu_share * d;
  *out = (wl_request){.arrival_s = p->t_s, .cpu_s = cpu_s, .wait_s = d - cpu_s,
                      .size = p->request.size};
  return 1;
}

static void poisson_free(wl_source *src) {
  poisson_source *p = (poisson_source *)src;
  gsl_rng_free(p->arrivals_rng);
  gsl_rng_free(p->service_rng);
  free(p);
}

static const wl_source_type poisson_type = {
    .name = "poisson", .next = poisson_next, .free = poisson_free};

int wl_poisson_open(const wl_config *cfg, uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  if (!(cfg->duration_s > 0))
    return sim_errorf(err, SIM_ESCENARIO,
                      "workload.arrivals: a generator needs a scenario duration");
  SIM_ASSERT(cfg->arrivals.rate_per_s > 0);
  poisson_source *p = sim_xcalloc(1, sizeof *p);
  p->base.type = &poisson_type;
  p->arrivals_rng = sim_rng_alloc(seed, "workload/arrivals");
  p->service_rng = sim_rng_alloc(seed, "workload/service");
  p->mean_gap_s = 1 / cfg->arrivals.rate_per_s;
  p->end_s = cfg->duration_s;
  p->request = cfg->request;
  *out = &p->base;
  return SIM_OK;
}

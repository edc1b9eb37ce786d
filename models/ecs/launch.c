/* launch.c — the Fargate launch-rate token bucket and the launch-time
 * distribution (spec §9.2; see launch.h). */
#include "models/ecs/launch.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "sim/error.h"

void ecs_bucket_init(ecs_token_bucket *b, double capacity, double rate_per_s, double t0_s) {
  SIM_ASSERT(capacity >= 1 && rate_per_s > 0);
  *b = (ecs_token_bucket){.capacity = capacity, .rate_per_s = rate_per_s, .tokens = capacity,
                          .at_s = t0_s};
}

double ecs_bucket_take(ecs_token_bucket *b, double now_s) {
  SIM_ASSERT(now_s >= b->at_s);
  b->tokens = fmin(b->capacity, b->tokens + (now_s - b->at_s) * b->rate_per_s);
  b->at_s = now_s;
  /* Admitted once the balance, after this token, would be back at zero. */
  double admitted = b->tokens >= 1 ? now_s : now_s + (1 - b->tokens) / b->rate_per_s;
  b->tokens -= 1;
  return admitted;
}

double ecs_launch_time_draw(const ecs_launch_time *lt, gsl_rng *rng) {
  if (!(lt->p95_s > lt->median_s)) return lt->median_s;
  double sigma = log(lt->p95_s / lt->median_s) / gsl_cdf_ugaussian_Pinv(0.95);
  return gsl_ran_lognormal(rng, log(lt->median_s), sigma);
}

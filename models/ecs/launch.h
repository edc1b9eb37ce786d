/* launch.h — how fast Fargate starts tasks.
 *
 * Two things bound it: the account's launch-rate token bucket (burst 100 tasks,
 * refilled at 20 tasks/s, https://docs.aws.amazon.com/AmazonECS/latest/userguide/throttling.html,
 * spec §9.2), and the time each task takes from the launch request to RUNNING
 * (ENI, image pull, start). That time has no SLA; the default, lognormal with
 * median 40 s and p95 90 s for a ~200 MB image, is the spec's [O/I] choice
 * (§9.2, §13). */
#ifndef ECS_LAUNCH_H
#define ECS_LAUNCH_H

#include <gsl/gsl_rng.h>

/* A token bucket that grants reservations: a launch that finds no token is
 * admitted at the time one will have been refilled. */
typedef struct ecs_token_bucket {
  double capacity;   /* burst, tokens */
  double rate_per_s; /* refill rate */
  double tokens;     /* tokens at at_s; negative while reservations are pending */
  double at_s;
} ecs_token_bucket;

/* A full bucket at time t0_s. capacity >= 1, rate_per_s > 0. */
void ecs_bucket_init(ecs_token_bucket *b, double capacity, double rate_per_s, double t0_s);

/* Takes one token for a launch requested at now_s (non-decreasing between
 * calls) and returns when the launch is admitted (>= now_s). O(1). */
double ecs_bucket_take(ecs_token_bucket *b, double now_s);

/* Time from launch to RUNNING: lognormal with the given median and 95th
 * percentile (p95 > median), or exactly `median` when p95 <= median. */
typedef struct ecs_launch_time {
  double median_s;
  double p95_s;
} ecs_launch_time;

double ecs_launch_time_draw(const ecs_launch_time *lt, gsl_rng *rng);

#endif

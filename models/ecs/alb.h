/* alb.h — Application Load Balancer target health and slow start.
 *
 * Target health follows ALB-HC (spec §9.3): a newly registered target becomes
 * healthy after ONE passing check whatever HealthyThresholdCount says; a
 * target recovering from unhealthy needs HealthyThresholdCount consecutive
 * passes; a healthy one becomes unhealthy after UnhealthyThresholdCount
 * consecutive failures. Slow start (ALB-TG, spec §9.4) ramps a new target's
 * share of requests linearly over its duration. Routing itself is
 * models/router.h. */
#ifndef ECS_ALB_H
#define ECS_ALB_H

#include <stdbool.h>

typedef enum ecs_health {
  ECS_HEALTH_INITIAL = 0, /* registered, checks in progress (Elb.InitialHealthChecking) */
  ECS_HEALTH_HEALTHY,
  ECS_HEALTH_UNHEALTHY
} ecs_health;

typedef struct ecs_health_cfg {
  double interval_s;       /* HealthCheckIntervalSeconds: 30 */
  double timeout_s;        /* HealthCheckTimeoutSeconds: 5 */
  int healthy_threshold;   /* HealthyThresholdCount: 5 */
  int unhealthy_threshold; /* UnhealthyThresholdCount: 2 */
  int initial_threshold;   /* passes a new target needs: 1 (spec §12.7) */
} ecs_health_cfg;

typedef struct ecs_target_health {
  ecs_health state;
  int passes, failures; /* consecutive, since the last state change */
} ecs_target_health;

/* A target just registered: state INITIAL. */
void ecs_health_init(ecs_target_health *h);

/* Records one health check result and returns the state after it. */
ecs_health ecs_health_record(const ecs_health_cfg *cfg, ecs_target_health *h, bool passed);

/* The share of a healthy target's requests during slow start: rises linearly
 * from 0 when it became healthy to 1 after duration_s (0 = slow start off). */
double ecs_slow_start_weight(double now_s, double healthy_since_s, double duration_s);

#endif

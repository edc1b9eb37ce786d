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

/* The targets in slow start, for routing in O(log n) (ALB-TG, spec §9.4).
 * Each has weight (now - since) / duration, its ecs_slow_start_weight, and its
 * owner removes it when the ramp ends; a request goes to this set with
 * probability W / (F + W) against F targets at full weight, and within it to
 * a target with probability proportional to its weight. A Fenwick tree over
 * slots keeps, per node, the count of targets and the sum of their `since`,
 * so W and the weighted choice cost O(log n) at any time, though every
 * weight changes with time. */
typedef struct ecs_slow_set ecs_slow_set;

/* An empty set for a slow start of duration_s > 0. Free with ecs_slow_set_free. */
ecs_slow_set *ecs_slow_set_alloc(double duration_s);
void ecs_slow_set_free(ecs_slow_set *set); /* NULL is a no-op */

/* Adds item (borrowed, not NULL), in slow start since since_s; returns its
 * slot for ecs_slow_set_remove. O(log n), amortised (the set grows by
 * doubling). */
int ecs_slow_set_add(ecs_slow_set *set, void *item, double since_s);
void ecs_slow_set_remove(ecs_slow_set *set, int slot); /* O(log n) */
int ecs_slow_set_size(const ecs_slow_set *set);

/* Sum of the weights at now_s (>= every since; at most 1 per item while
 * owners remove items when their ramp ends). O(1). */
double ecs_slow_set_weight(const ecs_slow_set *set, double now_s);

/* An item drawn with probability proportional to its weight at now_s, by
 * u uniform in [0, 1); uniformly when every weight is 0. NULL when empty.
 * O(log n). */
void *ecs_slow_set_pick(const ecs_slow_set *set, double now_s, double u);

#endif

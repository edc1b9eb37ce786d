/* alb.c — ALB target health state machine and slow-start weight (spec §9.3,
 * §9.4; see alb.h). */
#include "models/ecs/alb.h"

void ecs_health_init(ecs_target_health *h) {
  *h = (ecs_target_health){.state = ECS_HEALTH_INITIAL};
}

ecs_health ecs_health_record(const ecs_health_cfg *cfg, ecs_target_health *h, bool passed) {
  if (passed) {
    h->passes++;
    h->failures = 0;
  } else {
    h->failures++;
    h->passes = 0;
  }
  switch (h->state) {
  case ECS_HEALTH_INITIAL:
    /* ALB-HC: "After your target is registered, it must pass one health check
     * to be considered healthy"; failures count towards unhealthy as usual. */
    if (h->passes >= cfg->initial_threshold) h->state = ECS_HEALTH_HEALTHY;
    else if (h->failures >= cfg->unhealthy_threshold) h->state = ECS_HEALTH_UNHEALTHY;
    break;
  case ECS_HEALTH_HEALTHY:
    if (h->failures >= cfg->unhealthy_threshold) h->state = ECS_HEALTH_UNHEALTHY;
    break;
  case ECS_HEALTH_UNHEALTHY:
    if (h->passes >= cfg->healthy_threshold) h->state = ECS_HEALTH_HEALTHY;
    break;
  }
  return h->state;
}

double ecs_slow_start_weight(double now_s, double healthy_since_s, double duration_s) {
  if (duration_s <= 0) return 1;
  double w = (now_s - healthy_since_s) / duration_s;
  return w < 0 ? 0 : w > 1 ? 1 : w;
}

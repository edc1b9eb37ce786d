/* deploy.c — rolling update bounds (spec §9.6; see deploy.h), in integers so
 * that whole results are exact. */
#include "models/ecs/deploy.h"

#include <stdint.h>

#include "sim/error.h"

int ecs_deploy_min_healthy(int desired, int minimum_healthy_percent) {
  SIM_ASSERT(desired >= 0 && minimum_healthy_percent >= 0);
  return (int)(((int64_t)desired * minimum_healthy_percent + 99) / 100);
}

int ecs_deploy_max_tasks(int desired, int maximum_percent) {
  SIM_ASSERT(desired >= 0 && maximum_percent >= 0);
  return (int)((int64_t)desired * maximum_percent / 100);
}

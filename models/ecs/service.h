/* service.h — the `ecs` platform: an ECS service of Fargate tasks behind an
 * Application Load Balancer, scaled by Application Auto Scaling on CloudWatch
 * alarms (specs/ecs.md; docs/models/ecs.md). Its configuration is ecs_cfg
 * (models/ecs/config.h). */
#ifndef ECS_SERVICE_H
#define ECS_SERVICE_H

#include "models/platform.h"

extern const platform_type platform_ecs;

#endif

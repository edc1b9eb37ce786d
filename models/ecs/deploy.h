/* deploy.h — the arithmetic of an ECS rolling update (spec §9.6;
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html).
 *
 * During a deployment the scheduler replaces every task with one of the new
 * revision, keeping at least minimumHealthyPercent of the desired count
 * healthy (rounded up) and at most maximumPercent of it running or pending
 * (rounded down). Application Auto Scaling does not scale in meanwhile
 * (ECS-AS, spec §2). Both percentages are integers, as in the ECS API. */
#ifndef ECS_DEPLOY_H
#define ECS_DEPLOY_H

/* Tasks that must stay healthy: ceil(desired * percent / 100) (OC-DEPLOY). */
int ecs_deploy_min_healthy(int desired, int minimum_healthy_percent);

/* Tasks that may run or be pending: floor(desired * percent / 100) (OC-DEPLOY). */
int ecs_deploy_max_tasks(int desired, int maximum_percent);

#endif

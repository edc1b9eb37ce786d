/* test_ecs_deploy.c — rolling update bounds (models/ecs/deploy.c), OC-DEPLOY
 * of spec §14, and the scale-in pause during a deployment (ECS-AS, spec §2). */
#include "models/ecs/deploy.h"
#include "models/ecs/scaling.h"
#include "tests/check.h"

int main(void) {
  check_init();
  CHECK_INT(ecs_deploy_min_healthy(4, 50), 2,
            "OC-DEPLOY 1: desired 4, minimumHealthyPercent 50 -> 2 stay healthy (may stop 2 first)");
  CHECK_INT(ecs_deploy_min_healthy(2, 75), 2,
            "OC-DEPLOY 2: desired 2, 75 %% -> ceil(1.5) = 2: no task can stop first");
  CHECK_INT(ecs_deploy_max_tasks(4, 200), 8,
            "OC-DEPLOY 3: desired 4, maximumPercent 200 -> 8: start 4 before stopping");
  CHECK_INT(ecs_deploy_max_tasks(3, 125), 3,
            "OC-DEPLOY 4: desired 3, 125 %% -> floor(3.75) = 3: no extra task can start");
  CHECK_INT(ecs_deploy_min_healthy(3, 100), 3, "100 %% of 3 is 3");
  CHECK_INT(ecs_deploy_min_healthy(0, 100), 0, "nothing to keep at 0");
  CHECK_INT(ecs_deploy_max_tasks(1, 199), 1, "floor(1.99) = 1");

  /* AAS turns off scale-in while a deployment is in progress. */
  ecs_scaler s;
  ecs_scaler_init(&s, &(ecs_scaler_cfg){.min_capacity = 1, .max_capacity = 10}, 6, NULL, NULL);
  s.scale_in_paused = true;
  ecs_proposal in = {.policy = "p", .kind = ECS_POLICY_STEP, .dir = ECS_DIR_IN, .capacity = 4,
                     .in_cooldown_s = 300};
  CHECK_INT(ecs_scaler_decide(&s, 0, 6, &in, 1), 6, "no scale-in during a deployment");
  ecs_proposal out = {.policy = "p", .kind = ECS_POLICY_STEP, .dir = ECS_DIR_OUT,
                      .capacity = 8, .out_cooldown_s = 300};
  CHECK_INT(ecs_scaler_decide(&s, 0, 6, &out, 1), 8, "scale-out continues during a deployment");
  s.scale_in_paused = false;
  CHECK_INT(ecs_scaler_decide(&s, 1000, 8, &in, 1), 4, "scale-in again once it is done");
  return check_done();
}

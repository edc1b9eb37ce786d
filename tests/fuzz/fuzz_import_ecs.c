/* fuzz_import_ecs.c — libFuzzer harness for the ECS import of real AWS
 * configurations (models/ecs/import.c: the JSON that `aws
 * application-autoscaling describe-scaling-policies` and `aws cloudwatch
 * describe-alarms` print).
 * Input: the policies file, then optionally a NUL and the alarms file, then
 * optionally a NUL and a resource id. The import either succeeds (and the
 * configuration it built then validates or is rejected with a message) or
 * fails with SIM_EINPUT or SIM_ESCENARIO and a message. */
#include <stdlib.h>
#include <string.h>

#include "models/ecs/config.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(import_ecs) {
  fuzz_init();
  fuzz_part part[3];
  size_t n = fuzz_split(data, size, part, 3);
  const char *policies = fuzz_memfile_slot(0, part[0].data, part[0].size);
  const char *alarms = n > 1 ? fuzz_memfile_slot(1, part[1].data, part[1].size) : NULL;
  char *resource_id = n > 2 ? fuzz_strndup(part[2].data, part[2].size) : NULL;
  ecs_cfg cfg;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&ecs_cfg_schema, &cfg, &err) == 0);
  int rc = ecs_import(&cfg, policies, alarms, resource_id, &err);
  if (rc) {
    FUZZ_CHECK(rc == SIM_EINPUT || rc == SIM_ESCENARIO);
    fuzz_check_error(rc, &err);
  } else {
    sim_error_clear(&err);
    rc = ecs_cfg_validate(&cfg, &err);
    if (rc) fuzz_check_error(rc, &err);
  }
  cfg_free(&ecs_cfg_schema, &cfg);
  free(resource_id);
  return 0;
}

/* fuzz_import_cloudrun.c — libFuzzer harness for the Cloud Run import
 * (models/cloudrun/import.c: the YAML of `gcloud run services describe
 * --format export`, and a Knative config-autoscaler ConfigMap).
 * Input: the service file, then optionally a NUL and the ConfigMap file. The
 * import either succeeds (the configuration then validates or is rejected
 * with a message) or fails with SIM_EINPUT or SIM_ESCENARIO and a message. */
#include "models/cloudrun/cloudrun.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(import_cloudrun) {
  fuzz_init();
  fuzz_part part[2];
  size_t n = fuzz_split(data, size, part, 2);
  const char *service = fuzz_memfile_slot(0, part[0].data, part[0].size);
  const char *configmap = n > 1 ? fuzz_memfile_slot(1, part[1].data, part[1].size) : NULL;
  crun_cfg cfg;
  sim_error err = {0};
  SIM_ASSERT(cfg_defaults(&crun_schema, &cfg, &err) == 0);
  int rc = crun_import(&cfg, service, configmap, NULL, NULL, &err);
  if (rc) {
    FUZZ_CHECK(rc == SIM_EINPUT || rc == SIM_ESCENARIO);
    fuzz_check_error(rc, &err);
  } else {
    sim_error_clear(&err);
    rc = crun_cfg_validate(&cfg, &err);
    if (rc) fuzz_check_error(rc, &err);
  }
  cfg_free(&crun_schema, &cfg);
  return 0;
}

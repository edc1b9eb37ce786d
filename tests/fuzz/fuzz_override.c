/* fuzz_override.c — libFuzzer harness for `--set key.path=value` overrides
 * applied to a fixed, valid scenario (the built-in demo, which `scalesim run`
 * loads with the user's overrides).
 * Input: override texts, one per line (at most 16). Whatever they say, the
 * load either succeeds with a scenario that keeps the loader's guarantees or
 * fails with SIM_ESCENARIO and a message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_OVERRIDES = 16 };

FUZZ_TARGET(override) {
  fuzz_init();
  char *buf = fuzz_strndup(data, size);
  scenario_override ov[MAX_OVERRIDES];
  size_t n_ov = 0;
  for (char *line = buf; line && n_ov < MAX_OVERRIDES; n_ov++) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    ov[n_ov].text = line;
    line = nl ? nl + 1 : NULL;
  }
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = scenario_load_text("<demo>", scenario_demo_yaml, strlen(scenario_demo_yaml), ov,
                              n_ov, &sc, &err);
  if (rc) {
    FUZZ_CHECK(sc == NULL);
    FUZZ_CHECK(rc == SIM_ESCENARIO);
    fuzz_check_error(rc, &err);
  } else {
    FUZZ_CHECK(sc->n_platforms >= 1 && sc->output.dir != NULL);
    FUZZ_CHECK(isfinite(sc->duration_s) && sc->duration_s >= 0);
    FUZZ_CHECK(isfinite(sc->output.resolution_s) && sc->output.resolution_s > 0);
    for (size_t i = 0; i < sc->n_platforms; i++)
      FUZZ_CHECK(sc->platforms[i].name && sc->platforms[i].type && sc->platforms[i].cfg);
  }
  scenario_free(sc);
  free(buf);
  return 0;
}

/* fuzz_scenario.c — libFuzzer harness for the scenario loader
 * (scenario_load_text: libfyaml, the schemas of sim/cfg.c, every platform
 * kind's schema, and `--set` overrides).
 * Input: the scenario text (any bytes, NULs included, as a file may hold),
 * then optionally the separator "\0--set\0" and NUL-separated override texts
 * ("key.path=value"). A scenario that loads must satisfy the
 * loader's guarantees (names, bounds, an output folder); when its workload is
 * a generator, the first requests it makes are drawn and checked too. A
 * failure must carry SIM_ESCENARIO or SIM_EINPUT and a message. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "tests/fuzz/fuzz.h"
#include "workloads/workload.h"

enum { MAX_OVERRIDES = 16, MAX_REQUESTS = 2000 };

static void check_platforms(const scenario *sc) {
  FUZZ_CHECK(sc->n_platforms >= 1 && sc->platforms != NULL);
  for (size_t i = 0; i < sc->n_platforms; i++) {
    const scenario_platform *p = &sc->platforms[i];
    FUZZ_CHECK(p->name != NULL && p->name[0] != '\0');
    FUZZ_CHECK(p->type != NULL && p->cfg != NULL);
    for (size_t j = 0; j < i; j++) FUZZ_CHECK(strcmp(p->name, sc->platforms[j].name) != 0);
  }
}

/* Draws the first requests of a generated workload: time-ordered, finite,
 * never negative. Traces are not opened (their paths name the fuzzer's
 * whims on the host's disk). */
static void check_workload(const scenario *sc) {
  if (!wl_is_generator(&sc->workload)) return;
  wl_source *src = NULL;
  sim_error err = {0};
  int rc = wl_open(&sc->workload, sc->seed, &src, &err);
  if (rc) {
    fuzz_check_error(rc, &err);
    return;
  }
  wl_request r;
  double prev = 0;
  for (int n = 0; n < MAX_REQUESTS && (rc = wl_next(src, &r, &err)) == 1; n++) {
    FUZZ_CHECK(isfinite(r.arrival_s) && r.arrival_s >= prev);
    FUZZ_CHECK(isfinite(r.cpu_s) && r.cpu_s >= 0);
    FUZZ_CHECK(isfinite(r.wait_s) && r.wait_s >= 0);
    prev = r.arrival_s;
  }
  if (rc < 0) fuzz_check_error(-rc, &err);
  wl_source_free(src);
}

static void check_scenario(const scenario *sc) {
  FUZZ_CHECK(sc->name != NULL && sc->source != NULL && sc->ctx != NULL);
  FUZZ_CHECK(isfinite(sc->duration_s) && sc->duration_s >= 0);
  FUZZ_CHECK(isfinite(sc->drain_s) && sc->drain_s >= 0);
  FUZZ_CHECK(sc->output.dir != NULL);
  FUZZ_CHECK(isfinite(sc->output.resolution_s) && sc->output.resolution_s > 0);
  check_platforms(sc);
  check_workload(sc);
}

FUZZ_TARGET(scenario) {
  fuzz_init();
  static const char sep[] = "\0--set\0";
  char *buf = fuzz_strndup(data, size);
  const char *mark = memmem(buf, size, sep, sizeof sep - 1);
  size_t text_len = mark ? (size_t)(mark - buf) : size;
  scenario_override ov[MAX_OVERRIDES];
  size_t n_ov = 0;
  for (size_t at = text_len + sizeof sep - 1; mark && at < size && n_ov < MAX_OVERRIDES;
       n_ov++) {
    ov[n_ov].text = buf + at;
    at += strlen(buf + at) + 1;
  }
  scenario *sc = NULL;
  sim_error err = {0};
  int rc = scenario_load_text("fuzz.yaml", buf, text_len, ov, n_ov, &sc, &err);
  if (rc) {
    FUZZ_CHECK(sc == NULL);
    FUZZ_CHECK(rc == SIM_ESCENARIO || rc == SIM_EINPUT);
    fuzz_check_error(rc, &err);
  } else {
    check_scenario(sc);
  }
  scenario_free(sc);
  free(buf);
  return 0;
}

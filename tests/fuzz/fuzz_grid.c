/* fuzz_grid.c — libFuzzer harness for a sweep's design (sim/sweep.c): the
 * `--grid key=v1,v2,...` arguments and the grid file.
 * Input: grid arguments, one per line, then optionally a NUL and the content
 * of a grid file. Each argument is accepted or refused with SIM_EUSAGE and a
 * message; the file likewise (SIM_EINPUT or SIM_ESCENARIO). What was accepted
 * is expanded: either refused (too many runs) or a design whose every setting
 * is one of its keys, "=", and a value, and whose run count is
 * variants x replications, within SWEEP_MAX_RUNS. */
#include <stdlib.h>
#include <string.h>

#include "sim/sweep.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_GRIDS = 16 };

static void check_design(const sweep_design *d, unsigned replications) {
  FUZZ_CHECK(d->n_variants >= 1 && d->replications == replications);
  FUZZ_CHECK(sweep_n_runs(d) == d->n_variants * replications);
  FUZZ_CHECK(sweep_n_runs(d) <= SWEEP_MAX_RUNS);
  for (size_t v = 0; v < d->n_variants; v++)
    for (size_t k = 0; k < d->n_keys; k++) {
      const char *s = d->settings[v * d->n_keys + k];
      if (!s) continue;
      size_t key_len = strlen(d->keys[k]);
      FUZZ_CHECK(strncmp(s, d->keys[k], key_len) == 0 && s[key_len] == '=');
    }
}

FUZZ_TARGET(grid) {
  fuzz_init();
  fuzz_part part[2];
  size_t n = fuzz_split(data, size, part, 2);
  char *args = fuzz_strndup(part[0].data, part[0].size);
  sweep_spec *spec = sweep_spec_alloc();
  sim_error err = {0};
  int rc = 0, grids = 0;
  for (char *line = args; line && grids < MAX_GRIDS; grids++) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = '\0';
    if ((rc = sweep_spec_add_grid(spec, line, &err))) {
      FUZZ_CHECK(rc == SIM_EUSAGE);
      fuzz_check_error(rc, &err);
      break;
    }
    line = nl ? nl + 1 : NULL;
  }
  if (!rc && n > 1) {
    rc = sweep_spec_add_file(spec, fuzz_memfile(part[1].data, part[1].size), &err);
    if (rc) {
      FUZZ_CHECK(rc == SIM_EINPUT || rc == SIM_ESCENARIO);
      fuzz_check_error(rc, &err);
    }
  }
  if (!rc) {
    /* 100+ replications: designs over ~10^5 variants meet the SWEEP_MAX_RUNS
     * refusal, smaller ones expand in milliseconds (a real 10^7-run design
     * takes seconds to expand, which is not what is under test here). */
    unsigned replications = 100 + (unsigned)(size % 3);
    sweep_design *d = NULL;
    sim_error_clear(&err);
    rc = sweep_expand(spec, replications, &d, &err);
    if (rc) {
      FUZZ_CHECK(rc == SIM_EUSAGE && d == NULL);
      fuzz_check_error(rc, &err);
    } else {
      check_design(d, replications);
    }
    sweep_design_free(d);
  }
  sweep_spec_free(spec);
  free(args);
  return 0;
}

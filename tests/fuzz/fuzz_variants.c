/* fuzz_variants.c — libFuzzer harness for reading a sweep's variants.csv back
 * (sweep_read_variants, used when a sweep resumes and by `scalesim merge`,
 * which may be given folders copied from elsewhere).
 * Input: the file. It is refused with SIM_EINPUT and a message, or read into a
 * design whose every setting is one of its keys, "=", and a value, within
 * SWEEP_MAX_RUNS, and which writes back the very same text. */
#include <stdlib.h>
#include <string.h>

#include "sim/sweep.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(variants) {
  fuzz_init();
  sweep_design *d = NULL;
  sim_error err = {0};
  int rc = sweep_read_variants(fuzz_memfile(data, size), &d, &err);
  if (rc) {
    FUZZ_CHECK(rc == SIM_EINPUT && d == NULL);
    fuzz_check_error(rc, &err);
    return 0;
  }
  FUZZ_CHECK(d->n_variants >= 1 && d->replications >= 1);
  FUZZ_CHECK(sweep_n_runs(d) <= SWEEP_MAX_RUNS);
  for (size_t v = 0; v < d->n_variants; v++)
    for (size_t k = 0; k < d->n_keys; k++) {
      const char *s = d->settings[v * d->n_keys + k];
      size_t key_len = strlen(d->keys[k]);
      FUZZ_CHECK(!s || (strncmp(s, d->keys[k], key_len) == 0 && s[key_len] == '='));
    }
  char *text = sweep_variants_csv(d);
  FUZZ_CHECK(strlen(text) == size && memcmp(text, data, size) == 0);
  free(text);
  sweep_design_free(d);
  return 0;
}

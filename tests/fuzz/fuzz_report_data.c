/* fuzz_report_data.c — libFuzzer harness for reading a run folder back
 * (out_run_read: summary.json, settings.csv and a platform's timeseries.csv,
 * decisions.csv and latency.csv), as `scalesim report DIR` and the sweep's
 * merge do with folders that may have been edited or copied from elsewhere.
 * Input: up to five NUL-separated parts, the files in that order; the
 * platform's files are written under <dir>/p/, so a summary.json naming a
 * platform "p" reaches them. The read fails with SIM_EINPUT and a message, or
 * gives a run whose platforms all have names. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/report_data.h"
#include "tests/fuzz/fuzz.h"

static const char *const files[] = {"summary.json", "settings.csv", "p/timeseries.csv",
                                    "p/decisions.csv", "p/latency.csv"};
enum { N_FILES = sizeof files / sizeof *files };

/* The run folder, made once per process (removed at exit). */
static char dir[64];

static void remove_dir(void) {
  char path[128];
  for (int i = 0; i < N_FILES; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    unlink(path);
  }
  snprintf(path, sizeof path, "%s/p", dir);
  rmdir(path);
  rmdir(dir);
}

static void make_dir(void) {
  char path[128];
  snprintf(dir, sizeof dir, "/tmp/scalesim-fuzz-run-XXXXXX");
  SIM_ASSERT(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/p", dir);
  SIM_ASSERT(mkdir(path, 0700) == 0);
  atexit(remove_dir);
}

FUZZ_TARGET(report_data) {
  fuzz_init();
  if (!dir[0]) make_dir();
  fuzz_part part[N_FILES];
  size_t n = fuzz_split(data, size, part, N_FILES);
  for (size_t i = 0; i < N_FILES; i++) {
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    if (i >= n) {
      unlink(path);
      continue;
    }
    FILE *f = fopen(path, "wb");
    SIM_ASSERT(f && fwrite(part[i].data, 1, part[i].size, f) == part[i].size);
    fclose(f);
  }
  out_run *run = NULL;
  sim_error err = {0};
  int rc = out_run_read(dir, &run, &err);
  if (rc) {
    FUZZ_CHECK(rc == SIM_EINPUT);
    fuzz_check_error(rc, &err);
  } else {
    for (size_t i = 0; i < run->n_platforms; i++) FUZZ_CHECK(run->platforms[i].name != NULL);
  }
  out_run_free(run);
  return 0;
}

/* test_limits.c — sim/limits: the `limits` section's schema and the checks of
 * the wall-time, memory and requests budgets. */
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/cfg.h"
#include "sim/limits.h"
#include "tests/check.h"

/* Reads `text` (a `limits` mapping) through the schema; returns the status. */
static int read_limits(const char *text, sim_limits *l, char *msg, size_t len) {
  cfg_ctx *ctx = cfg_ctx_alloc("limits.yaml");
  struct fy_document *fyd = NULL;
  int rc = cfg_parse(ctx, text, strlen(text), &fyd);
  if (!rc) rc = cfg_read(ctx, fy_document_root(fyd), "limits", &sim_limits_schema, l);
  snprintf(msg, len, "%s", cfg_ctx_error(ctx)->msg);
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  return rc;
}

static void test_schema(void) {
  sim_limits l;
  char msg[1024];
  CHECK_INT(read_limits("{memory: 8GiB, wall_time: 1h}", &l, msg, sizeof msg), 0, "reads");
  CHECK_REL(l.memory_mib, 8192, 0, "memory 8GiB is 8192 MiB");
  CHECK_REL(l.wall_time_s, 3600, 0, "wall_time 1h is 3600 s");
  CHECK_INT(read_limits("{}", &l, msg, sizeof msg), 0, "empty section reads");
  CHECK(l.memory_mib == 0 && l.wall_time_s == 0, "memory and wall_time default to 0: no limit");
  CHECK(l.requests == 1e11 && l.timeseries_rows == 1e7,
        "the size budgets default to 1e11 requests and 1e7 rows");
  CHECK_INT(read_limits("{requests: 0, timeseries_rows: 5e5}", &l, msg, sizeof msg), 0,
            "size budgets read");
  CHECK(l.requests == 0 && l.timeseries_rows == 5e5, "0 turns the requests budget off");
  CHECK_INT(read_limits("{requests: -1}", &l, msg, sizeof msg), SIM_ESCENARIO,
            "a negative requests budget is an error");
  CHECK_INT(read_limits("{wall_time: -5s}", &l, msg, sizeof msg), SIM_ESCENARIO,
            "a negative wall_time is an error");
  CHECK_CONTAINS(msg, "limits.wall_time", "the message names the key");
  CHECK_INT(read_limits("{memory: lots}", &l, msg, sizeof msg), SIM_ESCENARIO,
            "a memory without a size is an error");
  CHECK_INT(read_limits("{memroy: 1GiB}", &l, msg, sizeof msg), SIM_ESCENARIO,
            "an unknown key is an error");
  CHECK_CONTAINS(msg, "memory", "with a hint");
}

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

static void test_wall_time(void) {
  sim_error err = {0};
  sim_limits l = {.wall_time_s = 0.05};
  sim_limits_start(&l);
  CHECK_INT(sim_limits_check(&l, 0, &err), 0, "within the wall-time budget at the start");
  sleep_s(0.1);
  CHECK(sim_limits_elapsed_s(&l) >= 0.1, "elapsed time counts from start");
  CHECK_INT(sim_limits_check(&l, 0, &err), SIM_EFAIL, "over the wall-time budget");
  CHECK_CONTAINS(err.msg, "limits.wall_time: the run took ", "message names the key");
  CHECK_CONTAINS(err.msg, "over its budget of 50ms", "message gives the budget");
  sim_limits none = {0};
  sim_limits_start(&none);
  CHECK_INT(sim_limits_check(&none, 0, &err), 0, "zero budgets never fail");
  CHECK_INT(sim_limits_check(NULL, 0, &err), 0, "no limits never fail");
}

static void test_memory(void) {
  sim_error err = {0};
  double before = sim_limits_peak_rss_mib();
  CHECK(before > 0, "the peak resident set is known");
  sim_limits l = {.memory_mib = before + 32};
  sim_limits_start(&l);
  CHECK_INT(sim_limits_check(&l, 0, &err), 0, "within the memory budget");
  /* Touch 64 MiB so it becomes resident (volatile: the writes must happen). */
  size_t n = 64u << 20;
  volatile char *block = malloc(n);
  for (size_t i = 0; i < n; i += 4096) block[i] = 1;
  CHECK(sim_limits_peak_rss_mib() >= before + 60, "the peak grew by what was touched");
  CHECK_INT(sim_limits_check(&l, 0, &err), SIM_EFAIL, "over the memory budget");
  CHECK_CONTAINS(err.msg, "limits.memory: the run used ", "message names the key");
  free((char *)block);
}

static void test_requests(void) {
  sim_error err = {0};
  sim_limits l = {.requests = 1000};
  sim_limits_start(&l);
  CHECK_INT(sim_limits_check(&l, 1000, &err), 0, "at the requests budget is within it");
  CHECK_INT(sim_limits_check(&l, 65536, &err), SIM_EFAIL, "over the requests budget");
  CHECK_STR(err.msg, "limits.requests: the run was fed 65536 requests, over its budget of 1000",
            "message names the key, the count and the budget");
  sim_limits none = {0};
  CHECK_INT(sim_limits_check(&none, UINT64_MAX, &err), 0, "a zero requests budget never fails");
}

static void test_due(void) {
  CHECK(sim_limits_due(0) && sim_limits_due(SIM_LIMITS_CHECK_EVERY), "due on multiples");
  CHECK(!sim_limits_due(1) && !sim_limits_due(SIM_LIMITS_CHECK_EVERY - 1), "not between");
}

int main(void) {
  check_init();
  test_schema();
  test_wall_time();
  test_memory();
  test_requests();
  test_due();
  return check_done();
}

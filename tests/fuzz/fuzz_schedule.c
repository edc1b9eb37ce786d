/* fuzz_schedule.c — libFuzzer harness for the calendar parsers of ECS
 * scheduled actions: ecs_cron_plan_init (models/ecs/cron.h: the Schedule
 * string — at(...), rate(...), cron(...) — its Timezone, StartTime, EndTime
 * and CreationTime) and sim_time_parse (sim/calendar.h: ISO 8601 instants).
 * Input: schedule, timezone, start, end, created, NUL-separated (an empty
 * part is absent). The harness checks: a failure carries a status, a message
 * and the key at fault; a plan's firings are finite, not before the time
 * asked for, and strictly increasing; an instant that parses formats to a
 * text that parses back to the same instant. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/ecs/cron.h"
#include "sim/calendar.h"
#include "tests/fuzz/fuzz.h"

enum { N_PARTS = 5, FIRINGS = 16 };
static const double origin_s = 1777593600; /* 2026-05-01T00:00:00Z, a Friday */

/* Walks the first firings of a plan from t = 0 of a run starting at origin_s. */
static void check_firings(ecs_cron_plan *p) {
  double from = origin_s, last = -INFINITY;
  for (int i = 0; i < FIRINGS; i++) {
    double t = ecs_cron_plan_next(p, from);
    if (isnan(t)) return;
    FUZZ_CHECK(isfinite(t) && t >= from && t > last);
    last = t;
    from = t + 1;
  }
}

/* An instant that parses formats to a text that parses back to it. */
static void check_time(const char *text) {
  double t;
  sim_error err = {0};
  int rc = sim_time_parse(text, &t, &err);
  if (rc) {
    fuzz_check_error(rc, &err);
    return;
  }
  FUZZ_CHECK(isfinite(t));
  char buf[64];
  sim_time_format(t, buf, sizeof buf);
  double back = NAN;
  FUZZ_CHECK(sim_time_parse(buf, &back, &err) == 0);
  FUZZ_CHECK(fabs(back - t) <= 1e-6 * fmax(1, fabs(t)));
}

FUZZ_TARGET(schedule) {
  fuzz_init();
  fuzz_part part[N_PARTS] = {{0}};
  size_t n = fuzz_split(data, size, part, N_PARTS);
  char *text[N_PARTS] = {0};
  for (size_t i = 0; i < n; i++)
    if (part[i].size) text[i] = fuzz_strndup(part[i].data, part[i].size);
  ecs_cron_spec spec = {text[0] ? text[0] : "", text[1], text[2], text[3], text[4]};
  for (int gap = ECS_CRON_GAP_SKIP; gap <= ECS_CRON_GAP_SHIFT; gap++) {
    ecs_cron_plan plan;
    const char *bad_key = NULL;
    sim_error err = {0};
    int rc = ecs_cron_plan_init(&plan, &spec, origin_s, (ecs_cron_gap)gap, &bad_key, &err);
    if (rc) {
      fuzz_check_error(rc, &err);
      FUZZ_CHECK(bad_key != NULL);
      continue;
    }
    check_firings(&plan);
    ecs_cron_plan_free(&plan);
  }
  for (size_t i = 0; i < N_PARTS; i++)
    if (text[i]) check_time(text[i]);
  for (size_t i = 0; i < N_PARTS; i++) free(text[i]);
  return 0;
}

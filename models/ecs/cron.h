/* cron.h — the Schedule of an Application Auto Scaling scheduled action (spec
 * §8.1, AAS-API PutScheduledAction): `at(yyyy-mm-ddThh:mm:ss)`,
 * `rate(value unit)` and AWS's six-field `cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)`, parsed into a compact matcher, and the instants an
 * action fires at given its Timezone, StartTime and EndTime.
 *
 * The cron dialect is AWS's (AAS-CRON points to EventBridge's cron reference,
 * EB-CRON): a Year field, days of the week 1-7 from Sunday, `?` in exactly one
 * of day-of-month and day-of-week, `L`, `W` and `#`; it is Quartz's, not the
 * Vixie cron of crontab(5). No C library for it is packaged in Debian, so the
 * parser and matcher are written here (small, pure, unit-tested in
 * tests/test_ecs_cron.c). The time zone arithmetic is sim/calendar.h's. */
#ifndef ECS_CRON_H
#define ECS_CRON_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/calendar.h"
#include "sim/error.h"

enum { ECS_CRON_FIRST_YEAR = 1970, ECS_CRON_LAST_YEAR = 2199 }; /* EB-CRON Year field */

/* How the day-of-month field chooses days. */
enum { ECS_CRON_DAYS_LIST = 0, ECS_CRON_DAYS_LAST, ECS_CRON_DAYS_NEAREST_WEEKDAY };
/* How the day-of-week field chooses days. */
enum { ECS_CRON_WEEKDAYS_LIST = 0, ECS_CRON_WEEKDAYS_LAST, ECS_CRON_WEEKDAYS_NTH };

/* A parsed cron(...): one bit per value that matches. Exactly one of the day
 * fields was `?`; by_weekday says which decides the day. */
typedef struct ecs_cron {
  uint64_t minutes;  /* bit m: minute m (0-59) */
  uint32_t hours;    /* bit h: hour h (0-23) */
  uint32_t days;     /* bit d: day of the month d (1-31), with day_rule LIST */
  uint16_t months;   /* bit m: month m (1-12) */
  uint8_t weekdays;  /* bit w: day of the week w (1-7, Sunday = 1), with weekday_rule LIST */
  uint64_t years[4]; /* bit y - 1970: year y (1970-2199) */
  bool by_weekday;   /* day-of-month is `?`: the day-of-week field decides */
  uint8_t day_rule;     /* ECS_CRON_DAYS_*: a list, L, or nW */
  uint8_t weekday_rule; /* ECS_CRON_WEEKDAYS_*: a list, nL, or n#k */
  uint8_t day_arg;      /* nW: n; nL and n#k: the day of the week n (1-7) */
  uint8_t nth;          /* n#k: k (1-5) */
} ecs_cron;

typedef enum ecs_cron_kind {
  ECS_CRON_KIND_AT = 0, /* at(...): once */
  ECS_CRON_KIND_RATE,   /* rate(...): every period */
  ECS_CRON_KIND_CRON    /* cron(...) */
} ecs_cron_kind;

/* A parsed Schedule string. */
typedef struct ecs_cron_expr {
  ecs_cron_kind kind;
  sim_civil at;  /* at(...): the wall time, read in the action's Timezone */
  double rate_s; /* rate(...): the period, seconds */
  ecs_cron cron; /* cron(...) */
} ecs_cron_expr;

/* Parses a Schedule string. Returns 0, or SIM_ESCENARIO with err naming the
 * part that is wrong and what was expected ("cron field 5 (day-of-week)
 * 'MON#6': ...") without file context, which the caller adds. A cron that
 * matches no date at all (`0 0 30 2 ? *`) is an error too. */
int ecs_cron_parse(const char *text, ecs_cron_expr *out, sim_error *err);

/* The first minute at or after `from` (its seconds ignored) whose wall-clock
 * fields c matches, into *out; false when none is before 2200. */
bool ecs_cron_next_local(const ecs_cron *c, const sim_civil *from, sim_civil *out);

/* What a cron does at a wall time the zone's clocks skip (spring forward): AWS
 * does not document it for Application Auto Scaling [I]. SKIP: it does not
 * fire that day (EventBridge Scheduler's documented rule, EB-DST); SHIFT: it
 * fires one gap length later on the wall clock (02:30 in a 02:00-03:00 gap at
 * 03:30, java.time's and Quartz's resolution). */
typedef enum ecs_cron_gap { ECS_CRON_GAP_SKIP = 0, ECS_CRON_GAP_SHIFT } ecs_cron_gap;
extern const char *const ecs_cron_gap_names[]; /* NULL-terminated, for the schema */

/* The first instant strictly after after_s (epoch seconds) at which cron c,
 * read in zone z, fires, into *out_s; false when none is before 2200. A wall
 * time the clocks show twice (fall back) fires once, at its first occurrence
 * (EB-DST [I]); one they skip follows `gap`. */
bool ecs_cron_next(const ecs_cron *c, sim_zone *z, ecs_cron_gap gap, int64_t after_s,
                   int64_t *out_s);

/* A scheduled action's calendar settings, as the scenario or the JSON gives
 * them (ISO 8601 text); NULL when absent. */
typedef struct ecs_cron_spec {
  const char *schedule; /* required */
  const char *timezone; /* NULL: UTC */
  const char *start;    /* StartTime */
  const char *end;      /* EndTime */
  const char *created;  /* CreationTime: where rate(...) counts from without a start */
} ecs_cron_spec;

/* When one scheduled action fires. */
typedef struct ecs_cron_plan {
  ecs_cron_expr expr;
  sim_zone *zone;   /* owned */
  ecs_cron_gap gap;
  double at_s;      /* at(...): the instant (epoch s) */
  double start_s;   /* StartTime (epoch s), NAN: none */
  double end_s;     /* EndTime (epoch s), NAN: none */
  double anchor_s;  /* rate(...) without a start: its creation (epoch s) */
} ecs_cron_plan;

/* Builds the plan of spec. `origin_s` is the epoch time of the run's t = 0,
 * where a rate(...) with neither start nor created counts from [I]. Checks
 * the rules of AAS-API PutScheduledAction: the schedule's syntax, a known
 * zone, and not for rate(...) (Timezone is for at and cron expressions), start
 * and end only on a recurring schedule, end after start, `created` only on a
 * rate(...); an at(...) at a wall time the zone skips is an error. On error
 * returns SIM_ESCENARIO, err's message without file context, and the spec key
 * at fault ("schedule", "timezone", "start", "end", "created") in *bad_key;
 * p is then empty. */
int ecs_cron_plan_init(ecs_cron_plan *p, const ecs_cron_spec *spec, double origin_s,
                       ecs_cron_gap gap, const char **bad_key, sim_error *err);

/* Frees what the plan holds (not p); an empty plan is a no-op. */
void ecs_cron_plan_free(ecs_cron_plan *p);

/* The first firing at or after from_s (epoch seconds), NAN when none: at(...)
 * once; rate(...) at start + k x period (k >= 0) with a start, else at
 * created + k x period (k >= 1); cron(...) at the start and then at its
 * matches after it (AAS-CRON: "performs the action at this time, and then
 * performs the action based on the specified recurrence"), or at its matches;
 * nothing after the end ("the action stops repeating after this time"). */
double ecs_cron_plan_next(ecs_cron_plan *p, double from_s);

#endif

/* test_ecs_cron.c — scheduled actions on the calendar: the Schedule parser and
 * matcher (models/ecs/cron.c) with every operator, names, ranges and errors;
 * next firings worked out by hand from the 2026 calendar (weekdays 07:30, L,
 * 15W, MON#2, 6L, the year field); time zones (sim/calendar.c) across the
 * 2026 daylight saving changes of Europe/Berlin (29 March, 25 October) and
 * America/New_York (8 March, 1 November); start/end/created; the scenario's
 * start_time; and an ECS service run from a Friday with
 * cron(30 7 ? * MON-FRI *) in Europe/Berlin, checked from its decision log. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/ecs/config.h"
#include "models/ecs/cron.h"
#include "models/platform.h"
#include "output/recorder.h"
#include "sim/calendar.h"
#include "sim/engine.h"
#include "sim/scenario.h"
#include "tests/check.h"

/* Epoch seconds of an ISO 8601 time with its zone (the test's own constants). */
static double iso(const char *text) {
  double t;
  sim_error err = {0};
  SIM_ASSERT(sim_time_parse(text, &t, &err) == 0);
  return t;
}

static bool parse(const char *schedule, ecs_cron_expr *e) {
  sim_error err = {0};
  int rc = ecs_cron_parse(schedule, e, &err);
  if (rc) fprintf(stderr, "%s: %s\n", schedule, err.msg);
  return rc == 0;
}

/* The next firing of a cron strictly after `after` in zone `zone`, as epoch
 * seconds; NAN when none (or the expression does not parse). */
static double next_in(const char *schedule, const char *zone, ecs_cron_gap gap,
                      const char *after) {
  ecs_cron_expr e;
  sim_zone *z = NULL;
  sim_error err = {0};
  if (!parse(schedule, &e) || sim_zone_open(zone, &z, &err)) return NAN;
  int64_t at;
  bool found = ecs_cron_next(&e.cron, z, gap, (int64_t)iso(after), &at);
  sim_zone_free(z);
  return found ? (double)at : NAN;
}

static double next_utc(const char *schedule, const char *after) {
  return next_in(schedule, "UTC", ECS_CRON_GAP_SKIP, after);
}

/* --- the parser --------------------------------------------------------------- */

static void test_parse_fields(void) {
  ecs_cron_expr e;
  CHECK(parse("cron(30 7 ? * MON-FRI *)", &e), "weekdays 07:30 parses");
  CHECK_INT(e.kind, ECS_CRON_KIND_CRON, "a cron expression");
  CHECK(e.cron.minutes == (uint64_t)1 << 30 && e.cron.hours == 1u << 7, "minute 30, hour 7");
  CHECK(e.cron.by_weekday, "'?' in day-of-month: the day of the week decides");
  CHECK_INT(e.cron.weekdays, 0x7c, "MON-FRI is 2-6 (SUN = 1, EB-CRON)");
  CHECK_INT(e.cron.months, 0x1ffe, "* in month: 1-12");
  CHECK(e.cron.years[0] == ~(uint64_t)0 && e.cron.years[3] >> (2199 - 1970 - 192) & 1,
        "* in year: 1970-2199");

  CHECK(parse("cron(0/15 8-17/3 1,15,20-22 jan,Mar-MAY ? 2026-2027)", &e),
        "lists, ranges, steps and lower-case names parse");
  CHECK(e.cron.minutes == ((uint64_t)1 | 1u << 15 | (uint64_t)1 << 30 | (uint64_t)1 << 45),
        "0/15: minutes 0, 15, 30, 45");
  CHECK_INT(e.cron.hours, 1u << 8 | 1u << 11 | 1u << 14 | 1u << 17, "8-17/3: 8, 11, 14, 17");
  CHECK_INT(e.cron.days, 1u << 1 | 1u << 15 | 1u << 20 | 1u << 21 | 1u << 22,
            "1,15,20-22 (days)");
  CHECK_INT(e.cron.months, 1u << 1 | 1u << 3 | 1u << 4 | 1u << 5, "jan,Mar-MAY");
  CHECK(!e.cron.by_weekday, "day-of-month decides");
  CHECK(e.cron.years[0] >> 56 & 1 && e.cron.years[0] >> 57 & 1 && !(e.cron.years[0] >> 58 & 1),
        "2026-2027 only");

  CHECK(parse("cron(1/10 * * * ? *)", &e), "1/10 parses");
  uint64_t want = 0;
  for (int m = 1; m < 60; m += 10) want |= (uint64_t)1 << m;
  CHECK(e.cron.minutes == want, "1/10: minutes 1, 11, 21, ... (EB-CRON's example)");
  CHECK(parse("cron(10-10/5 0 * * ? *)", &e) && e.cron.minutes == (uint64_t)1 << 10,
        "a one-value range with a step is that value");
  CHECK(parse("cron(*/20 0 * * ? *)", &e), "*/20 parses");
  CHECK(e.cron.minutes == ((uint64_t)1 | (uint64_t)1 << 20 | (uint64_t)1 << 40), "*/20");

  CHECK(parse("cron(0 12 L * ? *)", &e) && e.cron.day_rule == ECS_CRON_DAYS_LAST, "L");
  CHECK(parse("cron(0 12 15W * ? *)", &e) && e.cron.day_rule == ECS_CRON_DAYS_NEAREST_WEEKDAY &&
            e.cron.day_arg == 15,
        "15W");
  CHECK(parse("cron(0 12 ? * MON#2 *)", &e) && e.cron.weekday_rule == ECS_CRON_WEEKDAYS_NTH &&
            e.cron.day_arg == 2 && e.cron.nth == 2,
        "MON#2: the second Monday");
  CHECK(parse("cron(0 12 ? * 3#1 *)", &e) && e.cron.day_arg == 3 && e.cron.nth == 1, "3#1");
  CHECK(parse("cron(0 12 ? * 6L *)", &e) && e.cron.weekday_rule == ECS_CRON_WEEKDAYS_LAST &&
            e.cron.day_arg == 6,
        "6L: the last Friday");
  CHECK(parse("cron(0 12 ? * L *)", &e) && e.cron.weekdays == 1u << 7,
        "L alone in day-of-week is 7, Saturday");

  CHECK(parse("rate(5 minutes)", &e) && e.kind == ECS_CRON_KIND_RATE && e.rate_s == 300,
        "rate(5 minutes)");
  CHECK(parse("rate(1 hour)", &e) && e.rate_s == 3600, "rate(1 hour)");
  CHECK(parse("rate(2 days)", &e) && e.rate_s == 172800, "rate(2 days)");
  CHECK(parse("at(2026-05-04T07:30:00)", &e) && e.kind == ECS_CRON_KIND_AT &&
            e.at.year == 2026 && e.at.month == 5 && e.at.day == 4 && e.at.hour == 7 &&
            e.at.minute == 30,
        "at(2026-05-04T07:30:00)");
}

static void expect_parse_error(const char *schedule, const char *needle) {
  ecs_cron_expr e;
  sim_error err = {0};
  int rc = ecs_cron_parse(schedule, &e, &err);
  CHECK_INT(rc, SIM_ESCENARIO, "%s is an error", schedule);
  CHECK_CONTAINS(err.msg, needle, "%s: the message says what was expected", schedule);
}

static void test_parse_errors(void) {
  expect_parse_error("cron(30 7 * * 1-5)", "expected 6, Minutes Hours Day-of-month Month");
  expect_parse_error("cron(0 30 7 ? * MON-FRI *)", "more than 6 fields");
  expect_parse_error("cron(30 7 * * MON-FRI *)",
                     "day-of-month '*' and day-of-week 'MON-FRI': exactly one of them must be "
                     "'?'");
  expect_parse_error("cron(30 7 ? * ? *)", "exactly one of them must be '?'");
  expect_parse_error("cron(60 7 ? * MON *)", "cron field 1 (minutes) '60': 60 is out of range: "
                                             "expected 0-59");
  expect_parse_error("cron(0 24 ? * MON *)", "field 2 (hours) '24'");
  expect_parse_error("cron(0 7 0 * ? *)", "field 3 (day-of-month) '0': 0 is out of range");
  expect_parse_error("cron(0 7 1 FOO ? *)", "field 4 (month) 'FOO': expected a value 1-12 or "
                                            "JAN-DEC");
  expect_parse_error("cron(0 7 ? * 0 *)", "field 5 (day-of-week) '0': 0 is out of range: "
                                          "expected 1-7 or SUN-SAT (SUN = 1)");
  expect_parse_error("cron(0 7 ? * MON/2 *)", "'/' is not allowed in day-of-week");
  expect_parse_error("cron(0 7 ? * MON#6 *)", "occurrence k, 1-5");
  expect_parse_error("cron(0 7 ? * 2#1,6#3 *)", "'#' must be the only expression");
  expect_parse_error("cron(0 7 L,15 * ? *)", "expected L (the last day of the month) or nW");
  expect_parse_error("cron(0 7 LW * ? *)", "expected L (the last day of the month) or nW");
  expect_parse_error("cron(0 7 ? * 2W *)", "unexpected 'W'");
  expect_parse_error("cron(0 7 15 L ? *)", "field 4 (month) 'L': expected a value 1-12 or JAN-DEC");
  expect_parse_error("cron(0 7 # * ? *)", "'#' is not allowed in day-of-month");
  expect_parse_error("cron(0 ? 1 * ? *)", "'?' is not allowed in hours");
  expect_parse_error("cron(0 7 1 * ? 1969)", "field 6 (year) '1969': 1969 is out of range: "
                                             "expected 1970-2199");
  expect_parse_error("cron(5-3 7 1 * ? *)", "the range 5-3 runs backwards");
  expect_parse_error("cron(0/0 7 1 * ? *)", "expected a step of 1 to 60");
  expect_parse_error("cron(0 7 1,,2 * ? *)", "field 3 (day-of-month) '1,,2'");
  expect_parse_error("cron(0 0 30 2 ? *)", "matches no date");
  expect_parse_error("rate(0 minutes)", "value a whole number from 1 to 1000000");
  expect_parse_error("rate(5 weeks)", "unit minute, minutes, hour, hours, day or days");
  expect_parse_error("rate(5minutes)", "expected rate(value unit)");
  expect_parse_error("at(2026-02-29T07:30:00)", "expected at(yyyy-mm-ddThh:mm:ss)");
  expect_parse_error("at(2026-05-04 07:30:00)", "expected at(yyyy-mm-ddThh:mm:ss)");
  expect_parse_error("every 5m", "expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or "
                                 "cron(Minutes Hours");
}

/* --- next firings, worked out by hand (2026-05-01 is a Friday) ------------------- */

static void test_next_utc(void) {
  const char *weekdays = "cron(30 7 ? * MON-FRI *)";
  CHECK_REL(next_utc(weekdays, "2026-05-01T00:00:00Z"), iso("2026-05-01T07:30:00Z"), 0,
            "weekdays 07:30 from Friday midnight: Friday 07:30");
  CHECK_REL(next_utc(weekdays, "2026-05-01T07:30:00Z"), iso("2026-05-04T07:30:00Z"), 0,
            "strictly after Friday 07:30: Monday 07:30, not Saturday or Sunday");
  CHECK_REL(next_utc(weekdays, "2026-05-01T07:29:59Z"), iso("2026-05-01T07:30:00Z"), 0,
            "a second before: that same minute");
  CHECK_REL(next_utc("cron(0 12 L * ? *)", "2026-02-01T00:00:00Z"), iso("2026-02-28T12:00:00Z"),
            0, "L: the last day of February 2026 is the 28th");
  CHECK_REL(next_utc("cron(0 12 L * ? *)", "2028-02-01T00:00:00Z"), iso("2028-02-29T12:00:00Z"),
            0, "L in a leap year: the 29th");
  CHECK_REL(next_utc("cron(0 12 15W * ? *)", "2026-08-01T00:00:00Z"),
            iso("2026-08-14T12:00:00Z"), 0, "15W, 15 August 2026 a Saturday: Friday the 14th");
  CHECK_REL(next_utc("cron(0 12 15W * ? *)", "2026-11-01T00:00:00Z"),
            iso("2026-11-16T12:00:00Z"), 0, "15W, 15 November 2026 a Sunday: Monday the 16th");
  CHECK_REL(next_utc("cron(0 12 15W * ? *)", "2026-05-01T00:00:00Z"),
            iso("2026-05-15T12:00:00Z"), 0, "15W on a Friday: the 15th itself");
  CHECK_REL(next_utc("cron(0 12 1W * ? *)", "2026-07-31T00:00:00Z"),
            iso("2026-08-03T12:00:00Z"), 0,
            "1W, 1 August 2026 a Saturday: Monday the 3rd (not across the month)");
  CHECK_REL(next_utc("cron(0 12 31W * ? *)", "2026-05-20T00:00:00Z"),
            iso("2026-05-29T12:00:00Z"), 0, "31W, 31 May 2026 a Sunday: Friday the 29th");
  CHECK_REL(next_utc("cron(0 12 31W * ? *)", "2026-06-01T00:00:00Z"),
            iso("2026-07-31T12:00:00Z"), 0, "31W: June has no 31st, so July");
  CHECK_REL(next_utc("cron(0 9 ? * MON#2 *)", "2026-01-01T00:00:00Z"),
            iso("2026-01-12T09:00:00Z"), 0, "MON#2 in January 2026: the 12th");
  CHECK_REL(next_utc("cron(0 9 ? * MON#2 *)", "2026-01-12T09:00:00Z"),
            iso("2026-02-09T09:00:00Z"), 0, "then the second Monday of February, the 9th");
  CHECK_REL(next_utc("cron(0 9 ? * 2#5 *)", "2026-01-01T00:00:00Z"),
            iso("2026-03-30T09:00:00Z"), 0, "a fifth Monday: none in January or February");
  CHECK_REL(next_utc("cron(15 10 ? * 6L *)", "2026-01-01T00:00:00Z"),
            iso("2026-01-30T10:15:00Z"), 0, "6L: the last Friday of January 2026, the 30th");
  CHECK_REL(next_utc("cron(15 10 ? * 6L *)", "2026-07-01T00:00:00Z"),
            iso("2026-07-31T10:15:00Z"), 0, "6L in July: the 31st");
  CHECK_REL(next_utc("cron(0 0 1 1 ? 2027-2028)", "2026-06-01T00:00:00Z"),
            iso("2027-01-01T00:00:00Z"), 0, "the year field: not 2026, New Year 2027");
  CHECK_REL(next_utc("cron(0 0 1 1 ? 2027-2028)", "2027-01-01T00:00:00Z"),
            iso("2028-01-01T00:00:00Z"), 0, "then 2028");
  CHECK(isnan(next_utc("cron(0 0 1 1 ? 2027-2028)", "2028-01-01T00:00:00Z")),
        "and none after 2028");
  CHECK_REL(next_utc("cron(0/15 * * * ? *)", "2026-05-01T10:07:13Z"),
            iso("2026-05-01T10:15:00Z"), 0, "0/15 from 10:07:13: 10:15");
  CHECK_REL(next_utc("cron(0 0 29 2 ? *)", "2026-03-01T00:00:00Z"), iso("2028-02-29T00:00:00Z"),
            0, "29 February: the next leap year");
  CHECK_REL(next_utc("cron(0 23 31 DEC ? *)", "2026-12-31T23:00:00Z"),
            iso("2027-12-31T23:00:00Z"), 0, "across a year end");
}

/* --- time zones ------------------------------------------------------------------ */

static void test_zone(void) {
  sim_zone *berlin = NULL, *ny = NULL;
  sim_error err = {0};
  CHECK_INT(sim_zone_open("Europe/Berlin", &berlin, &err), 0, "Europe/Berlin opens (%s)",
            err.msg);
  CHECK_INT(sim_zone_open("America/New_York", &ny, &err), 0, "America/New_York opens");
  if (!berlin || !ny) return;
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2026-01-15T12:00:00Z")), 3600, "CET +1 h");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2026-07-15T12:00:00Z")), 7200, "CEST +2 h");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2026-03-29T00:59:59Z")), 3600,
            "a second before 01:00 UTC on 29 March 2026: still CET");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2026-03-29T01:00:00Z")), 7200,
            "at 01:00 UTC: CEST (EU rule: the last Sunday of March, 01:00 UTC)");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2026-10-25T01:00:00Z")), 3600,
            "CET again from 01:00 UTC on 25 October 2026");
  CHECK_INT(sim_zone_offset_s(ny, (int64_t)iso("2026-03-08T06:59:59Z")), -18000, "EST -5 h");
  CHECK_INT(sim_zone_offset_s(ny, (int64_t)iso("2026-03-08T07:00:00Z")), -14400,
            "EDT from 02:00 EST on 8 March 2026");
  CHECK_INT(sim_zone_offset_s(ny, (int64_t)iso("2026-11-01T06:00:00Z")), -18000,
            "EST from 02:00 EDT on 1 November 2026");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("2199-07-01T00:00:00Z")), 7200,
            "far ahead the zone's rule still applies (the table grows)");
  CHECK_INT(sim_zone_offset_s(berlin, (int64_t)iso("1980-07-01T00:00:00Z")), 7200,
            "and behind (summer time in West Germany since 1980)");

  sim_civil local;
  sim_zone_local(berlin, (int64_t)iso("2026-05-01T05:30:00Z"), &local);
  CHECK(local.hour == 7 && local.minute == 30 && local.weekday == 5,
        "05:30 UTC is 07:30 on a Friday in Berlin in May");

  int64_t a, b;
  sim_civil spring = {.year = 2026, .month = 3, .day = 29, .hour = 2, .minute = 30};
  CHECK_INT(sim_zone_resolve(berlin, &spring, &a, &b), SIM_ZONE_GAP,
            "02:30 on 29 March 2026 does not occur in Berlin");
  CHECK_REL((double)a, iso("2026-03-29T03:30:00+02:00"), 0,
            "shifted by the gap: 03:30 CEST");
  sim_civil autumn = {.year = 2026, .month = 10, .day = 25, .hour = 2, .minute = 30};
  CHECK_INT(sim_zone_resolve(berlin, &autumn, &a, &b), SIM_ZONE_TWICE,
            "02:30 on 25 October 2026 occurs twice in Berlin");
  CHECK_REL((double)a, iso("2026-10-25T02:30:00+02:00"), 0, "first in CEST");
  CHECK_REL((double)b, iso("2026-10-25T02:30:00+01:00"), 0, "then in CET");
  sim_civil plain = {.year = 2026, .month = 10, .day = 25, .hour = 12};
  CHECK_INT(sim_zone_resolve(berlin, &plain, &a, &b), SIM_ZONE_ONE, "noon occurs once");
  CHECK_REL((double)a, iso("2026-10-25T11:00:00Z"), 0, "at 11:00 UTC");
  sim_civil ny_gap = {.year = 2026, .month = 3, .day = 8, .hour = 2, .minute = 30};
  CHECK_INT(sim_zone_resolve(ny, &ny_gap, &a, &b), SIM_ZONE_GAP, "02:30 on 8 March in New York");
  CHECK_REL((double)a, iso("2026-03-08T03:30:00-04:00"), 0, "shifted: 03:30 EDT");
  sim_civil ny_twice = {.year = 2026, .month = 11, .day = 1, .hour = 1, .minute = 30};
  CHECK_INT(sim_zone_resolve(ny, &ny_twice, &a, &b), SIM_ZONE_TWICE,
            "01:30 on 1 November twice in New York");
  CHECK_REL((double)a, iso("2026-11-01T05:30:00Z"), 0, "01:30 EDT");
  CHECK_REL((double)b, iso("2026-11-01T06:30:00Z"), 0, "01:30 EST");
  sim_zone_free(berlin);
  sim_zone_free(ny);
}

static void test_zone_errors_and_env(void) {
  sim_zone *z = NULL;
  sim_error err = {0};
  CHECK_INT(sim_zone_open("Europe/Berlln", &z, &err), SIM_ESCENARIO, "a misspelt zone");
  CHECK_CONTAINS(err.msg, "unknown time zone 'Europe/Berlln'", "the message names it");
  CHECK_INT(sim_zone_open("../../etc/passwd", &z, &err), SIM_ESCENARIO,
            "a path out of the zoneinfo folder is no zone");
  CHECK_INT(sim_zone_open("Europe", &z, &err), SIM_ESCENARIO, "a folder is no zone");
  CHECK_INT(sim_zone_open("", &z, &err), SIM_ESCENARIO, "nor is nothing");
  CHECK_INT(sim_zone_open("Etc/GMT+9", &z, &err), 0, "Etc/GMT+9, AWS's own example");
  if (z) CHECK_INT(sim_zone_offset_s(z, 1777593600), -9 * 3600, "is UTC-9 (POSIX signs)");
  sim_zone_free(z);
  CHECK_INT(sim_zone_open("UTC", &z, &err), 0, "UTC");
  if (z) CHECK_INT(sim_zone_offset_s(z, 1777593600), 0, "UTC has offset 0");
  sim_zone_free(z);

  /* The zone's sampling sets TZ and restores it, set or not. */
  setenv("TZ", "Asia/Tokyo", 1);
  CHECK_INT(sim_zone_open("Europe/Berlin", &z, &err), 0, "Berlin again");
  if (z) sim_zone_offset_s(z, (int64_t)iso("2026-05-01T00:00:00Z"));
  const char *tz = getenv("TZ");
  CHECK(tz && strcmp(tz, "Asia/Tokyo") == 0, "TZ is as it was (set)");
  sim_zone_free(z);
  unsetenv("TZ");
  CHECK_INT(sim_zone_open("America/New_York", &z, &err), 0, "New York again");
  if (z) sim_zone_offset_s(z, (int64_t)iso("2026-05-01T00:00:00Z"));
  CHECK(getenv("TZ") == NULL, "TZ is as it was (unset)");
  sim_zone_free(z);

  double t;
  CHECK_INT(sim_time_parse("2026-05-01T09:00:00+02:00", &t, &err), 0, "an offset");
  CHECK_REL(t, 1777618800, 0, "2026-05-01T09:00:00+02:00 is 07:00 UTC");
  CHECK_INT(sim_time_parse("2026-05-01T09:00:00", &t, &err), SIM_ESCENARIO,
            "a time without its zone is ambiguous");
  CHECK_CONTAINS(err.msg, "with its zone", "and the message says so");
  CHECK_INT(sim_time_parse("2300-01-01T00:00:00Z", &t, &err), SIM_ESCENARIO,
            "beyond 2199 is outside the calendar");
  char buf[64];
  sim_time_format(1777593600.25, buf, sizeof buf);
  CHECK_STR(buf, "2026-05-01T00:00:00.250000Z", "formatting keeps the fraction");
}

/* --- DST across firings ------------------------------------------------------------ */

static void test_dst(void) {
  const char *daily = "cron(30 2 * * ? *)";
  CHECK_REL(next_in(daily, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-03-28T00:00:00Z"),
            iso("2026-03-28T02:30:00+01:00"), 0, "02:30 Berlin on Saturday 28 March: CET");
  CHECK_REL(next_in(daily, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-03-28T02:00:00Z"),
            iso("2026-03-30T02:30:00+02:00"), 0,
            "skip: 02:30 does not occur on 29 March, so the next is the 30th (EB-DST)");
  CHECK_REL(next_in(daily, "Europe/Berlin", ECS_CRON_GAP_SHIFT, "2026-03-28T02:00:00Z"),
            iso("2026-03-29T03:30:00+02:00"), 0, "shift: 03:30 CEST on the 29th");
  CHECK_REL(next_in(daily, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-10-24T12:00:00Z"),
            iso("2026-10-25T02:30:00+02:00"), 0,
            "02:30 on 25 October occurs twice: it fires at the first, in CEST");
  CHECK_REL(next_in(daily, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-10-25T00:30:00Z"),
            iso("2026-10-26T02:30:00+01:00"), 0, "and not again an hour later (EB-DST)");
  const char *half_hourly = "cron(0/30 * * * ? *)";
  CHECK_REL(next_in(half_hourly, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-10-25T00:30:00Z"),
            iso("2026-10-25T03:00:00+01:00"), 0,
            "every 30 min: after 02:30 CEST comes 03:00 CET, the repeated 02:00-02:59 skipped");
  CHECK_REL(next_in(half_hourly, "Europe/Berlin", ECS_CRON_GAP_SKIP, "2026-03-29T00:30:00Z"),
            iso("2026-03-29T03:00:00+02:00"), 0,
            "every 30 min in spring: 01:30 CET, then 03:00 CEST (02:00 and 02:30 skipped)");
  CHECK_REL(next_in(half_hourly, "Europe/Berlin", ECS_CRON_GAP_SHIFT, "2026-03-29T00:30:00Z"),
            iso("2026-03-29T03:00:00+02:00"), 0,
            "shift: 02:00 lands on 03:00 CEST, the same instant");
  CHECK_REL(next_in(half_hourly, "Europe/Berlin", ECS_CRON_GAP_SHIFT, "2026-03-29T01:00:00Z"),
            iso("2026-03-29T03:30:00+02:00"), 0, "then 03:30, once (02:30 shifted is 03:30)");
  const char *nine = "cron(0 9 ? * MON-FRI *)";
  CHECK_REL(next_in(nine, "America/New_York", ECS_CRON_GAP_SKIP, "2026-03-06T00:00:00Z"),
            iso("2026-03-06T14:00:00Z"), 0, "09:00 New York on Friday 6 March: 14:00 UTC (EST)");
  CHECK_REL(next_in(nine, "America/New_York", ECS_CRON_GAP_SKIP, "2026-03-06T14:00:00Z"),
            iso("2026-03-09T13:00:00Z"), 0,
            "Monday 9 March, after the change: 13:00 UTC (EDT), wall time kept");
  CHECK_REL(next_in("cron(30 1 * * ? *)", "America/New_York", ECS_CRON_GAP_SKIP,
                    "2026-11-01T00:00:00Z"),
            iso("2026-11-01T05:30:00Z"), 0, "01:30 on 1 November in New York: EDT first");
  CHECK_REL(next_in("cron(30 1 * * ? *)", "America/New_York", ECS_CRON_GAP_SKIP,
                    "2026-11-01T05:30:00Z"),
            iso("2026-11-02T06:30:00Z"), 0, "then the next day in EST");
}

/* --- plans: at, rate, start, end, created -------------------------------------- */

static int plan(ecs_cron_plan *p, ecs_cron_spec spec, double origin, const char **bad,
                sim_error *err) {
  sim_error_clear(err);
  return ecs_cron_plan_init(p, &spec, origin, ECS_CRON_GAP_SKIP, bad, err);
}

static void test_plans(void) {
  ecs_cron_plan p;
  const char *bad;
  sim_error err = {0};
  double t0 = iso("2026-05-01T00:00:00Z");
  CHECK_INT(plan(&p, (ecs_cron_spec){.schedule = "rate(1 hour)"}, t0, &bad, &err), 0,
            "rate(1 hour)");
  CHECK_REL(ecs_cron_plan_next(&p, t0), t0 + 3600, 0,
            "without a start: one period after its creation, t = 0 [I]");
  CHECK_REL(ecs_cron_plan_next(&p, t0 + 3600 + 1e-3), t0 + 7200, 0, "then every hour");
  ecs_cron_plan_free(&p);
  CHECK_INT(plan(&p, (ecs_cron_spec){.schedule = "rate(1 hour)",
                                     .created = "2026-04-30T23:30:00Z"},
                 t0, &bad, &err),
            0, "rate(1 hour) created at 23:30 the day before");
  CHECK_REL(ecs_cron_plan_next(&p, t0), t0 + 1800, 0, "counts from its creation: 00:30");
  ecs_cron_plan_free(&p);
  CHECK_INT(plan(&p, (ecs_cron_spec){.schedule = "rate(30 days)",
                                     .start = "2026-05-01T06:00:00+02:00"},
                 t0, &bad, &err),
            0, "rate(30 days) from a start");
  CHECK_REL(ecs_cron_plan_next(&p, t0), t0 + 4 * 3600, 0, "first at the start (AAS-CRON)");
  CHECK_REL(ecs_cron_plan_next(&p, t0 + 4 * 3600 + 1e-3), t0 + 4 * 3600 + 30 * 86400.0, 0,
            "then 30 days later (a long period steps past the one that fired)");
  ecs_cron_plan_free(&p);

  CHECK_INT(plan(&p, (ecs_cron_spec){.schedule = "cron(30 7 ? * MON-FRI *)",
                                     .timezone = "Europe/Berlin",
                                     .start = "2026-05-01T12:00:00Z",
                                     .end = "2026-05-05T00:00:00Z"},
                 t0, &bad, &err),
            0, "a cron with start and end");
  double u = ecs_cron_plan_next(&p, t0);
  CHECK_REL(u, iso("2026-05-01T12:00:00Z"), 0, "it runs at its start (AAS-CRON)");
  u = ecs_cron_plan_next(&p, u + 1e-3);
  CHECK_REL(u, iso("2026-05-04T07:30:00+02:00"), 0, "then Monday 07:30 Berlin");
  CHECK(isnan(ecs_cron_plan_next(&p, u + 1e-3)), "and nothing after its end");
  ecs_cron_plan_free(&p);

  CHECK_INT(plan(&p, (ecs_cron_spec){.schedule = "at(2026-10-25T02:30:00)",
                                     .timezone = "Europe/Berlin"},
                 t0, &bad, &err),
            0, "at() at a repeated wall time");
  CHECK_REL(ecs_cron_plan_next(&p, t0), iso("2026-10-25T02:30:00+02:00"), 0,
            "runs at its first occurrence [I]");
  CHECK(isnan(ecs_cron_plan_next(&p, iso("2026-10-25T00:31:00Z"))), "once");
  ecs_cron_plan_free(&p);

  struct {
    ecs_cron_spec spec;
    const char *key, *needle, *what;
  } bad_cases[] = {
      {{.schedule = "at(2026-03-29T02:30:00)", .timezone = "Europe/Berlin"}, "schedule",
       "does not occur in Europe/Berlin", "an at() the clocks skip"},
      {{.schedule = "at(2026-05-04T07:30:00)", .start = "2026-05-01T00:00:00Z"}, "start",
       "not at(...)", "a start on at()"},
      {{.schedule = "rate(5 minutes)", .timezone = "Europe/Berlin"}, "timezone",
       "not to rate(...)", "a time zone on rate()"},
      {{.schedule = "cron(0 8 * * ? *)", .created = "2026-05-01T00:00:00Z"}, "created",
       "does not apply to at(...) or cron(...)", "created on a cron"},
      {{.schedule = "cron(0 8 * * ? *)", .start = "2026-05-02T00:00:00Z",
        .end = "2026-05-01T00:00:00Z"},
       "end", "end must be after start", "an end before the start"},
      {{.schedule = "cron(0 8 * * ? *)", .end = "2026-05-01"}, "end", "with its zone",
       "an end without a time"},
      {{.schedule = "cron(0 8 * * ? *)", .timezone = "Mars/Olympus"}, "timezone",
       "unknown time zone 'Mars/Olympus'", "an unknown zone"},
      {{.schedule = "cron(0 8 * * *)"}, "schedule", "expected 6", "five fields"},
  };
  for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
    CHECK_INT(plan(&p, bad_cases[i].spec, t0, &bad, &err), SIM_ESCENARIO, "%s: an error",
              bad_cases[i].what);
    CHECK_STR(bad ? bad : "(none)", bad_cases[i].key, "%s: names the key", bad_cases[i].what);
    CHECK_CONTAINS(err.msg, bad_cases[i].needle, "%s: says why", bad_cases[i].what);
    CHECK(p.zone == NULL, "%s: leaves nothing to free", bad_cases[i].what);
  }
}

/* --- the scenario: start_time and where a calendar is needed ----------------------- */

static const char *gen_head =
    "name: cal\n"
    "seed: 1\n"
    "duration: 4d\n"
    "%s"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 1}\n"
    "  request: {duration: {dist: constant, value: 10ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - name: svc\n"
    "    kind: ecs\n"
    "    capacity: {min: 1, max: 20}\n"
    "    scheduled_actions:\n"
    "%s";

static int load(const char *start, const char *actions, scenario **sc, sim_error *err) {
  char text[4096];
  snprintf(text, sizeof text, gen_head, start, actions);
  sim_error_clear(err);
  *sc = NULL;
  return scenario_load_text("cal.yaml", text, strlen(text), NULL, 0, sc, err);
}

static const char *weekday_actions =
    "      - {name: morning, schedule: \"cron(30 7 ? * MON-FRI *)\", timezone: Europe/Berlin,"
    " min: 10, max: 20}\n"
    "      - {name: evening, schedule: \"cron(0 18 ? * MON-FRI *)\", timezone: Europe/Berlin,"
    " min: 1, max: 1}\n";

static void test_scenario(void) {
  scenario *sc;
  sim_error err;
  int rc = load("", weekday_actions, &sc, &err);
  CHECK_INT(rc, SIM_ESCENARIO, "a generator with a cron schedule and no start_time");
  CHECK_CONTAINS(err.msg,
                 "cal.yaml:12:36: platforms[0].scheduled_actions[0].schedule: a cron schedule "
                 "needs the calendar time of t = 0: set start_time",
                 "the error names the schedule's place and the key to set");
  scenario_free(sc);
  rc = load("", "      - {schedule: \"rate(6 hours)\", min: 3}\n", &sc, &err);
  CHECK_INT(rc, 0, "a rate(...) alone needs no calendar (%s)", err.msg);
  scenario_free(sc);
  rc = load("", "      - {schedule: \"rate(6 hours)\", start: \"2026-05-01T06:00:00Z\", min: 3}\n",
            &sc, &err);
  CHECK_CONTAINS(err.msg, "scheduled_actions[0].start: a start time needs the calendar time",
                 "a start time does");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T09:00:00\n", weekday_actions, &sc, &err);
  CHECK_CONTAINS(err.msg, "cal.yaml:4:13: start_time: expected an ISO 8601 date and time with "
                          "its zone", "start_time needs its zone");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T02:00:00+02:00\n", weekday_actions, &sc, &err);
  CHECK_INT(rc, 0, "with start_time it loads (%s)", err.msg);
  if (sc) CHECK_REL(sc->start_epoch_s, iso("2026-05-01T00:00:00Z"), 0, "start_time in UTC");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T00:00:00Z\n",
            "      - {schedule: \"cron(30 7 ? * MON-FRI *)\", at: 1h, min: 10}\n", &sc, &err);
  CHECK_CONTAINS(err.msg, "give either at/every", "at/every and schedule in one action");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T00:00:00Z\n",
            "      - {at: 1h, timezone: Europe/Berlin, min: 10}\n", &sc, &err);
  CHECK_CONTAINS(err.msg, "'timezone' applies to an action with a schedule",
                 "a time zone on an at/every action");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T00:00:00Z\n", "      - {min: 10}\n", &sc, &err);
  CHECK_CONTAINS(err.msg, "missing required key 'at' or 'schedule'", "neither");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T00:00:00Z\n",
            "      - {schedule: \"cron(30 7 ? * MON-FRX *)\", min: 10}\n", &sc, &err);
  CHECK_CONTAINS(err.msg,
                 "cal.yaml:13:21: platforms[0].scheduled_actions[0].schedule: cron field 5 "
                 "(day-of-week) 'MON-FRX'",
                 "a cron error names the file, the key and the field");
  scenario_free(sc);
  rc = load("start_time: 2026-05-01T00:00:00Z\n",
            "      - {schedule: \"cron(30 7 ? * MON *)\", timezone: Europe/Berln, min: 10}\n",
            &sc, &err);
  CHECK_CONTAINS(err.msg,
                 "platforms[0].scheduled_actions[0].timezone: unknown time zone 'Europe/Berln'",
                 "an unknown zone is an error naming the key");
  scenario_free(sc);
}

/* --- a service run from a Friday ------------------------------------------------------ */

enum { C_T = 0, C_SOURCE, C_EVENT, C_OLD = 5, C_NEW, C_STATUS, C_REASON, N_COLS };

typedef struct row {
  double t;
  char source[64], status[64], reason[64];
  int old_desired, new_desired;
} row;

/* The rows of decisions.csv whose event is `event`. */
static int read_rows(const char *path, const char *event, row *rows, int max) {
  FILE *f = fopen(path, "r");
  CHECK(f != NULL, "decisions.csv was written");
  if (!f) return 0;
  char line[1024], field[N_COLS][64];
  int n = 0;
  bool header = true;
  while (fgets(line, sizeof line, f)) {
    if (header) {
      header = false;
      continue;
    }
    int k = 0;
    size_t j = 0;
    bool quoted = false;
    memset(field, 0, sizeof field);
    for (const char *c = line; *c && *c != '\n' && k < N_COLS; c++) {
      if (*c == '"') quoted = !quoted;
      else if (*c == ',' && !quoted) k++, j = 0;
      else if (j + 1 < sizeof field[0]) field[k][j++] = *c;
    }
    if (strcmp(field[C_EVENT], event) || n == max) continue;
    row *r = &rows[n++];
    r->t = atof(field[C_T]);
    snprintf(r->source, sizeof r->source, "%s", field[C_SOURCE]);
    snprintf(r->status, sizeof r->status, "%s", field[C_STATUS]);
    snprintf(r->reason, sizeof r->reason, "%s", field[C_REASON]);
    r->old_desired = atoi(field[C_OLD]);
    r->new_desired = atoi(field[C_NEW]);
  }
  fclose(f);
  return n;
}

/* Runs the ECS platform of sc with no requests until until_s; its schedule
 * rows into rows. Returns their number, or -1 when create failed (err). */
static int run_service(const scenario *sc, double start_epoch_s, double until_s, row *rows,
                       int max, sim_error *err) {
  char dir[64] = "/tmp/test_ecs_cron_XXXXXX", path[128];
  SIM_ASSERT(mkdtemp(dir));
  sim_engine *eng = sim_engine_alloc();
  out_recorder *rec = NULL;
  out_recorder_cfg rcfg = {.resolution_s = 60, .dir = dir, .decisions = true};
  SIM_ASSERT(out_recorder_open(&rcfg, &rec, err) == 0);
  const scenario_platform *p = &sc->platforms[0];
  platform_ctx ctx = {.eng = eng, .rec = rec, .name = p->name, .seed = sc->seed,
                      .end_s = until_s, .start_epoch_s = start_epoch_s};
  void *state = p->type->create(p->cfg, &ctx, err);
  int n = -1;
  if (state) {
    sim_run(eng, until_s, NULL, NULL);
    p->type->finish(state);
    SIM_ASSERT(out_recorder_finish(rec, sim_now(eng), err) == 0);
    snprintf(path, sizeof path, "%s/decisions.csv", dir);
    n = read_rows(path, "schedule", rows, max);
    p->type->destroy(state);
  }
  out_recorder_free(rec);
  sim_engine_free(eng);
  snprintf(path, sizeof path, "%s/decisions.csv", dir);
  unlink(path);
  rmdir(dir);
  return n;
}

/* 2026-05-01 is a Friday; Berlin is on CEST (UTC+2): 07:30 is 05:30 UTC,
 * 18:00 is 16:00 UTC. t = 0 is midnight UTC. */
static void test_service_week(void) {
  scenario *sc;
  sim_error err;
  int rc = load("start_time: 2026-05-01T00:00:00Z\n", weekday_actions, &sc, &err);
  CHECK_INT(rc, 0, "the weekday scenario loads (%s)", err.msg);
  if (rc) return;
  row rows[16];
  int n = run_service(sc, sc->start_epoch_s, 4 * 86400.0, rows, 16, &err);
  CHECK_INT(n, 4, "four scheduled activities over Friday to Monday (%s)", err.msg);
  const struct {
    double t;
    const char *source;
    int old_desired, new_desired;
    const char *reason, *what;
  } want[] = {
      {5.5 * 3600, "morning", 1, 10, "ScheduledMinCapacity", "Friday 07:30 Berlin: up to 10"},
      {16 * 3600, "evening", 10, 1, "ScheduledMaxCapacity", "Friday 18:00 Berlin: down to 1"},
      {3 * 86400 + 5.5 * 3600, "morning", 1, 10, "ScheduledMinCapacity",
       "Monday 07:30 Berlin: up to 10, nothing on Saturday or Sunday"},
      {3 * 86400 + 16 * 3600, "evening", 10, 1, "ScheduledMaxCapacity", "Monday 18:00"},
  };
  for (int i = 0; i < n && i < 4; i++) {
    CHECK_ABS(rows[i].t, want[i].t, 1e-6, "%s: at t = %g s", want[i].what, want[i].t);
    CHECK_STR(rows[i].source, want[i].source, "%s: the action's name", want[i].what);
    CHECK_INT(rows[i].old_desired, want[i].old_desired, "%s: from", want[i].what);
    CHECK_INT(rows[i].new_desired, want[i].new_desired, "%s: to", want[i].what);
    CHECK_STR(rows[i].status, "Successful", "%s: Successful", want[i].what);
    CHECK_STR(rows[i].reason, want[i].reason, "%s: AAS's reason", want[i].what);
  }
  for (int i = 0; i < n; i++)
    CHECK(!(rows[i].t >= 86400 && rows[i].t < 3 * 86400), "no activity on the weekend");

  /* The same platform on a workload without a calendar time. */
  n = run_service(sc, 0, 86400, rows, 16, &err);
  CHECK_INT(n, -1, "without the calendar time of t = 0 the model refuses to start");
  CHECK_CONTAINS(err.msg,
                 "platform svc: scheduled_actions[0].schedule: a cron schedule needs the "
                 "calendar time of t = 0",
                 "and says which action needs it");
  scenario_free(sc);
}

/* The run starts on Saturday 28 March 2026 in Berlin: a daily 02:30 action is
 * skipped on the 29th (the clocks jump from 02:00 to 03:00) unless
 * scaling.schedule_dst_gap is shift. */
static void test_service_dst(void) {
  const char *actions =
      "      - {schedule: \"cron(30 2 * * ? *)\", timezone: Europe/Berlin, min: 2}\n"
      "    scaling: {schedule_dst_gap: %s}\n";
  for (int shift = 0; shift <= 1; shift++) {
    char text[512];
    snprintf(text, sizeof text, actions, shift ? "shift" : "skip");
    scenario *sc;
    sim_error err;
    int rc = load("start_time: 2026-03-28T00:00:00+01:00\n", text, &sc, &err);
    CHECK_INT(rc, 0, "the DST scenario loads (%s)", err.msg);
    if (rc) continue;
    row rows[8];
    int n = run_service(sc, sc->start_epoch_s, 3 * 86400.0, rows, 8, &err);
    double t0 = sc->start_epoch_s;
    CHECK_INT(n, shift ? 3 : 2, "%s: %d runs over three days", shift ? "shift" : "skip",
              shift ? 3 : 2);
    if (n >= 2) {
      CHECK_ABS(rows[0].t, iso("2026-03-28T02:30:00+01:00") - t0, 1e-6, "Saturday 02:30 CET");
      CHECK_ABS(rows[n - 1].t, iso("2026-03-30T02:30:00+02:00") - t0, 1e-6,
                "Monday 02:30 CEST");
    }
    if (shift && n == 3)
      CHECK_ABS(rows[1].t, iso("2026-03-29T03:30:00+02:00") - t0, 1e-6,
                "shift: Sunday's at 03:30 CEST");
    scenario_free(sc);
  }
}

int main(void) {
  check_init();
  test_parse_fields();
  test_parse_errors();
  test_next_utc();
  test_zone();
  test_zone_errors_and_env();
  test_dst();
  test_plans();
  test_scenario();
  test_service_week();
  test_service_dst();
  return check_done();
}

/* calendar.h — calendar time: civil (wall-clock) dates, ISO 8601 instants, and
 * the wall time of a named IANA time zone, for schedules written in calendar
 * terms (an ECS scheduled action's cron(...) in Europe/Berlin).
 *
 * Instants are Unix epoch seconds (UTC). Civil times are proleptic Gregorian
 * fields without a zone; sim_civil_epoch/sim_civil_of convert them as if they
 * were UTC, which is also how local wall times are compared and stepped.
 *
 * Zones come from the system's tz database: TZif files under
 * /usr/share/zoneinfo (Debian package tzdata), read by the C library. A zone
 * is opened once; its UTC offsets are then sampled through localtime_r with TZ
 * pointing at the file (TZ is set and restored around each sampling, so the
 * rest of the program never sees it changed) into a table of transitions that
 * grows as later or earlier instants are asked for. Conversions afterwards
 * are table lookups, O(log transitions), and never touch the environment.
 * The sampling steps 3 hours and bisects to the second at each change of
 * offset, so it assumes, as every zone since 1970 allows, that a zone's
 * offset does not change twice within 3 hours; a local time is resolved
 * assuming at most one transition within a day of it. */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

/* A civil date and wall time (no zone). month 1-12, day 1-31, hour 0-23,
 * minute 0-59, second 0-59; weekday 0 (Sunday) - 6, filled by sim_civil_of. */
typedef struct sim_civil {
  int year, month, day, hour, minute, second;
  int weekday;
} sim_civil;

/* Seconds from 1970-01-01T00:00:00 to c read as UTC (weekday is ignored). */
int64_t sim_civil_epoch(const sim_civil *c);

/* The civil fields (and weekday) of epoch_s read as UTC. */
void sim_civil_of(int64_t epoch_s, sim_civil *out);

/* Days in month m (1-12) of year y; 0-6 (Sunday = 0) for a date. */
int sim_civil_days_in_month(int y, int m);
int sim_civil_weekday(int y, int m, int d);

/* The calendar the simulator knows: the years 1970 to 2199 (the range of
 * AWS's cron Year field), as epoch seconds [MIN, END). */
#define SIM_CALENDAR_MIN_S 0.0
#define SIM_CALENDAR_END_S 7258118400.0 /* 2200-01-01T00:00:00Z */

/* Parses an ISO 8601 instant that names its zone:
 * `YYYY-MM-DDThh:mm:ss[.fraction]` followed by `Z`, `+hh:mm`, `-hh:mm`,
 * `+hhmm` or `-hhmm`, within the calendar above. Returns 0 and the epoch
 * seconds in *epoch_s, or SIM_ESCENARIO with err saying what was expected (no
 * file context). */
int sim_time_parse(const char *text, double *epoch_s, sim_error *err);

/* Writes epoch_s as `YYYY-MM-DDThh:mm:ssZ` (with a fraction of the second
 * when it has one, to the microsecond) into buf of len bytes. */
void sim_time_format(double epoch_s, char *buf, size_t len);

/* --- named time zones -------------------------------------------------------- */

typedef struct sim_zone sim_zone;

/* How a local wall time maps onto instants in a zone. */
typedef enum sim_zone_fit {
  SIM_ZONE_ONE = 0, /* it occurs once */
  SIM_ZONE_GAP,     /* it does not occur: the clocks skip it (spring forward) */
  SIM_ZONE_TWICE    /* it occurs twice: the clocks repeat it (fall back) */
} sim_zone_fit;

/* Opens zone `name`: "UTC" (needs no file) or an IANA name whose TZif file is
 * in /usr/share/zoneinfo ("Europe/Berlin", "Etc/GMT+9"). A name that is not
 * such a file is SIM_ESCENARIO with err saying so. *out is the caller's
 * (sim_zone_free). */
int sim_zone_open(const char *name, sim_zone **out, sim_error *err);

/* Frees a zone; NULL is a no-op. */
void sim_zone_free(sim_zone *z);

/* The name the zone was opened with (borrowed). */
const char *sim_zone_name(const sim_zone *z);

/* The zone's offset from UTC in seconds (east positive) in force at utc_s. */
int sim_zone_offset_s(sim_zone *z, int64_t utc_s);

/* The local wall time at instant utc_s. */
void sim_zone_local(sim_zone *z, int64_t utc_s, sim_civil *out);

/* The instants at which the zone's clocks show `local`: SIM_ZONE_ONE with
 * *first = *second = that instant; SIM_ZONE_TWICE with the earlier in *first
 * and the later in *second; SIM_ZONE_GAP with *first = *second = the instant
 * the wall time would have had under the offset before the gap, i.e. the
 * wall time one gap length later (02:30 in a 02:00-03:00 gap gives 03:30). */
sim_zone_fit sim_zone_resolve(sim_zone *z, const sim_civil *local, int64_t *first,
                              int64_t *second);

#endif

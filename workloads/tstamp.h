/* tstamp.h — the timestamp and number syntaxes found in traces, parsed without
 * the C library's locale- and time-zone-dependent functions (strptime, mktime).
 *
 * Every parser reports the timestamp as UTC epoch seconds and its resolution
 * (the length of time one step of its last written digit stands for: 1 s for
 * `12:00:05`, 1 ms for `12:00:05.123`), which the readers use to spread
 * requests that share a timestamp over the time it stands for. */
#ifndef WL_TSTAMP_H
#define WL_TSTAMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest magnitude a numeric timestamp may have (epoch seconds, about
 * the year 33,700): beyond it a number is garbage, and differences of such
 * times could overflow to infinity. ISO times are bounded by their 4-digit
 * year already. */
#define WL_MAX_EPOCH_S 1e12

/* Days from 1970-01-01 to the given proleptic Gregorian date (month 1..12,
 * day 1..31), negative before 1970 (H. Hinnant's days_from_civil). */
int64_t wl_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Parses the decimal number in s[0, len) (sign, digits, an optional fraction
 * and exponent; no hex, inf or nan; no other text). On success stores it in
 * *out, and in *res (if non-NULL) the value of one unit in its last written
 * digit (0.001 for "1.234", 1 for "17"; exponent applied), and returns true. */
bool wl_parse_decimal(const char *s, size_t len, double *out, double *res);

/* Parses an ISO 8601 / RFC 3339 date-time in s[0, len):
 * `YYYY-MM-DD[T| ]HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]`; with no
 * zone it is taken as UTC. Stores UTC epoch seconds and the resolution of the
 * seconds field. Returns false on any other text or an impossible date. */
bool wl_parse_iso8601(const char *s, size_t len, double *epoch_s, double *res_s);

/* Parses a Common Log Format time `dd/Mon/yyyy:HH:MM:SS +hhmm` (without the
 * brackets) in s[0, len); the English month abbreviation is matched exactly
 * (case-insensitive), the zone offset applied to give UTC epoch seconds. */
bool wl_parse_clf_time(const char *s, size_t len, double *epoch_s);

#endif

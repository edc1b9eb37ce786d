/* units.h — parsing of quantities with units, as scenarios write them.
 *
 * Durations: a number with one of ns, us, ms, s, m, min, h, d (`250ms`, `45s`,
 * `15m`, `2h`, `1.5d`); a bare number is seconds. Sizes: B, kB/KB, MB, GB, TB
 * (10^3) and KiB, MiB, GiB, TiB (2^10), and the Kubernetes forms k, M, G, T,
 * Ki, Mi, Gi, Ti (`512Mi`, as Knative YAML writes memory); a bare number is
 * MiB. Percentages: `60%` or a bare number, both meaning 60 (percent).
 * Rates: a number with an optional `/` and a duration unit (`100/s`,
 * `1200/min`, `36000/h`); a bare number is per second. Units are
 * case-sensitive; spaces may surround the number and precede the unit
 * (`250 ms`). Durations, sizes and rates must be >= 0; percentages and plain
 * numbers may be negative (a step adjustment of -30%).
 * Every parser rejects empty text, trailing garbage, hexadecimal, NaN and
 * infinities (also as a result of the conversion), leaves *out untouched on
 * failure, and writes what was expected into why (if non-NULL), e.g.
 * "expected a duration such as 250ms, 45s, 15m or 2h". Each returns 0, or
 * SIM_ESCENARIO (scenario text is what they read; callers reading other
 * inputs report their own status). */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stddef.h>

/* A plain number, no unit. */
int sim_parse_number(const char *s, double *out, char *why, size_t why_len);
/* A duration, in seconds. */
int sim_parse_duration(const char *s, double *out_s, char *why, size_t why_len);
/* A size, in MiB. */
int sim_parse_size(const char *s, double *out_mib, char *why, size_t why_len);
/* A percentage, in percent (60% gives 60). */
int sim_parse_percent(const char *s, double *out_pct, char *why, size_t why_len);
/* A rate, per second. */
int sim_parse_rate(const char *s, double *out_per_s, char *why, size_t why_len);

/* Formats a duration of s seconds compactly, for reports and docs: the
 * shortest text in one unit (d, h, m, s, ms, us, ns) that sim_parse_duration
 * reads back as exactly s; on a tie a value >= 1 in its unit, then the larger
 * unit ("250ms", "15m", "2h", "2.5h", "1.5s", "0s"). Negative values get a leading '-' and non-finite ones
 * read "inf", "-inf" or "nan" (these do not re-parse). Truncates to len.
 * Returns buf. */
char *sim_format_duration(double s, char *buf, size_t len);

#endif

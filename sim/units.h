/* units.h — parsing of quantities with units, as scenarios write them.
 *
 * Durations: a number with one of ns, us, ms, s, m, min, h, d (`250ms`, `45s`,
 * `15m`, `2h`, `1.5d`); a bare number is seconds. Sizes: B, KB, MB, GB (10^3) and
 * KiB, MiB, GiB, TiB (2^10); a bare number is MiB. Percentages: `60%` or a bare
 * number, both meaning 60 (percent). Rates: a number with an optional `/s`,
 * `/min` or `/h` (`1200/min`); a bare number is per second.
 * Every parser rejects empty text, trailing garbage, NaN and infinities, and
 * on failure writes what was expected into why (if non-NULL). */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stddef.h>

int sim_parse_number(const char *s, double *out, char *why, size_t why_len);
int sim_parse_duration(const char *s, double *out_s, char *why, size_t why_len);
int sim_parse_size(const char *s, double *out_mib, char *why, size_t why_len);
int sim_parse_percent(const char *s, double *out_pct, char *why, size_t why_len);
int sim_parse_rate(const char *s, double *out_per_s, char *why, size_t why_len);

/* Formats a duration compactly and exactly enough to re-parse (e.g. "250ms",
 * "15m", "1.5s"), for reports and docs. Returns buf. */
char *sim_format_duration(double s, char *buf, size_t len);

#endif

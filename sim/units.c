/* units.c — parsing of quantities with units as scenarios write them, and the
 * compact formatting of durations (see units.h).
 *
 * Every parser reads "<number><optional spaces><unit>" with strtod, looks the
 * unit up in a table (case-sensitive: "M" is mega, "m" is minutes), and checks
 * that nothing is left over. Conversion factors are chosen so that each
 * conversion rounds once: sub-second durations divide by a power of ten, and
 * every size factor below is exactly representable in binary. */
#include "sim/units.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"

/* A unit multiplies the number by `mul` or divides it by `div` (one of them
 * is 1). */
typedef struct unit {
  const char *name;
  double mul, div;
} unit;

#define UNITS_END {NULL, 0, 0}

/* Durations in seconds. "m" and "min" are both minutes (DESIGN.md §6 writes
 * "15m"); there is no month unit. */
static const unit duration_units[] = {
    {"ns", 1, 1e9}, {"us", 1, 1e6},     {"ms", 1, 1e3},    {"s", 1, 1}, {"m", 60, 1},
    {"min", 60, 1}, {"h", 3600, 1},     {"d", 86400, 1},   UNITS_END};

/* Sizes in MiB. Decimal units are powers of 10 bytes, binary ones powers of 2
 * (IEC 80000-13); Kubernetes quantities ("512Mi", "1G") follow the same rule
 * (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/),
 * which Knative/Cloud Run service YAML uses for memory limits. Each factor
 * 10^k / 2^20 is exact in binary because 10^k = 2^k 5^k. */
#define MIB 1048576.0
static const unit size_units[] = {
    {"B", 1 / MIB, 1},  {"kB", 1e3 / MIB, 1}, {"KB", 1e3 / MIB, 1}, {"MB", 1e6 / MIB, 1},
    {"GB", 1e9 / MIB, 1}, {"TB", 1e12 / MIB, 1}, {"KiB", 1.0 / 1024, 1}, {"MiB", 1, 1},
    {"GiB", 1024, 1},   {"TiB", MIB, 1},      {"k", 1e3 / MIB, 1},  {"M", 1e6 / MIB, 1},
    {"G", 1e9 / MIB, 1},  {"T", 1e12 / MIB, 1},  {"Ki", 1.0 / 1024, 1}, {"Mi", 1, 1},
    {"Gi", 1024, 1},    {"Ti", MIB, 1},       UNITS_END};

static const char NUMBER_EXPECTED[] = "expected a number such as 42 or 0.5";
static const char DURATION_EXPECTED[] = "expected a duration such as 250ms, 45s, 15m or 2h";
static const char DURATION_UNIT_EXPECTED[] =
    "expected a duration unit (ns, us, ms, s, m, min, h or d) after the number";
static const char DURATION_NEGATIVE[] =
    "expected a duration >= 0, such as 250ms, 45s, 15m or 2h";
static const char SIZE_EXPECTED[] = "expected a size such as 512MiB, 2GiB or 512Mi";
static const char SIZE_UNIT_EXPECTED[] =
    "expected a size unit (B, kB, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or Kubernetes' "
    "k, M, G, T, Ki, Mi, Gi, Ti) after the number";
static const char SIZE_NEGATIVE[] = "expected a size >= 0, such as 512MiB, 2GiB or 512Mi";
static const char PERCENT_EXPECTED[] = "expected a percentage such as 60% or 60";
static const char RATE_EXPECTED[] = "expected a rate such as 100/s, 1200/min or 36000/h";
static const char RATE_UNIT_EXPECTED[] =
    "expected a rate unit (/s, /min, /h, or / and another duration unit) after the number";
static const char RATE_NEGATIVE[] = "expected a rate >= 0, such as 100/s, 1200/min or 36000/h";

/* Writes msg into why (if any) and returns the failure status. */
static int fail(char *why, size_t why_len, const char *msg) {
  if (why && why_len) snprintf(why, why_len, "%s", msg);
  return SIM_ESCENARIO;
}

static const char *skip_spaces(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  return s;
}

/* The text after a number: its start and length without surrounding spaces. */
typedef struct suffix {
  const char *text;
  size_t len;
} suffix;

/* Reads a finite decimal number at the start of s (after spaces) and the
 * suffix after it. False when there is no such number: empty text, NaN,
 * infinities, overflow, or hexadecimal (strtod's extensions that no scenario
 * means). */
static bool split_number(const char *s, double *value, suffix *rest) {
  if (!s) return false;
  s = skip_spaces(s);
  if (!(isdigit((unsigned char)*s) || *s == '.' || *s == '+' || *s == '-')) return false;
  char *end;
  double v = strtod(s, &end);
  if (end == s || !isfinite(v)) return false;
  for (const char *p = s; p < end; p++)
    if (*p == 'x' || *p == 'X') return false;
  const char *tail = skip_spaces(end);
  size_t len = strlen(tail);
  while (len && isspace((unsigned char)tail[len - 1])) len--;
  *value = v;
  *rest = (suffix){tail, len};
  return true;
}

/* The unit of table named exactly by the suffix, or NULL. */
static const unit *find_unit(const unit *table, suffix sfx) {
  for (const unit *u = table; u->name; u++)
    if (strlen(u->name) == sfx.len && memcmp(u->name, sfx.text, sfx.len) == 0) return u;
  return NULL;
}

static double apply_unit(double v, const unit *u) { return v * u->mul / u->div; }

int sim_parse_number(const char *s, double *out, char *why, size_t why_len) {
  double v;
  suffix rest;
  if (!split_number(s, &v, &rest) || rest.len) return fail(why, why_len, NUMBER_EXPECTED);
  *out = v;
  return SIM_OK;
}

/* Parses "<number>[unit]" with units from table (no unit: `bare`), a result
 * that must be finite and >= 0. `msgs` are: syntax, unknown unit, negative. */
static int parse_nonnegative(const char *s, const unit *table, const unit *bare, double *out,
                             const char *const msgs[3], char *why, size_t why_len) {
  double v;
  suffix rest;
  if (!split_number(s, &v, &rest)) return fail(why, why_len, msgs[0]);
  const unit *u = rest.len ? find_unit(table, rest) : bare;
  if (!u) return fail(why, why_len, msgs[1]);
  double x = apply_unit(v, u);
  if (!isfinite(x)) return fail(why, why_len, msgs[0]);
  if (x < 0) return fail(why, why_len, msgs[2]);
  *out = x + 0.0; /* -0 becomes 0 */
  return SIM_OK;
}

int sim_parse_duration(const char *s, double *out_s, char *why, size_t why_len) {
  static const char *const msgs[3] = {DURATION_EXPECTED, DURATION_UNIT_EXPECTED,
                                      DURATION_NEGATIVE};
  static const unit seconds = {"s", 1, 1};
  return parse_nonnegative(s, duration_units, &seconds, out_s, msgs, why, why_len);
}

int sim_parse_size(const char *s, double *out_mib, char *why, size_t why_len) {
  static const char *const msgs[3] = {SIZE_EXPECTED, SIZE_UNIT_EXPECTED, SIZE_NEGATIVE};
  static const unit mib = {"MiB", 1, 1};
  return parse_nonnegative(s, size_units, &mib, out_mib, msgs, why, why_len);
}

int sim_parse_percent(const char *s, double *out_pct, char *why, size_t why_len) {
  double v;
  suffix rest;
  if (!split_number(s, &v, &rest)) return fail(why, why_len, PERCENT_EXPECTED);
  if (rest.len && !(rest.len == 1 && rest.text[0] == '%'))
    return fail(why, why_len, PERCENT_EXPECTED);
  *out_pct = v;
  return SIM_OK;
}

int sim_parse_rate(const char *s, double *out_per_s, char *why, size_t why_len) {
  static const char *const msgs[3] = {RATE_EXPECTED, RATE_UNIT_EXPECTED, RATE_NEGATIVE};
  double v;
  suffix rest;
  if (!split_number(s, &v, &rest)) return fail(why, why_len, msgs[0]);
  double per_s = v;
  if (rest.len) {
    if (rest.text[0] != '/') return fail(why, why_len, msgs[1]);
    const char *unit_text = skip_spaces(rest.text + 1);
    suffix per = {unit_text, rest.len - (size_t)(unit_text - rest.text)};
    const unit *u = find_unit(duration_units, per);
    if (!u) return fail(why, why_len, msgs[1]);
    per_s = v * u->div / u->mul; /* v per unit = v / (unit in seconds) */
  }
  if (!isfinite(per_s)) return fail(why, why_len, msgs[0]);
  if (per_s < 0) return fail(why, why_len, msgs[2]);
  *out_per_s = per_s + 0.0;
  return SIM_OK;
}

/* --- formatting ----------------------------------------------------------- */

/* Units tried when formatting, largest first ("min" is never shorter than "m"). */
static const char *const format_unit_names[] = {"d", "h", "m", "s", "ms", "us", "ns"};

/* Writes the shortest "%.{p}g<unit>" that parses back to exactly s (> 0) into
 * out; false if no precision does. Every precision is tried because a longer
 * one can be shorter text: 250 is "2.5e+02" at 2 digits but "250" at 3. */
static bool format_in_unit(double s, const unit *u, char *out, size_t len) {
  double v = s * u->div / u->mul;
  size_t best = 0;
  for (int p = 1; p <= 17; p++) {
    char text[40];
    snprintf(text, sizeof text, "%.*g", p, v);
    size_t n = strlen(text);
    if ((!best || n < best) && apply_unit(strtod(text, NULL), u) == s) {
      best = n;
      snprintf(out, len, "%s%s", text, u->name);
    }
  }
  return best > 0;
}

/* Chooses among the units the shortest text that re-parses to exactly s; on a
 * tie, a value of at least 1 (250ms) beats a fraction (0.25s), then the larger
 * unit wins (2.5h, not 150m). */
static void format_positive(double s, char *best, size_t len) {
  best[0] = '\0';
  for (size_t i = 0; i < sizeof format_unit_names / sizeof *format_unit_names; i++) {
    suffix name = {format_unit_names[i], strlen(format_unit_names[i])};
    char text[64];
    if (!format_in_unit(s, find_unit(duration_units, name), text, sizeof text)) continue;
    size_t n = strlen(text), b = strlen(best);
    bool shorter = !b || n < b;
    bool tie_won = n == b && text[0] != '0' && best[0] == '0';
    if (shorter || tie_won) snprintf(best, len, "%s", text);
  }
  SIM_ASSERT(best[0]); /* seconds at 17 digits always round-trip */
}

char *sim_format_duration(double s, char *buf, size_t len) {
  if (!len) return buf;
  if (isnan(s)) snprintf(buf, len, "nan");
  else if (isinf(s)) snprintf(buf, len, "%sinf", s < 0 ? "-" : "");
  else if (s == 0) snprintf(buf, len, "0s");
  else {
    char text[64];
    format_positive(fabs(s), text, sizeof text);
    snprintf(buf, len, "%s%s", s < 0 ? "-" : "", text);
  }
  return buf;
}

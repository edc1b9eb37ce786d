/* tstamp.c — locale-free parsing of trace timestamps and numbers (see tstamp.h). */
#include "workloads/tstamp.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int64_t wl_days_from_civil(int64_t y, unsigned m, unsigned d) {
  /* http://howardhinnant.github.io/date_algorithms.html#days_from_civil */
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits at s into *v. */
static bool digits(const char *s, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return false;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return true;
}

/* Epoch seconds of a UTC civil time, after checking the fields' ranges. A
 * leap second (ss = 60) counts as the first second of the next minute. */
static bool civil_to_epoch(int y, int mo, int d, int h, int mi, int ss, double *out) {
  if (mo < 1 || mo > 12 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo)) return false;
  if (h > 23 || mi > 59 || ss > 60) return false;
  int64_t days = wl_days_from_civil(y, (unsigned)mo, (unsigned)d);
  *out = (double)(days * 86400 + h * 3600 + mi * 60 + ss);
  return true;
}

bool wl_parse_decimal(const char *s, size_t len, double *out, double *res) {
  char tmp[64];
  if (len == 0 || len >= sizeof tmp) return false;
  memcpy(tmp, s, len);
  tmp[len] = '\0';
  /* strtod also takes hex, inf, nan and leading spaces: allow only plain
   * decimals, and count the fraction digits for the resolution. */
  size_t i = (tmp[0] == '+' || tmp[0] == '-') ? 1 : 0;
  int int_digits = 0, frac_digits = 0;
  while (isdigit((unsigned char)tmp[i])) i++, int_digits++;
  if (tmp[i] == '.') {
    i++;
    while (isdigit((unsigned char)tmp[i])) i++, frac_digits++;
  }
  if (int_digits + frac_digits == 0) return false;
  long exp10 = 0;
  if (tmp[i] == 'e' || tmp[i] == 'E') {
    char *e;
    exp10 = strtol(tmp + i + 1, &e, 10);
    if (e == tmp + i + 1 || !isdigit((unsigned char)e[-1])) return false;
    i = (size_t)(e - tmp);
  }
  if (i != len) return false;
  double v = strtod(tmp, NULL);
  if (!isfinite(v)) return false;
  *out = v;
  if (res) *res = pow(10.0, (double)(exp10 - frac_digits));
  return true;
}

/* Parses `.ddd` at s[*i]; adds the fraction to *sec, sets *res. */
static bool fraction(const char *s, size_t len, size_t *i, double *sec, double *res) {
  *res = 1.0;
  if (*i >= len || (s[*i] != '.' && s[*i] != ',')) return true;
  size_t j = *i + 1;
  double f = 0, scale = 1;
  while (j < len && isdigit((unsigned char)s[j])) {
    scale *= 0.1;
    f += (s[j] - '0') * scale;
    j++;
  }
  if (j == *i + 1) return false;
  *sec += f;
  *res = scale;
  *i = j;
  return true;
}

/* Parses the zone at s[*i..len): nothing, Z, +HH:MM, +HHMM, +HH; offset in s. */
static bool zone(const char *s, size_t len, size_t i, double *offset_s) {
  *offset_s = 0;
  if (i == len) return true;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) return true;
  if (s[i] != '+' && s[i] != '-') return false;
  int sign = s[i] == '-' ? -1 : 1, hh, mm = 0;
  size_t rest = len - i - 1;
  const char *z = s + i + 1;
  if (rest == 2) {
    if (!digits(z, 2, &hh)) return false;
  } else if (rest == 4) {
    if (!digits(z, 2, &hh) || !digits(z + 2, 2, &mm)) return false;
  } else if (rest == 5 && z[2] == ':') {
    if (!digits(z, 2, &hh) || !digits(z + 3, 2, &mm)) return false;
  } else {
    return false;
  }
  if (hh > 23 || mm > 59) return false;
  *offset_s = sign * (hh * 3600.0 + mm * 60.0);
  return true;
}

bool wl_parse_iso8601(const char *s, size_t len, double *epoch_s, double *res_s) {
  int y, mo, d, h, mi, ss;
  if (len < 19) return false;
  if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
      !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
      !digits(s + 17, 2, &ss))
    return false;
  size_t i = 19;
  double frac = 0, res, offset;
  if (!fraction(s, len, &i, &frac, &res) || !zone(s, len, i, &offset)) return false;
  double base;
  if (!civil_to_epoch(y, mo, d, h, mi, ss, &base)) return false;
  *epoch_s = base + frac - offset;
  if (res_s) *res_s = res;
  return true;
}

bool wl_parse_clf_time(const char *s, size_t len, double *epoch_s) {
  static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  /* dd/Mon/yyyy:HH:MM:SS +hhmm */
  int d, y, h, mi, ss, mo = 0;
  if (len != 26) return false;
  if (!digits(s, 2, &d) || s[2] != '/' || s[6] != '/' || !digits(s + 7, 4, &y) ||
      s[11] != ':' || !digits(s + 12, 2, &h) || s[14] != ':' || !digits(s + 15, 2, &mi) ||
      s[17] != ':' || !digits(s + 18, 2, &ss) || s[20] != ' ')
    return false;
  for (int k = 0; k < 12 && !mo; k++)
    if (strncasecmp(s + 3, months[k], 3) == 0) mo = k + 1;
  double offset, base;
  if (!mo || !zone(s, len, 21, &offset) || len - 21 != 5) return false;
  if (!civil_to_epoch(y, mo, d, h, mi, ss, &base)) return false;
  *epoch_s = base - offset;
  return true;
}

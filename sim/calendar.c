/* calendar.c — civil time, ISO 8601 instants and named time zones (see
 * calendar.h). The zone's offsets are learnt from the C library (glibc reads
 * the TZif file, including the POSIX rule in its footer that covers the years
 * after its last listed transition), which saves reimplementing the TZif
 * format and its rule strings here. */
#include "sim/calendar.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "workloads/tstamp.h"

/* --- civil time ---------------------------------------------------------------- */

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int sim_civil_days_in_month(int y, int m) {
  static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  SIM_ASSERT(m >= 1 && m <= 12);
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static int64_t floor_div(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int sim_civil_weekday(int y, int m, int d) {
  int64_t days = wl_days_from_civil(y, (unsigned)m, (unsigned)d);
  return (int)(days - 7 * floor_div(days + 4, 7) + 4); /* 1970-01-01 was a Thursday */
}

int64_t sim_civil_epoch(const sim_civil *c) {
  return wl_days_from_civil(c->year, (unsigned)c->month, (unsigned)c->day) * 86400 +
         c->hour * 3600 + c->minute * 60 + c->second;
}

void sim_civil_of(int64_t epoch_s, sim_civil *out) {
  /* http://howardhinnant.github.io/date_algorithms.html#civil_from_days */
  int64_t days = floor_div(epoch_s, 86400), secs = epoch_s - days * 86400;
  int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *out = (sim_civil){.year = (int)(yoe + era * 400 + (m <= 2)), .month = (int)m, .day = (int)d,
                     .hour = (int)(secs / 3600), .minute = (int)(secs / 60 % 60),
                     .second = (int)(secs % 60)};
  out->weekday = sim_civil_weekday(out->year, out->month, out->day);
}

/* --- ISO 8601 ----------------------------------------------------------------------- */

/* True when the text after `YYYY-MM-DDThh:mm:ss[.f]` names a zone. */
static bool names_zone(const char *text, size_t len) {
  if (len > 19 && (text[len - 1] == 'Z' || text[len - 1] == 'z')) return true;
  for (size_t i = 19; i < len; i++)
    if (text[i] == '+' || text[i] == '-') return true;
  return false;
}

int sim_time_parse(const char *text, double *epoch_s, sim_error *err) {
  size_t len = strlen(text);
  if (!wl_parse_iso8601(text, len, epoch_s, NULL) || !names_zone(text, len))
    return sim_errorf(err, SIM_ESCENARIO,
                      "expected an ISO 8601 date and time with its zone, such as "
                      "2026-05-04T07:30:00Z or 2026-05-04T09:30:00+02:00, got '%s'",
                      text);
  if (*epoch_s < SIM_CALENDAR_MIN_S || *epoch_s >= SIM_CALENDAR_END_S)
    return sim_errorf(err, SIM_ESCENARIO, "expected a time in the years 1970 to 2199, got '%s'",
                      text);
  return SIM_OK;
}

void sim_time_format(double epoch_s, char *buf, size_t len) {
  double whole = floor(epoch_s);
  long micros = lround((epoch_s - whole) * 1e6);
  if (micros >= 1000000) {
    whole += 1;
    micros = 0;
  }
  sim_civil c;
  sim_civil_of((int64_t)whole, &c);
  if (micros)
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", c.year, c.month, c.day, c.hour,
             c.minute, c.second, micros);
  else
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
}

/* --- zones ----------------------------------------------------------------------------- */

#define ZONEINFO "/usr/share/zoneinfo"

enum {
  SAMPLE_STEP_S = 3 * 3600, /* offsets are sampled this far apart, then bisected */
  EXTEND_S = 400 * 86400,   /* the table grows by at least this much at a time */
  DAY_S = 86400
};

struct sim_zone {
  char *name;
  char *path;       /* the TZif file; NULL for UTC */
  int64_t lo, hi;   /* the table covers [lo, hi) */
  int64_t *from;    /* offset off[i] is in force from from[i] on */
  int *off;
  size_t n, cap;
};

/* A name the tz database could hold: letters, digits and "/_+-", relative,
 * without "..", so that it cannot point outside the zoneinfo folder. */
static bool plausible_name(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > 128 || name[0] == '/' || strstr(name, "..")) return false;
  return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") ==
         len;
}

/* True when path is a regular file that starts as a TZif file does. */
static bool is_tzif(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  char magic[4];
  bool ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
  fclose(f);
  return ok;
}

int sim_zone_open(const char *name, sim_zone **out, sim_error *err) {
  *out = NULL;
  char path[256] = "";
  bool utc = strcmp(name, "UTC") == 0;
  if (!utc) {
    if (plausible_name(name)) snprintf(path, sizeof path, "%s/%s", ZONEINFO, name);
    if (!*path || !is_tzif(path))
      return sim_errorf(err, SIM_ESCENARIO,
                        "unknown time zone '%s': expected an IANA zone name such as "
                        "Europe/Berlin, America/New_York or UTC (the tz database in "
                        "%s, Debian package tzdata)",
                        name, ZONEINFO);
  }
  sim_zone *z = sim_xcalloc(1, sizeof *z);
  z->name = sim_xstrdup(name);
  z->path = utc ? NULL : sim_xstrdup(path);
  *out = z;
  return SIM_OK;
}

void sim_zone_free(sim_zone *z) {
  if (!z) return;
  free(z->name);
  free(z->path);
  free(z->from);
  free(z->off);
  free(z);
}

const char *sim_zone_name(const sim_zone *z) { return z->name; }

/* The process's TZ while a zone is sampled; restored afterwards. */
typedef struct saved_tz {
  char *value; /* NULL: TZ was not set */
} saved_tz;

static saved_tz enter_zone(const sim_zone *z) {
  const char *old = getenv("TZ");
  saved_tz s = {old ? sim_xstrdup(old) : NULL};
  char tz[300];
  snprintf(tz, sizeof tz, ":%s", z->path);
  setenv("TZ", tz, 1);
  tzset();
  return s;
}

static void leave_zone(saved_tz s) {
  if (s.value) setenv("TZ", s.value, 1);
  else unsetenv("TZ");
  tzset();
  free(s.value);
}

/* The offset at t under the TZ in force (inside enter_zone/leave_zone). */
static int sampled_offset(int64_t t) {
  time_t tt = (time_t)t;
  struct tm tm;
  SIM_ASSERT(localtime_r(&tt, &tm));
  return (int)tm.tm_gmtoff;
}

typedef struct seg_list {
  int64_t *from;
  int *off;
  size_t n, cap;
} seg_list;

static void seg_push(seg_list *l, int64_t from, int off) {
  if (l->n && l->off[l->n - 1] == off) return;
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->from = sim_xrealloc(l->from, l->cap * sizeof *l->from);
    l->off = sim_xrealloc(l->off, l->cap * sizeof *l->off);
  }
  l->from[l->n] = from;
  l->off[l->n++] = off;
}

/* The offsets in force over [a, b), each change found to the second. */
static void sample(const sim_zone *z, int64_t a, int64_t b, seg_list *out) {
  saved_tz saved = enter_zone(z);
  int64_t t = a;
  int o = sampled_offset(t);
  seg_push(out, a, o);
  while (t < b) {
    int64_t next = t + SAMPLE_STEP_S < b ? t + SAMPLE_STEP_S : b;
    int on = sampled_offset(next);
    if (on == o) {
      t = next;
      continue;
    }
    int64_t lo = t, hi = next; /* offset o at lo, another at hi */
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      if (sampled_offset(mid) == o) lo = mid;
      else hi = mid;
    }
    t = hi;
    o = sampled_offset(hi);
    seg_push(out, hi, o);
  }
  leave_zone(saved);
}

/* Makes the table cover instant t. */
static void cover(sim_zone *z, int64_t t) {
  if (z->n && t >= z->lo && t < z->hi) return;
  seg_list l = {0};
  if (!z->n) {
    sample(z, t - EXTEND_S, t + EXTEND_S, &l);
    z->lo = t - EXTEND_S;
    z->hi = t + EXTEND_S;
  } else if (t < z->lo) {
    int64_t a = t - EXTEND_S;
    sample(z, a, z->lo, &l);
    for (size_t i = 0; i < z->n; i++) seg_push(&l, z->from[i], z->off[i]);
    z->lo = a;
  } else {
    int64_t b = t + EXTEND_S;
    for (size_t i = 0; i < z->n; i++) seg_push(&l, z->from[i], z->off[i]);
    sample(z, z->hi, b, &l);
    z->hi = b;
  }
  free(z->from);
  free(z->off);
  z->from = l.from;
  z->off = l.off;
  z->n = l.n;
  z->cap = l.cap;
}

int sim_zone_offset_s(sim_zone *z, int64_t utc_s) {
  if (!z->path) return 0;
  cover(z, utc_s);
  size_t lo = 0, hi = z->n; /* the last segment starting at or before utc_s */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (z->from[mid] <= utc_s) lo = mid;
    else hi = mid;
  }
  return z->off[lo];
}

void sim_zone_local(sim_zone *z, int64_t utc_s, sim_civil *out) {
  sim_civil_of(utc_s + sim_zone_offset_s(z, utc_s), out);
}

sim_zone_fit sim_zone_resolve(sim_zone *z, const sim_civil *local, int64_t *first,
                              int64_t *second) {
  int64_t wall = sim_civil_epoch(local);
  /* The offsets a day before and a day after: with at most one transition
   * near `wall`, each instant showing it is wall minus one of them. */
  int before = sim_zone_offset_s(z, wall - DAY_S), after = sim_zone_offset_s(z, wall + DAY_S);
  int64_t u1 = wall - before, u2 = wall - after;
  bool ok1 = sim_zone_offset_s(z, u1) == before, ok2 = sim_zone_offset_s(z, u2) == after;
  if (before == after || (ok1 && !ok2) || (ok1 && ok2 && u1 == u2)) {
    *first = *second = u1;
    return SIM_ZONE_ONE;
  }
  if (ok2 && !ok1) {
    *first = *second = u2;
    return SIM_ZONE_ONE;
  }
  if (ok1 && ok2) {
    *first = u1 < u2 ? u1 : u2;
    *second = u1 < u2 ? u2 : u1;
    return SIM_ZONE_TWICE;
  }
  *first = *second = u1; /* the offset before the gap: the wall time a gap later */
  return SIM_ZONE_GAP;
}

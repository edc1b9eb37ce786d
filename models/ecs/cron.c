/* cron.c — Schedule strings of scheduled actions and their firings (see
 * cron.h).
 *
 * Sources:
 *   AAS-API  PutScheduledAction, https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html
 *            (formats; "At and cron expressions use UTC by default"; rate units;
 *            Timezone "used when setting a scheduled action by using an at or
 *            cron expression"; StartTime/EndTime "form the boundaries")
 *   AAS-CRON https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html
 *            (six fields; start time: the action runs then and then per the
 *            recurrence; end time: it stops repeating after it)
 *   EB-CRON  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 *            (the field table: values and wildcards per field; `?` in one of
 *            the day fields; L, W, #; "#" alone in its field; 1 minute finest)
 *   EB-DST   https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst
 *            (EventBridge Scheduler skips a cron time that does not exist and
 *            runs a repeated one once)
 * What L, W and # mean in detail follows Quartz's CronExpression, whose
 * dialect EB-CRON's is: `L` alone in day-of-week is 7 (Saturday); nW is the
 * weekday nearest day n within the same month; L, W and # each stand alone in
 * their field. */
#include "models/ecs/cron.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const ecs_cron_gap_names[] = {"skip", "shift", NULL};

/* --- the fields ----------------------------------------------------------------- */

enum { F_MINUTES = 0, F_HOURS, F_DAYS, F_MONTHS, F_WEEKDAYS, F_YEARS, N_FIELDS };

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", NULL};
static const char *const weekday_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT",
                                            NULL};

/* One field of EB-CRON's table: its values and the wildcards it takes. */
typedef struct field_def {
  const char *name;
  int lo, hi;
  const char *const *names; /* names of lo, lo + 1, ... (NULL: numbers only) */
  const char *values;       /* for messages */
  const char *wildcards;
} field_def;

static const field_def fields[N_FIELDS] = {
    {"minutes", 0, 59, NULL, "0-59", ", - * /"},
    {"hours", 0, 23, NULL, "0-23", ", - * /"},
    {"day-of-month", 1, 31, NULL, "1-31", ", - * ? / L W"},
    {"month", 1, 12, month_names, "1-12 or JAN-DEC", ", - * /"},
    {"day-of-week", 1, 7, weekday_names, "1-7 or SUN-SAT (SUN = 1)", ", - * ? L #"},
    {"year", ECS_CRON_FIRST_YEAR, ECS_CRON_LAST_YEAR, NULL, "1970-2199", ", - * /"},
};

/* The state of parsing one field: where errors point. */
typedef struct field_ctx {
  int index;
  const char *text; /* the field's text, NUL-terminated */
  sim_error *err;
} field_ctx;

static int field_error(const field_ctx *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int field_error(const field_ctx *f, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sim_errorf(f->err, SIM_ESCENARIO, "cron field %d (%s) '%s': %s", f->index + 1,
                    fields[f->index].name, f->text, msg);
}

static bool allows(int field, char wildcard) { return strchr(fields[field].wildcards, wildcard); }

/* Reads a value (a number, or a name of the field) at *p; advances *p. */
static int read_value(const field_ctx *f, const char **p, int *v) {
  const field_def *d = &fields[f->index];
  const char *s = *p;
  if (isdigit((unsigned char)*s)) {
    long x = 0;
    while (isdigit((unsigned char)*s) && x < 100000) x = x * 10 + (*s++ - '0');
    if (x < d->lo || x > d->hi)
      return field_error(f, "%ld is out of range: expected %s", x, d->values);
    *v = (int)x;
    *p = s;
    return SIM_OK;
  }
  if (d->names && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) &&
      isalpha((unsigned char)s[2]) && !isalpha((unsigned char)s[3])) {
    for (int i = 0; d->names[i]; i++)
      if (strncasecmp(s, d->names[i], 3) == 0) {
        *v = d->lo + i;
        *p = s + 3;
        return SIM_OK;
      }
  }
  return field_error(f, "expected a value %s at '%s'", d->values, s);
}

static void set_bit(uint64_t *bits, int i) { bits[i / 64] |= (uint64_t)1 << (i % 64); }

/* One item of a list: `*`, `a`, `a-b`, each optionally `/step`. */
static int read_item(const field_ctx *f, const char *s, uint64_t *bits) {
  const field_def *d = &fields[f->index];
  int a = d->lo, b = d->hi, step = 1, rc;
  bool star = *s == '*', range = false;
  if (star) {
    s++;
  } else {
    if ((rc = read_value(f, &s, &a))) return rc;
    b = a;
    if ((range = *s == '-')) {
      s++;
      if ((rc = read_value(f, &s, &b))) return rc;
      if (b < a)
        return field_error(f, "the range %d-%d runs backwards: expected a-b with a <= b", a, b);
    }
  }
  if (*s == '/') {
    if (!allows(f->index, '/'))
      return field_error(f, "'/' is not allowed in %s (it takes %s)", d->name, d->wildcards);
    s++;
    long x = 0;
    const char *digits = s;
    while (isdigit((unsigned char)*s) && x < 100000) x = x * 10 + (*s++ - '0');
    if (s == digits || x < 1 || x > d->hi - d->lo + 1)
      return field_error(f, "expected a step of 1 to %d after '/'", d->hi - d->lo + 1);
    step = (int)x;
    if (!star && !range) b = d->hi; /* a/n: from a to the end (EB-CRON: 1/10) */
  }
  if (*s)
    return field_error(f, "unexpected '%s': expected %s, a range a-b, a list a,b, * or a step "
                       "a/n", s, d->values);
  for (int v = a; v <= b; v += step) set_bit(bits, v - d->lo);
  return SIM_OK;
}

/* A comma-separated list of items into bits (bit 0 = the field's lo). */
static int read_list(const field_ctx *f, uint64_t *bits) {
  char item[64];
  const char *s = f->text;
  for (;;) {
    size_t n = strcspn(s, ",");
    if (n == 0 || n >= sizeof item)
      return field_error(f, "expected %s, a range a-b, a list a,b, * or a step a/n",
                         fields[f->index].values);
    memcpy(item, s, n);
    item[n] = '\0';
    int rc = read_item(f, item, bits);
    if (rc) return rc;
    if (!s[n]) return SIM_OK;
    s += n + 1;
  }
}

/* Rejects a character the field does not take (EB-CRON's table): letters
 * only in names (JAN, MON) and as the L and W wildcards where allowed. */
static int check_chars(const field_ctx *f) {
  const field_def *d = &fields[f->index];
  for (const char *s = f->text; *s; s++) {
    char c = (char)toupper((unsigned char)*s);
    bool wildcard_letter = (c == 'L' || c == 'W') && allows(f->index, c);
    bool ok = isdigit((unsigned char)c) ||
              (isalpha((unsigned char)c) ? d->names || wildcard_letter
                                         : c != ' ' && strchr(d->wildcards, c));
    if (!ok)
      return field_error(f, "'%c' is not allowed in %s (it takes %s and the wildcards %s)", *s,
                         d->name, d->values, d->wildcards);
  }
  return SIM_OK;
}

/* Day-of-month: `L`, `nW` or a list. */
static int read_days(const field_ctx *f, ecs_cron *c) {
  const char *s = f->text;
  size_t len = strlen(s);
  if (strcasecmp(s, "L") == 0) {
    c->day_rule = ECS_CRON_DAYS_LAST;
    return SIM_OK;
  }
  if (strpbrk(s, "LlWw")) {
    int n = 0;
    const char *p = s;
    if (len < 2 || toupper((unsigned char)s[len - 1]) != 'W' || read_value(f, &p, &n) ||
        p != s + len - 1)
      return field_error(f, "expected L (the last day of the month) or nW (the weekday nearest "
                            "day n), each alone in the field");
    c->day_rule = ECS_CRON_DAYS_NEAREST_WEEKDAY;
    c->day_arg = (uint8_t)n;
    return SIM_OK;
  }
  uint64_t bits = 0;
  int rc = read_list(f, &bits);
  c->days = (uint32_t)(bits << 1);
  return rc;
}

/* Day-of-week: `L` (Saturday), `nL`, `n#k` or a list. */
static int read_weekdays(const field_ctx *f, ecs_cron *c) {
  const char *s = f->text;
  size_t len = strlen(s);
  const char *hash = strchr(s, '#');
  int n, rc;
  if (hash) {
    const char *p = s;
    if (strpbrk(s, ",-*/"))
      return field_error(f, "'#' must be the only expression in day-of-week (EB-CRON)");
    if ((rc = read_value(f, &p, &n))) return rc;
    if (p != hash || !isdigit((unsigned char)hash[1]) || hash[2] || hash[1] < '1' ||
        hash[1] > '5')
      return field_error(f, "expected d#k: a day of the week d and its occurrence k, 1-5, in "
                            "the month");
    c->weekday_rule = ECS_CRON_WEEKDAYS_NTH;
    c->day_arg = (uint8_t)n;
    c->nth = (uint8_t)(hash[1] - '0');
    return SIM_OK;
  }
  if (strcasecmp(s, "L") == 0) { /* the last day of the week: 7, Saturday (Quartz) */
    c->weekdays = 1u << 7;
    return SIM_OK;
  }
  if (len > 1 && toupper((unsigned char)s[len - 1]) == 'L') {
    const char *p = s;
    if (strpbrk(s, ",-*/") || read_value(f, &p, &n) || p != s + len - 1)
      return field_error(f, "expected dL (the last day d of the week in the month), alone in "
                            "the field");
    c->weekday_rule = ECS_CRON_WEEKDAYS_LAST;
    c->day_arg = (uint8_t)n;
    return SIM_OK;
  }
  uint64_t bits = 0;
  rc = read_list(f, &bits);
  c->weekdays = (uint8_t)(bits << 1);
  return rc;
}

static int read_field(const field_ctx *f, ecs_cron *c, bool *any) {
  int rc = check_chars(f);
  if (rc) return rc;
  *any = strcmp(f->text, "?") == 0;
  if (*any) return SIM_OK;
  if (strchr(f->text, '?'))
    return field_error(f, "'?' stands alone in its field (no specific value)");
  if (f->index == F_DAYS) return read_days(f, c);
  if (f->index == F_WEEKDAYS) return read_weekdays(f, c);
  if (f->index == F_YEARS) return read_list(f, c->years);
  uint64_t bits[4] = {0};
  if ((rc = read_list(f, bits))) return rc;
  if (f->index == F_MINUTES) c->minutes = bits[0];
  else if (f->index == F_HOURS) c->hours = (uint32_t)bits[0];
  else c->months = (uint16_t)(bits[0] << 1); /* bit m for month m */
  return SIM_OK;
}

static int parse_cron(const char *inner, ecs_cron *c, sim_error *err) {
  char buf[256], *tok[N_FIELDS + 1];
  if (strlen(inner) >= sizeof buf)
    return sim_errorf(err, SIM_ESCENARIO, "cron(...): too long");
  snprintf(buf, sizeof buf, "%s", inner);
  int n = 0;
  for (char *save = NULL, *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
    if (n <= N_FIELDS) tok[n++] = t;
  if (n != N_FIELDS)
    return sim_errorf(err, SIM_ESCENARIO,
                      "cron(...) has %s%d field%s: expected 6, Minutes Hours Day-of-month "
                      "Month Day-of-week Year (AWS's cron has a Year field and no seconds)",
                      n > N_FIELDS ? "more than " : "", n > N_FIELDS ? N_FIELDS : n,
                      n == 1 ? "" : "s");
  *c = (ecs_cron){0};
  bool any[N_FIELDS];
  for (int i = 0; i < N_FIELDS; i++) {
    field_ctx f = {.index = i, .text = tok[i], .err = err};
    int rc = read_field(&f, c, &any[i]);
    if (rc) return rc;
  }
  if (any[F_DAYS] == any[F_WEEKDAYS])
    return sim_errorf(err, SIM_ESCENARIO,
                      "cron day-of-month '%s' and day-of-week '%s': exactly one of them must "
                      "be '?' (EB-CRON: the two cannot both be given, and * in one needs ? in "
                      "the other)",
                      tok[F_DAYS], tok[F_WEEKDAYS]);
  c->by_weekday = any[F_DAYS];
  sim_civil from = {.year = ECS_CRON_FIRST_YEAR, .month = 1, .day = 1}, first;
  if (!ecs_cron_next_local(c, &from, &first))
    return sim_errorf(err, SIM_ESCENARIO, "cron(%s) matches no date from 1970 to 2199", inner);
  return SIM_OK;
}

/* --- at(...) and rate(...) -------------------------------------------------------- */

static bool two_digits(const char *s, int *v) {
  if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1])) return false;
  *v = (s[0] - '0') * 10 + (s[1] - '0');
  return true;
}

static int parse_at(const char *inner, sim_civil *at, sim_error *err) {
  int y1, y2, mo, d, h, mi, s;
  bool ok = strlen(inner) == 19 && two_digits(inner, &y1) && two_digits(inner + 2, &y2) &&
            inner[4] == '-' && two_digits(inner + 5, &mo) && inner[7] == '-' &&
            two_digits(inner + 8, &d) && inner[10] == 'T' && two_digits(inner + 11, &h) &&
            inner[13] == ':' && two_digits(inner + 14, &mi) && inner[16] == ':' &&
            two_digits(inner + 17, &s);
  int y = ok ? y1 * 100 + y2 : 0; /* y1 and y2 are set only when the shape is right */
  ok = ok && y >= ECS_CRON_FIRST_YEAR && y <= ECS_CRON_LAST_YEAR && mo >= 1 && mo <= 12 &&
       d >= 1 && d <= sim_civil_days_in_month(y, mo) && h <= 23 && mi <= 59 && s <= 59;
  if (!ok)
    return sim_errorf(err, SIM_ESCENARIO,
                      "at(%s): expected at(yyyy-mm-ddThh:mm:ss), a date and wall time in the "
                      "years 1970-2199",
                      inner);
  *at = (sim_civil){.year = y, .month = mo, .day = d, .hour = h, .minute = mi, .second = s};
  return SIM_OK;
}

static int parse_rate(const char *inner, double *rate_s, sim_error *err) {
  static const struct { const char *unit; double s; } units[] = {
      {"minute", 60}, {"minutes", 60}, {"hour", 3600}, {"hours", 3600},
      {"day", 86400}, {"days", 86400}};
  long value = 0;
  const char *p = inner;
  while (isdigit((unsigned char)*p) && value <= 1000000) value = value * 10 + (*p++ - '0');
  bool ok = p > inner && *p == ' ' && value >= 1 && value <= 1000000;
  for (size_t i = 0; ok && i < sizeof units / sizeof *units; i++)
    if (strcmp(p + 1, units[i].unit) == 0) {
      *rate_s = (double)value * units[i].s;
      return SIM_OK;
    }
  return sim_errorf(err, SIM_ESCENARIO,
                    "rate(%s): expected rate(value unit), value a whole number from 1 to "
                    "1000000 and unit minute, minutes, hour, hours, day or days (AAS-API)",
                    inner);
}

int ecs_cron_parse(const char *text, ecs_cron_expr *out, sim_error *err) {
  static const char *const kinds[] = {"at(", "rate(", "cron("};
  size_t len = strlen(text);
  *out = (ecs_cron_expr){0};
  for (int k = 0; k < 3; k++) {
    size_t open = strlen(kinds[k]);
    if (strncmp(text, kinds[k], open) || len <= open || text[len - 1] != ')') continue;
    char inner[256];
    if (len - open - 1 >= sizeof inner)
      return sim_errorf(err, SIM_ESCENARIO, "%s...): too long", kinds[k]);
    memcpy(inner, text + open, len - open - 1);
    inner[len - open - 1] = '\0';
    out->kind = (ecs_cron_kind)k;
    if (k == ECS_CRON_KIND_AT) return parse_at(inner, &out->at, err);
    if (k == ECS_CRON_KIND_RATE) return parse_rate(inner, &out->rate_s, err);
    return parse_cron(inner, &out->cron, err);
  }
  return sim_errorf(err, SIM_ESCENARIO,
                    "'%s': expected at(yyyy-mm-ddThh:mm:ss), rate(value unit) or "
                    "cron(Minutes Hours Day-of-month Month Day-of-week Year) (AAS-API "
                    "PutScheduledAction)",
                    text);
}

/* --- matching ---------------------------------------------------------------------- */

static bool bit(const uint64_t *bits, int i) { return bits[i / 64] >> (i % 64) & 1; }

/* The weekday nearest day n of the month, in the month (Quartz's nW). */
static int nearest_weekday(int y, int m, int n, int dim) {
  if (n > dim) return 0; /* no such day this month: nothing matches */
  int wd = sim_civil_weekday(y, m, n);
  if (wd == 6) return n > 1 ? n - 1 : n + 2; /* Saturday: Friday, or Monday the 3rd */
  if (wd == 0) return n < dim ? n + 1 : n - 2; /* Sunday: Monday, or Friday before */
  return n;
}

static bool day_matches(const ecs_cron *c, int y, int m, int d, int dim) {
  if (!c->by_weekday) {
    switch (c->day_rule) {
      case ECS_CRON_DAYS_LAST: return d == dim;
      case ECS_CRON_DAYS_NEAREST_WEEKDAY: return d == nearest_weekday(y, m, c->day_arg, dim);
      default: return c->days >> d & 1;
    }
  }
  int wd = sim_civil_weekday(y, m, d) + 1; /* 1-7 from Sunday */
  switch (c->weekday_rule) {
    case ECS_CRON_WEEKDAYS_LAST: return wd == c->day_arg && d + 7 > dim;
    case ECS_CRON_WEEKDAYS_NTH: return wd == c->day_arg && (d - 1) / 7 + 1 == c->nth;
    default: return c->weekdays >> wd & 1;
  }
}

/* The first hour:minute at or after h0:m0 that matches; false if none today. */
static bool time_of_day(const ecs_cron *c, int h0, int m0, int *h_out, int *m_out) {
  for (int h = h0; h < 24; h++) {
    if (!(c->hours >> h & 1)) continue;
    for (int mi = h == h0 ? m0 : 0; mi < 60; mi++)
      if (c->minutes >> mi & 1) {
        *h_out = h;
        *m_out = mi;
        return true;
      }
  }
  return false;
}

bool ecs_cron_next_local(const ecs_cron *c, const sim_civil *from, sim_civil *out) {
  sim_civil f = *from;
  if (f.year < ECS_CRON_FIRST_YEAR) f = (sim_civil){.year = ECS_CRON_FIRST_YEAR, .month = 1,
                                                    .day = 1};
  for (int y = f.year; y <= ECS_CRON_LAST_YEAR; y++) {
    if (!bit(c->years, y - ECS_CRON_FIRST_YEAR)) continue;
    bool same_y = y == f.year;
    for (int m = same_y ? f.month : 1; m <= 12; m++) {
      if (!(c->months >> m & 1)) continue;
      bool same_m = same_y && m == f.month;
      int dim = sim_civil_days_in_month(y, m);
      for (int d = same_m ? f.day : 1; d <= dim; d++) {
        if (!day_matches(c, y, m, d, dim)) continue;
        bool same_d = same_m && d == f.day;
        int h, mi;
        if (!time_of_day(c, same_d ? f.hour : 0, same_d ? f.minute : 0, &h, &mi)) continue;
        *out = (sim_civil){.year = y, .month = m, .day = d, .hour = h, .minute = mi};
        out->weekday = sim_civil_weekday(y, m, d);
        return true;
      }
    }
  }
  return false;
}

bool ecs_cron_next(const ecs_cron *c, sim_zone *z, ecs_cron_gap gap, int64_t after_s,
                   int64_t *out_s) {
  sim_civil from;
  sim_zone_local(z, after_s, &from);
  from.second = 0;
  for (;;) {
    sim_civil cand;
    if (!ecs_cron_next_local(c, &from, &cand)) return false;
    int64_t first, second;
    sim_zone_fit fit = sim_zone_resolve(z, &cand, &first, &second);
    /* A repeated wall time fires at its first occurrence only: its second
     * one is never taken (EB-DST). */
    if (!(fit == SIM_ZONE_GAP && gap == ECS_CRON_GAP_SKIP) && first > after_s) {
      *out_s = first;
      return true;
    }
    sim_civil_of(sim_civil_epoch(&cand) + 60, &from);
  }
}

/* --- plans ------------------------------------------------------------------------- */

static int plan_fail(ecs_cron_plan *p, const char **bad_key, const char *key, int rc) {
  ecs_cron_plan_free(p);
  *bad_key = key;
  return rc;
}

/* An optional ISO 8601 time of spec into *out (NAN when absent). */
static int read_time(const char *text, double *out, sim_error *err) {
  *out = NAN;
  return text ? sim_time_parse(text, out, err) : SIM_OK;
}

int ecs_cron_plan_init(ecs_cron_plan *p, const ecs_cron_spec *spec, double origin_s,
                       ecs_cron_gap gap, const char **bad_key, sim_error *err) {
  *p = (ecs_cron_plan){.gap = gap, .at_s = NAN, .start_s = NAN, .end_s = NAN,
                       .anchor_s = origin_s};
  *bad_key = NULL;
  int rc = ecs_cron_parse(spec->schedule, &p->expr, err);
  if (rc) return plan_fail(p, bad_key, "schedule", rc);
  const char *zone = spec->timezone ? spec->timezone : "UTC";
  if ((rc = sim_zone_open(zone, &p->zone, err))) return plan_fail(p, bad_key, "timezone", rc);
  ecs_cron_kind kind = p->expr.kind;
  if (kind == ECS_CRON_KIND_RATE && strcmp(zone, "UTC") != 0)
    return plan_fail(p, bad_key, "timezone",
                     sim_errorf(err, SIM_ESCENARIO,
                                "a time zone applies to at(...) and cron(...) schedules, not "
                                "to rate(...) (AAS-API PutScheduledAction Timezone)"));
  double created;
  if ((rc = read_time(spec->start, &p->start_s, err))) return plan_fail(p, bad_key, "start", rc);
  if ((rc = read_time(spec->end, &p->end_s, err))) return plan_fail(p, bad_key, "end", rc);
  if ((rc = read_time(spec->created, &created, err)))
    return plan_fail(p, bad_key, "created", rc);
  if (kind == ECS_CRON_KIND_AT && (spec->start || spec->end))
    return plan_fail(p, bad_key, spec->start ? "start" : "end",
                     sim_errorf(err, SIM_ESCENARIO,
                                "start and end bound a recurring schedule, rate(...) or "
                                "cron(...), not at(...) (AAS-API PutScheduledAction)"));
  if (p->end_s <= p->start_s)
    return plan_fail(p, bad_key, "end",
                     sim_errorf(err, SIM_ESCENARIO, "end must be after start"));
  if (spec->created && kind != ECS_CRON_KIND_RATE)
    return plan_fail(p, bad_key, "created",
                     sim_errorf(err, SIM_ESCENARIO,
                                "created is where a rate(...) counts from; it does not apply "
                                "to at(...) or cron(...)"));
  if (spec->created) p->anchor_s = created;
  if (kind == ECS_CRON_KIND_AT) {
    int64_t first, second;
    if (sim_zone_resolve(p->zone, &p->expr.at, &first, &second) == SIM_ZONE_GAP)
      return plan_fail(p, bad_key, "schedule",
                       sim_errorf(err, SIM_ESCENARIO,
                                  "%s does not occur in %s: the clocks skip that wall time "
                                  "(daylight saving time begins)",
                                  spec->schedule, zone));
    p->at_s = (double)first; /* a repeated wall time: its first occurrence [I] */
  }
  return SIM_OK;
}

void ecs_cron_plan_free(ecs_cron_plan *p) {
  sim_zone_free(p->zone);
  p->zone = NULL;
}

/* rate(...): the first of base + k x period (k >= k0) at or after from_s. */
static double next_rate(double base, double period, long k0, double from_s) {
  double k = floor((from_s - base) / period);
  if (k < k0) k = (double)k0;
  while (base + k * period < from_s) k++; /* the division may round down by one */
  return base + k * period;
}

double ecs_cron_plan_next(ecs_cron_plan *p, double from_s) {
  bool has_start = !isnan(p->start_s);
  double u;
  switch (p->expr.kind) {
    case ECS_CRON_KIND_AT:
      u = p->at_s >= from_s ? p->at_s : NAN;
      break;
    case ECS_CRON_KIND_RATE:
      u = has_start ? next_rate(p->start_s, p->expr.rate_s, 0, from_s)
                    : next_rate(p->anchor_s, p->expr.rate_s, 1, from_s);
      break;
    default: {
      if (has_start && from_s <= p->start_s) {
        u = p->start_s;
        break;
      }
      int64_t at;
      u = ecs_cron_next(&p->expr.cron, p->zone, p->gap, (int64_t)ceil(from_s) - 1, &at)
              ? (double)at
              : NAN;
    }
  }
  if (!isnan(p->end_s) && u > p->end_s) return NAN;
  return u;
}

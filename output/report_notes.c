/* report_notes.c — explanations of a run computed from its data (see
 * report_notes.h). */
#include "output/report_notes.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/units.h"

static void note(out_notes *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(out_notes *n, const char *fmt, ...) {
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n->n == n->cap) {
    n->cap = n->cap ? 2 * n->cap : 16;
    n->v = sim_xrealloc(n->v, n->cap * sizeof *n->v);
  }
  n->v[n->n++] = sim_xstrdup(buf);
}

void out_notes_free(out_notes *n) {
  for (size_t i = 0; i < n->n; i++) free(n->v[i]);
  free(n->v);
  n->v = NULL;
  n->n = n->cap = 0;
}

char *out_fmt_duration(double s, char *buf, size_t len) {
  if (isnan(s)) snprintf(buf, len, "?");
  else if (s < 1) snprintf(buf, len, "%.0f ms", s * 1e3);
  else if (s < 10) snprintf(buf, len, "%.1f s", s);
  else if (s < 60) snprintf(buf, len, "%.0f s", s);
  else if (s < 3600) {
    long t = lround(s);
    if (t % 60) snprintf(buf, len, "%ld min %ld s", t / 60, t % 60);
    else snprintf(buf, len, "%ld min", t / 60);
  } else {
    long m = lround(s / 60);
    if (m % 60) snprintf(buf, len, "%ld h %ld min", m / 60, m % 60);
    else snprintf(buf, len, "%ld h", m / 60);
  }
  return buf;
}

char *out_fmt_clock(double s, char *buf, size_t len) {
  long t = lround(s);
  if (t < 3600) snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
  else snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  return buf;
}

/* --- the time series of one platform -------------------------------------------- */

typedef struct series {
  size_t n;
  const double *start, *arrivals;
  double *len;
} series;

static bool series_open(const out_run_platform *p, series *s) {
  memset(s, 0, sizeof *s);
  s->start = out_table_col(p->ts, "t_s");
  s->arrivals = out_table_col(p->ts, "arrivals");
  if (!s->start || !s->arrivals || p->ts->n_rows < 2) return false;
  s->n = p->ts->n_rows;
  s->len = sim_xmalloc(s->n * sizeof *s->len);
  double end = out_run_value(p, "duration_s");
  for (size_t i = 0; i < s->n; i++) {
    double next = i + 1 < s->n ? s->start[i + 1] : s->start[i] + (s->start[1] - s->start[0]);
    if (i + 1 == s->n && !isnan(end) && end > s->start[i]) next = end;
    s->len[i] = next > s->start[i] ? next - s->start[i] : 1;
  }
  return true;
}

static double rate(const series *s, size_t i) {
  return isnan(s->arrivals[i]) ? 0 : s->arrivals[i] / s->len[i];
}

/* The largest significant rise ending at e, from the lowest rate in the window
 * before it; returns its size (0 if none) and the low interval in *from. */
static double rise_at(const series *s, size_t e, size_t window, size_t *from) {
  size_t lo = e >= window ? e - window : 0;
  size_t best = e;
  for (size_t i = lo; i < e; i++)
    if (best == e || rate(s, i) < rate(s, best)) best = i;
  if (best == e) return 0;
  double rise = rate(s, e) - rate(s, best);
  double a = isnan(s->arrivals[best]) ? 0 : s->arrivals[best];
  double b = isnan(s->arrivals[e]) ? 0 : s->arrivals[e];
  double noise = sqrt(a / (s->len[best] * s->len[best]) + b / (s->len[e] * s->len[e]));
  if (rise < 0.5 * rate(s, best) || rise <= 4 * noise) return 0;
  *from = best;
  return rise;
}

bool out_find_surge(const out_run *run, out_surge *out) {
  series s = {0};
  size_t pi = 0;
  while (pi < run->n_platforms && !series_open(&run->platforms[pi], &s)) pi++;
  if (pi == run->n_platforms) return false;
  double res = s.start[1] - s.start[0];
  size_t window = (size_t)ceil(OUT_SURGE_WINDOW_S / (res > 0 ? res : 1));
  double best = 0;
  size_t from = 0, peak = 0;
  for (size_t e = 1; e < s.n; e++) {
    size_t f = 0;
    double r = rise_at(&s, e, window, &f);
    if (r > best) {
      best = r;
      from = f;
      peak = e;
    }
  }
  if (best > 0) {
    size_t k = from + 1;
    while (k < peak && rate(&s, k) < rate(&s, from) + 0.25 * best) k++;
    *out = (out_surge){s.start[k], s.start[peak], rate(&s, from), rate(&s, peak)};
  }
  free(s.len);
  return best > 0;
}

/* --- reactions ---------------------------------------------------------------------- */

static const out_decision_row *first_scale_out(const out_run_platform *p, double t0) {
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *d = &p->decisions[i];
    if (d->t_s >= t0 && d->new_desired > d->old_desired) return d;
  }
  return NULL;
}

/* Index of the last interval that starts before t (0 if none). */
static size_t interval_before(const out_table *ts, const double *start, double t) {
  size_t i = 0;
  while (i + 1 < ts->n_rows && start[i + 1] < t) i++;
  return i;
}

/* The end of the first interval from t0 on whose mean ready count is at least
 * half an instance above the interval before t0; NaN if none within the
 * impact window. */
static double ready_rise_s(const out_run_platform *p, double t0) {
  const double *start = out_table_col(p->ts, "t_s"), *ready = out_table_col(p->ts, "ready");
  if (!start || !ready || p->ts->n_rows < 2) return NAN;
  size_t b = interval_before(p->ts, start, t0);
  double res = start[1] - start[0];
  for (size_t j = b + 1; j < p->ts->n_rows && start[j] < t0 + OUT_SURGE_IMPACT_S; j++)
    if (!isnan(ready[j]) && ready[j] >= ready[b] + 0.5) return start[j] + res;
  return NAN;
}

/* The largest value of column name over [t0, t1), and the median over the
 * window of the same length before t0 (NaN when empty). */
static void window_stats(const out_run_platform *p, const char *name, double t0, double t1,
                         double *peak, double *before) {
  *peak = *before = NAN;
  const double *start = out_table_col(p->ts, "t_s"), *v = out_table_col(p->ts, name);
  if (!start || !v) return;
  double *pre = sim_xmalloc(p->ts->n_rows * sizeof *pre + 1);
  size_t n = 0;
  for (size_t i = 0; i < p->ts->n_rows; i++) {
    if (isnan(v[i])) continue;
    if (start[i] >= t0 && start[i] < t1 && (isnan(*peak) || v[i] > *peak)) *peak = v[i];
    if (start[i] < t0 && start[i] >= t0 - (t1 - t0)) pre[n++] = v[i];
  }
  /* Median by insertion sort: a window holds at most a few hundred values. */
  for (size_t i = 1; i < n; i++)
    for (size_t k = i; k > 0 && pre[k - 1] > pre[k]; k--) {
      double t = pre[k];
      pre[k] = pre[k - 1];
      pre[k - 1] = t;
    }
  if (n) *before = n % 2 ? pre[n / 2] : (pre[n / 2 - 1] + pre[n / 2]) / 2;
  free(pre);
}

static double errors_between(const out_run_platform *p, double t0, double t1) {
  static const char *const codes[] = {"errors_429", "errors_500", "errors_502", "errors_503",
                                      "errors_504"};
  const double *start = out_table_col(p->ts, "t_s");
  double sum = 0;
  for (int k = 0; k < 5; k++) {
    const double *c = out_table_col(p->ts, codes[k]);
    for (size_t i = 0; c && start && i < p->ts->n_rows; i++)
      if (start[i] >= t0 && start[i] < t1 && !isnan(c[i])) sum += c[i];
  }
  return sum;
}

/* The decisions in [t0, t1) that did not change the desired count (alarms,
 * evaluations): the evidence of what the control loop waited for. */
static void evidence(const out_run_platform *p, double t0, double t1, char *buf, size_t len) {
  size_t used = 0, shown = 0, total = 0;
  char clock[32];
  buf[0] = '\0';
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *d = &p->decisions[i];
    if (d->t_s < t0 || d->t_s >= t1 || d->new_desired > d->old_desired) continue;
    total++;
    if (shown == 3 || used >= len) continue;
    shown++;
    int w = snprintf(buf + used, len - used, "%s%s %s%s%s at %s", shown > 1 ? "; " : "",
                     d->source, d->event, *d->status ? " " : "", d->status,
                     out_fmt_clock(d->t_s, clock, sizeof clock));
    used += w > 0 ? (size_t)w : 0;
  }
  if (total > shown && used < len)
    snprintf(buf + used, len - used, "; and %zu more", total - shown);
}

static void reaction_note(out_notes *n, const out_run_platform *p, const out_surge *s) {
  char a[64], b[64], c[64], ev[768], tail[512] = "";
  double t0 = s->start_s, t1 = t0 + OUT_SURGE_IMPACT_S;
  if (!p->ts) {
    note(n, "%s: no timeseries.csv, so its reaction to the surge cannot be shown.", p->name);
    return;
  }
  double p99_peak, p99_before;
  window_stats(p, "latency_p99_s", t0, t1, &p99_peak, &p99_before);
  double errors = errors_between(p, t0, t1);
  if (!isnan(p99_peak))
    snprintf(tail, sizeof tail, " In the %s from the surge's start p99 latency peaked at %s "
             "(median %s in the same time before)%s%.0f errors.",
             out_fmt_duration(OUT_SURGE_IMPACT_S, c, sizeof c),
             out_fmt_duration(p99_peak, a, sizeof a), out_fmt_duration(p99_before, b, sizeof b),
             errors > 0 ? "; " : " and ", errors);
  const out_decision_row *d = first_scale_out(p, t0);
  double ready_s = ready_rise_s(p, t0);
  if (!d || d->t_s >= t1) {
    note(n, "%s did not scale out within %s of the surge (%s).%s", p->name,
         out_fmt_duration(OUT_SURGE_IMPACT_S, a, sizeof a),
         p->has_decisions ? "no decision raised its desired count" : "it logs no decisions",
         tail);
    return;
  }
  evidence(p, t0, d->t_s, ev, sizeof ev);
  char ready_text[512];
  if (isnan(ready_s))
    snprintf(ready_text, sizeof ready_text, "its ready instances did not rise within %s",
             out_fmt_duration(OUT_SURGE_IMPACT_S, c, sizeof c));
  else
    snprintf(ready_text, sizeof ready_text,
             "ready instances rose by %s, %s after the surge began (%s after the decision)",
             out_fmt_clock(ready_s, a, sizeof a), out_fmt_duration(ready_s - t0, b, sizeof b),
             out_fmt_duration(ready_s - d->t_s, c, sizeof c));
  char when[32], delay[32], ev_text[800] = "";
  if (ev[0]) snprintf(ev_text, sizeof ev_text, " Before it: %s.", ev);
  note(n, "%s needed %s to react to the %s surge: first scale-out at %s (%s, desired %g to %g%s%s); "
       "%s.%s%s",
       p->name, out_fmt_duration(d->t_s - t0, delay, sizeof delay),
       out_fmt_clock(t0, when, sizeof when), out_fmt_clock(d->t_s, a, sizeof a), d->source,
       d->old_desired, d->new_desired, *d->reason ? ": " : "", d->reason, ready_text, ev_text,
       tail);
}

/* --- faults ------------------------------------------------------------------------ */

/* The scenario's p99 SLO in seconds (settings.csv `slo.latency_p99`), or NaN. */
static double slo_p99_s(const out_run *run) {
  for (size_t i = 0; i < run->n_settings; i++) {
    const out_setting_row *s = &run->settings[i];
    double v;
    if (!*s->platform && strcmp(s->key, "slo.latency_p99") == 0 &&
        sim_parse_duration(s->value, &v, NULL, 0) == 0 && v > 0)
      return v;
  }
  return NAN;
}

/* The columns a fault note reads. */
typedef struct fault_view {
  size_t n;
  const double *start, *arrivals, *p99, *ready, *desired;
} fault_view;

static bool fault_view_open(const out_run_platform *p, fault_view *v) {
  *v = (fault_view){0};
  if (!p->ts || p->ts->n_rows == 0) return false;
  v->n = p->ts->n_rows;
  v->start = out_table_col(p->ts, "t_s");
  v->arrivals = out_table_col(p->ts, "arrivals");
  v->p99 = out_table_col(p->ts, "latency_p99_s");
  v->ready = out_table_col(p->ts, "ready");
  v->desired = out_table_col(p->ts, "desired");
  return v->start && v->arrivals && v->p99;
}

/* Index of the interval holding t (the last one starting at or before it). */
static size_t interval_at(const fault_view *v, double t) {
  size_t i = 0;
  while (i + 1 < v->n && v->start[i + 1] <= t) i++;
  return i;
}

static bool breaches(const fault_view *v, size_t i, double slo_s) {
  bool had_requests = !isnan(v->arrivals[i]) && v->arrivals[i] > 0;
  return had_requests && (isnan(v->p99[i]) || v->p99[i] > slo_s);
}

/* The first interval from k0 on that starts OUT_FAULT_STABLE_INTERVALS
 * intervals within the SLO and is later than every breach up to the
 * interval k_end (where the fault's window ends); v->n when there is none. */
static size_t recovery_interval(const fault_view *v, size_t k0, size_t k_end, double slo_s) {
  size_t from = k0, run = 0;
  for (size_t i = k0; i <= k_end && i < v->n; i++)
    if (breaches(v, i, slo_s)) from = i + 1;
  for (size_t i = from; i < v->n; i++) {
    run = breaches(v, i, slo_s) ? 0 : run + 1;
    if (run == OUT_FAULT_STABLE_INTERVALS) return i + 1 - run;
  }
  return v->n;
}

/* The end of a fault's window: the time of the next fault_end row with the
 * same status, or its start for an instantaneous fault. */
static double fault_end_s(const out_run_platform *p, size_t begin) {
  const out_decision_row *b = &p->decisions[begin];
  for (size_t i = begin + 1; i < p->n_decisions; i++) {
    const out_decision_row *d = &p->decisions[i];
    if (strcmp(d->source, "fault") == 0 && strcmp(d->event, "fault_end") == 0 &&
        strcmp(d->status, b->status) == 0)
      return d->t_s;
  }
  return b->t_s;
}

static bool is_fault_begin(const out_decision_row *d) {
  return strcmp(d->source, "fault") == 0 && strcmp(d->event, "fault_begin") == 0;
}

/* The ready count a platform kept before the fault: the mean ready count of
 * the interval before it, or the desired count then when lower (instances
 * beyond the need, kept only until their idle retention ends, are not
 * replaced). NaN when unknown. */
static double ready_level(const fault_view *v, size_t k0) {
  if (!v->ready || k0 == 0) return NAN;
  double level = v->ready[k0 - 1];
  if (v->desired && v->desired[k0 - 1] < level) level = v->desired[k0 - 1];
  return level;
}

/* When the mean ready count is back within half an instance of its level
 * before the fault: the end of the first such interval after the fault's own
 * (whose mean mixes before and after), or NaN. */
static double ready_back_s(const fault_view *v, size_t k0) {
  double level = ready_level(v, k0);
  if (isnan(level)) return NAN;
  double res = v->n > 1 ? v->start[1] - v->start[0] : 0;
  for (size_t i = k0 + 1; i < v->n; i++)
    if (!isnan(v->ready[i]) && v->ready[i] >= level - 0.5) return v->start[i] + res;
  return NAN;
}

/* The largest p99 over intervals [a, b). */
static double p99_peak(const fault_view *v, size_t a, size_t b) {
  double peak = NAN;
  for (size_t i = a; i < b && i < v->n; i++)
    if (!isnan(v->p99[i]) && (isnan(peak) || v->p99[i] > peak)) peak = v->p99[i];
  return peak;
}

/* Sentences on recovery against the SLO; sets *until_s to the end of the
 * fault's period: the end of the stable intervals that confirm recovery, or
 * the window's end, whichever is later. */
static void recovery_text(const fault_view *v, size_t k0, double t0, double end_s, double slo_s,
                          char *buf, size_t len, double *until_s) {
  char a[32], b[32], c[32];
  *until_s = end_s + OUT_SURGE_IMPACT_S;
  if (isnan(slo_s)) {
    snprintf(buf, len, " No SLO is set (slo: {latency_p99: ...}), so recovery is not measured.");
    return;
  }
  size_t j = recovery_interval(v, k0, interval_at(v, end_s), slo_s);
  const char *before = k0 > 0 && breaches(v, k0 - 1, slo_s)
                           ? " (p99 was already above it in the interval before)" : "";
  if (j == v->n) {
    snprintf(buf, len, " p99 did not stay under the SLO (%s) for %d intervals before the run "
             "ended%s.", out_fmt_duration(slo_s, a, sizeof a), OUT_FAULT_STABLE_INTERVALS, before);
    return;
  }
  double res = v->n > 1 ? v->start[1] - v->start[0] : 0;
  *until_s = fmax(v->start[j] + OUT_FAULT_STABLE_INTERVALS * res, end_s);
  if (j == k0)
    snprintf(buf, len, " p99 stayed under the SLO (%s): recovery time 0.",
             out_fmt_duration(slo_s, a, sizeof a));
  else {
    char after_end[96] = "", d[32];
    if (end_s > t0 && v->start[j] > end_s)
      snprintf(after_end, sizeof after_end, " (%s after its window ended)",
               out_fmt_duration(v->start[j] - end_s, d, sizeof d));
    snprintf(buf, len, " Recovery time %s%s: p99 was back under the SLO (%s) at %s and stayed "
             "there for %d intervals%s.", out_fmt_duration(fmax(0, v->start[j] - t0), a, sizeof a),
             after_end, out_fmt_duration(slo_s, b, sizeof b),
             out_fmt_clock(v->start[j], c, sizeof c), OUT_FAULT_STABLE_INTERVALS, before);
  }
}

static void fault_note(out_notes *n, const out_run_platform *p, size_t row, double slo_s) {
  const out_decision_row *d = &p->decisions[row];
  char when[32], recovery[512], ready[160] = "", a[32], b[32];
  fault_view v;
  if (!fault_view_open(p, &v)) {
    note(n, "Fault %s at %s on %s (%s): no time series, so its effect cannot be shown.",
         d->status, out_fmt_clock(d->t_s, when, sizeof when), p->name, d->reason);
    return;
  }
  double end_s = fault_end_s(p, row), until_s;
  size_t k0 = interval_at(&v, d->t_s);
  recovery_text(&v, k0, d->t_s, end_s, slo_s, recovery, sizeof recovery, &until_s);
  double res = v.n > 1 ? v.start[1] - v.start[0] : 0;
  until_s = fmin(until_s, v.start[v.n - 1] + res); /* not beyond the run */
  size_t k1 = k0 + 1;
  while (k1 < v.n && v.start[k1] < until_s) k1++;
  double errors = errors_between(p, v.start[k0], until_s);
  double peak = p99_peak(&v, k0, k1);
  bool takes = strcmp(d->metric, "lose_instances") == 0 || strcmp(d->metric, "lose_zone") == 0;
  if (takes && d->value > 0) {
    double back = ready_back_s(&v, k0);
    if (isnan(back))
      snprintf(ready, sizeof ready, " Ready instances did not return to their level before it "
               "(%.3g).", ready_level(&v, k0));
    else
      snprintf(ready, sizeof ready, " Ready instances were back at their level before it "
               "(%.3g) %s after it began.", ready_level(&v, k0),
               out_fmt_duration(back - d->t_s, a, sizeof a));
  }
  note(n, "Fault %s on %s at %s (%s): %.0f errors and a p99 peak of %s from its start to %s.%s%s",
       d->status, p->name, out_fmt_clock(d->t_s, when, sizeof when), d->reason, errors,
       out_fmt_duration(peak, b, sizeof b), out_fmt_clock(until_s, a, sizeof a), recovery, ready);
}

static void fault_notes(out_notes *n, const out_run *run, const out_run_platform *p) {
  double slo_s = slo_p99_s(run);
  size_t shown = 0, more = 0;
  for (size_t i = 0; i < p->n_decisions; i++) {
    if (!is_fault_begin(&p->decisions[i])) continue;
    if (shown < OUT_FAULT_NOTES_MAX) {
      fault_note(n, p, i, slo_s);
      shown++;
    } else {
      more++;
    }
  }
  if (more) note(n, "%s met %zu more faults (decisions.csv lists them all).", p->name, more);
}

/* --- comparisons ------------------------------------------------------------------- */

static size_t best_by(const out_run *run, const char *key, bool lowest) {
  size_t best = (size_t)-1;
  for (size_t i = 0; i < run->n_platforms; i++) {
    double v = out_run_value(&run->platforms[i], key);
    if (isnan(v)) continue;
    double bv = best == (size_t)-1 ? NAN : out_run_value(&run->platforms[best], key);
    if (best == (size_t)-1 || (lowest ? v < bv : v > bv)) best = i;
  }
  return best;
}

static void cost_note(out_notes *n, const out_run *run) {
  size_t b = best_by(run, "cost_usd", true);
  if (b == (size_t)-1 || run->n_platforms < 2) return;
  double base = out_run_value(&run->platforms[b], "cost_usd");
  char others[1024] = "";
  size_t used = 0;
  for (size_t i = 0; i < run->n_platforms && used < sizeof others; i++) {
    double v = out_run_value(&run->platforms[i], "cost_usd");
    if (i == b || isnan(v)) continue;
    int w = base > 0 ? snprintf(others + used, sizeof others - used, "%s%s $%.2f (%.2fx)",
                                used ? ", " : "", run->platforms[i].name, v, v / base)
                     : snprintf(others + used, sizeof others - used, "%s%s $%.2f",
                                used ? ", " : "", run->platforms[i].name, v);
    used += w > 0 ? (size_t)w : 0;
  }
  note(n, "Cost: %s is cheapest at $%.2f ($%.2f per million requests); %s.",
       run->platforms[b].name, base, out_run_value(&run->platforms[b], "cost_per_million_usd"),
       others[0] ? others : "no other platform has a cost");
}

static void latency_note(out_notes *n, const out_run *run) {
  size_t b = best_by(run, "latency_p99_s", true);
  if (b == (size_t)-1 || run->n_platforms < 2) return;
  char a[32], list[1024] = "";
  size_t used = 0;
  for (size_t i = 0; i < run->n_platforms && used < sizeof list; i++) {
    double v = out_run_value(&run->platforms[i], "latency_p99_s");
    if (i == b || isnan(v)) continue;
    int w = snprintf(list + used, sizeof list - used, "%s%s %s", used ? ", " : "",
                     run->platforms[i].name, out_fmt_duration(v, a, sizeof a));
    used += w > 0 ? (size_t)w : 0;
  }
  note(n, "Latency: %s has the lowest p99 (%s); %s.", run->platforms[b].name,
       out_fmt_duration(out_run_value(&run->platforms[b], "latency_p99_s"), a, sizeof a),
       list[0] ? list : "no other platform completed a request");
}

/* What each error code means in scalesim's models (DESIGN.md §4). */
static const struct {
  const char *key, *meaning;
} error_codes[] = {
    {"errors_429", "429: the pending queue's limit expired (Cloud Run)"},
    {"errors_500", "500: failed in the instance"},
    {"errors_502", "502: the target closed the connection (killed mid-request)"},
    {"errors_503", "503: no healthy target, or the queue was full"},
    {"errors_504", "504: request or load-balancer timeout"},
};

static void errors_note(out_notes *n, const out_run_platform *p) {
  double total = out_run_value(p, "errors_total");
  if (!(total > 0)) return;
  size_t worst = 0;
  for (size_t k = 1; k < sizeof error_codes / sizeof error_codes[0]; k++)
    if (out_run_value(p, error_codes[k].key) > out_run_value(p, error_codes[worst].key))
      worst = k;
  note(n, "Errors: %s failed %.0f requests (%.3g%% of all), most of them %s (%.0f).", p->name,
       total, 100 * out_run_value(p, "error_rate"), error_codes[worst].meaning,
       out_run_value(p, error_codes[worst].key));
}

static void cold_note(out_notes *n, const out_run_platform *p) {
  double starts = out_run_value(p, "instance_starts"), cold = out_run_value(p, "cold_requests");
  double requests = out_run_value(p, "requests"), wait = out_run_value(p, "cold_wait_s");
  if (!(starts > 0)) return;
  char a[32];
  if (cold > 0)
    note(n, "Cold starts: %s started %.0f instances; %.0f requests (%.3g%%) waited for one, "
         "%s on average.", p->name, starts, cold, requests > 0 ? 100 * cold / requests : 0,
         out_fmt_duration(wait / cold, a, sizeof a));
  else
    note(n, "Cold starts: %s started %.0f instances and no request waited for one.", p->name,
         starts);
}

static void utilisation_note(out_notes *n, const out_run *run, const out_run_platform *p) {
  double util = out_run_value(p, "cpu_utilization_mean");
  if (isnan(util)) return;
  double t = out_run_cpu_target_pct(run, p->name);
  char target[96] = "";
  if (!isnan(t)) snprintf(target, sizeof target, " against a target of %g%%", t);
  note(n, "Utilisation: %s kept %.3g instances on average (at most %.0f) at %.1f%% mean CPU%s.",
       p->name, out_run_value(p, "instances_mean"), out_run_value(p, "instances_max"),
       100 * util, target);
}

/* How a platform's desired count moved over the run, from its decisions. */
static void scaling_note(out_notes *n, const out_run_platform *p) {
  size_t ups = 0, downs = 0;
  const out_decision_row *first = NULL, *peak = NULL;
  for (size_t i = 0; i < p->n_decisions; i++) {
    const out_decision_row *d = &p->decisions[i];
    if (isnan(d->old_desired) || isnan(d->new_desired) || d->new_desired == d->old_desired)
      continue;
    if (!first) first = d;
    if (d->new_desired > d->old_desired) ups++;
    else downs++;
    if (!peak || d->new_desired > peak->new_desired) peak = d;
  }
  if (!first) return;
  char a[32], b[32], c[32];
  note(n, "Scaling: %s changed its desired count %zu times (%zu up, %zu down): first at %s "
       "(%g to %g); it reached its highest, %g, at %s, %s after the first change.",
       p->name, ups + downs, ups, downs, out_fmt_clock(first->t_s, a, sizeof a),
       first->old_desired, first->new_desired, peak->new_desired,
       out_fmt_clock(peak->t_s, b, sizeof b), out_fmt_duration(peak->t_s - first->t_s, c, sizeof c));
}

/* A time series longer than the report holds was merged on reading
 * (out_series_read): charts and notes see coarser intervals. */
static void merged_series_note(out_notes *n, const out_run *run) {
  for (size_t i = 0; i < run->n_platforms; i++) {
    const out_run_platform *p = &run->platforms[i];
    if (p->ts_per_row > 1)
      note(n, "%s's timeseries.csv has more rows than the report holds (%zu): its charts and "
           "these notes merge every %zu intervals into one (counts added, gauges averaged, "
           "latency quantiles the worst of them). The file itself is whole.",
           p->name, (size_t)OUT_SERIES_MAX_ROWS, p->ts_per_row);
  }
}

void out_notes_build(const out_run *run, out_notes *n) {
  out_surge s = {0};
  char a[32], b[32];
  merged_series_note(n, run);
  if (out_find_surge(run, &s)) {
    note(n, "The largest surge: arrivals rose from %.3g/s to %.3g/s, starting at %s (peak "
         "interval at %s). Reactions below are measured from its start.",
         s.rate_before, s.rate_peak, out_fmt_clock(s.start_s, a, sizeof a),
         out_fmt_clock(s.peak_s, b, sizeof b));
    for (size_t i = 0; i < run->n_platforms; i++) reaction_note(n, &run->platforms[i], &s);
  } else {
    note(n, "No surge: the arrival rate never rose by half within %s beyond Poisson noise, so "
         "there is no reaction to measure.", out_fmt_duration(OUT_SURGE_WINDOW_S, a, sizeof a));
  }
  for (size_t i = 0; i < run->n_platforms; i++) fault_notes(n, run, &run->platforms[i]);
  for (size_t i = 0; i < run->n_platforms; i++) scaling_note(n, &run->platforms[i]);
  cost_note(n, run);
  latency_note(n, run);
  for (size_t i = 0; i < run->n_platforms; i++) errors_note(n, &run->platforms[i]);
  for (size_t i = 0; i < run->n_platforms; i++) cold_note(n, &run->platforms[i]);
  for (size_t i = 0; i < run->n_platforms; i++) utilisation_note(n, run, &run->platforms[i]);
}

/* kpa_stats.c — reporters, scraper arithmetic and collector of the KPA metric
 * pipeline (see kpa_stats.h; spec cloudrun.md §B.3). */
#include "models/cloudrun/kpa_stats.h"

#include <math.h>

#include "sim/error.h"

void kpa_reporter_init(kpa_reporter *r, double now_s) {
  *r = (kpa_reporter){.origin_s = now_s, .in_use_from_s = now_s, .last_change_s = now_s};
}

static double period_start(const kpa_reporter *r) {
  return r->origin_s + (double)r->period * KPA_REPORT_PERIOD_S;
}

static double period_end(const kpa_reporter *r) {
  return r->origin_s + (double)(r->period + 1) * KPA_REPORT_PERIOD_S;
}

/* compute(now): integrates the concurrencies since the last change. */
static void compute(kpa_reporter *r, double now_s) {
  double dt = now_s - r->last_change_s;
  if (dt > 0) {
    r->acc_concurrency += r->concurrency * dt;
    r->acc_proxied += r->proxied_concurrency * dt;
    r->last_change_s = now_s;
  }
}

/* Closes every period that ended by now_s: the first with its accumulated
 * values, any later ones (nothing changed in them) with the constant
 * concurrencies and no requests. The averages divide by the seconds in use:
 * the whole period, or the part after a restart (Report: 0 when none). */
static void roll(kpa_reporter *r, double now_s) {
  if (now_s < period_end(r)) return;
  double end = period_end(r);
  double in_use = r->in_use_from_s > period_start(r) ? end - r->in_use_from_s
                                                     : KPA_REPORT_PERIOD_S;
  compute(r, end);
  r->last = (kpa_stat){in_use > 0 ? r->acc_concurrency / in_use : 0,
                       in_use > 0 ? r->acc_proxied / in_use : 0,
                       r->requests / KPA_REPORT_PERIOD_S,
                       r->proxied_requests / KPA_REPORT_PERIOD_S};
  r->acc_concurrency = r->acc_proxied = r->requests = r->proxied_requests = 0;
  r->period++;
  int64_t idle = (int64_t)floor((now_s - r->origin_s) / KPA_REPORT_PERIOD_S) - r->period;
  if (idle > 0) {
    r->last = (kpa_stat){r->concurrency, r->proxied_concurrency, 0, 0};
    r->period += idle;
    r->last_change_s = r->origin_s + (double)r->period * KPA_REPORT_PERIOD_S;
  }
}

void kpa_reporter_restart(kpa_reporter *r, double now_s) {
  roll(r, now_s);
  r->acc_concurrency = r->acc_proxied = r->requests = r->proxied_requests = 0;
  r->in_use_from_s = now_s;
  r->last_change_s = now_s;
}

void kpa_reporter_in(kpa_reporter *r, double now_s, bool proxied) {
  roll(r, now_s);
  compute(r, now_s);
  r->requests++;
  r->concurrency++;
  if (proxied) {
    r->proxied_requests++;
    r->proxied_concurrency++;
  }
}

void kpa_reporter_out(kpa_reporter *r, double now_s, bool proxied) {
  roll(r, now_s);
  compute(r, now_s);
  SIM_ASSERT(r->concurrency > 0 && (!proxied || r->proxied_concurrency > 0));
  r->concurrency--;
  if (proxied) r->proxied_concurrency--;
}

kpa_stat kpa_reporter_report(kpa_reporter *r, double now_s) {
  roll(r, now_s);
  return r->last;
}

int kpa_scrape_sample_size(int n_pods) {
  if (n_pods <= 0) return 0;
  if (n_pods <= 3) return n_pods;
  const double x = 1.96 * 1.96 * 100 / (5.0 * 5.0); /* 15.3664 */
  return (int)ceil(n_pods * x / (n_pods + x - 1));
}

void kpa_stat_add(kpa_stat *sum, const kpa_stat *s) {
  sum->avg_concurrency += s->avg_concurrency;
  sum->avg_proxied_concurrency += s->avg_proxied_concurrency;
  sum->request_count += s->request_count;
  sum->proxied_request_count += s->proxied_request_count;
}

kpa_stat kpa_stat_extrapolate(const kpa_stat *sum, int n_sampled, int n_pods) {
  double f = (double)n_pods;
  double n = (double)n_sampled;
  return (kpa_stat){sum->avg_concurrency / n * f, sum->avg_proxied_concurrency / n * f,
                    sum->request_count / n * f, sum->proxied_request_count / n * f};
}

struct kpa_collector {
  kpa_window *stable_conc, *panic_conc, *stable_rps, *panic_rps;
  bool scrape_target;
};

kpa_collector *kpa_collector_alloc(int stable_window_s, int panic_window_s,
                                   kpa_window_algo algo, bool scrape_target) {
  kpa_collector *c = sim_xcalloc(1, sizeof *c);
  c->stable_conc = kpa_window_alloc(stable_window_s, algo);
  c->panic_conc = kpa_window_alloc(panic_window_s, algo);
  c->stable_rps = kpa_window_alloc(stable_window_s, algo);
  c->panic_rps = kpa_window_alloc(panic_window_s, algo);
  c->scrape_target = scrape_target;
  return c;
}

void kpa_collector_free(kpa_collector *c) {
  if (!c) return;
  kpa_window_free(c->stable_conc);
  kpa_window_free(c->panic_conc);
  kpa_window_free(c->stable_rps);
  kpa_window_free(c->panic_rps);
  free(c);
}

void kpa_collector_record(kpa_collector *c, double now_s, const kpa_stat *stat) {
  /* Proxied requests are reported by the activator too: count them once. */
  double conc = stat->avg_concurrency - stat->avg_proxied_concurrency;
  double rps = stat->request_count - stat->proxied_request_count;
  kpa_window_record(c->stable_conc, now_s, conc);
  kpa_window_record(c->panic_conc, now_s, conc);
  kpa_window_record(c->stable_rps, now_s, rps);
  kpa_window_record(c->panic_rps, now_s, rps);
}

bool kpa_collector_stable_and_panic(const kpa_collector *c, double now_s, kpa_metric metric,
                                    double *stable, double *panic) {
  const kpa_window *s = metric == KPA_METRIC_RPS ? c->stable_rps : c->stable_conc;
  const kpa_window *p = metric == KPA_METRIC_RPS ? c->panic_rps : c->panic_conc;
  if (kpa_window_is_empty(s, now_s) && c->scrape_target) return false;
  *stable = kpa_window_average(s, now_s);
  *panic = kpa_window_average(p, now_s);
  return true;
}

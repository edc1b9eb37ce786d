/* kpa_stats.h — the KPA metric pipeline up to the decider (spec cloudrun.md
 * §B.3): per-pod and activator reporters, the scraper's sample size and
 * extrapolation, and the metric collector's four windows.
 *
 *   queue-proxy / activator reporter (knative/networking pkg/http/stats/
 *   request.go; knative/serving pkg/queue/sharedmain/main.go reportingPeriod,
 *   pkg/activator/handler/concurrency_reporter.go reportInterval): every 1 s,
 *   the time-averaged concurrency and the request count of the last second,
 *   split into all and proxied (arrived through the activator) requests;
 *   scraper (pkg/autoscaler/metrics/stats_scraper.go, sample_size.go): the
 *   stats of n of the N ready pods, averaged and multiplied by N — a
 *   revision-wide total;
 *   collector (pkg/autoscaler/metrics/collector.go): records concurrency and
 *   RPS net of the proxied part (which the activator reports itself) into a
 *   stable and a panic window each, and reports ErrNoData while the stable
 *   window is empty and pods are being scraped.
 *
 * Reporters are rolled lazily: a period is closed when the reporter is next
 * touched, so a request costs O(1) and an idle pod costs nothing. */
#ifndef CRUN_KPA_STATS_H
#define CRUN_KPA_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cloudrun/kpa.h"
#include "models/cloudrun/kpa_window.h"

/* queue-proxy reportingPeriod and activator reportInterval; the scraper and
 * the collector's scrape tick are also 1 s (collector.go scrapeTickInterval). */
#define KPA_REPORT_PERIOD_S 1.0

/* One stat, as the protobuf Stat carries it. */
typedef struct kpa_stat {
  double avg_concurrency;         /* AverageConcurrentRequests */
  double avg_proxied_concurrency; /* AverageProxiedConcurrentRequests */
  double request_count;           /* RequestCount (per second) */
  double proxied_request_count;   /* ProxiedRequestCount (per second) */
} kpa_stat;

/* A reporter (queue-proxy of one pod, or the activator). Plain struct so that
 * it can live inside a pod's own data. */
typedef struct kpa_reporter {
  double origin_s;       /* start of period 0 */
  int64_t period;        /* index of the period being accumulated */
  double in_use_from_s;  /* secondsInUse counts from here (a restart mid-period) */
  double last_change_s;  /* lastChange */
  int concurrency, proxied_concurrency;
  double acc_concurrency, acc_proxied; /* computedConcurrency, computedProxiedConcurrency */
  double requests, proxied_requests;   /* requestCount, proxiedCount */
  kpa_stat last;         /* the report of the last completed period */
} kpa_reporter;

/* Starts a reporter at now_s; its periods are [now + k, now + k + 1). */
void kpa_reporter_init(kpa_reporter *r, double now_s);
/* A fresh RequestStats at now_s on the same period grid: the accumulators
 * restart, and the period now_s falls in is averaged over the seconds in use
 * since now_s, not over the whole period (request.go NewRequestStats and
 * Report: computedConcurrency / secondsInUse). The activator creates one at a
 * revision's first request (concurrency_reporter.go getOrCreateStat). The
 * concurrencies carry over. */
void kpa_reporter_restart(kpa_reporter *r, double now_s);
/* A request enters (ReqIn / ProxiedIn) or leaves (ReqOut / ProxiedOut). */
void kpa_reporter_in(kpa_reporter *r, double now_s, bool proxied);
void kpa_reporter_out(kpa_reporter *r, double now_s, bool proxied);
/* The latest completed period's report as of now_s (all zero before the first
 * period ends). */
kpa_stat kpa_reporter_report(kpa_reporter *r, double now_s);

/* populationMeanSampleSize: N for N <= 3, else ceil(N X / (N + X - 1)) with
 * X = 1.96^2 * 100 / 5^2 (95% confidence, 5% error). 0 for N <= 0. */
int kpa_scrape_sample_size(int n_pods);

/* Adds `s` into `sum` field by field (the scraper's accumulation). */
void kpa_stat_add(kpa_stat *sum, const kpa_stat *s);
/* The scraper's revision-wide stat: sum / n_sampled * n_pods. */
kpa_stat kpa_stat_extrapolate(const kpa_stat *sum, int n_sampled, int n_pods);

typedef struct kpa_collector kpa_collector;

/* A collector with a stable and a panic window (whole seconds) of the given
 * algorithm. scrape_target false models TBC = -1, where the pods are not
 * scraped and only the activator reports (kpa.go resolveScrapeTarget). */
kpa_collector *kpa_collector_alloc(int stable_window_s, int panic_window_s,
                                   kpa_window_algo algo, bool scrape_target);
void kpa_collector_free(kpa_collector *c);

/* collection.record: concurrency and RPS net of their proxied parts go into
 * both windows at now_s. */
void kpa_collector_record(kpa_collector *c, double now_s, const kpa_stat *stat);

/* StableAndPanicConcurrency / StableAndPanicRPS as of now_s. Returns false
 * (ErrNoData) when the stable window is empty and pods are scraped. */
bool kpa_collector_stable_and_panic(const kpa_collector *c, double now_s, kpa_metric metric,
                                    double *stable, double *panic);

#endif

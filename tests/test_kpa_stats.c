/* test_kpa_stats.c — the KPA metric pipeline: the collector against spec
 * cloudrun.md C.3 B15-B19 (knative/serving pkg/autoscaler/metrics/
 * collector_test.go), the scraper sample size against C.6 (sample_size_test.go),
 * and the queue-proxy / activator reporter against the rule of
 * knative/networking pkg/http/stats/request.go (hand-worked periods). */
#include "models/cloudrun/kpa_stats.h"
#include "tests/check.h"

static void test_aggregate(void) {
  kpa_collector *c = kpa_collector_alloc(6, 2, KPA_WINDOW_LINEAR, true);
  for (int i = 0; i < 10; i++) {
    kpa_stat s = {.avg_concurrency = i + 5, .request_count = i + 5};
    kpa_collector_record(c, 100 + i, &s);
  }
  double st = -1, pa = -1;
  CHECK(kpa_collector_stable_and_panic(c, 109, KPA_METRIC_CONCURRENCY, &st, &pa), "B15 has data");
  CHECK_ABS(st, 11.5, 0, "B15 TestMetricCollectorAggregate: stable 11.5");
  CHECK_ABS(pa, 13.5, 0, "B15 TestMetricCollectorAggregate: panic 13.5");
  kpa_collector_free(c);
}

static void test_scraper_moving_time(void) {
  kpa_collector *c = kpa_collector_alloc(60, 6, KPA_WINDOW_LINEAR, true);
  kpa_stat s = {.avg_concurrency = 10, .request_count = 20};
  for (int i = 0; i < 3; i++) kpa_collector_record(c, 100, &s);
  for (int i = 0; i < 4; i++) kpa_collector_record(c, 101, &s);
  double st, pa;
  kpa_collector_stable_and_panic(c, 101, KPA_METRIC_CONCURRENCY, &st, &pa);
  CHECK_ABS(st, 35, 0, "B16 TestMetricCollectorScraperMovingTime: stable conc 70/2");
  CHECK_ABS(pa, 35, 0, "B16 panic conc 35");
  kpa_collector_stable_and_panic(c, 101, KPA_METRIC_RPS, &st, &pa);
  CHECK_ABS(st, 70, 0, "B16 stable rps 70");
  CHECK_ABS(pa, 70, 0, "B16 panic rps 70");
  kpa_collector_free(c);
}

static void test_scraper(void) {
  kpa_collector *c = kpa_collector_alloc(60, 6, KPA_WINDOW_LINEAR, true);
  kpa_stat s = {.avg_concurrency = 10, .request_count = 20};
  for (int i = 0; i < 3; i++) kpa_collector_record(c, 100, &s);
  double st, pa;
  kpa_collector_stable_and_panic(c, 100, KPA_METRIC_CONCURRENCY, &st, &pa);
  CHECK_ABS(st, 30, 0, "B17 TestMetricCollectorScraper: stable 30");
  CHECK_ABS(pa, 30, 0, "B17 panic 30");
  kpa_collector_stable_and_panic(c, 100, KPA_METRIC_RPS, &st, &pa);
  CHECK_ABS(st, 60, 0, "B17 rps 60");
  for (int i = 0; i < 2; i++) kpa_collector_record(c, 100, &s);
  kpa_collector_stable_and_panic(c, 155, KPA_METRIC_CONCURRENCY, &st, &pa);
  CHECK_ABS(st, 50, 0, "B17 two more scrapes, queried 55 s later: stable 50");
  kpa_collector_stable_and_panic(c, 155, KPA_METRIC_RPS, &st, &pa);
  CHECK_ABS(st, 100, 0, "B17 rps 100");
  kpa_collector_free(c);
}

static void test_record(void) {
  kpa_collector *c = kpa_collector_alloc(60, 6, KPA_WINDOW_LINEAR, true);
  kpa_stat old = {.avg_concurrency = 100};
  kpa_collector_record(c, 100 - 70, &old);
  kpa_stat now = {.avg_concurrency = 20, .avg_proxied_concurrency = 10,
                  .request_count = 30, .proxied_request_count = 20};
  kpa_collector_record(c, 100, &now);
  double st, pa;
  kpa_collector_stable_and_panic(c, 100, KPA_METRIC_CONCURRENCY, &st, &pa);
  CHECK_ABS(st, 10, 0, "B18 TestMetricCollectorRecord: stable conc net of proxied");
  CHECK_ABS(pa, 10, 0, "B18 panic conc");
  kpa_collector_stable_and_panic(c, 100, KPA_METRIC_RPS, &st, &pa);
  CHECK_ABS(st, 10, 0, "B18 stable rps");
  CHECK_ABS(pa, 10, 0, "B18 panic rps");
  kpa_collector_free(c);
}

static void test_no_data(void) {
  kpa_collector *c = kpa_collector_alloc(60, 6, KPA_WINDOW_LINEAR, true);
  double st, pa;
  CHECK(!kpa_collector_stable_and_panic(c, 100, KPA_METRIC_CONCURRENCY, &st, &pa),
        "B19 TestMetricCollectorNoDataError: ErrNoData with a scrape target");
  kpa_collector_free(c);
  c = kpa_collector_alloc(60, 6, KPA_WINDOW_LINEAR, false);
  CHECK(kpa_collector_stable_and_panic(c, 100, KPA_METRIC_CONCURRENCY, &st, &pa),
        "no scrape target (TBC -1): no ErrNoData");
  CHECK_ABS(st, 0, 0, "no scrape target: stable 0");
  kpa_collector_free(c);
}

static void test_sample_size(void) {
  static const int pods[] = {0, 1, 2, 5, 10, 100, 1000};
  static const int want[] = {0, 1, 2, 4, 7, 14, 16};
  for (int i = 0; i < 7; i++)
    CHECK_INT(kpa_scrape_sample_size(pods[i]), want[i], "C.6 TestSampleSize: N = %d", pods[i]);
  kpa_stat sum = {0};
  kpa_stat a = {.avg_concurrency = 2, .request_count = 4};
  kpa_stat b = {.avg_concurrency = 4, .avg_proxied_concurrency = 1, .request_count = 8};
  kpa_stat_add(&sum, &a);
  kpa_stat_add(&sum, &b);
  kpa_stat x = kpa_stat_extrapolate(&sum, 2, 10);
  CHECK_ABS(x.avg_concurrency, 30, 0, "scrape: mean 3 of 2 sampled x 10 pods");
  CHECK_ABS(x.avg_proxied_concurrency, 5, 0, "scrape: proxied mean 0.5 x 10 pods");
  CHECK_ABS(x.request_count, 60, 0, "scrape: requests mean 6 x 10 pods");
}

static void test_reporter(void) {
  kpa_reporter r;
  kpa_reporter_init(&r, 10);
  kpa_stat s = kpa_reporter_report(&r, 10.5);
  CHECK_ABS(s.avg_concurrency, 0, 0, "no report before the first period ends");
  /* "2 requests each taking 500ms over a 1s reporting window generate an
   * average concurrency of 1" (request.go). */
  kpa_reporter_in(&r, 10.0, false);
  kpa_reporter_out(&r, 10.5, false);
  kpa_reporter_in(&r, 10.5, true);
  kpa_reporter_out(&r, 11.0, true);
  s = kpa_reporter_report(&r, 11.0);
  CHECK_ABS(s.avg_concurrency, 1, 1e-15, "two 500 ms requests: average concurrency 1");
  CHECK_ABS(s.avg_proxied_concurrency, 0.5, 1e-15, "one of them proxied: 0.5");
  CHECK_ABS(s.request_count, 2, 0, "request count 2");
  CHECK_ABS(s.proxied_request_count, 1, 0, "proxied count 1");
  /* A request held across several periods: later periods report its
   * concurrency with no new requests. */
  kpa_reporter_in(&r, 11.25, false);
  s = kpa_reporter_report(&r, 12.0);
  CHECK_ABS(s.avg_concurrency, 0.75, 1e-15, "period [11,12): 0.75");
  CHECK_ABS(s.request_count, 1, 0, "period [11,12): one request");
  s = kpa_reporter_report(&r, 14.5);
  CHECK_ABS(s.avg_concurrency, 1, 0, "period [13,14): constant 1");
  CHECK_ABS(s.request_count, 0, 0, "period [13,14): no requests");
  kpa_reporter_out(&r, 14.75, false);
  s = kpa_reporter_report(&r, 15.0);
  CHECK_ABS(s.avg_concurrency, 0.75, 1e-15, "period [14,15): 0.75");
}

/* The activator's stats entry is a RequestStats created at the revision's
 * first request (concurrency_reporter.go getOrCreateStat, request.go
 * NewRequestStats): its first report averages over the seconds in use since
 * then, not over the whole reporting period. */
static void test_reporter_restart(void) {
  kpa_reporter r;
  kpa_reporter_init(&r, 0);
  kpa_stat s = kpa_reporter_report(&r, 20.5);
  CHECK_ABS(s.avg_concurrency, 0, 0, "restart: idle before");
  kpa_reporter_restart(&r, 20.75);
  for (int i = 0; i < 5; i++) kpa_reporter_in(&r, 20.75, true);
  s = kpa_reporter_report(&r, 21);
  CHECK_ABS(s.avg_concurrency, 5, 1e-12,
            "restart at 20.75: 5 requests over the 0.25 s in use average 5, not 1.25");
  CHECK_ABS(s.avg_proxied_concurrency, 5, 1e-12, "restart: proxied likewise");
  CHECK_ABS(s.request_count, 5, 0, "restart: 5 requests");
  kpa_reporter_out(&r, 21.5, true);
  s = kpa_reporter_report(&r, 22);
  CHECK_ABS(s.avg_concurrency, 4.5, 1e-12, "the next period is a whole second again");
  kpa_reporter_restart(&r, 23);
  s = kpa_reporter_report(&r, 23);
  CHECK_ABS(s.avg_concurrency, 4, 0, "restart on a period boundary: the closed period stands");
  s = kpa_reporter_report(&r, 24);
  CHECK_ABS(s.avg_concurrency, 4, 0, "restart on a boundary: a whole period in use");
}

int main(void) {
  check_init();
  test_aggregate();
  test_scraper_moving_time();
  test_scraper();
  test_record();
  test_no_data();
  test_sample_size();
  test_reporter();
  test_reporter_restart();
  return check_done();
}

/* test_dist.c — service-time distributions (workloads/dist.c) and the Poisson
 * generator (workloads/poisson.c): sample means and quantiles against the
 * analytic ones over 10^6 draws (fixed seeds) for every distribution, the
 * lognormal median/p99 parameterisation, the schema's parameter checks, and
 * the generator's rate, order, determinism and stream separation. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <libfyaml.h>
#include <math.h>
#include <stdlib.h>

#include "sim/cfg.h"
#include "sim/rng.h"
#include "tests/check.h"
#include "workloads/dist.h"
#include "workloads/workload.h"

enum { N_DRAWS = 1000000 };

static char message[1024];

/* Reads a distribution written as YAML through wl_dist_schema (path
 * "duration"); returns the status, the error text in `message`. */
static int dist_from(const char *yaml, wl_dist *d) {
  cfg_ctx *ctx = cfg_ctx_alloc("d.yaml");
  struct fy_document *fyd = NULL;
  int rc = cfg_parse(ctx, yaml, strlen(yaml), &fyd);
  if (!rc) rc = cfg_read(ctx, fy_document_root(fyd), "duration", &wl_dist_schema, d);
  snprintf(message, sizeof message, "%s", rc ? cfg_ctx_error(ctx)->msg : "");
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  return rc;
}

/* "d.yaml:1:C: duration: " where C is the column of `word` in the one-line yaml. */
static const char *located(const char *yaml, const char *word, const char *rest) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "d.yaml:1:%d: %s", (int)(strstr(yaml, word) - yaml) + 1, rest);
  return buf;
}

/* N_DRAWS sorted draws of d from a fixed stream. */
static double *sorted_draws(const wl_dist *d, const char *stream) {
  double *x = malloc(N_DRAWS * sizeof *x);
  gsl_rng *rng = sim_rng_alloc(20240601, stream);
  for (size_t i = 0; i < N_DRAWS; i++) x[i] = wl_dist_draw(d, rng);
  gsl_rng_free(rng);
  gsl_sort(x, 1, N_DRAWS);
  return x;
}

static double quantile(const double *sorted, double p) {
  return gsl_stats_quantile_from_sorted_data(sorted, 1, N_DRAWS, p);
}

static const double probs[] = {0.1, 0.5, 0.9, 0.99};

static void test_constant(void) {
  wl_dist d;
  CHECK_INT(dist_from("{dist: constant, value: 250ms}", &d), 0, "constant reads");
  gsl_rng *rng = sim_rng_alloc(1, "test/constant");
  CHECK_ABS(wl_dist_draw(&d, rng), 0.25, 0, "constant draw");
  CHECK_ABS(wl_dist_mean(&d), 0.25, 0, "constant mean");
  gsl_rng_free(rng);
}

static void test_exponential(void) {
  wl_dist d;
  CHECK_INT(dist_from("{dist: exponential, mean: 200ms}", &d), 0, "exponential reads");
  CHECK_ABS(wl_dist_mean(&d), 0.2, 1e-15, "exponential mean");
  double *x = sorted_draws(&d, "test/exponential");
  CHECK_REL(gsl_stats_mean(x, 1, N_DRAWS), 0.2, 0.01, "exponential sample mean");
  for (size_t i = 0; i < sizeof probs / sizeof *probs; i++)
    CHECK_REL(quantile(x, probs[i]), gsl_cdf_exponential_Pinv(probs[i], 0.2), 0.01,
              "exponential quantile %g", probs[i]);
  free(x);
}

static void test_lognormal(void) {
  wl_dist d;
  CHECK_INT(dist_from("{dist: lognormal, median: 120ms, p99: 900ms}", &d), 0, "lognormal reads");
  double z = gsl_cdf_ugaussian_Pinv(0.99);
  CHECK_REL(d.mu, log(0.12), 1e-12, "mu = ln median");
  CHECK_REL(d.sigma, (log(0.9) - log(0.12)) / z, 1e-12, "sigma = (ln p99 - ln median) / z99");
  double *x = sorted_draws(&d, "test/lognormal");
  CHECK_REL(gsl_stats_mean(x, 1, N_DRAWS), wl_dist_mean(&d), 0.01, "lognormal sample mean");
  CHECK_REL(wl_dist_mean(&d), exp(d.mu + d.sigma * d.sigma / 2), 1e-12, "lognormal mean formula");
  for (size_t i = 0; i < sizeof probs / sizeof *probs; i++)
    CHECK_REL(quantile(x, probs[i]), gsl_cdf_lognormal_Pinv(probs[i], d.mu, d.sigma), 0.01,
              "lognormal quantile %g", probs[i]);
  CHECK_REL(quantile(x, 0.5), 0.12, 0.01, "sample median is the given median");
  CHECK_REL(quantile(x, 0.99), 0.9, 0.01, "sample p99 is the given p99");
  free(x);

  /* The other parameterisation gives back the same percentiles. */
  char yaml[256];
  snprintf(yaml, sizeof yaml, "{dist: lognormal, mu: %.17g, sigma: %.17g}", d.mu, d.sigma);
  wl_dist e;
  CHECK_INT(dist_from(yaml, &e), 0, "lognormal by mu and sigma reads");
  CHECK_REL(e.median, 0.12, 1e-12, "median from mu");
  CHECK_REL(e.p99, 0.9, 1e-12, "p99 from mu and sigma");
}

/* Gamma, Weibull, Pareto, empirical: the mean formula, and the sample mean and
 * quantiles of 10^6 draws within 1% of the analytic ones (GSL's inverse CDFs,
 * or the percentile table itself). */
static void check_sampled(const char *yaml, double mean, const double *p, const double *q,
                          size_t n) {
  wl_dist d;
  memset(&d, 0, sizeof d);
  if (CHECK_INT(dist_from(yaml, &d), 0, "%s reads", yaml)) {
    fprintf(stderr, "%s\n", message);
    return;
  }
  CHECK_REL(wl_dist_mean(&d), mean, 1e-12, "%s: mean formula", yaml);
  double *x = sorted_draws(&d, yaml);
  CHECK_REL(gsl_stats_mean(x, 1, N_DRAWS), mean, 0.01, "%s: sample mean", yaml);
  for (size_t i = 0; i < n; i++) {
    CHECK_REL(quantile(x, p[i]), q[i], 0.01, "%s: sample quantile %g", yaml, p[i]);
    CHECK_REL(wl_dist_quantile(&d, p[i]), q[i], 1e-9, "%s: quantile %g", yaml, p[i]);
  }
  free(x);
  cfg_free(&wl_dist_schema, &d);
}

static void test_more_distributions(void) {
  double q[4];
  for (size_t i = 0; i < 4; i++) q[i] = gsl_cdf_gamma_Pinv(probs[i], 2, 0.1);
  check_sampled("{dist: gamma, shape: 2, scale: 100ms}", 0.2, probs, q, 4);
  for (size_t i = 0; i < 4; i++) q[i] = 0.2 * pow(-log(1 - probs[i]), 1 / 1.5);
  check_sampled("{dist: weibull, shape: 1.5, scale: 200ms}", 0.2 * tgamma(1 + 1 / 1.5), probs, q, 4);
  for (size_t i = 0; i < 4; i++) q[i] = 0.05 * pow(1 - probs[i], -1 / 4.0);
  check_sampled("{dist: pareto, shape: 4, scale: 50ms}", 4 * 0.05 / 3, probs, q, 4);
  /* The table's own points, and linear in between: 0.95 is 5/9 of the way
   * from 300 ms (90th) to 1 s (99th). The mean is the area under the linear
   * quantile function. */
  const double ep[] = {0.1, 0.5, 0.9, 0.95};
  const double eq[] = {0.01 + 0.2 * 0.09, 0.1, 0.3, 0.3 + 0.7 * 5 / 9};
  double emean = 0.5 * (0.01 + 0.1) / 2 + 0.4 * (0.1 + 0.3) / 2 + 0.09 * (0.3 + 1) / 2 +
                 0.01 * (1 + 3) / 2;
  check_sampled("{dist: empirical, points: [{percentile: 0, value: 10ms}, {percentile: 50, "
                "value: 100ms}, {percentile: 90, value: 300ms}, {percentile: 99, value: 1s}, "
                "{percentile: 100, value: 3s}]}",
                emean, ep, eq, 4);

  wl_dist d;
  const char *y = "{dist: gamma, shape: 2}";
  dist_from(y, &d);
  CHECK_STR(message, "d.yaml:1:1: duration: missing required key 'scale' (dist 'gamma' takes shape and scale)",
            "gamma without its scale");
  y = "{dist: pareto, shape: 2, scale: 1s, mean: 3s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "mean", "duration: mean is not a parameter of dist 'pareto' (it takes shape and scale)"),
            "mean for a pareto");
  memset(&d, 0, sizeof d);
  y = "{dist: empirical, points: [{percentile: 0, value: 1s}, {percentile: 50, value: 500ms}, "
      "{percentile: 100, value: 2s}]}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "[", "duration.points: values must not decrease (0.5 at percentile 50 after 1 at 0)"),
            "empirical values decreasing");
  cfg_free(&wl_dist_schema, &d);
  memset(&d, 0, sizeof d);
  y = "{dist: empirical, points: [{percentile: 10, value: 1s}, {percentile: 100, value: 2s}]}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "[", "duration.points: must start at the 0th percentile and end at the 100th"),
            "empirical without its ends");
  cfg_free(&wl_dist_schema, &d);
}

static void test_schema_errors(void) {
  wl_dist d;
  const char *y = "{dist: exponential, mean: 1s, median: 2s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "median", "duration: median is not a parameter of dist 'exponential' (it takes mean)"),
            "a parameter of another distribution");
  y = "{dist: constant, mean: 1s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "mean", "duration: mean is not a parameter of dist 'constant' (it takes value)"),
            "mean for a constant");
  y = "{dist: exponential}";
  dist_from(y, &d);
  CHECK_STR(message, "d.yaml:1:1: duration: missing required key 'mean' (dist 'exponential' takes mean)",
            "exponential without its mean");
  y = "{dist: lognormal, median: 1s}";
  dist_from(y, &d);
  CHECK_STR(message,
            "d.yaml:1:1: duration: missing required key 'p99' (dist 'lognormal' takes median and p99, or mu and sigma)",
            "median without p99");
  y = "{dist: lognormal, sigma: 1}";
  dist_from(y, &d);
  CHECK_STR(message,
            "d.yaml:1:1: duration: missing required key 'mu' (dist 'lognormal' takes median and p99, or mu and sigma)",
            "sigma without mu");
  y = "{dist: lognormal, median: 1s, sigma: 1}";
  dist_from(y, &d);
  CHECK_STR(message,
            "d.yaml:1:1: duration: give median and p99, or mu and sigma, not both (dist 'lognormal')",
            "mixed parameterisations");
  y = "{dist: lognormal, median: 1s, p99: 500ms}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "500ms", "duration.p99: expected a duration above the median (1s), got '500ms'"),
            "p99 below the median");
  y = "{dist: lognormal, median: 0s, p99: 1s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "0s", "duration.median: expected a duration > 0s, got '0s'"),
            "zero median");
  y = "{dist: zipf, mean: 1s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "zipf", "duration.dist: expected one of constant, exponential, lognormal, gamma, weibull, pareto, empirical, got 'zipf'"),
            "unknown distribution");
  y = "{dist: lognormall, median: 1s, p99: 2s}";
  dist_from(y, &d);
  CHECK_STR(message, located(y, "lognormall", "duration.dist: expected one of constant, exponential, lognormal, gamma, weibull, pareto, empirical, got 'lognormall' (did you mean 'lognormal'?)"),
            "misspelt distribution");
}

/* --- the Poisson generator ---------------------------------------------------- */

static wl_config generator(const char *dist_yaml, double rate_per_s, double duration_s) {
  wl_config c = {.arrivals = {.process = WL_POISSON, .rate_per_s = rate_per_s},
                 .request = {.cpu_share = 0.6},
                 .duration_s = duration_s};
  SIM_ASSERT(dist_from(dist_yaml, &c.request.duration) == 0);
  return c;
}

static void test_poisson_rate(void) {
  /* 100/s for 10100 s: 1.01e6 arrivals expected (sd ~1000), so >= 10^6. */
  const double horizon_s = 10100;
  wl_config c = generator("{dist: exponential, mean: 100ms}", 100, horizon_s);
  wl_source *src;
  sim_error err = {0};
  CHECK_INT(wl_open(&c, 7, &src, &err), 0, "open");
  wl_request r;
  double last = 0, cpu_sum = 0, wait_sum = 0;
  size_t n = 0, disorder = 0, bad_split = 0;
  while (wl_next(src, &r, &err) == 1) {
    disorder += r.arrival_s < last;
    last = r.arrival_s;
    bad_split += r.cpu_s < 0 || r.wait_s < 0 ||
                 fabs(r.cpu_s - 0.6 * (r.cpu_s + r.wait_s)) > 1e-15 * (r.cpu_s + r.wait_s);
    cpu_sum += r.cpu_s;
    wait_sum += r.wait_s;
    n++;
  }
  CHECK(n >= 1000000, "at least 10^6 arrivals (%zu)", n);
  CHECK_REL(n / horizon_s, 100, 0.01, "mean rate");
  CHECK_INT(disorder, 0, "arrivals never go back in time");
  CHECK(last < horizon_s, "no arrival at or after the duration");
  CHECK_INT(bad_split, 0, "cpu_s = cpu_share x duration, wait_s the rest");
  CHECK_REL(cpu_sum / n, 0.06, 0.01, "mean cpu_s = cpu_share x mean duration");
  CHECK_REL(wait_sum / n, 0.04, 0.01, "mean wait_s");
  CHECK(src->produced == n, "produced counts the requests");
  CHECK_INT(wl_next(src, &r, &err), 0, "the stream stays ended");
  wl_source_free(src);
  wl_source_free(NULL);
}

/* Same seed, same stream; other service times, same arrivals; other seed, other arrivals. */
static void test_poisson_streams(void) {
  enum { N = 100000 };
  wl_config a = generator("{dist: exponential, mean: 100ms}", 50, 1e4);
  wl_config b = generator("{dist: lognormal, median: 50ms, p99: 1s}", 50, 1e4);
  wl_source *s1, *s2, *s3, *s4;
  sim_error err = {0};
  SIM_ASSERT(!wl_open(&a, 11, &s1, &err) && !wl_open(&a, 11, &s2, &err) &&
             !wl_open(&b, 11, &s3, &err) && !wl_open(&a, 12, &s4, &err));
  size_t same = 0, same_arrival = 0, moved = 0;
  wl_request r1, r2, r3, r4;
  for (int i = 0; i < N; i++) {
    SIM_ASSERT(wl_next(s1, &r1, &err) == 1 && wl_next(s2, &r2, &err) == 1 &&
               wl_next(s3, &r3, &err) == 1 && wl_next(s4, &r4, &err) == 1);
    same += r1.arrival_s == r2.arrival_s && r1.cpu_s == r2.cpu_s && r1.wait_s == r2.wait_s;
    same_arrival += r1.arrival_s == r3.arrival_s;
    moved += r1.arrival_s != r4.arrival_s;
  }
  CHECK_INT(same, N, "same seed: identical requests");
  CHECK_INT(same_arrival, N, "another service distribution does not move arrivals");
  CHECK(moved > N - 10, "another seed gives other arrivals");
  wl_source_free(s1);
  wl_source_free(s2);
  wl_source_free(s3);
  wl_source_free(s4);
}

static void test_poisson_needs_duration(void) {
  wl_config c = generator("{dist: constant, value: 1s}", 10, 0);
  wl_source *src = (wl_source *)&c; /* must be reset */
  sim_error err = {0};
  CHECK_INT(wl_open(&c, 1, &src, &err), SIM_ESCENARIO, "no duration");
  CHECK(src == NULL, "no source on error");
  CHECK_STR(err.msg, "workload.arrivals: a generator needs a scenario duration", "message");
  CHECK(wl_is_generator(&c), "arrivals make a generator");
}

int main(void) {
  check_init();
  test_constant();
  test_exponential();
  test_lognormal();
  test_more_distributions();
  test_schema_errors();
  test_poisson_rate();
  test_poisson_streams();
  test_poisson_needs_duration();
  return check_done();
}

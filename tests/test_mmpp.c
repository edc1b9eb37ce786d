/* test_mmpp.c — the 2-state MMPP generator.
 *
 * Quiet: 1000/s for a mean 40 ms; burst: 5000/s for a mean 10 ms. Over 10^7
 * arrivals the mean rate is within 1% of (λq mq + λb mb) / (mq + mb) = 1800/s
 * (the sd of the time spent bursting makes that about 7 sd). Burstiness: the
 * variance of the counts in 1-second windows matches the MMPP's
 *   Var N(t) = λ̄ t + 2 πq πb (λq - λb)² [t / r - (1 - e^{-r t}) / r²],
 * r = 1/mq + 1/mb (the integral of the state's autocovariance πq πb e^{-r u}),
 * within 5 sd of a sample variance over k windows (relative sd sqrt(2 / k)) —
 * 24 times a Poisson process's. Same seed, same stream. */
#include <math.h>

#include "tests/check.h"
#include "workloads/mmpp.h"

static const wl_dist dur = {.kind = WL_DIST_CONSTANT, .value = 0.01};

static void test_rate_and_burstiness(void) {
  wl_mmpp_cfg c = {.quiet = {1000, 0.04}, .burst = {5000, 0.01}};
  double mean = wl_mmpp_mean_rate(&c);
  CHECK_REL(mean, 1800, 1e-12, "mmpp: long-run rate formula");
  double horizon = 1e7 / mean;
  wl_source *src;
  sim_error err;
  CHECK_INT(wl_mmpp_open(&c, &dur, 1, 0, horizon, 11, &src, &err), 0, "mmpp: opens");
  wl_request r;
  long n = 0, window = 0;
  double prev = 0, s1 = 0, s2 = 0;
  long k = 0, in_window = 0;
  int ordered = 1;
  while (wl_next(src, &r, &err) == 1) {
    ordered &= r.arrival_s >= prev && r.arrival_s < horizon;
    prev = r.arrival_s;
    while (r.arrival_s >= window + 1.0) {
      s1 += in_window;
      s2 += (double)in_window * in_window;
      k++;
      in_window = 0;
      window++;
    }
    in_window++;
    n++;
  }
  wl_source_free(src);
  CHECK(n >= 9900000, "mmpp: about 10^7 arrivals (%ld)", n);
  CHECK(ordered, "mmpp: in order, before the horizon");
  CHECK_REL(n / horizon, mean, 0.01, "mmpp: mean rate within 1%%");
  double pq = 0.04 / 0.05, pb = 0.01 / 0.05, rr = 1 / 0.04 + 1 / 0.01, t = 1;
  double want = mean * t + 2 * pq * pb * (1000.0 - 5000) * (1000.0 - 5000) *
                               (t / rr - (1 - exp(-rr * t)) / (rr * rr));
  double var = (s2 - s1 * s1 / k) / (k - 1);
  CHECK_REL(var, want, 5 * sqrt(2.0 / k), "mmpp: count variance over 1 s (%.0f vs %.0f)", var,
            want);
  CHECK(var > 10 * mean, "mmpp: far burstier than Poisson");
}

static void test_determinism_and_errors(void) {
  wl_mmpp_cfg c = {.quiet = {10, 5}, .burst = {200, 1}};
  wl_source *a, *b;
  sim_error err;
  wl_mmpp_open(&c, &dur, 1, 0, 100, 3, &a, &err);
  wl_mmpp_open(&c, &dur, 1, 0, 100, 3, &b, &err);
  wl_request ra, rb;
  int same = 1;
  for (int i = 0; i < 500; i++) same &= wl_next(a, &ra, &err) == 1 && wl_next(b, &rb, &err) == 1 &&
                                       ra.arrival_s == rb.arrival_s;
  CHECK(same, "mmpp: same seed, same arrivals");
  wl_source_free(a);
  wl_source_free(b);
  CHECK_INT(wl_mmpp_open(&c, &dur, 1, 0, 0, 3, &a, &err), SIM_ESCENARIO, "mmpp: needs a horizon");
  CHECK_STR(err.msg, "workload.arrivals: a generator needs a scenario duration",
            "mmpp: horizon message");
}

int main(void) {
  check_init();
  test_rate_and_burstiness();
  test_determinism_and_errors();
  return check_done();
}

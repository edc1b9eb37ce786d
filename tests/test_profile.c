/* test_profile.c — rate profiles and the non-homogeneous Poisson generator.
 *
 * For each profile kind: the analytic integral agrees with a fine numerical
 * integration of the rate; over >= 10^6 arrivals the number generated is
 * within 1% of the integral (Poisson: sd 0.1%, so 1% is 10 sd); ten bins
 * each hold their bin's integral within 5 sd; arrivals are in order and
 * repeat for the same seed. Piecewise profiles never overshoot their points
 * (Steffen). Scenario errors come with their messages. */
#include <libfyaml.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/check.h"
#include "tests/trace_util.h"
#include "workloads/profile.h"

static const wl_dist dur = {.kind = WL_DIST_CONSTANT, .value = 0.2};

/* Simpson's rule over n (even) pieces of the profile's rate. */
static double numeric_integral(const wl_profile *p, double a, double b, int n) {
  double h = (b - a) / n, sum = wl_profile_rate(p, a) + wl_profile_rate(p, b);
  for (int i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * wl_profile_rate(p, a + i * h);
  return sum * h / 3;
}

static void check_profile(const char *name, const wl_profile_cfg *cfg, double horizon_s) {
  wl_profile *p;
  sim_error err;
  if (CHECK_INT(wl_profile_alloc(cfg, &p, &err), 0, "%s: compiles", name)) {
    fprintf(stderr, "%s\n", err.msg);
    return;
  }
  double total = wl_profile_integral(p, 0, horizon_s);
  /* Kinks (steps, spike corners) limit Simpson's accuracy: 2e6 pieces. */
  CHECK_REL(numeric_integral(p, 0, horizon_s, 2000000), total, 1e-5,
            "%s: analytic integral matches the numerical one", name);
  CHECK(total >= 1e6, "%s: at least 10^6 arrivals expected (%.0f)", name, total);

  enum { BINS = 10 };
  long bins[BINS] = {0}, n = 0;
  wl_source *src;
  CHECK_INT(wl_nhpp_open(cfg, &dur, 0.25, 0, horizon_s, 7, &src, &err), 0, "%s: opens", name);
  wl_request r;
  double prev = 0, first[3];
  int ordered = 1, cpu_ok = 1;
  while (wl_next(src, &r, &err) == 1) {
    ordered &= r.arrival_s >= prev && r.arrival_s < horizon_s;
    cpu_ok &= fabs(r.cpu_s - 0.05) < 1e-12 && fabs(r.wait_s - 0.15) < 1e-12;
    prev = r.arrival_s;
    if (n < 3) first[n] = r.arrival_s;
    bins[(int)(r.arrival_s / horizon_s * BINS)]++;
    n++;
  }
  wl_source_free(src);
  CHECK_REL((double)n, total, 0.01, "%s: %ld arrivals within 1%% of the integral", name, n);
  CHECK(ordered, "%s: arrivals in order, before the horizon", name);
  CHECK(cpu_ok, "%s: durations split by cpu_share", name);
  for (int b = 0; b < BINS; b++) {
    double want = wl_profile_integral(p, b * horizon_s / BINS, (b + 1) * horizon_s / BINS);
    CHECK_ABS((double)bins[b], want, 5 * sqrt(want) + 1, "%s: bin %d follows the rate", name, b);
  }
  wl_nhpp_open(cfg, &dur, 0.25, 0, horizon_s, 7, &src, &err);
  int same = 1;
  for (int i = 0; i < 3; i++) same &= wl_next(src, &r, &err) == 1 && r.arrival_s == first[i];
  CHECK(same, "%s: same seed, same arrivals", name);
  wl_source_free(src);
  wl_profile_free(p);
}

static void test_kinds(void) {
  wl_profile_cfg c = {.kind = WL_PROFILE_CONSTANT, .rate_per_s = 1000};
  check_profile("constant", &c, 1200);

  wl_step_cfg steps[] = {{0, 500}, {400, 2000}, {800, 1000}};
  c = (wl_profile_cfg){.kind = WL_PROFILE_STEP, .steps = {steps, 3}};
  check_profile("step", &c, 1200);

  c = (wl_profile_cfg){.kind = WL_PROFILE_RAMP, .from_per_s = 0, .to_per_s = 2000, .start_s = 100,
                       .end_s = 1000};
  check_profile("ramp", &c, 1200);

  c = (wl_profile_cfg){.kind = WL_PROFILE_SINE, .mean_per_s = 1000, .amplitude_per_s = 800,
                       .period_s = 300, .peak_at_s = 50};
  check_profile("sine", &c, 1250);

  c = (wl_profile_cfg){.kind = WL_PROFILE_DIURNAL, .min_per_s = 10, .max_per_s = 30,
                       .peak_at_s = 14 * 3600};
  check_profile("diurnal", &c, 86400);

  trace_write("/tmp/scalesim_test_profile.csv",
              "time,rate\n0,100\n300,2000\n600,500\n900,1500\n1200,1000\n");
  c = (wl_profile_cfg){.kind = WL_PROFILE_PIECEWISE, .path = "/tmp/scalesim_test_profile.csv"};
  check_profile("piecewise", &c, 1400);

  wl_spike_cfg spikes[] = {{200, 3000, 60, 120, 300}, {900, 1000, 0, 30, 0}};
  c = (wl_profile_cfg){.kind = WL_PROFILE_CONSTANT, .rate_per_s = 500, .spikes = {spikes, 2}};
  check_profile("constant + flash crowds", &c, 1200);
}

static void test_shapes(void) {
  wl_profile *p;
  sim_error err;
  wl_profile_cfg c = {.kind = WL_PROFILE_PIECEWISE, .path = "/tmp/scalesim_test_profile.csv"};
  wl_profile_alloc(&c, &p, &err);
  /* Between two points the rate stays between their values (no overshoot). */
  const double x[] = {0, 300, 600, 900, 1200}, y[] = {100, 2000, 500, 1500, 1000};
  int within = 1;
  for (int i = 0; i < 4; i++)
    for (double t = x[i]; t <= x[i + 1]; t += 1) {
      double v = wl_profile_rate(p, t);
      within &= v >= fmin(y[i], y[i + 1]) - 1e-9 && v <= fmax(y[i], y[i + 1]) + 1e-9;
    }
  CHECK(within, "piecewise: monotone between its points (Steffen)");
  CHECK_REL(wl_profile_rate(p, 300), 2000, 1e-12, "piecewise: passes through its points");
  CHECK_REL(wl_profile_rate(p, 5000), 1000, 0, "piecewise: holds the last rate after its end");
  wl_profile_free(p);
  remove("/tmp/scalesim_test_profile.csv");

  wl_spike_cfg spike = {100, 50, 10, 20, 40};
  c = (wl_profile_cfg){.kind = WL_PROFILE_CONSTANT, .rate_per_s = 5, .spikes = {&spike, 1}};
  wl_profile_alloc(&c, &p, &err);
  CHECK_REL(wl_profile_rate(p, 105), 30, 1e-12, "spike: half-way up");
  CHECK_REL(wl_profile_rate(p, 120), 55, 1e-12, "spike: at its peak");
  CHECK_REL(wl_profile_rate(p, 150), 30, 1e-12, "spike: half-way down");
  CHECK_REL(wl_profile_rate(p, 171), 5, 1e-12, "spike: over");
  CHECK_REL(wl_profile_bound(p, 0, 99), 5, 0, "bound: tight before the spike");
  CHECK_REL(wl_profile_bound(p, 0, 1000), 55, 0, "bound: the spike's peak");
  wl_profile_free(p);

  c = (wl_profile_cfg){.kind = WL_PROFILE_DIURNAL, .min_per_s = 10, .max_per_s = 30,
                       .peak_at_s = 14 * 3600};
  wl_profile_alloc(&c, &p, &err);
  CHECK_REL(wl_profile_rate(p, 14 * 3600), 30, 1e-12, "diurnal: max at 14:00");
  CHECK_REL(wl_profile_rate(p, 2 * 3600), 10, 1e-12, "diurnal: min at 02:00");
  CHECK_REL(wl_profile_rate(p, 38 * 3600), 30, 1e-12, "diurnal: again the next day");
  wl_profile_free(p);
}

/* Reads YAML text as a profile; returns the status, the message in msg. */
static int read_yaml(const char *text, char *msg, size_t len) {
  cfg_ctx *ctx = cfg_ctx_alloc("p.yaml");
  struct fy_document *doc = NULL;
  wl_profile_cfg c;
  memset(&c, 0, sizeof c);
  int rc = cfg_parse(ctx, text, strlen(text), &doc);
  if (rc == 0) rc = cfg_read(ctx, fy_document_root(doc), "profile", &wl_profile_schema, &c);
  snprintf(msg, len, "%s", rc ? cfg_ctx_error(ctx)->msg : "");
  cfg_free(&wl_profile_schema, &c);
  fy_document_destroy(doc);
  cfg_ctx_free(ctx);
  return rc;
}

static void test_scenario_errors(void) {
  char msg[1024];
  CHECK_INT(read_yaml("{kind: sine, mean: 10/s, amplitude: 5/s, period: 1h}", msg, sizeof msg), 0,
            "yaml sine: reads");
  struct {
    const char *yaml, *msg;
  } cases[] = {
      {"{kind: sine, mean: 10/s, amplitude: 5/s, rate: 3/s}",
       "p.yaml:1:42: profile: rate is not a parameter of profile kind 'sine'"},
      {"{kind: sine, mean: 10/s, amplitude: 5/s}",
       "p.yaml:1:1: profile: missing required key 'period' (profile kind 'sine')"},
      {"{kind: sine, mean: 10/s, amplitude: 50/s, period: 1h}",
       "p.yaml:1:1: profile: amplitude: expected at most the mean (a rate cannot go below 0)"},
      {"{kind: step, steps: [{at: 1h, rate: 5/s}, {at: 30m, rate: 9/s}]}",
       "p.yaml:1:1: profile: steps[1].at: expected a time after the previous step's"},
      {"{kind: ramp, from: 1/s, to: 5/s, start: 1h, end: 1h}",
       "p.yaml:1:1: profile: end: expected a time after start"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    CHECK_INT(read_yaml(cases[i].yaml, msg, sizeof msg), SIM_ESCENARIO, "yaml %zu: refused", i);
    CHECK_STR(msg, cases[i].msg, "yaml %zu: message", i);
  }

  trace_write("/tmp/scalesim_test_profile_bad.csv", "time,rate\n0,1\n10,x\n");
  wl_profile_cfg c = {.kind = WL_PROFILE_PIECEWISE, .path = "/tmp/scalesim_test_profile_bad.csv"};
  wl_profile *p;
  sim_error err;
  CHECK_INT(wl_profile_alloc(&c, &p, &err), SIM_EINPUT, "piecewise bad rate: input error");
  CHECK_STR(err.msg,
            "/tmp/scalesim_test_profile_bad.csv:3: rate: expected a rate >= 0 (/s), got 'x'",
            "piecewise bad rate: message");
  remove("/tmp/scalesim_test_profile_bad.csv");
}

int main(void) {
  check_init();
  test_kinds();
  test_shapes();
  test_scenario_errors();
  return check_done();
}

/* test_workload.c — the `workload:` section as scenarios write it: a trace
 * replay with its transforms, a rate profile, an MMPP, each read through
 * wl_config_schema and opened by wl_open; and the section's errors (both or
 * neither of arrivals and trace, transforms without a trace, a bad window,
 * a trace without its path or format, mmpp without its states). */
#include <libfyaml.h>
#include <math.h>
#include <string.h>

#include "tests/check.h"
#include "workloads/workload.h"

static char message[1024];

/* Reads YAML text as a workload section ("w.yaml"); status, message. */
static int workload_from(const char *yaml, wl_config *c, double duration_s) {
  cfg_ctx *ctx = cfg_ctx_alloc("w.yaml");
  struct fy_document *fyd = NULL;
  memset(c, 0, sizeof *c);
  int rc = cfg_parse(ctx, yaml, strlen(yaml), &fyd);
  if (!rc) rc = cfg_read(ctx, fy_document_root(fyd), "workload", &wl_config_schema, c);
  snprintf(message, sizeof message, "%s", rc ? cfg_ctx_error(ctx)->msg : "");
  fy_document_destroy(fyd);
  cfg_ctx_free(ctx);
  c->duration_s = duration_s;
  return rc;
}

/* Opens c and counts its requests (at most max). */
static long count(const wl_config *c, long max, double *last_s, wl_source **keep) {
  wl_source *src;
  sim_error err;
  if (wl_open(c, 42, &src, &err)) {
    snprintf(message, sizeof message, "%s", err.msg);
    return -1;
  }
  wl_request r;
  long n = 0;
  while (n < max && wl_next(src, &r, &err) == 1) {
    *last_s = r.arrival_s;
    n++;
  }
  if (keep) *keep = src;
  else wl_source_free(src);
  return n;
}

static void test_trace_section(void) {
  wl_config c;
  const char *y =
      "trace: {path: workloads/traces/nasa-http/nasa_19950801.tsv, format: tsv,"
      " status_column: response}\n"
      "start: 1h\nend: 2h\nrate_scale: 2\nfilter: {status: [200]}\n"
      "request: {duration: {dist: constant, value: 50ms}, cpu_share: 0.4}\n";
  if (CHECK_INT(workload_from(y, &c, 0), 0, "trace section reads")) {
    fprintf(stderr, "%s\n", message);
    return;
  }
  CHECK(c.has_trace && !wl_is_generator(&c), "a trace is a replay, not a generator");
  CHECK(isnan(wl_expected_requests(&c, 3600)), "a trace's size is not known in advance");
  double last = 0;
  wl_source *src;
  long n = count(&c, 100000000, &last, &src);
  /* awk: 1,219 requests from 1h to 2h; status 200 among them, twice each. */
  CHECK(n > 0 && n % 2 == 0 && n < 2 * 1219, "trace: filtered, doubled (%ld)", n);
  CHECK(last < 3600, "trace: window rebased");
  CHECK_REL(src->origin_epoch_s, 807256800 + 3600, 0, "trace: origin at the window start");
  wl_source_free(src);
  cfg_free(&wl_config_schema, &c);

  /* The scenario's duration ends a replay early. */
  workload_from(y, &c, 600);
  n = count(&c, 100000000, &last, NULL);
  CHECK(n > 0 && last < 600, "trace: the scenario duration is a horizon");
  cfg_free(&wl_config_schema, &c);
}

static void test_generators(void) {
  wl_config c;
  const char *y =
      "arrivals: {process: poisson, profile: {kind: ramp, from: 0/s, to: 200/s, end: 100s}}\n"
      "request: {duration: {dist: gamma, shape: 2, scale: 10ms}}\n";
  CHECK_INT(workload_from(y, &c, 100), 0, "profile section reads");
  CHECK(c.arrivals.has_profile && wl_is_generator(&c), "a profile makes a generator");
  double last = 0;
  long n = count(&c, 100000000, &last, NULL);
  /* The ramp's integral is 10,000: Poisson sd 100. */
  CHECK(fabs(n - 10000.0) < 500, "ramp to 200/s over 100 s: about 10,000 (%ld)", n);
  CHECK_REL(wl_expected_requests(&c, 100), 10000, 1e-9, "expected requests: the ramp's integral");
  cfg_free(&wl_config_schema, &c);

  y = "arrivals: {process: mmpp, quiet: {rate: 10/s, mean_time: 30s}, burst: {rate: 500/s, "
      "mean_time: 5s}}\n"
      "request: {duration: {dist: constant, value: 1s}}\n";
  CHECK_INT(workload_from(y, &c, 3600), 0, "mmpp section reads");
  n = count(&c, 100000000, &last, NULL);
  /* Mean rate (10 * 30 + 500 * 5) / 35 = 80/s: about 288,000 in an hour,
   * with sojourn noise of a few percent. */
  CHECK(n > 200000 && n < 380000, "mmpp: near 80/s over an hour (%ld)", n);
  CHECK_REL(wl_expected_requests(&c, 3600), 80.0 * 3600, 1e-12,
            "expected requests: the long-run mean rate times the duration");
  cfg_free(&wl_config_schema, &c);

  y = "arrivals: {process: poisson, rate: 5/s}\nrequest: {duration: {dist: constant, value: 1s}}\n";
  CHECK_INT(workload_from(y, &c, 1000), 0, "constant rate still reads");
  n = count(&c, 100000000, &last, NULL);
  CHECK(fabs(n - 5000.0) < 5 * sqrt(5000.0), "constant rate: about 5,000 (%ld)", n);
  CHECK_REL(wl_expected_requests(&c, 1000), 5000, 0, "expected requests: rate times duration");
  cfg_free(&wl_config_schema, &c);
}

static void test_errors(void) {
  const char *req = "request: {duration: {dist: constant, value: 1s}}\n";
  struct {
    const char *yaml, *msg;
  } cases[] = {
      {"trace: {path: x.csv, format: csv}\narrivals: {process: poisson, rate: 1/s}\n",
       "w.yaml:1:1: workload: give arrivals (a generator) or trace (a replay), not both"},
      {"speedup: 2\n", "w.yaml:1:1: workload: missing required key 'arrivals' (or 'trace')"},
      {"arrivals: {process: poisson, rate: 1/s}\nspeedup: 2\n",
       "w.yaml:2:1: workload: speedup applies to a trace replay only"},
      {"trace: {path: x.csv, format: csv}\nstart: soon\n",
       "w.yaml:2:8: workload.start: expected a duration from the trace start (e.g. 2h) or an ISO "
       "8601 time (e.g. 1995-08-01T12:00:00Z), got 'soon'"},
      {"trace: {path: x.csv}\n", "w.yaml:1:8: workload.trace: missing required key 'format'"},
      {"trace: {format: clf, path: a.log, interval: 1m, spread: poisson}\n",
       "w.yaml:1:8: workload.trace: spread: poisson and equidistant apply to counts formats "
       "(counts, count_series, azure2019); use uniform or none"},
      {"trace: {format: counts, path: a.csv}\n",
       "w.yaml:1:8: workload.trace: interval: the counts formats need the interval one count "
       "covers (e.g. 1s, 1m)"},
      {"arrivals: {process: mmpp, quiet: {rate: 1/s, mean_time: 1s}}\n",
       "w.yaml:1:11: workload.arrivals: missing required key 'burst' (process 'mmpp')"},
      {"arrivals: {process: mmpp, rate: 1/s}\n",
       "w.yaml:1:27: workload.arrivals: rate is not a parameter of process 'mmpp' (it takes "
       "quiet and burst)"},
      {"arrivals: {process: poisson, rate: 1/s, profile: {kind: constant, rate: 2/s}}\n",
       "w.yaml:1:30: workload.arrivals: give rate or profile, not both (process 'poisson')"},
      {"arrivals: {process: poisson}\n",
       "w.yaml:1:11: workload.arrivals: missing required key 'rate' (or a 'profile')"},
      {"arrivals: {process: poisson, profile: {rate: 2/s}}\n",
       "w.yaml:1:39: workload.arrivals.profile: missing required key 'kind'"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char yaml[512];
    snprintf(yaml, sizeof yaml, "%s%s", cases[i].yaml, req);
    wl_config c;
    CHECK_INT(workload_from(yaml, &c, 60), SIM_ESCENARIO, "bad workload %zu: refused", i);
    CHECK_STR(message, cases[i].msg, "bad workload %zu: message", i);
    cfg_free(&wl_config_schema, &c);
  }
}

int main(void) {
  check_init();
  test_trace_section();
  test_generators();
  test_errors();
  return check_done();
}

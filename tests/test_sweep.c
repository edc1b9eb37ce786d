/* test_sweep.c — batch experiments (issue 7): grid expansion, ids and
 * variants.csv; shard assignment and the array-job environments; the Pareto
 * front; and `scalesim sweep` / `scalesim merge` end to end through the binary
 * named by $SCALESIM (tests/run.sh exports it): validation before any run,
 * replications with t-distribution intervals, merge of shards byte-identical
 * to the unsharded sweep, resume after a kill, a failing variant reported
 * while the others complete, and 3 shards through GNU parallel.
 *
 * The scenarios use the `fixed` platform at 50 req/s so that each run takes
 * milliseconds. */
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/pareto.h"
#include "sim/rng.h"
#include "sim/shard.h"
#include "sim/file.h"
#include "sim/sweep.h"
#include "tests/check.h"
#include "tests/files.h"

static const char *bin;     /* the scalesim under test */
static char tmp[256];       /* this test's scratch folder */
static char out_text[1 << 16];

/* --- helpers ------------------------------------------------------------------ */

static char *path_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *path_of(const char *fmt, ...) {
  static char bufs[8][1024];
  static int next;
  char *buf = bufs[next++ % 8];
  int n = snprintf(buf, sizeof bufs[0], "%s/", tmp);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + n, sizeof bufs[0] - (size_t)n, fmt, ap);
  va_end(ap);
  return buf;
}

/* Runs `scalesim ARGS` through sh (ARGS may use $T for the scratch folder);
 * returns its exit status (-1 when killed) with stdout and stderr together in
 * out_text. `pre` is a shell prefix (e.g. "ulimit -f 64;") or "". */
static int run_pre(const char *pre, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run_pre(const char *pre, const char *fmt, ...) {
  char args[4096], cmd[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, sizeof cmd, "T='%s'; %s '%s' %s 2>&1", tmp, pre, bin, args);
  FILE *p = popen(cmd, "r");
  size_t n = p ? fread(out_text, 1, sizeof out_text - 1, p) : 0;
  out_text[n] = '\0';
  int st = p ? pclose(p) : -1;
  return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
#define run(...) run_pre("", __VA_ARGS__)

static bool exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

static bool same_file(const char *a, const char *b) {
  char *x = read_file(a, NULL), *y = read_file(b, NULL);
  bool same = x && y && strcmp(x, y) == 0;
  free(x);
  free(y);
  return same;
}

static size_t count_lines(const char *text) {
  size_t n = 0;
  for (; text && *text; text++) n += *text == '\n';
  return n;
}

/* 60 simulated seconds of Poisson traffic on a priced fixed fleet. */
static const char scenario_text[] =
    "name: sweep-test\n"
    "seed: 7\n"
    "duration: 60s\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 50/s}\n"
    "  request: {duration: {dist: exponential, mean: 60ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - name: f\n"
    "    kind: fixed\n"
    "    instances: 4\n"
    "    instance: {vcpu: 1, max_concurrency: 10}\n"
    "    queue: central\n"
    "    price_per_instance_hour: 0.1\n"
    "output: {dir: out/sweep-test, resolution: 10s}\n";

/* --- the design ------------------------------------------------------------------ */

static sweep_design *expand(const char *const *grids, size_t n, const char *file,
                            unsigned reps) {
  sweep_spec *spec = sweep_spec_alloc();
  sim_error err = {0};
  sweep_design *d = NULL;
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) rc = sweep_spec_add_grid(spec, grids[i], &err);
  if (!rc && file) rc = sweep_spec_add_file(spec, file, &err);
  if (!rc) rc = sweep_expand(spec, reps, &d, &err);
  if (rc) fprintf(stderr, "expand: %s\n", err.msg);
  sweep_spec_free(spec);
  return d;
}

static void test_grid_order(void) {
  const char *grids[] = {"a=1,2", "b=x, y ,z"};
  sweep_design *d = expand(grids, 2, NULL, 3);
  CHECK(d != NULL, "two grids expand");
  if (!d) return;
  CHECK_INT(d->n_variants, 6, "2 x 3 variants");
  CHECK_INT(sweep_n_runs(d), 18, "6 variants x 3 replications");
  const char *want[6][2] = {{"1", "x"}, {"1", "y"}, {"1", "z"},
                            {"2", "x"}, {"2", "y"}, {"2", "z"}};
  for (size_t v = 0; v < 6; v++) {
    CHECK_STR(sweep_value(d, v, 0), want[v][0], "variant %zu: the first grid varies slowest", v);
    CHECK_STR(sweep_value(d, v, 1), want[v][1], "variant %zu: the last grid varies fastest", v);
  }
  scenario_override ov[2];
  CHECK_INT(sweep_overrides(d, 4, ov), 2, "variant 4 sets both keys");
  CHECK_STR(ov[0].text, "a=2", "variant 4's first override");
  CHECK_STR(ov[1].text, "b=y", "variant 4's second override (value trimmed)");
  char id[SWEEP_ID_LEN];
  CHECK_STR(sweep_variant_id(d, 5, id), "v0005", "variant ids have 4 digits");
  CHECK_STR(sweep_run_id(d, 0, id), "v0000-r00", "first run id");
  CHECK_STR(sweep_run_id(d, 17, id), "v0005-r02", "last run id");
  sweep_design_free(d);

  static char long_grid[8192];
  int n = snprintf(long_grid, sizeof long_grid, "j=0");
  for (int i = 1; i < 910; i++)
    n += snprintf(long_grid + n, sizeof long_grid - (size_t)n, ",%d", i);
  const char *wide[] = {"k=1,2,3,4,5,6,7,8,9,10,11", long_grid};
  d = expand(wide, 2, NULL, 120);
  CHECK(d != NULL, "a wide grid expands");
  if (!d) return;
  CHECK_INT(d->n_variants, 11 * 910, "11 x 910 variants");
  CHECK_STR(sweep_variant_id(d, 0, id), "v00000", "ids widen to 5 digits past 9999 variants");
  CHECK_STR(sweep_run_id(d, sweep_n_runs(d) - 1, id), "v10009-r119",
            "replication ids widen to 3 digits past 100");
  sweep_design_free(d);
}

static void test_grid_values_and_errors(void) {
  const char *flow[] = {"p.instance={vcpu: 1, max_concurrency: 5},[1, 2],'a,b',\"c,\\\"d\""};
  sweep_design *d = expand(flow, 1, NULL, 1);
  CHECK(d && d->n_variants == 4, "commas inside braces, brackets and quotes do not split");
  if (d) {
    CHECK_STR(sweep_value(d, 0, 0), "{vcpu: 1, max_concurrency: 5}", "a flow mapping value");
    CHECK_STR(sweep_value(d, 1, 0), "[1, 2]", "a flow list value");
    CHECK_STR(sweep_value(d, 2, 0), "'a,b'", "a single-quoted value");
    CHECK_STR(sweep_value(d, 3, 0), "\"c,\\\"d\"", "a double-quoted value with an escape");
  }
  sweep_design_free(d);

  static const struct {
    const char *arg, *message;
  } bad[] = {{"novalue", "expected key.path=v1,v2"},
             {"=1,2", "the key path is empty"},
             {"a=1,,2", "empty value"},
             {"a=", "empty value"},
             {"a=[1,2", "unbalanced brackets"},
             {"a='x,y", "unbalanced quotes"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    sweep_spec *spec = sweep_spec_alloc();
    sim_error err = {0};
    CHECK_INT(sweep_spec_add_grid(spec, bad[i].arg, &err), SIM_EUSAGE, "--grid %s is misuse",
              bad[i].arg);
    CHECK_CONTAINS(err.msg, bad[i].message, "--grid %s: the message says why", bad[i].arg);
    sweep_spec_free(spec);
  }
  sweep_spec *spec = sweep_spec_alloc();
  sim_error err = {0};
  sweep_spec_add_grid(spec, "a=1,2", &err);
  CHECK_INT(sweep_spec_add_grid(spec, "a=3", &err), SIM_EUSAGE, "a key swept twice is misuse");
  CHECK_CONTAINS(err.msg, "already swept", "and the message says so");
  sweep_spec_free(spec);
}

static void test_grid_file(void) {
  char *file = path_of("grid.yaml");
  write_file(file,
             "# two explicit designs\n"
             "- platforms[0].instances: 3\n"
             "  platforms[0].queue: central\n"
             "- {\"platforms[0].instances\": 5,\n"
             "   platforms.f.instance: {vcpu: 2, max_concurrency: 4}}\n");
  const char *grids[] = {"seed=1,2,3"};
  sweep_design *d = expand(grids, 1, file, 2);
  CHECK(d != NULL, "a grid file with a grid expands");
  if (!d) return;
  CHECK_INT(d->n_variants, 6, "2 file rows x 3 grid values");
  CHECK_INT(d->n_keys, 4, "the file's 3 keys, then the grid's");
  CHECK_STR(d->keys[0], "platforms[0].instances", "file keys in order of first appearance");
  CHECK_STR(d->keys[2], "platforms.f.instance", "a key first seen in the second row");
  CHECK_STR(d->keys[3], "seed", "grid keys after the file's");
  CHECK_STR(sweep_value(d, 2, 0), "3", "variant 2 is still the first file row");
  CHECK_STR(sweep_value(d, 2, 3), "3", "with the last seed: file rows vary slowest");
  CHECK(sweep_value(d, 0, 2) == NULL, "a row that leaves a key alone has no value for it");
  CHECK_STR(sweep_value(d, 3, 2), "{vcpu: 2, max_concurrency: 4}", "a mapping value, one line");
  CHECK(sweep_value(d, 3, 1) == NULL, "the second row does not set the queue");

  /* variants.csv reads back into the same design. */
  for (size_t run = 0; run < sweep_n_runs(d); run++) d->seeds[run] = 1000 + run;
  char *text = sweep_variants_csv(d), *csv = path_of("variants.csv");
  write_file(csv, text);
  sweep_design *back = NULL;
  sim_error err = {0};
  CHECK_INT(sweep_read_variants(csv, &back, &err), 0, "variants.csv reads back");
  if (back) {
    char *again = sweep_variants_csv(back);
    CHECK_STR(again, text, "and writes the same text again");
    CHECK_INT(back->replications, 2, "replications read back");
    CHECK_INT(back->seeds[11], 1011, "seeds read back");
    CHECK_STR(sweep_value(back, 3, 2), "{vcpu: 2, max_concurrency: 4}", "values read back");
    free(again);
  }
  sweep_design_free(back);
  char *edited = strstr(text, "v0001-r00");
  if (edited) edited[4] = '7'; /* v0007-r00 where v0001-r00 belongs */
  write_file(csv, text);
  CHECK_INT(sweep_read_variants(csv, &back, &err), SIM_EINPUT,
            "an edited variants.csv is refused");
  free(text);
  sweep_design_free(d);

  const struct {
    const char *text, *message;
  } bad[] = {{"- 3\n", "[0]: expected a mapping"},
             {"[]\n", "lists no variants"},
             {"a: 1\n", "a grid file is a list"},
             {"- {platforms[0].instances: 3}\n", "grid.yaml:1:"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    write_file(file, bad[i].text);
    sweep_spec *spec = sweep_spec_alloc();
    CHECK_INT(sweep_spec_add_file(spec, file, &err), SIM_ESCENARIO, "bad grid file %zu refused",
              i);
    CHECK_CONTAINS(err.msg, bad[i].message, "bad grid file %zu: the message", i);
    sweep_spec_free(spec);
  }
  sweep_spec *spec = sweep_spec_alloc();
  CHECK_INT(sweep_spec_add_file(spec, path_of("no-such-grid.yaml"), &err), SIM_EINPUT,
            "a missing grid file is unreadable input");
  sweep_spec_free(spec);
}

/* --- shards ---------------------------------------------------------------------- */

static const char *fake_env[16][2];

static char *fake_getenv(const char *name) {
  for (size_t i = 0; i < 16 && fake_env[i][0]; i++)
    if (strcmp(fake_env[i][0], name) == 0) return (char *)fake_env[i][1];
  return NULL;
}

/* Sets the fake environment from NULL-terminated name, value pairs. */
static void set_env(const char *first, ...) {
  memset(fake_env, 0, sizeof fake_env);
  va_list ap;
  va_start(ap, first);
  size_t i = 0;
  for (const char *name = first; name; name = va_arg(ap, const char *), i++) {
    fake_env[i][0] = name;
    fake_env[i][1] = va_arg(ap, const char *);
  }
  va_end(ap);
}

static void test_shard_cover(void) {
  for (size_t n_variants = 0; n_variants <= 30; n_variants += 1) {
    for (unsigned long n = 1; n <= 7; n++) {
      size_t bad = 0, sizes[7] = {0};
      for (size_t v = 0; v < n_variants; v++) {
        unsigned owners = 0;
        for (unsigned long i = 0; i < n; i++) {
          shard_spec s = {i, n, "test"};
          if (shard_owns(&s, v)) owners++, sizes[i]++;
        }
        bad += owners != 1;
      }
      size_t lo = n_variants, hi = 0;
      for (unsigned long i = 0; i < n; i++) {
        if (sizes[i] < lo) lo = sizes[i];
        if (sizes[i] > hi) hi = sizes[i];
      }
      if (n_variants == 23 || bad)
        CHECK_INT(bad, 0, "%zu variants in %lu shards: each in exactly one", n_variants, n);
      if (n_variants == 23)
        CHECK(hi - lo <= 1, "23 variants in %lu shards: sizes differ by <= 1", n);
    }
  }
}

static void check_resolved(const char *flag, const char *count, unsigned long index,
                           unsigned long n, const char *source, const char *what) {
  shard_spec s = {99, 99, ""};
  sim_error err = {0};
  int rc = shard_resolve(flag, count, fake_getenv, &s, &err);
  CHECK_INT(rc, 0, "%s: resolves", what);
  if (rc) fprintf(stderr, "  %s\n", err.msg);
  CHECK_INT(s.index, index, "%s: index", what);
  CHECK_INT(s.count, n, "%s: count", what);
  CHECK_STR(s.source, source, "%s: source", what);
}

static void check_refused(const char *flag, const char *count, const char *message,
                          const char *what) {
  shard_spec s;
  sim_error err = {0};
  CHECK_INT(shard_resolve(flag, count, fake_getenv, &s, &err), SIM_EUSAGE, "%s: misuse", what);
  CHECK_CONTAINS(err.msg, message, "%s: the message", what);
}

static void test_shard_sources(void) {
  set_env(NULL);
  check_resolved(NULL, NULL, 0, 1, "", "no shard anywhere: the whole sweep");
  check_resolved("2/5", NULL, 2, 5, "--shard", "--shard 2/5");
  check_resolved("0/1", NULL, 0, 1, "--shard", "--shard 0/1");
  check_refused("5/5", NULL, "numbered from 0", "--shard 5/5");
  check_refused("1/0", NULL, "out of range", "--shard 1/0");
  check_refused("-1/3", NULL, "whole number", "--shard -1/3");
  check_refused("1/3x", NULL, "whole number", "--shard 1/3x");
  check_refused("13", NULL, "expected I/N", "--shard 13");
  check_refused("1/2", "2", "already gives the count", "--shard with --shard-count");
  check_refused(NULL, "4", "needs an index", "--shard-count alone");

  set_env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4", "SLURM_ARRAY_TASK_MIN", "0",
          NULL);
  check_resolved(NULL, NULL, 3, 4, "SLURM_ARRAY_TASK_ID", "Slurm --array=0-3");
  check_resolved("1/2", NULL, 1, 2, "--shard", "--shard wins over Slurm");
  set_env("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_MAX", "8",
          NULL);
  check_resolved(NULL, NULL, 4, 8, "SLURM_ARRAY_TASK_ID", "Slurm --array=1-8, count from MAX");
  set_env("SLURM_ARRAY_TASK_ID", "10", "SLURM_ARRAY_TASK_MIN", "2", "SLURM_ARRAY_TASK_STEP", "4",
          "SLURM_ARRAY_TASK_COUNT", "3", NULL);
  check_resolved(NULL, NULL, 2, 3, "SLURM_ARRAY_TASK_ID", "Slurm --array=2-10:4");
  set_env("SLURM_ARRAY_TASK_ID", "3", NULL);
  check_refused(NULL, NULL, "SLURM_ARRAY_TASK_COUNT", "Slurm without a count");
  set_env("SLURM_ARRAY_TASK_ID", "x", "SLURM_ARRAY_TASK_COUNT", "4", NULL);
  check_refused(NULL, NULL, "SLURM_ARRAY_TASK_ID: expected a whole number", "Slurm bad id");

  set_env("JOB_COMPLETION_INDEX", "2", NULL);
  check_refused(NULL, NULL, "--shard-count", "Kubernetes index without a count");
  check_resolved(NULL, "5", 2, 5, "JOB_COMPLETION_INDEX", "Kubernetes with --shard-count");
  check_refused(NULL, "2", "not below the shard count", "Kubernetes index 2 of 2");
  set_env("JOB_COMPLETION_INDEX", "2", "SCALESIM_SHARD_COUNT", "3", NULL);
  check_resolved(NULL, NULL, 2, 3, "JOB_COMPLETION_INDEX",
                 "Kubernetes with SCALESIM_SHARD_COUNT");

  set_env("AWS_BATCH_JOB_ARRAY_INDEX", "1", "AWS_BATCH_JOB_ARRAY_SIZE", "3", NULL);
  check_resolved(NULL, NULL, 1, 3, "AWS_BATCH_JOB_ARRAY_INDEX", "AWS Batch array job");
  check_refused(NULL, "4", "disagrees", "--shard-count against AWS_BATCH_JOB_ARRAY_SIZE");
  set_env("AWS_BATCH_JOB_ARRAY_INDEX", "1", NULL);
  check_resolved(NULL, "2", 1, 2, "AWS_BATCH_JOB_ARRAY_INDEX", "AWS Batch without the size");

  set_env("CLOUD_RUN_TASK_INDEX", "0", "CLOUD_RUN_TASK_COUNT", "2", NULL);
  check_resolved(NULL, NULL, 0, 2, "CLOUD_RUN_TASK_INDEX", "Cloud Run job");
  set_env("CLOUD_RUN_TASK_INDEX", "2", "CLOUD_RUN_TASK_COUNT", "2", NULL);
  check_refused(NULL, NULL, "not below", "Cloud Run index out of range");
  set_env(NULL);
}

/* --- the Pareto front -------------------------------------------------------------- */

static void test_pareto_hand_made(void) {
  /* (cost, p99): the front is A, B, B', E, G; C and F lose to B and E, D to B
   * (same cost, worse p99), H to A; I has no p99. */
  const double x[] = {1, 2, 2, 3, 3, 4, 5, 2, 1, 0.5};
  const double y[] = {10, 5, 5, 5, 1, 1, 0.5, 6, 12, NAN};
  const bool want[] = {true, true, true, false, true, false, true, false, false, false};
  const char *names[] = {"A", "B", "B'", "C", "E", "F", "G", "D", "H", "I"};
  bool front[10];
  CHECK_INT(pareto_front(x, y, 10, front), 5, "five points on the front");
  for (int i = 0; i < 10; i++)
    CHECK_INT(front[i], want[i], "point %s (%g, %g)", names[i], x[i], y[i]);
  CHECK_INT(pareto_front(x, y, 0, front), 0, "no points, no front");
  const double one_x[] = {3}, one_y[] = {4};
  CHECK_INT(pareto_front(one_x, one_y, 1, front), 1, "a single point is the front");
}

/* The definition, in O(n^2): nothing dominates the point. */
static bool brute_on_front(const double *x, const double *y, size_t n, size_t i) {
  if (isnan(x[i]) || isnan(y[i])) return false;
  for (size_t j = 0; j < n; j++) {
    if (j == i || isnan(x[j]) || isnan(y[j])) continue;
    if (x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i])) return false;
  }
  return true;
}

static void test_pareto_random(void) {
  enum { N = 3000 };
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20240607);
  static double x[N], y[N];
  static bool front[N];
  size_t mismatches = 0, on = 0;
  for (int round = 0; round < 4; round++) {
    for (size_t i = 0; i < N; i++) { /* small integer grids: many ties */
      x[i] = (double)gsl_rng_uniform_int(r, 40 + 200 * round);
      y[i] = gsl_rng_uniform(r) < 0.01 ? NAN : (double)gsl_rng_uniform_int(r, 40 + 200 * round);
    }
    on += pareto_front(x, y, N, front);
    for (size_t i = 0; i < N; i++) mismatches += front[i] != brute_on_front(x, y, N, i);
  }
  CHECK_INT(mismatches, 0, "the front equals the O(n^2) definition on 4 x 3000 random points");
  CHECK(on >= 8, "the random fronts are not trivial (%zu points)", on);
  gsl_rng_free(r);
}

/* --- the commands -------------------------------------------------------------------- */

static const char grid_args[] =
    "--grid 'platforms[0].instances=3,4,5,6' --grid 'platforms[0].instance.max_concurrency=1,10'";

static void test_validation_first(void) {
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/bad1 --grid 'platforms[0].instances=2,3' "
                "--grid 'platforms[0].bogus=1'"), 3, "an unknown key exits 3");
  CHECK_CONTAINS(out_text, "variant v0000: --set platforms[0].bogus=1: unknown key",
                 "the message names the variant, the override and the problem");
  CHECK(!exists(path_of("bad1/runs")), "nothing ran");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/bad2 --grid 'platforms[0].instances=2,3,x'"), 3,
            "a bad value in the last variant exits 3");
  CHECK_CONTAINS(out_text, "variant v0002: --set platforms[0].instances=x",
                 "the last variant named");
  CHECK(!exists(path_of("bad2/runs")), "nothing ran before the last variant was checked");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/bad3 --grid 'platforms[0].instances=2,,3'"), 2,
            "an empty grid value is misuse");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/bad3"), 2, "nothing to sweep is misuse");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/bad3 -g a=1 --shard 3/3"), 2,
            "a bad --shard is misuse");
  CHECK_INT(run("sweep $T/no-such.yaml -q -o $T/bad3 -g a=1"), 4,
            "an unreadable scenario exits 4");
  CHECK_INT(run("sweep --help"), 0, "sweep --help exits 0");
  CHECK_CONTAINS(out_text, "usage: scalesim sweep", "and prints the usage");
}

/* Reads field `name` of the header line and row `row_prefix` of a CSV. */
static double csv_number(const char *csv, const char *row_prefix, const char *name) {
  if (!csv) return NAN;
  const char *row = strstr(csv, row_prefix), *nl = strchr(csv, '\n');
  if (!row || !nl) return NAN;
  int col = -1, c = 0;
  for (const char *p = csv; p < nl; c++) {
    size_t len = strcspn(p, ",\n");
    if (len == strlen(name) && strncmp(p, name, len) == 0) col = c;
    p += len + 1;
  }
  const char *p = row;
  for (int i = 0; i < col && p; i++) p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
  return col >= 0 && p && *p != ',' && *p != '\n' ? strtod(p, NULL) : NAN;
}

static double summary_number(const char *run_id, const char *dir, const char *key) {
  char *text = read_file(path_of("%s/runs/%s/summary.json", dir, run_id), NULL);
  char pattern[128];
  snprintf(pattern, sizeof pattern, "\"%s\": ", key);
  const char *at = text ? strstr(text, pattern) : NULL;
  double v = at ? strtod(at + strlen(pattern), NULL) : NAN;
  free(text);
  return v;
}

static void test_replications(void) {
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/rep --grid 'platforms[0].instances=3,5' -r 3 -j 2"), 0,
            "a sweep with 3 replications succeeds");
  char *variants = read_file(path_of("rep/variants.csv"), NULL);
  char line[256];
  snprintf(line, sizeof line, "v0001-r02,v0001,2,%llu,5\n",
           (unsigned long long)sim_rng_replication_seed(7, 2));
  CHECK_CONTAINS(variants, "v0000-r00,v0000,0,7,3\n", "replication 0 keeps the scenario seed");
  CHECK_CONTAINS(variants, line, "replication 2 has sim_rng_replication_seed(7, 2)");
  CHECK_INT(count_lines(variants), 7, "variants.csv: a header and 6 runs");
  free(variants);
  char *csv = read_file(path_of("rep/sweep.csv"), NULL);
  CHECK_INT(count_lines(csv), 3, "sweep.csv: a header and one row per variant x platform");
  CHECK_CONTAINS(csv, ",replications,duration_s_mean,duration_s_ci95,requests_mean",
                 "the header has means and intervals");
  const char *metrics[] = {"requests", "latency_p99_s", "cost_usd"};
  for (size_t m = 0; m < 3; m++) {
    double v[3];
    for (int r = 0; r < 3; r++) {
      char id[32];
      snprintf(id, sizeof id, "v0001-r%02d", r);
      v[r] = summary_number(id, "rep", metrics[m]);
    }
    double mean = gsl_stats_mean(v, 1, 3);
    double half = gsl_cdf_tdist_Pinv(0.975, 2) * gsl_stats_sd(v, 1, 3) / sqrt(3);
    char name[64];
    snprintf(name, sizeof name, "%s_mean", metrics[m]);
    CHECK_REL(csv_number(csv, "v0001,5,f,fixed,3,", name), mean, 1e-8, "%s: the mean",
              metrics[m]);
    snprintf(name, sizeof name, "%s_ci95", metrics[m]);
    CHECK_REL(csv_number(csv, "v0001,5,f,fixed,3,", name), half, 1e-8,
              "%s: the 95%% t interval half-width", metrics[m]);
    CHECK(half > 0, "%s: the replications differ", metrics[m]);
  }
  free(csv);
}

static void test_merge_equals_unsharded(void) {
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/whole %s", grid_args), 0, "the unsharded sweep");
  char *csv = read_file(path_of("whole/sweep.csv"), NULL);
  CHECK_INT(count_lines(csv), 9, "sweep.csv: a header and 8 variants x 1 platform");
  CHECK_CONTAINS(csv, "variant,platforms[0].instances,platforms[0].instance.max_concurrency,"
                      "platform,kind,duration_s,requests,", "sweep.csv's header");
  CHECK_CONTAINS(csv, ",pareto_cost_p99,pareto_cost_errors\n", "the Pareto columns last");
  CHECK_CONTAINS(csv, "\nv0000,3,1,f,fixed,", "the first row: the first values");
  CHECK_CONTAINS(csv, "\nv0007,6,10,f,fixed,", "the last row: the last values");
  /* The cheapest fleet (3 instances) has the lowest cost, so one of its rows is
   * on the cost-p99 front. */
  CHECK(csv_number(csv, "\nv0000,", "pareto_cost_p99") +
                csv_number(csv, "\nv0001,", "pareto_cost_p99") >= 1,
        "a 3-instance variant is on the cost/p99 front");
  free(csv);
  for (int i = 0; i < 3; i++)
    CHECK_INT(run("sweep $T/s.yaml -q -o $T/shard%d --shard %d/3 %s", i, i, grid_args), 0,
              "shard %d/3", i);
  for (int v = 0; v < 8; v++)
    for (int i = 0; i < 3; i++)
      CHECK_INT(exists(path_of("shard%d/runs/v%04d-r00/summary.json", i, v)), v % 3 == i,
                "variant %d is run by shard %d only if %d mod 3 = %d", v, i, v, i);
  CHECK_INT(run("merge -o $T/merged $T/shard0 $T/shard1 $T/shard2"), 0, "merge of 3 shards");
  CHECK(same_file(path_of("merged/sweep.csv"), path_of("whole/sweep.csv")),
        "the merged sweep.csv equals the unsharded one byte for byte");
  CHECK(same_file(path_of("merged/runs/v0004-r00/f/timeseries.csv"),
                  path_of("whole/runs/v0004-r00/f/timeseries.csv")),
        "merged runs hold the runs' own outputs");
  CHECK_INT(run("merge $T/shard1 $T/shard0"), 1, "a merge that lacks a shard exits 1");
  CHECK_CONTAINS(out_text, "run v0002-r00 is in none of the folders", "and names a missing run");
  CHECK_INT(run("merge -q $T/shard1 $T/shard0 $T/shard2"), 0, "merging into the first folder");
  CHECK(same_file(path_of("shard1/sweep.csv"), path_of("whole/sweep.csv")),
        "merging in place gives the same bytes");
  CHECK_INT(run("merge -o $T/merged2 $T/shard0 $T/rep"), 3, "folders of different sweeps exit 3");
  CHECK_CONTAINS(out_text, "not shards of the same sweep", "and say so");
  CHECK_INT(run_pre("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3",
                    "sweep $T/s.yaml -q -o $T/slurm1 %s", grid_args), 0,
            "a shard from Slurm's environment");
  CHECK(exists(path_of("slurm1/runs/v0004-r00")) && !exists(path_of("slurm1/runs/v0003-r00")),
        "Slurm task 1 of 3 runs shard 1");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/whole --grid 'platforms[0].instances=7'"), 2,
            "another design in the same folder is misuse");
  CHECK_CONTAINS(out_text, "holds a different sweep", "and the message says so");
  int fd = open(path_of("whole/.lock"), O_RDWR);
  flock(fd, LOCK_EX);
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/whole %s", grid_args), 2,
            "a folder another sweep is writing is refused");
  CHECK_CONTAINS(out_text, "another sweep or merge is writing", "with the reason");
  close(fd);
}

/* Counts the complete runs (summary.json present) in DIR/runs. */
static size_t complete_runs(const char *dir, size_t n) {
  size_t k = 0;
  for (size_t v = 0; v < n; v++) k += exists(path_of("%s/runs/v%04zu-r00/summary.json", dir, v));
  return k;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void test_resume_after_kill(void) {
  enum { N = 16 };
  /* 10 simulated minutes per run: long enough to catch the sweep midway. */
  const char *args = "sweep $T/s.yaml -o $T/killed -j 1 --set duration=10m "
                     "--grid 'platforms[0].instances=3,4,5,6,7,8,9,10' "
                     "--grid 'platforms[0].queue=central,per_instance'";
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "T='%s'; exec '%s' %s >/dev/null 2>&1", tmp, bin, args);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0); /* its own group: the kill takes the workers too */
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  bool ended = false; /* on its own: then it failed, and the checks below say so */
  for (int i = 0; i < 4000 && !ended && complete_runs("killed", N) < 3; i++) {
    sleep_ms(5);
    ended = waitpid(pid, NULL, WNOHANG) == pid;
  }
  kill(-pid, SIGKILL);
  if (!ended) waitpid(pid, NULL, 0);
  /* The killed workers were the sweep's children: wait until the last of them
   * is gone, which releases the folder's lock they share. */
  int fd = open(path_of("killed/.lock"), O_RDWR);
  for (int i = 0; i < 2000 && fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0; i++) sleep_ms(5);
  if (fd >= 0) close(fd);
  size_t before = complete_runs("killed", N);
  CHECK(before >= 3 && before < N, "killed midway: %zu of %d runs complete", before, N);
  struct stat first[N];
  bool was_complete[N];
  for (size_t v = 0; v < N; v++)
    was_complete[v] = stat(path_of("killed/runs/v%04zu-r00/summary.json", v), &first[v]) == 0;

  CHECK_INT(run("%s", args), 0, "the re-run completes the sweep");
  char counts[128];
  snprintf(counts, sizeof counts, "ran %zu (-j 1), 0 failed, %zu skipped", N - before, before);
  CHECK_CONTAINS(out_text, counts, "the re-run ran only the runs not complete");
  CHECK_INT(complete_runs("killed", N), N, "every run is complete");
  size_t rerun = 0;
  for (size_t v = 0; v < N; v++) {
    struct stat now;
    if (!was_complete[v] || stat(path_of("killed/runs/v%04zu-r00/summary.json", v), &now))
      continue;
    rerun += now.st_ino != first[v].st_ino || now.st_mtim.tv_sec != first[v].st_mtim.tv_sec ||
             now.st_mtim.tv_nsec != first[v].st_mtim.tv_nsec;
  }
  CHECK_INT(rerun, 0, "runs complete before the kill were not written again");
  size_t leftovers = 0;
  for (size_t v = 0; v < N; v++) leftovers += exists(path_of("killed/runs/v%04zu-r00.tmp", v));
  CHECK_INT(leftovers, 0, "no half-written run folders remain");
  CHECK_INT(run("%s", args), 0, "a third run");
  CHECK_CONTAINS(out_text, "ran 0 (-j 1), 0 failed, 16 skipped", "has nothing left to do");
}

static void test_failing_variant(void) {
  /* At a 1 ms resolution the time series (3.5 MB) outgrows the file-size limit
   * (2048 blocks: 1 MiB in dash's 512-byte blocks, 2 MiB in bash's 1 KiB),
   * while the other runs' largest file stays under 100 KB: that run is killed
   * by SIGXFSZ at run time, after validation passed. */
  const char *limit = "ulimit -f 2048;";
  const char *design = "-o $T/fail -j 2 --grid 'output.resolution=10s,1ms,5s'";
  CHECK_INT(run_pre(limit, "sweep $T/s.yaml -q %s", design), 1,
            "a sweep with a failed run exits 1");
  CHECK_CONTAINS(out_text, "run v0001-r00 killed by signal", "the failure is reported");
  CHECK(exists(path_of("fail/runs/v0000-r00/summary.json")) &&
        exists(path_of("fail/runs/v0002-r00/summary.json")), "the other variants completed");
  CHECK(!exists(path_of("fail/runs/v0001-r00")) && !exists(path_of("fail/runs/v0001-r00.tmp")),
        "the failed run left nothing behind");
  char *failed = read_file(path_of("fail/failed.csv"), NULL);
  CHECK_CONTAINS(failed, "run,exit_status,signal,message\n", "failed.csv's header");
  CHECK_CONTAINS(failed, "v0001-r00,-1,25,killed by signal 25",
                 "failed.csv names the run and signal");
  CHECK_INT(count_lines(failed), 2, "one failed run");
  free(failed);
  char *csv = read_file(path_of("fail/sweep.csv"), NULL);
  CHECK(csv && strstr(csv, "\nv0000,") && strstr(csv, "\nv0002,") && !strstr(csv, "\nv0001,"),
        "sweep.csv has the complete variants only");
  free(csv);
  CHECK_INT(run_pre(limit, "sweep $T/s.yaml %s", design), 1, "the re-run fails again");
  CHECK_CONTAINS(out_text, "ran 1 (-j 2), 1 failed, 2 skipped", "only the failed run is retried");

  /* An invocation without failures removes the last one's failed.csv. */
  write_file(path_of("whole/failed.csv"), "run,exit_status,signal,message\nv0003-r00,1,0,old\n");
  CHECK_INT(run("sweep $T/s.yaml -q -o $T/whole %s", grid_args), 0, "a sweep with nothing to do");
  CHECK(!exists(path_of("whole/failed.csv")), "removes an old failed.csv");
}

static void test_gnu_parallel(void) {
  if (system("command -v parallel >/dev/null 2>&1") != 0) {
    printf("SKIP: GNU parallel is not installed (apt-get install parallel): no parallel test\n");
    return;
  }
  char cmd[4096];
  snprintf(cmd, sizeof cmd,
           "parallel --will-cite -j 3 \"'%s' sweep '%s/s.yaml' -q -j 1 -o '%s/par/shard-{}' "
           "--shard {}/3 %s\" ::: 0 1 2 >'%s/parallel.log' 2>&1",
           bin, tmp, tmp, grid_args, tmp);
  int st = system(cmd);
  CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "3 shards through GNU parallel");
  CHECK_INT(run("merge -q -o $T/par/merged $T/par/shard-0 $T/par/shard-1 $T/par/shard-2"), 0,
            "merge of the parallel shards");
  CHECK(same_file(path_of("par/merged/sweep.csv"), path_of("whole/sweep.csv")),
        "GNU parallel's merged sweep.csv equals the unsharded one");
}

int main(void) {
  check_init();
  bin = getenv("SCALESIM");
  if (!bin) bin = "./scalesim";
  snprintf(tmp, sizeof tmp, "/tmp/test_sweep.XXXXXX");
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  write_file(path_of("s.yaml"), scenario_text);
  test_grid_order();
  test_grid_values_and_errors();
  test_grid_file();
  test_shard_cover();
  test_shard_sources();
  test_pareto_hand_made();
  test_pareto_random();
  test_validation_first();
  test_replications();
  test_merge_equals_unsharded();
  test_resume_after_kill();
  test_failing_variant();
  test_gnu_parallel();
  sim_error err = {0};
  sweep_remove_tree(tmp, &err);
  return check_done();
}

/* test_cli.c — the command line as a user meets it: exit codes (DESIGN.md §7),
 * help and version on stdout, error messages on stderr, the progress line on a
 * terminal, the built-in demo, and determinism (same scenario and seed, same
 * bytes out).
 * Runs the binary named by $SCALESIM (tests/run.sh exports it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"
#include "tests/files.h"

static const char *bin;
static char out_text[1 << 18], err_text[1 << 16];
static char tmp[64] = "/tmp/scalesim-cli-XXXXXX"; /* this run's own folder */

static void slurp(const char *path, char *buf, size_t len) {
  FILE *f = fopen(path, "rb");
  size_t n = f ? fread(buf, 1, len - 1, f) : 0;
  buf[n] = '\0';
  if (f) fclose(f);
}

/* Runs `scalesim ARGS` (a shell fragment); returns its exit status and keeps
 * its stdout and stderr in out_text / err_text. */
static int run(const char *args) {
  char cmd[4096], out[128], err[128];
  snprintf(out, sizeof out, "%s/stdout", tmp);
  snprintf(err, sizeof err, "%s/stderr", tmp);
  snprintf(cmd, sizeof cmd, "cd %s && '%s' %s >stdout 2>stderr", tmp, bin, args);
  int st = system(cmd);
  slurp(out, out_text, sizeof out_text);
  slurp(err, err_text, sizeof err_text);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A path inside this run's folder (one of a few rotating buffers). */
static const char *path(const char *name) {
  static char bufs[4][256];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", tmp, name);
  return b;
}

static int has_tmp_files(const char *dir) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "find '%s' -name '*.tmp' | grep -q .", dir);
  return system(cmd) == 0;
}

static int same_files(const char *a, const char *b) {
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
  return system(cmd) == 0;
}

static const char small[] =
    "name: small\n"
    "seed: 3\n"
    "duration: 2m\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 40/s}\n"
    "  request: {duration: {dist: exponential, mean: 50ms}, cpu_share: 0.5}\n"
    "platforms:\n"
    "  - {name: f4, kind: fixed, instances: 4}\n"
    "output: {dir: small-out, resolution: 5s}\n";

static void test_help_and_misuse(void) {
  CHECK_INT(run("--help"), 0, "--help exits 0");
  CHECK_CONTAINS(out_text, "usage: scalesim", "--help prints usage on stdout");
  CHECK_INT(run("--version"), 0, "--version exits 0");
  CHECK_CONTAINS(out_text, "scalesim ", "--version prints the version");
  CHECK_INT(run(""), 2, "no command is misuse");
  CHECK_INT(run("frobnicate"), 2, "unknown command is misuse");
  CHECK_CONTAINS(err_text, "unknown command 'frobnicate'", "unknown command named");
  CHECK_INT(run("run --bogus"), 2, "unknown option is misuse");
  CHECK_INT(run("validate"), 2, "validate without a file is misuse");
}

static void test_bad_inputs(void) {
  write_file(path("bad.yaml"), "name: x\nseed: 1\nduraton: 1m\n");
  CHECK_INT(run("validate bad.yaml"), 3, "bad scenario exits 3");
  CHECK_CONTAINS(err_text, "bad.yaml:3:1: duraton: unknown key (did you mean 'duration'?)",
                 "bad scenario message names file:line:col and a hint");
  CHECK_INT(run("validate does-not-exist.yaml"), 4, "unreadable scenario exits 4");
  CHECK_INT(run("validate /dev/zero"), 4, "a file without end (/dev/zero) exits 4");
  CHECK_CONTAINS(err_text, "/dev/zero: larger than 2048 MiB", "and says it is too large");
  write_file(path("latin1.yaml"), "name: caf\xe9\n");
  CHECK_INT(run("validate latin1.yaml"), 3, "invalid UTF-8 exits 3");
  CHECK_CONTAINS(err_text, "latin1.yaml:1: invalid UTF-8 (YAML text is UTF-8)",
                 "invalid UTF-8 named with its line");
  write_file(path("tiny.yaml"), "name: x\n");
  CHECK_INT(run("validate tiny.yaml --set ' x=1'"), 3, "blank-padded override key exits 3");
  CHECK_CONTAINS(err_text, "--set  x=1: malformed key path", "and says the path is malformed");
  CHECK_INT(run("validate tiny.yaml --set duration=2h"), 3,
            "an override added to the root is located, not a crash");
  CHECK_CONTAINS(err_text, "tiny.yaml:1:1: missing required key 'workload'",
                 "the root's error names its first line");
  write_file(path("small.yaml"), small);
  CHECK_INT(run("validate small.yaml"), 0, "good scenario validates");
  CHECK_INT(run("validate small.yaml --set platforms[0].instances=zero"), 3,
            "bad override exits 3");
  CHECK_CONTAINS(err_text, "--set platforms[0].instances=zero", "override named in the message");
}

static void test_run_and_determinism(void) {
  write_file(path("small.yaml"), small);
  CHECK_INT(run("run small.yaml -q -o a"), 0, "run exits 0");
  CHECK_INT(run("run small.yaml -q -o b"), 0, "rerun exits 0");
  CHECK(same_files(path("a/summary.json"), path("b/summary.json")),
        "same seed: summary.json byte-identical");
  CHECK(same_files(path("a/f4/timeseries.csv"), path("b/f4/timeseries.csv")),
        "same seed: timeseries.csv byte-identical");
  CHECK_INT(run("run small.yaml -q --seed 4 -o c"), 0,
            "run with --seed exits 0");
  CHECK(!same_files(path("a/f4/timeseries.csv"), path("c/f4/timeseries.csv")),
        "another seed: different time series");
  CHECK_INT(has_tmp_files(path("a")), 0,
            "no temporary files left behind");
}

/* A platform that completes nothing still gets a summary and a report. */
static void test_no_completions(void) {
  write_file(path("none.yaml"),
             "name: none\nduration: 30s\n"
             "workload:\n"
             "  arrivals: {process: poisson, rate: 2/s}\n"
             "  request: {duration: {dist: constant, value: 10s}}\n"
             "platforms:\n"
             "  - {name: f1, kind: fixed, instances: 1, timeout: 1s}\n");
  CHECK_INT(run("run none.yaml -q -o none"), 0, "a run with no completions succeeds");
  CHECK(access(path("none/report.html"), R_OK) == 0, "its report is written");
  CHECK_INT(run("report none -q"), 0, "and can be regenerated");
}

/* Paths in a scenario file are relative to the file's folder, not the cwd. */
static void test_relative_paths(void) {
  char cmd[512];
  snprintf(cmd, sizeof cmd, "mkdir -p '%s/sub' && printf 'time\\n0\\n1\\n2.5\\n' > '%s/sub/t.csv'",
           tmp, tmp);
  system(cmd);
  write_file(path("sub/rel.yaml"),
             "name: rel\n"
             "workload:\n"
             "  trace: {path: t.csv, format: csv}\n"
             "  request: {duration: {dist: constant, value: 10ms}}\n"
             "platforms:\n"
             "  - {name: f1, kind: fixed, instances: 1}\n");
  CHECK_INT(run("run sub/rel.yaml -q -o rel"), 0, "a trace path relative to the scenario's folder");
  char summary[4096];
  slurp(path("rel/summary.json"), summary, sizeof summary);
  CHECK_CONTAINS(summary, "\"requests\": 3,", "all three requests of the trace replayed");
}

/* docs/scenario.md is `scalesim keys` under a fixed header (make docs), so
 * the reference cannot drift from the schemas. Run from the source tree. */
static void test_reference_current(void) {
  static char doc[1 << 18];
  CHECK_INT(run("keys"), 0, "keys exits 0");
  slurp("docs/scenario.md", doc, sizeof doc);
  const char *at = strstr(doc, "## Scenario keys");
  CHECK(at && strcmp(at, out_text) == 0,
        "docs/scenario.md is current (run `make docs` after changing a schema)");
}

/* The runs of a sweep write no per-run report (the sweep has its page). */
static void test_sweep_runs_without_report(void) {
  write_file(path("small.yaml"), small);
  CHECK_INT(run("sweep small.yaml --grid platforms[0].instances=2,3 -j 1 -q -o sw"), 0,
            "a two-variant sweep runs");
  CHECK(access(path("sw/sweep.csv"), R_OK) == 0, "it writes sweep.csv");
  char cmd[512];
  snprintf(cmd, sizeof cmd, "find '%s/sw/runs' -name report.html | grep -q .", tmp);
  CHECK(system(cmd) != 0, "and no report.html in its runs");
}

/* Runs `scalesim ARGS` with a terminal as stdin, stdout and stderr (util-linux
 * `script`, from bsdutils, which every Debian system has); what it wrote to the
 * terminal goes to out_text. Returns the exit status. */
static int run_on_tty(const char *args) {
  char cmd[4096], out[128];
  snprintf(out, sizeof out, "%s/tty", tmp);
  snprintf(cmd, sizeof cmd, "cd %s && script -qec \"'%s' %s\" /dev/null >tty 2>&1 </dev/null",
           tmp, bin, args);
  int st = system(cmd);
  slurp(out, out_text, sizeof out_text);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The progress line (simulated time, requests, rate, ETA) goes to stderr when
 * it is a terminal, at most twice a second, and is wiped when the run ends;
 * never with --quiet or when stderr is a file. Six million requests, a
 * second or more of work, so that at least one line is due. */
static void test_progress_line(void) {
  write_file(path("busy.yaml"),
             "name: busy\n"
             "duration: 2m\n"
             "workload:\n"
             "  arrivals: {process: poisson, rate: 50000/s}\n"
             "  request: {duration: {dist: exponential, mean: 1ms}}\n"
             "platforms:\n"
             "  - {name: f100, kind: fixed, instances: 100}\n"
             "output: {dir: busy-out, resolution: 1m}\n");
  CHECK_INT(run_on_tty("run busy.yaml"), 0, "progress: a run on a terminal succeeds");
  CHECK_CONTAINS(out_text, "\rf100: t=", "progress: the line names the platform and simulated time");
  CHECK_CONTAINS(out_text, " requests  ", "progress: the line counts requests");
  CHECK_CONTAINS(out_text, "M req/s  ETA ", "progress: the line gives the rate and the ETA");
  CHECK_CONTAINS(out_text, "\r\033[K", "progress: the line is wiped at the end");
  CHECK_INT(run_on_tty("run --quiet busy.yaml"), 0, "progress: --quiet on a terminal succeeds");
  CHECK(strstr(out_text, "ETA") == NULL, "progress: --quiet prints no progress line");
  CHECK_INT(run("run busy.yaml"), 0, "progress: a run with stderr to a file succeeds");
  CHECK(strstr(err_text, "ETA") == NULL, "progress: no progress line when stderr is not a terminal");
}

/* A trace's size is known only as it is read: a replay that outgrows
 * limits.requests stops like an interrupted run (exit 1, the summary marked
 * incomplete, the budget named). */
static void test_requests_budget(void) {
  write_file(path("burst.csv"), "time,count\n0,200000\n");
  write_file(path("burst.yaml"),
             "name: burst\n"
             "workload:\n"
             "  trace: {path: burst.csv, format: counts, interval: 10s}\n"
             "  request: {duration: {dist: constant, value: 1ms}}\n"
             "platforms:\n"
             "  - {name: f, kind: fixed, instances: 50}\n"
             "limits: {requests: 1000}\n"
             "output: {dir: burst-out, resolution: 1s}\n");
  CHECK_INT(run("run --quiet burst.yaml"), 1, "requests budget: a run over it exits 1");
  CHECK_CONTAINS(err_text, "limits.requests: the run was fed ", "requests budget: named on stderr");
  CHECK_CONTAINS(err_text, "over its budget of 1000", "requests budget: the budget is given");
  char summary[4096];
  slurp(path("burst-out/summary.json"), summary, sizeof summary);
  CHECK_CONTAINS(summary, "\"complete\": false", "requests budget: the summary is marked incomplete");
}

static void test_demo(void) {
  CHECK_INT(run("run -o demo"), 0, "the built-in demo runs");
  CHECK_CONTAINS(out_text, "outputs: demo/", "demo prints its output folder");
  CHECK_CONTAINS(out_text, "platform", "demo prints a summary table");
  CHECK(access(path("demo/summary.json"), R_OK) == 0, "demo wrote summary.json");
}

int main(void) {
  check_init();
  bin = getenv("SCALESIM");
  static char here[4096];
  if (!bin) bin = realpath("scalesim", here); /* commands run inside tmp */
  if (!bin || !mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  test_help_and_misuse();
  test_bad_inputs();
  test_run_and_determinism();
  test_no_completions();
  test_relative_paths();
  test_reference_current();
  test_sweep_runs_without_report();
  test_progress_line();
  test_requests_budget();
  test_demo();
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  system(cmd);
  return check_done();
}

/* test_interrupt.c — the interrupt path (issue #8, docs/guarantees.md): a
 * `scalesim run` that receives SIGINT or SIGTERM stops cleanly. It runs the
 * binary under test (env SCALESIM, set by tests/run.sh) on a scenario far too
 * long to finish, sends the signal after about half a second, and checks that
 *   - the process ends promptly and dies by that signal (re-raised after
 *     cleanup, so a shell sees the interruption: status 130 / 143);
 *   - it says on stderr that it was interrupted;
 *   - no temporary file (*.tmp) is left in the output folder;
 *   - every output file present is complete (text files end with a newline);
 *   - summary.json, if written, says "complete": false. */
#include <dirent.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/error.h"
#include "tests/check.h"
#include "tests/files.h"

static const char long_scenario[] =
    "name: interrupt-me\n"
    "seed: 1\n"
    "duration: 240h\n"
    "workload:\n"
    "  arrivals: {process: poisson, rate: 20000/s}\n"
    "  request: {duration: {dist: exponential, mean: 5ms}, cpu_share: 1}\n"
    "platforms:\n"
    "  - {name: fleet, kind: fixed, instances: 200, instance: {vcpu: 1, max_concurrency: 100}}\n";

static void sleep_s(double s) {
  struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
  nanosleep(&ts, NULL);
}

/* Starts `bin run scenario -o out --quiet` with stderr into err_path. */
static pid_t start_run(const char *bin, const char *scenario, const char *out,
                       const char *err_path) {
  fflush(NULL);
  pid_t pid = fork();
  SIM_ASSERT(pid >= 0);
  if (pid == 0) {
    int fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execl(bin, bin, "run", scenario, "-o", out, "--quiet", (char *)NULL);
    _exit(127);
  }
  return pid;
}

/* Waits up to limit_s for pid; returns true with its status, or kills it. */
static bool wait_for(pid_t pid, double limit_s, int *status) {
  for (double t = 0; t < limit_s; t += 0.05) {
    if (waitpid(pid, status, WNOHANG) == pid) return true;
    sleep_s(0.05);
  }
  kill(pid, SIGKILL);
  waitpid(pid, status, 0);
  return false;
}

typedef struct scan {
  int tmp_files, files, truncated;
  char first_bad[2048];
} scan;

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Walks dir: counts files, *.tmp files, and text files not ending in '\n'. */
static void scan_dir(const char *dir, scan *sc) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (stat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      scan_dir(path, sc);
      continue;
    }
    sc->files++;
    bool bad = false;
    if (ends_with(e->d_name, ".tmp")) {
      sc->tmp_files++;
      bad = true;
    } else if (ends_with(e->d_name, ".csv") || ends_with(e->d_name, ".json")) {
      char *text = read_file(path, NULL);
      size_t n = text ? strlen(text) : 0;
      if (n == 0 || text[n - 1] != '\n') {
        sc->truncated++;
        bad = true;
      }
      free(text);
    }
    if (bad && !sc->first_bad[0]) snprintf(sc->first_bad, sizeof sc->first_bad, "%s", path);
  }
  closedir(d);
}

/* The value of top-level key `complete` in a JSON file: 1 true, 0 false, -1
 * when the file does not say. */
static int json_complete(const char *path) {
  struct fy_document *fyd = fy_document_build_from_file(NULL, path);
  if (!fyd) return -1;
  struct fy_node *v = fy_node_by_path(fy_document_root(fyd), "/complete", FY_NT, FYNWF_DONT_FOLLOW);
  const char *s = v ? fy_node_get_scalar0(v) : NULL;
  int r = !s ? -1 : !strcmp(s, "true") ? 1 : !strcmp(s, "false") ? 0 : -1;
  fy_document_destroy(fyd);
  return r;
}

static void test_signal(const char *bin, const char *tmp, int signo, const char *name) {
  char scenario[512], out[512], err_path[512], summary[600];
  snprintf(scenario, sizeof scenario, "%s/long.yaml", tmp);
  snprintf(out, sizeof out, "%s/out-%s", tmp, name);
  snprintf(err_path, sizeof err_path, "%s/stderr-%s.txt", tmp, name);
  write_file(scenario, long_scenario);

  pid_t pid = start_run(bin, scenario, out, err_path);
  sleep_s(0.5);
  kill(pid, signo);
  int st = 0;
  CHECK(wait_for(pid, 30, &st), "%s: the run ends within 30 s of the signal", name);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == signo,
        "%s: the process dies by the signal it got (status 0x%x)", name, (unsigned)st);

  char *err = read_file(err_path, NULL);
  CHECK_CONTAINS(err, "interrupted", "%s: stderr says the run was interrupted", name);
  CHECK_CONTAINS(err, name, "%s: and by which signal", name);
  free(err);

  scan sc = {0};
  scan_dir(out, &sc);
  CHECK_INT(sc.tmp_files, 0, "%s: no temporary files left (%s)", name, sc.first_bad);
  CHECK_INT(sc.truncated, 0, "%s: no truncated file under a final name (%s)", name, sc.first_bad);
  snprintf(summary, sizeof summary, "%s/summary.json", out);
  if (access(summary, F_OK) == 0)
    CHECK_INT(json_complete(summary), 0, "%s: summary.json says \"complete\": false", name);
}

/* Removes the test's folder (rm -r of what this test wrote). */
static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char path[2048];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(path);
    else unlink(path);
  }
  closedir(d);
  rmdir(dir);
}

int main(void) {
  check_init();
  const char *bin = getenv("SCALESIM");
  if (!bin) bin = "./scalesim";
  CHECK(access(bin, X_OK) == 0, "the binary under test %s is executable (env SCALESIM)", bin);
  char tmp[] = "/tmp/scalesim-test-interrupt-XXXXXX";
  SIM_ASSERT(mkdtemp(tmp));
  test_signal(bin, tmp, SIGINT, "SIGINT");
  test_signal(bin, tmp, SIGTERM, "SIGTERM");
  remove_tree(tmp);
  return check_done();
}

/* test_fuzz_regressions.c — replays, through the fuzz harnesses' own entry
 * points, every input of the seed corpora (tests/fuzz/corpus/<harness>/) and
 * every input that once crashed a harness (tests/fuzz/regressions/<harness>/),
 * so that the normal test suite — and its sanitizer and valgrind runs — keeps
 * each parser bug fixed. Built with the harnesses (-DFUZZ_NO_MAIN) by the
 * Makefile. Each input runs in a child process, so that a crash, a leak
 * (under the sanitizers) or a hang fails that input alone: it passes when its
 * harness returns within INPUT_TIMEOUT_S with no property violated and the
 * child exits cleanly. */
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/error.h"
#include "tests/check.h"
#include "tests/fuzz/fuzz.h"

/* A parser that loops on an input fails this test instead of hanging it. An
 * input takes milliseconds; the margin is for valgrind (`make memcheck`). */
enum { INPUT_TIMEOUT_S = 20 };

/* A child's exit status when a property was violated; distinct from ASan's 1
 * (an error or a leak) and valgrind's 99 (`make memcheck`). */
enum { VIOLATED = 3 };

typedef struct harness {
  const char *name;
  int (*run)(const uint8_t *data, size_t size);
} harness;

static const harness harnesses[] = {
    {"units", fuzz_units},
    {"scenario", fuzz_scenario},
    {"override", fuzz_override},
    {"trace_csv", fuzz_trace_csv},
    {"trace_tsv", fuzz_trace_tsv},
    {"trace_clf", fuzz_trace_clf},
    {"trace_alb", fuzz_trace_alb},
    {"trace_azure2021", fuzz_trace_azure2021},
    {"trace_azure2019", fuzz_trace_azure2019},
    {"trace_counts", fuzz_trace_counts},
    {"trace_count_series", fuzz_trace_count_series},
    {"import_ecs", fuzz_import_ecs},
    {"import_cloudrun", fuzz_import_cloudrun},
    {"grid", fuzz_grid},
    {"variants", fuzz_variants},
    {"report_data", fuzz_report_data},
    {"schedule", fuzz_schedule},
};

static uint8_t *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0, got;
  uint8_t *buf = sim_xmalloc(cap);
  while ((got = fread(buf + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap) buf = sim_xrealloc(buf, cap *= 2);
  fclose(f);
  *len = n;
  return buf;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs h on one input in a child process; true when it returned with no
 * property violated and exited cleanly, else why (" (crashed: signal 11)"). */
static bool replay(const harness *h, const uint8_t *data, size_t len, char *why, size_t why_len) {
  fflush(NULL);
  pid_t pid = fork();
  SIM_ASSERT(pid >= 0);
  if (pid == 0) {
    alarm(INPUT_TIMEOUT_S); /* the default action ends a hung child */
    h->run(data, len);
    /* exit, not _exit: LeakSanitizer runs (and exits 1 on a leak) */
    exit(fuzz_violations ? VIOLATED : 0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  why[0] = '\0';
  if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
    snprintf(why, why_len, " (hung: over %d s)", INPUT_TIMEOUT_S);
  else if (WIFSIGNALED(st))
    snprintf(why, why_len, " (crashed: signal %d)", WTERMSIG(st));
  else if (WEXITSTATUS(st) == VIOLATED)
    snprintf(why, why_len, " (a property was violated)");
  else if (WEXITSTATUS(st) != 0)
    snprintf(why, why_len, " (exit status %d: a sanitizer's or valgrind's report)",
             WEXITSTATUS(st));
  return why[0] == '\0';
}

/* Replays every regular file in dir through h; returns how many there were. */
static int replay_dir(const harness *h, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return 0;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    names = sim_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = sim_xstrdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name); /* the same order every run */
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    struct stat st;
    char why[96];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    size_t len = 0;
    uint8_t *data = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? read_all(path, &len) : NULL;
    if (data) {
      CHECK(replay(h, data, len, why, sizeof why), "%s: %s%s", h->name, path, why);
      free(data);
    }
    free(names[i]);
  }
  free(names);
  return (int)n;
}

int main(void) {
  check_init();
  for (size_t i = 0; i < sizeof harnesses / sizeof *harnesses; i++) {
    const harness *h = &harnesses[i];
    char dir[256];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", h->name);
    int seeds = replay_dir(h, dir);
    CHECK(seeds > 0, "%s has a seed corpus in %s", h->name, dir);
    snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", h->name);
    replay_dir(h, dir);
  }
  return check_done();
}

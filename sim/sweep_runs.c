/* sweep_runs.c — a sweep's runs on disk: running one into its folder
 * atomically, knowing whether it is complete, removing leftovers, and
 * importing a run from a shard's folder (see sweep.h). */
#include "sim/sweep.h"

#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/atomic.h"
#include "sim/run.h"

/* nftw passes no context to its callback: these hold the current walk's.
 * The sweep has no threads, and walks do not nest. */
static int walk_errno;
static char walk_failed_path[4096];
static const char *walk_from, *walk_to; /* sweep_import_run: source and target roots */

static void walk_fail(const char *path, int e) {
  walk_errno = e;
  snprintf(walk_failed_path, sizeof walk_failed_path, "%s", path);
}

static char *run_dir(const char *dir, const char *run_id, const char *suffix) {
  size_t len = strlen(dir) + strlen("/runs/") + strlen(run_id) + strlen(suffix) + 1;
  char *path = sim_xmalloc(len);
  snprintf(path, len, "%s/runs/%s%s", dir, run_id, suffix);
  return path;
}

bool sweep_run_complete(const char *dir, const char *run_id) {
  char *path = run_dir(dir, run_id, "/summary.json");
  struct stat st;
  bool complete = stat(path, &st) == 0 && S_ISREG(st.st_mode);
  free(path);
  return complete;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  if (remove(path) != 0 && errno != ENOENT) {
    walk_fail(path, errno);
    return 1;
  }
  return 0;
}

int sweep_remove_tree(const char *path, sim_error *err) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return errno == ENOENT ? SIM_OK
                           : sim_errorf(err, SIM_EFAIL, "%s: %s", path, strerror(errno));
  walk_errno = 0;
  if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && walk_errno == 0)
    walk_fail(path, errno);
  if (walk_errno)
    return sim_errorf(err, SIM_EFAIL, "%s: cannot remove: %s", walk_failed_path,
                      strerror(walk_errno));
  return SIM_OK;
}

/* Renames the finished folder tmp to final, replacing what a failed or
 * foreign attempt may have left there. */
static int publish(const char *tmp, const char *final, sim_error *err) {
  int rc = sweep_remove_tree(final, err);
  if (rc) return rc;
  if (rename(tmp, final) != 0)
    return sim_errorf(err, SIM_EFAIL, "%s: cannot rename from %s: %s", final, tmp,
                      strerror(errno));
  return SIM_OK;
}

int sweep_run_one(const sweep_design *d, size_t run, const sweep_scenario *sc, const char *dir,
                  sim_error *err) {
  char id[SWEEP_ID_LEN];
  sweep_run_id(d, run, id);
  char *final = run_dir(dir, id, ""), *tmp = run_dir(dir, id, ".tmp");
  scenario *s = NULL;
  int rc = sweep_remove_tree(tmp, err);
  if (!rc) rc = sweep_load_run(d, run, sc, &s, err);
  if (!rc) {
    run_options opt = {.out_dir = tmp, .progress = false, .no_report = true};
    rc = run_scenario(s, &opt, NULL, err);
  }
  if (!rc) rc = publish(tmp, final, err);
  if (rc) {
    sim_error ignored = {0};
    sweep_remove_tree(tmp, &ignored); /* a failed run leaves nothing */
  }
  scenario_free(s);
  free(final);
  free(tmp);
  return rc;
}

/* Copies a file byte for byte (when a hard link is not possible). */
static int copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  if (!in) return errno;
  FILE *out = fopen(to, "wb");
  if (!out) {
    int e = errno;
    fclose(in);
    return e;
  }
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    if (fwrite(buf, 1, n, out) != n) break;
  int e = ferror(in) || ferror(out) ? (errno ? errno : EIO) : 0;
  fclose(in);
  if (fclose(out) != 0 && !e) e = errno;
  return e;
}

/* Mirrors one entry of the walk under walk_from into walk_to. */
static int import_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  const char *rel = path + strlen(walk_from);
  size_t len = strlen(walk_to) + strlen(rel) + 1;
  char *target = sim_xmalloc(len);
  snprintf(target, len, "%s%s", walk_to, rel);
  int e = 0;
  if (flag == FTW_D) e = mkdir(target, 0777) == 0 ? 0 : errno;
  else if (flag == FTW_F) {
    if (link(path, target) != 0) e = copy_file(path, target);
  } else e = EINVAL; /* unreadable folders, symbolic links: not something a run writes */
  if (e) walk_fail(target, e);
  free(target);
  return e != 0;
}

int sweep_import_run(const char *from_dir, const char *to_dir, const char *run_id,
                     sim_error *err) {
  char *from = run_dir(from_dir, run_id, ""), *final = run_dir(to_dir, run_id, "");
  char *tmp = run_dir(to_dir, run_id, ".tmp"), *runs = sweep_path(to_dir, "runs");
  int rc = sweep_remove_tree(tmp, err);
  if (!rc) rc = out_mkdirs(runs, err);
  if (!rc) {
    walk_from = from;
    walk_to = tmp;
    walk_errno = 0;
    if (nftw(from, import_entry, 16, FTW_PHYS) != 0 && walk_errno == 0) walk_fail(from, errno);
    if (walk_errno)
      rc = sim_errorf(err, SIM_EFAIL, "%s: cannot import: %s", walk_failed_path,
                      strerror(walk_errno));
  }
  if (!rc) rc = publish(tmp, final, err);
  if (rc) {
    sim_error ignored = {0};
    sweep_remove_tree(tmp, &ignored);
  }
  free(from);
  free(final);
  free(tmp);
  free(runs);
  return rc;
}

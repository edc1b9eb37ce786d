/* atomic.c — write-to-temporary-then-rename output files (see atomic.h). */
#include "output/atomic.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct out_file {
  FILE *fp;
  char *path; /* final name */
  char *tmp;  /* path + ".tmp" */
};

static const char tmp_suffix[] = ".tmp";

/* mkdir that accepts an existing folder (but not an existing non-folder). */
static int mkdir_one(const char *dir, sim_error *err) {
  if (mkdir(dir, 0777) == 0) return SIM_OK;
  int e = errno;
  struct stat st;
  if (e == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return SIM_OK;
  if (e == EEXIST) e = ENOTDIR;
  return sim_errorf(err, SIM_EFAIL, "%s: cannot create folder: %s", dir, strerror(e));
}

int out_mkdirs(const char *dir, sim_error *err) {
  if (!dir || !*dir) return SIM_OK;
  char *buf = sim_xstrdup(dir);
  int rc = SIM_OK;
  /* Create each prefix ending before a '/', then the whole path; leading and
   * repeated slashes give empty prefixes, which are skipped. */
  for (char *p = buf + 1; *p && rc == SIM_OK; p++) {
    if (*p != '/' || p[-1] == '/') continue;
    *p = '\0';
    rc = mkdir_one(buf, err);
    *p = '/';
  }
  if (rc == SIM_OK) rc = mkdir_one(buf, err);
  free(buf);
  return rc;
}

/* Creates the folder that will hold `path` (nothing when path has no '/'). */
static int make_parent(const char *path, sim_error *err) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return SIM_OK;
  size_t len = (size_t)(slash - path);
  char *dir = sim_xmalloc(len + 1);
  memcpy(dir, path, len);
  dir[len] = '\0';
  int rc = out_mkdirs(dir, err);
  free(dir);
  return rc;
}

out_file *out_file_open(const char *path, sim_error *err) {
  SIM_ASSERT(path != NULL);
  out_file *f = sim_xcalloc(1, sizeof *f);
  f->path = sim_xstrdup(path);
  size_t len = strlen(path);
  f->tmp = sim_xmalloc(len + sizeof tmp_suffix);
  memcpy(f->tmp, path, len);
  memcpy(f->tmp + len, tmp_suffix, sizeof tmp_suffix);
  if (make_parent(path, err) != SIM_OK) goto fail;
  f->fp = fopen(f->tmp, "w");
  if (!f->fp) {
    sim_errorf(err, SIM_EFAIL, "%s: cannot open for writing: %s", f->tmp, strerror(errno));
    goto fail;
  }
  return f;
fail:
  free(f->tmp);
  free(f->path);
  free(f);
  return NULL;
}

FILE *out_file_stream(out_file *f) { return f->fp; }

const char *out_file_path(const out_file *f) { return f->path; }

static void release(out_file *f) {
  free(f->tmp);
  free(f->path);
  free(f);
}

int out_file_commit(out_file *f, sim_error *err) {
  SIM_ASSERT(f != NULL);
  int rc = SIM_OK;
  /* A write error may have happened long before (ferror is sticky); errno is
   * only meaningful when fflush or fclose themselves fail. */
  int e = 0;
  if (fflush(f->fp) != 0) e = errno;
  int had_error = ferror(f->fp) || e != 0;
  if (fclose(f->fp) != 0 && !e) {
    e = errno;
    had_error = 1;
  }
  f->fp = NULL;
  if (had_error) {
    rc = sim_errorf(err, SIM_EFAIL, "%s: cannot write: %s", f->path, strerror(e ? e : EIO));
    unlink(f->tmp);
  } else if (rename(f->tmp, f->path) != 0) {
    rc = sim_errorf(err, SIM_EFAIL, "%s: cannot rename from %s: %s", f->path, f->tmp,
                    strerror(errno));
    unlink(f->tmp);
  }
  release(f);
  return rc;
}

void out_file_abort(out_file *f) {
  if (!f) return;
  if (f->fp) fclose(f->fp);
  unlink(f->tmp);
  release(f);
}

/* merge.c — one time-ordered record stream from one or several trace files.
 *
 * Each file passes through its own re-order window: a record may be logged up
 * to window_s earlier than the latest record read before it from the same
 * file; one earlier than that is an error naming the file and line (or, under
 * on_error: skip, a counted skip). The window works on the times as logged,
 * and a record leaves it once no later record can precede it: every later
 * record arrives at or after its logged time, which is at least the latest
 * logged time less the window. So spreading a timestamp over its resolution
 * never needs a wider window. The files are then merged by a small heap on
 * their next record's time (ties: the file that sorts first by name).
 *
 * So that a glob of hundreds of files (a day of ALB logs from several nodes)
 * does not hold every file open, each file's first record is read once at
 * open; the file then waits, closed, until the merged stream reaches that time
 * less the window (no record of it can be earlier than that). */
#include <glob.h>
#include <math.h>
#include <string.h>

#include "workloads/reorder.h"
#include "workloads/trace.h"

/* One file being read. */
typedef struct fstream {
  char *path;
  size_t index;        /* position in name order: breaks ties */
  double wake_s;       /* no record of this file is earlier than this */
  wl_parser *parser;   /* NULL while dormant or done */
  wl_reorder *pending; /* the re-order window (unsorted formats) */
  double max_raw_s;    /* latest logged time read from the file so far */
  long max_line;
  bool eof;
  int error_rc;        /* reading stopped at a bad record: reported after the */
  sim_error error;     /* records read before it have come out, in order */
  wl_rec head;         /* the file's next record in time order */
} fstream;

struct wl_merge {
  const wl_format *fmt;
  wl_parse_env *env;
  double window_s;
  fstream *files;
  size_t n_files;
  size_t *dormant;     /* indices of files not yet opened, by (wake_s, index) */
  size_t n_dormant, next_dormant;
  fstream **active;    /* heap of open files by (head.t_s, index) */
  size_t n_active;
  double skip_before_s; /* the latest skip_before hint, for files opened later */
  int deferred_rc;      /* an error met while reading ahead, reported next time */
  sim_error deferred_err;
};

/* --- one file --------------------------------------------------------------- */

static int fs_open(wl_merge *m, fstream *f, sim_error *err) {
  f->max_raw_s = -INFINITY;
  f->max_line = 0;
  f->eof = false;
  f->error_rc = 0;
  int rc = m->fmt->open(f->path, m->env, &f->parser, err);
  if (rc) return -rc;
  if (m->fmt->skip_before && m->skip_before_s > -INFINITY)
    m->fmt->skip_before(f->parser, m->skip_before_s);
  if (!m->fmt->sorted) f->pending = wl_reorder_alloc();
  return 0;
}

static void fs_close(fstream *f, const wl_format *fmt) {
  if (f->parser) fmt->free(f->parser);
  f->parser = NULL;
  wl_reorder_free(f->pending);
  f->pending = NULL;
}

/* Reads one record into the window; 1 read, 0 end of file, negative error. */
static int fs_fill_one(wl_merge *m, fstream *f, sim_error *err) {
  wl_rec rec;
  for (;;) {
    int rc = m->fmt->read(f->parser, &rec, err);
    if (rc <= 0) return rc;
    if (rec.t_raw_s >= f->max_raw_s - m->window_s) break;
    sim_errorf(err, SIM_EINPUT,
               "%s:%ld: time: %.6g s earlier than line %ld, beyond the re-order window "
               "of %g s (workload.trace.reorder_window)",
               f->path, rec.line, f->max_raw_s - rec.t_raw_s, f->max_line, m->window_s);
    rc = wl_parse_bad_record(m->env, err);
    if (rc) return rc;
  }
  if (rec.t_raw_s > f->max_raw_s) {
    f->max_raw_s = rec.t_raw_s;
    f->max_line = rec.line;
  }
  wl_reorder_push(f->pending, &rec);
  return 1;
}

/* Advances f->head to the file's next record in time order: 1, 0 at the end
 * of the file (which is then closed), negative on error. */
static int fs_advance(wl_merge *m, fstream *f, sim_error *err) {
  if (m->fmt->sorted) {
    int rc = m->fmt->read(f->parser, &f->head, err);
    if (rc == 0) fs_close(f, m->fmt);
    return rc;
  }
  while (!f->eof) {
    const wl_rec *first = wl_reorder_peek(f->pending);
    if (first && first->t_s <= f->max_raw_s - m->window_s) break;
    int rc = fs_fill_one(m, f, &f->error);
    if (rc < 0) f->error_rc = rc;
    if (rc <= 0) f->eof = true;
  }
  if (wl_reorder_pop(f->pending, &f->head)) return 1;
  if (f->error_rc) {
    if (err) *err = f->error;
    return f->error_rc;
  }
  fs_close(f, m->fmt);
  return 0;
}

/* --- the heap of open files ------------------------------------------------- */

static bool fs_before(const fstream *a, const fstream *b) {
  return a->head.t_s < b->head.t_s || (a->head.t_s == b->head.t_s && a->index < b->index);
}

static void heap_sift_down(wl_merge *m, size_t i) {
  fstream *x = m->active[i];
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= m->n_active) break;
    if (c + 1 < m->n_active && fs_before(m->active[c + 1], m->active[c])) c++;
    if (!fs_before(m->active[c], x)) break;
    m->active[i] = m->active[c];
    i = c;
  }
  m->active[i] = x;
}

static void heap_push(wl_merge *m, fstream *f) {
  size_t i = m->n_active++;
  while (i > 0 && fs_before(f, m->active[(i - 1) / 2])) {
    m->active[i] = m->active[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  m->active[i] = f;
}

/* Opens file f, reads its first record and puts it in the heap (unless empty). */
static int activate(wl_merge *m, fstream *f, sim_error *err) {
  int rc = fs_open(m, f, err);
  if (rc == 0) rc = fs_advance(m, f, err);
  if (rc < 0) return rc;
  if (rc == 1) heap_push(m, f);
  return 0;
}

/* --- opening ---------------------------------------------------------------- */

/* The time of a file's first record, read with a scratch environment so the
 * real replay's random streams and counters are untouched. *t_s is +inf for a
 * file with no records. */
static int first_time(const wl_merge *m, const char *path, double *t_s, sim_error *err) {
  wl_trace_counts scratch_counts = {0};
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  wl_parse_env env = *m->env;
  env.counts = &scratch_counts;
  env.spread_rng = env.service_rng = rng;
  wl_parser *p = NULL;
  wl_rec rec;
  int rc = m->fmt->open(path, &env, &p, err);
  if (rc == 0) {
    rc = m->fmt->read(p, &rec, err);
    *t_s = rc == 1 ? rec.t_raw_s : INFINITY;
    rc = rc < 0 ? -rc : 0;
    m->fmt->free(p);
  }
  gsl_rng_free(rng);
  return rc;
}

static int by_wake(const void *a, const void *b, void *ctx) {
  const fstream *files = ctx;
  const fstream *fa = &files[*(const size_t *)a];
  const fstream *fb = &files[*(const size_t *)b];
  if (fa->wake_s != fb->wake_s) return fa->wake_s < fb->wake_s ? -1 : 1;
  return fa->index < fb->index ? -1 : fa->index > fb->index;
}

static int expand_pattern(const char *pattern, glob_t *g, sim_error *err) {
  if (!strpbrk(pattern, "*?[")) {
    g->gl_pathc = 0;
    return SIM_OK;
  }
  int rc = glob(pattern, 0, NULL, g);
  if (rc == GLOB_NOMATCH) return sim_errorf(err, SIM_EINPUT, "%s: no file matches", pattern);
  if (rc) return sim_errorf(err, SIM_EINPUT, "%s: cannot expand the pattern", pattern);
  return SIM_OK;
}

int wl_merge_open(const wl_format *fmt, const char *pattern, wl_parse_env *env,
                  double window_s, wl_merge **out, sim_error *err) {
  *out = NULL;
  glob_t g = {0};
  int rc = expand_pattern(pattern, &g, err);
  if (rc) return rc;
  wl_merge *m = sim_xcalloc(1, sizeof *m);
  m->fmt = fmt;
  m->env = env;
  m->window_s = window_s;
  m->skip_before_s = -INFINITY;
  m->n_files = g.gl_pathc ? g.gl_pathc : 1;
  m->files = sim_xcalloc(m->n_files, sizeof *m->files);
  m->active = sim_xcalloc(m->n_files, sizeof *m->active);
  m->dormant = sim_xcalloc(m->n_files, sizeof *m->dormant);
  for (size_t i = 0; i < m->n_files; i++) {
    m->files[i].path = sim_xstrdup(g.gl_pathc ? g.gl_pathv[i] : pattern);
    m->files[i].index = i;
  }
  if (g.gl_pathc) globfree(&g);
  if (m->n_files == 1) {
    rc = -activate(m, &m->files[0], err);
    if (rc) goto fail;
  } else {
    for (size_t i = 0; i < m->n_files; i++) {
      double t;
      rc = first_time(m, m->files[i].path, &t, err);
      if (rc) goto fail;
      if (isinf(t)) continue; /* an empty file adds nothing */
      m->files[i].wake_s = t - window_s;
      m->dormant[m->n_dormant++] = i;
    }
    qsort_r(m->dormant, m->n_dormant, sizeof *m->dormant, by_wake, m->files);
  }
  *out = m;
  return SIM_OK;
fail:
  wl_merge_free(m);
  return rc;
}

int wl_merge_next(wl_merge *m, wl_rec *out, sim_error *err) {
  if (m->deferred_rc) {
    if (err) *err = m->deferred_err;
    return m->deferred_rc;
  }
  /* Wake every file whose records could come before the current earliest. */
  while (m->next_dormant < m->n_dormant) {
    fstream *f = &m->files[m->dormant[m->next_dormant]];
    if (m->n_active && m->active[0]->head.t_s < f->wake_s) break;
    m->next_dormant++;
    int rc = activate(m, f, err);
    if (rc < 0) return rc;
  }
  if (m->n_active == 0) return 0;
  fstream *f = m->active[0];
  *out = f->head;
  /* Reading the file's next record may fail; the record in hand is still
   * good, so the error waits for the next call. */
  int rc = fs_advance(m, f, &m->deferred_err);
  if (rc < 0) {
    m->deferred_rc = rc;
    return 1;
  }
  if (rc == 0) m->active[0] = m->active[--m->n_active];
  if (m->n_active) heap_sift_down(m, 0);
  return 1;
}

void wl_merge_skip_before(wl_merge *m, double t_s) {
  if (!m->fmt->skip_before) return;
  m->skip_before_s = t_s;
  for (size_t i = 0; i < m->n_active; i++) m->fmt->skip_before(m->active[i]->parser, t_s);
}

size_t wl_merge_files(const wl_merge *m) { return m->n_files; }

void wl_merge_free(wl_merge *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n_files; i++) {
    fs_close(&m->files[i], m->fmt);
    free(m->files[i].path);
  }
  free(m->files);
  free(m->active);
  free(m->dormant);
  free(m);
}

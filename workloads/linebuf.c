/* linebuf.c — fixed-buffer line reading over gzFile (see linebuf.h). */
#include "workloads/linebuf.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <zlib.h>

struct wl_linebuf {
  gzFile gz;
  char *path;
  char *buf;      /* cap + 1 bytes: room for the NUL after a full-length line */
  size_t cap;
  size_t start;   /* first unread byte */
  size_t end;     /* one past the last byte read from the file */
  int eof;        /* gzread reported the end of the input */
  long lineno;
  int newline_pending; /* token mode: the last token ended a line */
  uint64_t bytes;
};

int wl_linebuf_open(const char *path, size_t cap, wl_linebuf **out, sim_error *err) {
  *out = NULL;
  gzFile gz = gzopen(path, "rb");
  if (!gz)
    return sim_errorf(err, SIM_EINPUT, "%s: cannot open: %s", path,
                      errno ? strerror(errno) : "out of memory");
  wl_linebuf *lb = sim_xcalloc(1, sizeof *lb);
  lb->gz = gz;
  lb->path = sim_xstrdup(path);
  lb->cap = cap ? cap : WL_LINEBUF_DEFAULT_CAP;
  lb->buf = sim_xmalloc(lb->cap + 1);
  /* A larger zlib input buffer than its 8 KiB default halves the read calls. */
  gzbuffer(gz, 128u * 1024u);
  *out = lb;
  return SIM_OK;
}

void wl_linebuf_free(wl_linebuf *lb) {
  if (!lb) return;
  if (lb->gz) gzclose(lb->gz);
  free(lb->buf);
  free(lb->path);
  free(lb);
}

/* Moves the unread tail to the front and reads more; 0 or -SIM_EINPUT. */
static int refill(wl_linebuf *lb, sim_error *err) {
  size_t keep = lb->end - lb->start;
  if (lb->start > 0) memmove(lb->buf, lb->buf + lb->start, keep);
  lb->start = 0;
  lb->end = keep;
  int n = gzread(lb->gz, lb->buf + lb->end, (unsigned)(lb->cap - lb->end));
  if (n < 0) {
    int zerr;
    const char *msg = gzerror(lb->gz, &zerr);
    return -sim_errorf(err, SIM_EINPUT, "%s:%ld: read error: %s", lb->path, lb->lineno + 1,
                       zerr == Z_ERRNO ? strerror(errno) : msg);
  }
  if (n == 0) lb->eof = 1;
  lb->end += (size_t)n;
  return SIM_OK;
}

/* Hands out buf[start, start + n) as a line and consumes `used` bytes. */
static int emit(wl_linebuf *lb, size_t n, size_t used, char **line, size_t *len) {
  char *s = lb->buf + lb->start;
  if (n > 0 && s[n - 1] == '\r') n--;
  s[n] = '\0';
  lb->start += used;
  lb->bytes += used;
  lb->lineno++;
  *line = s;
  *len = n;
  return 1;
}

int wl_linebuf_next(wl_linebuf *lb, char **line, size_t *len, sim_error *err) {
  for (;;) {
    size_t avail = lb->end - lb->start;
    char *nl = memchr(lb->buf + lb->start, '\n', avail);
    if (nl) {
      size_t n = (size_t)(nl - (lb->buf + lb->start));
      return emit(lb, n, n + 1, line, len);
    }
    if (lb->eof) return avail ? emit(lb, avail, avail, line, len) : 0;
    if (avail == lb->cap)
      return -sim_errorf(err, SIM_EINPUT, "%s:%ld: line longer than %zu bytes", lb->path,
                         lb->lineno + 1, lb->cap);
    int rc = refill(lb, err);
    if (rc) return rc;
  }
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int wl_linebuf_next_token(wl_linebuf *lb, char **tok, size_t *len, sim_error *err) {
  if (lb->lineno == 0) lb->lineno = 1;
  if (lb->newline_pending) lb->lineno++;
  lb->newline_pending = 0;
  for (;;) {
    while (lb->start < lb->end && is_blank(lb->buf[lb->start])) {
      if (lb->buf[lb->start] == '\n') lb->lineno++;
      lb->start++;
      lb->bytes++;
    }
    size_t i = lb->start;
    while (i < lb->end && !is_blank(lb->buf[i])) i++;
    if (i < lb->end || (lb->eof && i > lb->start)) {
      /* The blank after the token (or the spare byte at the end) becomes its
       * NUL; a newline there is counted on the next call. */
      bool blank = i < lb->end;
      lb->newline_pending = blank && lb->buf[i] == '\n';
      lb->buf[i] = '\0';
      *tok = lb->buf + lb->start;
      *len = i - lb->start;
      lb->bytes += *len + blank;
      lb->start = i + blank;
      return 1;
    }
    if (lb->eof) return 0;
    if (lb->end - lb->start == lb->cap)
      return -sim_errorf(err, SIM_EINPUT, "%s:%ld: token longer than %zu bytes", lb->path,
                         lb->lineno, lb->cap);
    int rc = refill(lb, err);
    if (rc) return rc;
  }
}

long wl_linebuf_lineno(const wl_linebuf *lb) { return lb->lineno; }
const char *wl_linebuf_path(const wl_linebuf *lb) { return lb->path; }
uint64_t wl_linebuf_bytes(const wl_linebuf *lb) { return lb->bytes; }

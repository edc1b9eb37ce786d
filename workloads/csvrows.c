/* csvrows.c — CSV/TSV rows over libcsv and the line reader (see csvrows.h).
 *
 * Lines are fed to libcsv one at a time with their LF restored, so libcsv sees
 * the original row structure (a quoted field may span lines) while memory stays
 * bounded by the line buffer and one row's fields. Only LF ends a row: a stray
 * CR inside a line is data, and the CR of CRLF was already dropped. */
#include "workloads/csvrows.h"

#include <csv.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "workloads/linebuf.h"

/* A row's fields may not take more than this (bounded memory). */
#define MAX_ROW_BYTES (4u * WL_LINEBUF_DEFAULT_CAP)

/* The fields of one row, back to back with their NULs. */
typedef struct fields {
  char *text;
  size_t used, cap;
  size_t *start, *len;
  size_t n, n_cap;
} fields;

struct wl_csv {
  wl_linebuf *lb;
  struct csv_parser csv;
  fields row, head;
  long row_line;
  bool in_row, row_done, too_long, eof;
  char name_buf[32];
};

static void fields_add(fields *f, const char *s, size_t len, bool *too_long) {
  if (f->used + len + 1 > f->cap) {
    size_t cap = f->cap ? f->cap : 256;
    while (cap < f->used + len + 1) cap *= 2;
    if (cap > MAX_ROW_BYTES) {
      *too_long = true;
      return;
    }
    f->text = sim_xrealloc(f->text, cap);
    f->cap = cap;
  }
  if (f->n == f->n_cap) {
    f->n_cap = f->n_cap ? 2 * f->n_cap : 16;
    f->start = sim_xrealloc(f->start, f->n_cap * sizeof *f->start);
    f->len = sim_xrealloc(f->len, f->n_cap * sizeof *f->len);
  }
  if (len) memcpy(f->text + f->used, s, len);
  f->text[f->used + len] = '\0';
  f->start[f->n] = f->used;
  f->len[f->n] = len;
  f->n++;
  f->used += len + 1;
}

static void fields_free(fields *f) {
  free(f->text);
  free(f->start);
  free(f->len);
}

static void on_field(void *s, size_t len, void *data) {
  wl_csv *c = data;
  fields_add(&c->row, s ? s : "", s ? len : 0, &c->too_long);
}

static void on_row(int term, void *data) {
  wl_csv *c = data;
  c->row_done = true;
}

static int only_lf(unsigned char ch) { return ch == '\n'; }

int wl_csv_open(const char *path, char delim, bool header, wl_csv **out, sim_error *err) {
  *out = NULL;
  wl_csv *c = sim_xcalloc(1, sizeof *c);
  int rc = wl_linebuf_open(path, 0, &c->lb, err);
  if (rc) {
    free(c);
    return rc;
  }
  if (csv_init(&c->csv, CSV_APPEND_NULL) != 0) {
    wl_linebuf_free(c->lb);
    free(c);
    return sim_errorf(err, SIM_EFAIL, "%s: cannot set up the CSV parser", path);
  }
  csv_set_delim(&c->csv, (unsigned char)delim);
  csv_set_term_func(&c->csv, only_lf);
  if (header) {
    rc = wl_csv_next(c, err);
    if (rc < 0) {
      rc = -rc;
      goto fail;
    }
    /* The header row becomes the column names; a UTF-8 byte-order mark goes. */
    c->head = c->row;
    memset(&c->row, 0, sizeof c->row);
    if (c->head.n && c->head.len[0] >= 3 && memcmp(c->head.text, "\xEF\xBB\xBF", 3) == 0) {
      c->head.start[0] += 3;
      c->head.len[0] -= 3;
    }
  }
  *out = c;
  return SIM_OK;
fail:
  wl_csv_free(c);
  return rc;
}

void wl_csv_free(wl_csv *c) {
  if (!c) return;
  csv_free(&c->csv);
  wl_linebuf_free(c->lb);
  fields_free(&c->row);
  fields_free(&c->head);
  free(c);
}

/* Ends the current row: 1, or an error if it overflowed. */
static int row_ready(wl_csv *c, sim_error *err) {
  c->in_row = false;
  c->row_done = false;
  if (c->too_long)
    return -sim_errorf(err, SIM_EINPUT, "%s:%ld: row longer than %u bytes",
                       wl_linebuf_path(c->lb), c->row_line, MAX_ROW_BYTES);
  return 1;
}

int wl_csv_next(wl_csv *c, sim_error *err) {
  c->row.n = c->row.used = 0;
  c->too_long = false;
  for (;;) {
    if (c->eof) return 0;
    char *line = NULL;
    size_t len = 0;
    int rc = wl_linebuf_next(c->lb, &line, &len, err);
    if (rc < 0) return rc;
    if (rc == 0) {
      /* The last row may lack its newline (or end inside quotes). */
      c->eof = true;
      csv_fini(&c->csv, on_field, on_row, c);
      return c->row_done ? row_ready(c, err) : 0;
    }
    if (!c->in_row) {
      if (len == 0) continue; /* blank line */
      c->in_row = true;
      c->row_line = wl_linebuf_lineno(c->lb);
    }
    line[len] = '\n'; /* the buffer holds len + 1 bytes: restore the terminator */
    csv_parse(&c->csv, line, len + 1, on_field, on_row, c);
    if (c->row_done) return row_ready(c, err);
  }
}

size_t wl_csv_nfields(const wl_csv *c) { return c->row.n; }

const char *wl_csv_field(const wl_csv *c, size_t i, size_t *len) {
  if (i >= c->row.n) return NULL;
  if (len) *len = c->row.len[i];
  return c->row.text + c->row.start[i];
}

static bool is_index(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s)) return false;
  return true;
}

/* Appends the header's names to buf (cut short when long), for messages. */
static void list_columns(const wl_csv *c, char *buf, size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < c->head.n && used + 1 < n; i++) {
    int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", c->head.text + c->head.start[i]);
    if (w < 0 || (size_t)w >= n - used) {
      if (n >= 4) memcpy(buf + n - 4, "...", 4);
      return;
    }
    used += (size_t)w;
  }
}

int wl_csv_column(const wl_csv *c, const char *name, size_t *index, sim_error *err) {
  const char *path = wl_linebuf_path(c->lb);
  if (is_index(name)) {
    unsigned long long i = strtoull(name, NULL, 10);
    if (c->head.n && i >= c->head.n)
      return sim_errorf(err, SIM_EINPUT, "%s:1: header: no column %llu (the header has %zu)",
                        path, i, c->head.n);
    *index = (size_t)i;
    return SIM_OK;
  }
  if (c->head.n == 0)
    return sim_errorf(err, SIM_ESCENARIO,
                      "%s: column '%s' is a name but the trace has no header (header: false); "
                      "give a 0-based index",
                      path, name);
  for (size_t i = 0; i < c->head.n; i++)
    if (strcmp(c->head.text + c->head.start[i], name) == 0) {
      *index = i;
      return SIM_OK;
    }
  char cols[400];
  list_columns(c, cols, sizeof cols);
  return sim_errorf(err, SIM_EINPUT, "%s:1: header: no column named '%s' (columns: %s)", path,
                    name, cols);
}

const char *wl_csv_colname(wl_csv *c, size_t i) {
  if (i < c->head.n && c->head.len[i]) return c->head.text + c->head.start[i];
  snprintf(c->name_buf, sizeof c->name_buf, "column %zu", i);
  return c->name_buf;
}

size_t wl_csv_ncolumns(const wl_csv *c) { return c->head.n; }
long wl_csv_line(const wl_csv *c) { return c->row_line; }
const char *wl_csv_path(const wl_csv *c) { return wl_linebuf_path(c->lb); }
unsigned long long wl_csv_bytes(const wl_csv *c) { return wl_linebuf_bytes(c->lb); }

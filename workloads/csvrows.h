/* csvrows.h — CSV/TSV rows through libcsv, one row at a time, over the
 * fixed-buffer line reader (so gzip input works and memory stays flat).
 *
 * Quoted fields (with doubled quotes and embedded delimiters or newlines),
 * CRLF line ends, blank lines and a missing final newline are handled; spaces
 * around unquoted fields are trimmed (libcsv's default). Each row's fields stay
 * valid until the next call. Columns are named by a header or by 0-based index. */
#ifndef WL_CSVROWS_H
#define WL_CSVROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/error.h"

typedef struct wl_csv wl_csv;

/* Opens path with field separator delim; when header is true, reads the first
 * row as column names. SIM_EINPUT with err set on failure. */
int wl_csv_open(const char *path, char delim, bool header, wl_csv **out, sim_error *err);
void wl_csv_free(wl_csv *c);

/* Reads the next row: 1, 0 at the end, or -SIM_EINPUT with err set (a read
 * error, or a row longer than the buffer). */
int wl_csv_next(wl_csv *c, sim_error *err);

/* Fields of the current row: their number, and field i (NUL-terminated, its
 * length in *len if len is non-NULL), or NULL when the row has no field i. */
size_t wl_csv_nfields(const wl_csv *c);
const char *wl_csv_field(const wl_csv *c, size_t i, size_t *len);

/* Resolves a column given as a header name or a 0-based index into *index.
 * SIM_EINPUT with err (`path:1: header: no column named 'x' (columns: a, b)`)
 * when there is no such column, SIM_ESCENARIO for a name without a header. */
int wl_csv_column(const wl_csv *c, const char *name_or_index, size_t *index, sim_error *err);

/* The name of column i for messages: its header name, or "column i". The text
 * is valid until the next call. */
const char *wl_csv_colname(wl_csv *c, size_t i);

/* Number of header columns (0 without a header). */
size_t wl_csv_ncolumns(const wl_csv *c);

/* The line on which the current row began; the path; uncompressed bytes read. */
long wl_csv_line(const wl_csv *c);
const char *wl_csv_path(const wl_csv *c);
unsigned long long wl_csv_bytes(const wl_csv *c);

#endif

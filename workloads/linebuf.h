/* linebuf.h — a line reader with one fixed-size buffer over zlib's gzFile.
 *
 * Every text trace format reads its input through this, so gzip input (e.g.
 * ALB `.log.gz` files) is read transparently and memory stays flat however long
 * the file is: a line lives in the buffer until the next call. Lines end at LF;
 * a CR before the LF is dropped (CRLF files), and a last line without a final
 * newline is still returned. A line longer than the buffer is an input error,
 * never a silent split. */
#ifndef WL_LINEBUF_H
#define WL_LINEBUF_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

typedef struct wl_linebuf wl_linebuf;

/* The default capacity (bytes): the longest line a reader accepts. */
#define WL_LINEBUF_DEFAULT_CAP (256u * 1024u)

/* Opens path (plain or gzip-compressed) with a buffer of cap bytes (0 = the
 * default). On failure returns SIM_EINPUT with err naming the file and the
 * reason; *out is NULL. Free with wl_linebuf_free. */
int wl_linebuf_open(const char *path, size_t cap, wl_linebuf **out, sim_error *err);

/* Frees lb and closes its file; NULL is a no-op. */
void wl_linebuf_free(wl_linebuf *lb);

/* Reads the next line. On 1, *line points at it inside the buffer, without its
 * terminator and NUL-terminated (so parsers may use strtod on it), *len is its
 * length, and the text stays valid until the next call. Returns 0 at the end
 * of the file, or -SIM_EINPUT with err set (`path:line: line longer
 * than N bytes`, or a read error of zlib). */
int wl_linebuf_next(wl_linebuf *lb, char **line, size_t *len, sim_error *err);

/* Reads the next whitespace-separated token instead of a line (for files of
 * numbers that may all sit on one very long line). Same contract as
 * wl_linebuf_next; lineno then counts the lines the token lies on. A token
 * longer than the buffer is an error. Do not mix with wl_linebuf_next. */
int wl_linebuf_next_token(wl_linebuf *lb, char **tok, size_t *len, sim_error *err);

/* The 1-based number of the line returned last (0 before the first). */
long wl_linebuf_lineno(const wl_linebuf *lb);

/* The path given to wl_linebuf_open (owned by lb). */
const char *wl_linebuf_path(const wl_linebuf *lb);

/* Uncompressed bytes consumed so far (line terminators included). */
uint64_t wl_linebuf_bytes(const wl_linebuf *lb);

#endif

/* atomic.h — output files that appear whole or not at all.
 *
 * Every file scalesim writes goes through out_file: it is written under the
 * temporary name `<path>.tmp` in the same folder and renamed to `<path>` only by
 * out_file_commit, after every byte was written without error. rename(2) within
 * a folder is atomic, so a reader (or a sweep that resumes) never sees a
 * truncated file under a final name; a run that fails or is interrupted leaves
 * at most a `.tmp` file, which out_file_abort removes. */
#ifndef OUT_ATOMIC_H
#define OUT_ATOMIC_H

#include <stdio.h>

#include "sim/error.h"

typedef struct out_file out_file;

/* Creates the folders of `dir` as `mkdir -p` does (existing ones are fine).
 * Returns 0, or SIM_EFAIL with the folder and strerror in err. */
int out_mkdirs(const char *dir, sim_error *err);

/* Opens `<path>.tmp` for writing (truncating it), creating path's parent folders
 * first. Returns the handle (owned by the caller, released by exactly one of
 * out_file_commit or out_file_abort), or NULL with SIM_EFAIL in err. */
out_file *out_file_open(const char *path, sim_error *err);

/* The stream to write to; borrowed, valid until commit or abort. */
FILE *out_file_stream(out_file *f);

/* The final path the file will have after commit (borrowed). */
const char *out_file_path(const out_file *f);

/* Flushes and closes the stream and, if every write succeeded, renames the
 * temporary file to its final path. Always releases f; on failure the temporary
 * file is removed and SIM_EFAIL is returned with the path and strerror in err. */
int out_file_commit(out_file *f, sim_error *err);

/* Closes the stream and removes the temporary file; releases f. NULL is a
 * no-op. */
void out_file_abort(out_file *f);

#endif

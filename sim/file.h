/* file.h — reading a whole input file (scenarios, grid files, imports,
 * variants.csv): small files that parsers need in one piece. Traces, which can
 * be large, stream through workloads/linebuf instead. */
#ifndef SIM_FILE_H
#define SIM_FILE_H

#include <stddef.h>

#include "sim/error.h"

/* The largest file read whole (2 GiB; a sweep's variants.csv of SWEEP_MAX_RUNS
 * runs takes about 1 GiB): /dev/zero given by mistake stops here instead of
 * taking the machine's memory (docs/guarantees.md). */
#define SIM_READ_FILE_MAX ((size_t)1 << 31)

/* Reads path into a malloc'd, NUL-terminated buffer (*text, *len bytes
 * without the NUL; the caller frees it). SIM_EINPUT with err set, naming the
 * path and the system's reason, when it cannot be opened or read, or when it
 * holds more than about SIM_READ_FILE_MAX bytes. */
int sim_read_file(const char *path, char **text, size_t *len, sim_error *err);

#endif

/* file.h — reading a whole input file (scenarios, grid files, imports,
 * variants.csv): small files that parsers need in one piece. Traces, which can
 * be large, stream through workloads/linebuf instead. */
#ifndef SIM_FILE_H
#define SIM_FILE_H

#include <stddef.h>

#include "sim/error.h"

/* Reads path into a malloc'd, NUL-terminated buffer (*text, *len bytes
 * without the NUL; the caller frees it). SIM_EINPUT with err set, naming the
 * path and the system's reason, when it cannot be opened or read. */
int sim_read_file(const char *path, char **text, size_t *len, sim_error *err);

#endif

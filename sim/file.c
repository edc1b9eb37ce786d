/* file.c — reading a whole input file (see file.h). */
#include "sim/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sim_read_file(const char *path, char **text, size_t *len, sim_error *err) {
  *text = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return sim_errorf(err, SIM_EINPUT, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1 << 14, n = 0, got;
  char *buf = sim_xmalloc(cap);
  while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (n + 1 < cap) continue;
    if (cap >= SIM_READ_FILE_MAX) { /* /dev/zero, a disk image, ...: not our input */
      fclose(f);
      free(buf);
      return sim_errorf(err, SIM_EINPUT, "%s: larger than %zu MiB, more than any file read whole "
                        "can be (is it the right file?)", path, SIM_READ_FILE_MAX >> 20);
    }
    buf = sim_xrealloc(buf, cap *= 2);
  }
  int failed = ferror(f), saved = errno;
  fclose(f);
  if (failed) {
    free(buf);
    return sim_errorf(err, SIM_EINPUT, "%s: cannot read: %s", path, strerror(saved));
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return SIM_OK;
}

/* source.c — the wl_source pull interface: dispatch to the source's type and
 * the count of requests produced (see source.h). */
#include "workloads/source.h"

int wl_next(wl_source *src, wl_request *out, sim_error *err) {
  int rc = src->type->next(src, out, err);
  if (rc == 1) src->produced++;
  return rc;
}

void wl_source_free(wl_source *src) {
  if (src) src->type->free(src);
}

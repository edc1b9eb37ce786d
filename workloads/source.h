/* source.h — the workload source: one time-ordered stream of requests.
 *
 * A source is a pull iterator (wl_next) over requests in non-decreasing arrival
 * time. Readers stream their input through a fixed-size buffer and generators
 * draw lazily, so memory does not grow with the length of a trace. Each kind of
 * source (a trace format, a generator) is a wl_source_type; wl_open picks one
 * from the scenario's workload config. Every reader reports a bad record as
 * `path:line: field: what is wrong`.
 *
 * Arrival times are seconds from the scenario start (time 0): readers rebase
 * absolute trace timestamps onto that origin and remember it (wl_origin). */
#ifndef WL_SOURCE_H
#define WL_SOURCE_H

#include <stdint.h>

#include "sim/cfg.h"
#include "sim/error.h"

/* One request. DESIGN.md §4: it first waits wait_s (time off the CPU, e.g.
 * downstream calls), then needs cpu_s of CPU work at 1 vCPU. */
typedef struct wl_request {
  double arrival_s; /* seconds from the scenario start */
  double cpu_s;     /* CPU work at 1 vCPU, >= 0 */
  double wait_s;    /* time not on the CPU, >= 0 */
  double size;      /* optional size (bytes, or memory MiB); 0 when unknown */
  int origin_status;/* status the original system logged (0 when unknown) */
} wl_request;

typedef struct wl_source wl_source;

/* The vtable of one kind of source. */
typedef struct wl_source_type {
  const char *name;
  /* Produces the next request into *out: returns 1, or 0 at the end of the
   * stream, or a negative value with err set (a SIM_E* status, negated). */
  int (*next)(wl_source *src, wl_request *out, sim_error *err);
  void (*free)(wl_source *src);
} wl_source_type;

/* Every source begins with this header; implementations embed it first. */
struct wl_source {
  const wl_source_type *type;
  double origin_epoch_s; /* absolute time of t = 0 when known, else 0 */
  uint64_t produced;     /* requests returned so far */
  uint64_t skipped;      /* malformed records skipped under on_error: skip */
  uint64_t origin_errors; /* requests the original system failed (a trace's own
                             errors, e.g. ALB -1 processing times), counted
                             whether they are replayed or dropped */
};

/* Pulls the next request: 1, 0 at the end, negative with err set on error. */
int wl_next(wl_source *src, wl_request *out, sim_error *err);

/* Frees a source; NULL is a no-op. */
void wl_source_free(wl_source *src);

#endif

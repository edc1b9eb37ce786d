/* workload.c — the scenario's `workload:` section (its schema) and wl_open,
 * the factory that picks the source the section describes. */
#include "workloads/workload.h"

#include <math.h>
#include <stddef.h>

static const char *const process_names[] = {"poisson", NULL};

static const cfg_field arrivals_fields[] = {
    {.key = "process", .type = CFG_ENUM, .offset = offsetof(wl_arrivals_cfg, process),
     .flags = CFG_REQUIRED, .choices = process_names,
     .doc = "how arrivals are generated: poisson (independent exponential gaps)"},
    {.key = "rate", .type = CFG_RATE, .offset = offsetof(wl_arrivals_cfg, rate_per_s),
     .flags = CFG_REQUIRED | CFG_POSITIVE, .doc = "mean arrival rate, e.g. 100/s or 1200/min"},
    {0}};

static const cfg_schema arrivals_schema = {
    .name = "arrivals", .size = sizeof(wl_arrivals_cfg), .fields = arrivals_fields};

static const cfg_field request_fields[] = {
    {.key = "duration", .type = CFG_MAP, .offset = offsetof(wl_request_cfg, duration),
     .flags = CFG_REQUIRED | CFG_FLOW, .sub = &wl_dist_schema,
     .doc = "service time of a request alone on 1 vCPU (DESIGN.md §4)"},
    {.key = "cpu_share", .type = CFG_NUMBER, .offset = offsetof(wl_request_cfg, cpu_share),
     .def = "1.0", .min = 0, .max = 1,
     .doc = "fraction of the duration that is CPU work; the rest is waiting off the CPU"},
    {0}};

static const cfg_schema request_schema = {
    .name = "request", .size = sizeof(wl_request_cfg), .fields = request_fields};

static const cfg_field config_fields[] = {
    {.key = "arrivals", .type = CFG_MAP, .offset = offsetof(wl_config, arrivals),
     .flags = CFG_REQUIRED | CFG_FLOW, .sub = &arrivals_schema,
     .doc = "the arrival process; it runs for the scenario's duration"},
    {.key = "request", .type = CFG_MAP, .offset = offsetof(wl_config, request),
     .flags = CFG_REQUIRED, .sub = &request_schema, .doc = "what each request needs"},
    {0}};

const cfg_schema wl_config_schema = {
    .name = "workload", .size = sizeof(wl_config), .fields = config_fields};

/* `arrivals` is the only source so far; its rate is > 0 whenever it is given. */
bool wl_is_generator(const wl_config *cfg) { return cfg->arrivals.rate_per_s > 0; }

int wl_open(const wl_config *cfg, uint64_t seed, wl_source **out, sim_error *err) {
  *out = NULL;
  switch (cfg->arrivals.process) {
    case WL_POISSON: return wl_poisson_open(cfg, seed, out, err);
  }
  SIM_ASSERT(!"unknown arrival process");
  return SIM_EFAIL;
}

/* fixed.h — the `fixed` platform: N always-ready instances and no autoscaling,
 * the baseline every autoscaler is compared against.
 *
 * Requests either wait in one central FIFO for any free slot (an M/M/c queue
 * when max_concurrency is 1), or are routed straight to an instance that
 * serves or backlogs them (ALB-style). The config struct is public so that
 * tests and tools can build one in code (cfg_defaults, then set fields). */
#ifndef MODELS_FIXED_H
#define MODELS_FIXED_H

#include "models/platform.h"

typedef enum fixed_queue { FIXED_QUEUE_CENTRAL = 0, FIXED_QUEUE_PER_INSTANCE } fixed_queue;

/* Scenario spellings of fixed_queue, NULL-terminated. */
extern const char *const fixed_queue_names[];

typedef struct fixed_instance_cfg {
  double vcpu;
  double memory_mib;
  int max_concurrency;
  int backlog;                   /* per-instance FIFO bound: 0 none, -1 unbounded */
  double base_memory_mib;
  double memory_per_request_mib;
} fixed_instance_cfg;

typedef struct fixed_cfg {
  int instances;
  fixed_instance_cfg instance;
  int queue;                     /* fixed_queue */
  int router;                    /* router_policy */
  int queue_limit;               /* central queue bound, -1 unbounded */
  double timeout_s;              /* 0 = none */
  double price_per_instance_hour;
} fixed_cfg;

extern const platform_type platform_fixed;

#endif

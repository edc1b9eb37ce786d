/* pending.h — a Cloud Run service's pending queue (spec cloudrun.md §A.3).
 *
 * When no instance has a free concurrency slot a request pends in the
 * service's FIFO queue until an instance can take it, or fails with HTTP 429
 * once it has pended longer than the pending limit. The limit changed over the
 * years and is selectable:
 *   current  max(10 s, 3.5 x the average startup time of the service's
 *            instances) (about-instance-autoscaling, ?hl=ja / ?hl=zh_cn);
 *   10s      "can be queued for up to 10 seconds" (~2022-2023 snapshot);
 *   60s      "queue for up to 60 seconds" (2019-2021 snapshot);
 *   none     no limit (Knative's activator buffer: requests wait for capacity
 *            until their request timeout).
 * The average startup time is the mean of the startups observed so far;
 * before the first one it is the configured startup distribution's mean
 * [derived]. Every request pends under the same limit, so the queue keeps one
 * timer for its head: O(1) per request, plus one timer per expiry check. */
#ifndef CRUN_PENDING_H
#define CRUN_PENDING_H

#include <stdbool.h>
#include <stddef.h>

#include "models/instance.h"
#include "sim/engine.h"

typedef enum crun_pending_rule {
  CRUN_PENDING_CURRENT = 0,
  CRUN_PENDING_10S,
  CRUN_PENDING_60S,
  CRUN_PENDING_NONE
} crun_pending_rule;

/* Scenario spellings, in crun_pending_rule order, NULL-terminated. */
extern const char *const crun_pending_rule_names[];

/* Called for a request whose pending limit expired; it has left the queue and
 * the callee owns it (records the 429 and frees it). */
typedef void (*crun_pending_expire_fn)(void *owner, inst_req *r);

typedef struct crun_pending crun_pending;

/* A queue on engine eng. startup_prior_s is the mean startup time assumed
 * before any is observed; max_len bounds the queue (0 = unbounded). */
crun_pending *crun_pending_alloc(sim_engine *eng, crun_pending_rule rule,
                                 double startup_prior_s, size_t max_len,
                                 crun_pending_expire_fn on_expire, void *owner);
/* Frees the queue without touching the engine (free it only when the engine
 * will not run again); requests still queued are left to their pool. NULL is
 * a no-op. */
void crun_pending_free(crun_pending *p);

/* Appends r (its pending time counts from r->arrival_s, which must not be
 * earlier than that of the requests already queued). Returns false, leaving r
 * to the caller, when the queue is full. Links through r->next/prev. */
bool crun_pending_push(crun_pending *p, inst_req *r);

/* The oldest request, or NULL. */
inst_req *crun_pending_head(const crun_pending *p);

/* Removes and returns the oldest request, or NULL. */
inst_req *crun_pending_pop(crun_pending *p);

/* Removes r from anywhere in the queue (e.g. on its request timeout). */
void crun_pending_remove(crun_pending *p, inst_req *r);

size_t crun_pending_len(const crun_pending *p);

/* Records one observed instance startup (seconds from start to ready). */
void crun_pending_observe_startup(crun_pending *p, double startup_s);

/* The mean startup time used by the rule, and the current pending limit
 * (+infinity under `none`). */
double crun_pending_mean_startup_s(const crun_pending *p);
double crun_pending_limit_s(const crun_pending *p);

#endif

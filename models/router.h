/* router.h — chooses an instance for a request among a set of members.
 *
 * The owner adds instances when they enter service and removes them when they
 * leave, and calls router_update after an instance's outstanding count changes.
 * Policies: round robin (ALB default), least outstanding requests (ALB option;
 * Cloud Run "least loaded"), most outstanding ("fill the busiest" packing), and
 * uniform random. Every operation is O(log n) or better. */
#ifndef MODELS_ROUTER_H
#define MODELS_ROUTER_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "models/instance.h"
#include "sim/cfg.h"

typedef enum router_policy {
  ROUTER_ROUND_ROBIN = 0,
  ROUTER_LEAST_OUTSTANDING,
  ROUTER_MOST_OUTSTANDING,
  ROUTER_RANDOM
} router_policy;

/* Scenario spellings, in router_policy order, NULL-terminated. */
extern const char *const router_policy_names[];

typedef struct router router;

/* rng is used by ROUTER_RANDOM only (borrowed). */
router *router_alloc(router_policy policy, gsl_rng *rng);
void router_free(router *r);

void router_add(router *r, instance *inst);
void router_remove(router *r, instance *inst);
bool router_contains(const router *r, const instance *inst);
void router_update(router *r, instance *inst); /* outstanding count changed */
size_t router_size(const router *r);

/* Picks a member (NULL when empty). Round robin and random ignore load; least
 * and most outstanding order by inst_outstanding, ties by lowest id. */
instance *router_pick(router *r);

#endif

/* router.c — the routing policies of router.h over one member array.
 *
 * Round robin and random keep the members in an array with swap-remove; each
 * member's index lives in inst_router_slot. Round robin walks a cursor: members
 * before it have had their turn in this round, so a removal keeps that split
 * (a served member fills the hole) and every member gets one turn per round —
 * the ALB default (specs/ecs.md §9.4, load_balancing.algorithm.type
 * round_robin). Least and most outstanding keep the same array as a binary heap
 * ordered by (inst_outstanding, id): ALB least_outstanding_requests
 * (specs/ecs.md §9.4) and Cloud Run's least-loaded dispatch (specs/cloudrun.md
 * §A.7). Random draws a uniform index. Every operation is O(1) or O(log n). */
#include "models/router.h"

#include "sim/error.h"

const char *const router_policy_names[] = {"round_robin", "least_outstanding",
                                           "most_outstanding", "random", NULL};

struct router {
  router_policy policy;
  gsl_rng *rng;
  instance **members;
  size_t n, cap;
  size_t cursor; /* round robin: members[0, cursor) were served this round */
};

router *router_alloc(router_policy policy, gsl_rng *rng) {
  SIM_ASSERT(policy >= ROUTER_ROUND_ROBIN && policy <= ROUTER_RANDOM);
  SIM_ASSERT(policy != ROUTER_RANDOM || rng);
  router *r = sim_xcalloc(1, sizeof *r);
  r->policy = policy;
  r->rng = rng;
  return r;
}

void router_free(router *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) *inst_router_slot(r->members[i]) = -1;
  free(r->members);
  free(r);
}

static void place(router *r, size_t i, instance *inst) {
  r->members[i] = inst;
  *inst_router_slot(inst) = (int)i;
}

static bool is_heap(const router *r) {
  return r->policy == ROUTER_LEAST_OUTSTANDING || r->policy == ROUTER_MOST_OUTSTANDING;
}

/* True when a should be picked before b under the heap policies. */
static bool before(const router *r, const instance *a, const instance *b) {
  int la = inst_outstanding(a), lb = inst_outstanding(b);
  if (la != lb) return r->policy == ROUTER_LEAST_OUTSTANDING ? la < lb : la > lb;
  return inst_id(a) < inst_id(b);
}

static void sift_up(router *r, size_t i) {
  instance *inst = r->members[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!before(r, inst, r->members[parent])) break;
    place(r, i, r->members[parent]);
    i = parent;
  }
  place(r, i, inst);
}

static void sift_down(router *r, size_t i) {
  instance *inst = r->members[i];
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= r->n) break;
    if (child + 1 < r->n && before(r, r->members[child + 1], r->members[child])) child++;
    if (!before(r, r->members[child], inst)) break;
    place(r, i, r->members[child]);
    i = child;
  }
  place(r, i, inst);
}

/* Restores heap order around inst after its key changed or it moved. */
static void reheap(router *r, instance *inst) {
  sift_up(r, (size_t)*inst_router_slot(inst));
  sift_down(r, (size_t)*inst_router_slot(inst));
}

void router_add(router *r, instance *inst) {
  SIM_ASSERT(*inst_router_slot(inst) < 0); /* an instance is in one router at most */
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->members = sim_xrealloc(r->members, r->cap * sizeof *r->members);
  }
  place(r, r->n++, inst);
  if (is_heap(r)) sift_up(r, r->n - 1);
}

bool router_contains(const router *r, const instance *inst) {
  int slot = *inst_router_slot((instance *)inst);
  return slot >= 0 && (size_t)slot < r->n && r->members[slot] == inst;
}

/* Round robin removal that keeps "served this round" members before the
 * cursor: a served member moves into a hole before the cursor, and the last
 * member fills the hole that leaves. */
static void remove_round_robin(router *r, size_t i) {
  if (i < r->cursor) {
    r->cursor--;
    if (i != r->cursor) place(r, i, r->members[r->cursor]);
    i = r->cursor;
  }
  r->n--;
  if (i != r->n) place(r, i, r->members[r->n]);
}

void router_remove(router *r, instance *inst) {
  SIM_ASSERT(router_contains(r, inst));
  size_t i = (size_t)*inst_router_slot(inst);
  *inst_router_slot(inst) = -1;
  if (r->policy == ROUTER_ROUND_ROBIN) {
    remove_round_robin(r, i);
    return;
  }
  r->n--;
  if (i == r->n) return;
  instance *moved = r->members[r->n];
  place(r, i, moved);
  if (is_heap(r)) reheap(r, moved);
}

void router_update(router *r, instance *inst) {
  SIM_ASSERT(router_contains(r, inst));
  if (is_heap(r)) reheap(r, inst);
}

size_t router_size(const router *r) { return r->n; }

instance *router_pick(router *r) {
  if (r->n == 0) return NULL;
  switch (r->policy) {
  case ROUTER_ROUND_ROBIN:
    if (r->cursor >= r->n) r->cursor = 0; /* a new round */
    return r->members[r->cursor++];
  case ROUTER_RANDOM:
    return r->members[gsl_rng_uniform_int(r->rng, r->n)];
  case ROUTER_LEAST_OUTSTANDING:
  case ROUTER_MOST_OUTSTANDING:
    return r->members[0];
  }
  SIM_ASSERT(!"unknown router policy");
  return NULL;
}

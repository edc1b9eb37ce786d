/* test_router.c — the routing policies: hand cases for each, round-robin
 * fairness under churn, uniform random fairness (chi-square), and the
 * least/most-outstanding heaps checked against brute force after many updates. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "models/router.h"
#include "sim/engine.h"
#include "tests/check.h"

#define N_INST 64

/* Instances whose outstanding counts the test sets by parking requests in a
 * one-slot instance with an unbounded backlog (the engine never runs). */
typedef struct bench {
  sim_engine *eng;
  inst_req_pool *pool;
  instance *inst[N_INST];
  inst_req *parked[N_INST][64];
  int n_parked[N_INST];
} bench;

static void never_complete(void *owner, instance *inst, inst_req *r) {
  SIM_ASSERT(!"the engine does not run in this test");
}

static void bench_open(bench *b, int n) {
  memset(b, 0, sizeof *b);
  b->eng = sim_engine_alloc();
  b->pool = inst_req_pool_alloc();
  inst_config cfg = {.vcpu = 1, .speed = 1, .memory_mib = 512, .max_concurrency = 1,
                     .backlog_max = -1};
  inst_hooks hooks = {never_complete, NULL, NULL};
  for (int i = 0; i < n; i++) {
    b->inst[i] = inst_alloc(b->eng, NULL, &cfg, &hooks, b, (uint64_t)(100 + i));
    inst_set_state(b->inst[i], INST_READY);
  }
}

static void bench_close(bench *b) {
  for (int i = 0; i < N_INST; i++) {
    if (!b->inst[i]) continue;
    while (b->n_parked[i] > 0) {
      inst_req *r = b->parked[i][--b->n_parked[i]];
      inst_remove(b->inst[i], r);
      inst_req_put(b->pool, r);
    }
    inst_free(b->inst[i]);
  }
  inst_req_pool_free(b->pool);
  sim_engine_free(b->eng);
}

/* Sets instance i's outstanding count to n. */
static void set_load(bench *b, int i, int n) {
  SIM_ASSERT(n <= 64);
  while (b->n_parked[i] < n) {
    inst_req *r = inst_req_get(b->pool);
    r->cpu_s = 1e9;
    SIM_ASSERT(inst_admit(b->inst[i], r) >= 0);
    b->parked[i][b->n_parked[i]++] = r;
  }
  while (b->n_parked[i] > n) {
    inst_req *r = b->parked[i][--b->n_parked[i]];
    inst_remove(b->inst[i], r);
    inst_req_put(b->pool, r);
  }
}

static int index_of(const bench *b, const instance *inst) {
  for (int i = 0; i < N_INST; i++)
    if (b->inst[i] == inst) return i;
  return -1;
}

static void test_names(void) {
  CHECK_STR(router_policy_names[ROUTER_ROUND_ROBIN], "round_robin", "name of round robin");
  CHECK_STR(router_policy_names[ROUTER_LEAST_OUTSTANDING], "least_outstanding", "name of LOR");
  CHECK_STR(router_policy_names[ROUTER_MOST_OUTSTANDING], "most_outstanding", "name of MOR");
  CHECK_STR(router_policy_names[ROUTER_RANDOM], "random", "name of random");
  CHECK(router_policy_names[ROUTER_RANDOM + 1] == NULL, "names are NULL-terminated");
}

static void test_round_robin(void) {
  bench b;
  bench_open(&b, 4);
  router *r = router_alloc(ROUTER_ROUND_ROBIN, NULL);
  CHECK(router_pick(r) == NULL, "empty router picks nothing");
  for (int i = 0; i < 3; i++) router_add(r, b.inst[i]);
  CHECK_INT(router_size(r), 3, "three members");
  int seq[6];
  for (int k = 0; k < 6; k++) seq[k] = index_of(&b, router_pick(r));
  CHECK_INT(seq[0] * 100 + seq[1] * 10 + seq[2], 12, "round robin order 0 1 2");
  CHECK_INT(seq[3] * 100 + seq[4] * 10 + seq[5], 12, "round robin repeats 0 1 2");
  set_load(&b, 0, 5);
  router_update(r, b.inst[0]);
  CHECK_INT(index_of(&b, router_pick(r)), 0, "round robin ignores load");

  /* Removing a member already served this round: the others still get their turn. */
  CHECK_INT(index_of(&b, router_pick(r)), 1, "then 1");
  router_remove(r, b.inst[0]);
  CHECK(!router_contains(r, b.inst[0]), "removed member is gone");
  CHECK_INT(*inst_router_slot(b.inst[0]), -1, "removed member's slot is cleared");
  CHECK_INT(index_of(&b, router_pick(r)), 2, "2 keeps its turn after a removal");
  int a = index_of(&b, router_pick(r)), c = index_of(&b, router_pick(r));
  CHECK_INT(a * 10 + c, 12, "next round: 1 2");

  /* Removing one not yet served: it is skipped, nobody else is. */
  router_add(r, b.inst[3]);
  CHECK_INT(index_of(&b, router_pick(r)), 3, "new member joins the current round");
  CHECK_INT(index_of(&b, router_pick(r)), 1, "new round starts with 1");
  router_remove(r, b.inst[3]);
  CHECK_INT(index_of(&b, router_pick(r)), 2, "2 follows");
  CHECK_INT(index_of(&b, router_pick(r)), 1, "round of 1 2 again");
  router_free(r);
  bench_close(&b);
}

/* Over rounds with members joining and leaving, every member present for a
 * whole round gets exactly one turn in it; one leaving mid-round had at most
 * one; one joining at the end of a round gets its turn at once. */
static void test_round_robin_churn(void) {
  bench b;
  bench_open(&b, N_INST);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 7);
  router *r = router_alloc(ROUTER_ROUND_ROBIN, NULL);
  for (int i = 0; i < 32; i++) router_add(r, b.inst[i]);
  int bad = 0;
  for (int round = 0; round < 200; round++) {
    /* A full round (the previous one has ended). */
    size_t n = router_size(r);
    int seen[N_INST] = {0};
    for (size_t k = 0; k < n; k++) seen[index_of(&b, router_pick(r))]++;
    for (int i = 0; i < N_INST; i++)
      if (seen[i] != (router_contains(r, b.inst[i]) ? 1 : 0)) bad++;
    /* Half a round, a random member leaves, then the rest of the round. */
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < n / 2; k++) seen[index_of(&b, router_pick(r))]++;
    int victim;
    do victim = (int)gsl_rng_uniform_int(rng, N_INST);
    while (!router_contains(r, b.inst[victim]));
    router_remove(r, b.inst[victim]);
    size_t unserved = 0;
    for (int i = 0; i < N_INST; i++)
      if (router_contains(r, b.inst[i]) && !seen[i]) unserved++;
    for (size_t k = 0; k < unserved; k++) seen[index_of(&b, router_pick(r))]++;
    for (int i = 0; i < N_INST; i++) {
      int want = i == victim ? (seen[i] <= 1 ? seen[i] : -1) : router_contains(r, b.inst[i]) ? 1 : 0;
      if (seen[i] != want) bad++;
    }
    /* Joiners at the end of a round take their turn in it straight away. */
    int joiner = (int)gsl_rng_uniform_int(rng, N_INST);
    if (!router_contains(r, b.inst[joiner])) {
      router_add(r, b.inst[joiner]);
      if (router_pick(r) != b.inst[joiner]) bad++;
    }
    if (router_size(r) < 8) {
      router_add(r, b.inst[victim]);
      if (router_pick(r) != b.inst[victim]) bad++;
    }
  }
  CHECK_INT(bad, 0, "round robin: one turn per member per round under churn");
  router_free(r);
  gsl_rng_free(rng);
  bench_close(&b);
}

static void test_least_outstanding(void) {
  bench b;
  bench_open(&b, 4);
  router *r = router_alloc(ROUTER_LEAST_OUTSTANDING, NULL);
  for (int i = 0; i < 4; i++) router_add(r, b.inst[i]);
  CHECK_INT(index_of(&b, router_pick(r)), 0, "LOR tie: lowest id");
  int load[4] = {3, 1, 2, 1};
  for (int i = 0; i < 4; i++) {
    set_load(&b, i, load[i]);
    router_update(r, b.inst[i]);
  }
  CHECK_INT(index_of(&b, router_pick(r)), 1, "LOR: least loaded, tie by lowest id");
  set_load(&b, 1, 4);
  router_update(r, b.inst[1]);
  CHECK_INT(index_of(&b, router_pick(r)), 3, "LOR after an update");
  router_remove(r, b.inst[3]);
  CHECK_INT(index_of(&b, router_pick(r)), 2, "LOR after removing the least loaded");
  CHECK_INT(router_size(r), 3, "size after removal");
  router_free(r);
  bench_close(&b);
}

static void test_most_outstanding(void) {
  bench b;
  bench_open(&b, 4);
  router *r = router_alloc(ROUTER_MOST_OUTSTANDING, NULL);
  for (int i = 0; i < 4; i++) router_add(r, b.inst[i]);
  CHECK_INT(index_of(&b, router_pick(r)), 0, "MOR tie: lowest id");
  int load[4] = {1, 3, 2, 3};
  for (int i = 0; i < 4; i++) {
    set_load(&b, i, load[i]);
    router_update(r, b.inst[i]);
  }
  CHECK_INT(index_of(&b, router_pick(r)), 1, "MOR: most loaded, tie by lowest id");
  set_load(&b, 1, 0);
  router_update(r, b.inst[1]);
  CHECK_INT(index_of(&b, router_pick(r)), 3, "MOR after an update");
  router_free(r);
  bench_close(&b);
}

/* The heap's pick equals the brute-force best after every random change. */
static void heap_against_brute_force(router_policy policy, const char *what) {
  bench b;
  bench_open(&b, N_INST);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 99);
  router *r = router_alloc(policy, NULL);
  for (int i = 0; i < N_INST; i++) router_add(r, b.inst[i]);
  int mismatches = 0;
  for (int step = 0; step < 20000; step++) {
    int i = (int)gsl_rng_uniform_int(rng, N_INST);
    double u = gsl_rng_uniform(rng);
    if (u < 0.1 && router_contains(r, b.inst[i])) {
      router_remove(r, b.inst[i]);
    } else if (u < 0.2 && !router_contains(r, b.inst[i])) {
      router_add(r, b.inst[i]);
    } else {
      set_load(&b, i, (int)gsl_rng_uniform_int(rng, 12));
      if (router_contains(r, b.inst[i])) router_update(r, b.inst[i]);
    }
    int best = -1;
    for (int k = 0; k < N_INST; k++) {
      if (!router_contains(r, b.inst[k])) continue;
      int lk = inst_outstanding(b.inst[k]);
      int lb = best < 0 ? 0 : inst_outstanding(b.inst[best]);
      bool better = policy == ROUTER_LEAST_OUTSTANDING ? lk < lb : lk > lb;
      if (best < 0 || better) best = k; /* ties keep the lower index = lower id */
    }
    instance *got = router_pick(r);
    if ((best < 0 && got) || (best >= 0 && got != b.inst[best])) mismatches++;
  }
  CHECK_INT(mismatches, 0, "%s: heap pick equals brute force over 20000 changes", what);
  router_free(r);
  gsl_rng_free(rng);
  bench_close(&b);
}

static void test_random(void) {
  bench b;
  bench_open(&b, 5);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 2024);
  router *r = router_alloc(ROUTER_RANDOM, rng);
  for (int i = 0; i < 5; i++) router_add(r, b.inst[i]);
  router_remove(r, b.inst[2]); /* swap-remove must keep the rest uniform */
  enum { PICKS = 400000 };
  long count[5] = {0};
  for (int k = 0; k < PICKS; k++) count[index_of(&b, router_pick(r))]++;
  CHECK_INT(count[2], 0, "random never picks a removed member");
  double expect = PICKS / 4.0, chi2 = 0;
  for (int i = 0; i < 5; i++)
    if (i != 2) chi2 += (count[i] - expect) * (count[i] - expect) / expect;
  double p = gsl_cdf_chisq_Q(chi2, 3);
  CHECK(p > 0.001, "random: uniform over members (chi-square p = %.3f)", p);
  for (int i = 0; i < 5; i++)
    if (i != 2) CHECK_REL(count[i], expect, 0.01, "random: member %d gets a quarter", i);
  router_free(r);
  gsl_rng_free(rng);
  bench_close(&b);
}

static void test_free_releases_slots(void) {
  bench b;
  bench_open(&b, 2);
  router *r = router_alloc(ROUTER_LEAST_OUTSTANDING, NULL);
  router_add(r, b.inst[0]);
  router_add(r, b.inst[1]);
  router_free(r);
  CHECK_INT(*inst_router_slot(b.inst[0]) + *inst_router_slot(b.inst[1]), -2,
            "router_free clears its members' slots");
  router *again = router_alloc(ROUTER_ROUND_ROBIN, NULL);
  router_add(again, b.inst[1]);
  CHECK(router_contains(again, b.inst[1]), "an instance may join another router afterwards");
  router_free(again);
  router_free(NULL);
  bench_close(&b);
}

int main(void) {
  check_init();
  test_names();
  test_round_robin();
  test_round_robin_churn();
  test_least_outstanding();
  test_most_outstanding();
  heap_against_brute_force(ROUTER_LEAST_OUTSTANDING, "least outstanding");
  heap_against_brute_force(ROUTER_MOST_OUTSTANDING, "most outstanding");
  test_random();
  test_free_releases_slots();
  return check_done();
}

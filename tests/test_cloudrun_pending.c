/* test_cloudrun_pending.c — the pending queue's 429 limit (spec cloudrun.md
 * §A.3) on a real engine: the limit of each rule, expiry times of a FIFO with
 * one timer, dispatch before the deadline, removal from the middle, the length
 * bound, and a shrinking limit that brings the head's deadline forward. */
#include <math.h>

#include "models/cloudrun/pending.h"
#include "tests/check.h"

typedef struct fixture {
  sim_engine *eng;
  inst_req_pool *pool;
  crun_pending *q;
  double expired_at[16];
  double expired_arrival[16];
  int n_expired;
} fixture;

static void on_expire(void *owner, inst_req *r) {
  fixture *f = owner;
  f->expired_at[f->n_expired] = sim_now(f->eng);
  f->expired_arrival[f->n_expired++] = r->arrival_s;
  inst_req_put(f->pool, r);
}

static void setup(fixture *f, crun_pending_rule rule, double prior_s, size_t max_len) {
  *f = (fixture){.eng = sim_engine_alloc(), .pool = inst_req_pool_alloc()};
  f->q = crun_pending_alloc(f->eng, rule, prior_s, max_len, on_expire, f);
}

static void teardown(fixture *f) {
  crun_pending_free(f->q);
  sim_engine_free(f->eng);
  inst_req_pool_free(f->pool);
}

static inst_req *push_at(fixture *f, double t) {
  sim_run(f->eng, t, NULL, NULL);
  inst_req *r = inst_req_get(f->pool);
  r->arrival_s = t;
  CHECK(crun_pending_push(f->q, r), "push at %g", t);
  return r;
}

static void test_limits(void) {
  fixture f;
  setup(&f, CRUN_PENDING_CURRENT, 2, 0);
  CHECK_ABS(crun_pending_limit_s(f.q), 10, 0, "current: max(10, 3.5 x 2) = 10");
  crun_pending_observe_startup(f.q, 10);
  crun_pending_observe_startup(f.q, 20);
  CHECK_ABS(crun_pending_mean_startup_s(f.q), 15, 0, "observed mean startup replaces the prior");
  CHECK_ABS(crun_pending_limit_s(f.q), 52.5, 1e-12, "current: 3.5 x 15 = 52.5");
  teardown(&f);
  setup(&f, CRUN_PENDING_10S, 100, 0);
  CHECK_ABS(crun_pending_limit_s(f.q), 10, 0, "10s rule");
  teardown(&f);
  setup(&f, CRUN_PENDING_60S, 100, 0);
  CHECK_ABS(crun_pending_limit_s(f.q), 60, 0, "60s rule");
  teardown(&f);
  setup(&f, CRUN_PENDING_NONE, 100, 0);
  CHECK(isinf(crun_pending_limit_s(f.q)), "none: no limit");
  push_at(&f, 1);
  sim_run(f.eng, 1e6, NULL, NULL);
  CHECK_INT(f.n_expired, 0, "none: nothing expires");
  CHECK_INT(sim_pending_count(f.eng), 0, "none: no timer");
  inst_req_put(f.pool, crun_pending_pop(f.q));
  teardown(&f);
}

static void test_expiry(void) {
  fixture f;
  setup(&f, CRUN_PENDING_CURRENT, 4, 0); /* limit 14 s */
  inst_req *a = push_at(&f, 0);
  inst_req *b = push_at(&f, 1);
  inst_req *c = push_at(&f, 2);
  inst_req *d = push_at(&f, 3);
  push_at(&f, 4);
  CHECK_INT(crun_pending_len(f.q), 5, "five pending");
  CHECK(crun_pending_head(f.q) == a, "FIFO head");
  /* a is dispatched at 5 (before its deadline), c leaves from the middle. */
  sim_run(f.eng, 5, NULL, NULL);
  CHECK(crun_pending_pop(f.q) == a, "pop returns the head");
  inst_req_put(f.pool, a);
  crun_pending_remove(f.q, c);
  inst_req_put(f.pool, c);
  sim_run(f.eng, 100, NULL, NULL);
  CHECK_INT(f.n_expired, 3, "b, d and e expire");
  CHECK_ABS(f.expired_at[0], 15, 0, "b expires 14 s after its arrival at 1");
  CHECK_ABS(f.expired_arrival[0], 1, 0, "b first");
  CHECK_ABS(f.expired_at[1], 17, 0, "d at 3 + 14");
  CHECK_ABS(f.expired_at[2], 18, 0, "e at 4 + 14");
  CHECK_INT(crun_pending_len(f.q), 0, "queue empty");
  (void)b;
  (void)d;
  teardown(&f);
}

static void test_bound_and_shrinking_limit(void) {
  fixture f;
  setup(&f, CRUN_PENDING_CURRENT, 10, 2); /* limit 35 s, at most 2 */
  push_at(&f, 0);
  push_at(&f, 0);
  inst_req *r = inst_req_get(f.pool);
  r->arrival_s = 0;
  CHECK(!crun_pending_push(f.q, r), "a full queue refuses");
  inst_req_put(f.pool, r);
  sim_run(f.eng, 5, NULL, NULL);
  crun_pending_observe_startup(f.q, 1); /* mean 1 s: limit 10 s */
  sim_run(f.eng, 100, NULL, NULL);
  CHECK_INT(f.n_expired, 2, "both expire");
  CHECK_ABS(f.expired_at[0], 10, 0, "the shorter limit applies at once");
  teardown(&f);
}

int main(void) {
  check_init();
  test_limits();
  test_expiry();
  test_bound_and_shrinking_limit();
  return check_done();
}

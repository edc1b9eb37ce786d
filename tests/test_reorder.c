/* test_reorder.c — the re-order buffer of the trace pipeline
 * (workloads/reorder.c): records pushed in any order come out sorted by time,
 * equal times in the order they were pushed, whether they went to its in-order
 * FIFO or its heap of late records; interleaved pushes and pops. */
#include <stdlib.h>

#include "sim/rng.h"
#include "tests/check.h"
#include "workloads/reorder.h"

enum { N = 200000 };

static int by_time_then_line(const void *a, const void *b) {
  const wl_rec *x = a, *y = b;
  if (x->t_s != y->t_s) return x->t_s < y->t_s ? -1 : 1;
  return (x->line > y->line) - (x->line < y->line);
}

static void test_sorted_and_stable(void) {
  wl_rec *in = malloc(N * sizeof *in), *want = malloc(N * sizeof *want);
  gsl_rng *rng = sim_rng_alloc(5, "test/reorder");
  for (long i = 0; i < N; i++) {
    /* Mostly in order, a third late by up to 5 s, times on a coarse grid so
     * that ties are common. */
    double t = i * 0.01 - (gsl_rng_uniform(rng) < 0.3 ? 5 * gsl_rng_uniform(rng) : 0);
    in[i] = (wl_rec){.t_s = 0.5 * (long)(t / 0.5), .line = i};
  }
  for (long i = 0; i < N; i++) want[i] = in[i];
  qsort(want, N, sizeof *want, by_time_then_line); /* line breaks ties: push order */
  wl_reorder *r = wl_reorder_alloc();
  for (long i = 0; i < N; i++) wl_reorder_push(r, &in[i]);
  CHECK_INT(wl_reorder_size(r), N, "all held");
  long same = 0;
  wl_rec out;
  for (long i = 0; i < N && wl_reorder_pop(r, &out); i++)
    same += out.t_s == want[i].t_s && out.line == want[i].line;
  CHECK_INT(same, N, "sorted by time, ties in push order");
  CHECK(!wl_reorder_pop(r, &out) && wl_reorder_peek(r) == NULL, "empty at the end");

  /* Interleaved: pop whatever is at least 6 s older than the newest push. */
  double newest = -1e9;
  long k = 0, ok = 1;
  for (long i = 0; i < N; i++) {
    wl_reorder_push(r, &in[i]);
    if (in[i].t_s > newest) newest = in[i].t_s;
    while (wl_reorder_peek(r) && wl_reorder_peek(r)->t_s <= newest - 6) {
      wl_reorder_pop(r, &out);
      ok &= out.line == want[k++].line;
    }
  }
  while (wl_reorder_pop(r, &out)) ok &= out.line == want[k++].line;
  CHECK(ok && k == N, "interleaved pushes and pops keep the order");
  wl_reorder_free(r);
  gsl_rng_free(rng);
  free(in);
  free(want);
}

int main(void) {
  check_init();
  test_sorted_and_stable();
  return check_done();
}

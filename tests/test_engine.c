/* test_engine.c — tests of the event engine (sim/engine.c): time order, ties in
 * insertion order, cancel and reschedule against a brute-force reference on
 * random operation sequences, stale handles, and the run loop's merge of the
 * arrival stream with the heap (ties, lazy peeking, until_s and the clock,
 * done predicate, sim_stop, peek errors, events scheduled from callbacks). */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/engine.h"
#include "sim/error.h"
#include "tests/check.h"

/* --- a log of fired items, shared by the callbacks ------------------------ */

#define LOG_MAX 4096
static int log_id[LOG_MAX];
static double log_at[LOG_MAX];
static size_t log_n;

static void log_reset(void) { log_n = 0; }

static void log_push(int id, double at_s) {
  SIM_ASSERT(log_n < LOG_MAX);
  log_id[log_n] = id;
  log_at[log_n] = at_s;
  log_n++;
}

static void record(sim_engine *eng, void *arg) { log_push((int)(intptr_t)arg, sim_now(eng)); }

static void *id_arg(int id) { return (void *)(intptr_t)id; }

/* Checks that the log holds exactly ids[0..n). */
static void check_log(const int *ids, size_t n, const char *what) {
  CHECK_INT(log_n, n, "%s: number of fired items", what);
  size_t m = log_n < n ? log_n : n;
  for (size_t i = 0; i < m; i++) CHECK_INT(log_id[i], ids[i], "%s: item %zu", what, i);
}

static bool stop_after_one(void *ctx) { return true; }

/* --- time order and ties --------------------------------------------------- */

static void test_time_order(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  enum { N = 3000 };
  for (int i = 0; i < N; i++) sim_schedule(eng, gsl_rng_uniform(r) * 100, record, id_arg(i));
  CHECK_INT(sim_pending_count(eng), N, "order: all pending");
  CHECK_INT(sim_run(eng, INFINITY, NULL, NULL), 0, "order: run returns 0");
  CHECK_INT(log_n, N, "order: all fired");
  size_t bad = 0;
  for (size_t i = 1; i < log_n; i++) bad += log_at[i] < log_at[i - 1];
  CHECK_INT(bad, 0, "order: firing times never decrease");
  CHECK_REL(sim_now(eng), log_at[N - 1], 0, "order: clock at the last event (until infinite)");
  CHECK_INT(sim_fired_count(eng), N, "order: fired count");
  CHECK_INT(sim_pending_count(eng), 0, "order: nothing pending");
  sim_engine_free(eng);
  gsl_rng_free(r);
}

static void test_ties(void) {
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  /* interleave two times so that heap order alone would not give insertion order */
  int want[40], k = 0;
  for (int i = 0; i < 40; i++) sim_schedule(eng, (i % 2) ? 5.0 : 3.0, record, id_arg(i));
  for (int i = 0; i < 40; i += 2) want[k++] = i;
  for (int i = 1; i < 40; i += 2) want[k++] = i;
  sim_run(eng, INFINITY, NULL, NULL);
  check_log(want, 40, "ties");
  sim_engine_free(eng);
}

/* --- random operations against a brute-force reference --------------------- */

typedef struct ref_event {
  double at_s;
  uint64_t seq;
  sim_handle h;
  bool live;
} ref_event;

enum { REF_OPS = 2000, REF_SEQUENCES = 200 };

/* The live reference event that fires next: least (time, seq), or -1. */
static int ref_next(const ref_event *ev, int n) {
  int best = -1;
  for (int i = 0; i < n; i++) {
    if (!ev[i].live) continue;
    if (best < 0 || ev[i].at_s < ev[best].at_s ||
        (ev[i].at_s == ev[best].at_s && ev[i].seq < ev[best].seq))
      best = i;
  }
  return best;
}

static int ref_live_count(const ref_event *ev, int n) {
  int c = 0;
  for (int i = 0; i < n; i++) c += ev[i].live;
  return c;
}

/* A time at or after now from a small set, so that many times are equal. */
static double coarse_time(gsl_rng *r, double now_s) {
  return now_s + 0.5 * (double)gsl_rng_uniform_int(r, 5);
}

/* One random sequence's state, shared with the events' callback so that
 * callbacks too can schedule, cancel and reschedule (the engine lets the
 * firing event's first sim_schedule take its place in the heap). */
static struct {
  gsl_rng *r;
  sim_engine *eng;
  ref_event ev[REF_OPS * 4];
  int n;
  uint64_t seq;
  int mismatches;
} rs;

/* Schedules, cancels or reschedules at random, in the engine and the reference. */
static void random_change(void);

/* A fired event: logged, marked gone in the reference, and up to three
 * random changes made from inside the callback. */
static void record_and_change(sim_engine *eng, void *arg) {
  record(eng, arg);
  rs.ev[(intptr_t)arg].live = false;
  for (int k = (int)gsl_rng_uniform_int(rs.r, 4); k > 0; k--) random_change();
}

static void random_change(void) {
  double u = gsl_rng_uniform(rs.r);
  int pick = rs.n ? (int)gsl_rng_uniform_int(rs.r, rs.n) : -1;
  ref_event *ev = rs.ev;
  if ((u < 0.55 || pick < 0) && rs.n < REF_OPS * 4) {
    double at = coarse_time(rs.r, sim_now(rs.eng));
    ev[rs.n] = (ref_event){at, rs.seq++, sim_schedule(rs.eng, at, record_and_change, id_arg(rs.n)),
                           true};
    rs.mismatches += ev[rs.n].h == SIM_NO_HANDLE;
    rs.n++;
  } else if (pick < 0) {
    return;
  } else if (u < 0.75) {
    rs.mismatches += sim_cancel(rs.eng, ev[pick].h) != ev[pick].live;
    ev[pick].live = false;
  } else {
    double at = coarse_time(rs.r, sim_now(rs.eng));
    bool ok = sim_reschedule(rs.eng, ev[pick].h, at);
    rs.mismatches += ok != ev[pick].live;
    if (ev[pick].live) ev[pick].at_s = at, ev[pick].seq = rs.seq++;
  }
  if (pick >= 0) rs.mismatches += sim_pending(rs.eng, ev[pick].h) != ev[pick].live;
  rs.mismatches += (int)sim_pending_count(rs.eng) != ref_live_count(ev, rs.n);
}

/* Fires the next event and checks it is the reference's. */
static void fire_one(void) {
  int want = ref_next(rs.ev, rs.n);
  size_t before = log_n;
  sim_run(rs.eng, INFINITY, stop_after_one, NULL);
  if (want < 0) {
    rs.mismatches += log_n != before;
  } else {
    rs.mismatches += log_n <= before || log_id[before] != want ||
                     log_at[before] != rs.ev[want].at_s || sim_now(rs.eng) != rs.ev[want].at_s;
  }
  rs.mismatches += (int)sim_pending_count(rs.eng) != ref_live_count(rs.ev, rs.n);
  if (log_n > LOG_MAX / 2) log_reset();
}

/* Runs one random sequence; returns the number of mismatches. */
static int random_sequence(gsl_rng *r) {
  rs.r = r;
  rs.eng = sim_engine_alloc();
  rs.n = 0;
  rs.seq = 0;
  rs.mismatches = 0;
  log_reset();
  for (int op = 0; op < REF_OPS; op++) {
    if (gsl_rng_uniform(r) < 0.70) random_change();
    else fire_one();
  }
  /* drain: the remaining events, and those they add, fire in the reference order */
  while (ref_next(rs.ev, rs.n) >= 0) fire_one();
  rs.mismatches += sim_pending_count(rs.eng) != 0;
  sim_engine_free(rs.eng);
  return rs.mismatches;
}

static void test_against_reference(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 20240611);
  int bad_sequences = 0;
  for (int s = 0; s < REF_SEQUENCES; s++) bad_sequences += random_sequence(r) != 0;
  CHECK_INT(bad_sequences, 0,
            "reference: %d sequences x %d schedule/cancel/reschedule/fire ops (callbacks changing the heap too) agree",
            REF_SEQUENCES, REF_OPS);
  gsl_rng_free(r);
}

/* --- handles ---------------------------------------------------------------- */

static void test_stale_handles(void) {
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_handle a = sim_schedule(eng, 1, record, id_arg(1));
  sim_handle b = sim_schedule(eng, 2, record, id_arg(2));
  CHECK(a != SIM_NO_HANDLE && b != SIM_NO_HANDLE && a != b, "handles: distinct, non-zero");
  CHECK(!sim_cancel(eng, SIM_NO_HANDLE), "handles: SIM_NO_HANDLE does not cancel");
  CHECK(!sim_pending(eng, SIM_NO_HANDLE), "handles: SIM_NO_HANDLE not pending");
  CHECK(!sim_cancel(eng, (sim_handle)1 << 40 | 999), "handles: unknown slot does not cancel");
  CHECK(sim_cancel(eng, b), "handles: first cancel succeeds");
  CHECK(!sim_cancel(eng, b), "handles: double cancel returns false");
  CHECK(!sim_reschedule(eng, b, 3), "handles: reschedule of a cancelled event fails");
  /* the freed slot is reused; the stale handle must not reach the new event */
  sim_handle c = sim_schedule(eng, 3, record, id_arg(3));
  CHECK(c != b, "handles: a reused slot gets a new handle");
  CHECK(!sim_cancel(eng, b), "handles: stale handle does not cancel the slot's new event");
  CHECK(sim_pending(eng, c), "handles: new event still pending");
  sim_run(eng, 1.5, NULL, NULL);
  CHECK(!sim_pending(eng, a), "handles: fired event not pending");
  CHECK(!sim_cancel(eng, a), "handles: cancel after fire returns false");
  CHECK(!sim_reschedule(eng, a, 4), "handles: reschedule after fire returns false");
  sim_run(eng, INFINITY, NULL, NULL);
  int want[] = {1, 3};
  check_log(want, 2, "handles");
  sim_engine_free(eng);
}

static void test_reschedule_orders_after(void) {
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_handle a = sim_schedule(eng, 1, record, id_arg(1));
  sim_schedule(eng, 2, record, id_arg(2));
  sim_schedule(eng, 2, record, id_arg(3));
  sim_handle d = sim_schedule(eng, 9, record, id_arg(4));
  CHECK(sim_reschedule(eng, a, 2), "reschedule: later");
  CHECK(sim_reschedule(eng, d, 0.5), "reschedule: earlier");
  sim_run(eng, INFINITY, NULL, NULL);
  int want[] = {4, 2, 3, 1};
  check_log(want, 4, "reschedule: moved event orders after those already at its time");
  sim_engine_free(eng);
}

/* --- callbacks that schedule ----------------------------------------------- */

static void schedule_now(sim_engine *eng, void *arg) {
  log_push((int)(intptr_t)arg, sim_now(eng));
  sim_schedule(eng, sim_now(eng), record, id_arg(100 + (int)(intptr_t)arg));
}

static void schedule_later(sim_engine *eng, void *arg) {
  log_push((int)(intptr_t)arg, sim_now(eng));
  sim_schedule_in(eng, 0.25, record, id_arg(200 + (int)(intptr_t)arg));
}

static void test_schedule_from_callbacks(void) {
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_schedule(eng, 1, schedule_now, id_arg(1));
  sim_schedule(eng, 1, record, id_arg(2));
  sim_schedule(eng, 1, schedule_later, id_arg(3));
  sim_schedule(eng, 1.25, record, id_arg(4));
  sim_run(eng, INFINITY, NULL, NULL);
  /* 101 is at t=1 but scheduled after 2 and 3; 203 is at 1.25 after 4 */
  int want[] = {1, 2, 3, 101, 4, 203};
  check_log(want, 6, "callbacks");
  CHECK_REL(log_at[3], 1.0, 0, "callbacks: event at the current time fires at it");
  CHECK_REL(log_at[5], 1.25, 0, "callbacks: schedule_in is relative to now");
  sim_engine_free(eng);
}

/* --- the stream -------------------------------------------------------------- */

/* A stream over a fixed array of times that checks the engine peeks lazily. */
typedef struct test_stream {
  const double *times;
  size_t n, next;
  long fail_at;     /* index whose peek fails, or -1 */
  bool outstanding; /* peeked, not yet fired */
  bool ended;       /* peek returned 0 */
  int peeks, double_peeks, peeks_after_end, bad_fires;
} test_stream;

static int ts_peek(void *ctx, double *at_s) {
  test_stream *ts = ctx;
  ts->peeks++;
  if (ts->outstanding) ts->double_peeks++;
  if (ts->ended) ts->peeks_after_end++;
  if ((long)ts->next == ts->fail_at) return -SIM_EINPUT;
  if (ts->next == ts->n) {
    ts->ended = true;
    return 0;
  }
  ts->outstanding = true;
  *at_s = ts->times[ts->next];
  return 1;
}

static void ts_fire(sim_engine *eng, void *ctx) {
  test_stream *ts = ctx;
  if (!ts->outstanding || sim_now(eng) != ts->times[ts->next]) ts->bad_fires++;
  ts->outstanding = false;
  log_push(1000 + (int)ts->next, sim_now(eng));
  ts->next++;
}

/* An arrival that schedules a heap event at its own time. */
static void ts_fire_and_schedule(sim_engine *eng, void *ctx) {
  test_stream *ts = ctx;
  size_t i = ts->next;
  ts_fire(eng, ctx);
  if (i == 2) sim_schedule(eng, sim_now(eng), record, id_arg(50));
}

static void check_stream_discipline(const test_stream *ts, const char *what) {
  CHECK_INT(ts->double_peeks, 0, "%s: never peeks twice for one item", what);
  CHECK_INT(ts->peeks_after_end, 0, "%s: never peeks after the end", what);
  CHECK_INT(ts->bad_fires, 0, "%s: fires only the peeked item, at its time", what);
}

static void test_stream_merge(void) {
  const double times[] = {1, 2, 2, 3};
  test_stream ts = {.times = times, .n = 4, .fail_at = -1};
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_set_stream(eng, &(sim_stream){ts_peek, ts_fire_and_schedule, &ts});
  CHECK(!sim_stream_done(eng), "merge: stream installed, not done");
  sim_schedule(eng, 0.5, record, id_arg(1));
  sim_schedule(eng, 1, record, id_arg(2));
  sim_schedule(eng, 2, schedule_now, id_arg(3)); /* schedules 103 at t=2 */
  sim_schedule(eng, 3, record, id_arg(4));
  CHECK_INT(sim_run(eng, INFINITY, NULL, NULL), 0, "merge: run returns 0");
  /* heap events at an arrival's time fire before it, including 103 which was
   * scheduled while the arrival at 2 was waiting; 50 (scheduled by arrival
   * 1002 at t=2) fires before arrival 1003 at t=2 */
  int want[] = {1, 2, 1000, 3, 103, 1001, 1002, 50, 4, 1003};
  check_log(want, 10, "merge");
  check_stream_discipline(&ts, "merge");
  CHECK(sim_stream_done(eng), "merge: stream done at the end");
  CHECK_INT(sim_fired_count(eng), 10, "merge: fired count counts heap events and arrivals");
  CHECK_REL(sim_now(eng), 3, 0, "merge: clock at the last item");
  sim_engine_free(eng);
}

static void test_until(void) {
  const double times[] = {1.5, 4};
  test_stream ts = {.times = times, .n = 2, .fail_at = -1};
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_set_stream(eng, &(sim_stream){ts_peek, ts_fire, &ts});
  sim_schedule(eng, 1, record, id_arg(1));
  sim_schedule(eng, 2, record, id_arg(2));
  sim_schedule(eng, 3, record, id_arg(3));
  sim_schedule(eng, 10, record, id_arg(4));

  sim_run(eng, 2.5, NULL, NULL);
  int want1[] = {1, 1000, 2};
  check_log(want1, 3, "until 2.5");
  CHECK_REL(sim_now(eng), 2.5, 0, "until 2.5: clock placed at the horizon");
  CHECK_INT(ts.peeks, 2, "until 2.5: arrival at 4 peeked once, not fired");

  sim_run(eng, 3, NULL, NULL);
  CHECK_INT(log_n, 4, "until 3: the event at exactly until_s fires");
  CHECK_REL(sim_now(eng), 3, 0, "until 3: clock at 3");

  sim_run(eng, 3.5, NULL, NULL);
  CHECK_INT(log_n, 4, "until 3.5: nothing due");
  CHECK_REL(sim_now(eng), 3.5, 0, "until 3.5: idle clock advances to the horizon");

  sim_run(eng, 1, NULL, NULL);
  CHECK_REL(sim_now(eng), 3.5, 0, "until in the past: clock does not move back");

  sim_run(eng, 20, NULL, NULL);
  int want2[] = {1, 1000, 2, 3, 1001, 4};
  check_log(want2, 6, "until 20");
  CHECK_REL(sim_now(eng), 20, 0, "until 20: ran out of work, clock at the horizon");
  CHECK_INT(ts.peeks, 3, "until 20: the arrival at 4 was not re-peeked");
  check_stream_discipline(&ts, "until");

  sim_schedule(eng, 25, record, id_arg(5));
  sim_run(eng, INFINITY, NULL, NULL);
  CHECK_REL(sim_now(eng), 25, 0, "until infinite: clock stays at the last event");
  sim_engine_free(eng);
}

typedef struct counter {
  int fired, limit;
} counter;

static bool count_to_limit(void *ctx) {
  counter *c = ctx;
  return ++c->fired >= c->limit;
}

static void stop_engine(sim_engine *eng, void *arg) {
  log_push((int)(intptr_t)arg, sim_now(eng));
  sim_stop(eng);
}

static void test_done_and_stop(void) {
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  for (int i = 1; i <= 6; i++) sim_schedule(eng, i, record, id_arg(i));
  counter c = {0, 3};
  sim_run(eng, INFINITY, count_to_limit, &c);
  CHECK_INT(log_n, 3, "done: stops right after the predicate holds");
  CHECK_INT(c.fired, 3, "done: checked after every fired item");
  CHECK_REL(sim_now(eng), 3, 0, "done: clock at the last fired item");

  sim_stop(eng); /* outside a run: forgotten by the next sim_run */
  sim_schedule(eng, 4.5, stop_engine, id_arg(45));
  sim_run(eng, INFINITY, NULL, NULL);
  int want[] = {1, 2, 3, 4, 45};
  check_log(want, 5, "stop: returns after the event that called sim_stop");
  CHECK_REL(sim_now(eng), 4.5, 0, "stop: clock at the stopping event, not the horizon");
  sim_run(eng, 100, NULL, NULL);
  CHECK_INT(log_n, 7, "stop: the next run resumes");
  CHECK_REL(sim_now(eng), 100, 0, "stop: the resumed run reaches its horizon");
  sim_engine_free(eng);
}

static void test_peek_error(void) {
  const double times[] = {1, 2, 3};
  test_stream ts = {.times = times, .n = 3, .fail_at = 2};
  sim_engine *eng = sim_engine_alloc();
  log_reset();
  sim_set_stream(eng, &(sim_stream){ts_peek, ts_fire, &ts});
  sim_schedule(eng, 0.5, record, id_arg(1));
  sim_schedule(eng, 2.5, record, id_arg(2));
  int rc = sim_run(eng, INFINITY, NULL, NULL);
  CHECK_INT(rc, -SIM_EINPUT, "peek error: its status is returned");
  /* the failing peek happens right after arrival 2 fired, before the event at 2.5 */
  int want[] = {1, 1000, 1001};
  check_log(want, 3, "peek error: stops at the failing peek");
  CHECK_REL(sim_now(eng), 2, 0, "peek error: clock at the last fired item");
  CHECK(!sim_stream_done(eng), "peek error: the stream is not done");
  CHECK_INT(sim_pending_count(eng), 1, "peek error: later event still pending");
  sim_engine_free(eng);
}

static void test_no_stream(void) {
  sim_engine *eng = sim_engine_alloc();
  CHECK(sim_stream_done(eng), "no stream: done");
  CHECK_INT(sim_run(eng, 7, NULL, NULL), 0, "no stream: empty run returns 0");
  CHECK_REL(sim_now(eng), 7, 0, "no stream: empty run advances to the horizon");
  sim_set_stream(eng, NULL);
  CHECK(sim_stream_done(eng), "no stream: NULL stream is done");
  sim_engine_free(eng);
}

/* --- internal errors abort ------------------------------------------------- */

/* True when fn(eng) aborts (run in a child process, its message silenced). */
static bool aborts(void (*fn)(sim_engine *)) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stderr)) _exit(2);
    sim_engine *eng = sim_engine_alloc();
    sim_schedule(eng, 5, record, id_arg(1));
    sim_run(eng, INFINITY, NULL, NULL);
    fn(eng);
    _exit(0);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void schedule_in_past(sim_engine *eng) { sim_schedule(eng, 4.5, record, NULL); }
static void schedule_nan(sim_engine *eng) { sim_schedule(eng, NAN, record, NULL); }
static void schedule_negative_delay(sim_engine *eng) { sim_schedule_in(eng, -1, record, NULL); }
static void schedule_null_fn(sim_engine *eng) { sim_schedule(eng, 6, NULL, NULL); }
static void reschedule_into_past(sim_engine *eng) {
  sim_reschedule(eng, sim_schedule(eng, 6, record, NULL), 1);
}
static void schedule_at_now(sim_engine *eng) { sim_schedule(eng, sim_now(eng), record, NULL); }

static void test_internal_errors(void) {
  CHECK(aborts(schedule_in_past), "scheduling before now aborts");
  CHECK(aborts(schedule_nan), "scheduling at NaN aborts");
  CHECK(aborts(schedule_negative_delay), "a negative delay aborts");
  CHECK(aborts(schedule_null_fn), "a NULL callback aborts");
  CHECK(aborts(reschedule_into_past), "rescheduling before now aborts");
  CHECK(!aborts(schedule_at_now), "scheduling at exactly now is fine");
}

int main(void) {
  check_init();
  test_time_order();
  test_ties();
  test_against_reference();
  test_stale_handles();
  test_reschedule_orders_after();
  test_schedule_from_callbacks();
  test_stream_merge();
  test_until();
  test_done_and_stop();
  test_peek_error();
  test_no_stream();
  test_internal_errors();
  sim_engine_free(NULL);
  return check_done();
}

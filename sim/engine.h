/* engine.h — the discrete-event engine: a clock, an event heap, and a run loop
 * that merges one lazily pulled arrival stream with the heap.
 *
 * The heap is a 4-ary heap whose entries know their own position, so cancel
 * and reschedule are O(log n). Events with equal times fire in the order they
 * were scheduled (a per-engine sequence number breaks ties), which makes every
 * run deterministic. Periodic work is an event that re-schedules itself.
 *
 * Arrivals never sit in the heap: the engine asks the stream for the time of
 * its next item only when the previous one has fired. At equal times, heap
 * events scheduled before the arrival's time was known fire first, then the
 * arrival — concretely: heap events with time <= the arrival time fire first.
 *
 * The engine knows nothing of requests or clouds: a stream is two callbacks. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sim_engine sim_engine;

/* An event callback. `arg` is what was given to sim_schedule. */
typedef void (*sim_event_fn)(sim_engine *eng, void *arg);

/* A handle names one scheduled event. It stays unique for the engine's life, so
 * a stale handle (of an event that fired or was cancelled) is recognised and
 * ignored rather than hitting an unrelated event. 0 is never a valid handle. */
typedef uint64_t sim_handle;
#define SIM_NO_HANDLE ((sim_handle)0)

/* The arrival stream. `peek` stores the time (s) of the next item in *at_s and
 * returns 1, or returns 0 when the stream is exhausted, or a negative value on
 * error (the run then stops and sim_run returns that value). `fire` consumes the
 * item peeked last; the engine's clock already equals its time. The engine
 * peeks once per item, only after the previous item has fired, and never again
 * after a 0. Peeked times must not be earlier than the clock (the stream is
 * time-ordered); an earlier time or NaN is an internal error. */
typedef struct sim_stream {
  int (*peek)(void *ctx, double *at_s);
  void (*fire)(sim_engine *eng, void *ctx);
  void *ctx;
} sim_stream;

/* Allocates an engine whose clock reads 0. Free with sim_engine_free (NULL is a
 * no-op). */
sim_engine *sim_engine_alloc(void);
void sim_engine_free(sim_engine *eng);

/* The current simulated time in seconds. */
double sim_now(const sim_engine *eng);

/* Schedules fn(eng, arg) at absolute time at_s (>= sim_now; an earlier time,
 * NaN or a NULL fn is an internal error). O(log n); allocates only when the
 * heap outgrows its capacity. Returns the event's handle. When the event fires
 * it is no longer pending: inside fn, its own handle is already stale. */
sim_handle sim_schedule(sim_engine *eng, double at_s, sim_event_fn fn, void *arg);

/* Schedules fn after delay_s (>= 0) from now. */
sim_handle sim_schedule_in(sim_engine *eng, double delay_s, sim_event_fn fn, void *arg);

/* Cancels a pending event. Returns true if it was pending, false if the handle
 * is stale or SIM_NO_HANDLE. O(log n). */
bool sim_cancel(sim_engine *eng, sim_handle h);

/* Moves a pending event to at_s (>= now); it then orders after events already
 * scheduled at at_s. Returns false if the handle is stale. O(log n). */
bool sim_reschedule(sim_engine *eng, sim_handle h, double at_s);

/* True while the event named by h is pending. */
bool sim_pending(const sim_engine *eng, sim_handle h);

/* Number of pending events in the heap. */
uint64_t sim_pending_count(const sim_engine *eng);

/* Total number of events fired so far (heap events and stream items). */
uint64_t sim_fired_count(const sim_engine *eng);

/* Installs the arrival stream (copied; may be NULL for none), replacing any
 * previous one; an item the previous stream peeked but did not fire is
 * forgotten. Not callable from inside sim_run. */
void sim_set_stream(sim_engine *eng, const sim_stream *stream);

/* Runs events and stream items in time order until the next one would be later
 * than until_s, or nothing is left, or sim_stop was called, or `done(done_ctx)`
 * (checked after every fired item when done is non-NULL) returns true. Leaves
 * the clock at until_s if it ran out of work before it — nothing left, or the
 * next item later than until_s — so that a caller can integrate up to a
 * horizon; an infinite until_s leaves it at the last fired item. When stopped
 * by sim_stop, `done` or a peek error, the clock reads the time of the last
 * fired item. The clock never moves backwards. Not re-entrant (calling it from
 * a callback is an internal error). Returns 0, or the negative status a
 * stream's peek reported. */
int sim_run(sim_engine *eng, double until_s, bool (*done)(void *), void *done_ctx);

/* Asks a running sim_run to return after the current event. The request is
 * forgotten when the next sim_run starts. */
void sim_stop(sim_engine *eng);

/* True when the stream has been exhausted (peek returned 0), or none is
 * installed. */
bool sim_stream_done(const sim_engine *eng);

#endif

/* signals.h — stopping a run cleanly on SIGINT or SIGTERM.
 *
 * The handler only records which signal arrived (a volatile sig_atomic_t, the
 * one thing a handler may safely write, C11 7.14.1.1); the runner polls
 * sim_signals_pending() between events, stops its engine, keeps what is
 * complete, and marks summary.json incomplete (docs/guarantees.md). The
 * handler is installed with SA_RESETHAND, so a second Ctrl-C kills the process
 * at once, as users expect of a program that seems stuck. After cleaning up,
 * the program calls sim_signals_reraise() so that its parent sees death by the
 * signal (a shell then stops a loop of runs, exit status 130 for SIGINT),
 * following https://www.cons.org/cracauer/sigint.html. */
#ifndef SIM_SIGNALS_H
#define SIM_SIGNALS_H

#include <stdbool.h>

/* Installs the handler for SIGINT and SIGTERM (once per process; calling it
 * again re-arms it and forgets any signal caught before). */
void sim_signals_install(void);

/* True once SIGINT or SIGTERM has arrived since sim_signals_install. Cheap
 * (one load of a volatile flag): it may be called per event. */
bool sim_signals_pending(void);

/* The signal that arrived (SIGINT or SIGTERM), or 0 if none. */
int sim_signals_caught(void);

/* "SIGINT" or "SIGTERM" for the caught signal, "" if none; static text. */
const char *sim_signals_name(void);

/* If a signal was caught: restores its default action and raises it again, so
 * that the process dies by it (does not return then). Otherwise a no-op. Call
 * it after the outputs are closed, right before exiting. */
void sim_signals_reraise(void);

#endif

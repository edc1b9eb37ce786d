/* signals.c — SIGINT/SIGTERM recorded in a flag for the runner to poll (see
 * signals.h). */
#include "sim/signals.h"

#include <signal.h>
#include <string.h>

/* The signal number caught, 0 while none. Written only by the handler (and by
 * sim_signals_install before any handler can run). */
static volatile sig_atomic_t caught;

static void on_signal(int signo) { caught = signo; }

void sim_signals_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  /* SA_RESETHAND: the second signal takes the default action (terminates).
   * SA_RESTART: a read or write in progress is resumed, not failed with EINTR,
   * so a signal never turns into a spurious I/O error message. */
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  caught = 0;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

bool sim_signals_pending(void) { return caught != 0; }

int sim_signals_caught(void) { return caught; }

const char *sim_signals_name(void) {
  switch (caught) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    default: return "";
  }
}

void sim_signals_reraise(void) {
  int signo = caught;
  if (!signo) return;
  signal(signo, SIG_DFL);
  raise(signo);
}

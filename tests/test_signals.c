/* test_signals.c — sim/signals: the flag a SIGINT/SIGTERM sets, the second
 * signal that kills at once, and re-raising after cleanup. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/signals.h"
#include "tests/check.h"

/* Runs fn in a child process; returns its wait status. */
static int in_child(void (*fn)(void)) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

static void second_sigint(void) {
  sim_signals_install();
  raise(SIGINT);
  if (!sim_signals_pending()) _exit(3);
  raise(SIGINT); /* SA_RESETHAND: the default action now — terminates */
}

static void reraise_sigterm(void) {
  sim_signals_install();
  raise(SIGTERM);
  sim_signals_reraise(); /* does not return */
  _exit(4);
}

static void test_flag(void) {
  sim_signals_install();
  CHECK(!sim_signals_pending(), "nothing pending after install");
  CHECK_INT(sim_signals_caught(), 0, "no signal caught yet");
  CHECK_STR(sim_signals_name(), "", "no name before a signal");
  sim_signals_reraise(); /* no signal: a no-op that returns */
  CHECK(!sim_signals_pending(), "reraise without a signal changes nothing");

  raise(SIGINT);
  CHECK(sim_signals_pending(), "SIGINT sets the flag");
  CHECK_INT(sim_signals_caught(), SIGINT, "the caught signal is SIGINT");
  CHECK_STR(sim_signals_name(), "SIGINT", "its name");

  sim_signals_install();
  CHECK(!sim_signals_pending(), "install re-arms and forgets the last signal");
  raise(SIGTERM);
  CHECK_INT(sim_signals_caught(), SIGTERM, "SIGTERM is caught too");
  CHECK_STR(sim_signals_name(), "SIGTERM", "its name");
}

static void test_second_signal_kills(void) {
  int st = in_child(second_sigint);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "a second SIGINT kills the process");
}

static void test_reraise(void) {
  int st = in_child(reraise_sigterm);
  CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
        "reraise makes the process die by the caught signal");
}

int main(void) {
  check_init();
  test_flag();
  test_second_signal_kills();
  test_reraise();
  return check_done();
}

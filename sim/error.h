/* error.h — the one error type of scalesim.
 *
 * Every function that can fail on bad input returns an int status (0 on success,
 * otherwise one of the SIM_E* codes below, which are also the process exit codes
 * of DESIGN.md §7) and fills a sim_error whose message already carries its
 * context: `file:line:col: key.path: what was expected` for scenarios,
 * `file:line: field: what is wrong` for traces. Broken *invariants* are not
 * errors: they abort through SIM_ASSERT with the source location. */
#ifndef SIM_ERROR_H
#define SIM_ERROR_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

enum sim_status {
  SIM_OK = 0,
  SIM_EFAIL = 1,     /* could not write outputs, out of memory, interrupted */
  SIM_EUSAGE = 2,    /* command-line misuse */
  SIM_ESCENARIO = 3, /* the scenario is invalid */
  SIM_EINPUT = 4     /* a trace or imported file is unreadable or malformed */
};

typedef struct sim_error {
  int status;     /* one of sim_status; SIM_OK while no error was set */
  char msg[1024]; /* complete, human-readable message with its context */
} sim_error;

/* Sets err (may be NULL) to status and a printf-formatted message; returns status,
 * so that `return sim_errorf(err, SIM_EINPUT, "%s:%ld: ...", ...)` reads naturally. */
int sim_errorf(sim_error *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sim_verrorf(sim_error *err, int status, const char *fmt, va_list ap);

/* Prefixes an existing message with more context ("while reading X: ..."). */
int sim_error_prefix(sim_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Resets err to "no error". */
void sim_error_clear(sim_error *err);

/* Aborts loudly with file:line when an internal invariant does not hold. */
#define SIM_ASSERT(cond)                                                      \
  do {                                                                        \
    if (!(cond)) {                                                            \
      fprintf(stderr, "%s:%d: internal error: assertion `%s' failed\n",       \
              __FILE__, __LINE__, #cond);                                     \
      abort();                                                                \
    }                                                                         \
  } while (0)

/* malloc/calloc/realloc that abort on exhaustion: running out of memory is not
 * an input error that a user can fix in a file, and every caller checking for it
 * would bury the logic. Resource budgets (issue 8) are checked separately. */
void *sim_xmalloc(size_t n);
void *sim_xcalloc(size_t n, size_t size);
void *sim_xrealloc(void *p, size_t n);
char *sim_xstrdup(const char *s);

#endif

/* error.c — the error type and the aborting allocators (see error.h). */
#include "sim/error.h"

#include <string.h>

int sim_verrorf(sim_error *err, int status, const char *fmt, va_list ap) {
  if (err) {
    err->status = status;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  }
  return status;
}

int sim_errorf(sim_error *err, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  sim_verrorf(err, status, fmt, ap);
  va_end(ap);
  return status;
}

int sim_error_prefix(sim_error *err, const char *fmt, ...) {
  if (!err) return SIM_OK;
  char old[sizeof err->msg];
  memcpy(old, err->msg, sizeof old);
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n < sizeof err->msg)
    memccpy(err->msg + n, old, '\0', sizeof err->msg - (size_t)n);
  err->msg[sizeof err->msg - 1] = '\0';
  return err->status;
}

void sim_error_clear(sim_error *err) {
  if (err) {
    err->status = SIM_OK;
    err->msg[0] = '\0';
  }
}

static void *check(void *p, size_t n) {
  if (!p && n) {
    fprintf(stderr, "scalesim: out of memory (%zu bytes)\n", n);
    abort();
  }
  return p;
}

void *sim_xmalloc(size_t n) { return check(malloc(n), n); }
void *sim_xcalloc(size_t n, size_t size) { return check(calloc(n, size), n * size); }
void *sim_xrealloc(void *p, size_t n) { return check(realloc(p, n), n); }
char *sim_xstrdup(const char *s) { return s ? strcpy(sim_xmalloc(strlen(s) + 1), s) : NULL; }

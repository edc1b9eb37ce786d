/* check.h — test helpers over GSL's gsl_test: each check is counted so that a
 * test program ends with the line "N passed, N failed" (DESIGN.md §8) and
 * exits non-zero when any check failed. gsl_test prints every failure (and every
 * pass with GSL_TEST_VERBOSE=1). */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

static inline int check_count_(int status) {
  if (status) check_failed_++;
  else check_passed_++;
  return status;
}

/* gsl_test_* return void, so each check decides pass/fail itself by GSL's own
 * rules (gsl/test/results.c) and then calls gsl_test_* only to print. */
static inline int check_rel_fails_(double got, double want, double rel) {
  if (isnan(got) || isnan(want)) return isnan(got) != isnan(want);
  if (isinf(got) || isinf(want)) return isinf(got) != isinf(want) || got != want;
  if (want != 0) return fabs(got - want) / fabs(want) > rel;
  return fabs(got) > rel;
}
static inline int check_abs_fails_(double got, double want, double tol) {
  if (isnan(got) || isnan(want)) return isnan(got) != isnan(want);
  if (isinf(got) || isinf(want)) return isinf(got) != isinf(want) || got != want;
  return fabs(got - want) > tol;
}

#define CHECK_DESC_(desc, what)                                                    \
  char desc[512];                                                                  \
  do {                                                                             \
    va_list ap_;                                                                   \
    va_start(ap_, what);                                                           \
    vsnprintf(desc, sizeof desc, what, ap_);                                       \
    va_end(ap_);                                                                   \
  } while (0)

static inline int check_rel_(double got, double want, double rel, const char *what, ...) {
  CHECK_DESC_(desc, what);
  gsl_test_rel(got, want, rel, "%s", desc);
  return check_count_(check_rel_fails_(got, want, rel));
}
static inline int check_abs_(double got, double want, double tol, const char *what, ...) {
  CHECK_DESC_(desc, what);
  gsl_test_abs(got, want, tol, "%s", desc);
  return check_count_(check_abs_fails_(got, want, tol));
}
static inline int check_int_(int got, int want, const char *what, ...) {
  CHECK_DESC_(desc, what);
  gsl_test_int(got, want, "%s", desc);
  return check_count_(got != want);
}
static inline int check_true_(int failed, const char *what, ...) {
  CHECK_DESC_(desc, what);
  gsl_test(failed, "%s", desc);
  return check_count_(failed);
}

/* |got - want| / |want| <= rel */
#define CHECK_REL(got, want, rel, ...) check_rel_((got), (want), (rel), __VA_ARGS__)
/* |got - want| <= tol */
#define CHECK_ABS(got, want, tol, ...) check_abs_((got), (want), (tol), __VA_ARGS__)
/* got == want (integers) */
#define CHECK_INT(got, want, ...) check_int_((int)(got), (int)(want), __VA_ARGS__)
/* a condition */
#define CHECK(cond, ...) check_true_(!(cond), __VA_ARGS__)
/* strings equal */
#define CHECK_STR(got, want, ...) check_count_(check_str_((got), (want), __VA_ARGS__))
/* `needle` occurs in `hay` */
#define CHECK_CONTAINS(hay, needle, ...) \
  check_count_(check_contains_((hay), (needle), __VA_ARGS__))

static inline int check_str_(const char *got, const char *want, const char *what, ...) {
  CHECK_DESC_(desc, what);
  int ok = got && want && strcmp(got, want) == 0;
  if (!ok) fprintf(stderr, "FAIL: %s\n  got:  %s\n  want: %s\n", desc, got ? got : "(null)", want);
  return !ok;
}
static inline int check_contains_(const char *hay, const char *needle, const char *what, ...) {
  CHECK_DESC_(desc, what);
  int ok = hay && strstr(hay, needle) != NULL;
  if (!ok) fprintf(stderr, "FAIL: %s\n  text: %s\n  lacks: %s\n", desc, hay ? hay : "(null)", needle);
  return !ok;
}

static inline void check_init(void) { gsl_set_error_handler_off(); }

/* Prints the closing line and returns the exit status. */
static inline int check_done(void) {
  printf("%d passed, %d failed\n", check_passed_, check_failed_);
  return check_failed_ ? 1 : 0;
}

#endif

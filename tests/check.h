/* check.h — test helpers over GSL's gsl_test: each check is counted so that a
 * test program ends with the line "N passed, N failed" (DESIGN.md §8) and
 * exits non-zero when any check failed. gsl_test prints every failure (and every
 * pass with GSL_TEST_VERBOSE=1). */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_test.h>
#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

static inline int check_count_(int status) {
  if (status) check_failed_++;
  else check_passed_++;
  return status;
}

/* |got - want| / |want| <= rel */
#define CHECK_REL(got, want, rel, ...) check_count_(gsl_test_rel((got), (want), (rel), __VA_ARGS__))
/* |got - want| <= tol */
#define CHECK_ABS(got, want, tol, ...) check_count_(gsl_test_abs((got), (want), (tol), __VA_ARGS__))
/* got == want (integers) */
#define CHECK_INT(got, want, ...) check_count_(gsl_test_int((int)(got), (int)(want), __VA_ARGS__))
/* a condition */
#define CHECK(cond, ...) check_count_(gsl_test(!(cond), __VA_ARGS__))
/* strings equal */
#define CHECK_STR(got, want, ...) check_count_(check_str_((got), (want), __VA_ARGS__))
/* `needle` occurs in `hay` */
#define CHECK_CONTAINS(hay, needle, ...) \
  check_count_(check_contains_((hay), (needle), __VA_ARGS__))

static inline int check_str_(const char *got, const char *want, const char *what, ...) {
  int ok = got && want && strcmp(got, want) == 0;
  if (!ok) fprintf(stderr, "FAIL: %s\n  got:  %s\n  want: %s\n", what, got ? got : "(null)", want);
  return !ok;
}
static inline int check_contains_(const char *hay, const char *needle, const char *what, ...) {
  int ok = hay && strstr(hay, needle) != NULL;
  if (!ok) fprintf(stderr, "FAIL: %s\n  text: %s\n  lacks: %s\n", what, hay ? hay : "(null)", needle);
  return !ok;
}

static inline void check_init(void) { gsl_set_error_handler_off(); }

/* Prints the closing line and returns the exit status. */
static inline int check_done(void) {
  printf("%d passed, %d failed\n", check_passed_, check_failed_);
  return check_failed_ ? 1 : 0;
}

#endif

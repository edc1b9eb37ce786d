/* files.h — file helpers the test programs share: read a whole file, write
 * one, count a string's occurrences. Reading goes through sim_read_file, the
 * library's own. */
#ifndef TESTS_FILES_H
#define TESTS_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/file.h"

/* The whole of path, NUL-terminated (the caller frees it), its length in *len
 * when len is not NULL; NULL when it cannot be read (the check that uses it
 * then fails). */
static inline char *read_file(const char *path, size_t *len) {
  char *text = NULL;
  size_t n = 0;
  sim_error err = {0};
  if (sim_read_file(path, &text, &n, &err) != SIM_OK) return NULL;
  if (len) *len = n;
  return text;
}

/* Writes text to path; a test that cannot write its own input stops here. */
static inline void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}

/* How many times needle occurs in hay (overlapping occurrences count). */
static inline int count_of(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

#endif

/* fuzz.h — what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each harness file defines its entry point with FUZZ_TARGET(name), which
 * gives a function `int fuzz_<name>(const uint8_t *data, size_t size)` and, in
 * a libFuzzer build (`make fuzz`), the LLVMFuzzerTestOneInput that calls it.
 * Compiled with -DFUZZ_NO_MAIN instead, the harnesses link together into
 * tests/test_fuzz_regressions.c, which replays the seed corpora and every
 * crash ever found (tests/fuzz/regressions/<name>/) through the same entry
 * points, under the normal test suite, its sanitizers and valgrind.
 *
 * A harness asserts properties of the parser's results with FUZZ_CHECK (a
 * parsed duration is finite and >= 0; on failure there is a message; ...).
 * Under libFuzzer a violated property aborts, so it is reported like a crash
 * with the input saved; in the regression test it is counted. */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "sim/error.h"

#ifdef FUZZ_NO_MAIN
#define FUZZ_ENTRY_(name)
#else
#define FUZZ_ENTRY_(name)                                                      \
  int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {              \
    return fuzz_##name(data, size);                                            \
  }
#endif

#define FUZZ_TARGET(name)                                                      \
  int fuzz_##name(const uint8_t *data, size_t size);                          \
  FUZZ_ENTRY_(name)                                                            \
  int fuzz_##name(const uint8_t *data, size_t size)

/* Reports a violated property: prints it with its location, then aborts under
 * libFuzzer or counts it (fuzz_violations) under FUZZ_NO_MAIN. */
void fuzz_violation(const char *file, int line, const char *cond);
extern unsigned long fuzz_violations;

#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) fuzz_violation(__FILE__, __LINE__, #cond);                    \
  } while (0)

/* Process-wide setup every entry point calls first (GSL's error handler off,
 * as scalesim's main does). Idempotent and cheap. */
void fuzz_init(void);

/* A NUL-terminated malloc'd copy of data (the caller frees it). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* Makes data the content of an in-memory file (memfd) and returns a path that
 * opens it ("/proc/self/fd/N"; static storage, valid until the next call for
 * the same slot). Readers open paths, and this keeps the fuzzer off the disk.
 * Slots 0 .. FUZZ_MEMFILE_SLOTS-1 are separate files (fuzz_memfile: slot 0).
 * Aborts if the memfd cannot be made: that is the harness's environment, not
 * the input. */
enum { FUZZ_MEMFILE_SLOTS = 3 };
const char *fuzz_memfile(const uint8_t *data, size_t size);
const char *fuzz_memfile_slot(int slot, const uint8_t *data, size_t size);

/* Splits data at NUL bytes into at most max parts (the last part takes the
 * rest, NULs included); returns how many. Parts point into data. */
typedef struct fuzz_part {
  const uint8_t *data;
  size_t size;
} fuzz_part;
size_t fuzz_split(const uint8_t *data, size_t size, fuzz_part *parts, size_t max);

/* Checks the contract every failing scalesim call keeps: a SIM_E* status
 * matching err->status and a non-empty message. */
void fuzz_check_error(int rc, const sim_error *err);

/* --- the entry points, for the regression test ----------------------------- */

int fuzz_units(const uint8_t *data, size_t size);
int fuzz_scenario(const uint8_t *data, size_t size);
int fuzz_override(const uint8_t *data, size_t size);
int fuzz_trace_csv(const uint8_t *data, size_t size);
int fuzz_trace_tsv(const uint8_t *data, size_t size);
int fuzz_trace_clf(const uint8_t *data, size_t size);
int fuzz_trace_alb(const uint8_t *data, size_t size);
int fuzz_trace_azure2021(const uint8_t *data, size_t size);
int fuzz_trace_azure2019(const uint8_t *data, size_t size);
int fuzz_trace_counts(const uint8_t *data, size_t size);
int fuzz_trace_count_series(const uint8_t *data, size_t size);
int fuzz_import_ecs(const uint8_t *data, size_t size);
int fuzz_import_cloudrun(const uint8_t *data, size_t size);
int fuzz_grid(const uint8_t *data, size_t size);
int fuzz_variants(const uint8_t *data, size_t size);
int fuzz_report_data(const uint8_t *data, size_t size);
int fuzz_schedule(const uint8_t *data, size_t size);

/* --- trace readers ---------------------------------------------------------- */

/* Runs one trace format over fuzzer bytes: the first two bytes choose the
 * reader's options (see common.c), the rest is the file. Reads through the
 * whole replay pipeline (wl_trace_open, wl_next) and checks every request. */
int fuzz_trace_format(int format, const uint8_t *data, size_t size);

#endif

/* trace_azure2021.c — the Azure Functions Invocation Trace 2021
 * (AzureFunctionsInvocationTrace2021.md; specs/trace-formats.md §3.3.2):
 * CSV `app,func,end_timestamp,duration`, one row per invocation.
 *
 * end_timestamp is the invocation's end in seconds from the trace start and
 * duration its execution time in seconds (excluding cold start), so the arrival
 * is end_timestamp - duration (§3.3.2: "start time = end_timestamp −
 * duration"). Rows are ordered by end, not by start: the re-order window puts
 * them in arrival order. filter.function keeps rows whose func or app id is
 * listed (func ids are unique only within their app). */
#include "workloads/trace_csv.h"

static int open_azure2021(const char *path, wl_parse_env *env, wl_parser **out,
                          sim_error *err) {
  wl_csv_spec spec = {
      .format = "azure2021",
      .delim = ',',
      .header = true,
      .time = "end_timestamp",
      .duration = "duration",
      .function = "func",
      .app = "app",
      .time_format = WL_TIME_S,
      .time_marks = WL_MARKS_END,
      .unit = WL_UNIT_S,
  };
  return wl_csv_requests_open(path, &spec, env, out, err);
}

const wl_format wl_format_azure2021 = {"azure2021", false, open_azure2021,
                                       wl_csv_requests_read, NULL, wl_csv_requests_free};

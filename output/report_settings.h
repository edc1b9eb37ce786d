/* report_settings.h — the settings each platform ran with, for the report:
 * DIR/settings.csv, one row per setting:
 *
 *   platform,key,value,defaulted,role
 *
 * platform is the platform's name ("" for scenario-wide keys such as the
 * workload's), key the dotted key path within it as the scenario spells it
 * ("scaling.max_instances", "policies[0].target"), value the value with its
 * unit as scenario text ("45s", "2GiB", "60%"), defaulted "true" when the
 * scenario did not set it (the report marks it as an assumed default), and
 * role an optional tag that tells the report what a setting means for its
 * charts: OUT_ROLE_CPU_TARGET marks the CPU utilisation target that the CPU
 * chart draws as its target line.
 *
 * The runner fills the list from the loaded scenario (out_settings_collect
 * walks a cfg schema and its struct, asking the cfg context which values were
 * defaulted) and writes it once per run, so `scalesim report DIR` shows the same
 * settings without the scenario file. */
#ifndef OUT_REPORT_SETTINGS_H
#define OUT_REPORT_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/cfg.h"
#include "sim/error.h"

#define OUT_ROLE_CPU_TARGET "cpu_target"

typedef struct out_settings out_settings;

out_settings *out_settings_alloc(void);
void out_settings_free(out_settings *s);

/* Appends one setting (strings copied; platform NULL = scenario-wide). */
void out_settings_add(out_settings *s, const char *platform, const char *key,
                      const char *value, bool defaulted);

/* Appends every value of obj, described by schema, as settings of `platform`
 * with keys relative to obj ("instance.vcpu"), or, when platform is NULL, as
 * scenario-wide settings keyed by their full path ("workload.arrivals.rate").
 * cfg_path is obj's path in the scenario ("platforms[0]", "workload"), by which
 * ctx (may be NULL: nothing is marked defaulted) knows the defaulted values. Optional values the scenario
 * left out and that have no default are skipped; CFG_CUSTOM fields are skipped
 * too (only their reader knows their shape). */
void out_settings_collect(out_settings *s, const char *platform, const char *cfg_path,
                          const cfg_schema *schema, const void *obj, const cfg_ctx *ctx);

/* Tags the setting (platform, key) with role (e.g. OUT_ROLE_CPU_TARGET).
 * Returns false when there is no such setting. */
bool out_settings_set_role(out_settings *s, const char *platform, const char *key,
                           const char *role);

/* The number of settings, and the value of (platform, key) or NULL. */
size_t out_settings_count(const out_settings *s);
const char *out_settings_value(const out_settings *s, const char *platform, const char *key);

/* Writes DIR/settings.csv atomically. Returns 0 or SIM_EFAIL with err. */
int out_settings_write(const out_settings *s, const char *dir, sim_error *err);

#endif

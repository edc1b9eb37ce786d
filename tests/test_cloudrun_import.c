/* test_cloudrun_import.c — the `cloudrun` platform's scenario keys and its
 * imports: defaults from the spec, the Cloud Run rules between keys (vCPU
 * below 1, target ranges, KPA routing), a service exported by `gcloud run
 * services describe --format export` and a Knative config-autoscaler
 * ConfigMap, scenario keys winning over imported ones, and file:line:col
 * errors for malformed imports. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "models/cloudrun/cloudrun.h"
#include "models/cloudrun/pending.h"
#include "sim/scenario.h"
#include "tests/check.h"
#include "tests/files.h"

static char message[2048];
static int status;

/* Loads a scenario whose only platform is `platform` (YAML flow or block text
 * indented for the list item); returns its config or NULL with message set. */
static scenario *load(const char *platform) {
  char text[4096];
  snprintf(text, sizeof text,
           "name: t\nduration: 1m\n"
           "workload:\n  arrivals: {process: poisson, rate: 1/s}\n"
           "  request: {duration: {dist: constant, value: 100ms}}\n"
           "platforms:\n  - name: run\n    kind: cloudrun\n%s"
           "output: {dir: /tmp/unused}\n",
           platform);
  scenario *sc = NULL;
  sim_error err = {0};
  status = scenario_load_text("s.yaml", text, strlen(text), NULL, 0, &sc, &err);
  snprintf(message, sizeof message, "%s", err.msg);
  return sc;
}

static const crun_cfg *cfg_of(const scenario *sc) { return sc->platforms[0].cfg; }

static void test_defaults(void) {
  scenario *sc = load("");
  CHECK(sc != NULL, "a cloudrun platform with no keys loads: %s", message);
  if (!sc) return;
  const crun_cfg *c = cfg_of(sc);
  CHECK_ABS(c->instance.vcpu, 1, 0, "default vcpu 1 (§A.1)");
  CHECK_INT(c->instance.max_concurrency, 80, "default concurrency 80 (§A.1)");
  CHECK_ABS(c->instance.memory_mib, 512, 0, "default memory 512MiB");
  CHECK_ABS(c->instance.request_timeout_s, 300, 0, "default request timeout 300 s (§A.1)");
  CHECK_ABS(c->instance.sigterm_grace_s, 10, 0, "SIGTERM grace 10 s (§A.4)");
  CHECK(c->instance.startup_boost, "startup boost on by default (§A.4)");
  CHECK_ABS(c->scaling.idle_retention_s, 900, 0, "idle retention 15 min (§A.2)");
  CHECK_INT(c->scaling.scale_in, CRUN_SCALE_IN_DRAIN_EXCESS,
            "scale-in drains the instances beyond the need by default (§A.7 [derived])");
  CHECK_INT(c->scaling.max_instances, 100, "max instances 100 (§A.1)");
  CHECK_ABS(c->scaling.concurrency_target_pct, 60, 0, "concurrency target 60%% (§A.1)");
  CHECK_ABS(c->scaling.cpu_target_pct, 60, 0, "CPU target 60%% (§A.1)");
  CHECK_ABS(c->scaling.metrics_window_s, 60, 0, "one-minute window (§A.1)");
  CHECK_ABS(c->scaling.eval_period_s, 5, 0, "evaluation every 5 s (§A.1)");
  CHECK_INT(c->pending.rule, CRUN_PENDING_CURRENT, "pending rule max(10s, 3.5 x startup)");
  CHECK_ABS(c->kpa.stable_window_s, 60, 0, "kpa stable window 60 s (§B.2)");
  CHECK_ABS(c->kpa.target_burst_capacity, 211, 0, "kpa TBC 211 (§B.2)");
  CHECK_ABS(c->prices.cpu_per_vcpu_s, 0.000024, 0, "price per vCPU-s (§A.5)");
  CHECK_ABS(c->prices.per_request, 0.4e-6, 0, "request fee $0.40 per million (§A.5)");
  CHECK_INT(c->billing.mode, CRUN_BILLING_REQUEST, "request-based billing by default");
  CHECK_ABS(c->billing.rounding_s, 0.1, 1e-15, "100 ms rounding (§A.5)");
  scenario_free(sc);

  CHECK_ABS(crun_boosted_vcpu(0.5), 2, 0, "boost table: 0-1 -> 2");
  CHECK_ABS(crun_boosted_vcpu(2), 4, 0, "boost table: 2 -> 4");
  CHECK_ABS(crun_boosted_vcpu(4), 8, 0, "boost table: 4 -> 8");
  CHECK_ABS(crun_boosted_vcpu(6), 8, 0, "boost table: 6 -> 8");
  CHECK_ABS(crun_boosted_vcpu(8), 8, 0, "boost table: 8 -> 8");
}

static void test_rules(void) {
  scenario *sc = load("    instance: {vcpu: 0.5}\n");
  CHECK(sc && cfg_of(sc)->instance.max_concurrency == 1,
        "vcpu 0.5 without a concurrency means concurrency 1 (§A.1)");
  scenario_free(sc);
  sc = load("    instance: {vcpu: 0.5, max_concurrency: 10}\n");
  CHECK(!sc && status == SIM_ESCENARIO, "vcpu 0.5 with concurrency 10 is rejected");
  CHECK_CONTAINS(message, "must be 1 when vcpu < 1", "the message says why");
  CHECK_CONTAINS(message, "s.yaml:", "the message names the file");
  sc = load("    instance: {vcpu: 3}\n");
  CHECK(!sc, "vcpu 3 is not a Cloud Run size");
  sc = load("    scaling: {concurrency_target: 5%}\n");
  CHECK(!sc, "a 5%% concurrency target is rejected (0 or 10%%-95%%)");
  CHECK_CONTAINS(message, "concurrency_target", "names the key");
  sc = load("    scaling: {cpu_target: 0}\n");
  CHECK(sc && cfg_of(sc)->scaling.cpu_target_pct == 0, "cpu_target 0 turns the driver off");
  scenario_free(sc);
  sc = load("    scaling: {scale_in: idle_only}\n");
  CHECK(sc && cfg_of(sc)->scaling.scale_in == CRUN_SCALE_IN_IDLE_ONLY,
        "scale_in: idle_only keeps the previous rule");
  scenario_free(sc);
  sc = load("    scaling: {scale_in: drain}\n");
  CHECK(!sc && status == SIM_ESCENARIO, "an unknown scale_in is rejected");
  CHECK_CONTAINS(message, "drain_excess", "naming the choices");
  sc = load("    scaling: {autoscaler: kpa, routing: fill_busiest}\n");
  CHECK(!sc, "kpa with fill_busiest routing is rejected");
  sc = load("    scaling: {min_instances: 5, max_instances: 2}\n");
  CHECK(!sc, "min above max is rejected");
  sc = load("    kpa: {max_scale_down_rate: 1}\n");
  CHECK(!sc, "kpa max_scale_down_rate 1 is rejected (must be > 1)");
  CHECK_CONTAINS(message, "max-scale-down-rate", "with Knative's message");
  sc = load("    kpa: {stable_windw: 30s}\n");
  CHECK(!sc, "an unknown kpa key is rejected");
  CHECK_CONTAINS(message, "stable_window", "with a did-you-mean hint");
  sc = load("    pending: {rule: 60s}\n    billing: {mode: instance}\n");
  CHECK(sc && cfg_of(sc)->pending.rule == CRUN_PENDING_60S &&
            cfg_of(sc)->billing.mode == CRUN_BILLING_INSTANCE,
        "pending rule 60s and instance billing are selectable");
  scenario_free(sc);
}

static const char service_yaml[] =
    "apiVersion: serving.knative.dev/v1\n"
    "kind: Service\n"
    "metadata:\n"
    "  name: hello\n"
    "  annotations:\n"
    "    run.googleapis.com/ingress: all\n"
    "spec:\n"
    "  template:\n"
    "    metadata:\n"
    "      annotations:\n"
    "        autoscaling.knative.dev/minScale: '1'\n"
    "        autoscaling.knative.dev/maxScale: '7'\n"
    "        autoscaling.knative.dev/target: '30'\n"
    "        autoscaling.knative.dev/target-utilization-percentage: '1'\n"
    "        autoscaling.knative.dev/window: '45s'\n"
    "        run.googleapis.com/cpu-throttling: 'false'\n"
    "        run.googleapis.com/startup-cpu-boost: 'false'\n"
    "        run.googleapis.com/execution-environment: gen2\n"
    "    spec:\n"
    "      containerConcurrency: 50\n"
    "      timeoutSeconds: 120\n"
    "      containers:\n"
    "      - image: us-docker.pkg.dev/cloudrun/container/hello\n"
    "        ports:\n"
    "        - containerPort: 8080\n"
    "        resources:\n"
    "          limits:\n"
    "            cpu: 2000m\n"
    "            memory: 1Gi\n"
    "        startupProbe:\n"
    "          failureThreshold: 1\n"
    "          periodSeconds: 240\n"
    "          tcpSocket: {port: 8080}\n"
    "          timeoutSeconds: 240\n";

static const char configmap_yaml[] =
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: config-autoscaler, namespace: knative-serving}\n"
    "data:\n"
    "  _example: |\n"
    "    stable-window: \"60s\"\n"
    "  stable-window: \"1m30s\"\n"
    "  panic-window-percentage: \"20.0\"\n"
    "  target-burst-capacity: \"-1\"\n"
    "  scale-down-delay: \"5m\"\n"
    "  enable-scale-to-zero: \"false\"\n"
    "  container-concurrency-target-percentage: \"0.6\"\n"
    "  pod-autoscaler-class: \"kpa.autoscaling.knative.dev\"\n";

static void test_import(const char *dir) {
  char svc[256], cm[256], bad_cpu[256], broken[256], spec[1024];
  snprintf(svc, sizeof svc, "%s/service.yaml", dir);
  snprintf(cm, sizeof cm, "%s/config-autoscaler.yaml", dir);
  snprintf(bad_cpu, sizeof bad_cpu, "%s/bad.yaml", dir);
  snprintf(broken, sizeof broken, "%s/broken.yaml", dir);
  write_file(svc, service_yaml);
  write_file(cm, configmap_yaml);
  char bad_text[sizeof service_yaml + 16];
  snprintf(bad_text, sizeof bad_text, "%s", service_yaml);
  char *p = strstr(bad_text, "2000m");
  memcpy(p, "lots!", 5);
  write_file(bad_cpu, bad_text);
  write_file(broken, "spec: {template: [unclosed\n");

  snprintf(spec, sizeof spec, "    import: {service: %s, config_autoscaler: %s}\n", svc, cm);
  scenario *sc = load(spec);
  CHECK(sc != NULL, "import loads: %s", message);
  if (sc) {
    const crun_cfg *c = cfg_of(sc);
    CHECK_INT(c->instance.max_concurrency, 50, "containerConcurrency -> max_concurrency");
    CHECK_ABS(c->instance.vcpu, 2, 0, "limits.cpu 2000m -> 2 vCPU");
    CHECK_ABS(c->instance.memory_mib, 1024, 0, "limits.memory 1Gi -> 1024 MiB");
    CHECK_ABS(c->instance.request_timeout_s, 120, 0, "timeoutSeconds -> request_timeout");
    CHECK_INT(c->scaling.min_instances, 1, "minScale annotation");
    CHECK_INT(c->scaling.max_instances, 7, "maxScale annotation");
    CHECK_INT(c->billing.mode, CRUN_BILLING_INSTANCE, "cpu-throttling false -> instance billing");
    CHECK(!c->instance.startup_boost, "startup-cpu-boost false");
    CHECK_INT(c->instance.execution_environment, CRUN_GEN2, "execution-environment gen2");
    CHECK_ABS(c->kpa.target, 30, 0, "autoscaling.knative.dev/target -> kpa.target");
    CHECK_ABS(c->kpa.stable_window_s, 45, 0,
              "the revision's window annotation wins over the ConfigMap's stable-window");
    CHECK_ABS(kpa_target_fraction(&c->kpa), 0.01, 1e-15,
              "target-utilization-percentage annotation '1' is 1%% (tu / 100), and wins");
    CHECK_ABS(c->kpa.panic_window_pct, 20, 0, "ConfigMap panic-window-percentage");
    CHECK_ABS(c->kpa.target_burst_capacity, -1, 0, "ConfigMap target-burst-capacity -1");
    CHECK_ABS(c->kpa.scale_down_delay_s, 300, 0, "ConfigMap scale-down-delay 5m");
    CHECK(!c->kpa.enable_scale_to_zero, "ConfigMap enable-scale-to-zero false");
    scenario_free(sc);
  }

  snprintf(spec, sizeof spec, "    import: {config_autoscaler: %s}\n", cm);
  sc = load(spec);
  CHECK(sc != NULL, "ConfigMap alone loads: %s", message);
  if (sc) {
    CHECK_ABS(cfg_of(sc)->kpa.stable_window_s, 90, 0, "ConfigMap stable-window 1m30s");
    CHECK_ABS(cfg_of(sc)->kpa.target_utilization_pct, 0.6, 0,
              "ConfigMap target percentage as a fraction");
    scenario_free(sc);
  }

  snprintf(spec, sizeof spec,
           "    import: {service: %s}\n    scaling: {max_instances: 20}\n"
           "    instance: {max_concurrency: 10}\n",
           svc);
  sc = load(spec);
  CHECK(sc && cfg_of(sc)->scaling.max_instances == 20 &&
            cfg_of(sc)->instance.max_concurrency == 10 && cfg_of(sc)->scaling.min_instances == 1,
        "scenario keys win over imported ones, the rest is imported");
  scenario_free(sc);

  snprintf(spec, sizeof spec, "    import: {service: %s}\n", bad_cpu);
  sc = load(spec);
  CHECK(!sc && status == SIM_EINPUT, "a malformed cpu limit is an input error (%d)", status);
  char where[300];
  snprintf(where, sizeof where, "%s:28:18:", bad_cpu);
  CHECK_CONTAINS(message, where, "the message names file:line:col of the value");
  CHECK_CONTAINS(message, "CPU quantity", "and what was expected");

  snprintf(spec, sizeof spec, "    import: {service: %s}\n", broken);
  sc = load(spec);
  CHECK(!sc && status == SIM_EINPUT, "broken YAML is an input error");
  CHECK_CONTAINS(message, broken, "the message names the file");

  snprintf(spec, sizeof spec, "    import: {service: %s/missing.yaml}\n", dir);
  sc = load(spec);
  CHECK(!sc && status == SIM_EINPUT, "a missing import file is an input error");
  CHECK_CONTAINS(message, "cannot open: No such file", "the message says so");

  snprintf(spec, sizeof spec, "    import: {config_autoscaler: %s}\n", svc);
  sc = load(spec);
  CHECK(!sc && status == SIM_EINPUT, "a Service given as a ConfigMap is rejected");
  CHECK_CONTAINS(message, "no data", "the message says what is missing");
}

int main(void) {
  check_init();
  test_defaults();
  test_rules();
  char dir[] = "/tmp/test_cloudrun_import_XXXXXX";
  SIM_ASSERT(mkdtemp(dir));
  test_import(dir);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  SIM_ASSERT(system(cmd) == 0);
  return check_done();
}

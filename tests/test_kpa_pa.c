/* test_kpa_pa.c — the PA reconciler's scale-to-zero gating against spec
 * cloudrun.md C.7 (knative/serving pkg/reconciler/autoscaling/kpa/
 * scaler_test.go TestScaler; test config from kpa_test.go: grace period 60 s,
 * stable window 5 min, activation timeout 121 s + 30 s), plus the SKS mode and
 * Active condition rules of kpa.go. The decider says 0 unless noted; "applied"
 * means the deployment's replicas are patched. */
#include "models/cloudrun/kpa_pa.h"
#include "tests/check.h"

static const double NOW = 10000;

static kpa_pa_cfg test_cfg(void) {
  return (kpa_pa_cfg){.enable_scale_to_zero = true, .stable_window_s = 300,
                      .grace_period_s = 60, .pod_retention_s = 0,
                      .activation_timeout_s = 121 + 30, .min_scale = 0, .max_scale = 0,
                      .initial_scale = 1, .target_burst_capacity = 211};
}

/* A PA in `state` for `for_s` seconds, its SKS in `mode` for `sks_for_s`. */
static kpa_pa pa_in(kpa_pa_state state, double for_s, kpa_sks_mode mode, double sks_for_s) {
  kpa_pa pa;
  kpa_pa_init(&pa, 0);
  pa.state = state;
  pa.state_since_s = NOW - for_s;
  pa.sks_mode = mode;
  pa.sks_since_s = NOW - sks_for_s;
  pa.scale_target_initialized = true;
  return pa;
}

static void expect(kpa_pa_decision d, int want, bool applied, const char *name) {
  CHECK_INT(d.want, want, "C.7 TestScaler %s: replicas", name);
  CHECK(d.apply == applied, "C.7 TestScaler %s: applied = %d", name, applied);
}

static void test_active_gate(void) {
  kpa_pa_cfg c = test_cfg();
  kpa_pa pa = pa_in(KPA_PA_ACTIVE, 299, KPA_SKS_SERVE, 299);
  kpa_pa_decision d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, false);
  expect(d, 1, false, "waits to scale to zero (just before idle period)");
  CHECK_ABS(d.requeue_after_s, 1, 1e-9, "C.7 just before idle period: requeue after 1 s");
  d = kpa_pa_scale(&pa, &c, NOW, 0, 10, true, false);
  expect(d, 1, true, "scale to 1 waiting for idle expires");
  pa = pa_in(KPA_PA_ACTIVE, 300, KPA_SKS_SERVE, 300);
  d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, false);
  expect(d, 0, false, "waits to scale to zero after idle period (mark inactive)");
}

static void test_grace_period(void) {
  kpa_pa_cfg c = test_cfg();
  kpa_pa pa = pa_in(KPA_PA_INACTIVE, 60, KPA_SKS_PROXY, 60);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true), 0, true, "scale to zero after grace period");
  pa = pa_in(KPA_PA_INACTIVE, 59, KPA_SKS_PROXY, 59);
  kpa_pa_decision d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true);
  expect(d, 0, false, "waits to scale to zero (just before grace period)");
  CHECK_ABS(d.requeue_after_s, 1, 1e-9, "C.7 just before grace period: requeue after 1 s");
  pa = pa_in(KPA_PA_INACTIVE, 59, KPA_SKS_PROXY, 60);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true), 0, true,
         "scale to zero after grace period, sks in proxy long (fast path)");
}

static void test_pod_retention(void) {
  kpa_pa_cfg c = test_cfg();
  kpa_pa pa = pa_in(KPA_PA_INACTIVE, 60, KPA_SKS_PROXY, 60);
  c.pod_retention_s = 120;
  kpa_pa_decision d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true);
  expect(d, 0, false, "can't scale to zero after grace period, but before last pod retention");
  CHECK_ABS(d.requeue_after_s, 60, 1e-9, "C.7 requeue when the retention ends");
  c.pod_retention_s = 60;
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true), 0, true,
         "scale to zero after grace period, and after last pod retention");
  c.pod_retention_s = 600;
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 1, false, true), 0, true,
         "scale to zero ignore last pod retention if revision is unreachable");
}

static void test_bounds(void) {
  kpa_pa_cfg c = test_cfg();
  c.min_scale = 2;
  kpa_pa pa = pa_in(KPA_PA_INACTIVE, 59, KPA_SKS_PROXY, 59);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 10, true, true), 2, true,
         "scale down to minScale before grace period");
  pa = pa_in(KPA_PA_INACTIVE, 60, KPA_SKS_PROXY, 60);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 10, true, true), 2, true,
         "scale down to minScale after grace period");
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 10, false, true), 0, true, "ignore minScale if unreachable");
  c = test_cfg();
  c.max_scale = 8;
  pa = pa_in(KPA_PA_ACTIVE, 10, KPA_SKS_SERVE, 10);
  expect(kpa_pa_scale(&pa, &c, NOW, 10, 1, true, true), 8, true, "scales up to maxScale");
  c = test_cfg();
  c.initial_scale = 2;
  pa = pa_in(KPA_PA_ACTIVATING, 1, KPA_SKS_SERVE, 1);
  pa.scale_target_initialized = false;
  expect(kpa_pa_scale(&pa, &c, NOW, 1, 0, true, true), 2, true,
         "haven't scaled to initial scale, override desired scale with initial scale");
}

static void test_probe_and_activation(void) {
  kpa_pa_cfg c = test_cfg();
  kpa_pa pa = pa_in(KPA_PA_INACTIVE, 60, KPA_SKS_SERVE, 60);
  kpa_pa_decision d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, false);
  expect(d, 0, false, "scale to zero after grace period, but fail prober");
  CHECK(d.probe_started, "C.7 fail prober: async probe started");
  pa = pa_in(KPA_PA_ACTIVATING, 75.5, KPA_SKS_PROXY, 75.5);
  d = kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true);
  expect(d, -1, false, "waits to scale to zero while activating until after deadline exceeded");
  CHECK_ABS(d.requeue_after_s, 151, 0, "C.7 requeue after the activation timeout");
  pa = pa_in(KPA_PA_ACTIVATING, 152, KPA_SKS_PROXY, 152);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 1, true, true), 0, true,
         "scale to zero while activating after deadline exceeded");
  pa = pa_in(KPA_PA_INACTIVE, 100, KPA_SKS_PROXY, 100);
  expect(kpa_pa_scale(&pa, &c, NOW, -1, 0, true, true), -1, false,
         "does not scale up from zero with no metrics");
  c.enable_scale_to_zero = false;
  pa = pa_in(KPA_PA_ACTIVE, 1000, KPA_SKS_SERVE, 1000);
  expect(kpa_pa_scale(&pa, &c, NOW, 0, 3, true, true), 1, true,
         "enable-scale-to-zero false keeps one pod");
}

static void test_sks_and_active(void) {
  kpa_pa_cfg c = test_cfg();
  kpa_pa pa;
  kpa_pa_init(&pa, 0);
  CHECK(kpa_pa_sks_mode(&pa, 0, 5) == KPA_SKS_PROXY, "kpa.go: want 0 -> Proxy");
  CHECK(kpa_pa_sks_mode(&pa, 3, -1) == KPA_SKS_PROXY, "kpa.go: EBC < 0 -> Proxy");
  CHECK(kpa_pa_sks_mode(&pa, 3, 0) == KPA_SKS_SERVE, "kpa.go: want > 0, EBC >= 0 -> Serve");
  CHECK(kpa_pa_sks_mode(&pa, -1, 0) == KPA_SKS_SERVE, "kpa.go: want -1 while activating -> Serve");
  pa.state = KPA_PA_INACTIVE;
  CHECK(kpa_pa_sks_mode(&pa, -1, 0) == KPA_SKS_PROXY, "kpa.go: want -1 while inactive -> Proxy");

  kpa_pa_init(&pa, 0);
  kpa_pa_compute_active(&pa, &c, 5, 1, 0, true);
  CHECK(pa.state == KPA_PA_ACTIVATING && pa.state_since_s == 0,
        "computeActiveCondition: want 1, 0 ready -> still Activating since 0");
  kpa_pa_compute_active(&pa, &c, 7, 1, 1, true);
  CHECK(pa.state == KPA_PA_ACTIVE && pa.state_since_s == 7 && pa.scale_target_initialized,
        "computeActiveCondition: 1 ready -> Active at 7, target initialised");
  kpa_pa_compute_active(&pa, &c, 9, -1, 1, true);
  CHECK(pa.state == KPA_PA_ACTIVE && pa.state_since_s == 7, "want -1, ready >= min: stays Active");
  kpa_pa_compute_active(&pa, &c, 20, 0, 1, true);
  CHECK(pa.state == KPA_PA_INACTIVE && pa.state_since_s == 20, "want 0 -> Inactive");
  kpa_pa_compute_active(&pa, &c, 25, -1, 1, true);
  CHECK(pa.state == KPA_PA_INACTIVE, "want -1 while Inactive: stays Inactive");
  kpa_pa_compute_active(&pa, &c, 30, 1, 0, true);
  CHECK(pa.state == KPA_PA_ACTIVATING && pa.state_since_s == 30, "want 1 at 0 ready -> Activating");
  kpa_pa_set_sks_mode(&pa, KPA_SKS_PROXY, 40);
  kpa_pa_set_sks_mode(&pa, KPA_SKS_PROXY, 50);
  CHECK(pa.sks_since_s == 40, "SKS since-time changes only with the mode");
}

int main(void) {
  check_init();
  test_active_gate();
  test_grace_period();
  test_pod_retention();
  test_bounds();
  test_probe_and_activation();
  test_sks_and_active();
  return check_done();
}

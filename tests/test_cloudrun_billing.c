/* test_cloudrun_billing.c — Cloud Run billing arithmetic checked by hand
 * (spec cloudrun.md §A.5): request-based intervals rounded up to 100 ms, union
 * of overlapping requests, the request fee, startup boost billed at the boosted
 * vCPU, idle min instances, instance-based lifetime with its 1-minute minimum,
 * and the free tier. Every expected dollar amount is worked out in the
 * comments from the Tier 1 prices. */
#include "models/cloudrun/billing.h"
#include "tests/check.h"

static crun_billing_cfg cfg(int mode) {
  return (crun_billing_cfg){
      .mode = mode, .rounding_s = 0.1, .instance_min_s = 60, .free_tier = false,
      .free_tier_period_s = 30 * 86400,
      .prices = {.cpu_per_vcpu_s = 0.000024, .mem_per_gib_s = 0.0000025,
                 .per_request = 0.40e-6, .idle_cpu_per_vcpu_s = 0.0000025,
                 .idle_mem_per_gib_s = 0.0000025, .instance_cpu_per_vcpu_s = 0.000018,
                 .instance_mem_per_gib_s = 0.000002, .free_vcpu_s = 180000,
                 .free_gib_s = 360000, .free_requests = 2e6,
                 .free_instance_vcpu_s = 240000, .free_instance_gib_s = 450000}};
}

/* Starting [0, 1.23], request A [1.23, 2.01] (touching: one interval [0, 2.01]
 * -> 2.1 s), request B [5.0, 5.05] (-> 0.1 s), requests C [10, 10.3] and
 * D [10.2, 10.45] overlapping (union [10, 10.45] -> 0.5 s). */
static double replay(crun_billing *b, crun_meter *m, double boost_vcpu) {
  double usd = 0;
  crun_meter_init(m, 0, boost_vcpu > 0 ? boost_vcpu : 1, 0.5);
  usd += crun_meter_begin(b, m, 0);     /* starting */
  usd += crun_meter_end(b, m, 1.23);    /* ready */
  for (int i = 0; i < 4; i++) usd += crun_billing_request(b, 1.23);
  usd += crun_meter_begin(b, m, 1.23);  /* A */
  usd += crun_meter_end(b, m, 2.01);
  usd += crun_meter_begin(b, m, 5.0);   /* B */
  usd += crun_meter_end(b, m, 5.05);
  usd += crun_meter_begin(b, m, 10.0);  /* C */
  usd += crun_meter_begin(b, m, 10.2);  /* D */
  usd += crun_meter_end(b, m, 10.3);
  usd += crun_meter_end(b, m, 10.45);
  if (boost_vcpu > 0) crun_meter_set_vcpu(b, m, 11.23, 1); /* ready + 10 s */
  usd += crun_meter_close(b, m, 20);
  return usd;
}

static void test_request_based(void) {
  crun_billing_cfg c = cfg(CRUN_BILLING_REQUEST);
  crun_billing *b = crun_billing_alloc(&c);
  crun_meter m;
  double usd = replay(b, &m, 0);
  /* Billed 2.1 + 0.1 + 0.5 = 2.7 s at 1 vCPU and 0.5 GiB:
   * 2.7 x (0.000024 + 0.5 x 0.0000025) = 6.8175e-5; fees 4 x 0.4e-6 = 1.6e-6. */
  CHECK_REL(usd, 2.7 * 0.00002525 + 1.6e-6, 1e-12, "request-based: 100 ms rounding + fee");
  CHECK_REL(crun_billing_total_usd(b), usd, 1e-15, "account total equals the charges");
  crun_billing_free(b);

  b = crun_billing_alloc(&c);
  usd = replay(b, &m, 2);
  /* Boost to 2 vCPU until 11.23 s covers every interval: vCPU-s = 2 x 2.7 = 5.4;
   * memory 2.7 x 0.5 GiB-s. */
  CHECK_REL(usd, 5.4 * 0.000024 + 1.35 * 0.0000025 + 1.6e-6, 1e-12,
            "startup boost billed at the boosted vCPU");
  crun_billing_free(b);
}

static void test_rounding_edges(void) {
  crun_billing_cfg c = cfg(CRUN_BILLING_REQUEST);
  c.prices.mem_per_gib_s = 0;
  crun_billing *b = crun_billing_alloc(&c);
  crun_meter m;
  crun_meter_init(&m, 0, 1, 0);
  double usd = crun_meter_begin(b, &m, 0.1);
  crun_meter_end(b, &m, 0.4); /* 0.4 - 0.1 is 0.30000000000000004 in doubles */
  usd += crun_meter_close(b, &m, 1);
  CHECK_REL(usd, 0.3 * 0.000024, 1e-12, "0.3 s stays 0.3 s (no extra slice from float error)");
  crun_meter_init(&m, 0, 1, 0);
  usd = crun_meter_begin(b, &m, 1);
  usd += crun_meter_end(b, &m, 1.0001);
  usd += crun_meter_begin(b, &m, 3); /* finalises the first interval */
  CHECK_REL(usd, 0.1 * 0.000024, 1e-12, "0.1 ms is billed as 100 ms when the next begins");
  usd = crun_meter_close(b, &m, 3.05); /* still open: billed up to the close */
  CHECK_REL(usd, 0.1 * 0.000024, 1e-12, "an open interval is billed up to close");
  /* [10, 10.01], [10.05, 10.06], [10.09, 10.11]: each begins within the
   * previous one's rounded-up end, so they bill as [10, 10.11] -> 0.2 s, not
   * 3 x 0.1 s with overlapping slices. */
  crun_meter_init(&m, 10, 1, 0);
  usd = 0;
  double t[] = {10, 10.01, 10.05, 10.06, 10.09, 10.11};
  for (int i = 0; i < 6; i += 2) {
    usd += crun_meter_begin(b, &m, t[i]);
    usd += crun_meter_end(b, &m, t[i + 1]);
  }
  usd += crun_meter_close(b, &m, 20);
  CHECK_REL(usd, 0.2 * 0.000024, 1e-9, "no time is billed twice by the rounding");
  crun_billing_free(b);
}

static void test_idle_min_instances(void) {
  crun_billing_cfg c = cfg(CRUN_BILLING_REQUEST);
  crun_billing *b = crun_billing_alloc(&c);
  double usd = crun_billing_idle_min(b, 0, 2, 1, 0.5);
  usd += crun_billing_idle_min(b, 100, 1, 1, 0.5);
  usd += crun_billing_idle_min(b, 150, 0, 1, 0.5);
  /* 2 x 100 s + 1 x 50 s = 250 instance-s x (1 x 0.0000025 + 0.5 x 0.0000025). */
  CHECK_REL(usd, 250 * 1.5 * 0.0000025, 1e-12, "idle min instances at the idle rate");
  crun_billing_free(b);
}

static void test_instance_based(void) {
  crun_billing_cfg c = cfg(CRUN_BILLING_INSTANCE);
  crun_billing *b = crun_billing_alloc(&c);
  crun_meter m;
  crun_meter_init(&m, 10, 2, 1);
  CHECK_ABS(crun_billing_request(b, 11), 0, 0, "instance-based: no request fee");
  crun_meter_begin(b, &m, 11);
  crun_meter_end(b, &m, 12);
  double usd = crun_meter_close(b, &m, 40);
  /* 30 s of life -> the 1-minute minimum: 60 x (2 x 0.000018 + 1 x 0.000002). */
  CHECK_REL(usd, 60 * 0.000038, 1e-12, "instance-based: 1-minute minimum");
  crun_meter_init(&m, 0, 2, 1);
  crun_meter_set_vcpu(b, &m, 0, 4);  /* boost 4 vCPU for the first 20 s */
  crun_meter_set_vcpu(b, &m, 20, 2);
  usd = crun_meter_close(b, &m, 61.234);
  /* 61.234 s -> 61.3 s; vCPU-s = 4 x 20 + 2 x 41.3 = 162.6; GiB-s = 61.3. */
  CHECK_REL(usd, 162.6 * 0.000018 + 61.3 * 0.000002, 1e-12,
            "instance-based: lifetime rounded to 100 ms, boost at the boosted vCPU");
  crun_billing_free(b);
}

static void test_free_tier(void) {
  crun_billing_cfg c = cfg(CRUN_BILLING_REQUEST);
  c.free_tier = true;
  c.prices.free_vcpu_s = 1;
  c.prices.free_gib_s = 0;
  c.prices.free_requests = 2;
  crun_billing *b = crun_billing_alloc(&c);
  double usd = 0;
  for (int i = 0; i < 3; i++) usd += crun_billing_request(b, 5);
  CHECK_REL(usd, 0.4e-6, 1e-12, "free tier: 2 free requests, the third is billed");
  crun_meter m;
  crun_meter_init(&m, 0, 1, 0);
  crun_meter_begin(b, &m, 0);
  crun_meter_end(b, &m, 3);
  usd = crun_meter_close(b, &m, 3);
  CHECK_REL(usd, 2 * 0.000024, 1e-12, "free tier: 1 of 3 vCPU-s free");
  /* A new month renews the allowance. */
  usd = crun_billing_request(b, 30 * 86400 + 1);
  CHECK_ABS(usd, 0, 0, "free tier renews after 30 days");
  crun_billing_free(b);
}

int main(void) {
  check_init();
  test_request_based();
  test_rounding_edges();
  test_idle_min_instances();
  test_instance_based();
  test_free_tier();
  return check_done();
}

/* billing.h — Cloud Run service billing (spec cloudrun.md §A.5; text of
 * https://cloud.google.com/run/pricing, Tier 1 prices as defaults).
 *
 * Request-based billing: an instance is billable while it starts, while it
 * processes at least one request, and while it shuts down; each maximal
 * billable interval is rounded up to 100 ms ("each billable timeslice is
 * rounded up to the nearest 100 milliseconds", ahmetb/cloud-run-faq — whether
 * the rounding is per interval or per aggregate is not documented: per
 * interval here); each request that reaches an instance costs the request fee;
 * min instances pay the idle rate while not billable. Instance-based billing:
 * the whole lifetime, rounded up to 100 ms, at least 1 minute, no request fee.
 * Startup CPU boost is billed at the boosted vCPU while it lasts. The free
 * tier, when enabled, is deducted from usage per 30-day month (request-based
 * active and idle usage share one pool, as the price table says).
 *
 * A crun_meter per instance tracks its billable intervals; the crun_billing
 * account applies prices and the free tier. Every call returns the USD that
 * became due, so the caller can report cost as it accrues. */
#ifndef CRUN_BILLING_H
#define CRUN_BILLING_H

#include <stdbool.h>

typedef enum crun_billing_mode { CRUN_BILLING_REQUEST = 0, CRUN_BILLING_INSTANCE } crun_billing_mode;

/* Scenario spellings, in crun_billing_mode order, NULL-terminated. */
extern const char *const crun_billing_mode_names[];

/* Prices (USD) and free-tier allowances per month. */
typedef struct crun_prices {
  double cpu_per_vcpu_s;          /* request-based, active: 0.000024 */
  double mem_per_gib_s;           /* request-based, active: 0.0000025 */
  double per_request;             /* request-based: 0.40 per million */
  double idle_cpu_per_vcpu_s;     /* idle min instances: 0.0000025 */
  double idle_mem_per_gib_s;      /* idle min instances: 0.0000025 */
  double instance_cpu_per_vcpu_s; /* instance-based: 0.000018 */
  double instance_mem_per_gib_s;  /* instance-based: 0.000002 */
  double free_vcpu_s;             /* request-based free tier: 180,000 vCPU-s */
  double free_gib_s;              /* 360,000 GiB-s */
  double free_requests;           /* 2,000,000 requests */
  double free_instance_vcpu_s;    /* instance-based free tier: 240,000 vCPU-s */
  double free_instance_gib_s;     /* 450,000 GiB-s */
} crun_prices;

typedef struct crun_billing_cfg {
  int mode;                /* crun_billing_mode */
  double rounding_s;       /* billable time granularity (0.1 s) */
  double instance_min_s;   /* instance-based minimum per instance (60 s) */
  bool free_tier;          /* deduct the free tier */
  double free_tier_period_s; /* the free tier renews every this long (30 days) */
  crun_prices prices;
} crun_billing_cfg;

typedef struct crun_billing crun_billing;

crun_billing *crun_billing_alloc(const crun_billing_cfg *cfg);
void crun_billing_free(crun_billing *b);

/* Total USD charged so far. */
double crun_billing_total_usd(const crun_billing *b);

/* The request fee for one request reaching an instance at now_s (0 under
 * instance-based billing). */
double crun_billing_request(crun_billing *b, double now_s);

/* Idle min instances: from now_s on, n_idle (min instances not billable) of
 * vcpu and mem_gib each accrue the idle rate; returns the idle charge for the
 * time since the previous call (request-based billing only, else 0). */
double crun_billing_idle_min(crun_billing *b, double now_s, int n_idle, double vcpu,
                             double mem_gib);

/* One instance's billable time. Plain struct, kept in the instance's data. */
typedef struct crun_meter {
  double vcpu, mem_gib;    /* billed now (vcpu boosted during startup boost) */
  double created_s;        /* instance-based: billed from here */
  double last_s;           /* vcpu_s integrated up to here */
  double vcpu_s;           /* integral of vcpu over the billable time being metered */
  int depth;               /* billable activities in progress */
  bool open;               /* a request-based billable interval is being metered */
  double open_since_s;
  bool closing;            /* depth reached 0 at closed_at_s; finalised lazily */
  double closed_at_s;
  double closed_vcpu;      /* vcpu at closed_at_s (prices the rounding slack) */
} crun_meter;

/* Starts metering an instance created at now_s with vcpu and mem_gib. */
void crun_meter_init(crun_meter *m, double now_s, double vcpu, double mem_gib);

/* The billed vCPU changes at now_s (startup boost begins or ends). */
void crun_meter_set_vcpu(const crun_billing *b, crun_meter *m, double now_s, double vcpu);

/* A billable activity (starting, a request, shutting down) begins / ends at
 * now_s. An interval that begins no later than the rounded-up end of the
 * previous one continues it. Return the USD that became due (a previous
 * interval finalised). */
double crun_meter_begin(crun_billing *b, crun_meter *m, double now_s);
double crun_meter_end(crun_billing *b, crun_meter *m, double now_s);

/* True while the instance is billable (request-based) — not idle. */
bool crun_meter_busy(const crun_meter *m);

/* The instance is gone, or the run ends, at now_s: settles what is due.
 * Activities still in progress are billed up to now_s. */
double crun_meter_close(crun_billing *b, crun_meter *m, double now_s);

#endif

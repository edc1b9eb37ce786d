/* service.h — the Cloud Run service model's shared state, private to
 * models/cloudrun/: the service and its instances ("pods"), and the calls the
 * two autoscalers make into the service and the service makes into them.
 *
 * service.c owns requests, pods, routing, the pending queue, timeouts and
 * billing; crun_scaler.c runs Cloud Run's autoscaler (evaluation ticks,
 * on-demand starts, idle retention); kpa_driver.c runs the Knative Pod
 * Autoscaler (scrapes, activator stats, decider ticks, PA reconciles). */
#ifndef CRUN_SERVICE_H
#define CRUN_SERVICE_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/cloudrun/billing.h"
#include "models/cloudrun/cloudrun.h"
#include "models/cloudrun/kpa_stats.h"
#include "models/cloudrun/pending.h"
#include "models/faults.h"
#include "models/instance.h"
#include "models/router.h"

typedef struct crun_scaler crun_scaler;
typedef struct kpa_driver kpa_driver;

/* inst_req.flags */
enum {
  REQ_QUEUED = 1,  /* counted in OUT_QUEUED (pending, or in a pod's backlog) */
  REQ_PENDING = 2, /* in the service's pending queue */
  REQ_PROXIED = 4  /* came through the Knative activator */
};

/* One instance and the model's books on it. */
typedef struct crun_pod {
  struct crun_service *svc;
  instance *inst;
  int index;              /* position in crun_service.pods */
  double created_s;
  double ready_s;         /* +inf until ready */
  bool terminating;       /* SIGTERM sent (or about to be, once drained) */
  bool shutting_down;     /* the container is exiting */
  bool serving;           /* billed as serving: >= 1 active request */
  bool unbilled;          /* alive and not billable (counts toward idle min instances) */
  bool idle;              /* in the Cloud Run idle list */
  double idle_since_s;
  struct crun_pod *idle_prev, *idle_next;
  bool needed;            /* Cloud Run: among the first max(min, desired) ready pods */
  struct crun_pod *rank_prev, *rank_next; /* Cloud Run: ready pods in ready order */
  sim_handle ready_timer, boost_timer, exit_timer;
  int failed_starts;      /* KPA: container restarts after failed starts (faults) */
  crun_meter meter;
  kpa_reporter qp;        /* the queue-proxy's stats (KPA) */
} crun_pod;

typedef struct crun_service {
  crun_cfg cfg;
  sim_engine *eng;
  out_recorder *rec;
  char *name;
  gsl_rng *startup_rng, *route_rng;
  inst_req_pool *pool;
  inst_config icfg;
  crun_pod **pods; /* every pod not yet stopped */
  int n_pods, cap_pods;
  int n_starting, n_ready, n_terminating; /* ready: serving, not terminating */
  router *route_needed; /* Cloud Run: needed ready pods with a free slot */
  router *route_excess; /* Cloud Run: the other ready pods with a free slot */
  router *route_all;    /* KPA: every ready pod, least loaded first */
  crun_pod *rank_head, *rank_tail; /* Cloud Run: ready pods, in the order they became ready */
  crun_pod *rank_edge;             /* the last needed one (NULL: none) */
  int n_needed, needed_max;        /* needed pods; how many may be */
  crun_pending *pending;
  inst_req *age_head, *age_tail; /* requests in arrival order (timeouts) */
  sim_handle timeout_timer;
  uint64_t in_flight;
  uint64_t next_id;
  int on_pods;                 /* requests active or backlogged on pods */
  double on_pods_integral, on_pods_since_s;
  double cpu_of_stopped_s;     /* CPU-seconds of pods that are gone */
  crun_billing *bill;
  int n_unbilled, idle_min_billed;
  double vcpu;                 /* configured vCPU per instance */
  double boost_vcpu;           /* vCPU during startup (boosted or not) */
  double mem_gib;
  crun_gen_cfg gen;
  crun_scaler *scaler;         /* autoscaler: cloudrun */
  kpa_driver *kpa;             /* autoscaler: kpa */
  fault_windows faults;        /* open start_failures / slow_starts windows */
} crun_service;

double crun_now(const crun_service *s);
/* Reports USD that became due (if any). */
void crun_cost(crun_service *s, double usd);

/* Pods that count toward the instance count: starting or ready, not
 * terminating. */
int crun_alive(const crun_service *s);
/* Starts a pod (cold, STARTING); returns it. */
crun_pod *crun_start_pod(crun_service *s);
/* Sends SIGTERM: the pod leaves routing, drains its requests, then exits. */
void crun_stop_pod(crun_service *s, crun_pod *p);
/* Cloud Run scale-in: the first n ready pods (in the order they became
 * ready) are needed and take requests first; the others only when every
 * needed one is full (scaling.scale_in, see service.c). O(log n) per pod that
 * changes sides. */
void crun_set_needed(crun_service *s, int n);
/* Cumulative integral of requests on pods (request-seconds) and CPU-seconds
 * consumed, up to now. */
double crun_on_pods_integral(crun_service *s);
double crun_cpu_seconds(const crun_service *s);

/* crun_scaler.c — Cloud Run's autoscaler. */
crun_scaler *crun_scaler_alloc(crun_service *s);
void crun_scaler_free(crun_scaler *c);
void crun_scaler_on_pending(crun_service *s);            /* a request had to pend */
void crun_scaler_on_idle(crun_service *s, crun_pod *p);  /* a ready pod became idle */
void crun_scaler_on_busy(crun_service *s, crun_pod *p);  /* an idle pod took a request */
void crun_scaler_on_gone(crun_service *s, crun_pod *p);  /* a pod is leaving */

/* kpa_driver.c — the Knative Pod Autoscaler. */
kpa_driver *kpa_driver_alloc(crun_service *s, uint64_t seed, const char *name, sim_error *err);
void kpa_driver_free(kpa_driver *k);
/* True when an arriving request goes through the activator (SKS in Proxy
 * mode, or no ready pod). */
bool kpa_driver_via_activator(const kpa_driver *k);
/* The activator takes in / lets go of a request. */
void kpa_driver_activator_in(crun_service *s);
void kpa_driver_activator_out(crun_service *s);
/* The ready pod count changed (endpoints update). */
void kpa_driver_on_endpoints(crun_service *s);
/* Pods were lost (a fault): the ReplicaSet recreates them, the PA reconciles. */
void kpa_driver_on_lost(crun_service *s);

#endif

/* instance.h — one instance (an ECS task, a Cloud Run instance, a fixed
 * server), shared by every platform model.
 *
 * Lifecycle: PROVISIONING -> STARTING -> READY -> DRAINING -> STOPPED; the model
 * drives transitions, the instance keeps the books (time in each state goes to
 * the recorder's instance gauges).
 *
 * Serving (DESIGN.md §3-4): at most max_concurrency requests are active; more
 * wait in an optional FIFO backlog of bounded length. An active request first
 * waits wait_s (off the CPU), then runs cpu_s under egalitarian processor
 * sharing: with n requests in their CPU phase each progresses at
 * speed * min(1, vcpu / n) CPU-seconds per second. This is implemented with
 * per-instance virtual time V (the CPU each CPU-phase request has received since
 * the instance was last empty of them): a request entering with cpu_s finishes
 * when V reaches V_enter + cpu_s. Tags sit in an index-tracked min-heap and the
 * instance keeps one engine event for its next completion, so a change in
 * concurrency costs O(log n), not O(n).
 *
 * CPU consumed is integrated exactly: busy vCPUs = speed-independent
 * min(n, vcpu), so utilisation = consumed / (vcpu * time). */
#ifndef MODELS_INSTANCE_H
#define MODELS_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "output/recorder.h"
#include "sim/engine.h"

typedef enum inst_state {
  INST_PROVISIONING = 0, /* capacity requested, not yet booting (ECS PROVISIONING/PENDING) */
  INST_STARTING,         /* container starting / health checks not yet passed */
  INST_READY,            /* serving */
  INST_DRAINING,         /* no new requests; in-flight ones finish */
  INST_STOPPED,          /* gone; the instance may be freed */
  INST_STATE_COUNT
} inst_state;

const char *inst_state_name(inst_state s);

/* A request as it moves through a platform. Allocated from an inst_req_pool;
 * owned by whoever holds it (queue, instance) and returned to the pool by the
 * model once it has been recorded. */
typedef struct inst_req {
  double arrival_s;   /* when it arrived at the platform */
  double cpu_s;       /* CPU work at 1 vCPU (at speed 1) */
  double wait_s;      /* off-CPU time */
  double admitted_s;  /* when it became active on an instance */
  double cold_wait_s; /* part of its queueing spent waiting for a starting instance */
  double tag;         /* virtual finish time (private to instance.c) */
  sim_handle timer;   /* wait-phase end event (private to instance.c) */
  uint32_t heap_idx;  /* position in the CPU heap (private to instance.c) */
  uint8_t phase;      /* 0 queued, 1 waiting, 2 on CPU (private to instance.c) */
  uint8_t flags;      /* free for the model's use */
  /* Links of whoever holds the request: the instance while it is in one
   * (active list or backlog), else the model (e.g. a central queue). */
  struct inst_req *next, *prev;
  /* Links the model may use at any time, also while the request is in an
   * instance (e.g. an arrival-ordered list for request timeouts). */
  struct inst_req *model_next, *model_prev;
  struct instance *inst;        /* instance serving it, or NULL */
  void *owner;                  /* free for the model's use */
} inst_req;

/* A free-list pool of requests: allocation is O(1) and memory is bounded by the
 * peak number in flight, not by the number of requests. */
typedef struct inst_req_pool inst_req_pool;
inst_req_pool *inst_req_pool_alloc(void);
void inst_req_pool_free(inst_req_pool *pool);
inst_req *inst_req_get(inst_req_pool *pool); /* zeroed */
void inst_req_put(inst_req_pool *pool, inst_req *r);

/* A FIFO list of requests through their next/prev links (so a request is in
 * one such list at a time: an instance's, or its model's queue), given by
 * its head and tail: r joins at the tail, or leaves from anywhere, in O(1). */
void inst_req_list_append(inst_req **head, inst_req **tail, inst_req *r);
void inst_req_list_unlink(inst_req **head, inst_req **tail, inst_req *r);

/* What an instance is; plain config shared by the models. */
typedef struct inst_config {
  double vcpu;           /* vCPUs allotted (> 0) */
  double speed;          /* CPU speed factor (gen1/gen2, ARM/x86), 1 = nominal */
  double memory_mib;     /* memory allotted */
  double base_mem_mib;   /* memory in use when idle */
  double req_mem_mib;    /* additional memory per active request */
  int max_concurrency;   /* active requests at most (>= 1) */
  int backlog_max;       /* FIFO backlog bound: 0 = no backlog, -1 = unbounded */
} inst_config;

typedef struct instance instance;

/* Callbacks into the owning model. */
typedef struct inst_hooks {
  /* A request finished its work on inst (it is no longer counted there). The
   * owner records it and returns it to the pool. It may change the instance's
   * state or admit into it, but must not free it: the freed slot is filled
   * (backlog head, else on_slot_free) right after it returns. */
  void (*on_complete)(void *owner, instance *inst, inst_req *req);
  /* A slot became free and the backlog is empty (the owner may dispatch from a
   * central queue). May be NULL. */
  void (*on_slot_free)(void *owner, instance *inst);
  /* A request left the backlog and became active (not called for requests
   * admitted straight into a slot), so the owner can end its queueing time.
   * May be NULL. */
  void (*on_start)(void *owner, instance *inst, inst_req *req);
} inst_hooks;

/* Creates an instance in state PROVISIONING at the engine's current time. The
 * recorder receives its state, CPU and memory gauges (rec may be NULL). */
instance *inst_alloc(sim_engine *eng, out_recorder *rec, const inst_config *cfg,
                     const inst_hooks *hooks, void *owner, uint64_t id);
/* Frees an instance without touching the engine or the recorder. During a run
 * it must hold no requests (it then has no pending events); when the run is
 * over, requests still in it are left to their pool. NULL is a no-op. */
void inst_free(instance *inst);

uint64_t inst_id(const instance *inst);
inst_state inst_get_state(const instance *inst);
void inst_set_state(instance *inst, inst_state s);
double inst_state_since(const instance *inst); /* when it entered its state */
double inst_created_at(const instance *inst);

/* Active requests (in wait or CPU phase), backlog length, and their sum. */
int inst_active(const instance *inst);
int inst_backlog(const instance *inst);
int inst_outstanding(const instance *inst);
bool inst_has_slot(const instance *inst); /* active < max_concurrency */
/* True if admitting would succeed (a free slot or room in the backlog). */
bool inst_can_accept(const instance *inst);

/* Admits req: it becomes active if a slot is free (returns 1), else joins the
 * backlog (returns 0), else is refused (returns -1; the caller still owns it). */
int inst_admit(instance *inst, inst_req *req);

/* Removes req from the instance wherever it is (backlog, waiting, on CPU), e.g.
 * on a request timeout. The caller owns it afterwards. If it was active, the
 * freed slot is then filled as after a completion (backlog head via on_start,
 * else on_slot_free). O(log n). */
void inst_remove(instance *inst, inst_req *req);

/* Removes every request (active ones in admission order, then the backlog),
 * passing each to fn (which takes ownership), e.g. for SIGKILL. The instance is
 * empty before the first call; no slot hooks are called. */
void inst_evict_all(instance *inst, void (*fn)(void *arg, inst_req *req), void *arg);

/* Changes vCPUs or speed (startup CPU boost, degradation); rates of requests on
 * the CPU change from now on. */
void inst_set_vcpu(instance *inst, double vcpu);
void inst_set_speed(instance *inst, double speed);
double inst_vcpu(const instance *inst);

/* CPU-seconds consumed since creation, up to now (exact). */
double inst_cpu_consumed_s(const instance *inst);
/* Memory in use now (MiB): base + per-request * active (0 once STOPPED). */
double inst_memory_used_mib(const instance *inst);
double inst_memory_mib(const instance *inst);

/* Position of the instance in its router (private to router.c; -1 = none). */
int *inst_router_slot(instance *inst);

/* The model's own per-instance data. */
void inst_set_user(instance *inst, void *user);
void *inst_user(const instance *inst);

#endif

/* instance.c — one instance: lifecycle bookkeeping, admission with a bounded
 * FIFO backlog, and egalitarian processor sharing by per-instance virtual time
 * (see instance.h and DESIGN.md §3-4).
 *
 * Processor sharing. With n requests in their CPU phase each progresses at
 * r = speed * min(1, vcpu / n) CPU-seconds per second. V, the CPU each of them
 * has received since the CPU heap was last empty, therefore grows at rate r;
 * a request entering at V0 with cpu_s finishes when V reaches its tag
 * V0 + cpu_s. Only the smallest tag matters for the next completion, so the
 * tags sit in a min-heap whose entries know their position (heap_idx) and the
 * instance keeps one engine event, moved whenever n, vcpu or speed changes.
 * V restarts at 0 whenever the heap empties, so tags stay small and precise
 * over long runs. */
#include "models/instance.h"

#include <string.h>

#include "sim/error.h"

enum { PHASE_QUEUED = 0, PHASE_WAITING = 1, PHASE_CPU = 2 };

struct instance {
  sim_engine *eng;
  out_recorder *rec;
  inst_config cfg; /* vcpu and speed change over the instance's life */
  inst_hooks hooks;
  void *owner;
  void *user;
  uint64_t id;
  inst_state state;
  double state_since_s;
  double created_s;
  int router_slot;

  int n_active;                        /* waiting + on CPU */
  inst_req *active_head, *active_tail; /* in admission order */
  int n_backlog;
  inst_req *backlog_head, *backlog_tail;

  inst_req **cpu_heap; /* min-heap by tag */
  uint32_t n_cpu, cpu_cap;
  double vtime;        /* V, valid at v_at_s */
  double v_at_s;       /* when vtime and cpu_used_s were last brought up to date */
  /* The sharing in force since v_at_s, set by ps_sync after every change, so
   * that bringing V up to date (on every arrival and completion) divides
   * nothing: vCPUs busy, and the rate each CPU-phase request receives. */
  double busy, rate;
  double cpu_used_s;   /* CPU-seconds consumed up to v_at_s */
  sim_handle cpu_event;

  /* What the recorder has been told, so that changes go out as deltas. */
  double busy_told, mem_used_told;
};

const char *inst_state_name(inst_state s) {
  static const char *const names[INST_STATE_COUNT] = {"provisioning", "starting", "ready",
                                                      "draining", "stopped"};
  return (unsigned)s < INST_STATE_COUNT ? names[s] : "?";
}

/* --- request pool ------------------------------------------------------- */

enum { POOL_CHUNK = 4096 };

typedef struct pool_chunk {
  struct pool_chunk *next;
  inst_req reqs[POOL_CHUNK];
} pool_chunk;

struct inst_req_pool {
  pool_chunk *chunks;
  inst_req *free_list; /* linked through next */
};

inst_req_pool *inst_req_pool_alloc(void) { return sim_xcalloc(1, sizeof(inst_req_pool)); }

void inst_req_pool_free(inst_req_pool *pool) {
  if (!pool) return;
  while (pool->chunks) {
    pool_chunk *next = pool->chunks->next;
    free(pool->chunks);
    pool->chunks = next;
  }
  free(pool);
}

/* Adds one chunk of requests to the free list; chunks live until the pool does,
 * so memory follows the peak number of requests held at once. */
static void pool_grow(inst_req_pool *pool) {
  pool_chunk *c = sim_xmalloc(sizeof *c);
  c->next = pool->chunks;
  pool->chunks = c;
  for (int i = POOL_CHUNK - 1; i >= 0; i--) {
    c->reqs[i].next = pool->free_list;
    pool->free_list = &c->reqs[i];
  }
}

inst_req *inst_req_get(inst_req_pool *pool) {
  if (!pool->free_list) pool_grow(pool);
  inst_req *r = pool->free_list;
  pool->free_list = r->next;
  memset(r, 0, sizeof *r);
  return r;
}

void inst_req_put(inst_req_pool *pool, inst_req *r) {
  SIM_ASSERT(r->inst == NULL);
  r->next = pool->free_list;
  pool->free_list = r;
}

/* --- doubly linked FIFO lists (through next/prev) ------------------------ */

void inst_req_list_append(inst_req **head, inst_req **tail, inst_req *r) {
  r->next = NULL;
  r->prev = *tail;
  if (*tail) (*tail)->next = r;
  else *head = r;
  *tail = r;
}

void inst_req_list_unlink(inst_req **head, inst_req **tail, inst_req *r) {
  if (r->prev) r->prev->next = r->next;
  else *head = r->next;
  if (r->next) r->next->prev = r->prev;
  else *tail = r->prev;
  r->next = r->prev = NULL;
}

/* --- the CPU heap (min by tag; entries know their index) ----------------- */

static void heap_place(instance *inst, uint32_t i, inst_req *r) {
  inst->cpu_heap[i] = r;
  r->heap_idx = i;
}

static void heap_sift_up(instance *inst, uint32_t i) {
  inst_req *r = inst->cpu_heap[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (inst->cpu_heap[parent]->tag <= r->tag) break;
    heap_place(inst, i, inst->cpu_heap[parent]);
    i = parent;
  }
  heap_place(inst, i, r);
}

static void heap_sift_down(instance *inst, uint32_t i) {
  inst_req *r = inst->cpu_heap[i];
  for (;;) {
    uint32_t child = 2 * i + 1;
    if (child >= inst->n_cpu) break;
    if (child + 1 < inst->n_cpu && inst->cpu_heap[child + 1]->tag < inst->cpu_heap[child]->tag)
      child++;
    if (r->tag <= inst->cpu_heap[child]->tag) break;
    heap_place(inst, i, inst->cpu_heap[child]);
    i = child;
  }
  heap_place(inst, i, r);
}

static void heap_push(instance *inst, inst_req *r) {
  if (inst->n_cpu == inst->cpu_cap) {
    inst->cpu_cap = inst->cpu_cap ? 2 * inst->cpu_cap : 16;
    inst->cpu_heap = sim_xrealloc(inst->cpu_heap, inst->cpu_cap * sizeof *inst->cpu_heap);
  }
  heap_place(inst, inst->n_cpu++, r);
  heap_sift_up(inst, inst->n_cpu - 1);
}

static void heap_remove(instance *inst, inst_req *r) {
  uint32_t i = r->heap_idx;
  SIM_ASSERT(i < inst->n_cpu && inst->cpu_heap[i] == r);
  inst_req *last = inst->cpu_heap[--inst->n_cpu];
  if (last == r) return;
  heap_place(inst, i, last);
  heap_sift_up(inst, i);
  heap_sift_down(inst, last->heap_idx);
}

/* --- processor sharing ---------------------------------------------------- */

/* vCPUs in use: each CPU-phase request uses at most one (speed-independent). */
static double busy_vcpu(const instance *inst) {
  return inst->n_cpu < inst->cfg.vcpu ? (double)inst->n_cpu : inst->cfg.vcpu;
}

/* Brings V and the CPU consumed up to now at the current rate. */
static void ps_advance(instance *inst) {
  double now = sim_now(inst->eng);
  double dt = now - inst->v_at_s;
  if (dt > 0 && inst->n_cpu > 0) {
    inst->vtime += dt * inst->rate;
    inst->cpu_used_s += dt * inst->busy;
  }
  inst->v_at_s = now;
}

static void cpu_done(sim_engine *eng, void *arg);

/* Points the instance's one CPU event at the smallest tag under the current
 * rate (called after every change of the heap, vcpu or speed; V is current). */
static void ps_sync(instance *inst) {
  inst->busy = busy_vcpu(inst);
  if (inst->n_cpu == 0) {
    inst->vtime = 0; /* restart V so tags stay small over long runs */
    if (inst->cpu_event != SIM_NO_HANDLE) sim_cancel(inst->eng, inst->cpu_event);
    inst->cpu_event = SIM_NO_HANDLE;
    return;
  }
  inst->rate = inst->cfg.speed * inst->busy / inst->n_cpu; /* CPU-s/s per request */
  double left = inst->cpu_heap[0]->tag - inst->vtime;
  double at_s = inst->v_at_s + (left > 0 ? left / inst->rate : 0);
  if (inst->cpu_event == SIM_NO_HANDLE) {
    inst->cpu_event = sim_schedule(inst->eng, at_s, cpu_done, inst);
  } else {
    bool moved = sim_reschedule(inst->eng, inst->cpu_event, at_s);
    SIM_ASSERT(moved);
  }
}

/* --- recorder gauges ----------------------------------------------------- */

static void tell(instance *inst, out_gauge g, double delta) {
  if (inst->rec && delta != 0) out_gauge_add(inst->rec, sim_now(inst->eng), g, delta);
}

/* Sends the changes of the busy-vCPU and memory-in-use gauges. */
static void report_usage(instance *inst) {
  bool gone = inst->state == INST_STOPPED;
  double busy = gone ? 0 : busy_vcpu(inst);
  double mem = gone ? 0 : inst->cfg.base_mem_mib + inst->cfg.req_mem_mib * inst->n_active;
  tell(inst, OUT_CPU_BUSY, busy - inst->busy_told);
  tell(inst, OUT_MEM_USED_MIB, mem - inst->mem_used_told);
  inst->busy_told = busy;
  inst->mem_used_told = mem;
}

static void tell_state(instance *inst, inst_state s, double delta) {
  if (s != INST_STOPPED) tell(inst, (out_gauge)(OUT_PROVISIONING + s), delta);
}

/* --- request flow -------------------------------------------------------- */

static void enter_cpu(instance *inst, inst_req *r) {
  ps_advance(inst);
  r->phase = PHASE_CPU;
  r->tag = inst->vtime + r->cpu_s;
  heap_push(inst, r);
  ps_sync(inst);
  report_usage(inst);
}

static void wait_done(sim_engine *eng, void *arg) {
  inst_req *r = arg;
  r->timer = SIM_NO_HANDLE;
  enter_cpu(r->inst, r);
}

/* Makes r active: it waits wait_s off the CPU (no event when 0), then runs.
 * Even a request with no work completes through an event, never inside the
 * caller's inst_admit. */
static void activate(instance *inst, inst_req *r) {
  r->inst = inst;
  r->admitted_s = sim_now(inst->eng);
  inst_req_list_append(&inst->active_head, &inst->active_tail, r);
  inst->n_active++;
  if (r->wait_s > 0) {
    r->phase = PHASE_WAITING;
    r->timer = sim_schedule_in(inst->eng, r->wait_s, wait_done, r);
    report_usage(inst);
  } else {
    enter_cpu(inst, r);
  }
}

static void deactivate(instance *inst, inst_req *r) {
  inst_req_list_unlink(&inst->active_head, &inst->active_tail, r);
  inst->n_active--;
  r->inst = NULL;
  r->phase = PHASE_QUEUED;
}

/* A slot may have freed: the backlog head takes it, else the owner may. */
static void fill_slot(instance *inst) {
  if (inst->state == INST_STOPPED || !inst_has_slot(inst)) return;
  if (inst->backlog_head) {
    inst_req *r = inst->backlog_head;
    inst_req_list_unlink(&inst->backlog_head, &inst->backlog_tail, r);
    inst->n_backlog--;
    activate(inst, r);
    if (inst->hooks.on_start) inst->hooks.on_start(inst->owner, inst, r);
  } else if (inst->hooks.on_slot_free) {
    inst->hooks.on_slot_free(inst->owner, inst);
  }
}

/* The request with the smallest tag has received all its CPU. */
static void cpu_done(sim_engine *eng, void *arg) {
  instance *inst = arg;
  inst->cpu_event = SIM_NO_HANDLE;
  ps_advance(inst);
  inst_req *r = inst->cpu_heap[0];
  /* V equals the tag up to rounding; snapping keeps the others exact. */
  if (inst->vtime < r->tag) inst->vtime = r->tag;
  heap_remove(inst, r);
  deactivate(inst, r);
  ps_sync(inst);
  report_usage(inst);
  inst->hooks.on_complete(inst->owner, inst, r);
  fill_slot(inst);
}

/* --- public API ----------------------------------------------------------- */

instance *inst_alloc(sim_engine *eng, out_recorder *rec, const inst_config *cfg,
                     const inst_hooks *hooks, void *owner, uint64_t id) {
  SIM_ASSERT(cfg->vcpu > 0 && cfg->speed > 0 && cfg->max_concurrency >= 1);
  SIM_ASSERT(cfg->backlog_max >= -1 && hooks->on_complete);
  instance *inst = sim_xcalloc(1, sizeof *inst);
  inst->eng = eng;
  inst->rec = rec;
  inst->cfg = *cfg;
  inst->hooks = *hooks;
  inst->owner = owner;
  inst->id = id;
  inst->state = INST_PROVISIONING;
  inst->created_s = inst->state_since_s = inst->v_at_s = sim_now(eng);
  inst->router_slot = -1;
  tell_state(inst, INST_PROVISIONING, +1);
  tell(inst, OUT_CPU_ALLOC, cfg->vcpu);
  tell(inst, OUT_MEM_ALLOC_MIB, cfg->memory_mib);
  report_usage(inst);
  return inst;
}

void inst_free(instance *inst) {
  if (!inst) return;
  free(inst->cpu_heap);
  free(inst);
}

uint64_t inst_id(const instance *inst) { return inst->id; }
inst_state inst_get_state(const instance *inst) { return inst->state; }
double inst_state_since(const instance *inst) { return inst->state_since_s; }
double inst_created_at(const instance *inst) { return inst->created_s; }

/* STOPPED is final and only an empty instance may stop; an instance leaves
 * the state and allotment gauges when it stops. */
void inst_set_state(instance *inst, inst_state s) {
  SIM_ASSERT((unsigned)s < INST_STATE_COUNT);
  if (s == inst->state) return;
  SIM_ASSERT(inst->state != INST_STOPPED);
  tell_state(inst, inst->state, -1);
  tell_state(inst, s, +1);
  inst->state = s;
  inst->state_since_s = sim_now(inst->eng);
  if (s == INST_STOPPED) {
    SIM_ASSERT(inst_outstanding(inst) == 0);
    tell(inst, OUT_CPU_ALLOC, -inst->cfg.vcpu);
    tell(inst, OUT_MEM_ALLOC_MIB, -inst->cfg.memory_mib);
    report_usage(inst);
  }
}

int inst_active(const instance *inst) { return inst->n_active; }
int inst_backlog(const instance *inst) { return inst->n_backlog; }
int inst_outstanding(const instance *inst) { return inst->n_active + inst->n_backlog; }
bool inst_has_slot(const instance *inst) { return inst->n_active < inst->cfg.max_concurrency; }

bool inst_can_accept(const instance *inst) {
  if (inst->state == INST_STOPPED) return false;
  return inst_has_slot(inst) || inst->cfg.backlog_max < 0 ||
         inst->n_backlog < inst->cfg.backlog_max;
}

int inst_admit(instance *inst, inst_req *req) {
  SIM_ASSERT(inst->state != INST_STOPPED && req->inst == NULL);
  if (inst_has_slot(inst)) {
    SIM_ASSERT(inst->n_backlog == 0); /* a freed slot always takes the backlog head */
    activate(inst, req);
    return 1;
  }
  if (!inst_can_accept(inst)) return -1;
  req->inst = inst;
  req->phase = PHASE_QUEUED;
  inst_req_list_append(&inst->backlog_head, &inst->backlog_tail, req);
  inst->n_backlog++;
  return 0;
}

void inst_remove(instance *inst, inst_req *req) {
  SIM_ASSERT(req->inst == inst);
  if (req->phase == PHASE_QUEUED) {
    inst_req_list_unlink(&inst->backlog_head, &inst->backlog_tail, req);
    inst->n_backlog--;
    req->inst = NULL;
    return;
  }
  if (req->phase == PHASE_WAITING) {
    sim_cancel(inst->eng, req->timer);
    req->timer = SIM_NO_HANDLE;
  } else {
    ps_advance(inst);
    heap_remove(inst, req);
    ps_sync(inst);
  }
  deactivate(inst, req);
  report_usage(inst);
  fill_slot(inst);
}

void inst_evict_all(instance *inst, void (*fn)(void *arg, inst_req *req), void *arg) {
  ps_advance(inst); /* the CPU used so far stays counted */
  for (inst_req *r = inst->active_head; r; r = r->next) {
    if (r->phase == PHASE_WAITING) sim_cancel(inst->eng, r->timer);
  }
  /* Detach everything as one chain (active then backlog) before any callback,
   * so fn sees an empty instance and may do what it likes with each request. */
  inst_req *chain = inst->active_head ? inst->active_head : inst->backlog_head;
  if (inst->active_tail) inst->active_tail->next = inst->backlog_head;
  inst->active_head = inst->active_tail = inst->backlog_head = inst->backlog_tail = NULL;
  inst->n_active = inst->n_backlog = 0;
  inst->n_cpu = 0;
  ps_sync(inst);
  report_usage(inst);
  while (chain) {
    inst_req *r = chain;
    chain = r->next;
    r->next = r->prev = NULL;
    r->inst = NULL;
    r->timer = SIM_NO_HANDLE;
    r->phase = PHASE_QUEUED;
    fn(arg, r);
  }
}

void inst_set_vcpu(instance *inst, double vcpu) {
  SIM_ASSERT(vcpu > 0);
  ps_advance(inst);
  if (inst->state != INST_STOPPED) tell(inst, OUT_CPU_ALLOC, vcpu - inst->cfg.vcpu);
  inst->cfg.vcpu = vcpu;
  ps_sync(inst);
  report_usage(inst);
}

void inst_set_speed(instance *inst, double speed) {
  SIM_ASSERT(speed > 0);
  ps_advance(inst);
  inst->cfg.speed = speed;
  ps_sync(inst);
}

double inst_vcpu(const instance *inst) { return inst->cfg.vcpu; }

double inst_cpu_consumed_s(const instance *inst) {
  double dt = sim_now(inst->eng) - inst->v_at_s;
  return inst->cpu_used_s + (dt > 0 ? dt * inst->busy : 0);
}

double inst_memory_used_mib(const instance *inst) {
  if (inst->state == INST_STOPPED) return 0;
  return inst->cfg.base_mem_mib + inst->cfg.req_mem_mib * inst->n_active;
}

double inst_memory_mib(const instance *inst) { return inst->cfg.memory_mib; }

int *inst_router_slot(instance *inst) { return &inst->router_slot; }

void inst_set_user(instance *inst, void *user) { inst->user = user; }
void *inst_user(const instance *inst) { return inst->user; }

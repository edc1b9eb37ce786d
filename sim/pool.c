/* pool.c — forked worker processes, a pipe each for their stderr, one poll
 * loop in the parent (see pool.h). */
#include "sim/pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/signals.h"

/* One running job. */
typedef struct slot {
  pid_t pid;        /* 0 while the slot is free */
  int fd;           /* read end of the child's stderr */
  size_t job;
  double started_s;
  bool stopped;     /* sent SIGTERM because the pool was stopping */
  size_t len;       /* bytes kept in out */
  char out[POOL_OUTPUT_MAX + 1];
} slot;

typedef struct pool {
  slot *slots;
  unsigned n_slots, active;
  struct pollfd *fds; /* scratch for wait_some: one per slot */
  slot **owner;       /* the slot of each fds entry */
  pool_job_fn run;
  pool_done_fn done;
  void *arg;
} pool;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

unsigned pool_default_workers(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n >= 1 ? (unsigned)n : 1;
}

/* In the child: becomes job `job` with stderr on the pipe; never returns. */
static _Noreturn void child(pool *p, size_t job, int pipe_fds[2]) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  for (unsigned i = 0; i < p->n_slots; i++)
    if (p->slots[i].pid) close(p->slots[i].fd); /* the other jobs' pipes */
  dup2(pipe_fds[1], STDERR_FILENO);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  int status = p->run(job, p->arg);
  fflush(NULL);
  /* _exit: no atexit handlers or stdio buffers inherited from the parent. */
  _exit(status & 0xff);
}

static int launch(pool *p, size_t job, sim_error *err) {
  slot *s = p->slots;
  while (s->pid) s++; /* there is a free slot: active < n_slots */
  int fds[2];
  if (pipe(fds) != 0)
    return sim_errorf(err, SIM_EFAIL, "cannot create a pipe: %s", strerror(errno));
  fflush(NULL); /* or the child would write the parent's buffered output again */
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(fds[0]);
    close(fds[1]);
    return sim_errorf(err, SIM_EFAIL, "cannot start a worker process: %s", strerror(e));
  }
  if (pid == 0) child(p, job, fds);
  close(fds[1]);
  *s = (slot){.pid = pid, .fd = fds[0], .job = job, .started_s = now_s()};
  p->active++;
  return SIM_OK;
}

/* Keeps the last POOL_OUTPUT_MAX bytes of what the child wrote. */
static void keep_output(slot *s, const char *buf, size_t n) {
  if (n >= POOL_OUTPUT_MAX) {
    memcpy(s->out, buf + n - POOL_OUTPUT_MAX, POOL_OUTPUT_MAX);
    s->len = POOL_OUTPUT_MAX;
    return;
  }
  if (s->len + n > POOL_OUTPUT_MAX) {
    size_t drop = s->len + n - POOL_OUTPUT_MAX;
    memmove(s->out, s->out + drop, s->len - drop);
    s->len -= drop;
  }
  memcpy(s->out + s->len, buf, n);
  s->len += n;
}

/* The child closed its stderr (it is exiting): reaps it and reports it. */
static void reap(pool *p, slot *s) {
  close(s->fd);
  int st = 0;
  while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR) {}
  s->out[s->len] = '\0';
  pool_outcome o = {.job = s->job,
                    .exit_status = WIFEXITED(st) ? WEXITSTATUS(st) : -1,
                    .signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0,
                    .output = s->out,
                    .wall_s = now_s() - s->started_s};
  if (p->done && !s->stopped) p->done(&o, p->arg);
  s->pid = 0;
  p->active--;
}

/* Waits until some child wrote or ended; returns at once on a signal. */
static void wait_some(pool *p) {
  struct pollfd *fds = p->fds;
  slot **owner = p->owner;
  nfds_t n = 0;
  for (unsigned i = 0; i < p->n_slots; i++) {
    if (!p->slots[i].pid) continue;
    fds[n] = (struct pollfd){.fd = p->slots[i].fd, .events = POLLIN};
    owner[n++] = &p->slots[i];
  }
  SIM_ASSERT(n > 0);
  if (poll(fds, n, -1) < 0) {
    SIM_ASSERT(errno == EINTR); /* anything else is a bug in the fd set */
    return;
  }
  for (nfds_t i = 0; i < n; i++) {
    if (!fds[i].revents) continue;
    char buf[4096];
    ssize_t got = read(fds[i].fd, buf, sizeof buf);
    if (got > 0) keep_output(owner[i], buf, (size_t)got);
    else if (got == 0 || errno != EINTR) reap(p, owner[i]);
  }
}

static void stop_all(pool *p) {
  for (unsigned i = 0; i < p->n_slots; i++) {
    slot *s = &p->slots[i];
    if (!s->pid || s->stopped) continue;
    s->stopped = true;
    kill(s->pid, SIGTERM);
  }
}

int pool_run(size_t n_jobs, unsigned workers, pool_job_fn run, pool_done_fn done, void *arg,
             sim_error *err) {
  SIM_ASSERT(workers >= 1 && run);
  if ((size_t)workers > n_jobs) workers = n_jobs ? (unsigned)n_jobs : 1;
  pool p = {.slots = sim_xcalloc(workers, sizeof(slot)), .n_slots = workers,
            .fds = sim_xcalloc(workers, sizeof(struct pollfd)),
            .owner = sim_xcalloc(workers, sizeof(slot *)), .run = run, .done = done, .arg = arg};
  int rc = SIM_OK;
  size_t next = 0;
  for (;;) {
    bool interrupted = sim_signals_pending();
    if (interrupted) stop_all(&p);
    while (!interrupted && rc == SIM_OK && p.active < p.n_slots && next < n_jobs)
      rc = launch(&p, next++, err);
    if (p.active == 0) break;
    wait_some(&p);
  }
  free(p.slots);
  free(p.fds);
  free(p.owner);
  if (rc == SIM_OK && sim_signals_pending())
    rc = sim_errorf(err, SIM_EFAIL, "interrupted by %s", sim_signals_name());
  return rc;
}

// spawn(): fork/exec the way supervisord's child sets itself up (process.py _spawn_as_child), with
// the descriptors a program must see: real pipes from pipe2(2) on fds 0-2 (a socket pair, as
// libuv's 'pipe' stdio gives, cannot be reopened through /dev/stdout or /proc/self/fd/N), and no
// other descriptor above the ones asked for.
//
// The child is made with clone(CLONE_VM | CLONE_VFORK) on a small stack of its own, as glibc's
// posix_spawn does: no copy of svinit's page tables, so the cost does not grow with svinit's size.
// Until execve the child shares svinit's memory, so it only makes raw system calls: glibc's
// setuid/setgid/setgroups would broadcast to svinit's threads, and every signal stays blocked
// until the child has reset its dispositions, so no handler of svinit's runs in the child.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "spawn.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

enum { STAGE_NONE = 0, STAGE_FDS, STAGE_PGRP, STAGE_GROUPS, STAGE_GID, STAGE_UID, STAGE_CHDIR, STAGE_EXEC };

struct child_args {
  const struct spawn_request* req;
  volatile int stage;  // where the child failed (memory is shared until exec)
  volatile int err;
};

static void close_from(int lowfd) {
  if (syscall(SYS_close_range, lowfd, ~0U, 0) == 0) return;
  struct rlimit lim;
  long max = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY ? (long)lim.rlim_cur : 65536;
  if (max > 1048576) max = 1048576;
  for (long fd = lowfd; fd < max; fd++) syscall(SYS_close, (int)fd);
}

static int fail(struct child_args* a, int stage) {
  a->stage = stage;
  a->err = errno;
  _exit(127);
}

static int child_main(void* arg) {
  struct child_args* a = arg;
  const struct spawn_request* r = a->req;
  // supervisord's child: a process group of its own (signals to svinit's group do not reach it).
  if (r->setsid) {
    if (setsid() < 0) return fail(a, STAGE_PGRP);
  } else if (r->setpgrp && setpgid(0, 0) < 0) {
    return fail(a, STAGE_PGRP);
  }
  // Single-command mode on a terminal: the program is the foreground job, as under tini. SIGTTOU
  // is blocked here, so the call from a background group is allowed.
  if (r->foreground && isatty(0)) (void)tcsetpgrp(0, getpid());
  // Descriptors: move any source that sits below nfds out of the way, then place each one.
  int src[SPAWN_MAX_FDS];
  for (int i = 0; i < r->nfds; i++) {
    src[i] = r->fds[i];
    if (src[i] >= 0 && src[i] < r->nfds && src[i] != i) {
      int moved = fcntl(src[i], F_DUPFD_CLOEXEC, r->nfds);
      if (moved < 0) return fail(a, STAGE_FDS);
      for (int j = i + 1; j < r->nfds; j++)
        if (r->fds[j] == src[i]) src[j] = moved;
      src[i] = moved;
    }
  }
  for (int i = 0; i < r->nfds; i++) {
    if (src[i] == i) {
      if (fcntl(i, F_SETFD, 0) < 0) return fail(a, STAGE_FDS);
    } else if (src[i] >= 0) {
      if (dup2(src[i], i) < 0) return fail(a, STAGE_FDS);
    } else {
      syscall(SYS_close, i);
    }
  }
  close_from(r->nfds);
  // user=: supplementary groups of the user (initgroups), then gid, then uid.
  if (r->uid >= 0) {
    if (r->ngroups >= 0 && syscall(SYS_setgroups, (size_t)r->ngroups, r->groups) < 0) return fail(a, STAGE_GROUPS);
    if (syscall(SYS_setresgid, r->gid, r->gid, r->gid) < 0) return fail(a, STAGE_GID);
    if (syscall(SYS_setresuid, r->uid, r->uid, r->uid) < 0) return fail(a, STAGE_UID);
  }
  if (r->cwd && chdir(r->cwd) < 0) return fail(a, STAGE_CHDIR);
  if (r->umask >= 0) umask((mode_t)r->umask);
  for (int i = 0; i < r->nrlimits; i++) {
    struct rlimit lim = {(rlim_t)r->rlimits[i].soft, (rlim_t)r->rlimits[i].hard};
    (void)setrlimit(r->rlimits[i].resource, &lim);
  }
  // Signals: every disposition back to the default, then the ones supervisord's children inherit
  // ignored (Python ignores SIGPIPE and SIGXFSZ), then an empty mask.
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    (void)sigaction(sig, &dfl, NULL);
  }
  struct sigaction ign = dfl;
  ign.sa_handler = SIG_IGN;
  for (int i = 0; i < r->nignore; i++) (void)sigaction(r->ignore[i], &ign, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(r->file, r->argv, r->envp);
  return fail(a, STAGE_EXEC);
}

static const char* stage_names[] = {"", "fds", "setpgid", "setgroups", "setgid", "setuid", "chdir", "exec"};

int spawn_child(const struct spawn_request* req, struct spawn_result* out) {
  memset(out, 0, sizeof *out);
  const size_t stack_size = 256 * 1024;
  char* stack = mmap(NULL, stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    out->err = errno;
    out->stage = "mmap";
    return -1;
  }
  struct child_args args = {req, STAGE_NONE, 0};
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(child_main, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD, &args);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, stack_size);
  if (pid < 0) {
    out->err = clone_errno;
    out->stage = "fork";
    return -1;
  }
  if (args.stage != STAGE_NONE) {
    // The child ran into an error before exec and exited 127: reap it here, it is not a program.
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out->err = args.err;
    out->stage = stage_names[args.stage];
    return -1;
  }
  out->pid = pid;
  return 0;
}

int mark_cloexec_from(int lowfd) {
  if (syscall(SYS_close_range, lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
  struct rlimit lim;
  long max = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY ? (long)lim.rlim_cur : 65536;
  if (max > 1048576) max = 1048576;
  for (long fd = lowfd; fd < max; fd++) {
    int flags = fcntl((int)fd, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
  }
  return 0;
}

int user_groups(const char* user, int gid, int* groups, int max) {
  int n = max;
  if (getgrouplist(user, (gid_t)gid, (gid_t*)groups, &n) < 0) return -1;
  return n;
}

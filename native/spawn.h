// The child set-up svinit's spawn() performs; see spawn.c.
#pragma once
#define SPAWN_MAX_FDS 64
#define SPAWN_MAX_GROUPS 1024

struct spawn_rlimit {
  int resource;
  unsigned long long soft, hard;
};

struct spawn_request {
  const char* file;
  char* const* argv;
  char* const* envp;
  const char* cwd;     // NULL: svinit's
  int umask;           // -1: svinit's
  int uid, gid;        // uid -1: no change
  int ngroups;         // -1: leave supplementary groups alone
  const unsigned int* groups;
  int nfds;            // the child gets fds 0..nfds-1
  const int* fds;      // fds[i]: svinit's descriptor to place at i, or -1 for closed
  int setpgrp, setsid, foreground;
  int nignore;
  const int* ignore;   // signals the child starts with ignored
  int nrlimits;
  const struct spawn_rlimit* rlimits;
};

struct spawn_result {
  int pid;
  int err;             // errno of the failed step
  const char* stage;   // "fork", "fds", "setpgid", "setgroups", "setgid", "setuid", "chdir", "exec"
};

int spawn_child(const struct spawn_request* req, struct spawn_result* out);
int mark_cloexec_from(int lowfd);
int user_groups(const char* user, int gid, int* groups, int max);

// The JavaScript side of spawn.c:
//   spawn({ file, argv, envp, cwd, umask, uid, gid, groups, fds, setpgrp, setsid, foreground,
//           ignore, rlimits }) -> pid      (throws Error with .errno and .stage when a step failed)
//   pipe() -> [readFd, writeFd]           (pipe2(O_CLOEXEC))
//   markCloexecFrom(fd) -> undefined      (every descriptor >= fd close-on-exec)
//   userGroups(user, gid) -> number[]     (getgrouplist: what initgroups would set)
//   peekExited() -> pid                   (a child that has exited and is not reaped yet, left
//                                          unreaped: waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT);
//                                          0 when there is none, -1 when waitid failed)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "spawn.h"

static char* get_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char* s = malloc(len + 1);
  if (s) napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static napi_value prop(napi_env env, napi_value obj, const char* name) {
  napi_value v = NULL;
  napi_get_named_property(env, obj, name, &v);
  return v;
}

static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype t;
  return !v || napi_typeof(env, v, &t) != napi_ok || t == napi_undefined || t == napi_null;
}

static int get_int(napi_env env, napi_value obj, const char* name, int dflt) {
  napi_value v = prop(env, obj, name);
  int32_t out = dflt;
  if (is_nullish(env, v) || napi_get_value_int32(env, v, &out) != napi_ok) return dflt;
  return out;
}

static int get_bool(napi_env env, napi_value obj, const char* name) {
  napi_value v = prop(env, obj, name);
  bool b = false;
  if (is_nullish(env, v) || napi_get_value_bool(env, v, &b) != napi_ok) return 0;
  return b;
}

// A JS array of strings as a NULL-terminated char* array; NULL on a bad value.
static char** get_strings(napi_env env, napi_value arr) {
  uint32_t n = 0;
  if (is_nullish(env, arr) || napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char** out = calloc(n + 1, sizeof(char*));
  for (uint32_t i = 0; out && i < n; i++) {
    napi_value el;
    napi_get_element(env, arr, i, &el);
    if (!(out[i] = get_string(env, el))) {
      for (uint32_t j = 0; j < i; j++) free(out[j]);
      free(out);
      return NULL;
    }
  }
  return out;
}

static void free_strings(char** s) {
  for (char** p = s; p && *p; p++) free(*p);
  free(s);
}

// A JS array of int32 into out[max]; returns the count, or -1 when absent.
static int get_ints(napi_env env, napi_value arr, int* out, int max) {
  uint32_t n = 0;
  if (is_nullish(env, arr) || napi_get_array_length(env, arr, &n) != napi_ok) return -1;
  if (n > (uint32_t)max) n = (uint32_t)max;
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    int32_t v = -1;
    napi_get_element(env, arr, i, &el);
    napi_get_value_int32(env, el, &v);
    out[i] = v;
  }
  return (int)n;
}

static napi_value throw_spawn_error(napi_env env, int err, const char* stage) {
  napi_value msg, error, code, st;
  char text[256];
  snprintf(text, sizeof text, "%s: %s", stage, strerror(err));
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_create_int32(env, err, &code);
  napi_create_string_utf8(env, stage, NAPI_AUTO_LENGTH, &st);
  napi_set_named_property(env, error, "errno", code);
  napi_set_named_property(env, error, "stage", st);
  napi_throw(env, error);
  return NULL;
}

static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value o;
  napi_get_cb_info(env, info, &argc, &o, NULL, NULL);
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "spawn(request)");
    return NULL;
  }
  struct spawn_request req;
  memset(&req, 0, sizeof req);
  char* file = get_string(env, prop(env, o, "file"));
  char** argv = get_strings(env, prop(env, o, "argv"));
  char** envp = get_strings(env, prop(env, o, "envp"));
  napi_value cwdv = prop(env, o, "cwd");
  char* cwd = is_nullish(env, cwdv) ? NULL : get_string(env, cwdv);
  static int fds[SPAWN_MAX_FDS], ignore[64];
  static unsigned int groups[SPAWN_MAX_GROUPS];
  int nfds = get_ints(env, prop(env, o, "fds"), fds, SPAWN_MAX_FDS);
  int ngroups = get_ints(env, prop(env, o, "groups"), (int*)groups, SPAWN_MAX_GROUPS);
  int nignore = get_ints(env, prop(env, o, "ignore"), ignore, 64);
  struct spawn_rlimit rlimits[8];
  int nrlimits = 0;
  napi_value rl = prop(env, o, "rlimits");
  uint32_t nrl = 0;
  if (!is_nullish(env, rl) && napi_get_array_length(env, rl, &nrl) == napi_ok) {
    for (uint32_t i = 0; i < nrl && nrlimits < 8; i++) {
      napi_value el;
      double soft = 0, hard = 0;
      napi_get_element(env, rl, i, &el);
      rlimits[nrlimits].resource = get_int(env, el, "resource", 0);
      napi_get_value_double(env, prop(env, el, "soft"), &soft);
      napi_get_value_double(env, prop(env, el, "hard"), &hard);
      rlimits[nrlimits].soft = soft < 0 ? ~0ULL : (unsigned long long)soft;
      rlimits[nrlimits].hard = hard < 0 ? ~0ULL : (unsigned long long)hard;
      nrlimits++;
    }
  }
  napi_value result = NULL;
  if (!file || !argv || !envp || nfds < 0) {
    napi_throw_type_error(env, NULL, "spawn: file, argv, envp and fds are required");
  } else {
    req.file = file;
    req.argv = argv;
    req.envp = envp;
    req.cwd = cwd;
    req.umask = get_int(env, o, "umask", -1);
    req.uid = get_int(env, o, "uid", -1);
    req.gid = get_int(env, o, "gid", -1);
    req.ngroups = ngroups;
    req.groups = groups;
    req.nfds = nfds;
    req.fds = fds;
    req.setpgrp = get_bool(env, o, "setpgrp");
    req.setsid = get_bool(env, o, "setsid");
    req.foreground = get_bool(env, o, "foreground");
    req.nignore = nignore < 0 ? 0 : nignore;
    req.ignore = ignore;
    req.nrlimits = nrlimits;
    req.rlimits = rlimits;
    struct spawn_result res;
    if (spawn_child(&req, &res) < 0)
      throw_spawn_error(env, res.err, res.stage);
    else
      napi_create_int32(env, res.pid, &result);
  }
  free(file);
  free(cwd);
  free_strings(argv);
  free_strings(envp);
  return result;
}

static napi_value js_pipe(napi_env env, napi_callback_info info) {
  (void)info;
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return throw_spawn_error(env, errno, "pipe");
  napi_value arr, a, b;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_int32(env, p[0], &a);
  napi_create_int32(env, p[1], &b);
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

static napi_value js_mark_cloexec_from(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value v;
  int32_t low = 3;
  napi_get_cb_info(env, info, &argc, &v, NULL, NULL);
  if (argc >= 1) napi_get_value_int32(env, v, &low);
  mark_cloexec_from(low < 3 ? 3 : low);
  return NULL;
}

static napi_value js_user_groups(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], arr;
  int32_t gid = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char* user = argc >= 2 ? get_string(env, argv[0]) : NULL;
  if (!user || napi_get_value_int32(env, argv[1], &gid) != napi_ok) {
    free(user);
    napi_throw_type_error(env, NULL, "userGroups(user, gid)");
    return NULL;
  }
  static int groups[SPAWN_MAX_GROUPS];
  int n = user_groups(user, gid, groups, SPAWN_MAX_GROUPS);
  free(user);
  if (n < 0) return throw_spawn_error(env, ERANGE, "getgrouplist");
  napi_create_array_with_length(env, n, &arr);
  for (int i = 0; i < n; i++) {
    napi_value g;
    napi_create_uint32(env, (uint32_t)groups[i], &g);
    napi_set_element(env, arr, i, g);
  }
  return arr;
}

// Looks without reaping: the child stays a zombie for whoever owns it (the spawner, libuv, or the
// orphan reaper) to collect with waitpid(pid). The kernel reports the first exited child in its
// list, so an unreaped one that is not the caller's hides the ones behind it.
static napi_value js_peek_exited(napi_env env, napi_callback_info info) {
  (void)info;
  siginfo_t si;
  int r;
  do {
    memset(&si, 0, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT);
  } while (r < 0 && errno == EINTR);
  napi_value out;
  napi_create_int32(env, r == 0 ? si.si_pid : errno == ECHILD ? 0 : -1, &out);
  return out;
}

void register_spawn(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"spawn", NULL, js_spawn, NULL, NULL, NULL, napi_default, NULL},
      {"pipe", NULL, js_pipe, NULL, NULL, NULL, napi_default, NULL},
      {"markCloexecFrom", NULL, js_mark_cloexec_from, NULL, NULL, NULL, napi_default, NULL},
      {"userGroups", NULL, js_user_groups, NULL, NULL, NULL, napi_default, NULL},
      {"peekExited", NULL, js_peek_exited, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
}

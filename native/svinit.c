// svinit's native part: the system calls Node does not offer. This file: reaping, the subreaper
// flag, listening sockets for fcgi-program, syslog datagrams and rlimits; spawn-napi.c: spawning
// with real pipes; notify.c: the sd_notify datagram socket; label.c: labelLines, the `name | line`
// copy of container mode.
//   waitpidNoHang(pid) -> null | { pid, code, signal, core }   (waitpid(pid, WNOHANG), one pid only:
//                         never -1, so libuv's own children are never reaped behind its back)
//   setChildSubreaper() -> boolean                              (prctl(PR_SET_CHILD_SUBREAPER, 1))
//   listenUnix(path, backlog) / listenTcp(host, port, backlog) -> fd
//                         a listening socket libuv never polls, for fcgi-program children to
//                         accept on (a Node net.Server would race them for connections)
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <node_api.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

static napi_value make_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

static napi_value waitpid_nohang(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result;
  int32_t pid = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, NULL, "waitpidNoHang(pid) needs a positive pid");
    return NULL;
  }
  int status = 0;
  pid_t r;
  do {
    r = waitpid((pid_t)pid, &status, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r <= 0) {
    napi_get_null(env, &result);
    return result;
  }
  napi_value nul;
  napi_get_null(env, &nul);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "pid", make_int(env, r));
  if (WIFEXITED(status)) {
    napi_set_named_property(env, result, "code", make_int(env, WEXITSTATUS(status)));
    napi_set_named_property(env, result, "signal", nul);
  } else if (WIFSIGNALED(status)) {
    napi_set_named_property(env, result, "code", nul);
    napi_set_named_property(env, result, "signal", make_int(env, WTERMSIG(status)));
  } else {
    napi_set_named_property(env, result, "code", nul);
    napi_set_named_property(env, result, "signal", nul);
  }
  napi_value core;
  napi_get_boolean(env, WIFSIGNALED(status) && WCOREDUMP(status), &core);
  napi_set_named_property(env, result, "core", core);
  return result;
}

static napi_value set_child_subreaper(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_get_boolean(env, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0, &result);
  return result;
}

static napi_value throw_errno(napi_env env, const char* what) {
  char msg[512];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  napi_throw_error(env, NULL, msg);
  return NULL;
}

static napi_value listen_unix(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[sizeof(((struct sockaddr_un*)0)->sun_path)];
  size_t len = 0;
  int32_t backlog = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok ||
      napi_get_value_int32(env, argv[1], &backlog) != napi_ok) {
    napi_throw_type_error(env, NULL, "listenUnix(path, backlog)");
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket");
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, path, len);
  if (bind(fd, (struct sockaddr*)&addr, sizeof addr) < 0 || listen(fd, backlog) < 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return throw_errno(env, path);
  }
  return make_int(env, fd);
}

static napi_value listen_tcp(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  char host[256], port[16];
  size_t len = 0;
  int32_t portnum = 0, backlog = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3 || napi_get_value_string_utf8(env, argv[0], host, sizeof host, &len) != napi_ok ||
      napi_get_value_int32(env, argv[1], &portnum) != napi_ok || napi_get_value_int32(env, argv[2], &backlog) != napi_ok) {
    napi_throw_type_error(env, NULL, "listenTcp(host, port, backlog)");
    return NULL;
  }
  snprintf(port, sizeof port, "%d", portnum);
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc != 0) {
    napi_throw_error(env, NULL, gai_strerror(rc));
    return NULL;
  }
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 ||
      listen(fd, backlog) < 0) {
    int saved = errno;
    if (fd >= 0) close(fd);
    freeaddrinfo(res);
    errno = saved;
    return throw_errno(env, host);
  }
  freeaddrinfo(res);
  return make_int(env, fd);
}

// syslogSend(path, message) -> boolean: one datagram to the local syslog socket (Node has no
// unix datagram sockets). The socket is opened on first use and kept.
static int syslog_fd = -1;

static napi_value syslog_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  char path[108];
  size_t plen = 0, mlen = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &plen) != napi_ok ||
      napi_get_value_string_utf8(env, argv[1], NULL, 0, &mlen) != napi_ok) {
    napi_throw_type_error(env, NULL, "syslogSend(path, message)");
    return NULL;
  }
  char msg[8192];
  if (mlen >= sizeof msg) mlen = sizeof msg - 1;
  napi_get_value_string_utf8(env, argv[1], msg, mlen + 1, &mlen);
  if (syslog_fd < 0) syslog_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, path, plen);
  int ok = syslog_fd >= 0 && sendto(syslog_fd, msg, mlen, MSG_DONTWAIT, (struct sockaddr*)&addr, sizeof addr) >= 0;
  napi_get_boolean(env, ok, &result);
  return result;
}

// raiseLimit(which, min) -> { soft, hard, ok }: supervisord's minfds/minprocs: raise the soft limit
// (and the hard one when allowed) to at least `min`. which: 0 = RLIMIT_NOFILE, 1 = RLIMIT_NPROC.
static napi_value raise_limit(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result, b;
  int32_t which = 0;
  double min = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_int32(env, argv[0], &which) != napi_ok || napi_get_value_double(env, argv[1], &min) != napi_ok) {
    napi_throw_type_error(env, NULL, "raiseLimit(which, min)");
    return NULL;
  }
  int res = which == 1 ? RLIMIT_NPROC : RLIMIT_NOFILE;
  struct rlimit lim;
  int ok = getrlimit(res, &lim) == 0;
  if (ok && (double)lim.rlim_cur < min) {
    struct rlimit want = lim;
    want.rlim_cur = (rlim_t)min;
    if ((double)want.rlim_max < min) want.rlim_max = (rlim_t)min;
    ok = setrlimit(res, &want) == 0;
    if (ok) lim = want;
  }
  napi_create_object(env, &result);
  napi_value soft, hard;
  napi_create_double(env, lim.rlim_cur == RLIM_INFINITY ? -1 : (double)lim.rlim_cur, &soft);
  napi_create_double(env, lim.rlim_max == RLIM_INFINITY ? -1 : (double)lim.rlim_max, &hard);
  napi_get_boolean(env, ok, &b);
  napi_set_named_property(env, result, "soft", soft);
  napi_set_named_property(env, result, "hard", hard);
  napi_set_named_property(env, result, "ok", b);
  return result;
}

void register_spawn(napi_env env, napi_value exports);
void register_notify(napi_env env, napi_value exports);
void register_label(napi_env env, napi_value exports);

static napi_value init(napi_env env, napi_value exports) {
  register_spawn(env, exports);
  register_notify(env, exports);
  register_label(env, exports);
  napi_property_descriptor props[] = {
      {"waitpidNoHang", NULL, waitpid_nohang, NULL, NULL, NULL, napi_default, NULL},
      {"setChildSubreaper", NULL, set_child_subreaper, NULL, NULL, NULL, napi_default, NULL},
      {"listenUnix", NULL, listen_unix, NULL, NULL, NULL, napi_default, NULL},
      {"listenTcp", NULL, listen_tcp, NULL, NULL, NULL, napi_default, NULL},
      {"syslogSend", NULL, syslog_send, NULL, NULL, NULL, napi_default, NULL},
      {"raiseLimit", NULL, raise_limit, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

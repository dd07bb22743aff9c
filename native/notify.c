// notifySocket(path, onDatagram) -> { close() }: a unix datagram socket bound at `path` (systemd's
// NOTIFY_SOCKET protocol: `READY=1`, `STATUS=…` datagrams), polled on libuv's loop; each datagram
// is passed to onDatagram as a string. Node has no unix datagram sockets.
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <uv.h>

struct notify {
  uv_poll_t poll;
  int fd;
  napi_env env;
  napi_ref callback;
  int closed;
};

static void on_closed(uv_handle_t* h) {
  free(h->data);
}

static void notify_close(struct notify* n) {
  if (n->closed) return;
  n->closed = 1;
  uv_poll_stop(&n->poll);
  close(n->fd);
  napi_delete_reference(n->env, n->callback);
  uv_close((uv_handle_t*)&n->poll, on_closed);
}

static void on_readable(uv_poll_t* h, int status, int events) {
  (void)events;
  struct notify* n = h->data;
  if (status < 0 || n->closed) return;
  char buf[4096];
  for (;;) {
    ssize_t len = recv(n->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (len < 0) break;
    napi_handle_scope scope;
    napi_open_handle_scope(n->env, &scope);
    napi_value cb, global, text, ignored;
    napi_get_reference_value(n->env, n->callback, &cb);
    napi_get_global(n->env, &global);
    napi_create_string_utf8(n->env, buf, (size_t)len, &text);
    napi_make_callback(n->env, NULL, global, cb, 1, &text, &ignored);
    napi_close_handle_scope(n->env, scope);
    if (n->closed) break;
  }
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  void* data = NULL;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  if (data) notify_close(data);
  return NULL;
}

static napi_value js_notify_socket(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  char path[sizeof(((struct sockaddr_un*)0)->sun_path)];
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_valuetype t;
  if (argc < 2 || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len) != napi_ok || len >= sizeof path - 1 ||
      napi_typeof(env, argv[1], &t) != napi_ok || t != napi_function) {
    napi_throw_type_error(env, NULL, "notifySocket(path, onDatagram): path must fit in sun_path");
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path, path, len);
  if (fd < 0 || bind(fd, (struct sockaddr*)&addr, sizeof addr) < 0) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
    if (fd >= 0) close(fd);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  uv_loop_t* loop;
  napi_get_uv_event_loop(env, &loop);
  struct notify* n = calloc(1, sizeof *n);
  n->fd = fd;
  n->env = env;
  n->poll.data = n;
  napi_create_reference(env, argv[1], 1, &n->callback);
  uv_poll_init(loop, &n->poll, fd);
  uv_poll_start(&n->poll, UV_READABLE, on_readable);
  napi_value handle, closefn;
  napi_create_object(env, &handle);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, js_close, n, &closefn);
  napi_set_named_property(env, handle, "close", closefn);
  return handle;
}

void register_notify(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"notifySocket", NULL, js_notify_socket, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 1, props);
}

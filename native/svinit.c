// svinit's native part: the two libc calls Node does not offer.
//   waitpidNoHang(pid) -> null | { pid, code, signal, core }   (waitpid(pid, WNOHANG), one pid only:
//                         never -1, so libuv's own children are never reaped behind its back)
//   setChildSubreaper() -> boolean                              (prctl(PR_SET_CHILD_SUBREAPER, 1))
#include <errno.h>
#include <node_api.h>
#include <sys/prctl.h>
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

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"waitpidNoHang", NULL, waitpid_nohang, NULL, NULL, NULL, napi_default, NULL},
      {"setChildSubreaper", NULL, set_child_subreaper, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

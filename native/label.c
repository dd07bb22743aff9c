// labelLines(body, label) -> Buffer: `label` before every line of `body`, for container mode's
// forwarded copy (`name | line`). A line ends after each '\n'; a last run of bytes without one is
// a line too; an empty body gives an empty buffer. Bytes are copied as they are (any encoding,
// '\r', NUL): memchr finds the newlines, memcpy copies, into one buffer sized by a first count.
#include <node_api.h>
#include <stdint.h>
#include <string.h>

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

/** The bytes of a Buffer (or other Uint8Array) argument; 0 when it is not one. */
static int bytes_of(napi_env env, napi_value v, const char** data, size_t* len) {
  bool is = false;
  if (napi_is_buffer(env, v, &is) != napi_ok || !is) return 0;
  void* p = NULL;
  if (napi_get_buffer_info(env, v, &p, len) != napi_ok) return 0;
  *data = *len ? (const char*)p : "";
  return 1;
}

static napi_value js_label_lines(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  const char *body, *label;
  size_t len, ll;
  if (argc < 2 || !bytes_of(env, argv[0], &body, &len) || !bytes_of(env, argv[1], &label, &ll))
    return throw_type(env, "labelLines(body, label): both must be Buffers");

  const char* end = body + len;
  size_t lines = 0;
  for (const char* p = body; p < end; lines++) {
    const char* nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
  }
  if (ll && lines > (SIZE_MAX - len) / ll) {
    napi_throw_range_error(env, NULL, "labelLines: result too large");
    return NULL;
  }
  size_t outlen = len + lines * ll;
  void* outp = NULL;
  napi_value result;
  // napi_create_buffer fails past Buffer's maximum length (a pending RangeError is thrown).
  if (napi_create_buffer(env, outlen, &outp, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_range_error(env, NULL, "labelLines: cannot allocate the result");
    return NULL;
  }
  char* o = outp;
  for (const char* p = body; p < end;) {
    const char* nl = memchr(p, '\n', (size_t)(end - p));
    const char* next = nl ? nl + 1 : end;
    memcpy(o, label, ll);
    o += ll;
    memcpy(o, p, (size_t)(next - p));
    o += next - p;
    p = next;
  }
  return result;
}

void register_label(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"labelLines", NULL, js_label_lines, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 1, props);
}

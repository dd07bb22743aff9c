// labelLines(body, label) -> Buffer: `label` before every line of `body`, for container mode's
// forwarded copy (`name | line`). A line ends after each '\n'; a last run of bytes without one is
// a line too; an empty body gives an empty buffer. Bytes are copied as they are (any encoding,
// '\r', NUL), into one buffer sized by a first pass. Short lines are scanned and copied byte by
// byte: a memchr and two memcpy calls per 2-byte line cost more than the line (perf: 75 % of the
// time in them); past SHORT bytes memchr and memcpy take over.
#include <node_api.h>
#include <stdint.h>
#include <string.h>

static napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, NULL, msg);
  return NULL;
}

#define SHORT 16

/** Past the '\n' that ends the line starting at p, or end. */
static const char* line_end(const char* p, const char* end) {
  const char* stop = end - p > SHORT ? p + SHORT : end;
  for (; p < stop; p++)
    if (*p == '\n') return p + 1;
  if (p == end) return end;
  const char* nl = memchr(p, '\n', (size_t)(end - p));
  return nl ? nl + 1 : end;
}

/**
 * memcpy in pieces of at most PIECE bytes. glibc (2.36) copies 2112 bytes and more with `rep movsb`,
 * which AMD Zen runs several times slower when source and destination are not mutually aligned,
 * as they are not here (each label shifts the rest); below that it uses vector moves.
 */
#define PIECE 2048

/** Copies n bytes to o; returns o + n. A loop for short runs (gcc must not make it a memcpy call). */
__attribute__((optimize("no-tree-loop-distribute-patterns"))) static char* put(char* o, const char* s, size_t n) {
  if (n <= SHORT) {
    for (size_t i = 0; i < n; i++) o[i] = s[i];
    return o + n;
  }
  size_t piece = PIECE;
  // Hidden from the compiler: a memcpy of a known 2048 bytes is inlined as `rep movsq`, as slow.
  __asm__("" : "+r"(piece));
  for (; n > piece; n -= piece, o += piece, s += piece) memcpy(o, s, piece);
  memcpy(o, s, n);
  return o + n;
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
  for (const char* p = body; p < end; lines++) p = line_end(p, end);
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
    const char* next = line_end(p, end);
    o = put(o, label, ll);
    o = put(o, p, (size_t)(next - p));
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

// labelLines(body, label[, out]) -> Buffer | length: `label` before every line of `body`, for
// container mode's forwarded copy (`name | line`). A line ends after each '\n'; a last run of
// bytes without one is a line too; an empty body gives nothing. Bytes are copied as they are (any
// encoding, '\r', NUL). A first pass counts the lines (a vectorized loop), a second copies: short
// lines are scanned byte by byte and copied with fixed-size moves (a memchr and two memcpy calls
// per 2-byte line cost more than the line: perf showed 75 % of the time in them), longer ones with
// memchr and memcpy.
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

/**
 * Copies n bytes to o; returns o + n. Up to SHORT bytes: two overlapping moves of a fixed size
 * (inlined, no call); more: memcpy in pieces.
 */
static inline char* put(char* o, const char* s, size_t n) {
  if (n >= 8 && n <= SHORT) {
    memcpy(o, s, 8);
    memcpy(o + n - 8, s + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    memcpy(o, s, 4);
    memcpy(o + n - 4, s + n - 4, 4);
  } else if (n > 0 && n < 4) {
    o[0] = s[0];
    o[n / 2] = s[n / 2];
    o[n - 1] = s[n - 1];
  } else if (n > SHORT) {
    size_t piece = PIECE;
    // Hidden from the compiler: a memcpy of a known 2048 bytes is inlined as `rep movsq`, as slow.
    __asm__("" : "+r"(piece));
    for (; n > piece; n -= piece, o += piece, s += piece) memcpy(o, s, piece);
    memcpy(o, s, n);
  }
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

/**
 * How many lines body holds: its newlines, plus an unfinished last line. A plain loop the compiler
 * vectorizes (-O3): as fast as memchr on long lines, far faster on short ones.
 */
static size_t count_lines(const char* body, size_t len) {
  size_t n = 0;
  while (len) {
    // Counted in bytes 255 at a time: byte lanes, 32 or 64 per vector.
    size_t k = len < 255 ? len : 255;
    unsigned char c = 0;
    for (size_t i = 0; i < k; i++) c += body[i] == '\n';
    n += c;
    body += k;
    len -= k;
  }
  return n;
}

/** Writes the labelled lines of body to o (room for them checked by the caller). */
static void fill(char* o, const char* body, const char* end, const char* label, size_t ll) {
  for (const char* p = body; p < end;) {
    const char* next = line_end(p, end);
    o = put(o, label, ll);
    o = put(o, p, (size_t)(next - p));
    p = next;
  }
}

/**
 * labelLines(body, label) -> a new Buffer; labelLines(body, label, out) -> the labelled length,
 * written to the start of `out` only when it fits there (a buffer the caller reuses: no
 * allocation, no fresh pages to fault in). `out` must not overlap `body` or `label`.
 */
static napi_value js_label_lines(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  const char *body, *label, *into = NULL;
  size_t len, ll, room = 0;
  napi_valuetype third = napi_undefined;
  if (argc >= 3 && napi_typeof(env, argv[2], &third) != napi_ok) return NULL;
  if (argc < 2 || !bytes_of(env, argv[0], &body, &len) || !bytes_of(env, argv[1], &label, &ll) ||
      (third != napi_undefined && !bytes_of(env, argv[2], &into, &room)))
    return throw_type(env, "labelLines(body, label[, out]): Buffers expected");
  if (into && room && ((into < body + len && body < into + room) || (into < label + ll && label < into + room)))
    return throw_type(env, "labelLines: out overlaps body or label");

  const char* end = body + len;
  size_t lines = count_lines(body, len) + (len && end[-1] != '\n');
  if (ll && lines > (SIZE_MAX - len) / ll) {
    napi_throw_range_error(env, NULL, "labelLines: result too large");
    return NULL;
  }
  size_t outlen = len + lines * ll;
  napi_value result;
  if (into) {
    if (outlen <= room) fill((char*)into, body, end, label, ll);
    if (napi_create_double(env, (double)outlen, &result) != napi_ok) return NULL;
    return result;
  }
  void* outp = NULL;
  // napi_create_buffer fails past Buffer's maximum length (a pending RangeError is thrown).
  if (napi_create_buffer(env, outlen, &outp, &result) != napi_ok) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_range_error(env, NULL, "labelLines: cannot allocate the result");
    return NULL;
  }
  fill(outp, body, end, label, ll);
  return result;
}

void register_label(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"labelLines", NULL, js_label_lines, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 1, props);
}

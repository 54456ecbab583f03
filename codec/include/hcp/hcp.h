/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hcp.h: the backend-neutral part of the HCP reference codec.
 *
 * This header declares what both backends share: the error codes, the
 * limits of spec section "Limits", the reason-code registry, the
 * byte-stream framing reader and writer, and the reference backoff
 * algorithm. Nothing declared here allocates memory, keeps global state or
 * reads a clock: buffers, random values and times come in as arguments.
 *
 * Read it top to bottom: version, errors, limits, reason codes, framing,
 * backoff. The backends are in hcp_pbc.h (protobuf-c, for servers) and
 * hcp_nanopb.h (nanopb, for small clients).
 */
#ifndef HCP_H
#define HCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Version
 * ---------------------------------------------------------------------- */

/* The protocol version this codec speaks (Connect.version). */
#define HCP_PROTOCOL_VERSION 1

/* The version of this library, as MAJOR * 10000 + MINOR * 100 + PATCH. */
#define HCP_LIBRARY_VERSION        100
#define HCP_LIBRARY_VERSION_STRING "0.1.0"

/* Results that must not be ignored. */
#if defined(__cplusplus) && __cplusplus >= 201703L
#define HCP_NODISCARD [[nodiscard]]
#elif defined(__GNUC__) || defined(__clang__)
#define HCP_NODISCARD __attribute__((warn_unused_result))
#else
#define HCP_NODISCARD
#endif

/* ------------------------------------------------------------------------
 * Errors
 *
 * Every fallible function returns one of these. The values are part of the
 * API and are never renumbered; new codes are only appended. Each code
 * belongs to one error class of spec section "Errors", which is what the
 * conformance suite compares (hcp_error_class).
 * ---------------------------------------------------------------------- */

typedef enum hcp_error {
	HCP_OK = 0,

	/* Framing: the stream has not delivered a whole frame yet. Not an
	 * error of the input; feed more bytes. */
	HCP_E_INCOMPLETE = 1,
	/* Framing: the length prefix is not a minimal varint. */
	HCP_E_FRAMING = 2,
	/* Framing or decode: the frame is larger than the maximum frame size. */
	HCP_E_TOO_LARGE = 3,

	/* Protobuf wire layer: truncated input, bad varint, bad wire type,
	 * bad length, a field of the wrong wire type. */
	HCP_E_WIRE = 10,

	/* HCP semantic rules on a decoded frame. */
	/* A string, bytes or repeated field over its limit. */
	HCP_E_LIMIT = 20,
	/* A number outside its allowed range. */
	HCP_E_RANGE = 21,
	/* A required field is absent, zero or empty. */
	HCP_E_MISSING = 22,
	/* Fields that contradict each other. */
	HCP_E_CONFLICT = 23,
	/* A string field is not valid UTF-8. */
	HCP_E_UTF8 = 24,

	/* Resources and arguments. */
	/* The allocator failed or its budget is spent. */
	HCP_E_NOMEM = 30,
	/* The output buffer is too small. */
	HCP_E_BUFFER = 31,
	/* An argument is invalid (NULL, out of range). */
	HCP_E_ARG = 32,

	/* Backoff: the attempt budget is spent; do not reconnect. */
	HCP_E_BUDGET = 40,

	/* Resume tokens and grants (hcp_token.h): one code per refusal
	 * reason, in the order a server checks them. */
	/* Shorter or longer than any token. */
	HCP_E_TOKEN_SIZE = 50,
	/* A version this server cannot open. */
	HCP_E_TOKEN_VERSION = 51,
	/* No key with this key id. */
	HCP_E_TOKEN_KEY_UNKNOWN = 52,
	/* The key no longer opens tokens. */
	HCP_E_TOKEN_KEY_RETIRED = 53,
	/* Authentication failed. */
	HCP_E_TOKEN_FORGED = 54,
	/* Authentic, but the contents do not parse. */
	HCP_E_TOKEN_MALFORMED = 55,
	/* Past its expiry on the server's clock. */
	HCP_E_TOKEN_EXPIRED = 56,
	/* Issued later than now plus the skew. */
	HCP_E_TOKEN_NOT_YET_VALID = 57,
	/* Bound to another principal. */
	HCP_E_TOKEN_PRINCIPAL = 58,
	/* Already used, outside the grace window. */
	HCP_E_TOKEN_REUSED = 59,
	/* The grant does not cover this stream. */
	HCP_E_GRANT_STREAM = 60,
} hcp_error;

/* A short, constant description of an error code. Never NULL; an unknown
 * value gives "unknown error". */
const char *hcp_strerror(hcp_error err);

/* The error class name of spec section "Errors" ("incomplete",
 * "framing", "too_large", "wire", "limit", "range", "missing",
 * "conflict", "utf8", ...), as the conformance vectors spell it. Never
 * NULL. */
const char *hcp_error_class(hcp_error err);

/* ------------------------------------------------------------------------
 * Limits (spec section "Limits")
 *
 * Sizes are in bytes of the encoded field, without any terminator. The
 * nanopb options file proto/hcp/v1/hcp.options carries the same numbers.
 * ---------------------------------------------------------------------- */

/* The default and ceiling of max_frame_size, and the smallest value a
 * peer may announce. */
#define HCP_MAX_FRAME_SIZE 16384
#define HCP_MIN_FRAME_SIZE 8192

#define HCP_MAX_CREDENTIALS_SIZE  2048 /* Connect.credentials */
#define HCP_MAX_RESUME_TOKEN_SIZE 1024 /* resume tokens, everywhere */
#define HCP_MAX_SESSION_ID_SIZE   64   /* Welcome.session_id */
#define HCP_MAX_STREAM_NAME_SIZE  128  /* every stream name */
#define HCP_MAX_REASON_TEXT_SIZE  123  /* reason_text: fits a WebSocket close */
#define HCP_MAX_ENDPOINT_SIZE     256  /* Endpoint.url */
#define HCP_MAX_REDIRECTS         4    /* Endpoint entries per frame */
#define HCP_MAX_RESUME_STREAMS    16   /* cursors and outcomes per frame */
#define HCP_MAX_GRANT_SIZE        512  /* Subscribe.grant */
#define HCP_MAX_PAYLOAD_SIZE      16000 /* StreamMessage.payload */

/* Ranges of numeric fields. */
#define HCP_MAX_DELAY_MS            3600000u /* any delay, window or hint value */
#define HCP_MAX_DEADLINE_MS         600000u    /* Notice.deadline_ms */
#define HCP_MAX_RESUME_TOKEN_TTL_MS 604800000u /* 7 days */
#define HCP_MIN_HEARTBEAT_MS        1000u
#define HCP_MAX_HEARTBEAT_MS        600000u
#define HCP_MAX_SUBSCRIBE_WINDOW    100u
#define HCP_MIN_MULTIPLIER_MILLI    1000u
#define HCP_MAX_MULTIPLIER_MILLI    10000u
#define HCP_MAX_ATTEMPT_BUDGET      10000u

/* Defaults for fields left at zero. */
#define HCP_DEFAULT_HEARTBEAT_MS             25000u
#define HCP_DEFAULT_SUBSCRIBE_WINDOW         1u
#define HCP_DEFAULT_BACKOFF_BASE_MS          500u
#define HCP_DEFAULT_BACKOFF_CAP_MS           30000u
#define HCP_DEFAULT_BACKOFF_MULTIPLIER_MILLI 2000u
#define HCP_DEFAULT_BACKOFF_STABLE_MS        30000u

/* ------------------------------------------------------------------------
 * Reason codes (spec section "Reason codes")
 *
 * A reason code's hundreds digit is its class; a receiver that does not
 * know a code acts on its class. In each class, x00..x49 are defined by
 * HCP and x50..x99 by applications. Codes outside 100..499 (other than 0,
 * which means "no reason") are reserved and act as HCP_CLASS_RECONNECT.
 * ---------------------------------------------------------------------- */

typedef enum hcp_reason_class {
	HCP_CLASS_NONE = 0,      /* code 0: no reason given */
	HCP_CLASS_RECONNECT = 1, /* reconnect with backoff, same endpoint */
	HCP_CLASS_ELSEWHERE = 2, /* reconnect with backoff, another endpoint */
	HCP_CLASS_REAUTH = 3,    /* refresh credentials, then reconnect */
	HCP_CLASS_STOP = 4,      /* never reconnect automatically */
} hcp_reason_class;

enum {
	/* Reconnect with backoff. */
	HCP_REASON_RECONNECT = 100,
	HCP_REASON_SERVER_RESTART = 101,
	HCP_REASON_OVERLOADED = 102,
	HCP_REASON_DEPLOY = 103,
	HCP_REASON_HEARTBEAT_TIMEOUT = 104,
	HCP_REASON_MAX_CONNECTION_AGE = 105,
	HCP_REASON_SUBSCRIBE_TIMEOUT = 106,
	HCP_REASON_TRANSPORT_ERROR = 107,
	/* Reconnect elsewhere. */
	HCP_REASON_GOING_AWAY = 200,
	HCP_REASON_NODE_DRAINING = 201,
	HCP_REASON_REBALANCE = 202,
	HCP_REASON_REDIRECT = 203,
	/* Refresh credentials first. */
	HCP_REASON_CREDENTIALS_REQUIRED = 300,
	HCP_REASON_CREDENTIALS_EXPIRED = 301,
	HCP_REASON_CREDENTIALS_INVALID = 302,
	HCP_REASON_RESUME_TOKEN_INVALID = 310,
	HCP_REASON_RESUME_TOKEN_EXPIRED = 311,
	HCP_REASON_RESUME_TOKEN_REUSED = 312,
	HCP_REASON_RESUME_PRINCIPAL_MISMATCH = 313,
	HCP_REASON_RESUME_SESSION_UNKNOWN = 314,
	HCP_REASON_GRANT_INVALID = 320,
	HCP_REASON_GRANT_EXPIRED = 321,
	/* Never reconnect automatically. */
	HCP_REASON_NORMAL = 400,
	HCP_REASON_FORBIDDEN = 401,
	HCP_REASON_PROTOCOL_ERROR = 402,
	HCP_REASON_UNSUPPORTED_VERSION = 403,
	HCP_REASON_SESSION_TAKEN_OVER = 404,
	HCP_REASON_FRAME_TOO_LARGE = 405,
	HCP_REASON_POLICY_VIOLATION = 406,
	HCP_REASON_STREAM_FORBIDDEN = 410,
	HCP_REASON_STREAM_NOT_FOUND = 411,
};

/* The class of a reason code, known or not. */
hcp_reason_class hcp_reason_class_of(uint32_t reason);

/* The WebSocket close code that carries a reason code (spec section
 * "WebSocket close codes"). */
uint16_t hcp_reason_to_ws_close(uint32_t reason);

/* The reason code a client assumes when only a WebSocket close code
 * arrived. */
uint32_t hcp_reason_from_ws_close(uint16_t close_code);

/* ------------------------------------------------------------------------
 * Byte-stream framing (spec section "Framing")
 *
 * On a byte stream each frame is preceded by its length as a minimal
 * base-128 varint. The reader splits a stream into frames as bytes arrive,
 * in chunks of any size. A frame that lies whole inside the chunk is
 * returned as a pointer into the chunk (no copy); a frame split across
 * chunks is gathered in the caller's buffer, which must hold the maximum
 * frame size. The reader never allocates and never reads past a chunk.
 * ---------------------------------------------------------------------- */

/* The largest length prefix, in bytes, for any frame size this codec
 * accepts. */
#define HCP_MAX_PREFIX_SIZE 3

typedef struct hcp_reader {
	/* Private: use only through the functions below. */
	uint8_t *buf;
	size_t buf_cap;
	size_t max_frame;
	size_t have;      /* bytes of the current frame gathered in buf */
	size_t frame_len; /* length of the current frame, once known */
	uint32_t prefix;  /* length prefix decoded so far */
	unsigned prefix_bytes;
	int state;
	hcp_error sticky; /* a malformed stream stays malformed */
} hcp_reader;

/* Prepares a reader for frames of at most max_frame bytes
 * (HCP_MIN_FRAME_SIZE..HCP_MAX_FRAME_SIZE, or a smaller value for tests;
 * 0 or more than HCP_MAX_FRAME_SIZE is HCP_E_ARG). buf must hold at least
 * max_frame bytes and outlive the reader. Returns HCP_OK or HCP_E_ARG. */
HCP_NODISCARD hcp_error hcp_reader_init(hcp_reader *r, uint8_t *buf,
                                        size_t buf_cap, size_t max_frame);

/* Takes bytes from *data (of *len bytes) until one frame is whole.
 * On HCP_OK, *frame and *frame_len describe the frame: a pointer into the
 * chunk when the frame's bytes all lie in it, else into the reader's
 * buffer, valid until the next call; *data and *len are advanced past what
 * was consumed. Call again with the rest of the chunk until it returns
 * HCP_E_INCOMPLETE: then every byte was consumed and more are needed.
 * HCP_E_FRAMING (a non-minimal prefix) and HCP_E_TOO_LARGE (a prefix
 * larger than max_frame, reported at the first prefix byte that proves
 * it) are final: every later call returns the same error, since the
 * stream cannot be resynchronised; close the connection. */
HCP_NODISCARD hcp_error hcp_reader_next(hcp_reader *r, const uint8_t **data,
                                        size_t *len, const uint8_t **frame,
                                        size_t *frame_len);

/* Writes the length prefix for a frame of frame_len bytes into out (of
 * out_cap bytes); *written gets the prefix size. Returns HCP_OK,
 * HCP_E_TOO_LARGE or HCP_E_BUFFER. */
HCP_NODISCARD hcp_error hcp_prefix_write(size_t frame_len, uint8_t *out,
                                         size_t out_cap, size_t *written);

/* ------------------------------------------------------------------------
 * Reference backoff algorithm (spec section "Backoff")
 *
 * Everything is integer arithmetic on a 32-bit uniform random value that
 * the caller supplies, so every implementation computes the same delay for
 * the same input.
 * ---------------------------------------------------------------------- */

typedef enum hcp_jitter {
	HCP_JITTER_FULL = 1,
	HCP_JITTER_EQUAL = 2,
} hcp_jitter;

/* Backoff parameters with defaults applied. */
typedef struct hcp_backoff {
	uint32_t base_ms;
	uint32_t cap_ms;
	uint32_t multiplier_milli;
	hcp_jitter jitter;
	uint32_t floor_ms;
	uint32_t stable_ms;
	uint32_t attempt_budget; /* 0 = unlimited */
} hcp_backoff;

/* A BackoffHint as plain numbers, as either backend decodes it. Zero
 * fields take their defaults; jitter is the wire value (0, 1, 2 or
 * unknown). */
typedef struct hcp_backoff_hint {
	uint32_t base_ms;
	uint32_t cap_ms;
	uint32_t multiplier_milli;
	uint32_t jitter;
	uint32_t floor_ms;
	uint32_t stable_ms;
	uint32_t attempt_budget;
} hcp_backoff_hint;

/* The parameters a client uses when no hint was received. */
void hcp_backoff_defaults(hcp_backoff *out);

/* Applies a received hint: zero fields take the defaults, an unknown jitter
 * mode becomes full jitter. hint may be NULL (defaults only). A decoded
 * hint has passed validation already; for others, out-of-range values
 * give HCP_E_RANGE and a cap below the base HCP_E_CONFLICT, leaving *out
 * at the defaults. */
HCP_NODISCARD hcp_error hcp_backoff_from_hint(const hcp_backoff_hint *hint,
                                              hcp_backoff *out);

/* The delay before reconnect attempt number `attempt` (0 for the first
 * attempt after a connection ended), for the random value `random`.
 * Returns HCP_OK with *delay_ms set, or HCP_E_BUDGET when the attempt
 * budget is spent (then *delay_ms is 0 and the client must not
 * reconnect automatically), or HCP_E_ARG for parameters outside the
 * ranges hcp_backoff_from_hint() produces (base 0, cap below base, ...). */
HCP_NODISCARD hcp_error hcp_backoff_delay(const hcp_backoff *b,
                                          uint32_t attempt, uint32_t random,
                                          uint32_t *delay_ms);

/* The attempt number for the next reconnect after a connection that
 * lasted lifetime_ms ended: 0 if it was stable (lifetime_ms >= stable_ms),
 * otherwise attempt + 1 (saturating). A connection that never completed
 * its handshake has lifetime_ms 0. */
uint32_t hcp_backoff_next_attempt(const hcp_backoff *b, uint32_t attempt,
                                  uint32_t lifetime_ms);

/* The reconnect moment inside a notice's window, relative to receipt:
 * uniform over not_before_ms..not_after_ms inclusive, for the random value
 * `random`. Returns HCP_OK, or HCP_E_CONFLICT when not_before_ms >
 * not_after_ms. */
HCP_NODISCARD hcp_error hcp_window_pick(uint32_t not_before_ms,
                                        uint32_t not_after_ms, uint32_t random,
                                        uint32_t *delay_ms);

#ifdef __cplusplus
}
#endif

#endif /* HCP_H */

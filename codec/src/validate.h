/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.h: the one validation layer both backends share (internal).
 *
 * A frame is checked in two places, both written once here:
 *   - hcp_wire_check() walks the encoded bytes against a table of the
 *     schema before any runtime decodes them. It decides every rule that
 *     the two protobuf runtimes would otherwise answer differently: wire
 *     well-formedness ([HCP-WIRE-5]), the byte limit of every string and
 *     bytes field ([HCP-LIMIT-1]) and UTF-8 ([HCP-WIRE-6]).
 *   - hcp_validate_view() checks a decoded frame through a neutral view
 *     that each backend fills from its own structs: every limit, then
 *     UTF-8 of every string, then the other codec-level rules message by
 *     message, as the spec's reference order puts them ([HCP-WIRE-15]).
 * The encoders call hcp_validate_view() only (there are no bytes yet).
 * Nothing here allocates; the view points into the backend's structs.
 */
#ifndef HCP_VALIDATE_H
#define HCP_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"

/* Field numbers of Frame.body: the view's body tag. */
enum {
	HCP_BODY_NONE = 0,
	HCP_BODY_CONNECT = 1,
	HCP_BODY_WELCOME = 2,
	HCP_BODY_BUSY = 3,
	HCP_BODY_PING = 4,
	HCP_BODY_PONG = 5,
	HCP_BODY_NOTICE = 6,
	HCP_BODY_CLOSE = 7,
	HCP_BODY_SUBSCRIBE = 8,
	HCP_BODY_SUBSCRIBE_ACK = 9,
	HCP_BODY_UNSUBSCRIBE = 10,
	HCP_BODY_MESSAGE = 11,
};

/* A string or bytes field: its bytes and length, no terminator counted. */
typedef struct hcp_vbytes {
	const uint8_t *p;
	size_t n;
} hcp_vbytes;

typedef struct hcp_vhint {
	bool present;
	hcp_backoff_hint h;
} hcp_vhint;

typedef struct hcp_vwindow {
	bool present;
	uint32_t not_before_ms;
	uint32_t not_after_ms;
} hcp_vwindow;

/* A repeated field keeps its true count; only the first entries up to the
 * limit are filled, since a count over the limit fails before any entry is
 * read. */
typedef struct hcp_vendpoints {
	size_t count;
	hcp_vbytes url[HCP_MAX_REDIRECTS];
} hcp_vendpoints;

typedef struct hcp_voutcome {
	hcp_vbytes stream;
	int32_t status;
	uint32_t reason;
} hcp_voutcome;

typedef struct hcp_view {
	unsigned body;
	union {
		struct {
			uint32_t version;
			hcp_vbytes credentials;
			uint32_t max_frame_size;
			bool has_resume;
			hcp_vbytes token;
			size_t n_streams;
			hcp_vbytes stream[HCP_MAX_RESUME_STREAMS];
		} connect;
		struct {
			uint32_t version;
			hcp_vbytes session_id;
			hcp_vbytes resume_token;
			uint32_t resume_token_ttl_ms;
			uint32_t heartbeat_interval_ms;
			uint32_t max_frame_size;
			uint32_t subscribe_window;
			bool has_resume;
			int32_t resume_status;
			uint32_t resume_reason;
			size_t n_outcomes;
			hcp_voutcome outcome[HCP_MAX_RESUME_STREAMS];
			hcp_vhint backoff;
		} welcome;
		struct {
			uint32_t reason;
			hcp_vbytes reason_text;
			hcp_vwindow retry;
			hcp_vhint backoff;
			hcp_vendpoints redirect;
		} busy;
		struct {
			uint32_t reason;
			hcp_vbytes reason_text;
			uint32_t deadline_ms;
			hcp_vwindow window;
			bool has_assigned_delay;
			uint32_t assigned_delay_ms;
			hcp_vendpoints redirect;
			hcp_vbytes resume_token;
			uint32_t resume_token_ttl_ms;
			int32_t scope;
			hcp_vhint backoff;
		} notice;
		struct {
			uint32_t reason;
			hcp_vbytes reason_text;
			hcp_vhint backoff;
		} close;
		struct {
			uint32_t request_id;
			hcp_vbytes stream;
			hcp_vbytes grant;
		} subscribe;
		struct {
			uint32_t request_id;
			int32_t status;
			uint32_t reason;
			uint32_t window;
			hcp_vhint backoff;
		} subscribe_ack;
		struct {
			hcp_vbytes stream;
		} unsubscribe;
		struct {
			hcp_vbytes stream;
			bool has_position;
			hcp_vbytes payload;
		} message;
	} u;
} hcp_view;

/* Checks encoded bytes against the schema: HCP_OK, HCP_E_WIRE (anywhere
 * in the frame, first), else HCP_E_LIMIT (a string or bytes field over its
 * byte limit, or a repeated field with more entries than its limit once
 * merged), else HCP_E_UTF8. When rewrite is not
 * NULL, it is set when the frame carries unknown fields, a key or length
 * in more than 5 bytes, or a non-repeated submessage field more than once
 * in one message (input that must be merged, [HCP-WIRE-8]):
 * hcp_wire_canonical() turns such input into the form every runtime
 * parses alike. */
hcp_error hcp_wire_check(const uint8_t *data, size_t len, bool *rewrite);

/* Checks a decoded frame: limits, then UTF-8, then the remaining rules.
 * HCP_E_ARG for a negative enum value (only a caller can build one). */
hcp_error hcp_validate_view(const hcp_view *v);

/* True when p[0..n) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
bool hcp_utf8_valid(const uint8_t *p, size_t n);

/* Re-encodes a frame as the canonical encoding of the same message
 * ([HCP-WIRE-7]): unknown fields dropped, each field once in field-number
 * order, the occurrences of a non-repeated submessage merged as protobuf
 * merges them, the last value of a scalar kept. data must have passed
 * hcp_wire_check(). Returns HCP_E_LIMIT when a repeated field of a merged
 * message is over its limit. The output is never longer than the input,
 * but is written in one pass that runs ahead of its final place by at
 * most two bytes per nesting level: out must hold len +
 * HCP_WIRE_CANON_SLACK bytes. len is at most HCP_MAX_FRAME_SIZE. */
#define HCP_WIRE_CANON_SLACK 16

hcp_error hcp_wire_canonical(const uint8_t *data, size_t len, uint8_t *out,
                             size_t *written);

#endif /* HCP_VALIDATE_H */

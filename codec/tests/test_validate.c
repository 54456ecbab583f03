/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_validate.c: every codec-level rule of the spec, at its bound and
 * one past it, on both backends.
 *
 * Each rule case takes a valid frame, breaks (or stretches) exactly one
 * rule, and checks three verdicts: hcp_nanopb_validate() on the struct,
 * and hcp_nanopb_decode() and hcp_pbc_decode() on the bytes that nanopb's
 * plain encoder makes of it. The limit cases write raw bytes, since an
 * over-limit field does not fit nanopb's arrays. Expected codes are the
 * classes the spec names for each rule; the requirement IDs are in the
 * comment beside each case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "hcp/hcp_nanopb.h"
#include "hcp/hcp_pbc.h"
#include "validate.h"

#define CONNECT   hcp_v1_Frame_connect_tag
#define WELCOME   hcp_v1_Frame_welcome_tag
#define BUSY      hcp_v1_Frame_busy_tag
#define NOTICE    hcp_v1_Frame_notice_tag
#define CLOSE     hcp_v1_Frame_close_tag
#define SUBSCRIBE hcp_v1_Frame_subscribe_tag
#define ACK       hcp_v1_Frame_subscribe_ack_tag
#define UNSUB     hcp_v1_Frame_unsubscribe_tag
#define MESSAGE   hcp_v1_Frame_message_tag
#define PING      hcp_v1_Frame_ping_tag

#define C f->body.connect
#define W f->body.welcome
#define B f->body.busy
#define N f->body.notice
#define A f->body.subscribe_ack

/* name, body, full frame?, expected, mutation */
#define RULES(X)                                                               \
	/* [HCP-CONN-2] */                                                     \
	X(conn2_version_zero, CONNECT, 1, HCP_E_MISSING, C.version = 0)        \
	/* [HCP-FRAME-5] */                                                    \
	X(frame5_connect_8191, CONNECT, 1, HCP_E_RANGE,                        \
	  C.max_frame_size = 8191)                                             \
	X(frame5_connect_8192, CONNECT, 1, HCP_OK, C.max_frame_size = 8192)    \
	X(frame5_connect_16385, CONNECT, 1, HCP_E_RANGE,                       \
	  C.max_frame_size = 16385)                                            \
	X(frame5_connect_1, CONNECT, 0, HCP_E_RANGE, C.max_frame_size = 1)     \
	X(frame5_welcome_16385, WELCOME, 1, HCP_E_RANGE,                       \
	  W.max_frame_size = 16385)                                            \
	X(frame5_welcome_16384, WELCOME, 1, HCP_OK, W.max_frame_size = 16384)  \
	/* [HCP-RESUME-2] */                                                   \
	X(resume2_empty_token, CONNECT, 1, HCP_E_MISSING,                      \
	  C.resume.token.size = 0)                                             \
	/* [HCP-LIMIT-5] empty cursor stream */                                \
	X(limit5_cursor_empty, CONNECT, 1, HCP_E_MISSING,                      \
	  C.resume.streams[15].stream[0] = 0)                                  \
	/* [HCP-CONN-4] */                                                     \
	X(conn4_version_zero, WELCOME, 1, HCP_E_MISSING, W.version = 0)        \
	/* [HCP-LIMIT-4] */                                                    \
	X(limit4_session_empty, WELCOME, 0, HCP_E_MISSING,                     \
	  W.session_id[0] = 0)                                                 \
	/* [HCP-RESUME-1] */                                                   \
	X(resume1_ttl_without_token, WELCOME, 1, HCP_E_CONFLICT,               \
	  W.resume_token.size = 0)                                             \
	X(resume1_token_without_ttl, WELCOME, 1, HCP_E_CONFLICT,               \
	  W.resume_token_ttl_ms = 0)                                           \
	X(resume1_neither, WELCOME, 1, HCP_OK, W.resume_token_ttl_ms = 0;      \
	  W.resume_token.size = 0)                                             \
	X(resume1_ttl_over, WELCOME, 1, HCP_E_RANGE,                           \
	  W.resume_token_ttl_ms = HCP_MAX_RESUME_TOKEN_TTL_MS + 1)             \
	X(resume1_notice_ttl_over, NOTICE, 1, HCP_E_RANGE,                     \
	  N.resume_token_ttl_ms = HCP_MAX_RESUME_TOKEN_TTL_MS + 1)             \
	X(resume1_notice_token_only, NOTICE, 1, HCP_E_CONFLICT,                \
	  N.resume_token_ttl_ms = 0)                                           \
	/* [HCP-CONN-5] */                                                     \
	X(conn5_heartbeat_999, WELCOME, 1, HCP_E_RANGE,                        \
	  W.heartbeat_interval_ms = 999)                                       \
	X(conn5_heartbeat_1000, WELCOME, 1, HCP_OK,                            \
	  W.heartbeat_interval_ms = 1000)                                      \
	X(conn5_heartbeat_600001, WELCOME, 1, HCP_E_RANGE,                     \
	  W.heartbeat_interval_ms = 600001)                                    \
	X(conn5_heartbeat_0, WELCOME, 1, HCP_OK, W.heartbeat_interval_ms = 0)  \
	/* [HCP-SUB-4] */                                                      \
	X(sub4_welcome_window_101, WELCOME, 1, HCP_E_RANGE,                    \
	  W.subscribe_window = 101)                                            \
	X(sub4_ack_window_101, ACK, 1, HCP_E_RANGE, A.window = 101)            \
	/* [HCP-RESUME-3] */                                                   \
	X(resume3_status_zero, WELCOME, 1, HCP_E_MISSING, W.resume.status = 0) \
	/* [HCP-RESUME-4] */                                                   \
	X(resume4_refused_no_reason, WELCOME, 1, HCP_E_MISSING,                \
	  W.resume.status = 3;                                                 \
	  W.resume.reason = 0; W.resume.streams_count = 0)                     \
	X(resume4_refused_outcomes, WELCOME, 1, HCP_E_CONFLICT,                \
	  W.resume.status = 3)                                                 \
	X(resume4_refused_ok, WELCOME, 1, HCP_OK, W.resume.status = 3;         \
	  W.resume.streams_count = 0)                                          \
	/* [HCP-RESUME-5] */                                                   \
	X(resume5_partial_empty, WELCOME, 1, HCP_E_MISSING,                    \
	  W.resume.streams_count = 0)                                          \
	X(resume5_resumed_empty, WELCOME, 1, HCP_OK, W.resume.status = 1;      \
	  W.resume.streams_count = 0)                                          \
	/* [HCP-RESUME-6] */                                                   \
	X(resume6_outcome_status_zero, WELCOME, 1, HCP_E_MISSING,              \
	  W.resume.streams[3].status = 0)                                      \
	X(resume6_lost_no_reason, WELCOME, 1, HCP_E_MISSING,                   \
	  W.resume.streams[0].reason = 0)                                      \
	X(resume6_reset_no_reason, WELCOME, 1, HCP_OK,                         \
	  W.resume.streams[0].reason = 0;                                      \
	  W.resume.streams[0].status = 2)                                      \
	/* [HCP-LIMIT-5] empty outcome stream */                               \
	X(limit5_outcome_empty, WELCOME, 1, HCP_E_MISSING,                     \
	  W.resume.streams[2].stream[0] = 0)                                   \
	/* [HCP-BUSY-1] */                                                     \
	X(busy1_reason_zero, BUSY, 1, HCP_E_MISSING, B.reason = 0)             \
	/* [HCP-NOTICE-3] */                                                   \
	X(notice3_busy_retry_reversed, BUSY, 1, HCP_E_CONFLICT,                \
	  B.retry.not_before_ms = 5;                                           \
	  B.retry.not_after_ms = 4)                                            \
	X(notice3_busy_retry_over, BUSY, 1, HCP_E_RANGE,                       \
	  B.retry.not_after_ms = HCP_MAX_DELAY_MS + 1)                         \
	X(notice3_window_equal, NOTICE, 1, HCP_OK,                             \
	  N.timing.window.not_before_ms = 7;                                   \
	  N.timing.window.not_after_ms = 7)                                    \
	X(notice3_window_reversed, NOTICE, 1, HCP_E_CONFLICT,                  \
	  N.timing.window.not_before_ms = 8;                                   \
	  N.timing.window.not_after_ms = 7)                                    \
	X(notice3_window_over, NOTICE, 1, HCP_E_RANGE,                         \
	  N.timing.window.not_after_ms = HCP_MAX_DELAY_MS + 1)                 \
	/* [HCP-LIMIT-7] empty url */                                          \
	X(limit7_busy_url_empty, BUSY, 1, HCP_E_MISSING,                       \
	  B.redirect[3].url[0] = 0)                                            \
	X(limit7_notice_url_empty, NOTICE, 1, HCP_E_MISSING,                   \
	  N.redirect[0].url[0] = 0)                                            \
	/* [HCP-NOTICE-1] */                                                   \
	X(notice1_reason_zero, NOTICE, 0, HCP_E_MISSING, N.reason = 0)         \
	/* [HCP-NOTICE-2] */                                                   \
	X(notice2_deadline_over, NOTICE, 1, HCP_E_RANGE,                       \
	  N.deadline_ms = HCP_MAX_DEADLINE_MS + 1)                             \
	/* [HCP-NOTICE-4] */                                                   \
	X(notice4_assigned_max, NOTICE, 1, HCP_OK,                             \
	  N.which_timing = hcp_v1_Notice_assigned_delay_ms_tag;                \
	  N.timing.assigned_delay_ms = HCP_MAX_DELAY_MS)                       \
	X(notice4_assigned_over, NOTICE, 1, HCP_E_RANGE,                       \
	  N.which_timing = hcp_v1_Notice_assigned_delay_ms_tag;                \
	  N.timing.assigned_delay_ms = HCP_MAX_DELAY_MS + 1)                   \
	X(notice4_assigned_zero, NOTICE, 0, HCP_OK,                            \
	  N.which_timing = hcp_v1_Notice_assigned_delay_ms_tag)                \
	/* [HCP-NOTICE-5] */                                                   \
	X(notice5_stop_window, NOTICE, 0, HCP_E_CONFLICT, N.reason = 400;      \
	  N.which_timing = hcp_v1_Notice_window_tag)                           \
	X(notice5_stop_assigned, NOTICE, 0, HCP_E_CONFLICT, N.reason = 499;    \
	  N.which_timing = hcp_v1_Notice_assigned_delay_ms_tag)                \
	X(notice5_stop_redirect, NOTICE, 0, HCP_E_CONFLICT, N.reason = 401;    \
	  N.redirect_count = 1; strcpy(N.redirect[0].url, "u"))                \
	X(notice5_stop_token, NOTICE, 0, HCP_E_CONFLICT, N.reason = 404;       \
	  N.resume_token.size = 1; N.resume_token_ttl_ms = 1)                  \
	X(notice5_stop_plain, NOTICE, 1, HCP_OK, N.reason = 400;               \
	  N.which_timing = 0; N.redirect_count = 0; N.resume_token.size = 0;   \
	  N.resume_token_ttl_ms = 0)                                           \
	X(notice5_reauth_window, NOTICE, 1, HCP_OK, N.reason = 301)            \
	X(notice5_reserved_code, NOTICE, 1, HCP_OK, N.reason = 500)            \
	/* [HCP-CONN-6] */                                                     \
	X(conn6_reason_zero, CLOSE, 1, HCP_E_MISSING,                          \
	  f->body.close.reason = 0)                                            \
	/* [HCP-SUB-1] */                                                      \
	X(sub1_request_zero, SUBSCRIBE, 1, HCP_E_MISSING,                      \
	  f->body.subscribe.request_id = 0)                                    \
	/* [HCP-LIMIT-5] */                                                    \
	X(limit5_subscribe_empty, SUBSCRIBE, 0, HCP_E_MISSING,                 \
	  f->body.subscribe.stream[0] = 0)                                     \
	X(limit5_unsubscribe_empty, UNSUB, 0, HCP_E_MISSING,                   \
	  f->body.unsubscribe.stream[0] = 0)                                   \
	X(limit5_message_empty, MESSAGE, 0, HCP_E_MISSING,                     \
	  f->body.message.stream[0] = 0)                                       \
	/* [HCP-SUB-2] */                                                      \
	X(sub2_ack_request_zero, ACK, 0, HCP_E_MISSING, A.request_id = 0)      \
	X(sub2_ack_status_zero, ACK, 0, HCP_E_MISSING, A.status = 0)           \
	/* [HCP-SUB-3] */                                                      \
	X(sub3_rejected_no_reason, ACK, 0, HCP_E_MISSING, A.status = 3)        \
	X(sub3_retry_no_reason, ACK, 1, HCP_E_MISSING, A.reason = 0)           \
	X(sub3_recovered_no_reason, ACK, 0, HCP_OK, A.status = 2)              \
	/* [HCP-SUB-7] */                                                      \
	X(sub7_no_position, MESSAGE, 1, HCP_E_MISSING,                         \
	  f->body.message.has_position = false)                                \
	/* [HCP-BACKOFF-1] */                                                  \
	X(backoff1_base_over, WELCOME, 1, HCP_E_RANGE,                         \
	  W.backoff.base_ms = HCP_MAX_DELAY_MS + 1)                            \
	X(backoff1_cap_over, BUSY, 1, HCP_E_RANGE,                             \
	  B.backoff.cap_ms = HCP_MAX_DELAY_MS + 1)                             \
	X(backoff1_floor_over, NOTICE, 1, HCP_E_RANGE,                         \
	  N.backoff.floor_ms = HCP_MAX_DELAY_MS + 1)                           \
	X(backoff1_stable_over, CLOSE, 1, HCP_E_RANGE,                         \
	  f->body.close.backoff.stable_ms = HCP_MAX_DELAY_MS + 1)              \
	X(backoff1_mult_999, ACK, 1, HCP_E_RANGE,                              \
	  A.backoff.multiplier_milli = 999)                                    \
	X(backoff1_mult_1000, ACK, 1, HCP_OK,                                  \
	  A.backoff.multiplier_milli = 1000)                                   \
	X(backoff1_mult_10001, ACK, 1, HCP_E_RANGE,                            \
	  A.backoff.multiplier_milli = 10001)                                  \
	X(backoff1_mult_zero, ACK, 1, HCP_OK, A.backoff.multiplier_milli = 0)  \
	X(backoff1_budget_over, WELCOME, 1, HCP_E_RANGE,                       \
	  W.backoff.attempt_budget = HCP_MAX_ATTEMPT_BUDGET + 1)               \
	/* [HCP-BACKOFF-2] */                                                  \
	X(backoff2_cap_below_base, WELCOME, 1, HCP_E_CONFLICT,                 \
	  W.backoff.base_ms = 5000;                                            \
	  W.backoff.cap_ms = 4999)                                             \
	X(backoff2_cap_equal_base, WELCOME, 1, HCP_OK,                         \
	  W.backoff.base_ms = 5000;                                            \
	  W.backoff.cap_ms = 5000)                                             \
	X(backoff2_cap_zero, WELCOME, 1, HCP_OK, W.backoff.base_ms = 5000;     \
	  W.backoff.cap_ms = 0)                                                \
	/* [HCP-WIRE-4] unknown enum values are accepted */                    \
	X(wire4_unknown_jitter, CLOSE, 1, HCP_OK,                              \
	  f->body.close.backoff.jitter = (hcp_v1_JitterMode)7)                 \
	X(wire4_unknown_scope, NOTICE, 1, HCP_OK,                              \
	  N.scope = (hcp_v1_NoticeScope)9)                                     \
	X(wire4_unknown_resume_status, WELCOME, 1, HCP_OK,                     \
	  W.resume.status = (hcp_v1_ResumeStatus)9)                            \
	X(wire4_unknown_stream_status, WELCOME, 1, HCP_OK,                     \
	  W.resume.streams[1].status = (hcp_v1_StreamStatus)9;                 \
	  W.resume.streams[1].reason = 0)                                      \
	X(wire4_unknown_ack_status, ACK, 0, HCP_OK,                            \
	  A.status = (hcp_v1_SubscribeStatus)9)                                \
	/* [HCP-WIRE-3] [HCP-FRAME-7] an empty frame */                        \
	X(wire3_empty_frame, 0, 0, HCP_OK, (void)f)                            \
	X(ping_empty, PING, 0, HCP_OK, (void)f)

struct rule {
	const char *name;
	unsigned body;
	bool full;
	hcp_error expect;
	void (*mutate)(hcp_v1_Frame *f);
};

#define DEF(name, body, full, expect, ...)      \
	static void mut_##name(hcp_v1_Frame *f) \
	{                                       \
		__VA_ARGS__;                    \
	}
RULES(DEF)

#define ROW(name, body, full, expect, ...) \
	{ #name, body, full, expect, mut_##name },
static struct rule rules[] = { RULES(ROW) };

static hcp_v1_Frame frame;
static uint8_t bytes[HCP_MAX_FRAME_SIZE + 64];

static void check_bytes(const uint8_t *p, size_t n, hcp_error expect)
{
	struct both r;

	frames_decode_both(p, n, 0, &r);
	assert_int_equal(r.nanopb, expect);
	assert_int_equal(r.pbc, expect);
	assert_false(r.pbc_leak);
	if (expect == HCP_OK)
		assert_true(r.same);
}

static void run_rule(void **state)
{
	const struct rule *ru = *state;
	size_t n;

	frames_build(&frame, ru->body, ru->full);
	ru->mutate(&frame);
	assert_int_equal(hcp_nanopb_validate(&frame), ru->expect);
	n = frames_raw_encode(&frame, bytes, sizeof(bytes));
	assert_true(n > 0 || ru->body == 0 || ru->body == PING);
	check_bytes(bytes, n, ru->expect);
}

/* ---- limits, written as raw bytes ---------------------------------- */

/* The frame with one field of n bytes (or n entries), everything else
 * minimal and valid. */
static void limit_frame(wbuf *out, int which, size_t n)
{
	wbuf body;
	wbuf sub;
	wbuf el;
	size_t i;

	w_init(out);
	w_init(&body);
	w_init(&sub);
	switch (which) {
	case 2: /* [HCP-LIMIT-2] Connect.credentials */
		w_uint(&body, 1, 1);
		w_fill(&body, 3, 'c', n);
		w_sub(out, 1, &body);
		return;
	case 3: /* [HCP-LIMIT-3] ResumeRequest.token */
		w_uint(&body, 1, 1);
		w_fill(&sub, 1, 't', n);
		w_sub(&body, 7, &sub);
		w_sub(out, 1, &body);
		return;
	case 4: /* [HCP-LIMIT-4] Welcome.session_id */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', n);
		w_sub(out, 2, &body);
		return;
	case 5: /* [HCP-LIMIT-5] Subscribe.stream */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', n);
		w_sub(out, 8, &body);
		return;
	case 6: /* [HCP-LIMIT-6] Close.reason_text */
		w_uint(&body, 1, 400);
		w_fill(&body, 2, 'r', n);
		w_sub(out, 7, &body);
		return;
	case 7: /* [HCP-LIMIT-7] Endpoint.url in Busy */
		w_uint(&body, 1, 102);
		w_fill(&sub, 1, 'u', n);
		w_sub(&body, 5, &sub);
		w_sub(out, 3, &body);
		return;
	case 8: /* [HCP-LIMIT-8] Notice.redirect */
		w_uint(&body, 1, 200);
		w_init(&el);
		w_fill(&el, 1, 'u', 3);
		for (i = 0; i < n; i++)
			w_sub(&body, 6, &el);
		w_sub(out, 6, &body);
		return;
	case 9: /* [HCP-LIMIT-9] ResumeResult.streams */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', 1);
		w_uint(&sub, 1, 1);
		w_init(&el);
		w_fill(&el, 1, 'x', 1);
		w_uint(&el, 2, 1);
		for (i = 0; i < n; i++)
			w_sub(&sub, 3, &el);
		w_sub(&body, 9, &sub);
		w_sub(out, 2, &body);
		return;
	case 10: /* [HCP-LIMIT-10] Subscribe.grant */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', 1);
		w_fill(&body, 3, 'g', n);
		w_sub(out, 8, &body);
		return;
	case 11: /* [HCP-LIMIT-11] StreamMessage.payload */
		w_fill(&body, 1, 's', 1);
		w_sub(&body, 2, &sub);
		w_fill(&body, 3, 'p', n);
		w_sub(out, 11, &body);
		return;
	case 12: /* [HCP-LIMIT-5] StreamCursor.stream */
		w_uint(&body, 1, 1);
		w_fill(&sub, 1, 't', 1);
		w_init(&el);
		w_fill(&el, 1, 'x', n);
		w_sub(&sub, 2, &el);
		w_sub(&body, 7, &sub);
		w_sub(out, 1, &body);
		return;
	case 13: /* [HCP-LIMIT-9] ResumeRequest.streams */
		w_uint(&body, 1, 1);
		w_fill(&sub, 1, 't', 1);
		w_init(&el);
		w_fill(&el, 1, 'x', 1);
		for (i = 0; i < n; i++)
			w_sub(&sub, 2, &el);
		w_sub(&body, 7, &sub);
		w_sub(out, 1, &body);
		return;
	case 14: /* [HCP-LIMIT-3] Notice.resume_token */
		w_uint(&body, 1, 101);
		w_fill(&body, 7, 't', n);
		w_uint(&body, 8, 1000);
		w_sub(out, 6, &body);
		return;
	case 15: /* [HCP-LIMIT-6] Busy.reason_text */
		w_uint(&body, 1, 102);
		w_fill(&body, 2, 'r', n);
		w_sub(out, 3, &body);
		return;
	case 16: /* [HCP-LIMIT-8] Busy.redirect */
		w_uint(&body, 1, 102);
		w_init(&el);
		w_fill(&el, 1, 'u', 1);
		for (i = 0; i < n; i++)
			w_sub(&body, 5, &el);
		w_sub(out, 3, &body);
		return;
	case 17: /* [HCP-LIMIT-5] StreamOutcome.stream */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', 1);
		w_uint(&sub, 1, 1);
		w_init(&el);
		w_fill(&el, 1, 'x', n);
		w_uint(&el, 2, 1);
		w_sub(&sub, 3, &el);
		w_sub(&body, 9, &sub);
		w_sub(out, 2, &body);
		return;
	case 18: /* [HCP-LIMIT-3] Welcome.resume_token */
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', 1);
		w_fill(&body, 3, 't', n);
		w_uint(&body, 4, 1000);
		w_sub(out, 2, &body);
		return;
	case 19: /* [HCP-LIMIT-6] Notice.reason_text */
		w_uint(&body, 1, 101);
		w_fill(&body, 2, 'r', n);
		w_sub(out, 6, &body);
		return;
	case 20: /* [HCP-LIMIT-5] Unsubscribe.stream */
		w_fill(&body, 2, 's', n);
		w_sub(out, 10, &body);
		return;
	case 21: /* [HCP-LIMIT-5] StreamMessage.stream */
		w_fill(&body, 1, 's', n);
		w_sub(&body, 2, &sub);
		w_sub(out, 11, &body);
		return;
	default:
		fail();
	}
}

/* [HCP-LIMIT-1] every limit at its bound and one past it. */
static void limits_at_and_past(void **state)
{
	static const struct {
		int which;
		size_t bound;
	} lim[] = {
		{ 2, HCP_MAX_CREDENTIALS_SIZE },
		{ 3, HCP_MAX_RESUME_TOKEN_SIZE },
		{ 4, HCP_MAX_SESSION_ID_SIZE },
		{ 5, HCP_MAX_STREAM_NAME_SIZE },
		{ 6, HCP_MAX_REASON_TEXT_SIZE },
		{ 7, HCP_MAX_ENDPOINT_SIZE },
		{ 8, HCP_MAX_REDIRECTS },
		{ 9, HCP_MAX_RESUME_STREAMS },
		{ 10, HCP_MAX_GRANT_SIZE },
		{ 11, HCP_MAX_PAYLOAD_SIZE },
		{ 12, HCP_MAX_STREAM_NAME_SIZE },
		{ 13, HCP_MAX_RESUME_STREAMS },
		{ 14, HCP_MAX_RESUME_TOKEN_SIZE },
		{ 15, HCP_MAX_REASON_TEXT_SIZE },
		{ 16, HCP_MAX_REDIRECTS },
		{ 17, HCP_MAX_STREAM_NAME_SIZE },
		{ 18, HCP_MAX_RESUME_TOKEN_SIZE },
		{ 19, HCP_MAX_REASON_TEXT_SIZE },
		{ 20, HCP_MAX_STREAM_NAME_SIZE },
		{ 21, HCP_MAX_STREAM_NAME_SIZE },
	};
	static wbuf w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		limit_frame(&w, lim[i].which, lim[i].bound);
		assert_false(w.overflow);
		print_message("limit case %d: bound %zu\n", lim[i].which,
		              lim[i].bound);
		check_bytes(w.b, w.n, HCP_OK);
		limit_frame(&w, lim[i].which, lim[i].bound + 1);
		check_bytes(w.b, w.n, HCP_E_LIMIT);
		limit_frame(&w, lim[i].which, lim[i].bound + 100);
		check_bytes(w.b, w.n, HCP_E_LIMIT);
	}
}

/* [HCP-WIRE-6] invalid UTF-8 in every string field; valid edge forms. */
static void utf8_strings(void **state)
{
	static const struct {
		const char *s;
		size_t n;
		hcp_error e;
	} forms[] = {
		{ "\xc0\x80", 2, HCP_E_UTF8 },         /* overlong NUL */
		{ "\xc1\xbf", 2, HCP_E_UTF8 },         /* overlong */
		{ "\xe0\x80\xaf", 3, HCP_E_UTF8 },     /* overlong */
		{ "\xf0\x80\x80\xaf", 4, HCP_E_UTF8 }, /* overlong */
		{ "\xed\xa0\x80", 3, HCP_E_UTF8 },     /* surrogate D800 */
		{ "\xed\xbf\xbf", 3, HCP_E_UTF8 },     /* surrogate DFFF */
		{ "\xf4\x90\x80\x80", 4, HCP_E_UTF8 }, /* above U+10FFFF */
		{ "\xf5\x80\x80\x80", 4, HCP_E_UTF8 },
		{ "\xff", 1, HCP_E_UTF8 },
		{ "a\x80", 2, HCP_E_UTF8 },        /* lone continuation */
		{ "\xe2\x82", 2, HCP_E_UTF8 },     /* truncated */
		{ "\xe2\x28\xa1", 3, HCP_E_UTF8 }, /* bad continuation */
		{ "\xed\x9f\xbf", 3, HCP_OK },     /* U+D7FF */
		{ "\xee\x80\x80", 3, HCP_OK },     /* U+E000 */
		{ "\xf4\x8f\xbf\xbf", 4, HCP_OK }, /* U+10FFFF */
		{ "\xf0\x9f\x98\x80", 4, HCP_OK }, /* U+1F600 */
		{ "\x7f", 1, HCP_OK },
		{ "a\0b", 3, HCP_E_UTF8 }, /* U+0000 inside */
		{ "\0", 1, HCP_E_UTF8 },   /* U+0000 alone */
	};
	static const uint32_t body_field[][2] = {
		{ 8, 2 }, { 10, 2 }, { 11, 1 }, { 7, 2 }, { 3, 2 }, { 6, 2 },
	};
	size_t i;
	size_t k;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		for (k = 0; k < sizeof(body_field) / sizeof(body_field[0]);
		     k++) {
			wbuf body;
			wbuf out;
			wbuf pos;

			w_init(&body);
			w_init(&out);
			w_init(&pos);
			switch (body_field[k][0]) {
			case 8:
				w_uint(&body, 1, 1);
				break;
			case 7:
				w_uint(&body, 1, 400);
				break;
			case 3:
				w_uint(&body, 1, 102);
				break;
			case 6:
				w_uint(&body, 1, 101);
				break;
			default:
				break;
			}
			w_bytes(&body, body_field[k][1], forms[i].s,
			        forms[i].n);
			if (body_field[k][0] == 11)
				w_sub(&body, 2, &pos);
			w_sub(&out, body_field[k][0], &body);
			check_bytes(out.b, out.n, forms[i].e);
		}
	}
}

/* [HCP-WIRE-15] the reference order: wire, then limits, then UTF-8,
 * then the other rules ([HCP-WIRE-10] lets a decoder pick any class when
 * several rules are broken; both backends pick this one). */
static void reference_order(void **state)
{
	static wbuf out;
	wbuf body;

	(void)state;
	/* over-limit stream and bad UTF-8: limit */
	w_init(&out);
	w_init(&body);
	w_fill(&body, 2, 0xff, HCP_MAX_STREAM_NAME_SIZE + 1);
	w_sub(&out, 10, &body);
	check_bytes(out.b, out.n, HCP_E_LIMIT);
	/* bad UTF-8 first, an over-limit field after it: limit */
	w_init(&out);
	w_init(&body);
	w_fill(&body, 1, 0xff, 3);
	w_fill(&body, 3, 'p', HCP_MAX_PAYLOAD_SIZE + 1);
	w_sub(&out, 11, &body);
	check_bytes(out.b, out.n, HCP_E_LIMIT);
	/* an over-limit field, then a truncated one: wire */
	w_init(&out);
	w_init(&body);
	w_fill(&body, 2, 's', HCP_MAX_STREAM_NAME_SIZE + 5);
	w_sub(&out, 10, &body);
	w_key(&out, 4, 2);
	w_varint(&out, 5);
	check_bytes(out.b, out.n, HCP_E_WIRE);
	/* bad UTF-8 and a missing required field: utf8 */
	w_init(&out);
	w_init(&body);
	w_fill(&body, 2, 0xc0, 2);
	w_sub(&out, 7, &body); /* Close without reason */
	check_bytes(out.b, out.n, HCP_E_UTF8);
	/* a missing reason and a range error later in field order:
	 * missing comes first ([HCP-NOTICE-1] before [HCP-NOTICE-2]) */
	w_init(&out);
	w_init(&body);
	w_uint(&body, 3, HCP_MAX_DEADLINE_MS + 1);
	w_sub(&out, 6, &body);
	check_bytes(out.b, out.n, HCP_E_MISSING);
	/* 3 + 3 redirects in two occurrences of one Busy: merged, over */
	{
		wbuf el;
		int i;

		w_init(&out);
		w_init(&body);
		w_init(&el);
		w_uint(&body, 1, 102);
		w_fill(&el, 1, 'u', 1);
		for (i = 0; i < 3; i++)
			w_sub(&body, 5, &el);
		w_sub(&out, 3, &body);
		w_sub(&out, 3, &body);
		check_bytes(out.b, out.n, HCP_E_LIMIT);
		/* and with bad UTF-8 in the text as well: still limit */
		w_fill(&body, 2, 0xfe, 1);
		w_init(&out);
		w_sub(&out, 3, &body);
		w_sub(&out, 3, &body);
		check_bytes(out.b, out.n, HCP_E_LIMIT);
	}
}

/* ---- the wire check's schema table against protobuf-c's descriptors -- */

/* Wraps inner in the path of submessage fields, innermost last. */
static void wrap(wbuf *out, const uint32_t *path, size_t depth,
                 const wbuf *inner)
{
	static wbuf tmp[2];
	size_t i;
	int cur = 0;

	tmp[0] = *inner;
	for (i = depth; i > 0; i--) {
		w_init(&tmp[1 - cur]);
		w_sub(&tmp[1 - cur], path[i - 1], &tmp[cur]);
		cur = 1 - cur;
	}
	*out = tmp[cur];
}

static size_t fields_checked;

static void check_message(const ProtobufCMessageDescriptor *d, uint32_t *path,
                          size_t depth)
{
	static wbuf out;
	unsigned i;

	assert_true(depth < 8);
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		bool len_type = fd->type == PROTOBUF_C_TYPE_STRING ||
		                fd->type == PROTOBUF_C_TYPE_BYTES ||
		                fd->type == PROTOBUF_C_TYPE_MESSAGE;
		wbuf in;

		/* The declared wire type: not malformed. */
		w_init(&in);
		if (len_type)
			w_bytes(&in, fd->id, "", 0);
		else
			w_uint(&in, fd->id, 1);
		wrap(&out, path, depth, &in);
		if (hcp_wire_check(out.b, out.n, NULL) == HCP_E_WIRE)
			fail_msg("%s.%s: declared type refused", d->name,
			         fd->name);
		/* The other wire type: malformed, so the field is known to
		 * the table with the right kind. */
		w_init(&in);
		if (len_type)
			w_uint(&in, fd->id, 1);
		else
			w_bytes(&in, fd->id, "", 0);
		wrap(&out, path, depth, &in);
		if (hcp_wire_check(out.b, out.n, NULL) != HCP_E_WIRE)
			fail_msg("%s.%s: wrong wire type accepted", d->name,
			         fd->name);
		/* Strings are checked for UTF-8, bytes are not. */
		if (fd->type == PROTOBUF_C_TYPE_STRING ||
		    fd->type == PROTOBUF_C_TYPE_BYTES) {
			w_init(&in);
			w_bytes(&in, fd->id, "\xff", 1);
			wrap(&out, path, depth, &in);
			assert_int_equal(hcp_wire_check(out.b, out.n, NULL),
			                 fd->type == PROTOBUF_C_TYPE_STRING
			                         ? HCP_E_UTF8
			                         : HCP_OK);
		}
		fields_checked++;
		if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
			path[depth] = fd->id;
			check_message(fd->descriptor, path, depth + 1);
		}
	}
	/* A field number the message does not declare: skipped. */
	{
		wbuf in;

		w_init(&in);
		w_uint(&in, 1000, 1);
		wrap(&out, path, depth, &in);
		assert_int_equal(hcp_wire_check(out.b, out.n, NULL), HCP_OK);
	}
}

/* [HCP-WIRE-5] the hand-written schema table of the wire check knows
 * every field of every message, with its kind, as protoc-gen-c does. */
static void schema_table_matches_descriptors(void **state)
{
	uint32_t path[8];

	(void)state;
	fields_checked = 0;
	check_message(&hcp__v1__frame__descriptor, path, 0);
	print_message("%zu field paths checked\n", fields_checked);
	assert_true(fields_checked > 80);
}

int main(void)
{
	static struct CMUnitTest tests[sizeof(rules) / sizeof(rules[0]) + 4];
	size_t n = sizeof(rules) / sizeof(rules[0]);
	size_t i;

	for (i = 0; i < n; i++) {
		tests[i].name = rules[i].name;
		tests[i].test_func = run_rule;
		tests[i].setup_func = NULL;
		tests[i].teardown_func = NULL;
		tests[i].initial_state = &rules[i];
	}
	tests[n].name = "limits_at_and_past";
	tests[n].test_func = limits_at_and_past;
	tests[n + 1].name = "utf8_strings";
	tests[n + 1].test_func = utf8_strings;
	tests[n + 2].name = "reference_order";
	tests[n + 2].test_func = reference_order;
	tests[n + 3].name = "schema_table_matches_descriptors";
	tests[n + 3].test_func = schema_table_matches_descriptors;
	return _cmocka_run_group_tests("validate", tests, n + 4, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frames.c: test helpers (see frames.h). The values chosen for the full
 * frames sit exactly at the limits of spec section "Limits" and at the
 * edges of the ranges of the codec-level rules, so a round trip of them
 * covers every bound from the accepting side.
 */
#include <string.h>

#include <pb_encode.h>

#include "frames.h"
#include "validate.h"

static const char *const names[FRAMES_BODIES + 1] = {
	"none",      "connect",       "welcome",     "busy",
	"ping",      "pong",          "notice",      "close",
	"subscribe", "subscribe_ack", "unsubscribe", "message",
};

const char *frames_name(unsigned body)
{
	return body <= FRAMES_BODIES ? names[body] : "unknown";
}

/* A valid UTF-8 string of exactly n bytes (n >= 1): the tag, then
 * two-byte characters. */
static void text(char *dst, size_t n, char tag)
{
	size_t i = 1;

	dst[0] = tag;
	while (i + 2 <= n) {
		dst[i++] = (char)0xc3;
		dst[i++] = (char)0xa9; /* U+00E9 */
	}
	if (i < n)
		dst[i++] = 'x';
	dst[i] = '\0';
}

static void fill(pb_byte_t *dst, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (pb_byte_t)(seed + i * 7u);
}

static void hint(hcp_v1_BackoffHint *h)
{
	h->base_ms = 1000;
	h->cap_ms = HCP_MAX_DELAY_MS;
	h->multiplier_milli = HCP_MAX_MULTIPLIER_MILLI;
	h->jitter = hcp_v1_JitterMode_JITTER_MODE_EQUAL;
	h->floor_ms = HCP_MAX_DELAY_MS;
	h->stable_ms = HCP_MAX_DELAY_MS;
	h->attempt_budget = HCP_MAX_ATTEMPT_BUDGET;
}

static void endpoints(hcp_v1_Endpoint *e, pb_size_t *count)
{
	pb_size_t i;

	*count = HCP_MAX_REDIRECTS;
	for (i = 0; i < HCP_MAX_REDIRECTS; i++) {
		text(e[i].url, HCP_MAX_ENDPOINT_SIZE, (char)('a' + i));
		e[i].weight = 1000u * i;
	}
}

static void build_connect(hcp_v1_Connect *c, bool full)
{
	pb_size_t i;

	c->version = HCP_PROTOCOL_VERSION;
	if (!full)
		return;
	c->capabilities = UINT64_MAX;
	c->credentials.size = HCP_MAX_CREDENTIALS_SIZE;
	fill(c->credentials.bytes, HCP_MAX_CREDENTIALS_SIZE, 1);
	c->attempt = UINT32_MAX;
	c->last_close_reason = HCP_REASON_SERVER_RESTART;
	c->max_frame_size = HCP_MAX_FRAME_SIZE;
	c->has_resume = true;
	c->resume.token.size = HCP_MAX_RESUME_TOKEN_SIZE;
	fill(c->resume.token.bytes, HCP_MAX_RESUME_TOKEN_SIZE, 2);
	c->resume.streams_count = HCP_MAX_RESUME_STREAMS;
	for (i = 0; i < HCP_MAX_RESUME_STREAMS; i++) {
		hcp_v1_StreamCursor *s = &c->resume.streams[i];

		text(s->stream, HCP_MAX_STREAM_NAME_SIZE, (char)('A' + i));
		s->has_position = true;
		s->position.offset = UINT64_MAX - i;
		s->position.epoch = i;
	}
}

static void build_welcome(hcp_v1_Welcome *w, bool full)
{
	pb_size_t i;

	w->version = HCP_PROTOCOL_VERSION;
	strcpy(w->session_id, "s");
	if (!full)
		return;
	text(w->session_id, HCP_MAX_SESSION_ID_SIZE, 'z');
	w->resume_token.size = HCP_MAX_RESUME_TOKEN_SIZE;
	fill(w->resume_token.bytes, HCP_MAX_RESUME_TOKEN_SIZE, 3);
	w->resume_token_ttl_ms = HCP_MAX_RESUME_TOKEN_TTL_MS;
	w->heartbeat_interval_ms = HCP_MAX_HEARTBEAT_MS;
	w->max_frame_size = HCP_MIN_FRAME_SIZE;
	w->subscribe_window = HCP_MAX_SUBSCRIBE_WINDOW;
	w->capabilities = 1u << 20;
	w->has_resume = true;
	w->resume.status = hcp_v1_ResumeStatus_RESUME_STATUS_PARTIAL;
	w->resume.reason = HCP_REASON_RESUME_SESSION_UNKNOWN;
	w->resume.streams_count = HCP_MAX_RESUME_STREAMS;
	for (i = 0; i < HCP_MAX_RESUME_STREAMS; i++) {
		hcp_v1_StreamOutcome *o = &w->resume.streams[i];

		text(o->stream, HCP_MAX_STREAM_NAME_SIZE, (char)('a' + i));
		o->status = hcp_v1_StreamStatus_STREAM_STATUS_LOST;
		o->has_position = true;
		o->position.offset = i;
		o->position.epoch = UINT64_MAX;
		o->reason = HCP_REASON_STREAM_NOT_FOUND;
	}
	w->has_backoff = true;
	hint(&w->backoff);
}

static void build_busy(hcp_v1_Busy *b, bool full)
{
	b->reason = HCP_REASON_OVERLOADED;
	if (!full)
		return;
	text(b->reason_text, HCP_MAX_REASON_TEXT_SIZE, 'b');
	b->has_retry = true;
	b->retry.not_before_ms = 0;
	b->retry.not_after_ms = HCP_MAX_DELAY_MS;
	b->has_backoff = true;
	hint(&b->backoff);
	endpoints(b->redirect, &b->redirect_count);
}

static void build_notice(hcp_v1_Notice *n, bool full)
{
	n->reason = HCP_REASON_DEPLOY;
	if (!full)
		return;
	n->reason = HCP_REASON_NODE_DRAINING;
	text(n->reason_text, HCP_MAX_REASON_TEXT_SIZE, 'n');
	n->deadline_ms = HCP_MAX_DEADLINE_MS;
	n->which_timing = hcp_v1_Notice_window_tag;
	n->timing.window.not_before_ms = 1000;
	n->timing.window.not_after_ms = HCP_MAX_DELAY_MS;
	endpoints(n->redirect, &n->redirect_count);
	n->resume_token.size = HCP_MAX_RESUME_TOKEN_SIZE;
	fill(n->resume_token.bytes, HCP_MAX_RESUME_TOKEN_SIZE, 4);
	n->resume_token_ttl_ms = HCP_MAX_RESUME_TOKEN_TTL_MS;
	n->scope = hcp_v1_NoticeScope_NOTICE_SCOPE_NODE;
	n->has_backoff = true;
	hint(&n->backoff);
}

static void build_subscribe(hcp_v1_Subscribe *s, bool full)
{
	s->request_id = 1;
	strcpy(s->stream, "a");
	if (!full)
		return;
	s->request_id = UINT32_MAX;
	text(s->stream, HCP_MAX_STREAM_NAME_SIZE, 's');
	s->grant.size = HCP_MAX_GRANT_SIZE;
	fill(s->grant.bytes, HCP_MAX_GRANT_SIZE, 5);
	s->has_recover_from = true;
	s->recover_from.offset = 77;
	s->recover_from.epoch = 3;
}

static void build_ack(hcp_v1_SubscribeAck *a, bool full)
{
	a->request_id = 1;
	a->status = hcp_v1_SubscribeStatus_SUBSCRIBE_STATUS_ACCEPTED;
	if (!full)
		return;
	a->request_id = UINT32_MAX;
	a->status = hcp_v1_SubscribeStatus_SUBSCRIBE_STATUS_RETRY_LATER;
	a->reason = HCP_REASON_OVERLOADED;
	a->has_position = true;
	a->position.offset = 1;
	a->position.epoch = 2;
	a->window = HCP_MAX_SUBSCRIBE_WINDOW;
	a->has_backoff = true;
	hint(&a->backoff);
}

static void build_message(hcp_v1_StreamMessage *m, bool full)
{
	strcpy(m->stream, "a");
	m->has_position = true;
	if (!full)
		return;
	text(m->stream, HCP_MAX_STREAM_NAME_SIZE, 'm');
	m->position.offset = UINT64_MAX;
	m->position.epoch = UINT64_MAX;
	m->payload.size = HCP_MAX_PAYLOAD_SIZE;
	fill(m->payload.bytes, HCP_MAX_PAYLOAD_SIZE, 6);
}

void frames_build(hcp_v1_Frame *f, unsigned body, bool full)
{
	memset(f, 0, sizeof(*f));
	f->which_body = (pb_size_t)body;
	switch (body) {
	case hcp_v1_Frame_connect_tag:
		build_connect(&f->body.connect, full);
		break;
	case hcp_v1_Frame_welcome_tag:
		build_welcome(&f->body.welcome, full);
		break;
	case hcp_v1_Frame_busy_tag:
		build_busy(&f->body.busy, full);
		break;
	case hcp_v1_Frame_ping_tag:
		f->body.ping.nonce = full ? UINT64_MAX : 0;
		break;
	case hcp_v1_Frame_pong_tag:
		f->body.pong.nonce = full ? UINT64_MAX - 1 : 0;
		break;
	case hcp_v1_Frame_notice_tag:
		build_notice(&f->body.notice, full);
		break;
	case hcp_v1_Frame_close_tag:
		f->body.close.reason = HCP_REASON_NORMAL;
		if (full) {
			text(f->body.close.reason_text,
			     HCP_MAX_REASON_TEXT_SIZE, 'c');
			f->body.close.has_backoff = true;
			hint(&f->body.close.backoff);
		}
		break;
	case hcp_v1_Frame_subscribe_tag:
		build_subscribe(&f->body.subscribe, full);
		break;
	case hcp_v1_Frame_subscribe_ack_tag:
		build_ack(&f->body.subscribe_ack, full);
		break;
	case hcp_v1_Frame_unsubscribe_tag:
		strcpy(f->body.unsubscribe.stream, "a");
		if (full) {
			f->body.unsubscribe.request_id = 9;
			text(f->body.unsubscribe.stream,
			     HCP_MAX_STREAM_NAME_SIZE, 'u');
			f->body.unsubscribe.reason =
			        HCP_REASON_STREAM_FORBIDDEN;
		}
		break;
	case hcp_v1_Frame_message_tag:
		build_message(&f->body.message, full);
		break;
	default:
		f->which_body = 0;
		break;
	}
}

size_t frames_raw_encode(const hcp_v1_Frame *f, uint8_t *out, size_t cap)
{
	pb_ostream_t s = pb_ostream_from_buffer(out, cap);

	if (!pb_encode(&s, hcp_v1_Frame_fields, f))
		return 0;
	return s.bytes_written;
}

void w_init(wbuf *w)
{
	w->n = 0;
	w->overflow = false;
}

void w_raw(wbuf *w, const void *p, size_t n)
{
	if (n > sizeof(w->b) - w->n) {
		w->overflow = true;
		return;
	}
	if (n > 0)
		memcpy(w->b + w->n, p, n);
	w->n += n;
}

void w_varint(wbuf *w, uint64_t v)
{
	uint8_t b;

	while (v >= 0x80u) {
		b = (uint8_t)((v & 0x7fu) | 0x80u);
		w_raw(w, &b, 1);
		v >>= 7;
	}
	b = (uint8_t)v;
	w_raw(w, &b, 1);
}

void w_key(wbuf *w, uint32_t num, unsigned wire_type)
{
	w_varint(w, ((uint64_t)num << 3) | wire_type);
}

void w_uint(wbuf *w, uint32_t num, uint64_t v)
{
	w_key(w, num, 0);
	w_varint(w, v);
}

void w_bytes(wbuf *w, uint32_t num, const void *p, size_t n)
{
	w_key(w, num, 2);
	w_varint(w, n);
	w_raw(w, p, n);
}

void w_fill(wbuf *w, uint32_t num, uint8_t byte, size_t n)
{
	w_key(w, num, 2);
	w_varint(w, n);
	if (n > sizeof(w->b) - w->n) {
		w->overflow = true;
		return;
	}
	memset(w->b + w->n, byte, n);
	w->n += n;
}

void w_sub(wbuf *w, uint32_t num, const wbuf *sub)
{
	w_bytes(w, num, sub->b, sub->n);
}

uint32_t frames_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

void frames_decode_both(const uint8_t *data, size_t len, size_t max_frame,
                        struct both *out)
{
	static hcp_v1_Frame nf;
	static uint8_t enc_n[HCP_MAX_FRAME_SIZE];
	static uint8_t enc_p[HCP_MAX_FRAME_SIZE];
	static uint8_t canon[HCP_MAX_FRAME_SIZE + HCP_WIRE_CANON_SLACK];
	size_t wc = 0;
	hcp_pbc_alloc a;
	Hcp__V1__Frame *pf = NULL;
	size_t wn = 0;
	size_t wp = 0;

	memset(out, 0, sizeof(*out));
	hcp_pbc_alloc_init(&a, 0);
	out->pbc = hcp_pbc_decode(data, len, max_frame, &a, &pf);
	out->nanopb = hcp_nanopb_decode(data, len, max_frame, &nf);
	out->heap = a.peak;
	if (out->pbc == HCP_OK && out->nanopb == HCP_OK &&
	    hcp_pbc_encode(pf, enc_p, sizeof(enc_p), &wp) == HCP_OK &&
	    hcp_nanopb_encode(&nf, enc_n, sizeof(enc_n), &wn) == HCP_OK &&
	    wp == wn && memcmp(enc_p, enc_n, wn) == 0) {
		out->same = true;
		out->enc_len = wn;
		/* The canonical form decodes to the same frame. */
		out->canon_same =
		        hcp_wire_canonical(data, len, canon, &wc) == HCP_OK &&
		        wc <= len &&
		        hcp_nanopb_decode(canon, wc, max_frame, &nf) ==
		                HCP_OK &&
		        hcp_nanopb_encode(&nf, enc_p, sizeof(enc_p), &wp) ==
		                HCP_OK &&
		        wp == wn && memcmp(enc_p, enc_n, wn) == 0;
	}
	hcp_pbc_free(pf, &a);
	out->pbc_leak = a.used != 0;
}

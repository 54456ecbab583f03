/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nanopb.c: the nanopb backend (see hcp_nanopb.h).
 *
 * Decoding runs the shared wire check on the raw bytes, then nanopb's
 * decoder into the caller's fixed struct, then the shared view checks.
 * The only errors nanopb can still report after the wire check are its
 * overflows (a repeated field over its limit once merged), mapped to
 * HCP_E_LIMIT. Nothing here calls malloc, directly or through nanopb.
 */
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "hcp/hcp_nanopb.h"
#include "validate.h"

/* A string array: its length up to the terminator. Without a terminator
 * the length is the array size, one more than the limit. */
static hcp_vbytes str(const char *s, size_t cap)
{
	const char *nul = memchr(s, 0, cap);
	hcp_vbytes b;

	b.p = (const uint8_t *)s;
	b.n = nul != NULL ? (size_t)(nul - s) : cap;
	return b;
}

#define STR(a) str((a), sizeof(a))
#define BIN(b) bin((b).bytes, (b).size)

static hcp_vbytes bin(const pb_byte_t *p, pb_size_t n)
{
	hcp_vbytes b;

	b.p = p;
	b.n = n;
	return b;
}

static void fill_hint(bool has, const hcp_v1_BackoffHint *h, hcp_vhint *out)
{
	out->present = has;
	if (has)
		hcp_nanopb_hint(h, &out->h);
}

static void fill_window(bool has, const hcp_v1_ReconnectWindow *w,
                        hcp_vwindow *out)
{
	out->present = has;
	if (!has)
		return;
	out->not_before_ms = w->not_before_ms;
	out->not_after_ms = w->not_after_ms;
}

static void fill_endpoints(pb_size_t n, const hcp_v1_Endpoint *e,
                           hcp_vendpoints *out)
{
	size_t i;

	out->count = n;
	for (i = 0; i < n && i < HCP_MAX_REDIRECTS; i++)
		out->url[i] = STR(e[i].url);
}

static void fill_connect(const hcp_v1_Connect *c, hcp_view *v)
{
	size_t i;

	v->u.connect.version = c->version;
	v->u.connect.credentials = BIN(c->credentials);
	v->u.connect.max_frame_size = c->max_frame_size;
	v->u.connect.has_resume = c->has_resume;
	if (!c->has_resume)
		return;
	v->u.connect.token = BIN(c->resume.token);
	v->u.connect.n_streams = c->resume.streams_count;
	for (i = 0; i < c->resume.streams_count && i < HCP_MAX_RESUME_STREAMS;
	     i++)
		v->u.connect.stream[i] = STR(c->resume.streams[i].stream);
}

static void fill_welcome(const hcp_v1_Welcome *w, hcp_view *v)
{
	const hcp_v1_ResumeResult *r = &w->resume;
	size_t i;

	v->u.welcome.version = w->version;
	v->u.welcome.session_id = STR(w->session_id);
	v->u.welcome.resume_token = BIN(w->resume_token);
	v->u.welcome.resume_token_ttl_ms = w->resume_token_ttl_ms;
	v->u.welcome.heartbeat_interval_ms = w->heartbeat_interval_ms;
	v->u.welcome.max_frame_size = w->max_frame_size;
	v->u.welcome.subscribe_window = w->subscribe_window;
	fill_hint(w->has_backoff, &w->backoff, &v->u.welcome.backoff);
	v->u.welcome.has_resume = w->has_resume;
	if (!w->has_resume)
		return;
	v->u.welcome.resume_status = (int32_t)r->status;
	v->u.welcome.resume_reason = r->reason;
	v->u.welcome.n_outcomes = r->streams_count;
	for (i = 0; i < r->streams_count && i < HCP_MAX_RESUME_STREAMS; i++) {
		v->u.welcome.outcome[i].stream = STR(r->streams[i].stream);
		v->u.welcome.outcome[i].status = (int32_t)r->streams[i].status;
		v->u.welcome.outcome[i].reason = r->streams[i].reason;
	}
}

static void fill_notice(const hcp_v1_Notice *n, hcp_view *v)
{
	v->u.notice.reason = n->reason;
	v->u.notice.reason_text = STR(n->reason_text);
	v->u.notice.deadline_ms = n->deadline_ms;
	fill_window(n->which_timing == hcp_v1_Notice_window_tag,
	            &n->timing.window, &v->u.notice.window);
	if (n->which_timing == hcp_v1_Notice_assigned_delay_ms_tag) {
		v->u.notice.has_assigned_delay = true;
		v->u.notice.assigned_delay_ms = n->timing.assigned_delay_ms;
	}
	fill_endpoints(n->redirect_count, n->redirect, &v->u.notice.redirect);
	v->u.notice.resume_token = BIN(n->resume_token);
	v->u.notice.resume_token_ttl_ms = n->resume_token_ttl_ms;
	v->u.notice.scope = (int32_t)n->scope;
	fill_hint(n->has_backoff, &n->backoff, &v->u.notice.backoff);
}

static void fill_body(const hcp_v1_Frame *f, hcp_view *v)
{
	switch (f->which_body) {
	case hcp_v1_Frame_connect_tag:
		fill_connect(&f->body.connect, v);
		break;
	case hcp_v1_Frame_welcome_tag:
		fill_welcome(&f->body.welcome, v);
		break;
	case hcp_v1_Frame_busy_tag:
		v->u.busy.reason = f->body.busy.reason;
		v->u.busy.reason_text = STR(f->body.busy.reason_text);
		fill_window(f->body.busy.has_retry, &f->body.busy.retry,
		            &v->u.busy.retry);
		fill_hint(f->body.busy.has_backoff, &f->body.busy.backoff,
		          &v->u.busy.backoff);
		fill_endpoints(f->body.busy.redirect_count,
		               f->body.busy.redirect, &v->u.busy.redirect);
		break;
	case hcp_v1_Frame_notice_tag:
		fill_notice(&f->body.notice, v);
		break;
	case hcp_v1_Frame_close_tag:
		v->u.close.reason = f->body.close.reason;
		v->u.close.reason_text = STR(f->body.close.reason_text);
		fill_hint(f->body.close.has_backoff, &f->body.close.backoff,
		          &v->u.close.backoff);
		break;
	case hcp_v1_Frame_subscribe_tag:
		v->u.subscribe.request_id = f->body.subscribe.request_id;
		v->u.subscribe.stream = STR(f->body.subscribe.stream);
		v->u.subscribe.grant = BIN(f->body.subscribe.grant);
		break;
	case hcp_v1_Frame_subscribe_ack_tag:
		v->u.subscribe_ack.request_id =
		        f->body.subscribe_ack.request_id;
		v->u.subscribe_ack.status =
		        (int32_t)f->body.subscribe_ack.status;
		v->u.subscribe_ack.reason = f->body.subscribe_ack.reason;
		v->u.subscribe_ack.window = f->body.subscribe_ack.window;
		fill_hint(f->body.subscribe_ack.has_backoff,
		          &f->body.subscribe_ack.backoff,
		          &v->u.subscribe_ack.backoff);
		break;
	case hcp_v1_Frame_unsubscribe_tag:
		v->u.unsubscribe.stream = STR(f->body.unsubscribe.stream);
		break;
	case hcp_v1_Frame_message_tag:
		v->u.message.stream = STR(f->body.message.stream);
		v->u.message.has_position = f->body.message.has_position;
		v->u.message.payload = BIN(f->body.message.payload);
		break;
	default:
		break; /* no fields to check: ping, pong, no body */
	}
}

hcp_error hcp_nanopb_validate(const hcp_v1_Frame *f)
{
	hcp_view v;

	if (f == NULL)
		return HCP_E_ARG;
	memset(&v, 0, sizeof(v));
	v.body = f->which_body <= HCP_BODY_MESSAGE ? f->which_body
	                                           : HCP_BODY_NONE;
	fill_body(f, &v);
	return hcp_validate_view(&v);
}

/* nanopb reports errors as strings; its overflows are limits. */
static hcp_error map_decode_error(const pb_istream_t *s)
{
	const char *msg = PB_GET_ERROR(s);

	if (strcmp(msg, "string overflow") == 0 ||
	    strcmp(msg, "bytes overflow") == 0 ||
	    strcmp(msg, "array overflow") == 0)
		return HCP_E_LIMIT;
	return HCP_E_WIRE;
}

hcp_error hcp_nanopb_decode(const uint8_t *data, size_t len, size_t max_frame,
                            hcp_v1_Frame *out)
{
	pb_istream_t s;
	hcp_error err;

	if (out == NULL)
		return HCP_E_ARG;
	memset(out, 0, sizeof(*out));
	if ((data == NULL && len > 0) || max_frame > HCP_MAX_FRAME_SIZE)
		return HCP_E_ARG;
	if (max_frame == 0)
		max_frame = HCP_MAX_FRAME_SIZE;
	if (len > max_frame)
		return HCP_E_TOO_LARGE; /* [HCP-FRAME-8] */
	err = hcp_wire_check(data, len, NULL);
	if (err != HCP_OK)
		return err;

	s = pb_istream_from_buffer(data, len);
	if (!pb_decode_ex(&s, hcp_v1_Frame_fields, out, PB_DECODE_NOINIT)) {
		err = map_decode_error(&s);
		memset(out, 0, sizeof(*out));
		return err;
	}
	err = hcp_nanopb_validate(out);
	if (err != HCP_OK)
		memset(out, 0, sizeof(*out));
	return err;
}

hcp_error hcp_nanopb_encode(const hcp_v1_Frame *f, uint8_t *out, size_t cap,
                            size_t *written)
{
	pb_ostream_t s;
	hcp_error err;

	if (written != NULL)
		*written = 0;
	if (written == NULL || (out == NULL && cap > 0))
		return HCP_E_ARG;
	err = hcp_nanopb_validate(f);
	if (err != HCP_OK)
		return err;
	s = pb_ostream_from_buffer(out, cap);
	if (!pb_encode(&s, hcp_v1_Frame_fields, f))
		return HCP_E_BUFFER;
	*written = s.bytes_written;
	return HCP_OK;
}

void hcp_nanopb_hint(const hcp_v1_BackoffHint *h, hcp_backoff_hint *out)
{
	if (out == NULL)
		return;
	memset(out, 0, sizeof(*out));
	if (h == NULL)
		return;
	out->base_ms = h->base_ms;
	out->cap_ms = h->cap_ms;
	out->multiplier_milli = h->multiplier_milli;
	out->jitter = (uint32_t)h->jitter;
	out->floor_ms = h->floor_ms;
	out->stable_ms = h->stable_ms;
	out->attempt_budget = h->attempt_budget;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pbc.c: the protobuf-c backend (see hcp_pbc.h).
 *
 * Decoding runs in three steps: the shared wire check on the raw bytes,
 * protobuf-c's unpack through the budgeted allocator, then the shared view
 * checks. When the input holds unknown fields, keys or lengths longer than
 * 5 bytes, or a non-repeated submessage more than once, protobuf-c parses
 * a canonical re-encoding of it instead: protobuf-c 1.4.1 keeps only the
 * last occurrence of a submessage where protobuf merges them, reads keys
 * and lengths of at most 5 bytes, and would keep unknown fields for a
 * later encode. The fill functions below only copy pointers and numbers
 * into the neutral view.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "hcp/hcp_pbc.h"
#include "validate.h"

/* ------------------------------------------------------------------------
 * Budgeted allocator
 * ---------------------------------------------------------------------- */

/* Each block starts with its size, padded so that the caller's part keeps
 * malloc's alignment. */
typedef union block_head {
	size_t size;
	max_align_t align;
} block_head;

static void *budget_alloc(void *data, size_t size)
{
	hcp_pbc_alloc *a = data;
	size_t total;
	block_head *h;

	if (size > SIZE_MAX - sizeof(block_head)) {
		a->failed = true;
		return NULL;
	}
	total = size + sizeof(block_head);
	if (total > a->budget - a->used) {
		a->failed = true;
		return NULL;
	}
	h = malloc(total);
	if (h == NULL) {
		a->failed = true;
		return NULL;
	}
	h->size = total;
	a->used += total;
	if (a->used > a->peak)
		a->peak = a->used;
	a->allocations++;
	return h + 1;
}

static void budget_free(void *data, void *p)
{
	hcp_pbc_alloc *a = data;
	block_head *h;

	if (p == NULL)
		return;
	h = (block_head *)p - 1;
	a->used -= h->size;
	free(h);
}

void hcp_pbc_alloc_init(hcp_pbc_alloc *a, size_t budget)
{
	if (a == NULL)
		return;
	memset(a, 0, sizeof(*a));
	a->pc.alloc = budget_alloc;
	a->pc.free = budget_free;
	a->pc.allocator_data = a;
	a->budget = budget != 0 ? budget : HCP_PBC_DEFAULT_BUDGET;
}

/* ------------------------------------------------------------------------
 * View fill
 * ---------------------------------------------------------------------- */

struct fill {
	bool null_entry; /* a NULL message in a repeated field */
	bool unknown;    /* a message holds unknown fields */
};

static void note(struct fill *fl, const ProtobufCMessage *m)
{
	if (m->n_unknown_fields != 0)
		fl->unknown = true;
}

static hcp_vbytes str(const char *s)
{
	hcp_vbytes b;

	b.p = (const uint8_t *)s;
	b.n = s != NULL ? strlen(s) : 0;
	return b;
}

static hcp_vbytes bin(ProtobufCBinaryData d)
{
	hcp_vbytes b;

	b.p = d.data;
	b.n = d.data != NULL ? d.len : 0;
	return b;
}

static void fill_hint(struct fill *fl, const Hcp__V1__BackoffHint *h,
                      hcp_vhint *out)
{
	out->present = h != NULL;
	if (h != NULL)
		note(fl, &h->base);
	hcp_pbc_hint(h, &out->h);
}

static void fill_window(struct fill *fl, const Hcp__V1__ReconnectWindow *w,
                        hcp_vwindow *out)
{
	out->present = w != NULL;
	if (w == NULL)
		return;
	note(fl, &w->base);
	out->not_before_ms = w->not_before_ms;
	out->not_after_ms = w->not_after_ms;
}

static void fill_endpoints(struct fill *fl, size_t n,
                           Hcp__V1__Endpoint *const *e, hcp_vendpoints *out)
{
	size_t i;

	out->count = n;
	for (i = 0; i < n; i++) {
		if (e == NULL || e[i] == NULL) {
			fl->null_entry = true;
			return;
		}
		note(fl, &e[i]->base);
		if (i < HCP_MAX_REDIRECTS)
			out->url[i] = str(e[i]->url);
	}
}

static void fill_position(struct fill *fl, const Hcp__V1__StreamPosition *p)
{
	if (p != NULL)
		note(fl, &p->base);
}

static void fill_connect(struct fill *fl, const Hcp__V1__Connect *c,
                         hcp_view *v)
{
	const Hcp__V1__ResumeRequest *r = c->resume;
	size_t i;

	note(fl, &c->base);
	v->u.connect.version = c->version;
	v->u.connect.credentials = bin(c->credentials);
	v->u.connect.max_frame_size = c->max_frame_size;
	v->u.connect.has_resume = r != NULL;
	if (r == NULL)
		return;
	note(fl, &r->base);
	v->u.connect.token = bin(r->token);
	v->u.connect.n_streams = r->n_streams;
	for (i = 0; i < r->n_streams; i++) {
		if (r->streams == NULL || r->streams[i] == NULL) {
			fl->null_entry = true;
			return;
		}
		note(fl, &r->streams[i]->base);
		fill_position(fl, r->streams[i]->position);
		if (i < HCP_MAX_RESUME_STREAMS)
			v->u.connect.stream[i] = str(r->streams[i]->stream);
	}
}

static void fill_welcome(struct fill *fl, const Hcp__V1__Welcome *w,
                         hcp_view *v)
{
	const Hcp__V1__ResumeResult *r = w->resume;
	size_t i;

	note(fl, &w->base);
	v->u.welcome.version = w->version;
	v->u.welcome.session_id = str(w->session_id);
	v->u.welcome.resume_token = bin(w->resume_token);
	v->u.welcome.resume_token_ttl_ms = w->resume_token_ttl_ms;
	v->u.welcome.heartbeat_interval_ms = w->heartbeat_interval_ms;
	v->u.welcome.max_frame_size = w->max_frame_size;
	v->u.welcome.subscribe_window = w->subscribe_window;
	fill_hint(fl, w->backoff, &v->u.welcome.backoff);
	v->u.welcome.has_resume = r != NULL;
	if (r == NULL)
		return;
	note(fl, &r->base);
	v->u.welcome.resume_status = (int32_t)r->status;
	v->u.welcome.resume_reason = r->reason;
	v->u.welcome.n_outcomes = r->n_streams;
	for (i = 0; i < r->n_streams; i++) {
		const Hcp__V1__StreamOutcome *o;

		if (r->streams == NULL || r->streams[i] == NULL) {
			fl->null_entry = true;
			return;
		}
		o = r->streams[i];
		note(fl, &o->base);
		fill_position(fl, o->position);
		if (i >= HCP_MAX_RESUME_STREAMS)
			continue;
		v->u.welcome.outcome[i].stream = str(o->stream);
		v->u.welcome.outcome[i].status = (int32_t)o->status;
		v->u.welcome.outcome[i].reason = o->reason;
	}
}

static void fill_notice(struct fill *fl, const Hcp__V1__Notice *n, hcp_view *v)
{
	note(fl, &n->base);
	v->u.notice.reason = n->reason;
	v->u.notice.reason_text = str(n->reason_text);
	v->u.notice.deadline_ms = n->deadline_ms;
	if (n->timing_case == HCP__V1__NOTICE__TIMING_WINDOW) {
		if (n->window == NULL)
			fl->null_entry = true;
		fill_window(fl, n->window, &v->u.notice.window);
	}
	if (n->timing_case == HCP__V1__NOTICE__TIMING_ASSIGNED_DELAY_MS) {
		v->u.notice.has_assigned_delay = true;
		v->u.notice.assigned_delay_ms = n->assigned_delay_ms;
	}
	fill_endpoints(fl, n->n_redirect, n->redirect, &v->u.notice.redirect);
	v->u.notice.resume_token = bin(n->resume_token);
	v->u.notice.resume_token_ttl_ms = n->resume_token_ttl_ms;
	v->u.notice.scope = (int32_t)n->scope;
	fill_hint(fl, n->backoff, &v->u.notice.backoff);
}

/* Fills the view from a frame whose body pointer is set; a NULL entry
 * further down is noted in fl. */
static void fill_body(struct fill *fl, const Hcp__V1__Frame *f, hcp_view *v)
{
	switch (f->body_case) {
	case HCP__V1__FRAME__BODY_CONNECT:
		fill_connect(fl, f->connect, v);
		break;
	case HCP__V1__FRAME__BODY_WELCOME:
		fill_welcome(fl, f->welcome, v);
		break;
	case HCP__V1__FRAME__BODY_BUSY:
		note(fl, &f->busy->base);
		v->u.busy.reason = f->busy->reason;
		v->u.busy.reason_text = str(f->busy->reason_text);
		fill_window(fl, f->busy->retry, &v->u.busy.retry);
		fill_hint(fl, f->busy->backoff, &v->u.busy.backoff);
		fill_endpoints(fl, f->busy->n_redirect, f->busy->redirect,
		               &v->u.busy.redirect);
		break;
	case HCP__V1__FRAME__BODY_PING:
		note(fl, &f->ping->base);
		break;
	case HCP__V1__FRAME__BODY_PONG:
		note(fl, &f->pong->base);
		break;
	case HCP__V1__FRAME__BODY_NOTICE:
		fill_notice(fl, f->notice, v);
		break;
	case HCP__V1__FRAME__BODY_CLOSE:
		note(fl, &f->close->base);
		v->u.close.reason = f->close->reason;
		v->u.close.reason_text = str(f->close->reason_text);
		fill_hint(fl, f->close->backoff, &v->u.close.backoff);
		break;
	case HCP__V1__FRAME__BODY_SUBSCRIBE:
		note(fl, &f->subscribe->base);
		fill_position(fl, f->subscribe->recover_from);
		v->u.subscribe.request_id = f->subscribe->request_id;
		v->u.subscribe.stream = str(f->subscribe->stream);
		v->u.subscribe.grant = bin(f->subscribe->grant);
		break;
	case HCP__V1__FRAME__BODY_SUBSCRIBE_ACK:
		note(fl, &f->subscribe_ack->base);
		fill_position(fl, f->subscribe_ack->position);
		v->u.subscribe_ack.request_id = f->subscribe_ack->request_id;
		v->u.subscribe_ack.status = (int32_t)f->subscribe_ack->status;
		v->u.subscribe_ack.reason = f->subscribe_ack->reason;
		v->u.subscribe_ack.window = f->subscribe_ack->window;
		fill_hint(fl, f->subscribe_ack->backoff,
		          &v->u.subscribe_ack.backoff);
		break;
	case HCP__V1__FRAME__BODY_UNSUBSCRIBE:
		note(fl, &f->unsubscribe->base);
		v->u.unsubscribe.stream = str(f->unsubscribe->stream);
		break;
	case HCP__V1__FRAME__BODY_MESSAGE:
		note(fl, &f->message->base);
		fill_position(fl, f->message->position);
		v->u.message.stream = str(f->message->stream);
		v->u.message.has_position = f->message->position != NULL;
		v->u.message.payload = bin(f->message->payload);
		break;
	case HCP__V1__FRAME__BODY__NOT_SET:
	case _HCP__V1__FRAME__BODY__CASE_IS_INT_SIZE:
		break;
	}
}

static bool body_pointer_set(const Hcp__V1__Frame *f)
{
	switch (f->body_case) {
	case HCP__V1__FRAME__BODY__NOT_SET:
	case _HCP__V1__FRAME__BODY__CASE_IS_INT_SIZE:
		return true;
	default:
		/* Every member of the union is a pointer; connect stands for
		 * all of them. */
		return f->connect != NULL;
	}
}

static hcp_error check(const Hcp__V1__Frame *f, bool *unknown)
{
	struct fill fl = { false, false };
	hcp_view v;

	*unknown = false;
	if (f == NULL || !body_pointer_set(f))
		return HCP_E_ARG;
	memset(&v, 0, sizeof(v));
	note(&fl, &f->base);
	v.body = (unsigned)f->body_case;
	if (v.body > HCP_BODY_MESSAGE)
		v.body = HCP_BODY_NONE;
	fill_body(&fl, f, &v);
	if (fl.null_entry)
		return HCP_E_ARG;
	*unknown = fl.unknown;
	return hcp_validate_view(&v);
}

hcp_error hcp_pbc_validate(const Hcp__V1__Frame *f)
{
	bool unknown;

	return check(f, &unknown);
}

/* ------------------------------------------------------------------------
 * Decode, free, encode
 * ---------------------------------------------------------------------- */

static hcp_error unpack(const uint8_t *data, size_t len, hcp_pbc_alloc *a,
                        Hcp__V1__Frame **out)
{
	*out = hcp__v1__frame__unpack(&a->pc, len, data);
	if (*out != NULL)
		return HCP_OK;
	/* The wire check passed, so only the allocator can have failed; a
	 * refusal by protobuf-c that the check did not foresee is wire. */
	return a->failed ? HCP_E_NOMEM : HCP_E_WIRE;
}

hcp_error hcp_pbc_decode(const uint8_t *data, size_t len, size_t max_frame,
                         hcp_pbc_alloc *a, Hcp__V1__Frame **out)
{
	Hcp__V1__Frame *f = NULL;
	bool rewrite = false;
	hcp_error err;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || a == NULL || (data == NULL && len > 0) ||
	    max_frame > HCP_MAX_FRAME_SIZE)
		return HCP_E_ARG;
	if (max_frame == 0)
		max_frame = HCP_MAX_FRAME_SIZE;
	if (len > max_frame)
		return HCP_E_TOO_LARGE; /* [HCP-FRAME-8] */
	a->failed = false;
	err = hcp_wire_check(data, len, &rewrite);
	if (err != HCP_OK)
		return err;

	if (rewrite) {
		uint8_t *canon = a->pc.alloc(a, len + HCP_WIRE_CANON_SLACK);
		size_t n = 0;

		if (canon == NULL)
			return HCP_E_NOMEM;
		err = hcp_wire_canonical(data, len, canon, &n);
		if (err == HCP_OK)
			err = unpack(canon, n, a, &f);
		a->pc.free(a, canon);
	} else {
		err = unpack(data, len, a, &f);
	}
	if (err != HCP_OK)
		return err;

	err = hcp_pbc_validate(f);
	if (err != HCP_OK) {
		hcp_pbc_free(f, a);
		return err;
	}
	*out = f;
	return HCP_OK;
}

void hcp_pbc_free(Hcp__V1__Frame *f, hcp_pbc_alloc *a)
{
	if (f == NULL || a == NULL)
		return;
	hcp__v1__frame__free_unpacked(f, &a->pc);
}

hcp_error hcp_pbc_encode(const Hcp__V1__Frame *f, uint8_t *out, size_t cap,
                         size_t *written)
{
	bool unknown;
	size_t size;
	hcp_error err;

	if (written != NULL)
		*written = 0;
	if (written == NULL || (out == NULL && cap > 0))
		return HCP_E_ARG;
	err = check(f, &unknown);
	if (err != HCP_OK)
		return err;
	if (unknown)
		return HCP_E_ARG;
	size = hcp__v1__frame__get_packed_size(f);
	if (size > HCP_MAX_FRAME_SIZE)
		return HCP_E_TOO_LARGE;
	if (size > cap)
		return HCP_E_BUFFER;
	*written = hcp__v1__frame__pack(f, out);
	return HCP_OK;
}

void hcp_pbc_hint(const Hcp__V1__BackoffHint *h, hcp_backoff_hint *out)
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

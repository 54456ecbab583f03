/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.c: the validation layer both backends share (see validate.h).
 *
 * The schema table below mirrors proto/hcp/v1/hcp.proto: field numbers,
 * wire kinds and the byte limits of spec section "Limits". The wire check
 * and the canonical re-encoder read it; the view checks follow the
 * codec-level rule list of the spec in a fixed order. Every read is
 * bounded by the end of its buffer (`n > (size_t)(end - p)`); nothing here
 * allocates, and recursion is bounded by the schema's nesting depth.
 */
#include <string.h>

#include "validate.h"

/* ------------------------------------------------------------------------
 * Schema table
 * ---------------------------------------------------------------------- */

enum wire_kind {
	K_U32,   /* uint32: varint, value must fit 32 bits */
	K_U64,   /* uint64: varint */
	K_ENUM,  /* enum: varint, 0..INT32_MAX */
	K_STR,   /* string: length-delimited, UTF-8, limit */
	K_BYTES, /* bytes: length-delimited, limit */
	K_MSG,   /* submessage: length-delimited, checked recursively */
};

enum {
	WT_VARINT = 0,
	WT_FIXED64 = 1,
	WT_LEN = 2,
	WT_FIXED32 = 5,
};

struct wmsg;

struct wfield {
	uint32_t num;
	uint8_t kind;
	bool repeated;
	bool oneof;     /* member of the message's only oneof */
	uint16_t limit; /* bytes (string, bytes) or entries (repeated) */
	const struct wmsg *sub;
};

struct wmsg {
	const struct wfield *f;
	size_t n;
};

#define FIELDS(a)                           \
	{                                   \
		a, sizeof(a) / sizeof(a[0]) \
	}

static const struct wfield f_position[] = {
	{ 1, K_U64, false, false, 0, NULL },
	{ 2, K_U64, false, false, 0, NULL },
};
static const struct wmsg m_position = FIELDS(f_position);

static const struct wfield f_cursor[] = {
	{ 1, K_STR, false, false, HCP_MAX_STREAM_NAME_SIZE, NULL },
	{ 2, K_MSG, false, false, 0, &m_position },
};
static const struct wmsg m_cursor = FIELDS(f_cursor);

static const struct wfield f_hint[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_U32, false, false, 0, NULL },
	{ 3, K_U32, false, false, 0, NULL },
	{ 4, K_ENUM, false, false, 0, NULL },
	{ 5, K_U32, false, false, 0, NULL },
	{ 6, K_U32, false, false, 0, NULL },
	{ 7, K_U32, false, false, 0, NULL },
};
static const struct wmsg m_hint = FIELDS(f_hint);

static const struct wfield f_window[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_U32, false, false, 0, NULL },
};
static const struct wmsg m_window = FIELDS(f_window);

static const struct wfield f_endpoint[] = {
	{ 1, K_STR, false, false, HCP_MAX_ENDPOINT_SIZE, NULL },
	{ 2, K_U32, false, false, 0, NULL },
};
static const struct wmsg m_endpoint = FIELDS(f_endpoint);

static const struct wfield f_resume_request[] = {
	{ 1, K_BYTES, false, false, HCP_MAX_RESUME_TOKEN_SIZE, NULL },
	{ 2, K_MSG, true, false, HCP_MAX_RESUME_STREAMS, &m_cursor },
};
static const struct wmsg m_resume_request = FIELDS(f_resume_request);

static const struct wfield f_connect[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_U64, false, false, 0, NULL },
	{ 3, K_BYTES, false, false, HCP_MAX_CREDENTIALS_SIZE, NULL },
	{ 4, K_U32, false, false, 0, NULL },
	{ 5, K_U32, false, false, 0, NULL },
	{ 6, K_U32, false, false, 0, NULL },
	{ 7, K_MSG, false, false, 0, &m_resume_request },
};
static const struct wmsg m_connect = FIELDS(f_connect);

static const struct wfield f_outcome[] = {
	{ 1, K_STR, false, false, HCP_MAX_STREAM_NAME_SIZE, NULL },
	{ 2, K_ENUM, false, false, 0, NULL },
	{ 3, K_MSG, false, false, 0, &m_position },
	{ 4, K_U32, false, false, 0, NULL },
};
static const struct wmsg m_outcome = FIELDS(f_outcome);

static const struct wfield f_resume_result[] = {
	{ 1, K_ENUM, false, false, 0, NULL },
	{ 2, K_U32, false, false, 0, NULL },
	{ 3, K_MSG, true, false, HCP_MAX_RESUME_STREAMS, &m_outcome },
};
static const struct wmsg m_resume_result = FIELDS(f_resume_result);

static const struct wfield f_welcome[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_SESSION_ID_SIZE, NULL },
	{ 3, K_BYTES, false, false, HCP_MAX_RESUME_TOKEN_SIZE, NULL },
	{ 4, K_U32, false, false, 0, NULL },
	{ 5, K_U32, false, false, 0, NULL },
	{ 6, K_U32, false, false, 0, NULL },
	{ 7, K_U32, false, false, 0, NULL },
	{ 8, K_U64, false, false, 0, NULL },
	{ 9, K_MSG, false, false, 0, &m_resume_result },
	{ 10, K_MSG, false, false, 0, &m_hint },
};
static const struct wmsg m_welcome = FIELDS(f_welcome);

static const struct wfield f_busy[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_REASON_TEXT_SIZE, NULL },
	{ 3, K_MSG, false, false, 0, &m_window },
	{ 4, K_MSG, false, false, 0, &m_hint },
	{ 5, K_MSG, true, false, HCP_MAX_REDIRECTS, &m_endpoint },
};
static const struct wmsg m_busy = FIELDS(f_busy);

static const struct wfield f_ping[] = {
	{ 1, K_U64, false, false, 0, NULL },
};
static const struct wmsg m_ping = FIELDS(f_ping);

static const struct wfield f_notice[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_REASON_TEXT_SIZE, NULL },
	{ 3, K_U32, false, false, 0, NULL },
	{ 4, K_MSG, false, true, 0, &m_window },
	{ 5, K_U32, false, true, 0, NULL },
	{ 6, K_MSG, true, false, HCP_MAX_REDIRECTS, &m_endpoint },
	{ 7, K_BYTES, false, false, HCP_MAX_RESUME_TOKEN_SIZE, NULL },
	{ 8, K_U32, false, false, 0, NULL },
	{ 9, K_ENUM, false, false, 0, NULL },
	{ 10, K_MSG, false, false, 0, &m_hint },
};
static const struct wmsg m_notice = FIELDS(f_notice);

static const struct wfield f_close[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_REASON_TEXT_SIZE, NULL },
	{ 3, K_MSG, false, false, 0, &m_hint },
};
static const struct wmsg m_close = FIELDS(f_close);

static const struct wfield f_subscribe[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_STREAM_NAME_SIZE, NULL },
	{ 3, K_BYTES, false, false, HCP_MAX_GRANT_SIZE, NULL },
	{ 4, K_MSG, false, false, 0, &m_position },
};
static const struct wmsg m_subscribe = FIELDS(f_subscribe);

static const struct wfield f_subscribe_ack[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_ENUM, false, false, 0, NULL },
	{ 3, K_U32, false, false, 0, NULL },
	{ 4, K_MSG, false, false, 0, &m_position },
	{ 5, K_U32, false, false, 0, NULL },
	{ 6, K_MSG, false, false, 0, &m_hint },
};
static const struct wmsg m_subscribe_ack = FIELDS(f_subscribe_ack);

static const struct wfield f_unsubscribe[] = {
	{ 1, K_U32, false, false, 0, NULL },
	{ 2, K_STR, false, false, HCP_MAX_STREAM_NAME_SIZE, NULL },
	{ 3, K_U32, false, false, 0, NULL },
};
static const struct wmsg m_unsubscribe = FIELDS(f_unsubscribe);

static const struct wfield f_message[] = {
	{ 1, K_STR, false, false, HCP_MAX_STREAM_NAME_SIZE, NULL },
	{ 2, K_MSG, false, false, 0, &m_position },
	{ 3, K_BYTES, false, false, HCP_MAX_PAYLOAD_SIZE, NULL },
};
static const struct wmsg m_message = FIELDS(f_message);

static const struct wfield f_frame[] = {
	{ 1, K_MSG, false, true, 0, &m_connect },
	{ 2, K_MSG, false, true, 0, &m_welcome },
	{ 3, K_MSG, false, true, 0, &m_busy },
	{ 4, K_MSG, false, true, 0, &m_ping },
	{ 5, K_MSG, false, true, 0, &m_ping },
	{ 6, K_MSG, false, true, 0, &m_notice },
	{ 7, K_MSG, false, true, 0, &m_close },
	{ 8, K_MSG, false, true, 0, &m_subscribe },
	{ 9, K_MSG, false, true, 0, &m_subscribe_ack },
	{ 10, K_MSG, false, true, 0, &m_unsubscribe },
	{ 11, K_MSG, false, true, 0, &m_message },
};
static const struct wmsg m_frame = FIELDS(f_frame);

/* The largest field number of any message of the schema. */
#define MAX_FIELD_NUM 11

static const struct wfield *find_field(const struct wmsg *m, uint32_t num)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->f[i].num == num)
			return &m->f[i];
	return NULL;
}

/* ------------------------------------------------------------------------
 * Wire primitives
 * ---------------------------------------------------------------------- */

/* Reads a varint of at most max_bytes bytes. Fails on truncation, on a
 * longer varint, and on a tenth byte above 1 (a value over 64 bits). */
static bool read_varint(const uint8_t **pp, const uint8_t *end,
                        unsigned max_bytes, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < max_bytes; i++) {
		uint8_t b;

		if (p == end)
			return false;
		b = *p++;
		if (i == 9 && b > 1)
			return false;
		v |= (uint64_t)(b & 0x7fu) << (7u * i);
		if ((b & 0x80u) == 0) {
			*pp = p;
			*out = v;
			return true;
		}
	}
	return false;
}

/* One field of an encoded message, as found by next_field(). */
struct wire_field {
	uint32_t num;
	unsigned wt;
	uint64_t value;         /* varint value */
	const uint8_t *payload; /* length-delimited contents */
	size_t len;
	const uint8_t *start; /* first byte of the key */
	bool long_form;       /* key or length in more than 5 bytes */
};

/* Reads the next field of [*pp, end). Field keys and lengths are varints
 * of up to 10 bytes whose value fits 32 bits; field number 0, groups and
 * wire types 6 and 7 are malformed ([HCP-WIRE-5]). A key or length longer
 * than 5 bytes is well-formed but beyond protobuf-c 1.4.1, which stops at
 * 5: long_form marks it for the canonical rewrite. */
static bool next_field(const uint8_t **pp, const uint8_t *end,
                       struct wire_field *wf)
{
	const uint8_t *p = *pp;
	const uint8_t *at;
	uint64_t key;
	uint64_t len;

	wf->start = p;
	wf->value = 0;
	wf->payload = NULL;
	wf->len = 0;
	if (!read_varint(&p, end, 10, &key) || key > UINT32_MAX)
		return false;
	wf->long_form = p - wf->start > 5;
	wf->num = (uint32_t)(key >> 3);
	wf->wt = (unsigned)(key & 7u);
	if (wf->num == 0)
		return false;
	switch (wf->wt) {
	case WT_VARINT:
		if (!read_varint(&p, end, 10, &wf->value))
			return false;
		break;
	case WT_FIXED64:
		if (8 > (size_t)(end - p))
			return false;
		p += 8;
		break;
	case WT_FIXED32:
		if (4 > (size_t)(end - p))
			return false;
		p += 4;
		break;
	case WT_LEN:
		at = p;
		if (!read_varint(&p, end, 10, &len) || len > UINT32_MAX ||
		    len > (size_t)(end - p))
			return false;
		if (p - at > 5)
			wf->long_form = true;
		wf->payload = p;
		wf->len = (size_t)len;
		p += len;
		break;
	default:
		return false;
	}
	*pp = p;
	return true;
}

static bool kind_matches(const struct wfield *f, const struct wire_field *wf)
{
	switch (f->kind) {
	case K_U32:
		return wf->wt == WT_VARINT && wf->value <= UINT32_MAX;
	case K_U64:
		return wf->wt == WT_VARINT;
	case K_ENUM:
		/* Enum values are int32 on the wire. HCP's enums have no
		 * negative members, and nanopb 0.4.7 treats such enums as
		 * unsigned (it writes -1 in five bytes and refuses the
		 * ten-byte form) while protobuf-c writes ten bytes: only
		 * 0..INT32_MAX means the same to both. */
		return wf->wt == WT_VARINT && wf->value <= INT32_MAX;
	default:
		return wf->wt == WT_LEN;
	}
}

bool hcp_utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t b = p[i];
		size_t need;
		uint32_t cp;
		uint32_t min;
		size_t k;

		if (b == 0x00u) /* U+0000: excluded by [HCP-WIRE-6] */
			return false;
		if (b < 0x80u) {
			i++;
			continue;
		}
		if (b >= 0xc2u && b <= 0xdfu) {
			need = 1;
			cp = b & 0x1fu;
			min = 0x80u;
		} else if (b >= 0xe0u && b <= 0xefu) {
			need = 2;
			cp = b & 0x0fu;
			min = 0x800u;
		} else if (b >= 0xf0u && b <= 0xf4u) {
			need = 3;
			cp = b & 0x07u;
			min = 0x10000u;
		} else {
			return false;
		}
		if (need > n - i - 1)
			return false;
		for (k = 1; k <= need; k++) {
			uint8_t c = p[i + k];

			if ((c & 0xc0u) != 0x80u)
				return false;
			cp = (cp << 6) | (c & 0x3fu);
		}
		if (cp < min || cp > 0x10ffffu ||
		    (cp >= 0xd800u && cp <= 0xdfffu))
			return false;
		i += need + 1;
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Wire check
 * ---------------------------------------------------------------------- */

struct scan {
	bool limit;
	bool utf8;
	bool unknown; /* unknown fields, or keys and lengths in long form */
	bool merges;  /* a non-repeated submessage more than once */
};

static bool scan_msg(const struct wmsg *m, const uint8_t *p, const uint8_t *end,
                     struct scan *s)
{
	uint32_t seen = 0; /* non-repeated submessage fields seen, by number */
	uint32_t last_oneof = 0;
	size_t count[16] = { 0 }; /* repeated entries, by field number */
	struct wire_field wf;

	while (p != end) {
		const struct wfield *f;

		if (!next_field(&p, end, &wf))
			return false;
		if (wf.long_form)
			s->unknown = true; /* rewritten for protobuf-c */
		f = find_field(m, wf.num);
		if (f == NULL) {
			s->unknown = true; /* skipped ([HCP-WIRE-2]) */
			continue;
		}
		if (!kind_matches(f, &wf))
			return false;
		if (f->oneof) {
			if (f->kind == K_MSG && last_oneof == f->num)
				s->merges = true;
			last_oneof = f->num;
		} else if (f->kind == K_MSG && !f->repeated) {
			if (seen & (1u << f->num))
				s->merges = true;
			seen |= 1u << f->num;
		}
		if ((f->kind == K_STR || f->kind == K_BYTES) &&
		    wf.len > f->limit)
			s->limit = true;
		if (f->repeated && ++count[f->num] > f->limit)
			s->limit = true;
		if (f->kind == K_STR && !hcp_utf8_valid(wf.payload, wf.len))
			s->utf8 = true;
		if (f->kind == K_MSG &&
		    !scan_msg(f->sub, wf.payload, wf.payload + wf.len, s))
			return false;
	}
	return true;
}

/* Repeated fields counted as a streaming decoder into fixed arrays counts
 * them (nanopb does): a non-repeated submessage given again keeps
 * counting into the same message, a repeated one starts a fresh element,
 * and switching a oneof to another member clears what the old member
 * held. A count over its limit in any message, even one that a later
 * oneof member replaces, is over the limit ([HCP-WIRE-15]: a fixed-memory
 * decoder stops at the first over-limit field). One pass; the state is a
 * small tree of counters, one node per submessage that can merge. */
#define COUNT_NODES 40 /* the schema needs 28 at most */

struct cnode {
	uint16_t count[MAX_FIELD_NUM + 1];
	uint8_t child[MAX_FIELD_NUM + 1]; /* pool index + 1; 0: none */
	uint8_t oneof_member;
};

struct counter {
	struct cnode pool[COUNT_NODES];
	size_t top;
	bool over;
};

/* A cleared node; 0 when the pool is spent (which the schema rules out;
 * the frame is then refused rather than miscounted). */
static uint8_t cnode_new(struct counter *c)
{
	if (c->top == COUNT_NODES) {
		c->over = true;
		return 0;
	}
	memset(&c->pool[c->top], 0, sizeof(c->pool[0]));
	c->top++;
	return (uint8_t)c->top;
}

static void cnode_clear(struct counter *c, uint8_t idx)
{
	struct cnode *n;
	size_t i;

	if (idx == 0)
		return;
	n = &c->pool[idx - 1];
	memset(n->count, 0, sizeof(n->count));
	n->oneof_member = 0;
	for (i = 0; i <= MAX_FIELD_NUM; i++)
		cnode_clear(c, n->child[i]);
}

static void switch_oneof(struct counter *c, struct cnode *st, uint32_t num)
{
	if (st->oneof_member == num)
		return;
	cnode_clear(c, st->child[st->oneof_member]);
	st->oneof_member = (uint8_t)num;
}

static void count_msg(struct counter *c, const struct wmsg *m, const uint8_t *p,
                      const uint8_t *end, uint8_t idx)
{
	struct wire_field wf;

	while (p != end && !c->over && next_field(&p, end, &wf)) {
		const struct wfield *f = find_field(m, wf.num);
		struct cnode *st = &c->pool[idx - 1];
		size_t top;
		uint8_t el;

		if (f == NULL)
			continue;
		if (f->oneof)
			switch_oneof(c, st, f->num);
		if (f->kind != K_MSG)
			continue;
		if (!f->repeated) {
			if (st->child[f->num] == 0)
				st->child[f->num] = cnode_new(c);
			if (st->child[f->num] != 0)
				count_msg(c, f->sub, wf.payload,
				          wf.payload + wf.len,
				          st->child[f->num]);
			continue;
		}
		if (++st->count[f->num] > f->limit) {
			c->over = true;
			return;
		}
		/* A fresh element, whose counters end with it. */
		top = c->top;
		el = cnode_new(c);
		if (el != 0)
			count_msg(c, f->sub, wf.payload, wf.payload + wf.len,
			          el);
		c->top = top;
	}
}

static bool merged_over_limit(const uint8_t *data, size_t len)
{
	struct counter c;
	uint8_t root;

	c.top = 0;
	c.over = false;
	root = cnode_new(&c);
	count_msg(&c, &m_frame, data, data + len, root);
	return c.over;
}

hcp_error hcp_wire_check(const uint8_t *data, size_t len, bool *rewrite)
{
	struct scan s = { false, false, false, false };

	if (rewrite != NULL)
		*rewrite = false;
	if (data == NULL && len > 0)
		return HCP_E_ARG;
	if (len > 0 && !scan_msg(&m_frame, data, data + len, &s))
		return HCP_E_WIRE;
	if (rewrite != NULL)
		*rewrite = s.unknown || s.merges;
	if (s.limit || (s.merges && merged_over_limit(data, len)))
		return HCP_E_LIMIT;
	if (s.utf8)
		return HCP_E_UTF8;
	return HCP_OK;
}

/* ------------------------------------------------------------------------
 * Canonical re-encoding
 *
 * A message instance is the sequence of fields that protobuf parses into
 * one message: for a top-level buffer, its bytes; for a non-repeated
 * submessage, the contents of every occurrence of that field in the parent
 * instance, in order (protobuf merges them), from the last occurrence of
 * another member of the same oneof on. Instances are walked in place
 * through their chain of parents; nothing is copied.
 * ---------------------------------------------------------------------- */

struct inst {
	const struct inst *parent; /* NULL: the bytes [p, end) */
	const uint8_t *p;
	const uint8_t *end;
	uint32_t field;       /* the parent's field forming this instance */
	const uint8_t *after; /* occurrences starting before are dropped */
};

typedef void (*field_fn)(void *ctx, const struct wire_field *wf);

static void visit(const struct inst *in, field_fn fn, void *ctx);

struct sub_visit {
	const struct inst *in;
	field_fn fn;
	void *ctx;
};

static void visit_bytes(const uint8_t *p, const uint8_t *end, field_fn fn,
                        void *ctx)
{
	struct wire_field wf;

	while (p != end && next_field(&p, end, &wf))
		fn(ctx, &wf);
}

static void sub_fn(void *ctx, const struct wire_field *wf)
{
	const struct sub_visit *sv = ctx;

	if (wf->num != sv->in->field || wf->wt != WT_LEN)
		return;
	if (sv->in->after != NULL && wf->start < sv->in->after)
		return;
	visit_bytes(wf->payload, wf->payload + wf->len, sv->fn, sv->ctx);
}

static void visit(const struct inst *in, field_fn fn, void *ctx)
{
	struct sub_visit sv;

	if (in->parent == NULL) {
		visit_bytes(in->p, in->end, fn, ctx);
		return;
	}
	sv.in = in;
	sv.fn = fn;
	sv.ctx = ctx;
	visit(in->parent, sub_fn, &sv);
}

/* The last occurrence of every field of one instance, found in one walk,
 * and which member of the oneof came last, from where its run starts. */
struct lasts {
	const struct wmsg *m;
	bool found[MAX_FIELD_NUM + 1];
	struct wire_field last[MAX_FIELD_NUM + 1];
	uint32_t oneof_last;      /* member of the oneof that came last */
	const uint8_t *oneof_run; /* its first occurrence after another */
};

static void lasts_fn(void *ctx, const struct wire_field *wf)
{
	struct lasts *q = ctx;
	const struct wfield *f = find_field(q->m, wf->num);

	if (f == NULL)
		return;
	if (f->oneof && q->oneof_last != wf->num) {
		q->oneof_last = wf->num;
		q->oneof_run = wf->start;
	}
	q->found[wf->num] = true;
	q->last[wf->num] = *wf;
}

struct out {
	uint8_t *p; /* NULL: count only */
	size_t n;
	bool over; /* a repeated field of one instance is over its limit */
};

static void put_byte(struct out *o, uint8_t b)
{
	if (o->p != NULL)
		o->p[o->n] = b;
	o->n++;
}

static size_t varint_size(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80u) {
		v >>= 7;
		n++;
	}
	return n;
}

static void put_varint(struct out *o, uint64_t v)
{
	while (v >= 0x80u) {
		put_byte(o, (uint8_t)((v & 0x7fu) | 0x80u));
		v >>= 7;
	}
	put_byte(o, (uint8_t)v);
}

static void put_bytes(struct out *o, const uint8_t *p, size_t n)
{
	if (o->p != NULL && n > 0)
		memcpy(o->p + o->n, p, n);
	o->n += n;
}

static void emit_msg(const struct wmsg *m, const struct inst *in,
                     struct out *o);

/* Emits one submessage field holding the instance sub, in one pass: the
 * contents go after room for the longest length prefix and move down
 * once their length is known. */
static void emit_sub(const struct wfield *f, const struct inst *sub,
                     struct out *o)
{
	size_t at;
	size_t len;
	size_t plen;

	put_varint(o, ((uint64_t)f->num << 3) | WT_LEN);
	at = o->n;
	o->n += HCP_MAX_PREFIX_SIZE;
	emit_msg(f->sub, sub, o);
	len = o->n - at - HCP_MAX_PREFIX_SIZE;
	plen = varint_size(len);
	if (o->p != NULL)
		memmove(o->p + at + plen, o->p + at + HCP_MAX_PREFIX_SIZE, len);
	o->n = at;
	put_varint(o, len);
	o->n = at + plen + len;
}

struct repeated_ctx {
	const struct wfield *f;
	struct out *o;
	size_t count;
};

static void repeated_fn(void *ctx, const struct wire_field *wf)
{
	struct repeated_ctx *rc = ctx;
	struct inst one;

	if (wf->num != rc->f->num)
		return;
	if (++rc->count > rc->f->limit)
		rc->o->over = true;
	one.parent = NULL;
	one.p = wf->payload;
	one.end = wf->payload + wf->len;
	one.field = 0;
	one.after = NULL;
	emit_sub(rc->f, &one, rc->o);
}

static void emit_field(const struct lasts *q, const struct inst *in,
                       const struct wfield *f, struct out *o)
{
	const struct wire_field *last = &q->last[f->num];
	struct inst sub;

	if (f->repeated) {
		struct repeated_ctx rc = { f, o, 0 };

		visit(in, repeated_fn, &rc);
		return;
	}
	/* A oneof is emitted once, at the member that arrived last. */
	if (!q->found[f->num] || (f->oneof && q->oneof_last != f->num))
		return;
	switch (f->kind) {
	case K_MSG:
		sub.parent = in;
		sub.p = NULL;
		sub.end = NULL;
		sub.field = f->num;
		sub.after = f->oneof ? q->oneof_run : NULL;
		emit_sub(f, &sub, o);
		return;
	case K_STR:
	case K_BYTES:
		if (last->len == 0 && !f->oneof)
			return;
		put_varint(o, ((uint64_t)f->num << 3) | WT_LEN);
		put_varint(o, last->len);
		put_bytes(o, last->payload, last->len);
		return;
	default:
		if (last->value == 0 && !f->oneof)
			return;
		put_varint(o, (uint64_t)f->num << 3);
		put_varint(o, last->value);
		return;
	}
}

static void emit_msg(const struct wmsg *m, const struct inst *in, struct out *o)
{
	struct lasts q;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.m = m;
	visit(in, lasts_fn, &q);
	for (i = 0; i < m->n; i++)
		emit_field(&q, in, &m->f[i], o);
}

static void root_inst(struct inst *root, const uint8_t *data, size_t len)
{
	root->parent = NULL;
	root->p = data;
	root->end = data + len;
	root->field = 0;
	root->after = NULL;
}

hcp_error hcp_wire_canonical(const uint8_t *data, size_t len, uint8_t *out,
                             size_t *written)
{
	struct inst root;
	struct out o;

	if (written != NULL)
		*written = 0;
	if (written == NULL || (data == NULL && len > 0) ||
	    (out == NULL && len > 0) || len > HCP_MAX_FRAME_SIZE)
		return HCP_E_ARG;
	root_inst(&root, data, len);
	o.p = NULL;
	o.n = 0;
	o.over = false;
	emit_msg(&m_frame, &root, &o);
	if (o.over)
		return HCP_E_LIMIT;
	if (o.n > len)
		return HCP_E_BUFFER;
	o.p = out;
	o.n = 0;
	emit_msg(&m_frame, &root, &o);
	*written = o.n;
	return HCP_OK;
}

/* ------------------------------------------------------------------------
 * View checks, phase 1: limits ([HCP-LIMIT-1] to [HCP-LIMIT-11])
 * ---------------------------------------------------------------------- */

static bool endpoints_over(const hcp_vendpoints *e)
{
	size_t i;

	if (e->count > HCP_MAX_REDIRECTS)
		return true;
	for (i = 0; i < e->count; i++)
		if (e->url[i].n > HCP_MAX_ENDPOINT_SIZE)
			return true;
	return false;
}

static bool connect_over(const hcp_view *v)
{
	size_t i;

	if (v->u.connect.credentials.n > HCP_MAX_CREDENTIALS_SIZE)
		return true;
	if (!v->u.connect.has_resume)
		return false;
	if (v->u.connect.token.n > HCP_MAX_RESUME_TOKEN_SIZE ||
	    v->u.connect.n_streams > HCP_MAX_RESUME_STREAMS)
		return true;
	for (i = 0; i < v->u.connect.n_streams; i++)
		if (v->u.connect.stream[i].n > HCP_MAX_STREAM_NAME_SIZE)
			return true;
	return false;
}

static bool welcome_over(const hcp_view *v)
{
	size_t i;

	if (v->u.welcome.session_id.n > HCP_MAX_SESSION_ID_SIZE ||
	    v->u.welcome.resume_token.n > HCP_MAX_RESUME_TOKEN_SIZE)
		return true;
	if (!v->u.welcome.has_resume)
		return false;
	if (v->u.welcome.n_outcomes > HCP_MAX_RESUME_STREAMS)
		return true;
	for (i = 0; i < v->u.welcome.n_outcomes; i++)
		if (v->u.welcome.outcome[i].stream.n > HCP_MAX_STREAM_NAME_SIZE)
			return true;
	return false;
}

static bool over_limit(const hcp_view *v)
{
	switch (v->body) {
	case HCP_BODY_CONNECT:
		return connect_over(v);
	case HCP_BODY_WELCOME:
		return welcome_over(v);
	case HCP_BODY_BUSY:
		return v->u.busy.reason_text.n > HCP_MAX_REASON_TEXT_SIZE ||
		       endpoints_over(&v->u.busy.redirect);
	case HCP_BODY_NOTICE:
		return v->u.notice.reason_text.n > HCP_MAX_REASON_TEXT_SIZE ||
		       endpoints_over(&v->u.notice.redirect) ||
		       v->u.notice.resume_token.n > HCP_MAX_RESUME_TOKEN_SIZE;
	case HCP_BODY_CLOSE:
		return v->u.close.reason_text.n > HCP_MAX_REASON_TEXT_SIZE;
	case HCP_BODY_SUBSCRIBE:
		return v->u.subscribe.stream.n > HCP_MAX_STREAM_NAME_SIZE ||
		       v->u.subscribe.grant.n > HCP_MAX_GRANT_SIZE;
	case HCP_BODY_UNSUBSCRIBE:
		return v->u.unsubscribe.stream.n > HCP_MAX_STREAM_NAME_SIZE;
	case HCP_BODY_MESSAGE:
		return v->u.message.stream.n > HCP_MAX_STREAM_NAME_SIZE ||
		       v->u.message.payload.n > HCP_MAX_PAYLOAD_SIZE;
	default:
		return false;
	}
}

/* ------------------------------------------------------------------------
 * Phase 2: UTF-8 of every string ([HCP-WIRE-6])
 * ---------------------------------------------------------------------- */

static bool utf8_ok(hcp_vbytes s)
{
	return hcp_utf8_valid(s.p, s.n);
}

static bool endpoints_utf8(const hcp_vendpoints *e)
{
	size_t i;

	for (i = 0; i < e->count; i++)
		if (!utf8_ok(e->url[i]))
			return false;
	return true;
}

static bool strings_utf8(const hcp_view *v)
{
	size_t i;

	switch (v->body) {
	case HCP_BODY_CONNECT:
		for (i = 0;
		     v->u.connect.has_resume && i < v->u.connect.n_streams; i++)
			if (!utf8_ok(v->u.connect.stream[i]))
				return false;
		return true;
	case HCP_BODY_WELCOME:
		if (!utf8_ok(v->u.welcome.session_id))
			return false;
		for (i = 0;
		     v->u.welcome.has_resume && i < v->u.welcome.n_outcomes;
		     i++)
			if (!utf8_ok(v->u.welcome.outcome[i].stream))
				return false;
		return true;
	case HCP_BODY_BUSY:
		return utf8_ok(v->u.busy.reason_text) &&
		       endpoints_utf8(&v->u.busy.redirect);
	case HCP_BODY_NOTICE:
		return utf8_ok(v->u.notice.reason_text) &&
		       endpoints_utf8(&v->u.notice.redirect);
	case HCP_BODY_CLOSE:
		return utf8_ok(v->u.close.reason_text);
	case HCP_BODY_SUBSCRIBE:
		return utf8_ok(v->u.subscribe.stream);
	case HCP_BODY_UNSUBSCRIBE:
		return utf8_ok(v->u.unsubscribe.stream);
	case HCP_BODY_MESSAGE:
		return utf8_ok(v->u.message.stream);
	default:
		return true;
	}
}

/* ------------------------------------------------------------------------
 * Phase 3: the other rules ([HCP-WIRE-15]): message by message, each
 * message's own rules in the order the specification lists them (chapter
 * by chapter), then its submessages in field order.
 * ---------------------------------------------------------------------- */

static hcp_error check_frame_size(uint32_t max_frame_size)
{
	/* [HCP-FRAME-5] */
	if (max_frame_size != 0 && (max_frame_size < HCP_MIN_FRAME_SIZE ||
	                            max_frame_size > HCP_MAX_FRAME_SIZE))
		return HCP_E_RANGE;
	return HCP_OK;
}

static hcp_error check_hint(const hcp_vhint *vh)
{
	const hcp_backoff_hint *h = &vh->h;

	if (!vh->present)
		return HCP_OK;
	/* [HCP-BACKOFF-1] */
	if (h->base_ms > HCP_MAX_DELAY_MS || h->cap_ms > HCP_MAX_DELAY_MS ||
	    h->floor_ms > HCP_MAX_DELAY_MS || h->stable_ms > HCP_MAX_DELAY_MS)
		return HCP_E_RANGE;
	if (h->multiplier_milli != 0 &&
	    (h->multiplier_milli < HCP_MIN_MULTIPLIER_MILLI ||
	     h->multiplier_milli > HCP_MAX_MULTIPLIER_MILLI))
		return HCP_E_RANGE;
	if (h->attempt_budget > HCP_MAX_ATTEMPT_BUDGET)
		return HCP_E_RANGE;
	/* [HCP-BACKOFF-2] */
	if (h->base_ms != 0 && h->cap_ms != 0 && h->cap_ms < h->base_ms)
		return HCP_E_CONFLICT;
	return HCP_OK;
}

static hcp_error check_window(const hcp_vwindow *w)
{
	if (!w->present)
		return HCP_OK;
	/* [HCP-NOTICE-3] */
	if (w->not_before_ms > w->not_after_ms)
		return HCP_E_CONFLICT;
	if (w->not_after_ms > HCP_MAX_DELAY_MS)
		return HCP_E_RANGE;
	return HCP_OK;
}

static hcp_error check_endpoints(const hcp_vendpoints *e)
{
	size_t i;

	/* [HCP-LIMIT-7]: an empty url is missing. */
	for (i = 0; i < e->count; i++)
		if (e->url[i].n == 0)
			return HCP_E_MISSING;
	return HCP_OK;
}

/* [HCP-RESUME-1]: the token and its lifetime come together, and the
 * lifetime has a ceiling. */
static hcp_error check_token_pair(hcp_vbytes token, uint32_t ttl)
{
	if ((token.n > 0) != (ttl != 0))
		return HCP_E_CONFLICT;
	if (ttl > HCP_MAX_RESUME_TOKEN_TTL_MS)
		return HCP_E_RANGE;
	return HCP_OK;
}

static hcp_error check_connect(const hcp_view *v)
{
	size_t i;

	if (check_frame_size(v->u.connect.max_frame_size) != HCP_OK)
		return HCP_E_RANGE;
	if (v->u.connect.version == 0) /* [HCP-CONN-2] */
		return HCP_E_MISSING;
	if (!v->u.connect.has_resume)
		return HCP_OK;
	if (v->u.connect.token.n == 0) /* [HCP-RESUME-2] */
		return HCP_E_MISSING;
	for (i = 0; i < v->u.connect.n_streams; i++) /* [HCP-LIMIT-5] */
		if (v->u.connect.stream[i].n == 0)
			return HCP_E_MISSING;
	return HCP_OK;
}

enum {
	RESUME_STATUS_PARTIAL = 2,
	RESUME_STATUS_REFUSED = 3,
	STREAM_STATUS_LOST = 3,
	SUBSCRIBE_STATUS_REJECTED = 3,
	SUBSCRIBE_STATUS_RETRY_LATER = 4,
};

static hcp_error check_resume_result(const hcp_view *v)
{
	int32_t status = v->u.welcome.resume_status;
	size_t n = v->u.welcome.n_outcomes;
	size_t i;

	if (status == 0) /* [HCP-RESUME-3] */
		return HCP_E_MISSING;
	if (status == RESUME_STATUS_REFUSED) { /* [HCP-RESUME-4] */
		if (v->u.welcome.resume_reason == 0)
			return HCP_E_MISSING;
		if (n != 0)
			return HCP_E_CONFLICT;
	}
	if (status == RESUME_STATUS_PARTIAL && n == 0) /* [HCP-RESUME-5] */
		return HCP_E_MISSING;
	for (i = 0; i < n; i++) {
		const hcp_voutcome *o = &v->u.welcome.outcome[i];

		if (o->stream.n == 0) /* [HCP-LIMIT-5] */
			return HCP_E_MISSING;
		if (o->status == 0) /* [HCP-RESUME-6] */
			return HCP_E_MISSING;
		if (o->status == STREAM_STATUS_LOST && o->reason == 0)
			return HCP_E_MISSING;
	}
	return HCP_OK;
}

static hcp_error check_welcome(const hcp_view *v)
{
	uint32_t hb = v->u.welcome.heartbeat_interval_ms;
	hcp_error err;

	err = check_frame_size(v->u.welcome.max_frame_size);
	if (err != HCP_OK)
		return err;
	if (v->u.welcome.session_id.n == 0) /* [HCP-LIMIT-4] */
		return HCP_E_MISSING;
	if (v->u.welcome.version == 0) /* [HCP-CONN-4] */
		return HCP_E_MISSING;
	if (hb != 0 && (hb < HCP_MIN_HEARTBEAT_MS || hb > HCP_MAX_HEARTBEAT_MS))
		return HCP_E_RANGE; /* [HCP-CONN-5] */
	err = check_token_pair(v->u.welcome.resume_token,
	                       v->u.welcome.resume_token_ttl_ms);
	if (err != HCP_OK)
		return err;
	if (v->u.welcome.subscribe_window > HCP_MAX_SUBSCRIBE_WINDOW)
		return HCP_E_RANGE; /* [HCP-SUB-4] */
	if (v->u.welcome.has_resume) {
		err = check_resume_result(v);
		if (err != HCP_OK)
			return err;
	}
	return check_hint(&v->u.welcome.backoff);
}

static hcp_error check_busy(const hcp_view *v)
{
	hcp_error err;

	if (v->u.busy.reason == 0) /* [HCP-BUSY-1] */
		return HCP_E_MISSING;
	err = check_window(&v->u.busy.retry);
	if (err != HCP_OK)
		return err;
	err = check_hint(&v->u.busy.backoff);
	if (err != HCP_OK)
		return err;
	return check_endpoints(&v->u.busy.redirect);
}

static hcp_error check_notice(const hcp_view *v)
{
	hcp_error err;

	if (v->u.notice.reason == 0) /* [HCP-NOTICE-1] */
		return HCP_E_MISSING;
	if (v->u.notice.deadline_ms > HCP_MAX_DEADLINE_MS) /* [HCP-NOTICE-2] */
		return HCP_E_RANGE;
	if (v->u.notice.has_assigned_delay &&
	    v->u.notice.assigned_delay_ms > HCP_MAX_DELAY_MS)
		return HCP_E_RANGE; /* [HCP-NOTICE-4] */
	if (hcp_reason_class_of(v->u.notice.reason) == HCP_CLASS_STOP &&
	    (v->u.notice.window.present || v->u.notice.has_assigned_delay ||
	     v->u.notice.redirect.count > 0 || v->u.notice.resume_token.n > 0))
		return HCP_E_CONFLICT; /* [HCP-NOTICE-5] */
	err = check_token_pair(v->u.notice.resume_token,
	                       v->u.notice.resume_token_ttl_ms);
	if (err != HCP_OK)
		return err;
	err = check_window(&v->u.notice.window);
	if (err != HCP_OK)
		return err;
	err = check_endpoints(&v->u.notice.redirect);
	if (err != HCP_OK)
		return err;
	return check_hint(&v->u.notice.backoff);
}

static hcp_error check_subscribe_ack(const hcp_view *v)
{
	int32_t status = v->u.subscribe_ack.status;

	/* [HCP-SUB-2] */
	if (v->u.subscribe_ack.request_id == 0 || status == 0)
		return HCP_E_MISSING;
	/* [HCP-SUB-3] */
	if ((status == SUBSCRIBE_STATUS_REJECTED ||
	     status == SUBSCRIBE_STATUS_RETRY_LATER) &&
	    v->u.subscribe_ack.reason == 0)
		return HCP_E_MISSING;
	if (v->u.subscribe_ack.window > HCP_MAX_SUBSCRIBE_WINDOW)
		return HCP_E_RANGE; /* [HCP-SUB-4] */
	return check_hint(&v->u.subscribe_ack.backoff);
}

static hcp_error check_rules(const hcp_view *v)
{
	switch (v->body) {
	case HCP_BODY_CONNECT:
		return check_connect(v);
	case HCP_BODY_WELCOME:
		return check_welcome(v);
	case HCP_BODY_BUSY:
		return check_busy(v);
	case HCP_BODY_NOTICE:
		return check_notice(v);
	case HCP_BODY_CLOSE:
		if (v->u.close.reason == 0) /* [HCP-CONN-6] */
			return HCP_E_MISSING;
		return check_hint(&v->u.close.backoff);
	case HCP_BODY_SUBSCRIBE:
		if (v->u.subscribe.stream.n == 0) /* [HCP-LIMIT-5] */
			return HCP_E_MISSING;
		if (v->u.subscribe.request_id == 0) /* [HCP-SUB-1] */
			return HCP_E_MISSING;
		return HCP_OK;
	case HCP_BODY_SUBSCRIBE_ACK:
		return check_subscribe_ack(v);
	case HCP_BODY_UNSUBSCRIBE:
		if (v->u.unsubscribe.stream.n == 0) /* [HCP-LIMIT-5] */
			return HCP_E_MISSING;
		return HCP_OK;
	case HCP_BODY_MESSAGE:
		if (v->u.message.stream.n == 0) /* [HCP-LIMIT-5] */
			return HCP_E_MISSING;
		if (!v->u.message.has_position) /* [HCP-SUB-7] */
			return HCP_E_MISSING;
		return HCP_OK;
	default:
		return HCP_OK; /* no body, or a body of a later version */
	}
}

/* Enum values that no decoded frame holds (the wire check refuses them)
 * and that the two encoders would write differently: a caller's error. */
static bool enums_ok(const hcp_view *v)
{
	const hcp_vhint *h = NULL;
	size_t i;

	switch (v->body) {
	case HCP_BODY_WELCOME:
		if (v->u.welcome.resume_status < 0)
			return false;
		for (i = 0;
		     i < v->u.welcome.n_outcomes && i < HCP_MAX_RESUME_STREAMS;
		     i++)
			if (v->u.welcome.outcome[i].status < 0)
				return false;
		h = &v->u.welcome.backoff;
		break;
	case HCP_BODY_BUSY:
		h = &v->u.busy.backoff;
		break;
	case HCP_BODY_NOTICE:
		if (v->u.notice.scope < 0)
			return false;
		h = &v->u.notice.backoff;
		break;
	case HCP_BODY_CLOSE:
		h = &v->u.close.backoff;
		break;
	case HCP_BODY_SUBSCRIBE_ACK:
		if (v->u.subscribe_ack.status < 0)
			return false;
		h = &v->u.subscribe_ack.backoff;
		break;
	default:
		break;
	}
	return h == NULL || !h->present || h->h.jitter <= INT32_MAX;
}

hcp_error hcp_validate_view(const hcp_view *v)
{
	if (v == NULL || !enums_ok(v))
		return HCP_E_ARG;
	if (over_limit(v))
		return HCP_E_LIMIT;
	if (!strings_utf8(v))
		return HCP_E_UTF8;
	return check_rules(v);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee.c: the backend-neutral part of the reference testees. It reads
 * requests framed by a 4-byte little-endian length from stdin, runs the
 * kind each one names and writes the response the same way to stdout,
 * until end of file. Kinds: wire.decode (through the backend),
 * frame.read, frame.prefix, backoff.delay, backoff.params,
 * backoff.next_attempt, window.pick, reason.class, reason.to_ws,
 * reason.from_ws; anything else is answered "unsupported". A request
 * whose input is missing or out of range gets a runtime error, never a
 * crash.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testee.h"

/* Requests larger than this are refused (the testee exits). */
#define HCP_TESTEE_MAX_REQUEST (64u * 1024u * 1024u)

/* ------------------------------------------------------------------------
 * Building answers
 * ---------------------------------------------------------------------- */

static void free_value(Hcp__Conformance__V1__Value *v)
{
	if (v == NULL)
		return;
	switch (v->value_case) {
	case HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE:
		free(v->bytes_value.data);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE:
		free(v->string_value);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE:
		for (size_t i = 0; i < v->list_value->n_values; i++)
			free_value(v->list_value->values[i]);
		free(v->list_value->values);
		free(v->list_value);
		break;
	default:
		break;
	}
	free(v);
}

static void free_answer(struct hcp_testee_answer *a)
{
	for (size_t i = 0; i < a->out.n_fields; i++) {
		free(a->out.fields[i]->key);
		free_value(a->out.fields[i]->value);
		free(a->out.fields[i]);
	}
	free(a->out.fields);
	a->out.fields = NULL;
	a->out.n_fields = 0;
}

static void init_answer(struct hcp_testee_answer *a)
{
	memset(a, 0, sizeof(*a));
	hcp__conformance__v1__response__init(&a->resp);
	hcp__conformance__v1__output__init(&a->out);
	hcp__conformance__v1__parse_error__init(&a->perr);
	a->resp.result_case = HCP__CONFORMANCE__V1__RESPONSE__RESULT_OUTPUT;
	a->resp.output = &a->out;
}

static Hcp__Conformance__V1__Value *new_value(void)
{
	Hcp__Conformance__V1__Value *v = malloc(sizeof(*v));

	if (v != NULL)
		hcp__conformance__v1__value__init(v);
	return v;
}

static Hcp__Conformance__V1__Value *bytes_value(const uint8_t *p, size_t n)
{
	Hcp__Conformance__V1__Value *v = new_value();

	if (v == NULL)
		return NULL;
	v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE;
	v->bytes_value.data = malloc(n ? n : 1);
	if (v->bytes_value.data == NULL) {
		free(v);
		return NULL;
	}
	if (n > 0)
		memcpy(v->bytes_value.data, p, n);
	v->bytes_value.len = n;
	return v;
}

static void put(struct hcp_testee_answer *a, const char *key,
                Hcp__Conformance__V1__Value *v)
{
	Hcp__Conformance__V1__Output__FieldsEntry **f, *e;

	if (v == NULL) {
		a->failed = true;
		return;
	}
	f = realloc(a->out.fields, (a->out.n_fields + 1) * sizeof(*f));
	e = malloc(sizeof(*e));
	if (f != NULL)
		a->out.fields = f;
	if (f == NULL || e == NULL) {
		free(e);
		free_value(v);
		a->failed = true;
		return;
	}
	hcp__conformance__v1__output__fields_entry__init(e);
	e->key = strdup(key);
	e->value = v;
	if (e->key == NULL)
		a->failed = true;
	a->out.fields[a->out.n_fields++] = e;
}

void hcp_testee_put_bytes(struct hcp_testee_answer *a, const char *key,
                          const uint8_t *p, size_t n)
{
	put(a, key, bytes_value(p, n));
}

void hcp_testee_put_uint(struct hcp_testee_answer *a, const char *key,
                         uint64_t x)
{
	Hcp__Conformance__V1__Value *v = new_value();

	if (v != NULL) {
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE;
		v->uint_value = x;
	}
	put(a, key, v);
}

void hcp_testee_put_bool(struct hcp_testee_answer *a, const char *key, bool x)
{
	Hcp__Conformance__V1__Value *v = new_value();

	if (v != NULL) {
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_BOOL_VALUE;
		v->bool_value = x;
	}
	put(a, key, v);
}

void hcp_testee_put_str(struct hcp_testee_answer *a, const char *key,
                        const char *s)
{
	Hcp__Conformance__V1__Value *v = new_value();

	if (v != NULL) {
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE;
		v->string_value = strdup(s);
		if (v->string_value == NULL) {
			free(v);
			v = NULL;
		}
	}
	put(a, key, v);
}

static Hcp__Conformance__V1__Value *find_list(struct hcp_testee_answer *a,
                                              const char *key)
{
	for (size_t i = 0; i < a->out.n_fields; i++)
		if (strcmp(a->out.fields[i]->key, key) == 0 &&
		    a->out.fields[i]->value->value_case ==
		            HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE)
			return a->out.fields[i]->value;
	return NULL;
}

void hcp_testee_put_empty_list(struct hcp_testee_answer *a, const char *key)
{
	Hcp__Conformance__V1__Value *v = new_value();

	if (v != NULL) {
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE;
		v->list_value = malloc(sizeof(*v->list_value));
		if (v->list_value == NULL) {
			free(v);
			v = NULL;
		} else {
			hcp__conformance__v1__value_list__init(v->list_value);
		}
	}
	put(a, key, v);
}

void hcp_testee_put_list_bytes(struct hcp_testee_answer *a, const char *key,
                               const uint8_t *p, size_t n)
{
	Hcp__Conformance__V1__Value *list = find_list(a, key), *item;
	Hcp__Conformance__V1__Value **vs;

	if (list == NULL) {
		hcp_testee_put_empty_list(a, key);
		list = find_list(a, key);
		if (list == NULL) {
			a->failed = true;
			return;
		}
	}
	item = bytes_value(p, n);
	vs = realloc(list->list_value->values,
	             (list->list_value->n_values + 1) * sizeof(*vs));
	if (vs != NULL)
		list->list_value->values = vs;
	if (item == NULL || vs == NULL) {
		free_value(item);
		a->failed = true;
		return;
	}
	vs[list->list_value->n_values++] = item;
}

void hcp_testee_parse_error(struct hcp_testee_answer *a, hcp_error err)
{
	free_answer(a);
	a->resp.result_case =
	        HCP__CONFORMANCE__V1__RESPONSE__RESULT_PARSE_ERROR;
	a->resp.parse_error = &a->perr;
	snprintf(a->cls, sizeof(a->cls), "%s", hcp_error_class(err));
	snprintf(a->text, sizeof(a->text), "%s", hcp_strerror(err));
	a->perr.error_class = a->cls;
	a->perr.detail = a->text;
}

void hcp_testee_runtime_error(struct hcp_testee_answer *a, const char *msg)
{
	free_answer(a);
	snprintf(a->text, sizeof(a->text), "%s", msg);
	a->resp.result_case =
	        HCP__CONFORMANCE__V1__RESPONSE__RESULT_RUNTIME_ERROR;
	a->resp.runtime_error = a->text;
}

void hcp_testee_unsupported(struct hcp_testee_answer *a, const char *msg)
{
	free_answer(a);
	snprintf(a->text, sizeof(a->text), "%s", msg);
	a->resp.result_case =
	        HCP__CONFORMANCE__V1__RESPONSE__RESULT_UNSUPPORTED;
	a->resp.unsupported = a->text;
}

/* ------------------------------------------------------------------------
 * Reading inputs
 * ---------------------------------------------------------------------- */

const Hcp__Conformance__V1__Value *
hcp_testee_input(const Hcp__Conformance__V1__Request *req, const char *key)
{
	for (size_t i = 0; i < req->n_input; i++)
		if (req->input[i]->key != NULL &&
		    strcmp(req->input[i]->key, key) == 0)
			return req->input[i]->value;
	return NULL;
}

/* An optional uint input no larger than max; absent gives def. Returns
 * false (with a runtime error answered) when it is not a uint or too
 * large. */
static bool in_uint(const Hcp__Conformance__V1__Request *req,
                    struct hcp_testee_answer *a, const char *key, uint64_t def,
                    uint64_t max, uint64_t *out)
{
	const Hcp__Conformance__V1__Value *v = hcp_testee_input(req, key);
	char msg[128];

	if (v == NULL) {
		*out = def;
		return true;
	}
	if (v->value_case == HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE &&
	    v->uint_value <= max) {
		*out = v->uint_value;
		return true;
	}
	snprintf(msg, sizeof(msg), "input %s is not a uint of at most %llu",
	         key, (unsigned long long)max);
	hcp_testee_runtime_error(a, msg);
	return false;
}

static bool in_u32(const Hcp__Conformance__V1__Request *req,
                   struct hcp_testee_answer *a, const char *key, uint32_t *out)
{
	uint64_t v;

	if (!in_uint(req, a, key, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* ------------------------------------------------------------------------
 * Kinds
 * ---------------------------------------------------------------------- */

static void kind_wire_decode(const Hcp__Conformance__V1__Request *req,
                             struct hcp_testee_answer *a)
{
	const Hcp__Conformance__V1__Value *f = hcp_testee_input(req, "frame");
	static uint8_t out[4 * HCP_MAX_FRAME_SIZE];
	uint64_t max_frame;
	size_t n = 0;
	hcp_error err;

	if (f == NULL ||
	    f->value_case != HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE) {
		hcp_testee_runtime_error(a, "input frame (bytes) is missing");
		return;
	}
	if (!in_uint(req, a, "max_frame_size", HCP_MAX_FRAME_SIZE,
	             HCP_MAX_FRAME_SIZE, &max_frame))
		return;
	err = hcp_testee_decode(f->bytes_value.data, f->bytes_value.len,
	                        (size_t)max_frame, out, sizeof(out), &n);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_bytes(a, "canonical", out, n);
}

static void kind_frame_read(const Hcp__Conformance__V1__Request *req,
                            struct hcp_testee_answer *a)
{
	const Hcp__Conformance__V1__Value *c = hcp_testee_input(req, "chunks");
	uint64_t max_frame;
	uint8_t *buf;
	hcp_reader r;
	size_t pos = 0, frame_end = 0;
	hcp_error err;

	if (c == NULL ||
	    c->value_case != HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE) {
		hcp_testee_runtime_error(a, "input chunks (list) is missing");
		return;
	}
	if (!in_uint(req, a, "max_frame_size", HCP_MAX_FRAME_SIZE,
	             HCP_MAX_FRAME_SIZE, &max_frame))
		return;
	buf = malloc((size_t)max_frame);
	if (buf == NULL) {
		hcp_testee_runtime_error(a, "out of memory");
		return;
	}
	err = hcp_reader_init(&r, buf, (size_t)max_frame, (size_t)max_frame);
	if (err != HCP_OK) {
		free(buf);
		hcp_testee_runtime_error(a, "hcp_reader_init refused the "
		                            "maximum frame size");
		return;
	}
	hcp_testee_put_empty_list(a, "frames");
	for (size_t i = 0; i < c->list_value->n_values; i++) {
		const Hcp__Conformance__V1__Value *ch =
		        c->list_value->values[i];
		const uint8_t *data;
		size_t len;

		if (ch->value_case !=
		    HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE) {
			free(buf);
			hcp_testee_runtime_error(a, "a chunk is not bytes");
			return;
		}
		data = ch->bytes_value.data;
		len = ch->bytes_value.len;
		while (len > 0) {
			const uint8_t *frame;
			size_t flen, before = len;

			err = hcp_reader_next(&r, &data, &len, &frame, &flen);
			pos += before - len;
			if (err == HCP_E_INCOMPLETE)
				break;
			if (err != HCP_OK) {
				free(buf);
				hcp_testee_parse_error(a, err);
				return;
			}
			hcp_testee_put_list_bytes(a, "frames", frame, flen);
			frame_end = pos;
		}
	}
	free(buf);
	hcp_testee_put_bool(a, "pending", pos != frame_end);
}

static void kind_frame_prefix(const Hcp__Conformance__V1__Request *req,
                              struct hcp_testee_answer *a)
{
	uint8_t out[16];
	uint64_t len;
	size_t n = 0;
	hcp_error err;

	if (hcp_testee_input(req, "length") == NULL) {
		hcp_testee_runtime_error(a, "input length is missing");
		return;
	}
	if (!in_uint(req, a, "length", 0, SIZE_MAX, &len))
		return;
	err = hcp_prefix_write((size_t)len, out, sizeof(out), &n);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_bytes(a, "prefix", out, n);
}

/* Reads the BackoffHint fields and applies them. */
static bool backoff_of(const Hcp__Conformance__V1__Request *req,
                       struct hcp_testee_answer *a, hcp_backoff *b)
{
	hcp_backoff_hint h;
	hcp_error err;

	memset(&h, 0, sizeof(h));
	if (!in_u32(req, a, "base_ms", &h.base_ms) ||
	    !in_u32(req, a, "cap_ms", &h.cap_ms) ||
	    !in_u32(req, a, "multiplier_milli", &h.multiplier_milli) ||
	    !in_u32(req, a, "jitter", &h.jitter) ||
	    !in_u32(req, a, "floor_ms", &h.floor_ms) ||
	    !in_u32(req, a, "stable_ms", &h.stable_ms) ||
	    !in_u32(req, a, "attempt_budget", &h.attempt_budget))
		return false;
	err = hcp_backoff_from_hint(&h, b);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return false;
	}
	return true;
}

static void kind_backoff_delay(const Hcp__Conformance__V1__Request *req,
                               struct hcp_testee_answer *a)
{
	hcp_backoff b;
	uint32_t attempt, random, delay = 0;
	hcp_error err;

	if (!backoff_of(req, a, &b) || !in_u32(req, a, "attempt", &attempt) ||
	    !in_u32(req, a, "random", &random))
		return;
	err = hcp_backoff_delay(&b, attempt, random, &delay);
	if (err == HCP_E_BUDGET) {
		hcp_testee_put_bool(a, "give_up", true);
		return;
	}
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_bool(a, "give_up", false);
	hcp_testee_put_uint(a, "delay_ms", delay);
}

static void kind_backoff_params(const Hcp__Conformance__V1__Request *req,
                                struct hcp_testee_answer *a)
{
	hcp_backoff b;

	if (!backoff_of(req, a, &b))
		return;
	hcp_testee_put_uint(a, "base_ms", b.base_ms);
	hcp_testee_put_uint(a, "cap_ms", b.cap_ms);
	hcp_testee_put_uint(a, "multiplier_milli", b.multiplier_milli);
	hcp_testee_put_uint(a, "jitter", (uint64_t)b.jitter);
	hcp_testee_put_uint(a, "floor_ms", b.floor_ms);
	hcp_testee_put_uint(a, "stable_ms", b.stable_ms);
	hcp_testee_put_uint(a, "attempt_budget", b.attempt_budget);
}

static void kind_next_attempt(const Hcp__Conformance__V1__Request *req,
                              struct hcp_testee_answer *a)
{
	hcp_backoff b;
	uint32_t attempt, life;

	if (!backoff_of(req, a, &b) || !in_u32(req, a, "attempt", &attempt) ||
	    !in_u32(req, a, "lifetime_ms", &life))
		return;
	hcp_testee_put_uint(a, "attempt",
	                    hcp_backoff_next_attempt(&b, attempt, life));
}

static void kind_window_pick(const Hcp__Conformance__V1__Request *req,
                             struct hcp_testee_answer *a)
{
	uint32_t nb, na, r, d = 0;
	hcp_error err;

	if (!in_u32(req, a, "not_before_ms", &nb) ||
	    !in_u32(req, a, "not_after_ms", &na) ||
	    !in_u32(req, a, "random", &r))
		return;
	err = hcp_window_pick(nb, na, r, &d);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_uint(a, "delay_ms", d);
}

static void kind_reason_class(const Hcp__Conformance__V1__Request *req,
                              struct hcp_testee_answer *a)
{
	static const char *const names[] = { "none", "reconnect", "elsewhere",
		                             "reauth", "stop" };
	hcp_reason_class c;
	uint32_t code;

	if (!in_u32(req, a, "code", &code))
		return;
	c = hcp_reason_class_of(code);
	if ((unsigned)c >= sizeof(names) / sizeof(names[0])) {
		hcp_testee_runtime_error(a, "hcp_reason_class_of returned an "
		                            "unknown class");
		return;
	}
	hcp_testee_put_str(a, "class", names[c]);
}

static void kind_reason_to_ws(const Hcp__Conformance__V1__Request *req,
                              struct hcp_testee_answer *a)
{
	uint32_t code;

	if (!in_u32(req, a, "code", &code))
		return;
	hcp_testee_put_uint(a, "ws_close", hcp_reason_to_ws_close(code));
}

static void kind_reason_from_ws(const Hcp__Conformance__V1__Request *req,
                                struct hcp_testee_answer *a)
{
	uint64_t ws;

	if (!in_uint(req, a, "ws_close", 0, UINT16_MAX, &ws))
		return;
	hcp_testee_put_uint(a, "code", hcp_reason_from_ws_close((uint16_t)ws));
}

static const struct {
	const char *kind;
	void (*run)(const Hcp__Conformance__V1__Request *req,
	            struct hcp_testee_answer *a);
} kinds[] = {
	{ "wire.decode", kind_wire_decode },
	{ "frame.read", kind_frame_read },
	{ "frame.prefix", kind_frame_prefix },
	{ "backoff.delay", kind_backoff_delay },
	{ "backoff.params", kind_backoff_params },
	{ "backoff.next_attempt", kind_next_attempt },
	{ "window.pick", kind_window_pick },
	{ "reason.class", kind_reason_class },
	{ "reason.to_ws", kind_reason_to_ws },
	{ "reason.from_ws", kind_reason_from_ws },
};

bool hcp_testee_knows(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return true;
	return false;
}

static void dispatch(const Hcp__Conformance__V1__Request *req,
                     struct hcp_testee_answer *a)
{
	char msg[200];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, req->kind) == 0) {
			kinds[i].run(req, a);
			return;
		}
	}
	snprintf(msg, sizeof(msg),
	         "the %s testee does not implement kind "
	         "%.80s",
	         hcp_testee_backend, req->kind);
	hcp_testee_unsupported(a, msg);
}

/* ------------------------------------------------------------------------
 * The protocol loop
 * ---------------------------------------------------------------------- */

/* 1 read, 0 end of file before the first byte, -1 error or short read. */
static int read_full(uint8_t *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(0, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got == 0 && r == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

static int write_full(const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_answer(struct hcp_testee_answer *a)
{
	size_t n;
	uint8_t *buf;
	int rc;

	if (a->failed)
		hcp_testee_runtime_error(a, "out of memory");
	n = hcp__conformance__v1__response__get_packed_size(&a->resp);
	buf = malloc(n + 4);
	if (buf == NULL)
		return -1;
	for (int i = 0; i < 4; i++)
		buf[i] = (uint8_t)((uint32_t)n >> (8 * i));
	hcp__conformance__v1__response__pack(&a->resp, buf + 4);
	rc = write_full(buf, n + 4);
	free(buf);
	return rc;
}

int hcp_testee_serve(hcp_testee_hook hook)
{
	for (;;) {
		uint8_t hdr[4];
		uint8_t *buf;
		uint32_t n;
		int rc = read_full(hdr, 4);
		Hcp__Conformance__V1__Request *req;
		struct hcp_testee_answer a;

		if (rc == 0)
			return 0;
		if (rc < 0)
			return 1;
		n = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 |
		    (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
		if (n > HCP_TESTEE_MAX_REQUEST)
			return 1;
		buf = malloc(n ? n : 1);
		if (buf == NULL || read_full(buf, n) < 0) {
			free(buf);
			return 1;
		}
		req = hcp__conformance__v1__request__unpack(NULL, n, buf);
		free(buf);
		init_answer(&a);
		if (req == NULL) {
			hcp_testee_runtime_error(&a, "the request does not "
			                             "parse");
		} else if (hook == NULL || !hook(req, &a)) {
			dispatch(req, &a);
		}
		rc = send_answer(&a);
		free_answer(&a);
		if (req != NULL)
			hcp__conformance__v1__request__free_unpacked(req, NULL);
		if (rc != 0)
			return 1;
	}
}

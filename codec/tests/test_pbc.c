/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pbc.c: the protobuf-c backend.
 *
 * Round trips of every body type, minimal and full; failure of the
 * allocator at each allocation in turn (every failure is HCP_E_NOMEM and
 * leaves nothing allocated); the byte budget against hostile frames;
 * encoding into short buffers; frames built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "hcp/hcp_pbc.h"

static hcp_v1_Frame nf;
static uint8_t bytes[HCP_MAX_FRAME_SIZE];
static uint8_t again[HCP_MAX_FRAME_SIZE];

static size_t encode_frame(unsigned body, bool full)
{
	size_t n;

	frames_build(&nf, body, full);
	n = frames_raw_encode(&nf, bytes, sizeof(bytes));
	assert_true(n > 0 || body == hcp_v1_Frame_ping_tag ||
	            body == hcp_v1_Frame_pong_tag);
	return n;
}

/* [HCP-WIRE-1] [HCP-WIRE-7] decode, check fields, encode: the same bytes
 * (nanopb's encoder wrote them, canonically). */
static void round_trip_every_body(void **state)
{
	unsigned body;
	int full;

	(void)state;
	for (body = 1; body <= FRAMES_BODIES; body++) {
		for (full = 0; full <= 1; full++) {
			size_t n = encode_frame(body, full != 0);
			hcp_pbc_alloc a;
			Hcp__V1__Frame *f = NULL;
			size_t w = 0;

			hcp_pbc_alloc_init(&a, 0);
			assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f),
			                 HCP_OK);
			assert_non_null(f);
			assert_int_equal(f->body_case, body);
			assert_int_equal(
			        hcp_pbc_encode(f, again, sizeof(again), &w),
			        HCP_OK);
			assert_int_equal(w, n);
			assert_memory_equal(again, bytes, n);
			hcp_pbc_free(f, &a);
			assert_int_equal(a.used, 0);
		}
	}
}

/* Field values come through as built. */
static void decoded_fields(void **state)
{
	size_t n = encode_frame(hcp_v1_Frame_notice_tag, true);
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	const Hcp__V1__Notice *no;

	(void)state;
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_OK);
	no = f->notice;
	assert_int_equal(no->reason, nf.body.notice.reason);
	assert_string_equal(no->reason_text, nf.body.notice.reason_text);
	assert_int_equal(strlen(no->reason_text), HCP_MAX_REASON_TEXT_SIZE);
	assert_int_equal(no->deadline_ms, HCP_MAX_DEADLINE_MS);
	assert_int_equal(no->timing_case, HCP__V1__NOTICE__TIMING_WINDOW);
	assert_int_equal(no->window->not_before_ms, 1000);
	assert_int_equal(no->window->not_after_ms, HCP_MAX_DELAY_MS);
	assert_int_equal(no->n_redirect, HCP_MAX_REDIRECTS);
	assert_string_equal(no->redirect[3]->url,
	                    nf.body.notice.redirect[3].url);
	assert_int_equal(no->resume_token.len, HCP_MAX_RESUME_TOKEN_SIZE);
	assert_memory_equal(no->resume_token.data,
	                    nf.body.notice.resume_token.bytes,
	                    HCP_MAX_RESUME_TOKEN_SIZE);
	assert_int_equal(no->scope, HCP__V1__NOTICE_SCOPE__NOTICE_SCOPE_NODE);
	assert_int_equal(no->backoff->attempt_budget, HCP_MAX_ATTEMPT_BUDGET);
	hcp_pbc_free(f, &a);
}

/* A wrapper allocator that fails its k-th call and forwards the rest to
 * the budgeted one. */
struct failing {
	hcp_pbc_alloc *inner;
	void *(*alloc)(void *, size_t);
	size_t calls;
	size_t fail_at;
};

static struct failing failer;

static void *failing_alloc(void *data, size_t size)
{
	(void)data;
	failer.calls++;
	if (failer.calls == failer.fail_at) {
		failer.inner->failed = true;
		return NULL;
	}
	return failer.alloc(failer.inner, size);
}

/* Decodes bytes with the k-th allocation failing, for k = 1.. until the
 * decode succeeds. Returns the number of allocations a decode needs. */
static size_t fail_each_allocation(const uint8_t *p, size_t n)
{
	size_t k;

	for (k = 1;; k++) {
		hcp_pbc_alloc a;
		Hcp__V1__Frame *f = (Hcp__V1__Frame *)&failer;
		hcp_error err;

		hcp_pbc_alloc_init(&a, 0);
		failer.inner = &a;
		failer.alloc = a.pc.alloc;
		failer.calls = 0;
		failer.fail_at = k;
		a.pc.alloc = failing_alloc;
		err = hcp_pbc_decode(p, n, 0, &a, &f);
		if (err == HCP_OK) {
			assert_true(failer.calls < k);
			hcp_pbc_free(f, &a);
			assert_int_equal(a.used, 0);
			return k - 1;
		}
		assert_int_equal(err, HCP_E_NOMEM);
		assert_null(f);
		assert_int_equal(a.used, 0); /* nothing left behind */
		assert_true(k < 10000);
	}
}

/* Allocator failure at each allocation, for every body, minimal and full,
 * and for input that needs the canonical rewrite (unknown fields). */
static void allocator_failure_everywhere(void **state)
{
	unsigned body;
	int full;
	size_t total = 0;
	wbuf w;
	wbuf sub;

	(void)state;
	for (body = 1; body <= FRAMES_BODIES; body++)
		for (full = 0; full <= 1; full++) {
			size_t n = encode_frame(body, full != 0);

			total += fail_each_allocation(bytes, n);
		}
	/* Unknown fields: the rewrite's buffer is one more allocation. */
	w_init(&w);
	w_init(&sub);
	w_uint(&sub, 1, 101);
	w_uint(&sub, 99, 5);
	w_sub(&w, 6, &sub);
	w_uint(&w, 1000, 1);
	assert_true(fail_each_allocation(w.b, w.n) >= 3);
	print_message("%zu allocations failed one at a time\n", total);
	assert_true(total > 100);
}

/* The budget: nothing decodes past it, and the peak stays under it. */
static void budget_holds(void **state)
{
	size_t n = encode_frame(hcp_v1_Frame_message_tag, true);
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	size_t need;
	size_t budget;

	(void)state;
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_OK);
	need = a.peak;
	hcp_pbc_free(f, &a);
	assert_true(need > HCP_MAX_PAYLOAD_SIZE);
	assert_true(need <= HCP_PBC_DEFAULT_BUDGET);
	for (budget = 1; budget < need; budget += 97) {
		hcp_pbc_alloc_init(&a, budget);
		assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f),
		                 HCP_E_NOMEM);
		assert_true(a.peak <= budget);
		assert_int_equal(a.used, 0);
	}
	hcp_pbc_alloc_init(&a, need);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_OK);
	hcp_pbc_free(f, &a);
	hcp_pbc_alloc_init(&a, need - 1);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_E_NOMEM);
}

/* Hostile frames: what a decode of one frame can take is bounded, as the
 * limits leave nothing unbounded; the worst we can build stays under the
 * default budget, and a small budget stops each of them cleanly. */
static void hostile_frames_bounded(void **state)
{
	static wbuf w;
	wbuf body;
	wbuf el;
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	hcp_error err;
	int i;

	(void)state;
	/* Thousands of unknown fields of every wire type. */
	w_init(&w);
	for (i = 0; w.n < HCP_MAX_FRAME_SIZE - 16; i++) {
		w_uint(&w, 100 + (uint32_t)(i % 7), 1);
		w_key(&w, 200, 5);
		w_raw(&w, "abcd", 4);
		w_bytes(&w, 300, "xy", 2);
	}
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(w.b, w.n, 0, &a, &f), HCP_OK);
	assert_true(a.peak < 2 * HCP_MAX_FRAME_SIZE);
	hcp_pbc_free(f, &a);
	hcp_pbc_alloc_init(&a, 256);
	assert_int_equal(hcp_pbc_decode(w.b, w.n, 0, &a, &f), HCP_E_NOMEM);
	assert_int_equal(a.used, 0);
	/* Thousands of empty notices, merged into one. */
	w_init(&w);
	w_init(&body);
	w_uint(&body, 1, 101);
	while (w.n < HCP_MAX_FRAME_SIZE - 8)
		w_sub(&w, 6, &body);
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(w.b, w.n, 0, &a, &f), HCP_OK);
	assert_true(a.peak < 2 * HCP_MAX_FRAME_SIZE);
	hcp_pbc_free(f, &a);
	/* Thousands of redirects: over the limit before any allocation. */
	w_init(&w);
	w_init(&body);
	w_init(&el);
	w_uint(&body, 1, 102);
	while (body.n < HCP_MAX_FRAME_SIZE - 16)
		w_sub(&body, 5, &el);
	w_sub(&w, 3, &body);
	hcp_pbc_alloc_init(&a, 0);
	err = hcp_pbc_decode(w.b, w.n, 0, &a, &f);
	assert_int_equal(err, HCP_E_LIMIT);
	assert_int_equal(a.allocations, 0);
}

/* [HCP-FRAME-8] too large before decoding; arguments. */
static void too_large_and_arguments(void **state)
{
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = (Hcp__V1__Frame *)&a;
	size_t n = encode_frame(hcp_v1_Frame_message_tag, true);

	(void)state;
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(bytes, n, n - 1, &a, &f),
	                 HCP_E_TOO_LARGE);
	assert_null(f);
	assert_int_equal(a.allocations, 0);
	assert_int_equal(hcp_pbc_decode(bytes, n, n, &a, &f), HCP_OK);
	hcp_pbc_free(f, &a);
	assert_int_equal(
	        hcp_pbc_decode(bytes, HCP_MAX_FRAME_SIZE + 1, 0, &a, &f),
	        HCP_E_TOO_LARGE);
	assert_int_equal(
	        hcp_pbc_decode(bytes, n, HCP_MAX_FRAME_SIZE + 1, &a, &f),
	        HCP_E_ARG);
	assert_int_equal(hcp_pbc_decode(NULL, 1, 0, &a, &f), HCP_E_ARG);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, NULL, &f), HCP_E_ARG);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, NULL), HCP_E_ARG);
	assert_int_equal(hcp_pbc_validate(NULL), HCP_E_ARG);
	hcp_pbc_free(NULL, &a);
}

/* Encoding into every short buffer fails with HCP_E_BUFFER and writes
 * nothing past the buffer. */
static void encode_short_buffers(void **state)
{
	size_t n = encode_frame(hcp_v1_Frame_welcome_tag, true);
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	size_t cap;
	size_t w;

	(void)state;
	hcp_pbc_alloc_init(&a, 0);
	assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_OK);
	for (cap = 0; cap < n; cap++) {
		uint8_t *out = malloc(cap + 1);

		assert_non_null(out);
		w = 99;
		assert_int_equal(hcp_pbc_encode(f, out, cap, &w), HCP_E_BUFFER);
		assert_int_equal(w, 0);
		free(out);
	}
	assert_int_equal(hcp_pbc_encode(f, again, n, &w), HCP_OK);
	assert_int_equal(w, n);
	hcp_pbc_free(f, &a);
}

/* A frame built by hand: validated before encoding, unknown fields and
 * NULL entries refused. */
static void hand_built_frames(void **state)
{
	Hcp__V1__Frame f;
	Hcp__V1__Notice no;
	Hcp__V1__ReconnectWindow win;
	Hcp__V1__Endpoint ep;
	Hcp__V1__Endpoint *eps[2] = { &ep, NULL };
	ProtobufCMessageUnknownField uf;
	uint8_t out[64];
	size_t w;
	/* Notice{reason 101, window{1, 2}} */
	static const uint8_t want[] = { 0x32, 0x08, 0x08, 0x65, 0x22,
		                        0x04, 0x08, 0x01, 0x10, 0x02 };

	(void)state;
	/* The generated *_INIT macros cast away const (-Wcast-qual). */
	hcp__v1__frame__init(&f);
	hcp__v1__notice__init(&no);
	hcp__v1__reconnect_window__init(&win);
	hcp__v1__endpoint__init(&ep);
	f.body_case = HCP__V1__FRAME__BODY_NOTICE;
	f.notice = &no;
	assert_int_equal(hcp_pbc_encode(&f, out, sizeof(out), &w),
	                 HCP_E_MISSING); /* [HCP-NOTICE-1] */
	no.reason = 101;
	no.timing_case = HCP__V1__NOTICE__TIMING_WINDOW;
	no.window = &win;
	win.not_before_ms = 1;
	win.not_after_ms = 2;
	assert_int_equal(hcp_pbc_encode(&f, out, sizeof(out), &w), HCP_OK);
	assert_int_equal(w, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	no.window = NULL;
	assert_int_equal(hcp_pbc_encode(&f, out, sizeof(out), &w), HCP_E_ARG);
	no.window = &win;
	ep.url = (char *)(uintptr_t) "wss://b.example";
	no.n_redirect = 2;
	no.redirect = eps;
	assert_int_equal(hcp_pbc_validate(&f), HCP_E_ARG);
	no.n_redirect = 1;
	assert_int_equal(hcp_pbc_validate(&f), HCP_OK);
	memset(&uf, 0, sizeof(uf));
	uf.tag = 99;
	no.base.n_unknown_fields = 1;
	no.base.unknown_fields = &uf;
	assert_int_equal(hcp_pbc_validate(&f), HCP_OK);
	assert_int_equal(hcp_pbc_encode(&f, out, sizeof(out), &w), HCP_E_ARG);
	no.base.n_unknown_fields = 0;
	f.notice = NULL;
	assert_int_equal(hcp_pbc_validate(&f), HCP_E_ARG);
}

/* The hint helper: zero fields stay zero, NULL gives zeros. */
static void hint_copy(void **state)
{
	Hcp__V1__BackoffHint h;
	hcp_backoff_hint out;
	hcp_backoff b;

	(void)state;
	hcp__v1__backoff_hint__init(&h);
	h.base_ms = 100;
	h.cap_ms = 200;
	h.multiplier_milli = 1500;
	h.jitter = HCP__V1__JITTER_MODE__JITTER_MODE_EQUAL;
	h.floor_ms = 7;
	h.stable_ms = 8;
	h.attempt_budget = 9;
	hcp_pbc_hint(&h, &out);
	assert_int_equal(out.base_ms, 100);
	assert_int_equal(out.cap_ms, 200);
	assert_int_equal(out.multiplier_milli, 1500);
	assert_int_equal(out.jitter, 2);
	assert_int_equal(out.floor_ms, 7);
	assert_int_equal(out.stable_ms, 8);
	assert_int_equal(out.attempt_budget, 9);
	assert_int_equal(hcp_backoff_from_hint(&out, &b), HCP_OK);
	assert_int_equal(b.jitter, HCP_JITTER_EQUAL);
	hcp_pbc_hint(NULL, &out);
	assert_int_equal(out.base_ms, 0);
	assert_int_equal(out.attempt_budget, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_body),
		cmocka_unit_test(decoded_fields),
		cmocka_unit_test(allocator_failure_everywhere),
		cmocka_unit_test(budget_holds),
		cmocka_unit_test(hostile_frames_bounded),
		cmocka_unit_test(too_large_and_arguments),
		cmocka_unit_test(encode_short_buffers),
		cmocka_unit_test(hand_built_frames),
		cmocka_unit_test(hint_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_nanopb.c: the nanopb backend.
 *
 * Round trips of every body type into the fixed struct; no heap at all on
 * the nanopb path, shown by counting every malloc, calloc and realloc
 * call of the test binary (linked with --wrap for the three, which reaches
 * the library's objects and nanopb's runtime as well; a positive control
 * through the protobuf-c backend proves the counter sees them); nanopb's
 * overflows mapped to HCP_E_LIMIT; the maximum frame size enforced before
 * decoding.
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

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);

static bool counting;
static size_t heap_calls;

void *__wrap_malloc(size_t n)
{
	if (counting)
		heap_calls++;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	if (counting)
		heap_calls++;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	if (counting)
		heap_calls++;
	return __real_realloc(p, n);
}

static hcp_v1_Frame built;
static hcp_v1_Frame decoded;
static uint8_t bytes[HCP_MAX_FRAME_SIZE];
static uint8_t again[HCP_MAX_FRAME_SIZE];

/* [HCP-WIRE-1] [HCP-WIRE-7] encode, decode, compare structs and bytes. */
static void round_trip_every_body(void **state)
{
	unsigned body;
	int full;

	(void)state;
	for (body = 0; body <= FRAMES_BODIES; body++) {
		for (full = 0; full <= 1; full++) {
			size_t n = 0;
			size_t m = 0;

			frames_build(&built, body, full != 0);
			assert_int_equal(hcp_nanopb_encode(&built, bytes,
			                                   sizeof(bytes), &n),
			                 HCP_OK);
			assert_int_equal(
			        hcp_nanopb_decode(bytes, n, 0, &decoded),
			        HCP_OK);
			assert_memory_equal(&decoded, &built, sizeof(built));
			assert_int_equal(hcp_nanopb_encode(&decoded, again,
			                                   sizeof(again), &m),
			                 HCP_OK);
			assert_int_equal(m, n);
			assert_memory_equal(again, bytes, n);
		}
	}
}

/* Every call of the nanopb path, on valid and hostile input, with the
 * heap counter on: zero calls. */
static void no_heap_on_the_nanopb_path(void **state)
{
	unsigned body;
	int full;
	size_t n;
	size_t cut;
	uint64_t seed = 7;
	static wbuf w;
	hcp_reader r;
	const uint8_t *p;
	size_t left;
	const uint8_t *frame;
	size_t frame_len;
	uint8_t rbuf[HCP_MAX_FRAME_SIZE];
	hcp_backoff b;
	uint32_t d;
	void *control;
	void *(*volatile alloc)(size_t) = malloc;
	hcp_error err;

	(void)state;
	/* The counter works, for the test's own calls (through a volatile
	 * pointer, so that the compiler cannot drop the call). */
	counting = true;
	control = alloc(8);
	counting = false;
	free(control);
	assert_int_equal(heap_calls, 1);
	heap_calls = 0;

	counting = true;
	for (body = 0; body <= FRAMES_BODIES; body++) {
		for (full = 0; full <= 1; full++) {
			frames_build(&built, body, full != 0);
			err = hcp_nanopb_encode(&built, bytes, sizeof(bytes),
			                        &n);
			assert_int_equal(err, HCP_OK);
			err = hcp_nanopb_decode(bytes, n, 0, &decoded);
			assert_int_equal(err, HCP_OK);
			err = hcp_nanopb_validate(&decoded);
			assert_int_equal(err, HCP_OK);
			for (cut = 0; cut < n; cut += 1 + n / 64)
				err = hcp_nanopb_decode(bytes, cut, 0,
				                        &decoded);
			for (cut = 0; cut < 64; cut++) {
				uint8_t save = bytes[cut % (n + 1)];

				bytes[cut % (n + 1)] =
				        (uint8_t)frames_rand(&seed);
				err = hcp_nanopb_decode(bytes, n, 0, &decoded);
				bytes[cut % (n + 1)] = save;
			}
		}
	}
	/* Unknown fields, merges, an over-limit array. */
	w_init(&w);
	w_uint(&w, 77, 1);
	w_bytes(&w, 6, "\x08\x65", 2);
	w_bytes(&w, 6, "\x18\x05", 2);
	err = hcp_nanopb_decode(w.b, w.n, 0, &decoded);
	assert_int_equal(err, HCP_OK);
	/* The reader, the prefix writer, the backoff. */
	assert_int_equal(hcp_reader_init(&r, rbuf, sizeof(rbuf), sizeof(rbuf)),
	                 HCP_OK);
	p = bytes;
	left = n;
	err = hcp_reader_next(&r, &p, &left, &frame, &frame_len);
	err = hcp_prefix_write(300, rbuf, 4, &n);
	hcp_backoff_defaults(&b);
	err = hcp_backoff_delay(&b, 3, 0x1234, &d);
	assert_int_equal(err, HCP_OK);
	counting = false;
	assert_int_equal(heap_calls, 0);

	/* Positive control: the protobuf-c backend's allocations, made in
	 * the library's objects, are seen. */
	{
		hcp_pbc_alloc a;
		Hcp__V1__Frame *f = NULL;

		frames_build(&built, hcp_v1_Frame_notice_tag, true);
		assert_int_equal(
		        hcp_nanopb_encode(&built, bytes, sizeof(bytes), &n),
		        HCP_OK);
		hcp_pbc_alloc_init(&a, 0);
		counting = true;
		assert_int_equal(hcp_pbc_decode(bytes, n, 0, &a, &f), HCP_OK);
		counting = false;
		assert_int_equal(heap_calls, a.allocations);
		assert_true(heap_calls > 5);
		hcp_pbc_free(f, &a);
		heap_calls = 0;
	}
}

/* [HCP-LIMIT-1] nanopb's own overflows come out as limits: a frame whose
 * merged repeated field is over its array (the wire check sees each
 * occurrence within the limit). */
static void overflow_is_limit(void **state)
{
	static wbuf w;
	wbuf body;
	wbuf el;
	int i;

	(void)state;
	w_init(&w);
	w_init(&body);
	w_init(&el);
	w_uint(&body, 1, 102);
	w_fill(&el, 1, 'u', 1);
	for (i = 0; i < HCP_MAX_REDIRECTS; i++)
		w_sub(&body, 5, &el);
	w_sub(&w, 3, &body);
	assert_int_equal(hcp_nanopb_decode(w.b, w.n, 0, &decoded), HCP_OK);
	assert_int_equal(decoded.body.busy.redirect_count, HCP_MAX_REDIRECTS);
	w_sub(&w, 3, &body); /* the same Busy again: merged, 8 */
	assert_int_equal(hcp_nanopb_decode(w.b, w.n, 0, &decoded), HCP_E_LIMIT);
	assert_int_equal(decoded.which_body, 0); /* cleared on error */
}

/* [HCP-FRAME-8] the maximum frame size, before decoding. */
static void too_large(void **state)
{
	size_t n;

	(void)state;
	frames_build(&built, hcp_v1_Frame_message_tag, true);
	assert_int_equal(hcp_nanopb_encode(&built, bytes, sizeof(bytes), &n),
	                 HCP_OK);
	assert_int_equal(hcp_nanopb_decode(bytes, n, n - 1, &decoded),
	                 HCP_E_TOO_LARGE);
	assert_int_equal(hcp_nanopb_decode(bytes, n, n, &decoded), HCP_OK);
	assert_int_equal(
	        hcp_nanopb_decode(bytes, n, HCP_MIN_FRAME_SIZE, &decoded),
	        HCP_E_TOO_LARGE);
	assert_int_equal(
	        hcp_nanopb_decode(bytes, HCP_MAX_FRAME_SIZE + 1, 0, &decoded),
	        HCP_E_TOO_LARGE);
	assert_int_equal(
	        hcp_nanopb_decode(bytes, n, HCP_MAX_FRAME_SIZE + 1, &decoded),
	        HCP_E_ARG);
	assert_int_equal(hcp_nanopb_decode(NULL, 1, 0, &decoded), HCP_E_ARG);
	assert_int_equal(hcp_nanopb_decode(bytes, n, 0, NULL), HCP_E_ARG);
	assert_int_equal(hcp_nanopb_validate(NULL), HCP_E_ARG);
}

/* Encoding: short buffers, and frames that fail validation first. */
static void encode_checks(void **state)
{
	size_t n;
	size_t cap;
	size_t w;

	(void)state;
	frames_build(&built, hcp_v1_Frame_busy_tag, true);
	assert_int_equal(hcp_nanopb_encode(&built, bytes, sizeof(bytes), &n),
	                 HCP_OK);
	for (cap = 0; cap < n; cap++) {
		w = 5;
		assert_int_equal(hcp_nanopb_encode(&built, again, cap, &w),
		                 HCP_E_BUFFER);
		assert_int_equal(w, 0);
	}
	built.body.busy.reason = 0; /* [HCP-BUSY-1] */
	assert_int_equal(hcp_nanopb_encode(&built, again, sizeof(again), &w),
	                 HCP_E_MISSING);
	/* A string array without its terminator is over its limit. */
	frames_build(&built, hcp_v1_Frame_subscribe_tag, false);
	memset(built.body.subscribe.stream, 'a',
	       sizeof(built.body.subscribe.stream));
	assert_int_equal(hcp_nanopb_validate(&built), HCP_E_LIMIT);
	/* A count over the array. */
	frames_build(&built, hcp_v1_Frame_busy_tag, true);
	built.body.busy.redirect_count = HCP_MAX_REDIRECTS + 1;
	assert_int_equal(hcp_nanopb_validate(&built), HCP_E_LIMIT);
	/* A negative enum value: the caller's error. */
	frames_build(&built, hcp_v1_Frame_subscribe_ack_tag, false);
	built.body.subscribe_ack.status = (hcp_v1_SubscribeStatus)-1;
	assert_int_equal(hcp_nanopb_validate(&built), HCP_E_ARG);
}

static void hint_copy(void **state)
{
	hcp_v1_BackoffHint h;
	hcp_backoff_hint out;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.base_ms = 1;
	h.jitter = (hcp_v1_JitterMode)5;
	h.attempt_budget = 3;
	hcp_nanopb_hint(&h, &out);
	assert_int_equal(out.base_ms, 1);
	assert_int_equal(out.jitter, 5);
	assert_int_equal(out.attempt_budget, 3);
	assert_int_equal(out.cap_ms, 0);
	hcp_nanopb_hint(NULL, &out);
	assert_int_equal(out.base_ms, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_every_body),
		cmocka_unit_test(no_heap_on_the_nanopb_path),
		cmocka_unit_test(overflow_is_limit),
		cmocka_unit_test(too_large),
		cmocka_unit_test(encode_checks),
		cmocka_unit_test(hint_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cross.c: both backends give the same verdict, the same error code
 * and (when they accept) the same frame for the same bytes.
 *
 * "The same frame" is checked by re-encoding with each backend: the two
 * canonical encodings must be equal byte for byte. The inputs: every
 * valid frame; every truncation of them; single-byte mutations; random
 * bytes from a fixed seed; and crafted input for each place where the two
 * runtimes differ on their own (key and length forms, field number 0,
 * groups, wire types, integer ranges, negative enums, oneof members that
 * arrive twice, merging of repeated submessages, explicit zeros in a
 * merged message, unknown fields, embedded NUL), with the expected code
 * of the spec ([HCP-WIRE-2], [HCP-WIRE-5], [HCP-WIRE-8]).
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

static hcp_v1_Frame nf;
static uint8_t bytes[HCP_MAX_FRAME_SIZE + 16];
static size_t compared;

/* Both backends agree; returns their common code. */
static hcp_error agree(const uint8_t *p, size_t n)
{
	struct both r;

	frames_decode_both(p, n, 0, &r);
	compared++;
	if (r.pbc != r.nanopb)
		fail_msg("backends disagree on %zu bytes: protobuf-c %s, "
		         "nanopb %s",
		         n, hcp_error_class(r.pbc), hcp_error_class(r.nanopb));
	assert_false(r.pbc_leak);
	if (r.pbc == HCP_OK && !r.same)
		fail_msg("backends decode %zu bytes to different frames", n);
	/* [HCP-WIRE-7] the wire layer's own canonical form is the same */
	if (r.pbc == HCP_OK && !r.canon_same)
		fail_msg("canonical form of %zu bytes differs", n);
	return r.pbc;
}

static void expect(const wbuf *w, hcp_error want)
{
	hcp_error got;

	assert_false(w->overflow);
	got = agree(w->b, w->n);
	if (got != want)
		fail_msg("got %s, want %s", hcp_error_class(got),
		         hcp_error_class(want));
}

static size_t build(unsigned body, bool full)
{
	size_t n;

	frames_build(&nf, body, full);
	n = frames_raw_encode(&nf, bytes, sizeof(bytes));
	return n;
}

/* [HCP-WIRE-1] every valid frame, and every truncation of it. */
static void valid_frames_and_truncations(void **state)
{
	unsigned body;
	int full;

	(void)state;
	for (body = 0; body <= FRAMES_BODIES; body++)
		for (full = 0; full <= 1; full++) {
			size_t n = build(body, full != 0);
			size_t step = n > 4096 ? 7 : 1;
			size_t cut;

			assert_int_equal(agree(bytes, n), HCP_OK);
			for (cut = 0; cut < n; cut += step)
				(void)agree(bytes, cut);
		}
	print_message("%zu inputs compared\n", compared);
}

/* Single-byte mutations of the frames up to 1500 bytes. */
static void mutations(void **state)
{
	static const int kinds = 4;
	unsigned body;
	int full;

	(void)state;
	compared = 0;
	for (body = 1; body <= FRAMES_BODIES; body++)
		for (full = 0; full <= 1; full++) {
			size_t n = build(body, full != 0);
			size_t i;
			int k;

			if (n > 1500)
				continue;
			for (i = 0; i < n; i++)
				for (k = 0; k < kinds; k++) {
					uint8_t save = bytes[i];
					static const uint8_t v[] = { 0x00, 0xff,
						                     0x80,
						                     0x7f };

					bytes[i] =
					        k == 2 ? (uint8_t)(save ^ 0x80)
					               : v[k];
					(void)agree(bytes, n);
					bytes[i] = save;
				}
		}
	print_message("%zu mutated inputs compared\n", compared);
}

/* Random bytes, and random sequences of plausible fields. */
static void random_inputs(void **state)
{
	uint64_t seed = 0x1234567;
	int i;

	(void)state;
	compared = 0;
	for (i = 0; i < 20000; i++) {
		size_t n = frames_rand(&seed) % 48;
		size_t k;

		for (k = 0; k < n; k++)
			bytes[k] = (uint8_t)frames_rand(&seed);
		(void)agree(bytes, n);
	}
	for (i = 0; i < 5000; i++) {
		wbuf w;
		wbuf body;
		int f;
		int nf_ = 1 + (int)(frames_rand(&seed) % 6);

		w_init(&w);
		w_init(&body);
		for (f = 0; f < nf_; f++) {
			uint32_t num = 1 + frames_rand(&seed) % 11;
			uint32_t kind = frames_rand(&seed) % 4;

			if (kind == 0)
				w_uint(&body, num, frames_rand(&seed) % 700);
			else if (kind == 1)
				w_fill(&body, num, 'a', frames_rand(&seed) % 4);
			else if (kind == 2)
				w_uint(&body, num, 0);
			else
				w_bytes(&body, num, "\x08\x01\x10\x02", 4);
		}
		w_sub(&w, 1 + frames_rand(&seed) % 12, &body);
		(void)agree(w.b, w.n);
	}
	print_message("%zu random inputs compared\n", compared);
}

/* [HCP-WIRE-5] the forms of keys, varints and lengths. */
static void wire_forms(void **state)
{
	wbuf w;

	(void)state;
	/* A varint of 11 bytes, known field and unknown field. */
	w_init(&w);
	w_raw(&w, "\x22\x0c\x08\x81\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00",
	      14);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x22\x0c\x78\x81\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00",
	      14);
	expect(&w, HCP_E_WIRE);
	/* Ten bytes, the last 1: 2^63 in Ping.nonce, accepted. */
	w_init(&w);
	w_raw(&w, "\x22\x0b\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", 13);
	expect(&w, HCP_OK);
	/* Ten bytes, the last 2: over 64 bits. */
	w_init(&w);
	w_raw(&w, "\x22\x0b\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x02", 13);
	expect(&w, HCP_E_WIRE);
	/* [HCP-WIRE-8] non-minimal varint values and keys are accepted. */
	w_init(&w);
	w_raw(&w, "\x3a\x06\x08\x90\x83\x80\x80\x00", 8); /* Close 400 */
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\x3a\x06\x88\x80\x80\x80\x00\x65", 8); /* key in 5 */
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\x3a\x07\x88\x80\x80\x80\x00\x90\x03", 9);
	expect(&w, HCP_OK);
	/* Keys of 6 and 10 bytes: well-formed (protobuf-c alone reads at most
	 * 5 and refuses them). */
	w_init(&w);
	w_raw(&w, "\x3a\x08\x88\x80\x80\x80\x80\x00\x90\x03", 10);
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w,
	      "\xba\x80\x80\x80\x80\x80\x80\x80\x80\x00\x0c\x88\x80\x80"
	      "\x80\x80\x80\x80\x80\x80\x00\x90\x03",
	      23);
	expect(&w, HCP_OK);
	/* Eleven bytes: malformed. */
	w_init(&w);
	w_raw(&w,
	      "\x3a\x0d\x88\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00\x90\x03",
	      15);
	expect(&w, HCP_E_WIRE);
	/* A key over 32 bits. */
	w_init(&w);
	w_raw(&w, "\xf8\xff\xff\xff\x7f\x01", 6);
	expect(&w, HCP_E_WIRE);
	/* The largest field number, unknown: skipped. */
	w_init(&w);
	w_raw(&w, "\xf8\xff\xff\xff\x0f\x01", 6);
	expect(&w, HCP_OK);
	/* Field number 0, minimal and not, at the top and inside. */
	w_init(&w);
	w_raw(&w, "\x00\x01", 2);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x80\x00\x01", 3);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x32\x04\x08\x65\x02\x00", 6);
	expect(&w, HCP_E_WIRE);
	/* Groups and wire types 6 and 7, as unknown fields. */
	w_init(&w);
	w_raw(&w, "\xab\x02\xac\x02", 4); /* field 37 start, end group */
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\xac\x02", 2);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\xae\x02\x00", 3);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\xaf\x02\x00", 3);
	expect(&w, HCP_E_WIRE);
	/* Fixed-size unknown fields, whole and cut. */
	w_init(&w);
	w_raw(&w,
	      "\xa9\x02\x01\x02\x03\x04\x05\x06\x07\x08\xad\x02\x01\x02"
	      "\x03\x04",
	      16);
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\xa9\x02\x01\x02\x03\x04\x05\x06\x07", 9);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\xad\x02\x01\x02\x03", 5);
	expect(&w, HCP_E_WIRE);
	/* Lengths: past the end, in six bytes (well-formed), over 32 bits,
	 * in five. */
	w_init(&w);
	w_raw(&w, "\x3a\x05\x08\x01", 4);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x3a\x83\x80\x80\x80\x80\x00\x08\x90\x03", 10);
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\x3a\x83\x80\x80\x80\x80\x01\x08\x90\x03", 10);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x3a\x83\x80\x80\x80\x00\x08\x90\x03", 9);
	expect(&w, HCP_OK);
	/* [HCP-FRAME-7] the empty frame. */
	w_init(&w);
	expect(&w, HCP_OK);
}

/* One field of each kind of each message, sent with a wrong wire type
 * inside an otherwise valid frame: wire. (body, field, kind: 0 varint,
 * 2 length-delimited) as in hcp.proto. */
static void wrong_wire_types(void **state)
{
	static const uint8_t fields[][3] = {
		{ 1, 1, 0 },  { 1, 2, 0 },  { 1, 3, 2 },  { 1, 7, 2 },
		{ 2, 1, 0 },  { 2, 2, 2 },  { 2, 3, 2 },  { 2, 8, 0 },
		{ 2, 9, 2 },  { 2, 10, 2 }, { 3, 1, 0 },  { 3, 2, 2 },
		{ 3, 3, 2 },  { 3, 4, 2 },  { 3, 5, 2 },  { 4, 1, 0 },
		{ 5, 1, 0 },  { 6, 1, 0 },  { 6, 2, 2 },  { 6, 3, 0 },
		{ 6, 4, 2 },  { 6, 5, 0 },  { 6, 6, 2 },  { 6, 7, 2 },
		{ 6, 8, 0 },  { 6, 9, 0 },  { 6, 10, 2 }, { 7, 1, 0 },
		{ 7, 2, 2 },  { 7, 3, 2 },  { 8, 1, 0 },  { 8, 2, 2 },
		{ 8, 3, 2 },  { 8, 4, 2 },  { 9, 1, 0 },  { 9, 2, 0 },
		{ 9, 4, 2 },  { 9, 6, 2 },  { 10, 2, 2 }, { 11, 1, 2 },
		{ 11, 2, 2 }, { 11, 3, 2 },
	};
	size_t i;
	unsigned body;
	wbuf w;
	wbuf b;

	(void)state;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		/* varint where length-delimited is declared, and back */
		w_init(&w);
		w_init(&b);
		if (fields[i][2] == 2)
			w_uint(&b, fields[i][1], 1);
		else
			w_bytes(&b, fields[i][1], "\x01", 1);
		w_sub(&w, fields[i][0], &b);
		expect(&w, HCP_E_WIRE);
		/* fixed32 anywhere */
		w_init(&w);
		w_init(&b);
		w_key(&b, fields[i][1], 5);
		w_raw(&b, "\x01\x00\x00\x00", 4);
		w_sub(&w, fields[i][0], &b);
		expect(&w, HCP_E_WIRE);
	}
	/* Every body field of Frame given as a varint. */
	for (body = 1; body <= FRAMES_BODIES; body++) {
		w_init(&w);
		w_uint(&w, body, 0);
		expect(&w, HCP_E_WIRE);
	}
	/* Inside nested messages: window, hint, endpoint, position. */
	w_init(&w);
	w_raw(&w, "\x32\x06\x08\x65\x22\x02\x0a\x00", 8);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x3a\x06\x08\x65\x1a\x02\x22\x00", 8);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x1a\x06\x08\x65\x2a\x02\x08\x01", 8);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_raw(&w, "\x5a\x07\x0a\x01\x61\x12\x02\x0a\x00", 9);
	expect(&w, HCP_E_WIRE);
}

/* Integer ranges: uint32 over 32 bits, enums over INT32_MAX (and the
 * ten-byte negative form), unknown enum values. */
static void integer_ranges(void **state)
{
	wbuf w;
	wbuf b;

	(void)state;
	/* Connect.attempt = 2^32 - 1, then 2^32. */
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, 1);
	w_uint(&b, 4, UINT32_MAX);
	w_sub(&w, 1, &b);
	expect(&w, HCP_OK);
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, 1);
	w_uint(&b, 4, (uint64_t)UINT32_MAX + 1);
	w_sub(&w, 1, &b);
	expect(&w, HCP_E_WIRE);
	/* Connect.version = 2^32 + 1: not "1 truncated". */
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, (uint64_t)UINT32_MAX + 2);
	w_sub(&w, 1, &b);
	expect(&w, HCP_E_WIRE);
	/* [HCP-WIRE-4] SubscribeAck.status unknown, INT32_MAX: accepted. */
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, 1);
	w_uint(&b, 2, INT32_MAX);
	w_sub(&w, 9, &b);
	expect(&w, HCP_OK);
	/* 2^31 (a negative int32 in five bytes) and -1 in ten bytes. */
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, 1);
	w_uint(&b, 2, (uint64_t)INT32_MAX + 1);
	w_sub(&w, 9, &b);
	expect(&w, HCP_E_WIRE);
	w_init(&w);
	w_init(&b);
	w_uint(&b, 1, 1);
	w_uint(&b, 2, UINT64_MAX);
	w_sub(&w, 9, &b);
	expect(&w, HCP_E_WIRE);
	/* Unknown JitterMode and NoticeScope values. */
	w_init(&w);
	w_raw(&w, "\x32\x08\x08\x65\x48\x07\x52\x02\x20\x09", 10);
	expect(&w, HCP_OK);
}

/* [HCP-WIRE-8] repeated fields, oneof members and merges: one answer,
 * the one protobuf's merge rules give. */
static void merges_and_oneofs(void **state)
{
	static hcp_v1_Frame got;
	wbuf w;

	(void)state;
	/* The last scalar wins: reason 0 then 101, and 101 then 0. */
	w_init(&w);
	w_raw(&w, "\x32\x04\x08\x00\x08\x65", 6);
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\x32\x04\x08\x65\x08\x00", 6);
	expect(&w, HCP_E_MISSING);
	/* Two members of the body oneof: the last wins. */
	w_init(&w);
	w_raw(&w, "\x32\x02\x08\x65\x3a\x00", 6); /* notice, then close{} */
	expect(&w, HCP_E_MISSING);
	w_init(&w);
	w_raw(&w, "\x3a\x00\x32\x02\x08\x65", 6);
	expect(&w, HCP_OK);
	/* The same member twice: merged (protobuf-c alone would keep only
	 * the second). */
	w_init(&w);
	w_raw(&w, "\x32\x02\x08\x65\x32\x02\x18\x05", 8);
	expect(&w, HCP_OK);
	assert_int_equal(hcp_nanopb_decode(w.b, w.n, 0, &got), HCP_OK);
	assert_int_equal(got.body.notice.reason, 101);
	assert_int_equal(got.body.notice.deadline_ms, 5);
	/* ... and back to it after another member: not merged. */
	w_init(&w);
	w_raw(&w, "\x32\x02\x08\x65\x22\x00\x32\x02\x18\x05", 10);
	expect(&w, HCP_E_MISSING);
	/* Notice.timing: window twice merges; assigned after window wins;
	 * window after assigned wins. */
	w_init(&w);
	w_raw(&w, "\x32\x0a\x08\x65\x22\x02\x08\x05\x22\x02\x10\x0a", 12);
	expect(&w, HCP_OK);
	assert_int_equal(hcp_nanopb_decode(w.b, w.n, 0, &got), HCP_OK);
	assert_int_equal(got.body.notice.which_timing,
	                 hcp_v1_Notice_window_tag);
	assert_int_equal(got.body.notice.timing.window.not_before_ms, 5);
	assert_int_equal(got.body.notice.timing.window.not_after_ms, 10);
	w_init(&w);
	w_raw(&w, "\x32\x08\x08\x65\x22\x02\x10\x0a\x28\x07", 10);
	expect(&w, HCP_OK);
	w_init(&w);
	w_raw(&w, "\x32\x08\x08\x65\x28\x07\x22\x02\x08\x05", 10);
	expect(&w, HCP_E_CONFLICT); /* window{5, 0}: reversed */
	/* A merged hint with an explicit zero in the second occurrence:
	 * base 5000 then base 0 with cap 100 is base 0, cap 100 (valid).
	 * protobuf-c's own merge keeps base 5000 and would say conflict. */
	w_init(&w);
	w_raw(&w,
	      "\x3a\x0e\x08\x90\x03\x1a\x03\x08\x88\x27\x1a\x04\x08\x00"
	      "\x10\x64",
	      16);
	expect(&w, HCP_OK);
	/* The same hint with disjoint fields: merged to base 5000, cap 100,
	 * a conflict ([HCP-BACKOFF-2]); protobuf-c 1.4.1 alone keeps only
	 * the second occurrence (base 0, cap 100) and would accept it. */
	w_init(&w);
	w_raw(&w, "\x3a\x0c\x08\x90\x03\x1a\x03\x08\x88\x27\x1a\x02\x10\x64",
	      14);
	expect(&w, HCP_E_CONFLICT);
	/* Welcome.resume twice: the outcomes of both, in order. */
	w_init(&w);
	w_raw(&w,
	      "\x12\x15\x08\x01\x12\x01\x73\x4a\x07\x08\x02\x1a\x03\x0a"
	      "\x01\x61\x4a\x05\x1a\x03\x0a\x01\x62",
	      23);
	expect(&w, HCP_E_MISSING); /* outcome status missing */
	/* [HCP-WIRE-15] 2 + 2 + 2 redirects in one merged notice, then a
	 * ping that replaces it: still over the limit (a fixed-memory
	 * decoder stops at the fifth redirect). Found by fuzz_diff. */
	w_init(&w);
	w_raw(&w,
	      "\x32\x04\x32\x00\x32\x00\x32\x04\x32\x00\x32\x00\x32\x04"
	      "\x32\x00\x32\x00\x22\x00",
	      20);
	expect(&w, HCP_E_LIMIT);
	/* 3 redirects, another member, 3 again: two messages, each within
	 * the limit. */
	{
		wbuf no;
		wbuf ep;
		int i;

		w_init(&no);
		w_init(&ep);
		w_uint(&no, 1, 101);
		w_fill(&ep, 1, 'u', 1);
		for (i = 0; i < 3; i++)
			w_sub(&no, 6, &ep);
		w_init(&w);
		w_sub(&w, 6, &no);
		w_raw(&w, "\x22\x00", 2);
		w_sub(&w, 6, &no);
		expect(&w, HCP_OK);
		w_sub(&w, 6, &no); /* and a third time: merged, 6 */
		expect(&w, HCP_E_LIMIT);
	}
	/* The same through a merged non-oneof message: Welcome.resume
	 * twice with 9 + 8 outcomes inside one welcome. */
	{
		wbuf body;
		wbuf rr;
		wbuf el;
		int i;

		w_init(&body);
		w_init(&rr);
		w_init(&el);
		w_uint(&body, 1, 1);
		w_fill(&body, 2, 's', 1);
		w_uint(&rr, 1, 1);
		w_fill(&el, 1, 'x', 1);
		w_uint(&el, 2, 1);
		for (i = 0; i < 9; i++)
			w_sub(&rr, 3, &el);
		w_sub(&body, 9, &rr);
		w_sub(&body, 9, &rr);
		w_init(&w);
		w_sub(&w, 2, &body);
		expect(&w, HCP_E_LIMIT);
	}
	/* Present but empty submessages are kept. */
	w_init(&w);
	w_raw(&w, "\x5a\x05\x0a\x01\x61\x12\x00", 7);
	expect(&w, HCP_OK);
	/* Fields in reverse order. */
	w_init(&w);
	w_raw(&w, "\x5a\x07\x1a\x00\x12\x00\x0a\x01\x61", 9);
	expect(&w, HCP_OK);
}

/* [HCP-WIRE-2] [HCP-WIRE-3] unknown fields everywhere; unknown bodies;
 * an embedded NUL, which [HCP-WIRE-6] refuses as utf8 on both. */
static void unknown_fields(void **state)
{
	static hcp_v1_Frame got;
	unsigned body;
	int full;
	static uint8_t with[HCP_MAX_FRAME_SIZE];
	wbuf w;

	(void)state;
	/* An unknown field appended to the body of every minimal frame. */
	for (body = 1; body <= FRAMES_BODIES; body++)
		for (full = 0; full <= 1; full++) {
			size_t n = build(body, full != 0);
			size_t hdr;

			if (full && n > 16000)
				continue;
			wbuf extra;

			/* key, length (1 or 2 bytes), body */
			hdr = bytes[1] & 0x80 ? 3 : 2;
			w_init(&extra);
			w_uint(&extra, 2000, 7);
			w_bytes(&extra, 99, "", 0);
			w_key(&extra, 98, 1);
			w_raw(&extra, "12345678", 8);
			w_init(&w);
			w_key(&w, body, 2);
			w_varint(&w, n - hdr + extra.n);
			w_raw(&w, bytes + hdr, n - hdr);
			w_raw(&w, extra.b, extra.n);
			expect(&w, HCP_OK);
			memcpy(with, w.b, w.n);
		}
	/* A body of a later version: no body. */
	w_init(&w);
	w_raw(&w, "\x62\x02\x08\x01", 4);
	expect(&w, HCP_OK);
	assert_int_equal(hcp_nanopb_decode(w.b, w.n, 0, &got), HCP_OK);
	assert_int_equal(got.which_body, 0);
	/* Unsubscribe.stream "a\0b": U+0000 inside a string. */
	w_init(&w);
	w_raw(&w, "\x52\x05\x12\x03\x61\x00\x62", 7);
	expect(&w, HCP_E_UTF8);
	/* "\0b": U+0000 first; utf8 is checked before the empty name. */
	w_init(&w);
	w_raw(&w, "\x52\x04\x12\x02\x00\x62", 6);
	expect(&w, HCP_E_UTF8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_frames_and_truncations),
		cmocka_unit_test(mutations),
		cmocka_unit_test(random_inputs),
		cmocka_unit_test(wire_forms),
		cmocka_unit_test(wrong_wire_types),
		cmocka_unit_test(integer_ranges),
		cmocka_unit_test(merges_and_oneofs),
		cmocka_unit_test(unknown_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

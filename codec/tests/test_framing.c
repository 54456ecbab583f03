/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_framing.c: the byte-stream reader and the prefix writer
 * ([HCP-FRAME-2], [HCP-FRAME-3], [HCP-FRAME-4], [HCP-FRAME-7]).
 *
 * A few multi-frame streams are fed under every chunking that matters:
 * every split into two chunks, every split into three around each frame
 * boundary, one byte at a time, and random splits from a fixed seed. The
 * frames read back must equal the frames written, and a frame that lies
 * inside its chunk must be returned in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "hcp/hcp.h"

#define MAX_FRAMES 8

struct stream {
	uint8_t *bytes;
	size_t len;
	size_t n_frames;
	size_t frame_len[MAX_FRAMES];
	size_t frame_at[MAX_FRAMES]; /* offset of each frame's first byte */
};

/* Writes frames of the given lengths, each filled with distinct bytes,
 * with their prefixes (written by a local minimal-varint encoder, not by
 * the code under test). */
static void make_stream(struct stream *s, const size_t *lens, size_t n)
{
	size_t total = 0;
	size_t i;
	size_t at = 0;

	for (i = 0; i < n; i++)
		total += lens[i] + 3;
	s->bytes = malloc(total);
	assert_non_null(s->bytes);
	s->n_frames = n;
	for (i = 0; i < n; i++) {
		size_t v = lens[i];
		size_t k;

		while (v >= 0x80) {
			s->bytes[at++] = (uint8_t)(v | 0x80);
			v >>= 7;
		}
		s->bytes[at++] = (uint8_t)v;
		s->frame_at[i] = at;
		s->frame_len[i] = lens[i];
		for (k = 0; k < lens[i]; k++)
			s->bytes[at++] = (uint8_t)(i * 31 + k * 7 + 1);
	}
	s->len = at;
}

/* Feeds the stream in chunks ending at the given cut offsets and checks
 * every frame that comes out. */
static void feed(const struct stream *s, const size_t *cuts, size_t n_cuts,
                 size_t max_frame)
{
	uint8_t *buf = malloc(max_frame);
	hcp_reader r;
	size_t got = 0;
	size_t start = 0;
	size_t c;

	assert_non_null(buf);
	assert_int_equal(hcp_reader_init(&r, buf, max_frame, max_frame),
	                 HCP_OK);
	for (c = 0; c <= n_cuts; c++) {
		size_t end = c < n_cuts ? cuts[c] : s->len;
		const uint8_t *chunk = s->bytes + start;
		const uint8_t *data = chunk;
		size_t len = end - start;

		for (;;) {
			const uint8_t *frame;
			size_t frame_len;
			hcp_error err = hcp_reader_next(&r, &data, &len, &frame,
			                                &frame_len);

			if (err == HCP_E_INCOMPLETE) {
				assert_int_equal(len, 0);
				break;
			}
			assert_int_equal(err, HCP_OK);
			assert_true(got < s->n_frames);
			assert_int_equal(frame_len, s->frame_len[got]);
			assert_memory_equal(frame, s->bytes + s->frame_at[got],
			                    frame_len);
			/* Whole inside this chunk: returned in place. */
			if (s->frame_at[got] >= start &&
			    s->frame_at[got] + frame_len <= end &&
			    frame_len > 0)
				assert_ptr_equal(frame,
				                 s->bytes + s->frame_at[got]);
			got++;
		}
		start = end;
	}
	assert_int_equal(got, s->n_frames);
	free(buf);
}

static const size_t stream_a[] = { 5, 0, 1, 127, 128, 300, 2 };
static const size_t stream_b[] = { 16384, 16383, 0, 129 };
static const size_t stream_c[] = { 0, 0, 0, 1, 0 };

static void with_streams(void (*fn)(const struct stream *))
{
	struct stream s;

	make_stream(&s, stream_a, sizeof(stream_a) / sizeof(stream_a[0]));
	fn(&s);
	free(s.bytes);
	make_stream(&s, stream_b, sizeof(stream_b) / sizeof(stream_b[0]));
	fn(&s);
	free(s.bytes);
	make_stream(&s, stream_c, sizeof(stream_c) / sizeof(stream_c[0]));
	fn(&s);
	free(s.bytes);
}

static void whole(const struct stream *s)
{
	feed(s, NULL, 0, HCP_MAX_FRAME_SIZE);
}

/* Every split point; in the 32 KiB stream, every split within 4 bytes of
 * a frame boundary and every 61st byte elsewhere (the body bytes between
 * are all alike to the reader). */
static bool near_boundary(const struct stream *s, size_t cut)
{
	size_t i;

	for (i = 0; i < s->n_frames; i++) {
		size_t a = s->frame_at[i];
		size_t b = a + s->frame_len[i];

		if ((cut + 4 >= a && cut <= a + 4) ||
		    (cut + 4 >= b && cut <= b + 4))
			return true;
	}
	return false;
}

static void two_chunks(const struct stream *s)
{
	size_t cut;

	for (cut = 0; cut <= s->len; cut++)
		if (s->len < 4096 || cut % 61 == 0 || near_boundary(s, cut))
			feed(s, &cut, 1, HCP_MAX_FRAME_SIZE);
}

/* Three chunks: cuts at each byte near every frame boundary, combined. */
static void three_chunks(const struct stream *s)
{
	size_t pts[MAX_FRAMES * 8];
	size_t n = 0;
	size_t i;
	size_t j;

	for (i = 0; i < s->n_frames; i++) {
		size_t at = s->frame_at[i];
		size_t d;

		for (d = 0; d < 4 && n < MAX_FRAMES * 8; d++) {
			if (at >= d)
				pts[n++] = at - d;
		}
		if (n < MAX_FRAMES * 8 && at + 1 <= s->len)
			pts[n++] = at + 1;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (pts[i] <= pts[j]) {
				size_t cuts[2] = { pts[i], pts[j] };

				feed(s, cuts, 2, HCP_MAX_FRAME_SIZE);
			}
}

static void byte_at_a_time(const struct stream *s)
{
	size_t *cuts = malloc(s->len * sizeof(*cuts));
	size_t i;

	assert_non_null(cuts);
	for (i = 0; i < s->len; i++)
		cuts[i] = i + 1;
	feed(s, cuts, s->len, HCP_MAX_FRAME_SIZE);
	free(cuts);
}

static void random_splits(const struct stream *s)
{
	uint64_t seed = 0x5eed1234abcdull;
	size_t *cuts = malloc((s->len + 1) * sizeof(*cuts));
	int round;

	assert_non_null(cuts);
	for (round = 0; round < 200; round++) {
		size_t n = 0;
		size_t at = 0;

		for (;;) {
			size_t step =
			        frames_rand(&seed) % (round % 2 ? 40 : 3000);

			at += step;
			if (at >= s->len)
				break;
			cuts[n++] = at;
		}
		feed(s, cuts, n, HCP_MAX_FRAME_SIZE);
	}
	free(cuts);
}

/* [HCP-FRAME-2] [HCP-FRAME-7] */
static void reader_whole_stream(void **state)
{
	(void)state;
	with_streams(whole);
}

/* [HCP-FRAME-2] every split point */
static void reader_every_split(void **state)
{
	(void)state;
	with_streams(two_chunks);
	with_streams(three_chunks);
}

/* [HCP-FRAME-2] one byte at a time */
static void reader_byte_at_a_time(void **state)
{
	(void)state;
	with_streams(byte_at_a_time);
}

/* [HCP-FRAME-2] random splits, fixed seed */
static void reader_random_splits(void **state)
{
	(void)state;
	with_streams(random_splits);
}

static hcp_error feed_bytes(hcp_reader *r, const uint8_t *p, size_t n,
                            size_t *left)
{
	const uint8_t *frame;
	size_t frame_len;
	hcp_error err = hcp_reader_next(r, &p, &n, &frame, &frame_len);

	*left = n;
	return err;
}

/* [HCP-FRAME-3] a non-minimal prefix is framing, and stays so. */
static void reader_non_minimal_prefix(void **state)
{
	static const uint8_t bad[][4] = {
		{ 0x80, 0x00 },       { 0x81, 0x00 },       { 0xff, 0x00 },
		{ 0x80, 0x80, 0x00 }, { 0x85, 0x80, 0x00 },
	};
	static const size_t bad_len[] = { 2, 2, 2, 3, 3 };
	static const uint8_t good[] = { 0x01, 0xaa };
	uint8_t buf[HCP_MAX_FRAME_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
		hcp_reader r;
		size_t left;

		assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf),
		                                 HCP_MAX_FRAME_SIZE),
		                 HCP_OK);
		assert_int_equal(feed_bytes(&r, bad[i], bad_len[i], &left),
		                 HCP_E_FRAMING);
		/* Sticky: a valid frame after it changes nothing. */
		assert_int_equal(feed_bytes(&r, good, sizeof(good), &left),
		                 HCP_E_FRAMING);
		assert_int_equal(left, sizeof(good));
	}
}

/* [HCP-FRAME-4] too large as soon as the prefix shows it. */
static void reader_too_large_early(void **state)
{
	uint8_t buf[HCP_MAX_FRAME_SIZE];
	hcp_reader r;
	size_t left;
	static const uint8_t max_ok[] = { 0x80, 0x80, 0x01 };   /* 16384 */
	static const uint8_t one_more[] = { 0x81, 0x80, 0x01 }; /* 16385 */
	static const uint8_t long_prefix[] = { 0x80, 0x80, 0x80 };
	static const uint8_t p8193[] = { 0x81, 0x40 };
	static const uint8_t p8192[] = { 0x80, 0x40 };
	static const uint8_t cont[] = { 0x80 };

	(void)state;
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 16384), HCP_OK);
	assert_int_equal(feed_bytes(&r, max_ok, 3, &left), HCP_E_INCOMPLETE);
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 16384), HCP_OK);
	assert_int_equal(feed_bytes(&r, one_more, 3, &left), HCP_E_TOO_LARGE);
	assert_int_equal(left, 0);
	/* The third prefix byte has its continuation bit: at least 2^21. */
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 16384), HCP_OK);
	assert_int_equal(feed_bytes(&r, long_prefix, 3, &left),
	                 HCP_E_TOO_LARGE);
	assert_int_equal(feed_bytes(&r, max_ok, 3, &left), HCP_E_TOO_LARGE);

	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 8192), HCP_OK);
	assert_int_equal(feed_bytes(&r, p8192, 2, &left), HCP_E_INCOMPLETE);
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 8192), HCP_OK);
	assert_int_equal(feed_bytes(&r, p8193, 2, &left), HCP_E_TOO_LARGE);

	/* With a 100-byte maximum, one continuation byte already says at
	 * least 128: rejected before any further byte arrives. */
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 100), HCP_OK);
	assert_int_equal(feed_bytes(&r, cont, 1, &left), HCP_E_TOO_LARGE);
}

/* Incomplete is distinct, and consumes everything. */
static void reader_incomplete(void **state)
{
	uint8_t buf[64];
	hcp_reader r;
	size_t left;
	static const uint8_t part[] = { 0x05, 1, 2 };
	static const uint8_t rest[] = { 3, 4, 5, 0x00 };
	const uint8_t *p = rest;
	size_t n = sizeof(rest);
	const uint8_t *frame;
	size_t frame_len;

	(void)state;
	assert_int_equal(hcp_reader_init(&r, buf, sizeof(buf), 64), HCP_OK);
	assert_int_equal(feed_bytes(&r, part, 0, &left), HCP_E_INCOMPLETE);
	assert_int_equal(feed_bytes(&r, part, 3, &left), HCP_E_INCOMPLETE);
	assert_int_equal(left, 0);
	assert_int_equal(hcp_reader_next(&r, &p, &n, &frame, &frame_len),
	                 HCP_OK);
	assert_int_equal(frame_len, 5);
	assert_ptr_equal(frame, buf); /* gathered: split across chunks */
	assert_memory_equal(frame, "\1\2\3\4\5", 5);
	assert_int_equal(n, 1);
	/* [HCP-FRAME-7] the zero-length frame that follows. */
	assert_int_equal(hcp_reader_next(&r, &p, &n, &frame, &frame_len),
	                 HCP_OK);
	assert_int_equal(frame_len, 0);
	assert_int_equal(n, 0);
}

static void reader_bad_arguments(void **state)
{
	uint8_t buf[16];
	hcp_reader r;
	const uint8_t *p = buf;
	size_t n = 0;
	const uint8_t *frame = buf;
	size_t frame_len = 9;

	(void)state;
	assert_int_equal(hcp_reader_init(&r, NULL, 16, 16), HCP_E_ARG);
	assert_int_equal(hcp_reader_init(&r, buf, 15, 16), HCP_E_ARG);
	assert_int_equal(hcp_reader_init(&r, buf, 16, 0), HCP_E_ARG);
	assert_int_equal(hcp_reader_init(NULL, buf, 16, 16), HCP_E_ARG);
	assert_int_equal(hcp_reader_next(&r, &p, &n, &frame, &frame_len),
	                 HCP_E_ARG);
	assert_null(frame);
	assert_int_equal(frame_len, 0);
	assert_int_equal(hcp_reader_init(&r, buf, 16, 16), HCP_OK);
	assert_int_equal(hcp_reader_next(&r, NULL, &n, &frame, &frame_len),
	                 HCP_E_ARG);
}

/* [HCP-FRAME-2] the writer: minimal, and read back by the reader, for
 * every length 0..16384. */
static void prefix_every_length(void **state)
{
	uint8_t out[4];
	size_t w;
	size_t len;
	uint8_t buf[1];
	hcp_reader r;

	(void)state;
	for (len = 0; len <= HCP_MAX_FRAME_SIZE; len++) {
		size_t want = len < 128 ? 1 : len < 16384 ? 2 : 3;
		uint64_t v = 0;
		size_t i;

		assert_int_equal(hcp_prefix_write(len, out, sizeof(out), &w),
		                 HCP_OK);
		assert_int_equal(w, want);
		for (i = 0; i < w; i++) {
			v |= (uint64_t)(out[i] & 0x7f) << (7 * i);
			assert_int_equal((out[i] & 0x80) != 0, i + 1 < w);
		}
		assert_int_equal(v, len);
		if (w > 1)
			assert_int_not_equal(out[w - 1], 0); /* minimal */
		assert_int_equal(hcp_prefix_write(len, out, w - 1, &w),
		                 HCP_E_BUFFER);
		assert_int_equal(w, 0);
	}
	assert_int_equal(hcp_prefix_write(16385, out, sizeof(out), &w),
	                 HCP_E_TOO_LARGE);
	assert_int_equal(hcp_prefix_write(SIZE_MAX, out, sizeof(out), &w),
	                 HCP_E_TOO_LARGE);
	assert_int_equal(hcp_prefix_write(1, out, sizeof(out), NULL),
	                 HCP_E_ARG);
	/* A prefix for 0 then nothing: a whole empty frame. */
	assert_int_equal(hcp_reader_init(&r, buf, 1, 1), HCP_OK);
	assert_int_equal(hcp_prefix_write(0, out, sizeof(out), &w), HCP_OK);
	assert_int_equal(feed_bytes(&r, out, w, &len), HCP_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_whole_stream),
		cmocka_unit_test(reader_every_split),
		cmocka_unit_test(reader_byte_at_a_time),
		cmocka_unit_test(reader_random_splits),
		cmocka_unit_test(reader_non_minimal_prefix),
		cmocka_unit_test(reader_too_large_early),
		cmocka_unit_test(reader_incomplete),
		cmocka_unit_test(reader_bad_arguments),
		cmocka_unit_test(prefix_every_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

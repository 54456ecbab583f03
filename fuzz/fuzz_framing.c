/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_framing.c: the byte-stream frame reader fed an arbitrary stream in
 * chunks whose sizes the fuzzer chooses, compared with the same stream fed
 * whole and fed one byte at a time.
 *
 * Properties: every feeding gives the same frames, byte for byte, and the
 * same final state (incomplete, framing or too_large); a frame is never
 * longer than the maximum frame size and points either into the chunk
 * just given or into the reader's buffer; HCP_E_INCOMPLETE consumes the
 * whole chunk; an error is final and returned again by the next call
 * ([HCP-FRAME-3], [HCP-FRAME-4]); every call makes progress. The frames
 * found, each re-prefixed with hcp_prefix_write, give back exactly the
 * bytes of the stream they came from (a prefix is minimal, so there is one
 * way to write it). Chunks and the reader's buffer are heap blocks of
 * exactly their size, so AddressSanitizer reports any read or write past
 * either.
 *
 * Input: one byte choosing the maximum frame size (high bit clear:
 * HCP_MAX_FRAME_SIZE; set: 1 to 128, to reach too_large in small inputs),
 * one byte n (low 4 bits) and n chunk sizes of one byte each, used in
 * turn; the rest is the stream.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define MAX_CHUNK_SIZES 15

/* What one feeding produced: the frames, concatenated with their
 * prefixes, and the final state. */
struct result {
	uint8_t *framed; /* prefix + frame, for every frame in order */
	size_t framed_len;
	size_t framed_cap;
	size_t frames;
	hcp_error final;
};

static void record(struct result *res, const uint8_t *frame, size_t len)
{
	size_t w = 0;

	if (res->framed_cap - res->framed_len < len + HCP_MAX_PREFIX_SIZE) {
		size_t cap = 2 * res->framed_cap + len + HCP_MAX_PREFIX_SIZE;
		uint8_t *p = realloc(res->framed, cap);

		HCP_FUZZ_ASSERT(p != NULL);
		res->framed = p;
		res->framed_cap = cap;
	}
	HCP_FUZZ_ASSERT_ERR(hcp_prefix_write(len, res->framed + res->framed_len,
	                                     HCP_MAX_PREFIX_SIZE, &w),
	                    HCP_OK);
	HCP_FUZZ_ASSERT(w >= 1 && w <= HCP_MAX_PREFIX_SIZE);
	res->framed_len += w;
	if (len > 0)
		memcpy(res->framed + res->framed_len, frame, len);
	res->framed_len += len;
	res->frames++;
}

/* Feeds one chunk; returns 0 once the reader has reported a final error. */
static int feed(hcp_reader *r, const uint8_t *buf, size_t max_frame,
                const uint8_t *chunk_data, size_t chunk_len, struct result *res)
{
	uint8_t *chunk = hcp_fuzz_dup(chunk_data, chunk_len);
	const uint8_t *p = chunk;
	size_t n = chunk_len;
	size_t calls = 0;
	int going = 1;

	for (;;) {
		const uint8_t *frame = NULL;
		size_t frame_len = 0;
		const uint8_t *before = p;
		hcp_error err = hcp_reader_next(r, &p, &n, &frame, &frame_len);

		/* At most one call per byte, plus one to report the end. */
		HCP_FUZZ_ASSERT(++calls <= chunk_len + 1);
		HCP_FUZZ_ASSERT(p >= before && p <= chunk + chunk_len);
		HCP_FUZZ_ASSERT(n == (size_t)(chunk + chunk_len - p));
		if (err == HCP_OK) {
			HCP_FUZZ_ASSERT(p > before);
			HCP_FUZZ_ASSERT(frame_len <= max_frame);
			HCP_FUZZ_ASSERT(frame != NULL);
			if (frame == buf) {
				HCP_FUZZ_ASSERT(frame_len <= max_frame);
			} else {
				HCP_FUZZ_ASSERT(frame >= chunk &&
				                frame_len <=
				                        (size_t)(p - frame) &&
				                frame + frame_len == p);
			}
			record(res, frame, frame_len);
			continue;
		}
		HCP_FUZZ_ASSERT(frame == NULL && frame_len == 0);
		if (err == HCP_E_INCOMPLETE) {
			HCP_FUZZ_ASSERT(n == 0);
			res->final = err;
			break;
		}
		HCP_FUZZ_ASSERT(err == HCP_E_FRAMING || err == HCP_E_TOO_LARGE);
		res->final = err;
		{
			/* Final: the same error again, nothing consumed. */
			const uint8_t *q = p;
			size_t m = n;

			HCP_FUZZ_ASSERT_ERR(
			        hcp_reader_next(r, &q, &m, &frame, &frame_len),
			        err);
			HCP_FUZZ_ASSERT(frame == NULL && frame_len == 0);
		}
		going = 0;
		break;
	}
	free(chunk);
	return going;
}

/* Feeds stream[0..len) in chunks of the given sizes, used in turn (all
 * zero or none: the whole stream at once). */
static void run(const uint8_t *stream, size_t len, size_t max_frame,
                const uint8_t *sizes, size_t n_sizes, struct result *res)
{
	uint8_t *buf = malloc(max_frame);
	hcp_reader r;
	size_t off = 0;
	size_t k = 0;
	size_t i;
	int any = 0;

	HCP_FUZZ_ASSERT(buf != NULL);
	for (i = 0; i < n_sizes; i++)
		any |= sizes[i] != 0;
	memset(res, 0, sizeof(*res));
	res->final = HCP_E_INCOMPLETE;
	HCP_FUZZ_ASSERT_ERR(hcp_reader_init(&r, buf, max_frame, max_frame),
	                    HCP_OK);
	/* An empty chunk first: consumes nothing, gives nothing. */
	if (!feed(&r, buf, max_frame, stream, 0, res))
		goto out;
	while (off < len) {
		size_t take = len - off;

		if (any) {
			while (sizes[k % n_sizes] == 0)
				k++;
			if (sizes[k % n_sizes] < take)
				take = sizes[k % n_sizes];
			k++;
		}
		if (!feed(&r, buf, max_frame, stream + off, take, res))
			break;
		off += take;
	}
out:
	free(buf);
}

static void assert_same(const struct result *a, const struct result *b)
{
	HCP_FUZZ_ASSERT(a->frames == b->frames);
	HCP_FUZZ_ASSERT(a->framed_len == b->framed_len);
	HCP_FUZZ_ASSERT(a->framed_len == 0 ||
	                memcmp(a->framed, b->framed, a->framed_len) == 0);
	HCP_FUZZ_ASSERT_ERR(a->final, b->final);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hcp_fuzz_in in = { data, size };
	uint8_t sizes[MAX_CHUNK_SIZES];
	uint8_t ones[1] = { 1 };
	struct result whole;
	struct result split;
	struct result bytes;
	uint8_t sel = hcp_fuzz_u8(&in);
	size_t max_frame =
	        (sel & 0x80u) ? (size_t)(sel & 0x7fu) + 1u : HCP_MAX_FRAME_SIZE;
	size_t n_sizes = hcp_fuzz_u8(&in) & 0x0fu;
	size_t i;

	for (i = 0; i < n_sizes; i++)
		sizes[i] = hcp_fuzz_u8(&in);

	run(in.p, in.n, max_frame, sizes, 0, &whole);
	run(in.p, in.n, max_frame, sizes, n_sizes, &split);
	assert_same(&whole, &split);
	if (in.n <= 4096) {
		run(in.p, in.n, max_frame, ones, 1, &bytes);
		assert_same(&whole, &bytes);
		free(bytes.framed);
	}
	/* The frames found re-frame to exactly the stream they came from. */
	HCP_FUZZ_ASSERT(whole.framed_len <= in.n);
	HCP_FUZZ_ASSERT(whole.framed_len == 0 ||
	                memcmp(whole.framed, in.p, whole.framed_len) == 0);
	free(whole.framed);
	free(split.framed);
	return 0;
}

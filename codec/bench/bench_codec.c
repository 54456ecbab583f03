/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_codec.c: `make bench` for the codec. For each body type (the full
 * frame of the tests, every field at its limit) and a typical notice:
 * encode and decode+validate time per frame on each backend, their ratio,
 * the encoded size and the heap bytes protobuf-c takes per decoded frame
 * (nanopb takes none); then the framing reader's throughput beside
 * memcpy of the same bytes in the same chunks. Each figure is the best of
 * five timed runs of a loop sized to about 40 ms.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frames.h"
#include "hcp/hcp_nanopb.h"
#include "hcp/hcp_pbc.h"

static hcp_v1_Frame nf;
static hcp_v1_Frame out_nf;
static uint8_t bytes[HCP_MAX_FRAME_SIZE];
static uint8_t enc[HCP_MAX_FRAME_SIZE];
static size_t n_bytes;
static volatile size_t sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef void (*op_fn)(void);

static hcp_pbc_alloc alloc;
static Hcp__V1__Frame *pbc_frame;

static void op_pbc_decode(void)
{
	Hcp__V1__Frame *f = NULL;

	if (hcp_pbc_decode(bytes, n_bytes, 0, &alloc, &f) != HCP_OK)
		abort();
	hcp_pbc_free(f, &alloc);
}

static void op_pbc_encode(void)
{
	size_t w;

	if (hcp_pbc_encode(pbc_frame, enc, sizeof(enc), &w) != HCP_OK)
		abort();
	sink += w;
}

static void op_npb_decode(void)
{
	if (hcp_nanopb_decode(bytes, n_bytes, 0, &out_nf) != HCP_OK)
		abort();
}

static void op_npb_encode(void)
{
	size_t w;

	if (hcp_nanopb_encode(&nf, enc, sizeof(enc), &w) != HCP_OK)
		abort();
	sink += w;
}

/* Nanoseconds per call: calibrate to about 40 ms, best of five. */
static double time_op(op_fn op)
{
	size_t iters = 1;
	double best = 1e30;
	int run;

	for (;;) {
		double t0 = now_ns();
		size_t i;

		for (i = 0; i < iters; i++)
			op();
		if (now_ns() - t0 > 4e6 || iters > (1u << 26))
			break;
		iters *= 2;
	}
	iters *= 10;
	for (run = 0; run < 5; run++) {
		double t0 = now_ns();
		size_t i;
		double per;

		for (i = 0; i < iters; i++)
			op();
		per = (now_ns() - t0) / (double)iters;
		if (per < best)
			best = per;
	}
	return best;
}

/* A notice like the one of BUILD-NOTES.md: reason, text, deadline,
 * window, one redirect, a 96-byte token, a six-field hint. */
static void typical_notice(hcp_v1_Frame *f)
{
	hcp_v1_Notice *n = &f->body.notice;

	memset(f, 0, sizeof(*f));
	f->which_body = hcp_v1_Frame_notice_tag;
	n->reason = HCP_REASON_NODE_DRAINING;
	strcpy(n->reason_text, "node draining for deploy");
	n->deadline_ms = 30000;
	n->which_timing = hcp_v1_Notice_window_tag;
	n->timing.window.not_before_ms = 1000;
	n->timing.window.not_after_ms = 30000;
	n->redirect_count = 1;
	strcpy(n->redirect[0].url, "wss://edge-7.example.net/hcp");
	n->resume_token.size = 96;
	memset(n->resume_token.bytes, 0xa5, 96);
	n->resume_token_ttl_ms = 300000;
	n->has_backoff = true;
	n->backoff.base_ms = 500;
	n->backoff.cap_ms = 30000;
	n->backoff.multiplier_milli = 2000;
	n->backoff.jitter = hcp_v1_JitterMode_JITTER_MODE_EQUAL;
	n->backoff.floor_ms = 100;
	n->backoff.stable_ms = 60000;
}

static void bench_frame(const char *name)
{
	double pe, pd, ne, nd;
	size_t heap;

	if (hcp_nanopb_encode(&nf, bytes, sizeof(bytes), &n_bytes) != HCP_OK)
		abort();
	hcp_pbc_alloc_init(&alloc, 0);
	if (hcp_pbc_decode(bytes, n_bytes, 0, &alloc, &pbc_frame) != HCP_OK)
		abort();
	heap = alloc.peak;
	pd = time_op(op_pbc_decode);
	pe = time_op(op_pbc_encode);
	nd = time_op(op_npb_decode);
	ne = time_op(op_npb_encode);
	hcp_pbc_free(pbc_frame, &alloc);
	printf("| %-18s | %6zu | %8.0f | %8.0f | %5.2f | %8.0f | %8.0f | %5.2f "
	       "| %7zu | %5d |\n",
	       name, n_bytes, pd, nd, nd / pd, pe, ne, ne / pe, heap, 0);
}

static void bench_reader(void)
{
	size_t total = 4u << 20;
	uint8_t *stream = malloc(total + HCP_MAX_FRAME_SIZE + 8);
	uint8_t *copy = malloc(total + HCP_MAX_FRAME_SIZE + 8);
	static uint8_t rbuf[HCP_MAX_FRAME_SIZE];
	static const size_t chunks[] = { 1500, 16384, 65536 };
	size_t len = 0;
	size_t frames = 0;
	size_t c;

	if (stream == NULL || copy == NULL)
		abort();
	/* The typical notice, then a full StreamMessage, repeated. */
	while (len < total) {
		size_t w;
		size_t p;

		if (frames % 8 == 7)
			frames_build(&nf, hcp_v1_Frame_message_tag, true);
		else
			typical_notice(&nf);
		if (hcp_nanopb_encode(&nf, enc, sizeof(enc), &w) != HCP_OK ||
		    hcp_prefix_write(w, stream + len, 4, &p) != HCP_OK)
			abort();
		memcpy(stream + len + p, enc, w);
		len += p + w;
		frames++;
	}
	printf("\nframing reader over %zu frames, %.1f MiB, best of 5:\n\n",
	       frames, (double)len / (1 << 20));
	printf("| chunk bytes | reader MB/s | memcpy MB/s | ratio |\n");
	printf("|---:|---:|---:|---:|\n");
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		double best_r = 1e30;
		double best_m = 1e30;
		int run;

		for (run = 0; run < 5; run++) {
			hcp_reader r;
			size_t off = 0;
			size_t got = 0;
			double t0;

			if (hcp_reader_init(&r, rbuf, sizeof(rbuf),
			                    sizeof(rbuf)) != HCP_OK)
				abort();
			t0 = now_ns();
			while (off < len) {
				size_t n = len - off < chunks[c] ? len - off
				                                 : chunks[c];
				const uint8_t *d = stream + off;
				const uint8_t *f;
				size_t fl;

				off += n;
				while (hcp_reader_next(&r, &d, &n, &f, &fl) ==
				       HCP_OK)
					got += fl;
			}
			t0 = now_ns() - t0;
			sink += got;
			if (t0 < best_r)
				best_r = t0;
			t0 = now_ns();
			for (off = 0; off < len; off += chunks[c]) {
				size_t n = len - off < chunks[c] ? len - off
				                                 : chunks[c];

				memcpy(copy + off, stream + off, n);
			}
			t0 = now_ns() - t0;
			sink += copy[len / 2];
			if (t0 < best_m)
				best_m = t0;
		}
		printf("| %11zu | %11.0f | %11.0f | %5.2f |\n", chunks[c],
		       (double)len / best_r * 1e3, (double)len / best_m * 1e3,
		       best_m / best_r);
	}
	free(stream);
	free(copy);
}

int main(void)
{
	unsigned body;

	printf("HCP codec benchmark: ns per frame, best of 5 "
	       "(decode = decode + validate, protobuf-c includes free)\n\n");
	printf("| frame              |  bytes | pbc dec  | npb dec  | npb/p "
	       "| pbc enc  | npb enc  | npb/p | pbc heap | npb heap |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (body = 1; body <= FRAMES_BODIES; body++) {
		frames_build(&nf, body, true);
		bench_frame(frames_name(body));
	}
	typical_notice(&nf);
	bench_frame("notice (typical)");
	frames_build(&nf, hcp_v1_Frame_ping_tag, false);
	bench_frame("ping (empty)");
	bench_reader();
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frames.h: test helpers shared by the codec's tests and benchmark.
 *
 * Builds one valid frame of every body type, minimal (required fields
 * only) or full (every string, bytes and repeated field at its limit,
 * every number at the edge of its range), as a nanopb struct; and writes
 * raw protobuf bytes field by field, so that tests can make input that no
 * encoder would produce. Nothing here calls the code under test.
 */
#ifndef HCP_TEST_FRAMES_H
#define HCP_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp_nanopb.h"

#define FRAMES_BODIES 11 /* body field numbers 1..11 */

/* The body's name as in hcp.proto. */
const char *frames_name(unsigned body);

/* Fills *f (cleared first) with a valid frame of the given body. */
void frames_build(hcp_v1_Frame *f, unsigned body, bool full);

/* Encodes *f with nanopb's own encoder, without any HCP check, so that
 * invalid frames can be made too. Returns the size, or 0 on failure. */
size_t frames_raw_encode(const hcp_v1_Frame *f, uint8_t *out, size_t cap);

/* A raw protobuf writer. Writes past the capacity are dropped and set
 * overflow. */
typedef struct wbuf {
	uint8_t b[20000];
	size_t n;
	bool overflow;
} wbuf;

void w_init(wbuf *w);
void w_raw(wbuf *w, const void *p, size_t n);
void w_varint(wbuf *w, uint64_t v);
void w_key(wbuf *w, uint32_t num, unsigned wire_type);
void w_uint(wbuf *w, uint32_t num, uint64_t v);
void w_bytes(wbuf *w, uint32_t num, const void *p, size_t n);
void w_fill(wbuf *w, uint32_t num, uint8_t byte, size_t n);
void w_sub(wbuf *w, uint32_t num, const wbuf *sub);

/* A deterministic generator for tests (xorshift64*). */
uint32_t frames_rand(uint64_t *state);

#include "hcp/hcp_pbc.h"

/* The result of decoding the same bytes with both backends. */
struct both {
	hcp_error pbc;
	hcp_error nanopb;
	bool same;       /* both decoded, and re-encode to the same bytes */
	size_t heap;     /* peak bytes the protobuf-c decode took */
	bool pbc_leak;   /* protobuf-c allocator not back to zero */
	size_t enc_len;  /* length of the re-encoding when same */
	bool canon_same; /* the wire layer's canonical form equals it too */
};

/* Decodes with both backends (max_frame 0: the default) and compares. */
void frames_decode_both(const uint8_t *data, size_t len, size_t max_frame,
                        struct both *out);

#endif /* HCP_TEST_FRAMES_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_pbc_alloc.c: the protobuf-c path when memory runs out at a
 * fuzzer-chosen moment: the k-th allocation fails, or the byte budget is
 * a fuzzer-chosen size.
 *
 * The frame is first decoded with room to spare, counting allocations and
 * the peak of bytes in use. Then again under the failure: a failure the
 * decode reaches (k within the count, or a budget below the peak) gives
 * nomem, unless the unhindered decode refused the frame for an input
 * error, which may then be reported instead; a failure the decode does
 * not reach changes nothing. In every case nothing stays allocated (the
 * allocator's bytes in use return to zero, every block allocated is
 * freed, and LeakSanitizer checks the rest), and a frame decoded despite
 * the failure re-encodes exactly as the unhindered one.
 *
 * The failing allocation is the codec's own allocator refusing (its
 * budget is lowered to what is in use for that one call), so the failure
 * goes down the same path as a real one.
 *
 * Input: one byte; high bit clear: k (0: no failure), set: with the next
 * byte, a budget of 8 * ((b0 & 0x7f) << 8 | b1) bytes. Then the frame.
 */
#include <string.h>

#include "frames.h"
#include "fuzz.h"

/* The codec's allocator with a counter and a chosen failure in front. */
struct failing {
	hcp_pbc_alloc a; /* first: the codec passes &a as allocator data */
	void *(*alloc)(void *data, size_t size);
	void (*free)(void *data, void *p);
	size_t calls;
	size_t fail_at; /* 0: never */
	size_t live;
};

static void *failing_alloc(void *data, size_t size)
{
	struct failing *fa = data;
	void *p;

	fa->calls++;
	if (fa->calls == fa->fail_at) {
		size_t budget = fa->a.budget;

		fa->a.budget = fa->a.used;
		p = fa->alloc(data, size);
		fa->a.budget = budget;
		HCP_FUZZ_ASSERT(p == NULL);
		return NULL;
	}
	p = fa->alloc(data, size);
	if (p != NULL)
		fa->live++;
	return p;
}

static void failing_free(void *data, void *p)
{
	struct failing *fa = data;

	if (p != NULL) {
		HCP_FUZZ_ASSERT(fa->live > 0);
		fa->live--;
	}
	fa->free(data, p);
}

static void failing_init(struct failing *fa, size_t budget, size_t fail_at)
{
	memset(fa, 0, sizeof(*fa));
	hcp_pbc_alloc_init(&fa->a, budget);
	HCP_FUZZ_ASSERT(fa->a.pc.allocator_data == &fa->a);
	fa->alloc = fa->a.pc.alloc;
	fa->free = fa->a.pc.free;
	fa->a.pc.alloc = failing_alloc;
	fa->a.pc.free = failing_free;
	fa->fail_at = fail_at;
}

static void assert_clean(const struct failing *fa)
{
	HCP_FUZZ_ASSERT(fa->a.used == 0);
	HCP_FUZZ_ASSERT(fa->live == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc0[HCP_MAX_FRAME_SIZE];
	static uint8_t enc1[HCP_MAX_FRAME_SIZE];
	static struct failing fa;
	hcp_fuzz_in in = { data, size };
	Hcp__V1__Frame *f = NULL;
	uint8_t b0 = hcp_fuzz_u8(&in);
	size_t fail_at = 0;
	size_t budget = HCP_FUZZ_PBC_BUDGET;
	size_t calls0;
	size_t peak0;
	size_t n0 = 0;
	size_t n1 = 0;
	int reached;
	hcp_error e0;
	hcp_error e1;

	if (b0 & 0x80u) {
		budget = 8u * ((size_t)(b0 & 0x7fu) << 8 | hcp_fuzz_u8(&in));
		if (budget == 0)
			budget = 8;
	} else {
		fail_at = b0;
	}

	/* Unhindered. */
	failing_init(&fa, HCP_FUZZ_PBC_BUDGET, 0);
	e0 = hcp_pbc_decode(in.p, in.n, 0, &fa.a, &f);
	calls0 = fa.calls;
	peak0 = fa.a.peak;
	if (e0 == HCP_OK) {
		hcp_fuzz_pbc_invariants(f);
		HCP_FUZZ_ASSERT_ERR(hcp_pbc_encode(f, enc0, sizeof(enc0), &n0),
		                    HCP_OK);
		hcp_pbc_free(f, &fa.a);
	} else {
		HCP_FUZZ_ASSERT(f == NULL);
		HCP_FUZZ_ASSERT(hcp_fuzz_is_input_error(e0));
	}
	assert_clean(&fa);

	/* Under the failure. */
	failing_init(&fa, budget, fail_at);
	f = NULL;
	e1 = hcp_pbc_decode(in.p, in.n, 0, &fa.a, &f);
	reached = fail_at != 0 ? fail_at <= calls0 : budget < peak0;
	if (e1 == HCP_OK) {
		HCP_FUZZ_ASSERT(!reached);
		hcp_fuzz_pbc_invariants(f);
		HCP_FUZZ_ASSERT_ERR(hcp_pbc_encode(f, enc1, sizeof(enc1), &n1),
		                    HCP_OK);
		hcp_pbc_free(f, &fa.a);
	} else {
		HCP_FUZZ_ASSERT(f == NULL);
	}
	assert_clean(&fa);
	if (!reached) {
		HCP_FUZZ_ASSERT_ERR(e1, e0);
	} else if (e0 == HCP_OK) {
		HCP_FUZZ_ASSERT_ERR(e1, HCP_E_NOMEM);
	} else {
		HCP_FUZZ_ASSERT(e1 == HCP_E_NOMEM || e1 == e0);
	}
	HCP_FUZZ_ASSERT((e1 == HCP_E_NOMEM) == fa.a.failed);
	if (e1 == HCP_OK) {
		HCP_FUZZ_ASSERT(n0 == n1);
		HCP_FUZZ_ASSERT(memcmp(enc0, enc1, n0) == 0);
	}
	return 0;
}

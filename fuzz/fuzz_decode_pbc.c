/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_decode_pbc.c: decode and validate arbitrary bytes as one frame with
 * the protobuf-c backend, as a server does with a message from the
 * network (default byte budget, default maximum frame size).
 *
 * Properties: a refused frame gives an input-error class (or nomem, with
 * the allocator saying it failed), no frame and nothing left allocated;
 * input longer than the maximum frame size is too_large ([HCP-FRAME-8]);
 * an accepted frame satisfies the invariants of frames.h, validates again,
 * re-encodes to a fixpoint no longer than the input, is refused with
 * buffer by an encoder given one byte too few, and frees everything;
 * the same frame against a maximum one byte smaller is too_large. The
 * input is a heap block of exactly its size (libFuzzer's, or the replay
 * driver's), so AddressSanitizer reports any read past it.
 *
 * Input: the frame bytes.
 */
#include "frames.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc[HCP_MAX_FRAME_SIZE];
	Hcp__V1__Frame *f = NULL;
	hcp_pbc_alloc a;
	size_t n;
	size_t w = 1;
	hcp_error err;

	hcp_pbc_alloc_init(&a, 0);
	err = hcp_pbc_decode(data, size, 0, &a, &f);
	HCP_FUZZ_ASSERT(a.used == 0 || err == HCP_OK);
	if (size > HCP_MAX_FRAME_SIZE)
		HCP_FUZZ_ASSERT_ERR(err, HCP_E_TOO_LARGE);
	if (err != HCP_OK) {
		HCP_FUZZ_ASSERT(f == NULL);
		HCP_FUZZ_ASSERT(hcp_fuzz_is_input_error(err) ||
		                (err == HCP_E_NOMEM && a.failed));
		return 0;
	}
	hcp_fuzz_pbc_invariants(f);
	HCP_FUZZ_ASSERT_ERR(hcp_pbc_validate(f), HCP_OK);
	n = hcp_fuzz_pbc_fixpoint(f, size, enc);
	if (n > 0) {
		HCP_FUZZ_ASSERT_ERR(hcp_pbc_encode(f, enc, n - 1, &w),
		                    HCP_E_BUFFER);
		HCP_FUZZ_ASSERT(w == 0);
	}
	hcp_pbc_free(f, &a);
	HCP_FUZZ_ASSERT(a.used == 0);

	/* One byte over a smaller maximum: too_large, before decoding. */
	if (size >= 2) {
		f = NULL;
		HCP_FUZZ_ASSERT_ERR(
		        hcp_pbc_decode(data, size, size - 1, &a, &f),
		        HCP_E_TOO_LARGE);
		HCP_FUZZ_ASSERT(f == NULL && a.used == 0);
	}
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_decode_nanopb.c: decode and validate arbitrary bytes as one frame
 * with the nanopb backend, as a small client does with a message from the
 * network (default maximum frame size, fixed memory, no heap).
 *
 * Properties: a refused frame gives an input-error class; input longer
 * than the maximum frame size is too_large ([HCP-FRAME-8]); an accepted
 * frame satisfies the invariants of frames.h (counts within their arrays,
 * strings terminated inside theirs, flags 0 or 1, oneof tags naming a
 * member), validates again, re-encodes to a fixpoint no longer than the
 * input, and is refused with buffer by an encoder given one byte too few;
 * a refused frame leaves the output cleared; an accepted frame against a
 * maximum one byte smaller is too_large. The output struct is filled
 * with garbage before each decode, so a decoder that leaves any of it
 * unset fails the invariants or the fixpoint. The input is a heap block
 * of exactly its size, so AddressSanitizer reports any read past it.
 *
 * Input: the frame bytes.
 */
#include <string.h>

#include "frames.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc[HCP_MAX_FRAME_SIZE];
	static hcp_v1_Frame f;
	size_t n;
	size_t w = 1;
	hcp_error err;

	memset(&f, 0xa5, sizeof(f));
	err = hcp_nanopb_decode(data, size, 0, &f);
	if (size > HCP_MAX_FRAME_SIZE)
		HCP_FUZZ_ASSERT_ERR(err, HCP_E_TOO_LARGE);
	if (err != HCP_OK) {
		static const hcp_v1_Frame zero;

		HCP_FUZZ_ASSERT(hcp_fuzz_is_input_error(err));
		/* Left cleared on any error (hcp_nanopb.h). */
		HCP_FUZZ_ASSERT(memcmp(&f, &zero, sizeof(f)) == 0);
		return 0;
	}
	hcp_fuzz_nanopb_invariants(&f);
	HCP_FUZZ_ASSERT_ERR(hcp_nanopb_validate(&f), HCP_OK);
	n = hcp_fuzz_nanopb_fixpoint(&f, size, enc);
	if (n > 0) {
		HCP_FUZZ_ASSERT_ERR(hcp_nanopb_encode(&f, enc, n - 1, &w),
		                    HCP_E_BUFFER);
		HCP_FUZZ_ASSERT(w == 0);
	}

	/* One byte over a smaller maximum: too_large, before decoding. */
	if (size >= 2)
		HCP_FUZZ_ASSERT_ERR(hcp_nanopb_decode(data, size, size - 1, &f),
		                    HCP_E_TOO_LARGE);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee_nanopb.c: the reference testee on the nanopb backend of the
 * codec (build/codec/libhcp-nanopb.a). Frames are decoded into one static
 * hcp_v1_Frame, with no heap, and re-encoded canonically.
 */
#include "hcp/hcp_nanopb.h"
#include "testee.h"

const char hcp_testee_backend[] = "nanopb";

hcp_error hcp_testee_decode(const uint8_t *frame, size_t len, size_t max_frame,
                            uint8_t *out, size_t cap, size_t *written)
{
	static hcp_v1_Frame f;
	hcp_error err;

	*written = 0;
	err = hcp_nanopb_decode(frame, len, max_frame, &f);
	if (err != HCP_OK)
		return err;
	return hcp_nanopb_encode(&f, out, cap, written);
}

int main(void)
{
	return hcp_testee_serve(hcp_testee_token_hook);
}

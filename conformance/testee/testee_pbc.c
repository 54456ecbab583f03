/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee_pbc.c: the reference testee on the protobuf-c backend of the
 * codec (build/codec/libhcp.a). Frames are decoded through a counting
 * allocator with the default budget and re-encoded canonically; the
 * decoded frame is always freed, on every path.
 */
#include "hcp/hcp_pbc.h"
#include "testee.h"

const char hcp_testee_backend[] = "protobuf-c";

hcp_error hcp_testee_decode(const uint8_t *frame, size_t len, size_t max_frame,
                            uint8_t *out, size_t cap, size_t *written)
{
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	hcp_error err;

	*written = 0;
	hcp_pbc_alloc_init(&a, 0);
	err = hcp_pbc_decode(frame, len, max_frame, &a, &f);
	if (err != HCP_OK)
		return err;
	err = hcp_pbc_encode(f, out, cap, written);
	hcp_pbc_free(f, &a);
	return err;
}

int main(void)
{
	return hcp_testee_serve(hcp_testee_token_hook);
}

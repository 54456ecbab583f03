/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_nanopb.c: the invariants and the fixpoint of frames.h for frames
 * the nanopb backend decoded. The walk follows nanopb's field iterator,
 * so the limits are the storage the generator sized from hcp.options:
 * counts within the array, bytes within the array, strings terminated
 * inside theirs, has_ flags and bools exactly 0 or 1, every oneof tag
 * naming a member. Every field is static: the backend never allocates.
 */
#include <string.h>

#include "frames.h"
#include "fuzz.h"

#include "pb_common.h"

static volatile uint8_t sink;

static void touch(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t x = 0;
	size_t i;

	for (i = 0; i < n; i++)
		x ^= b[i];
	sink ^= x;
}

static int flag_of(const void *p)
{
	unsigned char b;

	memcpy(&b, p, 1);
	HCP_FUZZ_ASSERT(b <= 1);
	return b;
}

static void walk(const pb_msgdesc_t *d, const void *msg, unsigned depth);

static void check_value(const pb_field_iter_t *it, const void *p,
                        unsigned depth)
{
	pb_size_t size;

	switch (PB_LTYPE(it->type)) {
	case PB_LTYPE_STRING:
		HCP_FUZZ_ASSERT(memchr(p, 0, it->data_size) != NULL);
		touch(p, strlen(p) + 1);
		break;
	case PB_LTYPE_BYTES:
		memcpy(&size, p, sizeof(size));
		HCP_FUZZ_ASSERT(size <=
		                it->data_size -
		                        offsetof(pb_bytes_array_t, bytes));
		touch((const uint8_t *)p + offsetof(pb_bytes_array_t, bytes),
		      size);
		break;
	case PB_LTYPE_BOOL:
		flag_of(p);
		break;
	case PB_LTYPE_SUBMESSAGE:
		HCP_FUZZ_ASSERT(it->submsg_desc != NULL);
		walk(it->submsg_desc, p, depth + 1);
		break;
	default:
		touch(p, it->data_size);
		break;
	}
}

/* A oneof's tag, shared by its members: seen once per member. */
struct oneof_seen {
	const void *which;
	int matched;
};

static void walk(const pb_msgdesc_t *d, const void *msg, unsigned depth)
{
	struct oneof_seen oneofs[4];
	unsigned n_oneofs = 0;
	pb_field_iter_t it;
	unsigned k;

	HCP_FUZZ_ASSERT(depth < 8);
	if (!pb_field_iter_begin_const(&it, d, msg))
		return;
	do {
		pb_size_t count = 1;
		pb_size_t i;

		HCP_FUZZ_ASSERT(PB_ATYPE(it.type) == PB_ATYPE_STATIC);
		switch (PB_HTYPE(it.type)) {
		case PB_HTYPE_OPTIONAL:
			if (it.pSize != NULL && !flag_of(it.pSize))
				continue;
			break;
		case PB_HTYPE_REPEATED:
			memcpy(&count, it.pSize, sizeof(count));
			HCP_FUZZ_ASSERT(count <= it.array_size);
			break;
		case PB_HTYPE_ONEOF: {
			pb_size_t which;

			memcpy(&which, it.pSize, sizeof(which));
			for (k = 0; k < n_oneofs; k++) {
				if (oneofs[k].which == it.pSize)
					break;
			}
			if (k == n_oneofs) {
				HCP_FUZZ_ASSERT(n_oneofs < 4);
				oneofs[k].which = it.pSize;
				oneofs[k].matched = which == 0;
				n_oneofs++;
			}
			if (which != it.tag)
				continue;
			oneofs[k].matched = 1;
			break;
		}
		default:
			break;
		}
		for (i = 0; i < count; i++)
			check_value(&it,
			            (const char *)it.pData +
			                    (size_t)i * it.data_size,
			            depth);
	} while (pb_field_iter_next(&it));
	for (k = 0; k < n_oneofs; k++)
		HCP_FUZZ_ASSERT(oneofs[k].matched);
}

void hcp_fuzz_nanopb_invariants(const hcp_v1_Frame *f)
{
	HCP_FUZZ_ASSERT(f != NULL);
	walk(hcp_v1_Frame_fields, f, 0);
}

size_t hcp_fuzz_nanopb_fixpoint(const hcp_v1_Frame *f, size_t in_len,
                                uint8_t *out)
{
	static uint8_t again[HCP_MAX_FRAME_SIZE];
	static hcp_v1_Frame g;
	size_t n1 = 0;
	size_t n2 = 0;

	HCP_FUZZ_ASSERT_ERR(hcp_nanopb_encode(f, out, HCP_MAX_FRAME_SIZE, &n1),
	                    HCP_OK);
	HCP_FUZZ_ASSERT(n1 <= in_len);
	HCP_FUZZ_ASSERT_ERR(hcp_nanopb_decode(out, n1, HCP_MAX_FRAME_SIZE, &g),
	                    HCP_OK);
	hcp_fuzz_nanopb_invariants(&g);
	HCP_FUZZ_ASSERT_ERR(hcp_nanopb_encode(&g, again, sizeof(again), &n2),
	                    HCP_OK);
	HCP_FUZZ_ASSERT(n1 == n2);
	HCP_FUZZ_ASSERT(memcmp(out, again, n1) == 0);
	return n1;
}

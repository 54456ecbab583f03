/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_pbc.c: the invariants and the fixpoint of frames.h for frames the
 * protobuf-c backend decoded. The walk follows protobuf-c's descriptors;
 * the limits come from hcp.h through the table below, keyed by message
 * and field name as the schema spells them.
 */
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "fuzz.h"

struct field_limit {
	const char *message;
	const char *field;
	size_t max;
};

/* Every string, bytes and repeated field of hcp.proto with its limit of
 * spec section "Limits" (bytes, or entries for a repeated field). */
static const struct field_limit limits[] = {
	{ "hcp.v1.StreamCursor", "stream", HCP_MAX_STREAM_NAME_SIZE },
	{ "hcp.v1.Endpoint", "url", HCP_MAX_ENDPOINT_SIZE },
	{ "hcp.v1.Connect", "credentials", HCP_MAX_CREDENTIALS_SIZE },
	{ "hcp.v1.ResumeRequest", "token", HCP_MAX_RESUME_TOKEN_SIZE },
	{ "hcp.v1.ResumeRequest", "streams", HCP_MAX_RESUME_STREAMS },
	{ "hcp.v1.Welcome", "session_id", HCP_MAX_SESSION_ID_SIZE },
	{ "hcp.v1.Welcome", "resume_token", HCP_MAX_RESUME_TOKEN_SIZE },
	{ "hcp.v1.ResumeResult", "streams", HCP_MAX_RESUME_STREAMS },
	{ "hcp.v1.StreamOutcome", "stream", HCP_MAX_STREAM_NAME_SIZE },
	{ "hcp.v1.Busy", "reason_text", HCP_MAX_REASON_TEXT_SIZE },
	{ "hcp.v1.Busy", "redirect", HCP_MAX_REDIRECTS },
	{ "hcp.v1.Notice", "reason_text", HCP_MAX_REASON_TEXT_SIZE },
	{ "hcp.v1.Notice", "redirect", HCP_MAX_REDIRECTS },
	{ "hcp.v1.Notice", "resume_token", HCP_MAX_RESUME_TOKEN_SIZE },
	{ "hcp.v1.Close", "reason_text", HCP_MAX_REASON_TEXT_SIZE },
	{ "hcp.v1.Subscribe", "stream", HCP_MAX_STREAM_NAME_SIZE },
	{ "hcp.v1.Subscribe", "grant", HCP_MAX_GRANT_SIZE },
	{ "hcp.v1.Unsubscribe", "stream", HCP_MAX_STREAM_NAME_SIZE },
	{ "hcp.v1.StreamMessage", "stream", HCP_MAX_STREAM_NAME_SIZE },
	{ "hcp.v1.StreamMessage", "payload", HCP_MAX_PAYLOAD_SIZE },
};

/* Where every read byte goes, so that no read is optimised away. */
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

static size_t limit_of(const ProtobufCMessageDescriptor *d,
                       const ProtobufCFieldDescriptor *fd)
{
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		if (strcmp(limits[i].message, d->name) == 0 &&
		    strcmp(limits[i].field, fd->name) == 0)
			return limits[i].max;
	}
	hcp_fuzz_fail(__FILE__, __LINE__,
	              "a string, bytes or repeated field has no limit entry");
}

static void walk(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d,
                 unsigned depth);

/* One value of field fd stored at p: a char *, a ProtobufCBinaryData or a
 * message pointer; scalars need no check. */
static void check_value(const ProtobufCMessageDescriptor *d,
                        const ProtobufCFieldDescriptor *fd, const void *p,
                        unsigned depth)
{
	const ProtobufCMessage *sub;
	ProtobufCBinaryData bd;
	const char *s;

	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING:
		memcpy(&s, p, sizeof(s));
		HCP_FUZZ_ASSERT(s != NULL);
		HCP_FUZZ_ASSERT(strlen(s) <= limit_of(d, fd));
		touch(s, strlen(s) + 1);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		memcpy(&bd, p, sizeof(bd));
		HCP_FUZZ_ASSERT(bd.len <= limit_of(d, fd));
		HCP_FUZZ_ASSERT(bd.len == 0 || bd.data != NULL);
		touch(bd.data, bd.len);
		break;
	case PROTOBUF_C_TYPE_MESSAGE:
		memcpy(&sub, p, sizeof(sub));
		if (sub != NULL)
			walk(sub, fd->descriptor, depth + 1);
		break;
	default:
		touch(p, sizeof(uint32_t));
		break;
	}
}

static void check_repeated(const ProtobufCMessageDescriptor *d,
                           const ProtobufCFieldDescriptor *fd, const char *base,
                           unsigned depth)
{
	const char *arr;
	size_t n;
	size_t i;
	size_t elem;

	memcpy(&n, base + fd->quantifier_offset, sizeof(n));
	memcpy(&arr, base + fd->offset, sizeof(arr));
	HCP_FUZZ_ASSERT(n <= limit_of(d, fd));
	HCP_FUZZ_ASSERT(n == 0 || arr != NULL);
	switch (fd->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
	case PROTOBUF_C_TYPE_STRING:
		elem = sizeof(void *);
		break;
	case PROTOBUF_C_TYPE_BYTES:
		elem = sizeof(ProtobufCBinaryData);
		break;
	default:
		/* No repeated scalar in the schema: the table forbids it. */
		hcp_fuzz_fail(__FILE__, __LINE__, "repeated scalar field");
	}
	for (i = 0; i < n; i++) {
		const void *p = arr + i * elem;

		if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
			const ProtobufCMessage *sub;

			memcpy(&sub, p, sizeof(sub));
			HCP_FUZZ_ASSERT(sub != NULL);
		}
		check_value(d, fd, p, depth);
	}
}

static void walk(const ProtobufCMessage *m, const ProtobufCMessageDescriptor *d,
                 unsigned depth)
{
	const char *base = (const char *)m;
	unsigned i;
	size_t u;

	HCP_FUZZ_ASSERT(depth < 8);
	HCP_FUZZ_ASSERT(m->descriptor == d);
	for (i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];

		if (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t which;

			memcpy(&which, base + fd->quantifier_offset,
			       sizeof(which));
			if (which != fd->id)
				continue;
		}
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			check_repeated(d, fd, base, depth);
			continue;
		}
		if (fd->type == PROTOBUF_C_TYPE_MESSAGE &&
		    (fd->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)) {
			const ProtobufCMessage *sub;

			memcpy(&sub, base + fd->offset, sizeof(sub));
			HCP_FUZZ_ASSERT(sub != NULL);
		}
		check_value(d, fd, base + fd->offset, depth);
	}
	HCP_FUZZ_ASSERT(m->n_unknown_fields == 0 || m->unknown_fields != NULL);
	for (u = 0; u < m->n_unknown_fields; u++)
		touch(m->unknown_fields[u].data, m->unknown_fields[u].len);
}

void hcp_fuzz_pbc_invariants(const Hcp__V1__Frame *f)
{
	uint32_t which;

	HCP_FUZZ_ASSERT(f != NULL);
	memcpy(&which, &f->body_case, sizeof(which));
	HCP_FUZZ_ASSERT(which == 0 ||
	                protobuf_c_message_descriptor_get_field(
	                        &hcp__v1__frame__descriptor, which) != NULL);
	walk(&f->base, &hcp__v1__frame__descriptor, 0);
}

size_t hcp_fuzz_pbc_fixpoint(const Hcp__V1__Frame *f, size_t in_len,
                             uint8_t *out)
{
	static uint8_t again[HCP_MAX_FRAME_SIZE];
	Hcp__V1__Frame *g = NULL;
	hcp_pbc_alloc a;
	size_t n1 = 0;
	size_t n2 = 0;

	HCP_FUZZ_ASSERT_ERR(hcp_pbc_encode(f, out, HCP_MAX_FRAME_SIZE, &n1),
	                    HCP_OK);
	HCP_FUZZ_ASSERT(n1 <= in_len);
	hcp_pbc_alloc_init(&a, HCP_FUZZ_PBC_BUDGET);
	HCP_FUZZ_ASSERT_ERR(hcp_pbc_decode(out, n1, HCP_MAX_FRAME_SIZE, &a, &g),
	                    HCP_OK);
	hcp_fuzz_pbc_invariants(g);
	HCP_FUZZ_ASSERT_ERR(hcp_pbc_encode(g, again, sizeof(again), &n2),
	                    HCP_OK);
	hcp_pbc_free(g, &a);
	HCP_FUZZ_ASSERT(n1 == n2);
	HCP_FUZZ_ASSERT(memcmp(out, again, n1) == 0);
	return n1;
}

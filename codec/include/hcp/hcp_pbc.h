/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hcp_pbc.h: the protobuf-c backend of the HCP reference codec.
 *
 * For servers that already use protobuf-c. Frames are the structs that
 * protoc-gen-c generates from proto/hcp/v1/hcp.proto (codec/gen/pbc).
 * Decoding allocates through a caller-owned hcp_pbc_alloc that counts
 * bytes and refuses to go past its budget, so one hostile frame costs at
 * most its budget; every error path frees what it took. Decoding checks
 * the frame against every codec-level rule of the spec (the same checks,
 * in the same order, as the nanopb backend: both give the same verdict for
 * the same bytes). Encoding checks the frame first and produces the
 * canonical encoding ([HCP-WIRE-7]).
 *
 * Read it in call order: allocator, decode, free, encode, helpers.
 */
#ifndef HCP_PBC_H
#define HCP_PBC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"
#include "hcp/v1/hcp.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A budget that every valid frame fits in, with room to spare (the
 * largest valid frame, a full StreamMessage, takes under 17 KiB). */
#define HCP_PBC_DEFAULT_BUDGET 65536u

/* A counting allocator over malloc. pc is what protobuf-c calls; the rest
 * is bookkeeping the caller may read. One allocator may serve many frames
 * in turn; it is not safe to share between threads. */
typedef struct hcp_pbc_alloc {
	ProtobufCAllocator pc; /* pass &a->pc wherever protobuf-c wants one */
	size_t budget;         /* most bytes in use at once (0: the default) */
	size_t used;           /* bytes in use now, bookkeeping included */
	size_t peak;           /* most bytes ever in use at once */
	size_t allocations;    /* allocations made so far */
	bool failed;           /* an allocation failed since the last decode */
} hcp_pbc_alloc;

/* Prepares an allocator with the given budget in bytes; 0 means
 * HCP_PBC_DEFAULT_BUDGET. */
void hcp_pbc_alloc_init(hcp_pbc_alloc *a, size_t budget);

/* Decodes one frame of len bytes and checks it against every codec-level
 * rule. max_frame is the largest frame accepted (0: HCP_MAX_FRAME_SIZE;
 * at most HCP_MAX_FRAME_SIZE). On HCP_OK, *out is the frame, to be
 * released with hcp_pbc_free(); on any error *out is NULL and nothing
 * stays allocated. Errors: HCP_E_TOO_LARGE (len > max_frame, before
 * decoding), HCP_E_WIRE, HCP_E_LIMIT, HCP_E_UTF8, HCP_E_RANGE,
 * HCP_E_MISSING, HCP_E_CONFLICT, HCP_E_NOMEM (budget spent or malloc
 * failed), HCP_E_ARG. A decoded frame never holds unknown fields. */
HCP_NODISCARD hcp_error hcp_pbc_decode(const uint8_t *data, size_t len,
                                       size_t max_frame, hcp_pbc_alloc *a,
                                       Hcp__V1__Frame **out);

/* Releases a frame from hcp_pbc_decode() through the allocator that
 * decoded it. f may be NULL. */
void hcp_pbc_free(Hcp__V1__Frame *f, hcp_pbc_alloc *a);

/* Checks a frame (decoded, or built by the caller) against every
 * codec-level rule: limits, then UTF-8, then the other rules. HCP_E_ARG
 * for a NULL frame or a NULL entry in a repeated field. */
HCP_NODISCARD hcp_error hcp_pbc_validate(const Hcp__V1__Frame *f);

/* Checks the frame, then writes its canonical encoding into out (cap
 * bytes); *written gets its size. HCP_E_BUFFER when cap is too small,
 * HCP_E_ARG when the frame carries unknown fields (they have no canonical
 * place), or the validation error. */
HCP_NODISCARD hcp_error hcp_pbc_encode(const Hcp__V1__Frame *f, uint8_t *out,
                                       size_t cap, size_t *written);

/* Copies a decoded BackoffHint into the neutral form that
 * hcp_backoff_from_hint() takes; h NULL gives all zeros (the defaults). */
void hcp_pbc_hint(const Hcp__V1__BackoffHint *h, hcp_backoff_hint *out);

#ifdef __cplusplus
}
#endif

#endif /* HCP_PBC_H */

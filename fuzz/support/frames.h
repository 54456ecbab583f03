/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frames.h: the checks every harness applies to a frame that a backend
 * decoded and validated successfully.
 *
 * Invariants (checked by walking the frame through the runtime's own
 * field descriptors, so that a field added to the schema is walked too):
 * every repeated field holds at most its limit of entries, every bytes
 * field at most its limit of bytes, every string is NUL-terminated within
 * its storage and at most its limit long, every present submessage and
 * every oneof member is consistent with its case, and every byte the frame
 * points to is read once, so that AddressSanitizer reports a length that
 * does not match its storage. A string, bytes or repeated field that the
 * limit table below the walkers does not know aborts the run: the schema
 * grew and the table must grow with it.
 *
 * Fixpoint: the frame is encoded, the encoding decoded and validated
 * again, and encoded again; both encodings must be identical (the
 * canonical encoding of [HCP-WIRE-7] is a fixpoint) and no longer than
 * the input the frame came from (a canonical encoding is never longer
 * than any other encoding of the same content).
 */
#ifndef HCP_FUZZ_FRAMES_H
#define HCP_FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp_nanopb.h"
#include "hcp/hcp_pbc.h"

/* A byte budget large enough for any frame of HCP_MAX_FRAME_SIZE bytes,
 * used where a harness does not test the budget itself. */
#define HCP_FUZZ_PBC_BUDGET ((size_t)64 << 20)

void hcp_fuzz_pbc_invariants(const Hcp__V1__Frame *f);

/* Writes the canonical encoding of f to out (HCP_MAX_FRAME_SIZE bytes)
 * and returns its length, after checking the fixpoint. in_len is the size
 * of the input f was decoded from. */
size_t hcp_fuzz_pbc_fixpoint(const Hcp__V1__Frame *f, size_t in_len,
                             uint8_t *out);

void hcp_fuzz_nanopb_invariants(const hcp_v1_Frame *f);

size_t hcp_fuzz_nanopb_fixpoint(const hcp_v1_Frame *f, size_t in_len,
                                uint8_t *out);

#endif /* HCP_FUZZ_FRAMES_H */

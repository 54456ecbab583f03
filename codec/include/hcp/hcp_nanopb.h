/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hcp_nanopb.h: the nanopb backend of the HCP reference codec.
 *
 * For small clients: no heap at all. A frame is the fixed-size struct
 * that nanopb generates from proto/hcp/v1/hcp.proto with the limits of
 * proto/hcp/v1/hcp.options (codec/gen/nanopb); every string, bytes and
 * repeated field is an array sized by its spec limit. Decoding checks the
 * frame against every codec-level rule of the spec, with the same checks
 * in the same order as the protobuf-c backend, so both give the same
 * verdict and error code for the same bytes.
 *
 * sizeof(hcp_v1_Frame) is about 16 KiB (a full StreamMessage): keep one
 * per connection, not on a small stack.
 */
#ifndef HCP_NANOPB_H
#define HCP_NANOPB_H

#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"
#include "hcp/v1/hcp.pb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes one frame of len bytes into *out and checks it against every
 * codec-level rule. max_frame is the largest frame accepted (0:
 * HCP_MAX_FRAME_SIZE; at most HCP_MAX_FRAME_SIZE). *out is cleared on
 * entry and left cleared on any error. Errors: HCP_E_TOO_LARGE (len >
 * max_frame, before decoding), HCP_E_WIRE, HCP_E_LIMIT (nanopb's string,
 * bytes and array overflows included), HCP_E_UTF8, HCP_E_RANGE,
 * HCP_E_MISSING, HCP_E_CONFLICT, HCP_E_ARG. Never allocates. */
HCP_NODISCARD hcp_error hcp_nanopb_decode(const uint8_t *data, size_t len,
                                          size_t max_frame, hcp_v1_Frame *out);

/* Checks a frame (decoded, or built by the caller) against every
 * codec-level rule: limits, then UTF-8, then the other rules. A string
 * array without its terminator counts as over its limit. */
HCP_NODISCARD hcp_error hcp_nanopb_validate(const hcp_v1_Frame *f);

/* Checks the frame, then writes its canonical encoding into out (cap
 * bytes); *written gets its size. HCP_E_BUFFER when cap is too small, or
 * the validation error. */
HCP_NODISCARD hcp_error hcp_nanopb_encode(const hcp_v1_Frame *f, uint8_t *out,
                                          size_t cap, size_t *written);

/* Copies a decoded BackoffHint into the neutral form that
 * hcp_backoff_from_hint() takes; h NULL gives all zeros (the defaults). */
void hcp_nanopb_hint(const hcp_v1_BackoffHint *h, hcp_backoff_hint *out);

#ifdef __cplusplus
}
#endif

#endif /* HCP_NANOPB_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz.h: what every HCP fuzz harness shares. A harness checks properties
 * of the codec on arbitrary input and aborts, with the failed property
 * named, when one does not hold: libFuzzer then keeps the input as a
 * crash. The helpers here take fuzzer-chosen parameters from the front of
 * an input (reading nothing past its end) and check decoded frames of
 * either backend against the invariants every successful decode must
 * satisfy. Nothing here is part of the codec; it is built only into the
 * fuzz harnesses and their replay drivers.
 */
#ifndef HCP_FUZZ_H
#define HCP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"

/* The entry point every harness defines (libFuzzer's name). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints the failed property and aborts. */
_Noreturn void hcp_fuzz_fail(const char *file, int line, const char *what);

/* Aborts with the expression's text when cond is false. */
#define HCP_FUZZ_ASSERT(cond) \
	((cond) ? (void)0 : hcp_fuzz_fail(__FILE__, __LINE__, #cond))

/* Aborts when two error codes differ, printing both. */
void hcp_fuzz_assert_err(const char *file, int line, const char *what,
                         hcp_error got, hcp_error want);
#define HCP_FUZZ_ASSERT_ERR(got, want) \
	hcp_fuzz_assert_err(__FILE__, __LINE__, #got, (got), (want))

/* The unread rest of an input. Parameters are taken from its front; once
 * it is exhausted every further parameter reads as zero. */
typedef struct hcp_fuzz_in {
	const uint8_t *p;
	size_t n;
} hcp_fuzz_in;

uint8_t hcp_fuzz_u8(hcp_fuzz_in *in);
uint16_t hcp_fuzz_u16(hcp_fuzz_in *in);
uint32_t hcp_fuzz_u32(hcp_fuzz_in *in);

/* A copy of len bytes in a heap block of exactly that size, so that
 * AddressSanitizer reports any read past the end. Aborts when out of
 * memory. Free with free(); len 0 gives a one-byte block. */
uint8_t *hcp_fuzz_dup(const uint8_t *data, size_t len);

/* True when the error is one a decoder may report for bad input: a
 * framing-layer, wire-layer or semantic-layer class. */
int hcp_fuzz_is_input_error(hcp_error err);

#endif /* HCP_FUZZ_H */

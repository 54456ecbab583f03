/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_diff.c: the same bytes through both backends. They must accept or
 * refuse alike, refuse with the same error code, and an accepted frame
 * must re-encode to the same bytes in both (and to a fixpoint in each).
 *
 * Outcomes, counted and printed at exit (see fuzz/README.md):
 *   valid        both accepted, same encoding
 *   same-error   both refused with the same code
 *   pbc-budget   protobuf-c ran out of its byte budget (nomem) on a frame
 *                that nanopb refused for an input error: a frame over a
 *                count limit costs protobuf-c memory before validation
 *                can refuse it, while nanopb's fixed arrays refuse it at
 *                once. The budget is protobuf-c's fixed limit; the frame
 *                is refused either way, with a different class.
 *   nanopb-limit nanopb refused with limit a frame that protobuf-c refused
 *                for another input error: nanopb's fixed arrays overflow
 *                as soon as a field goes past its limit, even in a part of
 *                the input that a later oneof member or a later error
 *                makes irrelevant, and it stops there, while protobuf-c
 *                reads on and reports the error it ends with. The arrays
 *                are nanopb's fixed limit; the frame is refused either way.
 * Any other difference aborts, with both codes: a valid frame that
 * protobuf-c cannot fit in its budget, or that nanopb refuses for a limit,
 * included (hcp_pbc.h promises that every valid frame fits the budget;
 * a frame that protobuf-c accepts is within every limit). protobuf-c runs with its default budget,
 * as a server would.
 *
 * Input: the frame bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frames.h"
#include "fuzz.h"

static unsigned long n_valid;
static unsigned long n_same_error;
static unsigned long n_pbc_budget;
static unsigned long n_nanopb_limit;

static void print_counts(void)
{
	fprintf(stderr,
	        "fuzz_diff: %lu valid, %lu same-error, %lu pbc-budget, "
	        "%lu nanopb-limit\n",
	        n_valid, n_same_error, n_pbc_budget, n_nanopb_limit);
}

_Noreturn static void mismatch(hcp_error pbc, hcp_error nanopb,
                               const uint8_t *data, size_t size)
{
	size_t i;

	fprintf(stderr, "fuzz_diff: protobuf-c %d (%s), nanopb %d (%s) for:\n",
	        (int)pbc, hcp_error_class(pbc), (int)nanopb,
	        hcp_error_class(nanopb));
	for (i = 0; i < size && i < 512; i++)
		fprintf(stderr, "%02x", data[i]);
	fputc('\n', stderr);
	hcp_fuzz_fail(__FILE__, __LINE__, "the backends disagree");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t enc_p[HCP_MAX_FRAME_SIZE];
	static uint8_t enc_n[HCP_MAX_FRAME_SIZE];
	static hcp_v1_Frame fn;
	static int registered;
	Hcp__V1__Frame *fp = NULL;
	hcp_pbc_alloc a;
	hcp_error ep;
	hcp_error en;
	size_t np;
	size_t nn;

	if (!registered) {
		registered = 1;
		atexit(print_counts);
	}
	hcp_pbc_alloc_init(&a, 0);
	ep = hcp_pbc_decode(data, size, 0, &a, &fp);
	en = hcp_nanopb_decode(data, size, 0, &fn);

	if (ep == HCP_OK && en == HCP_OK) {
		np = hcp_fuzz_pbc_fixpoint(fp, size, enc_p);
		nn = hcp_fuzz_nanopb_fixpoint(&fn, size, enc_n);
		hcp_pbc_free(fp, &a);
		HCP_FUZZ_ASSERT(a.used == 0);
		if (np != nn || memcmp(enc_p, enc_n, np) != 0)
			hcp_fuzz_fail(__FILE__, __LINE__,
			              "the backends re-encode differently");
		n_valid++;
		return 0;
	}
	hcp_pbc_free(fp, &a);
	HCP_FUZZ_ASSERT(a.used == 0);
	if (ep == en) {
		n_same_error++;
		return 0;
	}
	if (ep == HCP_E_NOMEM && a.failed && hcp_fuzz_is_input_error(en)) {
		n_pbc_budget++;
		return 0;
	}
	if (en == HCP_E_LIMIT && hcp_fuzz_is_input_error(ep)) {
		n_nanopb_limit++;
		return 0;
	}
	mismatch(ep, en, data, size);
}

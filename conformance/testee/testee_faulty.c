/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee_faulty.c: a deliberately wrong testee, for the suite's own test
 * (check part check-conformance-self). It is the protobuf-c reference
 * testee with one fault, chosen by its only argument:
 *   accept-all  answers every wire.decode with the input as its own
 *               canonical form: it accepts every frame, valid or not;
 *   crash       aborts on every wire.decode frame that starts with byte
 *               0x32 (a Notice body);
 *   hang        never answers window.pick when not_before_ms and
 *               not_after_ms are both 1000;
 *   liar        answers an empty output, never "unsupported", for kinds
 *               it does not know;
 *   garbage     answers every reason.to_ws with three bytes that are not
 *               a Response;
 *   limit-as-missing  reports every refusal of class limit as missing
 *               (a decoder that checks required fields before limits).
 * conformance/tools/check_self.py computes from the vectors how many
 * tests each fault must fail, and asserts that the runner says so.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hcp/hcp_pbc.h"
#include "testee.h"

const char hcp_testee_backend[] = "faulty protobuf-c";

enum fault {
	FAULT_ACCEPT_ALL,
	FAULT_CRASH,
	FAULT_HANG,
	FAULT_LIAR,
	FAULT_GARBAGE,
	FAULT_LIMIT_AS_MISSING,
};

static enum fault mode;

hcp_error hcp_testee_decode(const uint8_t *frame, size_t len, size_t max_frame,
                            uint8_t *out, size_t cap, size_t *written)
{
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	hcp_error err;

	*written = 0;
	hcp_pbc_alloc_init(&a, 0);
	err = hcp_pbc_decode(frame, len, max_frame, &a, &f);
	if (err == HCP_E_LIMIT && mode == FAULT_LIMIT_AS_MISSING)
		return HCP_E_MISSING;
	if (err != HCP_OK)
		return err;
	err = hcp_pbc_encode(f, out, cap, written);
	hcp_pbc_free(f, &a);
	return err;
}

static uint64_t uint_in(const Hcp__Conformance__V1__Request *req,
                        const char *key)
{
	const Hcp__Conformance__V1__Value *v = hcp_testee_input(req, key);

	return v ? v->uint_value : 0;
}

static bool hook(const Hcp__Conformance__V1__Request *req,
                 struct hcp_testee_answer *a)
{
	const Hcp__Conformance__V1__Value *f = hcp_testee_input(req, "frame");
	bool wire = strcmp(req->kind, "wire.decode") == 0 && f != NULL;

	switch (mode) {
	case FAULT_ACCEPT_ALL:
		if (!wire)
			break;
		hcp_testee_put_bytes(a, "canonical", f->bytes_value.data,
		                     f->bytes_value.len);
		return true;
	case FAULT_CRASH:
		if (wire && f->bytes_value.len > 0 &&
		    f->bytes_value.data[0] == 0x32)
			abort();
		break;
	case FAULT_HANG:
		if (strcmp(req->kind, "window.pick") == 0 &&
		    uint_in(req, "not_before_ms") == 1000 &&
		    uint_in(req, "not_after_ms") == 1000)
			for (;;)
				pause();
		break;
	case FAULT_LIMIT_AS_MISSING:
		break;
	case FAULT_GARBAGE:
		if (strcmp(req->kind, "reason.to_ws") == 0) {
			static const uint8_t junk[] = { 3,    0,    0,   0,
				                        0xff, 0xff, 0xff };

			if (write(1, junk, sizeof(junk)) !=
			    (ssize_t)sizeof(junk))
				exit(1);
		}
		break;
	case FAULT_LIAR:
		/* Known kinds run; anything else gets an empty output. */
		return !hcp_testee_knows(req->kind) &&
		       (hcp_testee_token_hook(req, a) || true);
	}
	/* Everything the fault does not touch runs as in the honest
	 * protobuf-c testee, token kinds included. */
	return hcp_testee_token_hook(req, a);
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "accept-all", "crash",
		                             "hang",       "liar",
		                             "garbage",    "limit-as-missing" };
	size_t n = sizeof(names) / sizeof(names[0]);

	for (size_t i = 0; argc == 2 && i < n; i++) {
		if (strcmp(argv[1], names[i]) == 0) {
			mode = (enum fault)i;
			return hcp_testee_serve(hook);
		}
	}
	fprintf(stderr,
	        "usage: %s accept-all|crash|hang|liar|garbage|"
	        "limit-as-missing\n",
	        argv[0]);
	return 2;
}

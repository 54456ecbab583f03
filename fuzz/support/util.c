/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.c: the failure report and the parameter readers of fuzz.h. The
 * readers never read past the input; an exhausted input reads as zeros,
 * so every byte string is a valid harness input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

void hcp_fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "hcp-fuzz: %s:%d: property failed: %s\n", file, line,
	        what);
	fflush(stderr);
	abort();
}

void hcp_fuzz_assert_err(const char *file, int line, const char *what,
                         hcp_error got, hcp_error want)
{
	if (got == want)
		return;
	fprintf(stderr, "hcp-fuzz: %s:%d: %s is %d (%s), expected %d (%s)\n",
	        file, line, what, (int)got, hcp_error_class(got), (int)want,
	        hcp_error_class(want));
	fflush(stderr);
	abort();
}

uint8_t hcp_fuzz_u8(hcp_fuzz_in *in)
{
	uint8_t v;

	if (in->n == 0)
		return 0;
	v = in->p[0];
	in->p++;
	in->n--;
	return v;
}

uint16_t hcp_fuzz_u16(hcp_fuzz_in *in)
{
	uint16_t hi = hcp_fuzz_u8(in);

	return (uint16_t)(hi << 8 | hcp_fuzz_u8(in));
}

uint32_t hcp_fuzz_u32(hcp_fuzz_in *in)
{
	uint32_t hi = hcp_fuzz_u16(in);

	return hi << 16 | hcp_fuzz_u16(in);
}

uint8_t *hcp_fuzz_dup(const uint8_t *data, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (p == NULL) {
		fputs("hcp-fuzz: out of memory\n", stderr);
		abort();
	}
	if (len)
		memcpy(p, data, len);
	return p;
}

int hcp_fuzz_is_input_error(hcp_error err)
{
	switch (err) {
	case HCP_E_FRAMING:
	case HCP_E_TOO_LARGE:
	case HCP_E_WIRE:
	case HCP_E_LIMIT:
	case HCP_E_RANGE:
	case HCP_E_MISSING:
	case HCP_E_CONFLICT:
	case HCP_E_UTF8:
		return 1;
	default:
		return 0;
	}
}

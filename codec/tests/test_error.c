/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_error.c: every error code of hcp.h has a text and an error class.
 *
 * The codes are read from codec/include/hcp/hcp.h at run time (the tests
 * run from the top of the repository), so a code added to the header
 * without text fails here as well as at build time (-Wswitch).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hcp/hcp.h"

#define MAX_CODES 128

struct code {
	char name[64];
	int value;
};

/* Reads every "HCP_X = N," enumerator of the hcp_error enum. */
static size_t read_codes(struct code *codes, size_t cap)
{
	FILE *f = fopen("codec/include/hcp/hcp.h", "r");
	char line[256];
	bool in_enum = false;
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char name[64];
		int value;

		if (strstr(line, "typedef enum hcp_error {") != NULL)
			in_enum = true;
		else if (in_enum && strstr(line, "} hcp_error;") != NULL)
			break;
		else if (in_enum &&
		         sscanf(line, " %63[A-Z0-9_] = %d", name, &value) ==
		                 2 &&
		         n < cap) {
			strcpy(codes[n].name, name);
			codes[n].value = value;
			n++;
		}
	}
	fclose(f);
	return n;
}

/* Every declared code has its own text and a class other than
 * "unknown". */
static void every_code_has_text_and_class(void **state)
{
	struct code codes[MAX_CODES];
	size_t n = read_codes(codes, MAX_CODES);
	size_t i;
	size_t j;

	(void)state;
	assert_true(n >= 25); /* the draft declared 25 codes */
	for (i = 0; i < n; i++) {
		hcp_error e = (hcp_error)codes[i].value;
		const char *text = hcp_strerror(e);
		const char *cls = hcp_error_class(e);

		assert_non_null(text);
		assert_non_null(cls);
		if (strcmp(text, "unknown error") == 0 ||
		    strcmp(cls, "unknown") == 0)
			fail_msg("%s has no text or class", codes[i].name);
		for (j = 0; j < i; j++)
			if (strcmp(text,
			           hcp_strerror((hcp_error)codes[j].value)) ==
			    0)
				fail_msg("%s and %s share a text",
				         codes[i].name, codes[j].name);
	}
}

/* Values that are not codes, 0..max and beyond, fall through to the
 * unknown answer instead of crashing. */
static void non_codes_are_unknown(void **state)
{
	struct code codes[MAX_CODES];
	size_t n = read_codes(codes, MAX_CODES);
	int v;

	(void)state;
	for (v = -3; v < 300; v++) {
		bool declared = false;
		size_t i;

		for (i = 0; i < n; i++)
			if (codes[i].value == v)
				declared = true;
		if (declared)
			continue;
		assert_string_equal(hcp_strerror((hcp_error)v),
		                    "unknown error");
		assert_string_equal(hcp_error_class((hcp_error)v), "unknown");
	}
}

/* The class names of the spec's section "Errors" and of the contract,
 * spelled as the conformance vectors spell them. */
static void class_names_match_the_spec(void **state)
{
	static const struct {
		hcp_error e;
		const char *cls;
	} want[] = {
		{ HCP_E_INCOMPLETE, "incomplete" },
		{ HCP_E_FRAMING, "framing" },
		{ HCP_E_TOO_LARGE, "too_large" },
		{ HCP_E_WIRE, "wire" },
		{ HCP_E_LIMIT, "limit" },
		{ HCP_E_RANGE, "range" },
		{ HCP_E_MISSING, "missing" },
		{ HCP_E_CONFLICT, "conflict" },
		{ HCP_E_UTF8, "utf8" },
		{ HCP_E_NOMEM, "nomem" },
		{ HCP_E_BUFFER, "buffer" },
		{ HCP_E_ARG, "arg" },
		{ HCP_E_BUDGET, "budget" },
		{ HCP_E_TOKEN_SIZE, "token_size" },
		{ HCP_E_TOKEN_VERSION, "token_version" },
		{ HCP_E_TOKEN_KEY_UNKNOWN, "token_key_unknown" },
		{ HCP_E_TOKEN_KEY_RETIRED, "token_key_retired" },
		{ HCP_E_TOKEN_FORGED, "token_forged" },
		{ HCP_E_TOKEN_MALFORMED, "token_malformed" },
		{ HCP_E_TOKEN_EXPIRED, "token_expired" },
		{ HCP_E_TOKEN_NOT_YET_VALID, "token_not_yet_valid" },
		{ HCP_E_TOKEN_PRINCIPAL, "token_principal" },
		{ HCP_E_TOKEN_REUSED, "token_reused" },
		{ HCP_E_GRANT_STREAM, "grant_stream" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(hcp_error_class(want[i].e), want[i].cls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_code_has_text_and_class),
		cmocka_unit_test(non_codes_are_unknown),
		cmocka_unit_test(class_names_match_the_spec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

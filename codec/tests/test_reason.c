/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_reason.c: reason-code classes and the WebSocket close-code mapping
 * ([HCP-REASON-1], [HCP-REASON-3], [HCP-REASON-4]). Expected values are
 * the contract's table, written out here, not computed by the code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "hcp/hcp.h"

/* [HCP-REASON-1] [HCP-REASON-3] */
static void class_is_the_hundreds_digit(void **state)
{
	static const struct {
		uint32_t code;
		hcp_reason_class cls;
	} cases[] = {
		{ 0, HCP_CLASS_NONE },
		{ 1, HCP_CLASS_RECONNECT },
		{ 99, HCP_CLASS_RECONNECT },
		{ 100, HCP_CLASS_RECONNECT },
		{ 149, HCP_CLASS_RECONNECT },
		{ 150, HCP_CLASS_RECONNECT },
		{ 199, HCP_CLASS_RECONNECT },
		{ 200, HCP_CLASS_ELSEWHERE },
		{ 299, HCP_CLASS_ELSEWHERE },
		{ 300, HCP_CLASS_REAUTH },
		{ 399, HCP_CLASS_REAUTH },
		{ 400, HCP_CLASS_STOP },
		{ 411, HCP_CLASS_STOP },
		{ 499, HCP_CLASS_STOP },
		{ 500, HCP_CLASS_RECONNECT },
		{ 999, HCP_CLASS_RECONNECT },
		{ 1000, HCP_CLASS_RECONNECT },
		{ 4400, HCP_CLASS_RECONNECT },
		{ UINT32_MAX, HCP_CLASS_RECONNECT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(hcp_reason_class_of(cases[i].code),
		                 cases[i].cls);
}

/* Every registered code sits in the class its comment block names. */
static void registry_codes_in_their_class(void **state)
{
	static const uint32_t reconnect[] = { 100, 101, 102, 103,
		                              104, 105, 106, 107 };
	static const uint32_t elsewhere[] = { 200, 201, 202, 203 };
	static const uint32_t reauth[] = { 300, 301, 302, 310, 311,
		                           312, 313, 314, 320, 321 };
	static const uint32_t stop[] = { 400, 401, 402, 403, 404,
		                         405, 406, 410, 411 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reconnect) / sizeof(reconnect[0]); i++)
		assert_int_equal(hcp_reason_class_of(reconnect[i]),
		                 HCP_CLASS_RECONNECT);
	for (i = 0; i < sizeof(elsewhere) / sizeof(elsewhere[0]); i++)
		assert_int_equal(hcp_reason_class_of(elsewhere[i]),
		                 HCP_CLASS_ELSEWHERE);
	for (i = 0; i < sizeof(reauth) / sizeof(reauth[0]); i++)
		assert_int_equal(hcp_reason_class_of(reauth[i]),
		                 HCP_CLASS_REAUTH);
	for (i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		assert_int_equal(hcp_reason_class_of(stop[i]), HCP_CLASS_STOP);
	assert_int_equal(HCP_REASON_TRANSPORT_ERROR, 107);
	assert_int_equal(HCP_REASON_STREAM_NOT_FOUND, 411);
}

/* [HCP-REASON-4] to_ws */
static void to_ws_close(void **state)
{
	uint32_t c;

	(void)state;
	assert_int_equal(hcp_reason_to_ws_close(0), 1000);
	assert_int_equal(hcp_reason_to_ws_close(1), 4001);
	assert_int_equal(hcp_reason_to_ws_close(101), 4101);
	assert_int_equal(hcp_reason_to_ws_close(999), 4999);
	assert_int_equal(hcp_reason_to_ws_close(1000), 1012);
	assert_int_equal(hcp_reason_to_ws_close(65535), 1012);
	assert_int_equal(hcp_reason_to_ws_close(65536 + 101), 1012);
	assert_int_equal(hcp_reason_to_ws_close(UINT32_MAX), 1012);
	for (c = 1; c <= 999; c++)
		assert_int_equal(hcp_reason_to_ws_close(c), 4000 + c);
}

/* [HCP-REASON-4] from_ws */
static void from_ws_close(void **state)
{
	static const struct {
		uint16_t ws;
		uint32_t reason;
	} cases[] = {
		{ 1000, 400 }, { 1001, 200 }, { 1002, 402 }, { 1008, 406 },
		{ 1009, 405 }, { 1011, 100 }, { 1012, 101 }, { 1013, 102 },
		{ 1003, 107 }, { 1005, 107 }, { 1006, 107 }, { 1010, 107 },
		{ 1014, 107 }, { 1015, 107 }, { 0, 107 },    { 999, 107 },
		{ 2000, 107 }, { 3000, 107 }, { 4000, 107 }, { 4001, 1 },
		{ 4101, 101 }, { 4999, 999 }, { 5000, 107 }, { 65535, 107 },
	};
	size_t i;
	uint32_t c;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(hcp_reason_from_ws_close(cases[i].ws),
		                 cases[i].reason);
	/* Every code 1..999 survives the trip through a close code. */
	for (c = 1; c <= 999; c++)
		assert_int_equal(
		        hcp_reason_from_ws_close(hcp_reason_to_ws_close(c)), c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(class_is_the_hundreds_digit),
		cmocka_unit_test(registry_codes_in_their_class),
		cmocka_unit_test(to_ws_close),
		cmocka_unit_test(from_ws_close),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

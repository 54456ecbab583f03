/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_backoff.c: the reference backoff algorithm and the window pick
 * ([HCP-BACKOFF-3], [HCP-BACKOFF-4], [HCP-BACKOFF-5], [HCP-BACKOFF-7],
 * [HCP-NOTICE-6]).
 *
 * The worked examples are read at run time from the tables of
 * spec/07-backoff.md that follow the markers hcp:backoff-examples,
 * hcp:backoff-budget-examples and hcp:window-examples, so the spec and
 * the code cannot drift. Once that chapter exists, a missing marker, a
 * table with other columns or an empty table fails the test. A few cases
 * computed by hand from the algorithm's text are checked besides.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "frames.h"
#include "hcp/hcp.h"

#define SPEC     "spec/07-backoff.md"
#define MAX_COLS 12
#define MAX_ROWS 256

struct table {
	size_t n_cols;
	char col[MAX_COLS][32];
	size_t n_rows;
	char cell[MAX_ROWS][MAX_COLS][32];
};

static void trim(char *s)
{
	size_t n = strlen(s);
	size_t i = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' ||
	                 s[n - 1] == '\r' || s[n - 1] == '\t'))
		s[--n] = '\0';
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Splits "| a | b |" into cells; returns the number of cells. */
static size_t split_row(const char *line, char cells[MAX_COLS][32])
{
	char buf[512];
	char *p;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	trim(buf);
	if (buf[0] != '|')
		return 0;
	p = buf + 1;
	while (*p != '\0' && n < MAX_COLS) {
		char *bar = strchr(p, '|');

		if (bar == NULL)
			break;
		*bar = '\0';
		trim(p);
		if (strlen(p) >= 32)
			return 0;
		memcpy(cells[n], p, strlen(p) + 1);
		n++;
		p = bar + 1;
	}
	return n;
}

/* Reads the table after the marker. Returns -1 when the spec file does
 * not exist, 0 when the marker or its table is missing, 1 when found. */
static int read_table(const char *marker, struct table *t)
{
	FILE *f = fopen(SPEC, "r");
	char line[512];
	int state = 0; /* 0 before marker, 1 header, 2 separator, 3 rows */

	memset(t, 0, sizeof(*t));
	if (f == NULL)
		return errno == ENOENT ? -1 : 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char cells[MAX_COLS][32];
		size_t n;

		if (state == 0) {
			if (strstr(line, marker) != NULL)
				state = 1;
			continue;
		}
		n = split_row(line, cells);
		if (n == 0) {
			if (state == 1 && line[0] == '\n')
				continue; /* blank line before the table */
			break;
		}
		if (state == 1) {
			t->n_cols = n;
			memcpy(t->col, cells, sizeof(cells));
			state = 2;
		} else if (state == 2) {
			state = 3; /* |---:|---| */
		} else if (t->n_rows < MAX_ROWS) {
			if (n != t->n_cols)
				break;
			memcpy(t->cell[t->n_rows++], cells, sizeof(cells));
		}
	}
	fclose(f);
	return state == 3 && t->n_rows > 0 ? 1 : 0;
}

static int col(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_cols; i++)
		if (strcmp(t->col[i], name) == 0)
			return (int)i;
	fail_msg("%s: column %s missing", SPEC, name);
	return -1;
}

static uint32_t num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*s == '\0' || *end != '\0' || v > UINT32_MAX)
		fail_msg("%s: not a 32-bit number: '%s'", SPEC, s);
	return (uint32_t)v;
}

static void check_delay(const hcp_backoff *b, uint32_t attempt, uint32_t r,
                        const char *want)
{
	uint32_t d = 12345;
	hcp_error err = hcp_backoff_delay(b, attempt, r, &d);

	if (strcmp(want, "stop") == 0) {
		assert_int_equal(err, HCP_E_BUDGET);
		assert_int_equal(d, 0);
	} else {
		assert_int_equal(err, HCP_OK);
		if (d != num(want))
			fail_msg("base %u cap %u mult %u jitter %d floor %u "
			         "attempt %u r 0x%08x: got %u, want %s",
			         b->base_ms, b->cap_ms, b->multiplier_milli,
			         (int)b->jitter, b->floor_ms, attempt, r, d,
			         want);
	}
}

/* [HCP-BACKOFF-5] every row of the spec's worked examples. */
static void spec_backoff_examples(void **state)
{
	static struct table t;
	int found = read_table("<!-- hcp:backoff-examples -->", &t);
	size_t i;

	(void)state;
	if (found < 0) {
		print_message("%s not written yet: hand cases only\n", SPEC);
		return;
	}
	assert_int_equal(found, 1);
	assert_int_equal(t.n_cols, 8);
	for (i = 0; i < t.n_rows; i++) {
		char(*c)[32] = t.cell[i];
		hcp_backoff b;
		const char *jit = c[col(&t, "jitter")];

		hcp_backoff_defaults(&b);
		b.base_ms = num(c[col(&t, "base_ms")]);
		b.cap_ms = num(c[col(&t, "cap_ms")]);
		b.multiplier_milli = num(c[col(&t, "multiplier_milli")]);
		b.floor_ms = num(c[col(&t, "floor_ms")]);
		if (strcmp(jit, "full") == 0)
			b.jitter = HCP_JITTER_FULL;
		else if (strcmp(jit, "equal") == 0)
			b.jitter = HCP_JITTER_EQUAL;
		else
			fail_msg("%s: jitter '%s'", SPEC, jit);
		check_delay(&b, num(c[col(&t, "attempt")]),
		            num(c[col(&t, "random")]), c[col(&t, "delay_ms")]);
	}
	print_message("%zu backoff examples from %s\n", t.n_rows, SPEC);
}

/* [HCP-BACKOFF-5] step 1: the budget table (defaults, r = 0x80000000). */
static void spec_budget_examples(void **state)
{
	static struct table t;
	int found = read_table("<!-- hcp:backoff-budget-examples -->", &t);
	size_t i;

	(void)state;
	if (found < 0)
		return;
	assert_int_equal(found, 1);
	assert_int_equal(t.n_cols, 3);
	for (i = 0; i < t.n_rows; i++) {
		hcp_backoff b;

		hcp_backoff_defaults(&b);
		b.attempt_budget = num(t.cell[i][col(&t, "budget")]);
		check_delay(&b, num(t.cell[i][col(&t, "attempt")]), 0x80000000u,
		            t.cell[i][col(&t, "result")]);
	}
}

/* [HCP-NOTICE-6] the window table. */
static void spec_window_examples(void **state)
{
	static struct table t;
	int found = read_table("<!-- hcp:window-examples -->", &t);
	size_t i;

	(void)state;
	if (found < 0)
		return;
	assert_int_equal(found, 1);
	for (i = 0; i < t.n_rows; i++) {
		uint32_t d = 1;

		assert_int_equal(
		        hcp_window_pick(
		                num(t.cell[i][col(&t, "not_before_ms")]),
		                num(t.cell[i][col(&t, "not_after_ms")]),
		                num(t.cell[i][col(&t, "random")]), &d),
		        HCP_OK);
		assert_int_equal(d, num(t.cell[i][col(&t, "delay_ms")]));
	}
}

/* [HCP-BACKOFF-5] cases worked by hand from the algorithm's steps. */
static void hand_cases(void **state)
{
	hcp_backoff b;
	uint32_t d;

	(void)state;
	hcp_backoff_defaults(&b);
	/* C = 500: (500 * 2^31) >> 32 = 250. */
	assert_int_equal(hcp_backoff_delay(&b, 0, 0x80000000u, &d), HCP_OK);
	assert_int_equal(d, 250);
	/* attempt 3: c = 4000000 us, C = 4000, (4000 * 0xffffffff) >> 32 =
	 * 3999. */
	assert_int_equal(hcp_backoff_delay(&b, 3, 0xffffffffu, &d), HCP_OK);
	assert_int_equal(d, 3999);
	/* attempt 10: 500 * 2^10 = 512000 > 30000: capped. Equal jitter,
	 * r = 0: h = 15000. */
	b.jitter = HCP_JITTER_EQUAL;
	assert_int_equal(hcp_backoff_delay(&b, 10, 0, &d), HCP_OK);
	assert_int_equal(d, 15000);
	/* base 333, mult 1500: c = 333000, 499500, 749250; C = 749;
	 * floor 100; full, r = 2^31: 374 + 100. */
	b.base_ms = 333;
	b.multiplier_milli = 1500;
	b.floor_ms = 100;
	b.jitter = HCP_JITTER_FULL;
	assert_int_equal(hcp_backoff_delay(&b, 2, 0x80000000u, &d), HCP_OK);
	assert_int_equal(d, 474);
	/* Truncation inside the loop: base 1, mult 1001: c = 1000, 1001,
	 * 1002 (1002.001 truncated), so C stays 1. */
	b.base_ms = 1;
	b.cap_ms = 10;
	b.multiplier_milli = 1001;
	b.floor_ms = 0;
	assert_int_equal(hcp_backoff_delay(&b, 2, 0xffffffffu, &d), HCP_OK);
	assert_int_equal(d, 0);
	/* Budget: attempt >= budget gives up, and resets the output. */
	hcp_backoff_defaults(&b);
	b.attempt_budget = 3;
	d = 7;
	assert_int_equal(hcp_backoff_delay(&b, 3, 0, &d), HCP_E_BUDGET);
	assert_int_equal(d, 0);
	assert_int_equal(hcp_backoff_delay(&b, 2, 0, &d), HCP_OK);
}

/* [HCP-BACKOFF-5] the result lies in [floor, floor + C) (full) and
 * [floor + C/2, floor + C) (equal), C checked against a float model,
 * and the loop ends quickly for the slowest growth. */
static void bounds_and_loop(void **state)
{
	uint64_t seed = 42;
	hcp_backoff b;
	uint32_t d;
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		uint32_t attempt = frames_rand(&seed) % 40;
		uint32_t r = frames_rand(&seed);
		uint64_t cap;

		hcp_backoff_defaults(&b);
		b.base_ms = 1 + frames_rand(&seed) % 100000;
		b.cap_ms = b.base_ms + frames_rand(&seed) % (HCP_MAX_DELAY_MS -
		                                             b.base_ms + 1);
		b.multiplier_milli = 1000 + frames_rand(&seed) % 9001;
		b.floor_ms = frames_rand(&seed) % 1000;
		b.jitter = (i & 1) ? HCP_JITTER_EQUAL : HCP_JITTER_FULL;
		assert_int_equal(hcp_backoff_delay(&b, attempt, r, &d), HCP_OK);
		cap = b.cap_ms;
		assert_true(d >= b.floor_ms);
		assert_true(d < b.floor_ms + cap || (d == b.floor_ms));
		if (attempt == 0) {
			assert_true(d < b.floor_ms + b.base_ms ||
			            d == b.floor_ms);
			if (b.jitter == HCP_JITTER_EQUAL)
				assert_true(d >= b.floor_ms + b.base_ms / 2);
		}
	}
	hcp_backoff_defaults(&b);
	b.base_ms = 1;
	b.cap_ms = HCP_MAX_DELAY_MS;
	b.multiplier_milli = 1001;
	assert_int_equal(hcp_backoff_delay(&b, UINT32_MAX, 0xffffffffu, &d),
	                 HCP_OK);
	assert_int_equal(d, HCP_MAX_DELAY_MS - 1);
	/* Parameters the algorithm cannot run on. */
	b.base_ms = 0;
	assert_int_equal(hcp_backoff_delay(&b, 1, 0, &d), HCP_E_ARG);
	hcp_backoff_defaults(&b);
	b.multiplier_milli = 999;
	assert_int_equal(hcp_backoff_delay(&b, 1, 0, &d), HCP_E_ARG);
	assert_int_equal(hcp_backoff_delay(NULL, 1, 0, &d), HCP_E_ARG);
}

/* [HCP-BACKOFF-3] [HCP-BACKOFF-4] defaults and the hint rules. */
static void hint_defaults(void **state)
{
	hcp_backoff_hint h;
	hcp_backoff b;

	(void)state;
	assert_int_equal(hcp_backoff_from_hint(NULL, &b), HCP_OK);
	assert_int_equal(b.base_ms, 500);
	assert_int_equal(b.cap_ms, 30000);
	assert_int_equal(b.multiplier_milli, 2000);
	assert_int_equal(b.jitter, HCP_JITTER_FULL);
	assert_int_equal(b.floor_ms, 0);
	assert_int_equal(b.stable_ms, 30000);
	assert_int_equal(b.attempt_budget, 0);

	memset(&h, 0, sizeof(h));
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.base_ms, 500);
	assert_int_equal(b.cap_ms, 30000);

	/* base set, cap 0: cap = max(30000, base). */
	h.base_ms = 45000;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.base_ms, 45000);
	assert_int_equal(b.cap_ms, 45000);
	h.base_ms = 2000;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.cap_ms, 30000);
	/* cap set, base 0: base = min(500, cap). */
	h.base_ms = 0;
	h.cap_ms = 200;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.base_ms, 200);
	assert_int_equal(b.cap_ms, 200);
	h.cap_ms = 9000;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.base_ms, 500);
	/* [HCP-BACKOFF-4] unknown jitter and 0 are full. */
	h.jitter = 2;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.jitter, HCP_JITTER_EQUAL);
	h.jitter = 77;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.jitter, HCP_JITTER_FULL);
	h.jitter = 0;
	h.multiplier_milli = 1000;
	h.floor_ms = 123;
	h.stable_ms = 5;
	h.attempt_budget = 9;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_OK);
	assert_int_equal(b.multiplier_milli, 1000);
	assert_int_equal(b.floor_ms, 123);
	assert_int_equal(b.stable_ms, 5);
	assert_int_equal(b.attempt_budget, 9);
	/* [HCP-BACKOFF-1] [HCP-BACKOFF-2] out of range: defaults left. */
	h.multiplier_milli = 999;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_E_RANGE);
	assert_int_equal(b.multiplier_milli, 2000);
	assert_int_equal(b.floor_ms, 0);
	h.multiplier_milli = 10001;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_E_RANGE);
	h.multiplier_milli = 0;
	h.attempt_budget = 10001;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_E_RANGE);
	h.attempt_budget = 0;
	h.floor_ms = HCP_MAX_DELAY_MS + 1;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_E_RANGE);
	h.floor_ms = 0;
	h.base_ms = 5000;
	h.cap_ms = 4999;
	assert_int_equal(hcp_backoff_from_hint(&h, &b), HCP_E_CONFLICT);
	assert_int_equal(b.base_ms, 500);
	assert_int_equal(hcp_backoff_from_hint(&h, NULL), HCP_E_ARG);
}

/* [HCP-BACKOFF-7] stable-period reset. */
static void next_attempt(void **state)
{
	hcp_backoff b;

	(void)state;
	hcp_backoff_defaults(&b);
	assert_int_equal(hcp_backoff_next_attempt(&b, 0, 0), 1);
	assert_int_equal(hcp_backoff_next_attempt(&b, 4, 29999), 5);
	assert_int_equal(hcp_backoff_next_attempt(&b, 4, 30000), 0);
	assert_int_equal(hcp_backoff_next_attempt(&b, UINT32_MAX, 0),
	                 UINT32_MAX);
	b.stable_ms = 10;
	assert_int_equal(hcp_backoff_next_attempt(&b, 7, 10), 0);
	assert_int_equal(hcp_backoff_next_attempt(&b, 7, 9), 8);
}

/* [HCP-NOTICE-6] the pick is inclusive of both ends. */
static void window_pick(void **state)
{
	uint32_t d;

	(void)state;
	assert_int_equal(hcp_window_pick(0, 0, 0xffffffffu, &d), HCP_OK);
	assert_int_equal(d, 0);
	assert_int_equal(hcp_window_pick(100, 200, 0, &d), HCP_OK);
	assert_int_equal(d, 100);
	assert_int_equal(hcp_window_pick(100, 200, 0xffffffffu, &d), HCP_OK);
	assert_int_equal(d, 200);
	/* 101 values; r = 2^31 picks 100 + (101 * 2^31 >> 32) = 150. */
	assert_int_equal(hcp_window_pick(100, 200, 0x80000000u, &d), HCP_OK);
	assert_int_equal(d, 150);
	assert_int_equal(hcp_window_pick(0, UINT32_MAX, 0xffffffffu, &d),
	                 HCP_OK);
	assert_int_equal(d, UINT32_MAX);
	d = 5;
	assert_int_equal(hcp_window_pick(2, 1, 0, &d), HCP_E_CONFLICT);
	assert_int_equal(d, 0);
	assert_int_equal(hcp_window_pick(1, 2, 0, NULL), HCP_E_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_backoff_examples),
		cmocka_unit_test(spec_budget_examples),
		cmocka_unit_test(spec_window_examples),
		cmocka_unit_test(hand_cases),
		cmocka_unit_test(bounds_and_loop),
		cmocka_unit_test(hint_defaults),
		cmocka_unit_test(next_attempt),
		cmocka_unit_test(window_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

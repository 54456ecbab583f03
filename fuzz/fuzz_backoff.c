/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_backoff.c: the reference backoff algorithm and the reconnect-window
 * pick on arbitrary hints, attempts, lifetimes and random values.
 *
 * Every result is checked against the spec, computed here independently:
 * a hint outside the ranges of [HCP-BACKOFF-1] or the order of
 * [HCP-BACKOFF-2] is refused and leaves the defaults; an accepted hint
 * gives the parameters of [HCP-BACKOFF-3] and [HCP-BACKOFF-4]; the delay
 * is exactly that of [HCP-BACKOFF-5] and lies in [floor, floor + C) (full)
 * or [floor + C/2, floor + C) (equal), or the budget is spent; the next
 * attempt follows [HCP-BACKOFF-7]; the window pick is exactly the formula
 * of [HCP-NOTICE-6] and inside the window, ends included. Parameters given
 * directly (not from a hint) must never hang or overflow: either refused
 * or, when within the ranges, the same algorithm. UndefinedBehaviorSanitizer
 * reports any overflow of signed or shifted values, libFuzzer's timeout a
 * loop that does not end.
 *
 * Input: a 16-bit selector, then 32-bit values. Bit i of the selector
 * reduces value i into its valid range plus one past each end, so that the
 * fuzzer reaches both the valid and the invalid side of every bound.
 */
#include <string.h>

#include "fuzz.h"

enum {
	V_BASE,
	V_CAP,
	V_MULT,
	V_JITTER,
	V_FLOOR,
	V_STABLE,
	V_BUDGET,
	V_ATTEMPT,
	V_RANDOM,
	V_LIFETIME,
	V_NOT_BEFORE,
	V_NOT_AFTER,
	V_COUNT
};

/* The largest valid value of each input, for the reduction. */
static const uint32_t bound[V_COUNT] = {
	HCP_MAX_DELAY_MS,
	HCP_MAX_DELAY_MS,
	HCP_MAX_MULTIPLIER_MILLI,
	3,
	HCP_MAX_DELAY_MS,
	HCP_MAX_DELAY_MS,
	HCP_MAX_ATTEMPT_BUDGET,
	20000,
	UINT32_MAX,
	2 * HCP_MAX_DELAY_MS,
	HCP_MAX_DELAY_MS,
	HCP_MAX_DELAY_MS,
};

static void read_values(hcp_fuzz_in *in, uint32_t v[V_COUNT])
{
	uint16_t sel = hcp_fuzz_u16(in);
	unsigned i;

	for (i = 0; i < V_COUNT; i++) {
		v[i] = hcp_fuzz_u32(in);
		if (((unsigned)sel >> i & 1u) && bound[i] < UINT32_MAX - 1u)
			v[i] %= bound[i] + 2u;
	}
}

/* [HCP-BACKOFF-1] and [HCP-BACKOFF-2]: 0 when the hint is valid, else
 * bit 0 for a range violation and bit 1 for the order violation. */
static unsigned hint_faults(const hcp_backoff_hint *h)
{
	unsigned faults = 0;

	if (h->base_ms > HCP_MAX_DELAY_MS || h->cap_ms > HCP_MAX_DELAY_MS ||
	    h->floor_ms > HCP_MAX_DELAY_MS || h->stable_ms > HCP_MAX_DELAY_MS ||
	    h->attempt_budget > HCP_MAX_ATTEMPT_BUDGET ||
	    (h->multiplier_milli != 0 &&
	     (h->multiplier_milli < HCP_MIN_MULTIPLIER_MILLI ||
	      h->multiplier_milli > HCP_MAX_MULTIPLIER_MILLI)))
		faults |= 1u;
	if (h->base_ms != 0 && h->cap_ms != 0 && h->cap_ms < h->base_ms)
		faults |= 2u;
	return faults;
}

static void assert_defaults(const hcp_backoff *b)
{
	HCP_FUZZ_ASSERT(b->base_ms == HCP_DEFAULT_BACKOFF_BASE_MS);
	HCP_FUZZ_ASSERT(b->cap_ms == HCP_DEFAULT_BACKOFF_CAP_MS);
	HCP_FUZZ_ASSERT(b->multiplier_milli ==
	                HCP_DEFAULT_BACKOFF_MULTIPLIER_MILLI);
	HCP_FUZZ_ASSERT(b->jitter == HCP_JITTER_FULL);
	HCP_FUZZ_ASSERT(b->floor_ms == 0);
	HCP_FUZZ_ASSERT(b->stable_ms == HCP_DEFAULT_BACKOFF_STABLE_MS);
	HCP_FUZZ_ASSERT(b->attempt_budget == 0);
}

/* [HCP-BACKOFF-3] and [HCP-BACKOFF-4] for a valid hint. */
static void assert_from_hint(const hcp_backoff_hint *h, const hcp_backoff *b)
{
	uint32_t base = HCP_DEFAULT_BACKOFF_BASE_MS;
	uint32_t cap = HCP_DEFAULT_BACKOFF_CAP_MS;

	if (h->base_ms != 0 && h->cap_ms != 0) {
		base = h->base_ms;
		cap = h->cap_ms;
	} else if (h->base_ms != 0) {
		base = h->base_ms;
		cap = h->base_ms > cap ? h->base_ms : cap;
	} else if (h->cap_ms != 0) {
		cap = h->cap_ms;
		base = h->cap_ms < base ? h->cap_ms : base;
	}
	HCP_FUZZ_ASSERT(b->base_ms == base);
	HCP_FUZZ_ASSERT(b->cap_ms == cap);
	HCP_FUZZ_ASSERT(b->multiplier_milli ==
	                (h->multiplier_milli != 0
	                         ? h->multiplier_milli
	                         : HCP_DEFAULT_BACKOFF_MULTIPLIER_MILLI));
	HCP_FUZZ_ASSERT(b->jitter ==
	                (h->jitter == 2 ? HCP_JITTER_EQUAL : HCP_JITTER_FULL));
	HCP_FUZZ_ASSERT(b->floor_ms == h->floor_ms);
	HCP_FUZZ_ASSERT(b->stable_ms ==
	                (h->stable_ms != 0 ? h->stable_ms
	                                   : HCP_DEFAULT_BACKOFF_STABLE_MS));
	HCP_FUZZ_ASSERT(b->attempt_budget == h->attempt_budget);
}

/* Parameters inside every range of [HCP-BACKOFF-1] after defaults. */
static int params_valid(const hcp_backoff *b)
{
	return b->base_ms >= 1 && b->base_ms <= HCP_MAX_DELAY_MS &&
	       b->cap_ms >= b->base_ms && b->cap_ms <= HCP_MAX_DELAY_MS &&
	       b->multiplier_milli >= HCP_MIN_MULTIPLIER_MILLI &&
	       b->multiplier_milli <= HCP_MAX_MULTIPLIER_MILLI &&
	       b->floor_ms <= HCP_MAX_DELAY_MS &&
	       b->attempt_budget <= HCP_MAX_ATTEMPT_BUDGET &&
	       (b->jitter == HCP_JITTER_FULL || b->jitter == HCP_JITTER_EQUAL);
}

/* Step 2 of [HCP-BACKOFF-5]: the ceiling C in milliseconds. */
static uint64_t ceiling_ms(const hcp_backoff *b, uint32_t attempt)
{
	uint64_t cap = (uint64_t)b->cap_ms * 1000u;
	uint64_t c = (uint64_t)b->base_ms * 1000u;
	uint32_t i;

	for (i = 0; i < attempt && c != cap; i++) {
		if (b->multiplier_milli == 1000u)
			break;
		c = c * b->multiplier_milli / 1000u;
		if (c > cap)
			c = cap;
	}
	return c / 1000u;
}

static void check_delay(const hcp_backoff *b, uint32_t attempt, uint32_t random)
{
	uint32_t delay = 12345;
	uint64_t c;
	uint64_t j;
	hcp_error err = hcp_backoff_delay(b, attempt, random, &delay);

	if (b->attempt_budget != 0 && attempt >= b->attempt_budget) {
		HCP_FUZZ_ASSERT_ERR(err, HCP_E_BUDGET);
		HCP_FUZZ_ASSERT(delay == 0);
		return;
	}
	HCP_FUZZ_ASSERT_ERR(err, HCP_OK);
	c = ceiling_ms(b, attempt);
	HCP_FUZZ_ASSERT(c >= b->base_ms && c <= b->cap_ms);
	if (b->jitter == HCP_JITTER_EQUAL) {
		uint64_t h = c / 2u;

		j = h + (((c - h) * random) >> 32);
		HCP_FUZZ_ASSERT(delay >= b->floor_ms + c / 2u);
	} else {
		j = (c * random) >> 32;
		HCP_FUZZ_ASSERT(delay >= b->floor_ms);
	}
	HCP_FUZZ_ASSERT(delay < b->floor_ms + c);
	HCP_FUZZ_ASSERT(delay == b->floor_ms + j);
}

static void check_next_attempt(const hcp_backoff *b, uint32_t attempt,
                               uint32_t lifetime)
{
	uint32_t next = hcp_backoff_next_attempt(b, attempt, lifetime);

	if (lifetime >= b->stable_ms)
		HCP_FUZZ_ASSERT(next == 0);
	else if (attempt == UINT32_MAX)
		HCP_FUZZ_ASSERT(next == UINT32_MAX);
	else
		HCP_FUZZ_ASSERT(next == attempt + 1u);
}

static void check_window(uint32_t nb, uint32_t na, uint32_t random)
{
	uint32_t delay = 12345;
	hcp_error err = hcp_window_pick(nb, na, random, &delay);

	if (nb > na) {
		HCP_FUZZ_ASSERT_ERR(err, HCP_E_CONFLICT);
		HCP_FUZZ_ASSERT(delay == 0);
		return;
	}
	HCP_FUZZ_ASSERT_ERR(err, HCP_OK);
	HCP_FUZZ_ASSERT(delay >= nb && delay <= na);
	HCP_FUZZ_ASSERT(delay ==
	                nb + ((((uint64_t)(na - nb) + 1u) * random) >> 32));
}

/* Parameters set directly by a caller, not from a hint. */
static void check_raw(const uint32_t v[V_COUNT])
{
	hcp_backoff b;
	uint32_t delay = 12345;
	hcp_error err;

	b.base_ms = v[V_BASE];
	b.cap_ms = v[V_CAP];
	b.multiplier_milli = v[V_MULT];
	b.jitter = v[V_JITTER] == 2 ? HCP_JITTER_EQUAL : HCP_JITTER_FULL;
	b.floor_ms = v[V_FLOOR];
	b.stable_ms = v[V_STABLE];
	b.attempt_budget = v[V_BUDGET];
	if (params_valid(&b)) {
		check_delay(&b, v[V_ATTEMPT], v[V_RANDOM]);
		return;
	}
	err = hcp_backoff_delay(&b, v[V_ATTEMPT], v[V_RANDOM], &delay);
	if (err != HCP_OK)
		HCP_FUZZ_ASSERT(delay == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	hcp_fuzz_in in = { data, size };
	uint32_t v[V_COUNT];
	hcp_backoff_hint h;
	hcp_backoff b;
	unsigned faults;
	hcp_error err;

	read_values(&in, v);
	h.base_ms = v[V_BASE];
	h.cap_ms = v[V_CAP];
	h.multiplier_milli = v[V_MULT];
	h.jitter = v[V_JITTER];
	h.floor_ms = v[V_FLOOR];
	h.stable_ms = v[V_STABLE];
	h.attempt_budget = v[V_BUDGET];

	memset(&b, 0xa5, sizeof(b));
	err = hcp_backoff_from_hint(&h, &b);
	faults = hint_faults(&h);
	if (faults == 0) {
		HCP_FUZZ_ASSERT_ERR(err, HCP_OK);
		assert_from_hint(&h, &b);
		HCP_FUZZ_ASSERT(params_valid(&b));
	} else {
		/* [HCP-WIRE-10]: with both faults either class is right. */
		HCP_FUZZ_ASSERT(((faults & 1u) && err == HCP_E_RANGE) ||
		                ((faults & 2u) && err == HCP_E_CONFLICT));
		assert_defaults(&b);
	}
	check_delay(&b, v[V_ATTEMPT], v[V_RANDOM]);
	check_next_attempt(&b, v[V_ATTEMPT], v[V_LIFETIME]);

	memset(&b, 0x5a, sizeof(b));
	HCP_FUZZ_ASSERT_ERR(hcp_backoff_from_hint(NULL, &b), HCP_OK);
	assert_defaults(&b);
	check_delay(&b, v[V_ATTEMPT], v[V_RANDOM]);

	check_window(v[V_NOT_BEFORE], v[V_NOT_AFTER], v[V_RANDOM]);
	check_raw(v);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * backoff.c: the reference backoff algorithm and the reconnect-window pick
 * of spec sections "Backoff" and "Disconnect notices" ([HCP-BACKOFF-3],
 * [HCP-BACKOFF-4], [HCP-BACKOFF-5], [HCP-BACKOFF-7], [HCP-NOTICE-6]).
 *
 * Every step is unsigned 64-bit integer arithmetic on values the caller
 * passes in, so any implementation of the spec computes the same delay for
 * the same input. Nothing here reads a clock or a random source.
 */
#include "hcp/hcp.h"

void hcp_backoff_defaults(hcp_backoff *out)
{
	if (out == NULL)
		return;
	out->base_ms = HCP_DEFAULT_BACKOFF_BASE_MS;
	out->cap_ms = HCP_DEFAULT_BACKOFF_CAP_MS;
	out->multiplier_milli = HCP_DEFAULT_BACKOFF_MULTIPLIER_MILLI;
	out->jitter = HCP_JITTER_FULL;
	out->floor_ms = 0;
	out->stable_ms = HCP_DEFAULT_BACKOFF_STABLE_MS;
	out->attempt_budget = 0;
}

/* The ranges of [HCP-BACKOFF-1] and the ordering of [HCP-BACKOFF-2]. */
static hcp_error check_hint(const hcp_backoff_hint *h)
{
	if (h->base_ms > HCP_MAX_DELAY_MS || h->cap_ms > HCP_MAX_DELAY_MS ||
	    h->floor_ms > HCP_MAX_DELAY_MS || h->stable_ms > HCP_MAX_DELAY_MS)
		return HCP_E_RANGE;
	if (h->multiplier_milli != 0 &&
	    (h->multiplier_milli < HCP_MIN_MULTIPLIER_MILLI ||
	     h->multiplier_milli > HCP_MAX_MULTIPLIER_MILLI))
		return HCP_E_RANGE;
	if (h->attempt_budget > HCP_MAX_ATTEMPT_BUDGET)
		return HCP_E_RANGE;
	if (h->base_ms != 0 && h->cap_ms != 0 && h->cap_ms < h->base_ms)
		return HCP_E_CONFLICT;
	return HCP_OK;
}

hcp_error hcp_backoff_from_hint(const hcp_backoff_hint *hint, hcp_backoff *out)
{
	hcp_error err;

	if (out == NULL)
		return HCP_E_ARG;
	hcp_backoff_defaults(out);
	if (hint == NULL)
		return HCP_OK;
	err = check_hint(hint);
	if (err != HCP_OK)
		return err;

	/* [HCP-BACKOFF-3]: a base without a cap raises the default cap to the
	 * base; a cap without a base lowers the default base to the cap. */
	if (hint->base_ms != 0 && hint->cap_ms != 0) {
		out->base_ms = hint->base_ms;
		out->cap_ms = hint->cap_ms;
	} else if (hint->base_ms != 0) {
		out->base_ms = hint->base_ms;
		if (hint->base_ms > HCP_DEFAULT_BACKOFF_CAP_MS)
			out->cap_ms = hint->base_ms;
	} else if (hint->cap_ms != 0) {
		out->cap_ms = hint->cap_ms;
		if (hint->cap_ms < HCP_DEFAULT_BACKOFF_BASE_MS)
			out->base_ms = hint->cap_ms;
	}
	if (hint->multiplier_milli != 0)
		out->multiplier_milli = hint->multiplier_milli;
	/* [HCP-BACKOFF-4]: 0 and unknown modes are full jitter. */
	out->jitter = hint->jitter == HCP_JITTER_EQUAL ? HCP_JITTER_EQUAL
	                                               : HCP_JITTER_FULL;
	out->floor_ms = hint->floor_ms;
	if (hint->stable_ms != 0)
		out->stable_ms = hint->stable_ms;
	out->attempt_budget = hint->attempt_budget;
	return HCP_OK;
}

/* Parameters that the algorithm can run on: what hcp_backoff_from_hint
 * produces, or a caller's own values within the same ranges. */
static bool backoff_usable(const hcp_backoff *b)
{
	return b->base_ms >= 1 && b->base_ms <= HCP_MAX_DELAY_MS &&
	       b->cap_ms >= b->base_ms && b->cap_ms <= HCP_MAX_DELAY_MS &&
	       b->multiplier_milli >= HCP_MIN_MULTIPLIER_MILLI &&
	       b->multiplier_milli <= HCP_MAX_MULTIPLIER_MILLI &&
	       b->floor_ms <= HCP_MAX_DELAY_MS &&
	       (b->jitter == HCP_JITTER_FULL || b->jitter == HCP_JITTER_EQUAL);
}

hcp_error hcp_backoff_delay(const hcp_backoff *b, uint32_t attempt,
                            uint32_t random, uint32_t *delay_ms)
{
	uint64_t c;
	uint64_t cap_us;
	uint64_t ceiling;
	uint64_t j;
	uint32_t i;

	if (delay_ms != NULL)
		*delay_ms = 0;
	if (b == NULL || delay_ms == NULL || !backoff_usable(b))
		return HCP_E_ARG;
	/* Step 1: the budget. */
	if (b->attempt_budget != 0 && attempt >= b->attempt_budget)
		return HCP_E_BUDGET;

	/* Step 2: the ceiling, in microseconds while it grows. */
	c = (uint64_t)b->base_ms * 1000u;
	cap_us = (uint64_t)b->cap_ms * 1000u;
	for (i = 0; i < attempt; i++) {
		uint64_t next;

		if (c == cap_us || b->multiplier_milli == 1000u)
			break;
		next = c * b->multiplier_milli / 1000u;
		if (next > cap_us)
			next = cap_us;
		c = next;
	}
	ceiling = c / 1000u;

	/* Step 3: jitter. */
	if (b->jitter == HCP_JITTER_EQUAL) {
		uint64_t half = ceiling / 2u;

		j = half + (((ceiling - half) * random) >> 32);
	} else {
		j = (ceiling * random) >> 32;
	}

	/* Step 4: the floor. */
	*delay_ms = (uint32_t)(b->floor_ms + j);
	return HCP_OK;
}

uint32_t hcp_backoff_next_attempt(const hcp_backoff *b, uint32_t attempt,
                                  uint32_t lifetime_ms)
{
	uint32_t stable =
	        b != NULL ? b->stable_ms : HCP_DEFAULT_BACKOFF_STABLE_MS;

	if (lifetime_ms >= stable)
		return 0;
	return attempt == UINT32_MAX ? attempt : attempt + 1u;
}

hcp_error hcp_window_pick(uint32_t not_before_ms, uint32_t not_after_ms,
                          uint32_t random, uint32_t *delay_ms)
{
	uint64_t span;

	if (delay_ms != NULL)
		*delay_ms = 0;
	if (delay_ms == NULL)
		return HCP_E_ARG;
	if (not_before_ms > not_after_ms)
		return HCP_E_CONFLICT;
	/* Inclusive of both ends: span + 1 possible values ([HCP-NOTICE-6]). */
	span = (uint64_t)not_after_ms - not_before_ms + 1u;
	*delay_ms = not_before_ms + (uint32_t)((span * random) >> 32);
	return HCP_OK;
}

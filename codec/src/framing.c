/* SPDX-License-Identifier: Apache-2.0 */
/*
 * framing.c: the byte-stream frame reader and the length-prefix writer of
 * spec section "Framing" ([HCP-FRAME-2], [HCP-FRAME-3], [HCP-FRAME-4],
 * [HCP-FRAME-7]).
 *
 * The reader is a small state machine fed chunks of any size. It never
 * reads past the chunk it is given, never allocates, and copies a frame
 * only when the frame is split across chunks. A malformed prefix or an
 * oversized frame is final: the error is kept and returned by every later
 * call, because a byte stream cannot be resynchronised.
 */
#include <string.h>

#include "hcp/hcp.h"

enum {
	READER_PREFIX = 0, /* reading the length prefix */
	READER_BODY = 1,   /* gathering a split frame into buf */
};

hcp_error hcp_reader_init(hcp_reader *r, uint8_t *buf, size_t buf_cap,
                          size_t max_frame)
{
	if (r == NULL)
		return HCP_E_ARG;
	memset(r, 0, sizeof(*r));
	if (buf == NULL || max_frame == 0 || max_frame > HCP_MAX_FRAME_SIZE ||
	    buf_cap < max_frame)
		return HCP_E_ARG;
	r->buf = buf;
	r->buf_cap = buf_cap;
	r->max_frame = max_frame;
	r->state = READER_PREFIX;
	r->sticky = HCP_OK;
	return HCP_OK;
}

/* Takes one prefix byte. Returns HCP_OK when the prefix is complete,
 * HCP_E_INCOMPLETE when more prefix bytes follow, or a final error. */
static hcp_error take_prefix_byte(hcp_reader *r, uint8_t byte)
{
	unsigned shift = 7u * r->prefix_bytes;

	/* A last byte of zero after a continuation byte adds nothing: the
	 * same length fits in fewer bytes ([HCP-FRAME-3]). */
	if (r->prefix_bytes > 0 && byte == 0)
		return HCP_E_FRAMING;
	r->prefix |= (uint32_t)(byte & 0x7fu) << shift;
	r->prefix_bytes++;
	if ((byte & 0x80u) == 0) {
		if (r->prefix > r->max_frame)
			return HCP_E_TOO_LARGE;
		r->frame_len = r->prefix;
		return HCP_OK;
	}
	/* More bytes follow, so a minimal prefix encodes at least
	 * 2^(7 * prefix_bytes): reject as soon as that exceeds the maximum
	 * ([HCP-FRAME-4]). */
	if (r->prefix_bytes >= HCP_MAX_PREFIX_SIZE ||
	    ((size_t)1 << (7u * r->prefix_bytes)) > r->max_frame)
		return HCP_E_TOO_LARGE;
	return HCP_E_INCOMPLETE;
}

static void reset_frame(hcp_reader *r)
{
	r->state = READER_PREFIX;
	r->prefix = 0;
	r->prefix_bytes = 0;
	r->have = 0;
	r->frame_len = 0;
}

hcp_error hcp_reader_next(hcp_reader *r, const uint8_t **data, size_t *len,
                          const uint8_t **frame, size_t *frame_len)
{
	const uint8_t *p;
	size_t n;

	if (frame != NULL)
		*frame = NULL;
	if (frame_len != NULL)
		*frame_len = 0;
	if (r == NULL || r->buf == NULL || data == NULL || len == NULL ||
	    frame == NULL || frame_len == NULL || (*data == NULL && *len > 0))
		return HCP_E_ARG;
	if (r->sticky != HCP_OK)
		return r->sticky;

	p = *data;
	n = *len;
	while (r->state == READER_PREFIX) {
		hcp_error err;

		if (n == 0) {
			*data = p;
			*len = 0;
			return HCP_E_INCOMPLETE;
		}
		err = take_prefix_byte(r, *p);
		p++;
		n--;
		if (err == HCP_E_INCOMPLETE)
			continue;
		if (err != HCP_OK) {
			r->sticky = err;
			*data = p;
			*len = n;
			return err;
		}
		if (r->frame_len <= n) {
			/* The whole frame lies in the chunk: no copy. */
			*frame = p;
			*frame_len = r->frame_len;
			*data = p + r->frame_len;
			*len = n - r->frame_len;
			reset_frame(r);
			return HCP_OK;
		}
		r->state = READER_BODY;
	}

	/* The prefix came in an earlier chunk but the body lies whole in
	 * this one: still no copy. */
	if (r->have == 0 && r->frame_len <= n) {
		*frame = p;
		*frame_len = r->frame_len;
		*data = p + r->frame_len;
		*len = n - r->frame_len;
		reset_frame(r);
		return HCP_OK;
	}

	/* Gathering a frame that is split across chunks. */
	{
		size_t want = r->frame_len - r->have;
		size_t take = n < want ? n : want;

		if (take > 0)
			memcpy(r->buf + r->have, p, take);
		r->have += take;
		*data = p + take;
		*len = n - take;
		if (r->have < r->frame_len)
			return HCP_E_INCOMPLETE;
		*frame = r->buf;
		*frame_len = r->frame_len;
		reset_frame(r);
		return HCP_OK;
	}
}

hcp_error hcp_prefix_write(size_t frame_len, uint8_t *out, size_t out_cap,
                           size_t *written)
{
	size_t need = 1;
	size_t v;
	size_t i;

	if (written != NULL)
		*written = 0;
	if (written == NULL || (out == NULL && out_cap > 0))
		return HCP_E_ARG;
	if (frame_len > HCP_MAX_FRAME_SIZE)
		return HCP_E_TOO_LARGE;
	for (v = frame_len; v >= 0x80u; v >>= 7)
		need++;
	if (need > out_cap)
		return HCP_E_BUFFER;
	v = frame_len;
	for (i = 0; i + 1 < need; i++) {
		out[i] = (uint8_t)((v & 0x7fu) | 0x80u);
		v >>= 7;
	}
	out[i] = (uint8_t)v;
	*written = need;
	return HCP_OK;
}

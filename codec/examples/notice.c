/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notice.c: a client receives a disconnect notice and computes when to
 * reconnect. A complete program against the nanopb backend; `make check`
 * builds and runs it.
 *
 * The bytes below are what a draining server sends on a byte stream: a
 * length prefix, then a Frame holding a Notice with reason 201
 * (NODE_DRAINING), a reconnect window of 2 to 30 seconds and a backoff
 * hint. The client reads them in small chunks, as a socket would deliver
 * them, decodes the frame, and picks its reconnect moment.
 */
#include <stdint.h>
#include <stdio.h>

#include "hcp/hcp.h"
#include "hcp/hcp_nanopb.h"

static const uint8_t received[] = {
	0x17,                         /* length prefix: 23 bytes */
	0x32, 0x15,                   /* Frame.notice, 21 bytes */
	0x08, 0xc9, 0x01,             /* reason = 201 */
	0x18, 0xb0, 0xea, 0x01,       /* deadline_ms = 30000 */
	0x22, 0x07,                   /* window, 7 bytes */
	0x08, 0xd0, 0x0f,             /* not_before_ms = 2000 */
	0x10, 0xb0, 0xea, 0x01,       /* not_after_ms = 30000 */
	0x52, 0x03, 0x08, 0xe8, 0x07, /* backoff { base_ms = 1000 } */
};

/* Stands for a CSPRNG (getrandom(), arc4random()): the same value on
 * every client would bring the avalanche back. */
static uint32_t random_u32(void)
{
	return 0x9e3779b9u;
}

/* The delay before the next attempt, from the notice: the window or the
 * assigned delay when the notice has one, the backoff algorithm with the
 * notice's hint otherwise. Returns HCP_E_BUDGET when the client must not
 * reconnect on its own. */
static hcp_error reconnect_delay(const hcp_v1_Notice *n, uint32_t attempt,
                                 uint32_t *delay_ms)
{
	hcp_backoff_hint hint;
	hcp_backoff b;
	hcp_error err;

	*delay_ms = 0;
	if (hcp_reason_class_of(n->reason) == HCP_CLASS_STOP)
		return HCP_E_BUDGET; /* never reconnect automatically */
	if (n->which_timing == hcp_v1_Notice_window_tag)
		return hcp_window_pick(n->timing.window.not_before_ms,
		                       n->timing.window.not_after_ms,
		                       random_u32(), delay_ms);
	if (n->which_timing == hcp_v1_Notice_assigned_delay_ms_tag) {
		*delay_ms = n->timing.assigned_delay_ms;
		return HCP_OK;
	}
	hcp_nanopb_hint(n->has_backoff ? &n->backoff : NULL, &hint);
	err = hcp_backoff_from_hint(&hint, &b);
	if (err != HCP_OK)
		return err;
	return hcp_backoff_delay(&b, attempt, random_u32(), delay_ms);
}

int main(void)
{
	static hcp_v1_Frame frame; /* about 16 KiB: not on the stack */
	static uint8_t buf[HCP_MAX_FRAME_SIZE];
	hcp_reader reader;
	size_t off = 0;
	uint32_t delay_ms;
	hcp_error err;

	err = hcp_reader_init(&reader, buf, sizeof(buf), HCP_MAX_FRAME_SIZE);
	if (err != HCP_OK)
		return 1;
	/* Five bytes at a time, as a socket might deliver them. */
	while (off < sizeof(received)) {
		size_t chunk =
		        sizeof(received) - off < 5 ? sizeof(received) - off : 5;
		const uint8_t *data = received + off;
		const uint8_t *f;
		size_t f_len;

		off += chunk;
		err = hcp_reader_next(&reader, &data, &chunk, &f, &f_len);
		if (err == HCP_E_INCOMPLETE)
			continue;
		if (err != HCP_OK) {
			fprintf(stderr, "framing: %s\n", hcp_strerror(err));
			return 1; /* close the connection: [HCP-WIRE-16] */
		}
		err = hcp_nanopb_decode(f, f_len, HCP_MAX_FRAME_SIZE, &frame);
		if (err != HCP_OK) {
			fprintf(stderr, "decode: %s (%s)\n", hcp_strerror(err),
			        hcp_error_class(err));
			return 1;
		}
		if (frame.which_body != hcp_v1_Frame_notice_tag)
			continue; /* other frames: not this example's concern */
		err = reconnect_delay(&frame.body.notice, 0, &delay_ms);
		if (err != HCP_OK) {
			fprintf(stderr, "no reconnect: %s\n",
			        hcp_strerror(err));
			return 1;
		}
		printf("notice: reason %u (class %d), deadline %u ms\n",
		       (unsigned)frame.body.notice.reason,
		       (int)hcp_reason_class_of(frame.body.notice.reason),
		       (unsigned)frame.body.notice.deadline_ms);
		printf("reconnect in %u ms\n", (unsigned)delay_ms);
		/* 2000 + ((28001 * 0x9e3779b9) >> 32) */
		return delay_ms == 19305 ? 0 : 1;
	}
	fprintf(stderr, "stream ended inside a frame\n");
	return 1;
}

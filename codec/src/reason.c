/* SPDX-License-Identifier: Apache-2.0 */
/*
 * reason.c: reason-code classes and the WebSocket close-code mapping of
 * spec section "Reason codes" ([HCP-REASON-1], [HCP-REASON-3],
 * [HCP-REASON-4]). Pure functions of their argument; no tables to keep in
 * step with hcp.h beyond the fixed WebSocket mapping.
 */
#include "hcp/hcp.h"

hcp_reason_class hcp_reason_class_of(uint32_t reason)
{
	if (reason == 0)
		return HCP_CLASS_NONE;
	if (reason < 100 || reason > 499)
		return HCP_CLASS_RECONNECT;
	switch (reason / 100) {
	case 2:
		return HCP_CLASS_ELSEWHERE;
	case 3:
		return HCP_CLASS_REAUTH;
	case 4:
		return HCP_CLASS_STOP;
	default:
		return HCP_CLASS_RECONNECT;
	}
}

uint16_t hcp_reason_to_ws_close(uint32_t reason)
{
	if (reason == 0)
		return 1000;
	if (reason <= 999)
		return (uint16_t)(4000u + reason);
	return 1012;
}

uint32_t hcp_reason_from_ws_close(uint16_t close_code)
{
	if (close_code >= 4001 && close_code <= 4999)
		return (uint32_t)close_code - 4000u;
	switch (close_code) {
	case 1000:
		return HCP_REASON_NORMAL;
	case 1001:
		return HCP_REASON_GOING_AWAY;
	case 1002:
		return HCP_REASON_PROTOCOL_ERROR;
	case 1008:
		return HCP_REASON_POLICY_VIOLATION;
	case 1009:
		return HCP_REASON_FRAME_TOO_LARGE;
	case 1011:
		return HCP_REASON_RECONNECT;
	case 1012:
		return HCP_REASON_SERVER_RESTART;
	case 1013:
		return HCP_REASON_OVERLOADED;
	default:
		return HCP_REASON_TRANSPORT_ERROR;
	}
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.c: the text and the error class of every hcp_error code.
 *
 * Both functions are switches over the enum without a default label, so a
 * code added to hcp.h without an entry here is a -Wswitch error at build
 * time; a value that is not a code falls through to the "unknown" answer.
 * Nothing here allocates or keeps state.
 */
#include "hcp/hcp.h"

const char *hcp_strerror(hcp_error err)
{
	switch (err) {
	case HCP_OK:
		return "success";
	case HCP_E_INCOMPLETE:
		return "incomplete frame: more bytes are needed";
	case HCP_E_FRAMING:
		return "malformed length prefix";
	case HCP_E_TOO_LARGE:
		return "frame larger than the maximum frame size";
	case HCP_E_WIRE:
		return "malformed protobuf encoding";
	case HCP_E_LIMIT:
		return "field over its size or count limit";
	case HCP_E_RANGE:
		return "number outside its allowed range";
	case HCP_E_MISSING:
		return "required field absent or zero";
	case HCP_E_CONFLICT:
		return "fields contradict each other";
	case HCP_E_UTF8:
		return "string field is not valid UTF-8";
	case HCP_E_NOMEM:
		return "out of memory or allocation budget spent";
	case HCP_E_BUFFER:
		return "output buffer too small";
	case HCP_E_ARG:
		return "invalid argument";
	case HCP_E_BUDGET:
		return "attempt budget spent: do not reconnect automatically";
	case HCP_E_TOKEN_SIZE:
		return "resume token has an impossible size";
	case HCP_E_TOKEN_VERSION:
		return "resume token version not supported";
	case HCP_E_TOKEN_KEY_UNKNOWN:
		return "resume token key id unknown";
	case HCP_E_TOKEN_KEY_RETIRED:
		return "resume token key retired";
	case HCP_E_TOKEN_FORGED:
		return "resume token failed authentication";
	case HCP_E_TOKEN_MALFORMED:
		return "resume token contents malformed";
	case HCP_E_TOKEN_EXPIRED:
		return "resume token expired";
	case HCP_E_TOKEN_NOT_YET_VALID:
		return "resume token not yet valid";
	case HCP_E_TOKEN_PRINCIPAL:
		return "resume token bound to another principal";
	case HCP_E_TOKEN_REUSED:
		return "resume token already used";
	case HCP_E_GRANT_STREAM:
		return "grant does not cover this stream";
	}
	return "unknown error";
}

const char *hcp_error_class(hcp_error err)
{
	switch (err) {
	case HCP_OK:
		return "ok";
	case HCP_E_INCOMPLETE:
		return "incomplete";
	case HCP_E_FRAMING:
		return "framing";
	case HCP_E_TOO_LARGE:
		return "too_large";
	case HCP_E_WIRE:
		return "wire";
	case HCP_E_LIMIT:
		return "limit";
	case HCP_E_RANGE:
		return "range";
	case HCP_E_MISSING:
		return "missing";
	case HCP_E_CONFLICT:
		return "conflict";
	case HCP_E_UTF8:
		return "utf8";
	case HCP_E_NOMEM:
		return "nomem";
	case HCP_E_BUFFER:
		return "buffer";
	case HCP_E_ARG:
		return "arg";
	case HCP_E_BUDGET:
		return "budget";
	case HCP_E_TOKEN_SIZE:
		return "token_size";
	case HCP_E_TOKEN_VERSION:
		return "token_version";
	case HCP_E_TOKEN_KEY_UNKNOWN:
		return "token_key_unknown";
	case HCP_E_TOKEN_KEY_RETIRED:
		return "token_key_retired";
	case HCP_E_TOKEN_FORGED:
		return "token_forged";
	case HCP_E_TOKEN_MALFORMED:
		return "token_malformed";
	case HCP_E_TOKEN_EXPIRED:
		return "token_expired";
	case HCP_E_TOKEN_NOT_YET_VALID:
		return "token_not_yet_valid";
	case HCP_E_TOKEN_PRINCIPAL:
		return "token_principal";
	case HCP_E_TOKEN_REUSED:
		return "token_reused";
	case HCP_E_GRANT_STREAM:
		return "grant_stream";
	}
	return "unknown";
}

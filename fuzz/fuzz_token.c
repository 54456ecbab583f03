/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_token.c: opening resume tokens and verifying grants
 * (codec/src/token.c, spec/12-tokens.md) on arbitrary bytes. Written by
 * the token engineer for the fuzz part to wire in (fuzz/fuzz.mk builds it
 * with libhcp-token.a and -lsodium).
 *
 * Input: one selector byte, the server time (8 bytes, big-endian), the
 * skew tolerance (4 bytes, reduced to 0..HCP_TOKEN_MAX_SKEW_MS), then the
 * payload. Selector bits 0-1 choose the mode:
 *   0  open the payload as a token with the ring of the conformance
 *      vectors (conformance/vectors/token.json), so seeds from those
 *      vectors get past authentication;
 *   1  verify the payload as a grant (either form) with the ring of
 *      grant.json, for a subscribe to the stream named in the payload's
 *      own claims when it has them;
 *   2  seal the payload as raw claims with the vectors' sealing key and
 *      open that token: the claims parser on arbitrary authentic bytes;
 *   3  append a valid MAC to the payload and verify it as a binary grant:
 *      the grant parser on arbitrary authentic bytes.
 * Bit 2 set: the connection authenticated as the principal "user:4f1c2a"
 * (the vectors' typical principal); clear: tokens are opened without a
 * principal, grants are checked against "u".
 *
 * Properties: no crash, leak or read past the payload (it is copied to a
 * heap block of its exact size); only the codes of the spec's check order
 * come back; on a refusal the claims are all zero; on success every claim
 * is within its bounds, a second open at the same time is inside the grace
 * window, and sealing (minting) the claims again under the same key and
 * nonce gives the same bytes (the encoding is canonical).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hcp/hcp_token.h"
#include "fuzz.h"

/* SHA-256 of "hcp token key 1" and "hcp grant key 2": the sealing keys of
 * codec/tests/test_token_vectors.py. */
static const uint8_t token_key[32] = {
	0xe4, 0x00, 0x61, 0x36, 0x84, 0xa4, 0xa6, 0x4b, 0x1d, 0x80, 0x9c,
	0xf2, 0xcb, 0x6a, 0xf6, 0x8c, 0x73, 0x3f, 0x6d, 0x18, 0x63, 0x19,
	0x62, 0x1a, 0x00, 0x80, 0x5d, 0xf2, 0x83, 0x1b, 0x6a, 0x79,
};
static const uint8_t grant_key[32] = {
	0xfe, 0xa0, 0x0a, 0xac, 0x8f, 0xfb, 0xdb, 0x94, 0xbf, 0x8e, 0x67,
	0x4d, 0x73, 0x57, 0xe8, 0x76, 0xb1, 0xb0, 0x2b, 0x5d, 0x34, 0xad,
	0x39, 0x82, 0x7d, 0x24, 0x71, 0x89, 0x41, 0x9b, 0x42, 0xfd,
};
#define TOKEN_SEAL_ID    0x48435031u
#define TOKEN_OPEN_ID    0x48435030u
#define TOKEN_RETIRED_ID 0x4843502fu
#define GRANT_SEAL_ID    0x47524e32u
#define GRANT_OPEN_ID    0x47524e31u
#define GRANT_RETIRED_ID 0x47524e30u

static const uint8_t principal[] = "user:4f1c2a";

static bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0)
			return false;
	}
	return true;
}

static void rings(hcp_keyring *t, hcp_keyring *g)
{
	uint8_t other[32];

	/* The open keys' material does not matter to the properties:
	 * any other key. */
	memset(other, 0x42, sizeof(other));
	HCP_FUZZ_ASSERT(hcp_keyring_init(t) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(t, TOKEN_SEAL_ID, token_key,
	                                HCP_KEY_SEAL) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(t, TOKEN_OPEN_ID, other,
	                                HCP_KEY_OPEN) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(t, TOKEN_RETIRED_ID, NULL,
	                                HCP_KEY_RETIRED) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_init(g) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(g, GRANT_SEAL_ID, grant_key,
	                                HCP_KEY_SEAL) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(g, GRANT_OPEN_ID, other,
	                                HCP_KEY_OPEN) == HCP_OK);
	HCP_FUZZ_ASSERT(hcp_keyring_add(g, GRANT_RETIRED_ID, NULL,
	                                HCP_KEY_RETIRED) == HCP_OK);
}

static bool refusal(hcp_error e)
{
	return e >= HCP_E_TOKEN_SIZE && e <= HCP_E_GRANT_STREAM;
}

static void check_claims(const hcp_token_claims *c)
{
	HCP_FUZZ_ASSERT(c->principal_len >= 1 &&
	                c->principal_len <= HCP_TOKEN_MAX_PRINCIPAL_SIZE);
	HCP_FUZZ_ASSERT(c->session_id_len >= 1 &&
	                c->session_id_len <= HCP_MAX_SESSION_ID_SIZE);
	HCP_FUZZ_ASSERT(c->context_len <= HCP_TOKEN_MAX_CONTEXT_SIZE);
	HCP_FUZZ_ASSERT(c->streams_omitted <= 255);
	HCP_FUZZ_ASSERT(c->stream_count <= HCP_MAX_RESUME_STREAMS);
	HCP_FUZZ_ASSERT(c->expires_at_ms > c->issued_at_ms);
	HCP_FUZZ_ASSERT(c->expires_at_ms - c->issued_at_ms <=
	                HCP_TOKEN_MAX_LIFETIME_MS);
	for (size_t i = 0; i < c->stream_count; i++)
		HCP_FUZZ_ASSERT(c->streams[i].name_len >= 1 &&
		                c->streams[i].name_len <=
		                        HCP_MAX_STREAM_NAME_SIZE);
}

static void open_token(const hcp_keyring *ring, const uint8_t *tok, size_t len,
                       uint64_t now, uint32_t skew, bool with_p)
{
	hcp_replay_slot slots[4];
	hcp_replay cache;
	hcp_token_check chk;
	hcp_token_claims c, again;
	uint8_t resealed[HCP_TOKEN_MAX_SIZE];
	size_t n = 0, sealed = 0;
	bool within = true;
	hcp_error err;

	HCP_FUZZ_ASSERT(hcp_replay_init(&cache, slots, 4) == HCP_OK);
	memset(&chk, 0, sizeof(chk));
	chk.now_ms = now;
	chk.skew_ms = skew;
	chk.grace_ms = HCP_TOKEN_DEFAULT_GRACE_MS;
	chk.replay = &cache;
	if (with_p) {
		chk.principal = principal;
		chk.principal_len = sizeof(principal) - 1;
	}
	err = hcp_token_open(ring, &chk, tok, len, &c, &within);
	if (err != HCP_OK) {
		HCP_FUZZ_ASSERT(refusal(err) && err != HCP_E_GRANT_STREAM);
		HCP_FUZZ_ASSERT(zero(&c, sizeof(c)) && !within);
		HCP_FUZZ_ASSERT(hcp_token_reason(err) != 0);
		return;
	}
	HCP_FUZZ_ASSERT(!within);
	check_claims(&c);
	HCP_FUZZ_ASSERT(now < c.expires_at_ms);
	/* A second use at the same time: a concurrent reconnect. */
	HCP_FUZZ_ASSERT_ERR(
	        hcp_token_open(ring, &chk, tok, len, &again, &within), HCP_OK);
	HCP_FUZZ_ASSERT(within && memcmp(&c, &again, sizeof(c)) == 0);
	if (c.key_id != TOKEN_SEAL_ID)
		return;
	HCP_FUZZ_ASSERT_ERR(hcp_token_seal(ring, &c, tok + 5, resealed,
	                                   sizeof(resealed), &n, &sealed),
	                    HCP_OK);
	HCP_FUZZ_ASSERT(sealed == c.stream_count);
	HCP_FUZZ_ASSERT(n == len && memcmp(resealed, tok, len) == 0);
}

static void verify_grant(const hcp_keyring *ring, const uint8_t *g, size_t len,
                         uint64_t now, uint32_t skew, bool with_p)
{
	hcp_grant_check chk;
	hcp_grant_claims c, first;
	uint8_t again[HCP_GRANT_MAX_TEXT_SIZE];
	const uint8_t *stream = (const uint8_t *)"chat/room-17";
	size_t stream_len = 12, n = 0;
	hcp_error err;

	memset(&chk, 0, sizeof(chk));
	chk.now_ms = now;
	chk.skew_ms = skew;
	chk.principal = with_p ? principal : (const uint8_t *)"u";
	chk.principal_len = with_p ? sizeof(principal) - 1 : 1;
	/* First with a fixed stream; when that authenticates, again with
	 * the grant's own stream, so the later checks are reached too. */
	err = hcp_grant_verify(ring, &chk, stream, stream_len, g, len, &first);
	if (err == HCP_E_GRANT_STREAM || err == HCP_E_TOKEN_PRINCIPAL ||
	    err == HCP_E_TOKEN_EXPIRED || err == HCP_E_TOKEN_NOT_YET_VALID) {
		HCP_FUZZ_ASSERT(zero(&first, sizeof(first)));
		if (err == HCP_E_GRANT_STREAM)
			return;
		err = HCP_OK;
	}
	if (err != HCP_OK) {
		HCP_FUZZ_ASSERT(refusal(err) && err != HCP_E_TOKEN_REUSED);
		HCP_FUZZ_ASSERT(zero(&first, sizeof(first)));
		HCP_FUZZ_ASSERT(hcp_grant_reason(err) != 0);
		return;
	}
	err = hcp_grant_verify(ring, &chk, stream, stream_len, g, len, &c);
	if (err != HCP_OK) {
		HCP_FUZZ_ASSERT(refusal(err) && zero(&c, sizeof(c)));
		return;
	}
	HCP_FUZZ_ASSERT(c.principal_len >= 1 &&
	                c.principal_len <= HCP_TOKEN_MAX_PRINCIPAL_SIZE);
	HCP_FUZZ_ASSERT(c.stream_len >= 1 &&
	                c.stream_len <= HCP_MAX_STREAM_NAME_SIZE);
	HCP_FUZZ_ASSERT(c.expires_at_ms > c.issued_at_ms &&
	                now < c.expires_at_ms);
	if (c.key_id != GRANT_SEAL_ID)
		return;
	if (g[0] == HCP_GRANT_VERSION)
		HCP_FUZZ_ASSERT_ERR(
		        hcp_grant_mint(ring, &c, again, sizeof(again), &n),
		        HCP_OK);
	else
		HCP_FUZZ_ASSERT_ERR(
		        hcp_grant_mint_text(ring, &c, again, sizeof(again), &n),
		        HCP_OK);
	HCP_FUZZ_ASSERT(n == len && memcmp(again, g, len) == 0);
}

static void seal_and_open(const hcp_keyring *ring, const uint8_t *pt,
                          size_t len, uint64_t now, uint32_t skew, bool with_p)
{
	uint8_t *tok;
	unsigned long long ct_len = 0;

	if (len >
	    HCP_TOKEN_MAX_SIZE - HCP_TOKEN_HEADER_SIZE - HCP_TOKEN_TAG_SIZE)
		return;
	tok = malloc(len + HCP_TOKEN_HEADER_SIZE + HCP_TOKEN_TAG_SIZE);
	HCP_FUZZ_ASSERT(tok != NULL);
	tok[0] = HCP_TOKEN_VERSION;
	tok[1] = 0x48;
	tok[2] = 0x43;
	tok[3] = 0x50;
	tok[4] = 0x31;
	memset(tok + 5, 0x6e, HCP_TOKEN_NONCE_SIZE);
	HCP_FUZZ_ASSERT(crypto_aead_xchacha20poly1305_ietf_encrypt(
	                        tok + HCP_TOKEN_HEADER_SIZE, &ct_len, pt, len,
	                        tok, HCP_TOKEN_HEADER_SIZE, NULL, tok + 5,
	                        token_key) == 0);
	open_token(ring, tok, HCP_TOKEN_HEADER_SIZE + (size_t)ct_len, now, skew,
	           with_p);
	free(tok);
}

static void mac_and_verify(const hcp_keyring *ring, const uint8_t *body,
                           size_t len, uint64_t now, uint32_t skew, bool with_p)
{
	crypto_auth_hmacsha256_state st;
	uint8_t *g;

	if (len < 5 || len > HCP_GRANT_MAX_BINARY_SIZE - HCP_GRANT_MAC_SIZE)
		return;
	g = malloc(len + HCP_GRANT_MAC_SIZE);
	HCP_FUZZ_ASSERT(g != NULL);
	memcpy(g, body, len);
	g[0] = HCP_GRANT_VERSION;
	g[1] = 0x47;
	g[2] = 0x52;
	g[3] = 0x4e;
	g[4] = 0x32;
	crypto_auth_hmacsha256_init(&st, grant_key, sizeof(grant_key));
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)HCP_GRANT_MAC_LABEL,
	                              HCP_GRANT_MAC_LABEL_SIZE);
	crypto_auth_hmacsha256_update(&st, g, len);
	crypto_auth_hmacsha256_final(&st, g + len);
	verify_grant(ring, g, len + HCP_GRANT_MAC_SIZE, now, skew, with_p);
	free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static hcp_keyring token_ring, grant_ring;
	static bool ready;
	hcp_fuzz_in in = { data, size };
	uint8_t sel;
	uint64_t now;
	uint32_t skew;
	uint8_t *payload;

	if (!ready) {
		HCP_FUZZ_ASSERT(sodium_init() >= 0);
		rings(&token_ring, &grant_ring);
		ready = true;
	}
	sel = hcp_fuzz_u8(&in);
	now = (uint64_t)hcp_fuzz_u32(&in) << 32;
	now |= hcp_fuzz_u32(&in);
	skew = hcp_fuzz_u32(&in) % (HCP_TOKEN_MAX_SKEW_MS + 1);
	payload = hcp_fuzz_dup(in.p, in.n);
	switch (sel & 3) {
	case 0:
		open_token(&token_ring, payload, in.n, now, skew, sel & 4);
		break;
	case 1:
		verify_grant(&grant_ring, payload, in.n, now, skew, sel & 4);
		break;
	case 2:
		seal_and_open(&token_ring, payload, in.n, now, skew, sel & 4);
		break;
	default:
		mac_and_verify(&grant_ring, payload, in.n, now, skew, sel & 4);
		break;
	}
	free(payload);
	return 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hcp_token.h: resume tokens and stream grants for HCP servers (spec
 * chapter "Resume tokens and grants", spec/12-tokens.md).
 *
 * A resume token is sealed by a server with XChaCha20-Poly1305 and opened
 * by any server of the cluster that holds the same key ring; a grant is
 * minted by the application backend with HMAC-SHA256 and verified by the
 * real-time server without a call back. This module is for servers only:
 * it needs libsodium (link build/codec/libhcp-token.a and -lsodium), and
 * clients never include it. It keeps no global state and reads no clock:
 * times, keys, nonces and the replay cache come in as arguments. It never
 * allocates; every buffer has a named bound. Key material and plaintext
 * temporaries are wiped before a function returns, and every comparison of
 * a secret is constant-time.
 *
 * Read it top to bottom: sizes, key ring, resume tokens (seal, replay
 * cache, open), grants (mint, verify), refusal reasons.
 */
#ifndef HCP_TOKEN_H
#define HCP_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Sizes and bounds (spec/12-tokens.md, "Resume token construction" and
 * "Grant format")
 * ---------------------------------------------------------------------- */

#define HCP_TOKEN_KEY_SIZE   32 /* every key of a key ring */
#define HCP_KEYRING_MAX_KEYS 8  /* keys a ring holds at once */

#define HCP_TOKEN_VERSION         1  /* first byte of every token */
#define HCP_TOKEN_NONCE_SIZE      24 /* XChaCha20-Poly1305 nonce */
#define HCP_TOKEN_HEADER_SIZE     29 /* version, key id, nonce */
#define HCP_TOKEN_TAG_SIZE        16 /* Poly1305 tag */
#define HCP_TOKEN_MIN_CLAIMS_SIZE 23 /* the shortest sealed claims */
#define HCP_TOKEN_MIN_SIZE        68 /* header + shortest claims + tag */
#define HCP_TOKEN_MAX_SIZE        HCP_MAX_RESUME_TOKEN_SIZE

#define HCP_TOKEN_MAX_PRINCIPAL_SIZE 128 /* principal, tokens and grants */
#define HCP_TOKEN_MAX_CONTEXT_SIZE   64  /* server state carried along */
#define HCP_TOKEN_MAX_LIFETIME_MS    HCP_MAX_RESUME_TOKEN_TTL_MS

/* Clock-skew tolerance and grace window: recommended values and the
 * largest values the checks accept. */
#define HCP_TOKEN_DEFAULT_SKEW_MS  30000u
#define HCP_TOKEN_MAX_SKEW_MS      300000u
#define HCP_TOKEN_DEFAULT_GRACE_MS 10000u
#define HCP_TOKEN_MAX_GRACE_MS     60000u

#define HCP_GRANT_VERSION         1
#define HCP_GRANT_MAC_SIZE        32  /* HMAC-SHA256, never truncated */
#define HCP_GRANT_MIN_SIZE        58  /* binary form, shortest */
#define HCP_GRANT_MAX_BINARY_SIZE 312 /* binary form, longest */
#define HCP_GRANT_MAX_TEXT_SIZE   416 /* base64url of the longest */
#define HCP_GRANT_MAX_LIFETIME_MS 604800000u
/* The label that precedes the grant bytes in the HMAC input. */
#define HCP_GRANT_MAC_LABEL      "hcp-grant-v1"
#define HCP_GRANT_MAC_LABEL_SIZE 12

/* ------------------------------------------------------------------------
 * Key ring
 *
 * One ring holds the keys of one purpose: a server keeps one ring for
 * resume tokens and another for grants, never the same key in both. A key
 * is known by its 32-bit key id. At most one key seals (or mints); every
 * key in state OPEN or SEAL opens (or verifies); a RETIRED key is still
 * known by its id, so that what it sealed is refused with
 * HCP_E_TOKEN_KEY_RETIRED rather than HCP_E_TOKEN_KEY_UNKNOWN, but its
 * material is gone.
 *
 * Sealing, opening, minting and verifying only read the ring, so threads
 * may share one while nobody changes it. The ring is plain memory: a
 * server that wants it kept out of swap can sodium_mlock() it.
 * ---------------------------------------------------------------------- */

typedef enum hcp_key_state {
	HCP_KEY_OPEN = 1,    /* opens and verifies; never seals */
	HCP_KEY_SEAL = 2,    /* the one key that seals and mints; also opens */
	HCP_KEY_RETIRED = 3, /* refused with HCP_E_TOKEN_KEY_RETIRED */
} hcp_key_state;

typedef struct hcp_key {
	/* Private: use only through the functions below. */
	uint32_t id;
	hcp_key_state state;
	uint8_t material[HCP_TOKEN_KEY_SIZE];
} hcp_key;

typedef struct hcp_keyring {
	/* Private: use only through the functions below. */
	hcp_key keys[HCP_KEYRING_MAX_KEYS];
	size_t count;
} hcp_keyring;

/* Empties the ring and initialises libsodium (which is idempotent).
 * Returns HCP_OK, or HCP_E_ARG when ring is NULL or libsodium cannot
 * initialise (no system random source). */
HCP_NODISCARD hcp_error hcp_keyring_init(hcp_keyring *ring);

/* Adds the key `id` with HCP_TOKEN_KEY_SIZE bytes of material in the given
 * state; the ring keeps its own copy, so the caller may wipe its buffer.
 * Adding a key in state SEAL demotes the previous sealing key to OPEN.
 * For state RETIRED, material may be NULL and is not kept. Returns HCP_OK,
 * HCP_E_ARG (NULL argument, unknown state, or `id` already in the ring) or
 * HCP_E_NOMEM (the ring is full). */
HCP_NODISCARD hcp_error hcp_keyring_add(hcp_keyring *ring, uint32_t id,
                                        const uint8_t *material,
                                        hcp_key_state state);

/* Moves key `id` to another state: to SEAL (the previous sealing key
 * becomes OPEN), to OPEN, or to RETIRED (its material is wiped at once). A
 * retired key cannot come back. Returns HCP_OK, HCP_E_ARG (unknown state,
 * or RETIRED to another state) or HCP_E_TOKEN_KEY_UNKNOWN. */
HCP_NODISCARD hcp_error hcp_keyring_set_state(hcp_keyring *ring, uint32_t id,
                                              hcp_key_state state);

/* Forgets key `id` altogether (then its tokens are refused with
 * HCP_E_TOKEN_KEY_UNKNOWN), wiping its material. Returns HCP_OK, HCP_E_ARG
 * or HCP_E_TOKEN_KEY_UNKNOWN. */
HCP_NODISCARD hcp_error hcp_keyring_remove(hcp_keyring *ring, uint32_t id);

/* Wipes every key; the ring is empty afterwards. ring may be NULL. */
void hcp_keyring_wipe(hcp_keyring *ring);

/* ------------------------------------------------------------------------
 * Resume tokens: claims and sealing
 *
 * Token bytes: version (1) | key id (4, big-endian) | nonce (24) |
 * XChaCha20-Poly1305-IETF ciphertext of the claims, with the 29 header
 * bytes as associated data | tag (16). The claims layout is in the spec.
 * All times are milliseconds since the Unix epoch on the server's clock.
 * ---------------------------------------------------------------------- */

/* The position of one stream of the session. */
typedef struct hcp_token_stream {
	uint8_t name[HCP_MAX_STREAM_NAME_SIZE];
	size_t name_len; /* 1..HCP_MAX_STREAM_NAME_SIZE */
	uint64_t offset;
	uint64_t epoch;
} hcp_token_stream;

typedef struct hcp_token_claims {
	uint64_t issued_at_ms;
	uint64_t expires_at_ms; /* > issued_at_ms, at most 7 days later */
	uint8_t principal[HCP_TOKEN_MAX_PRINCIPAL_SIZE];
	size_t principal_len; /* 1..HCP_TOKEN_MAX_PRINCIPAL_SIZE */
	uint8_t session_id[HCP_MAX_SESSION_ID_SIZE];
	size_t session_id_len; /* 1..HCP_MAX_SESSION_ID_SIZE */
	uint8_t context[HCP_TOKEN_MAX_CONTEXT_SIZE];
	size_t context_len; /* 0..HCP_TOKEN_MAX_CONTEXT_SIZE */
	/* Streams of the session that the token does not carry. */
	uint32_t streams_omitted; /* 0..255 */
	size_t stream_count;      /* 0..HCP_MAX_RESUME_STREAMS */
	hcp_token_stream streams[HCP_MAX_RESUME_STREAMS];
	/* Set by hcp_token_open: the key that sealed the token. Ignored by
	 * sealing, which always uses the ring's sealing key. */
	uint32_t key_id;
} hcp_token_claims;

/* Seals claims into a token with the ring's sealing key and the caller's
 * 24-byte nonce, which must never repeat under one key (fixed nonces are
 * for known-answer tests; servers call hcp_token_seal_random). Streams
 * are carried in the order given; when the token would exceed
 * HCP_TOKEN_MAX_SIZE, streams are left out from the end and counted in
 * the token's streams_omitted (saturating at 255). *written gets the
 * token size and *streams_sealed (may be NULL) the number of streams
 * carried. out must hold the token: HCP_TOKEN_MAX_SIZE bytes always do.
 * Returns HCP_OK, HCP_E_ARG (NULL argument, or claims outside their
 * bounds, or two streams of the same name), HCP_E_TOKEN_KEY_UNKNOWN (the
 * ring has no sealing key) or HCP_E_BUFFER. */
HCP_NODISCARD hcp_error hcp_token_seal(const hcp_keyring *ring,
                                       const hcp_token_claims *claims,
                                       const uint8_t *nonce, uint8_t *out,
                                       size_t out_cap, size_t *written,
                                       size_t *streams_sealed);

/* hcp_token_seal with a fresh nonce from libsodium's randombytes_buf. */
HCP_NODISCARD hcp_error hcp_token_seal_random(const hcp_keyring *ring,
                                              const hcp_token_claims *claims,
                                              uint8_t *out, size_t out_cap,
                                              size_t *written,
                                              size_t *streams_sealed);

/* ------------------------------------------------------------------------
 * Replay cache (single use with a grace window)
 *
 * A bounded table of the tokens this server has accepted, keyed by token
 * id (the token's nonce), each kept until the token expires. The caller
 * supplies the slots; the table never grows. A token id is unforgeable
 * (it is authenticated before it is looked up), so the table needs no
 * keyed hash.
 * ---------------------------------------------------------------------- */

#define HCP_REPLAY_MAX_PROBE 64 /* slots examined per lookup, at most */

typedef struct hcp_replay_slot {
	/* Private. expires_at_ms 0 marks a free slot. */
	uint8_t id[HCP_TOKEN_NONCE_SIZE];
	uint64_t first_use_ms;
	uint64_t expires_at_ms;
} hcp_replay_slot;

typedef struct hcp_replay {
	/* Private: use only through the functions below. */
	hcp_replay_slot *slots;
	size_t cap;
	uint64_t clock_ms; /* the latest time seen: never goes back */
} hcp_replay;

/* Prepares a cache over cap caller-owned slots (cap >= 1), all free.
 * Size it as twice the peak rate of resumes per second times the longest
 * token lifetime in seconds. Returns HCP_OK or HCP_E_ARG. */
HCP_NODISCARD hcp_error hcp_replay_init(hcp_replay *cache,
                                        hcp_replay_slot *slots, size_t cap);

/* Records one use of token `id`, valid until expires_at_ms, at now_ms.
 * The first use gives HCP_OK with *within_grace false; a use less than
 * grace_ms after the first gives HCP_OK with *within_grace true (a
 * concurrent reconnect); a later use gives HCP_E_TOKEN_REUSED. Returns
 * HCP_E_NOMEM when no slot is free within HCP_REPLAY_MAX_PROBE (the token
 * must then be refused), HCP_E_ARG for a NULL argument, expires_at_ms 0 or
 * grace_ms over HCP_TOKEN_MAX_GRACE_MS. A time earlier than one seen
 * before counts as the latest time seen. Not safe for concurrent calls:
 * a server serializes the calls on one cache (one lock), since a cache per
 * thread would accept a token once per thread. */
HCP_NODISCARD hcp_error hcp_replay_use(hcp_replay *cache, const uint8_t *id,
                                       uint64_t expires_at_ms, uint64_t now_ms,
                                       uint32_t grace_ms, bool *within_grace);

/* ------------------------------------------------------------------------
 * Resume tokens: opening
 * ---------------------------------------------------------------------- */

typedef struct hcp_token_check {
	uint64_t now_ms;  /* the server's clock, ms since the Unix epoch */
	uint32_t skew_ms; /* tolerance for issue times ahead of now */
	/* The principal this connection authenticated as, if it did: the
	 * token must name the same. NULL: not checked (a bearer resume). */
	const uint8_t *principal;
	size_t principal_len;
	/* Where single use is enforced; NULL skips that step (the caller
	 * then must call hcp_replay_use itself before trusting the token). */
	hcp_replay *replay;
	uint32_t grace_ms; /* window for concurrent reconnects */
} hcp_token_check;

/* Opens a token and checks it in the order of the spec, returning the
 * first refusal: HCP_E_TOKEN_SIZE, HCP_E_TOKEN_VERSION,
 * HCP_E_TOKEN_KEY_UNKNOWN, HCP_E_TOKEN_KEY_RETIRED, HCP_E_TOKEN_FORGED,
 * HCP_E_TOKEN_MALFORMED, HCP_E_TOKEN_EXPIRED, HCP_E_TOKEN_NOT_YET_VALID,
 * HCP_E_TOKEN_PRINCIPAL, HCP_E_TOKEN_REUSED (or HCP_E_NOMEM from a full
 * replay cache). HCP_E_ARG for a NULL argument or skew_ms / grace_ms over
 * their maximum. On HCP_OK *claims holds the claims and *within_grace (may
 * be NULL) tells a use inside the grace window; on any error *claims is
 * zeroed. The caller must still re-authorize the principal and every
 * stream ([HCP-RESUME-7]). With a replay cache, the time used is the
 * later of now_ms and the latest time the cache has seen. */
HCP_NODISCARD hcp_error hcp_token_open(const hcp_keyring *ring,
                                       const hcp_token_check *check,
                                       const uint8_t *token, size_t len,
                                       hcp_token_claims *claims,
                                       bool *within_grace);

/* The ResumeResult reason for a refusal from hcp_token_open
 * (HCP_REASON_RESUME_*), or 0 for HCP_OK and for codes that are not
 * refusals of a token. */
uint32_t hcp_token_reason(hcp_error err);

/* ------------------------------------------------------------------------
 * Grants
 *
 * Binary form: version (1) | key id (4) | issued_at_ms (8) |
 * expires_at_ms (8) | match (1) | principal length (1) | principal |
 * stream length (1) | stream | HMAC-SHA256 (32) over HCP_GRANT_MAC_LABEL
 * followed by every byte before the MAC. Integers are big-endian. Text
 * form: the binary form in base64url without padding. A server accepts
 * either form in Subscribe.grant.
 * ---------------------------------------------------------------------- */

typedef enum hcp_grant_match {
	HCP_GRANT_EXACT = 0,  /* the stream name equals the grant's */
	HCP_GRANT_PREFIX = 1, /* the stream name starts with the grant's */
} hcp_grant_match;

typedef struct hcp_grant_claims {
	uint64_t issued_at_ms;
	uint64_t expires_at_ms; /* > issued_at_ms, at most 7 days later */
	hcp_grant_match match;
	uint8_t principal[HCP_TOKEN_MAX_PRINCIPAL_SIZE];
	size_t principal_len; /* 1..HCP_TOKEN_MAX_PRINCIPAL_SIZE */
	uint8_t stream[HCP_MAX_STREAM_NAME_SIZE];
	size_t stream_len; /* 1..HCP_MAX_STREAM_NAME_SIZE */
	/* Set by hcp_grant_verify; minting uses the sealing key. */
	uint32_t key_id;
} hcp_grant_claims;

/* Mints a grant in binary form with the ring's sealing key. Returns
 * HCP_OK, HCP_E_ARG (NULL argument or claims outside their bounds),
 * HCP_E_TOKEN_KEY_UNKNOWN (no sealing key) or HCP_E_BUFFER. */
HCP_NODISCARD hcp_error hcp_grant_mint(const hcp_keyring *ring,
                                       const hcp_grant_claims *claims,
                                       uint8_t *out, size_t out_cap,
                                       size_t *written);

/* The same grant in text form (base64url, no padding, no terminator).
 * HCP_GRANT_MAX_TEXT_SIZE bytes always suffice. */
HCP_NODISCARD hcp_error hcp_grant_mint_text(const hcp_keyring *ring,
                                            const hcp_grant_claims *claims,
                                            uint8_t *out, size_t out_cap,
                                            size_t *written);

typedef struct hcp_grant_check {
	uint64_t now_ms;  /* the server's clock, ms since the Unix epoch */
	uint32_t skew_ms; /* tolerance for issue times ahead of now */
	const uint8_t *principal; /* this connection's principal: required */
	size_t principal_len;
} hcp_grant_check;

/* Verifies a grant (either form) for a subscribe to `stream`, returning
 * the first refusal in the order of the spec: HCP_E_TOKEN_SIZE,
 * HCP_E_TOKEN_VERSION, HCP_E_TOKEN_KEY_UNKNOWN, HCP_E_TOKEN_KEY_RETIRED,
 * HCP_E_TOKEN_FORGED, HCP_E_TOKEN_MALFORMED, HCP_E_TOKEN_EXPIRED,
 * HCP_E_TOKEN_NOT_YET_VALID, HCP_E_TOKEN_PRINCIPAL, HCP_E_GRANT_STREAM.
 * HCP_E_ARG for a NULL argument, an empty or oversized stream or
 * principal, or skew_ms over its maximum. On HCP_OK *claims holds the
 * grant's claims; on any error it is zeroed. */
HCP_NODISCARD hcp_error hcp_grant_verify(const hcp_keyring *ring,
                                         const hcp_grant_check *check,
                                         const uint8_t *stream,
                                         size_t stream_len,
                                         const uint8_t *grant, size_t len,
                                         hcp_grant_claims *claims);

/* The SubscribeAck reason for a refusal from hcp_grant_verify
 * (HCP_REASON_GRANT_*), or 0 for HCP_OK and for codes that are not
 * refusals of a grant. */
uint32_t hcp_grant_reason(hcp_error err);

#ifdef __cplusplus
}
#endif

#endif /* HCP_TOKEN_H */

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token.c: resume tokens (XChaCha20-Poly1305) and grants (HMAC-SHA256),
 * with a key ring and a replay cache, as spec/12-tokens.md defines them.
 *
 * Every check runs in the order of the spec so that all implementations
 * give the same refusal for the same bytes. Nothing here reads past a
 * length it was given, allocates, or keeps state between calls beyond
 * what the caller passes in; every secret comparison is constant-time and
 * every plaintext or MAC temporary is wiped with sodium_memzero before the
 * function returns, on success and on error alike.
 */
#include "hcp/hcp_token.h"

#include <string.h>

#include <sodium.h>

/* Sizes of the fixed parts of the sealed claims. */
#define CLAIMS_TIMES_SIZE 16
#define STREAM_FIXED_SIZE 17 /* name length, offset, epoch */
#define TOKEN_OVERHEAD    (HCP_TOKEN_HEADER_SIZE + HCP_TOKEN_TAG_SIZE)
#define CLAIMS_MAX_SIZE   (HCP_TOKEN_MAX_SIZE - TOKEN_OVERHEAD)

/* Offsets of the grant's fixed fields. */
#define GRANT_KEY_ID_AT    1
#define GRANT_ISSUED_AT    5
#define GRANT_EXPIRES_AT   13
#define GRANT_MATCH_AT     21
#define GRANT_PRINCIPAL_AT 22

/* ------------------------------------------------------------------------
 * Big-endian integers
 * ---------------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | (uint64_t)get32(p + 4);
}

/* ------------------------------------------------------------------------
 * Key ring
 * ---------------------------------------------------------------------- */

static bool state_known(hcp_key_state state)
{
	return state == HCP_KEY_OPEN || state == HCP_KEY_SEAL ||
	       state == HCP_KEY_RETIRED;
}

static hcp_key *ring_find(hcp_keyring *ring, uint32_t id)
{
	for (size_t i = 0; i < ring->count; i++) {
		if (ring->keys[i].id == id)
			return &ring->keys[i];
	}
	return NULL;
}

static const hcp_key *ring_find_const(const hcp_keyring *ring, uint32_t id)
{
	for (size_t i = 0; i < ring->count && i < HCP_KEYRING_MAX_KEYS; i++) {
		if (ring->keys[i].id == id)
			return &ring->keys[i];
	}
	return NULL;
}

static const hcp_key *ring_sealing_key(const hcp_keyring *ring)
{
	for (size_t i = 0; i < ring->count && i < HCP_KEYRING_MAX_KEYS; i++) {
		if (ring->keys[i].state == HCP_KEY_SEAL)
			return &ring->keys[i];
	}
	return NULL;
}

static void ring_demote_sealing(hcp_keyring *ring)
{
	for (size_t i = 0; i < ring->count; i++) {
		if (ring->keys[i].state == HCP_KEY_SEAL)
			ring->keys[i].state = HCP_KEY_OPEN;
	}
}

hcp_error hcp_keyring_init(hcp_keyring *ring)
{
	if (ring == NULL)
		return HCP_E_ARG;
	sodium_memzero(ring, sizeof(*ring));
	if (sodium_init() < 0)
		return HCP_E_ARG;
	return HCP_OK;
}

hcp_error hcp_keyring_add(hcp_keyring *ring, uint32_t id,
                          const uint8_t *material, hcp_key_state state)
{
	hcp_key *key;

	if (ring == NULL || !state_known(state) ||
	    ring->count > HCP_KEYRING_MAX_KEYS)
		return HCP_E_ARG;
	if (material == NULL && state != HCP_KEY_RETIRED)
		return HCP_E_ARG;
	if (ring_find(ring, id) != NULL)
		return HCP_E_ARG;
	if (ring->count == HCP_KEYRING_MAX_KEYS)
		return HCP_E_NOMEM;

	if (state == HCP_KEY_SEAL)
		ring_demote_sealing(ring);
	key = &ring->keys[ring->count++];
	sodium_memzero(key, sizeof(*key));
	key->id = id;
	key->state = state;
	if (state != HCP_KEY_RETIRED)
		memcpy(key->material, material, HCP_TOKEN_KEY_SIZE);
	return HCP_OK;
}

hcp_error hcp_keyring_set_state(hcp_keyring *ring, uint32_t id,
                                hcp_key_state state)
{
	hcp_key *key;

	if (ring == NULL || !state_known(state) ||
	    ring->count > HCP_KEYRING_MAX_KEYS)
		return HCP_E_ARG;
	key = ring_find(ring, id);
	if (key == NULL)
		return HCP_E_TOKEN_KEY_UNKNOWN;
	if (key->state == HCP_KEY_RETIRED && state != HCP_KEY_RETIRED)
		return HCP_E_ARG;

	if (state == HCP_KEY_SEAL)
		ring_demote_sealing(ring);
	key->state = state;
	if (state == HCP_KEY_RETIRED)
		sodium_memzero(key->material, sizeof(key->material));
	return HCP_OK;
}

hcp_error hcp_keyring_remove(hcp_keyring *ring, uint32_t id)
{
	hcp_key *key;
	size_t last;

	if (ring == NULL || ring->count > HCP_KEYRING_MAX_KEYS)
		return HCP_E_ARG;
	key = ring_find(ring, id);
	if (key == NULL)
		return HCP_E_TOKEN_KEY_UNKNOWN;

	last = ring->count - 1;
	if (key != &ring->keys[last])
		memcpy(key, &ring->keys[last], sizeof(*key));
	sodium_memzero(&ring->keys[last], sizeof(ring->keys[last]));
	ring->count = last;
	return HCP_OK;
}

void hcp_keyring_wipe(hcp_keyring *ring)
{
	if (ring != NULL)
		sodium_memzero(ring, sizeof(*ring));
}

/* Which key opens a token or grant of this key id, or why none does. */
static hcp_error ring_opening_key(const hcp_keyring *ring, uint32_t id,
                                  const hcp_key **out)
{
	const hcp_key *key = ring_find_const(ring, id);

	*out = NULL;
	if (key == NULL)
		return HCP_E_TOKEN_KEY_UNKNOWN;
	if (key->state == HCP_KEY_RETIRED)
		return HCP_E_TOKEN_KEY_RETIRED;
	*out = key;
	return HCP_OK;
}

/* ------------------------------------------------------------------------
 * Shared checks of claims
 * ---------------------------------------------------------------------- */

static bool lifetime_ok(uint64_t issued, uint64_t expires, uint64_t max)
{
	return expires > issued && expires - issued <= max;
}

/* Expiry has no tolerance; an issue time may lie up to skew ahead. */
static hcp_error check_times(uint64_t issued, uint64_t expires, uint64_t now,
                             uint32_t skew)
{
	if (now >= expires)
		return HCP_E_TOKEN_EXPIRED;
	if (issued > now && issued - now > skew)
		return HCP_E_TOKEN_NOT_YET_VALID;
	return HCP_OK;
}

/* Principals are compared in constant time over their common length;
 * their lengths are not secret. */
static bool principal_equal(const uint8_t *a, size_t a_len, const uint8_t *b,
                            size_t b_len)
{
	if (a_len != b_len)
		return false;
	return sodium_memcmp(a, b, a_len) == 0;
}

/* ------------------------------------------------------------------------
 * Resume token claims: encoding
 * ---------------------------------------------------------------------- */

static size_t stream_size(const hcp_token_stream *s)
{
	return STREAM_FIXED_SIZE + s->name_len;
}

static size_t claims_fixed_size(const hcp_token_claims *c)
{
	return CLAIMS_TIMES_SIZE + 1 + c->principal_len + 1 +
	       c->session_id_len + 1 + c->context_len + 2;
}

static bool streams_distinct(const hcp_token_claims *c)
{
	for (size_t i = 0; i < c->stream_count; i++) {
		for (size_t j = i + 1; j < c->stream_count; j++) {
			if (c->streams[i].name_len == c->streams[j].name_len &&
			    memcmp(c->streams[i].name, c->streams[j].name,
			           c->streams[i].name_len) == 0)
				return false;
		}
	}
	return true;
}

static bool token_claims_valid(const hcp_token_claims *c)
{
	if (!lifetime_ok(c->issued_at_ms, c->expires_at_ms,
	                 HCP_TOKEN_MAX_LIFETIME_MS))
		return false;
	if (c->principal_len < 1 ||
	    c->principal_len > HCP_TOKEN_MAX_PRINCIPAL_SIZE)
		return false;
	if (c->session_id_len < 1 ||
	    c->session_id_len > HCP_MAX_SESSION_ID_SIZE)
		return false;
	if (c->context_len > HCP_TOKEN_MAX_CONTEXT_SIZE ||
	    c->streams_omitted > 255 ||
	    c->stream_count > HCP_MAX_RESUME_STREAMS)
		return false;
	for (size_t i = 0; i < c->stream_count; i++) {
		if (c->streams[i].name_len < 1 ||
		    c->streams[i].name_len > HCP_MAX_STREAM_NAME_SIZE)
			return false;
	}
	return streams_distinct(c);
}

static uint8_t *put_bytes(uint8_t *p, const uint8_t *src, size_t len)
{
	*p++ = (uint8_t)len;
	if (len > 0)
		memcpy(p, src, len);
	return p + len;
}

/* Writes the claims with their first n streams; pt holds
 * CLAIMS_MAX_SIZE bytes and the caller has checked that they fit. */
static size_t claims_encode(const hcp_token_claims *c, size_t n, uint8_t *pt)
{
	uint8_t *p = pt;
	uint32_t omitted = c->streams_omitted + (uint32_t)(c->stream_count - n);

	put64(p, c->issued_at_ms);
	put64(p + 8, c->expires_at_ms);
	p += CLAIMS_TIMES_SIZE;
	p = put_bytes(p, c->principal, c->principal_len);
	p = put_bytes(p, c->session_id, c->session_id_len);
	p = put_bytes(p, c->context, c->context_len);
	*p++ = (uint8_t)(omitted > 255 ? 255 : omitted);
	*p++ = (uint8_t)n;
	for (size_t i = 0; i < n; i++) {
		p = put_bytes(p, c->streams[i].name, c->streams[i].name_len);
		put64(p, c->streams[i].offset);
		put64(p + 8, c->streams[i].epoch);
		p += 16;
	}
	return (size_t)(p - pt);
}

/* How many streams fit, in order, within the token size bound. */
static size_t streams_that_fit(const hcp_token_claims *c)
{
	size_t size = TOKEN_OVERHEAD + claims_fixed_size(c);
	size_t n = 0;

	while (n < c->stream_count) {
		size_t s = stream_size(&c->streams[n]);

		if (s > HCP_TOKEN_MAX_SIZE - size)
			break;
		size += s;
		n++;
	}
	return n;
}

static size_t sealed_size(const hcp_token_claims *c, size_t n)
{
	size_t size = TOKEN_OVERHEAD + claims_fixed_size(c);

	for (size_t i = 0; i < n; i++)
		size += stream_size(&c->streams[i]);
	return size;
}

hcp_error hcp_token_seal(const hcp_keyring *ring,
                         const hcp_token_claims *claims, const uint8_t *nonce,
                         uint8_t *out, size_t out_cap, size_t *written,
                         size_t *streams_sealed)
{
	uint8_t pt[CLAIMS_MAX_SIZE];
	const hcp_key *key;
	size_t n, pt_len, size;
	unsigned long long ct_len = 0;
	int rc;

	if (written != NULL)
		*written = 0;
	if (streams_sealed != NULL)
		*streams_sealed = 0;
	if (ring == NULL || claims == NULL || nonce == NULL || out == NULL ||
	    written == NULL || ring->count > HCP_KEYRING_MAX_KEYS)
		return HCP_E_ARG;
	key = ring_sealing_key(ring);
	if (key == NULL)
		return HCP_E_TOKEN_KEY_UNKNOWN;
	if (!token_claims_valid(claims))
		return HCP_E_ARG;
	n = streams_that_fit(claims);
	size = sealed_size(claims, n);
	if (size > out_cap)
		return HCP_E_BUFFER;

	pt_len = claims_encode(claims, n, pt);
	out[0] = HCP_TOKEN_VERSION;
	put32(out + 1, key->id);
	memmove(out + 5, nonce, HCP_TOKEN_NONCE_SIZE);
	rc = crypto_aead_xchacha20poly1305_ietf_encrypt(
	        out + HCP_TOKEN_HEADER_SIZE, &ct_len, pt, pt_len, out,
	        HCP_TOKEN_HEADER_SIZE, NULL, out + 5, key->material);
	sodium_memzero(pt, pt_len);
	if (rc != 0 || ct_len + HCP_TOKEN_HEADER_SIZE != size) {
		sodium_memzero(out, size);
		return HCP_E_ARG;
	}
	*written = size;
	if (streams_sealed != NULL)
		*streams_sealed = n;
	return HCP_OK;
}

hcp_error hcp_token_seal_random(const hcp_keyring *ring,
                                const hcp_token_claims *claims, uint8_t *out,
                                size_t out_cap, size_t *written,
                                size_t *streams_sealed)
{
	uint8_t nonce[HCP_TOKEN_NONCE_SIZE];
	hcp_error err;

	randombytes_buf(nonce, sizeof(nonce));
	err = hcp_token_seal(ring, claims, nonce, out, out_cap, written,
	                     streams_sealed);
	sodium_memzero(nonce, sizeof(nonce));
	return err;
}

/* ------------------------------------------------------------------------
 * Resume token claims: decoding
 * ---------------------------------------------------------------------- */

/* A cursor over the decrypted claims that never reads past their end. */
typedef struct reader {
	const uint8_t *p;
	const uint8_t *end;
} reader;

static bool take(reader *r, size_t n, const uint8_t **out)
{
	if (n > (size_t)(r->end - r->p))
		return false;
	*out = r->p;
	r->p += n;
	return true;
}

static bool take_u8(reader *r, size_t *out)
{
	const uint8_t *p;

	if (!take(r, 1, &p))
		return false;
	*out = p[0];
	return true;
}

static bool take_u64(reader *r, uint64_t *out)
{
	const uint8_t *p;

	if (!take(r, 8, &p))
		return false;
	*out = get64(p);
	return true;
}

/* A length byte in [min, max] followed by that many bytes, into dst. */
static bool take_field(reader *r, size_t min, size_t max, uint8_t *dst,
                       size_t *dst_len)
{
	const uint8_t *p;
	size_t len;

	if (!take_u8(r, &len) || len < min || len > max || !take(r, len, &p))
		return false;
	if (len > 0)
		memcpy(dst, p, len);
	*dst_len = len;
	return true;
}

static bool claims_decode(const uint8_t *pt, size_t len, hcp_token_claims *c)
{
	reader r = { pt, pt + len };
	size_t omitted;

	if (!take_u64(&r, &c->issued_at_ms) ||
	    !take_u64(&r, &c->expires_at_ms) ||
	    !take_field(&r, 1, HCP_TOKEN_MAX_PRINCIPAL_SIZE, c->principal,
	                &c->principal_len) ||
	    !take_field(&r, 1, HCP_MAX_SESSION_ID_SIZE, c->session_id,
	                &c->session_id_len) ||
	    !take_field(&r, 0, HCP_TOKEN_MAX_CONTEXT_SIZE, c->context,
	                &c->context_len) ||
	    !take_u8(&r, &omitted) || !take_u8(&r, &c->stream_count) ||
	    c->stream_count > HCP_MAX_RESUME_STREAMS)
		return false;
	c->streams_omitted = (uint32_t)omitted;
	for (size_t i = 0; i < c->stream_count; i++) {
		hcp_token_stream *s = &c->streams[i];

		if (!take_field(&r, 1, HCP_MAX_STREAM_NAME_SIZE, s->name,
		                &s->name_len) ||
		    !take_u64(&r, &s->offset) || !take_u64(&r, &s->epoch))
			return false;
	}
	if (r.p != r.end)
		return false;
	return lifetime_ok(c->issued_at_ms, c->expires_at_ms,
	                   HCP_TOKEN_MAX_LIFETIME_MS) &&
	       streams_distinct(c);
}

/* ------------------------------------------------------------------------
 * Replay cache
 * ---------------------------------------------------------------------- */

hcp_error hcp_replay_init(hcp_replay *cache, hcp_replay_slot *slots, size_t cap)
{
	if (cache == NULL)
		return HCP_E_ARG;
	memset(cache, 0, sizeof(*cache));
	if (slots == NULL || cap == 0 || cap > SIZE_MAX / sizeof(*slots))
		return HCP_E_ARG;
	memset(slots, 0, cap * sizeof(*slots));
	cache->slots = slots;
	cache->cap = cap;
	return HCP_OK;
}

/* Token ids are random and authenticated, so their first bytes are a
 * uniform hash already. */
static size_t replay_home(const hcp_replay *cache, const uint8_t *id)
{
	return (size_t)(get64(id) % (uint64_t)cache->cap);
}

hcp_error hcp_replay_use(hcp_replay *cache, const uint8_t *id,
                         uint64_t expires_at_ms, uint64_t now_ms,
                         uint32_t grace_ms, bool *within_grace)
{
	hcp_replay_slot *free_slot = NULL;
	size_t probes, at;

	if (within_grace != NULL)
		*within_grace = false;
	if (cache == NULL || cache->slots == NULL || cache->cap == 0 ||
	    id == NULL || within_grace == NULL ||
	    grace_ms > HCP_TOKEN_MAX_GRACE_MS || expires_at_ms == 0)
		return HCP_E_ARG;
	if (now_ms > cache->clock_ms)
		cache->clock_ms = now_ms;
	now_ms = cache->clock_ms;

	probes = cache->cap < HCP_REPLAY_MAX_PROBE ? cache->cap
	                                           : HCP_REPLAY_MAX_PROBE;
	at = replay_home(cache, id);
	for (size_t i = 0; i < probes; i++) {
		hcp_replay_slot *s = &cache->slots[at];
		bool live = s->expires_at_ms > now_ms;

		if (live && memcmp(s->id, id, HCP_TOKEN_NONCE_SIZE) == 0) {
			if (now_ms - s->first_use_ms >= grace_ms)
				return HCP_E_TOKEN_REUSED;
			*within_grace = true;
			return HCP_OK;
		}
		if (!live && free_slot == NULL)
			free_slot = s;
		if (s->expires_at_ms == 0)
			break;
		at = at + 1 == cache->cap ? 0 : at + 1;
	}
	if (free_slot == NULL)
		return HCP_E_NOMEM;
	memcpy(free_slot->id, id, HCP_TOKEN_NONCE_SIZE);
	free_slot->first_use_ms = now_ms;
	free_slot->expires_at_ms = expires_at_ms;
	return HCP_OK;
}

/* ------------------------------------------------------------------------
 * Resume tokens: opening
 * ---------------------------------------------------------------------- */

static hcp_error token_decrypt(const hcp_keyring *ring, const uint8_t *token,
                               size_t len, hcp_token_claims *claims)
{
	uint8_t pt[CLAIMS_MAX_SIZE];
	unsigned long long pt_len = 0;
	const hcp_key *key;
	hcp_error err;
	int rc;

	err = ring_opening_key(ring, get32(token + 1), &key);
	if (err != HCP_OK)
		return err;
	rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
	        pt, &pt_len, NULL, token + HCP_TOKEN_HEADER_SIZE,
	        len - HCP_TOKEN_HEADER_SIZE, token, HCP_TOKEN_HEADER_SIZE,
	        token + 5, key->material);
	if (rc != 0)
		err = HCP_E_TOKEN_FORGED;
	else if (!claims_decode(pt, (size_t)pt_len, claims))
		err = HCP_E_TOKEN_MALFORMED;
	/* Everything decryption can have written. */
	sodium_memzero(pt, len - TOKEN_OVERHEAD);
	return err;
}

static hcp_error token_check(const hcp_token_check *check,
                             const uint8_t *token_id,
                             const hcp_token_claims *claims, bool *within_grace)
{
	uint64_t now = check->now_ms;
	hcp_error err;

	/* The replay cache's clock never goes back, so neither does the
	 * expiry check: a token whose cache entry was dropped as expired
	 * stays expired. */
	if (check->replay != NULL && check->replay->clock_ms > now)
		now = check->replay->clock_ms;
	err = check_times(claims->issued_at_ms, claims->expires_at_ms, now,
	                  check->skew_ms);
	if (err != HCP_OK)
		return err;
	if (check->principal != NULL &&
	    !principal_equal(claims->principal, claims->principal_len,
	                     check->principal, check->principal_len))
		return HCP_E_TOKEN_PRINCIPAL;
	if (check->replay == NULL)
		return HCP_OK;
	return hcp_replay_use(check->replay, token_id, claims->expires_at_ms,
	                      now, check->grace_ms, within_grace);
}

hcp_error hcp_token_open(const hcp_keyring *ring, const hcp_token_check *check,
                         const uint8_t *token, size_t len,
                         hcp_token_claims *claims, bool *within_grace)
{
	bool grace = false;
	hcp_error err;

	if (within_grace != NULL)
		*within_grace = false;
	if (claims != NULL)
		memset(claims, 0, sizeof(*claims));
	if (ring == NULL || check == NULL || claims == NULL ||
	    (token == NULL && len > 0) || ring->count > HCP_KEYRING_MAX_KEYS ||
	    check->skew_ms > HCP_TOKEN_MAX_SKEW_MS ||
	    check->grace_ms > HCP_TOKEN_MAX_GRACE_MS)
		return HCP_E_ARG;

	if (len < HCP_TOKEN_MIN_SIZE || len > HCP_TOKEN_MAX_SIZE)
		return HCP_E_TOKEN_SIZE;
	if (token[0] != HCP_TOKEN_VERSION)
		return HCP_E_TOKEN_VERSION;
	err = token_decrypt(ring, token, len, claims);
	if (err == HCP_OK) {
		claims->key_id = get32(token + 1);
		err = token_check(check, token + 5, claims, &grace);
	}
	if (err != HCP_OK) {
		sodium_memzero(claims, sizeof(*claims));
		return err;
	}
	if (within_grace != NULL)
		*within_grace = grace;
	return HCP_OK;
}

uint32_t hcp_token_reason(hcp_error err)
{
	switch (err) {
	case HCP_E_TOKEN_SIZE:
	case HCP_E_TOKEN_VERSION:
	case HCP_E_TOKEN_KEY_UNKNOWN:
	case HCP_E_TOKEN_KEY_RETIRED:
	case HCP_E_TOKEN_FORGED:
	case HCP_E_TOKEN_MALFORMED:
	case HCP_E_TOKEN_NOT_YET_VALID:
		return HCP_REASON_RESUME_TOKEN_INVALID;
	case HCP_E_TOKEN_EXPIRED:
		return HCP_REASON_RESUME_TOKEN_EXPIRED;
	case HCP_E_TOKEN_PRINCIPAL:
		return HCP_REASON_RESUME_PRINCIPAL_MISMATCH;
	case HCP_E_TOKEN_REUSED:
		return HCP_REASON_RESUME_TOKEN_REUSED;
	case HCP_E_NOMEM:
		return HCP_REASON_OVERLOADED;
	default:
		return 0;
	}
}

/* ------------------------------------------------------------------------
 * Grants: base64url without padding (RFC 4648, section 5)
 * ---------------------------------------------------------------------- */

static const char b64url[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The value of each byte in the alphabet, or 0xff outside it. */
static const uint8_t b64url_values[256] = {
	['A'] = 0,  ['B'] = 1,  ['C'] = 2,  ['D'] = 3,  ['E'] = 4,  ['F'] = 5,
	['G'] = 6,  ['H'] = 7,  ['I'] = 8,  ['J'] = 9,  ['K'] = 10, ['L'] = 11,
	['M'] = 12, ['N'] = 13, ['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17,
	['S'] = 18, ['T'] = 19, ['U'] = 20, ['V'] = 21, ['W'] = 22, ['X'] = 23,
	['Y'] = 24, ['Z'] = 25, ['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29,
	['e'] = 30, ['f'] = 31, ['g'] = 32, ['h'] = 33, ['i'] = 34, ['j'] = 35,
	['k'] = 36, ['l'] = 37, ['m'] = 38, ['n'] = 39, ['o'] = 40, ['p'] = 41,
	['q'] = 42, ['r'] = 43, ['s'] = 44, ['t'] = 45, ['u'] = 46, ['v'] = 47,
	['w'] = 48, ['x'] = 49, ['y'] = 50, ['z'] = 51, ['0'] = 52, ['1'] = 53,
	['2'] = 54, ['3'] = 55, ['4'] = 56, ['5'] = 57, ['6'] = 58, ['7'] = 59,
	['8'] = 60, ['9'] = 61, ['-'] = 62, ['_'] = 63,
};

/* 'A' maps to 0 like every unset entry: tell them apart. */
static int b64url_value(uint8_t c)
{
	if (b64url_values[c] == 0 && c != 'A')
		return -1;
	return b64url_values[c];
}

static size_t b64url_encode(const uint8_t *in, size_t len, uint8_t *out)
{
	size_t o = 0;
	uint32_t acc = 0;
	unsigned bits = 0;

	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8 | in[i]) & 0xffffu;
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = (uint8_t)b64url[(acc >> bits) & 63u];
		}
	}
	if (bits > 0)
		out[o++] = (uint8_t)b64url[(acc << (6 - bits)) & 63u];
	return o;
}

/* Canonical decoding only: no padding, no other characters, no length
 * that leaves one lone character, unused trailing bits zero. */
static bool b64url_decode(const uint8_t *in, size_t len, uint8_t *out,
                          size_t out_cap, size_t *out_len)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;

	*out_len = 0;
	if (len % 4 == 1)
		return false;
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value(in[i]);

		if (v < 0)
			return false;
		acc = (acc << 6 | (uint32_t)v) & 0xffffu;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == out_cap)
				return false;
			out[o++] = (uint8_t)(acc >> bits);
		}
	}
	if ((acc & ((1u << bits) - 1u)) != 0)
		return false;
	*out_len = o;
	return true;
}

/* ------------------------------------------------------------------------
 * Grants: minting and verifying
 * ---------------------------------------------------------------------- */

static bool grant_claims_valid(const hcp_grant_claims *c)
{
	return lifetime_ok(c->issued_at_ms, c->expires_at_ms,
	                   HCP_GRANT_MAX_LIFETIME_MS) &&
	       (c->match == HCP_GRANT_EXACT || c->match == HCP_GRANT_PREFIX) &&
	       c->principal_len >= 1 &&
	       c->principal_len <= HCP_TOKEN_MAX_PRINCIPAL_SIZE &&
	       c->stream_len >= 1 && c->stream_len <= HCP_MAX_STREAM_NAME_SIZE;
}

/* mac = HMAC-SHA256(key, label || body). */
static void grant_mac(const hcp_key *key, const uint8_t *body, size_t len,
                      uint8_t *mac)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key->material, HCP_TOKEN_KEY_SIZE);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)HCP_GRANT_MAC_LABEL,
	                              HCP_GRANT_MAC_LABEL_SIZE);
	crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

hcp_error hcp_grant_mint(const hcp_keyring *ring,
                         const hcp_grant_claims *claims, uint8_t *out,
                         size_t out_cap, size_t *written)
{
	const hcp_key *key;
	uint8_t *p;
	size_t body;

	if (written != NULL)
		*written = 0;
	if (ring == NULL || claims == NULL || out == NULL || written == NULL ||
	    ring->count > HCP_KEYRING_MAX_KEYS)
		return HCP_E_ARG;
	key = ring_sealing_key(ring);
	if (key == NULL)
		return HCP_E_TOKEN_KEY_UNKNOWN;
	if (!grant_claims_valid(claims))
		return HCP_E_ARG;
	body = GRANT_PRINCIPAL_AT + 1 + claims->principal_len + 1 +
	       claims->stream_len;
	if (body + HCP_GRANT_MAC_SIZE > out_cap)
		return HCP_E_BUFFER;

	out[0] = HCP_GRANT_VERSION;
	put32(out + GRANT_KEY_ID_AT, key->id);
	put64(out + GRANT_ISSUED_AT, claims->issued_at_ms);
	put64(out + GRANT_EXPIRES_AT, claims->expires_at_ms);
	out[GRANT_MATCH_AT] = (uint8_t)claims->match;
	p = put_bytes(out + GRANT_PRINCIPAL_AT, claims->principal,
	              claims->principal_len);
	p = put_bytes(p, claims->stream, claims->stream_len);
	grant_mac(key, out, body, p);
	*written = body + HCP_GRANT_MAC_SIZE;
	return HCP_OK;
}

hcp_error hcp_grant_mint_text(const hcp_keyring *ring,
                              const hcp_grant_claims *claims, uint8_t *out,
                              size_t out_cap, size_t *written)
{
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE];
	size_t bin_len = 0;
	hcp_error err;

	if (written != NULL)
		*written = 0;
	if (out == NULL)
		return HCP_E_ARG;
	err = hcp_grant_mint(ring, claims, bin, sizeof(bin), &bin_len);
	if (err == HCP_OK && (bin_len * 4 + 2) / 3 > out_cap)
		err = HCP_E_BUFFER;
	if (err == HCP_OK)
		*written = b64url_encode(bin, bin_len, out);
	sodium_memzero(bin, sizeof(bin));
	return err;
}

/* Parses an authenticated grant body (MAC excluded). */
static bool grant_decode(const uint8_t *g, size_t body, hcp_grant_claims *c)
{
	reader r = { g + GRANT_MATCH_AT, g + body };
	size_t match;

	c->issued_at_ms = get64(g + GRANT_ISSUED_AT);
	c->expires_at_ms = get64(g + GRANT_EXPIRES_AT);
	if (!take_u8(&r, &match) || match > HCP_GRANT_PREFIX ||
	    !take_field(&r, 1, HCP_TOKEN_MAX_PRINCIPAL_SIZE, c->principal,
	                &c->principal_len) ||
	    !take_field(&r, 1, HCP_MAX_STREAM_NAME_SIZE, c->stream,
	                &c->stream_len) ||
	    r.p != r.end)
		return false;
	c->match = (hcp_grant_match)match;
	return lifetime_ok(c->issued_at_ms, c->expires_at_ms,
	                   HCP_GRANT_MAX_LIFETIME_MS);
}

static bool grant_covers(const hcp_grant_claims *c, const uint8_t *stream,
                         size_t stream_len)
{
	if (c->match == HCP_GRANT_EXACT && stream_len != c->stream_len)
		return false;
	if (stream_len < c->stream_len)
		return false;
	return memcmp(stream, c->stream, c->stream_len) == 0;
}

/* The binary form of a grant in either form, or why there is none. */
static hcp_error grant_binary(const uint8_t *grant, size_t len, uint8_t *bin,
                              size_t *bin_len)
{
	*bin_len = 0;
	if (len == 0 || len > HCP_MAX_GRANT_SIZE)
		return HCP_E_TOKEN_SIZE;
	if (grant[0] == HCP_GRANT_VERSION) {
		if (len > HCP_GRANT_MAX_BINARY_SIZE)
			return HCP_E_TOKEN_SIZE;
		memcpy(bin, grant, len);
		*bin_len = len;
	} else {
		if (len > HCP_GRANT_MAX_TEXT_SIZE)
			return HCP_E_TOKEN_SIZE;
		/* Neither a known binary version nor canonical text. */
		if (!b64url_decode(grant, len, bin, HCP_GRANT_MAX_BINARY_SIZE,
		                   bin_len))
			return HCP_E_TOKEN_VERSION;
	}
	if (*bin_len < HCP_GRANT_MIN_SIZE)
		return HCP_E_TOKEN_SIZE;
	if (bin[0] != HCP_GRANT_VERSION)
		return HCP_E_TOKEN_VERSION;
	return HCP_OK;
}

static hcp_error grant_authenticate(const hcp_keyring *ring, const uint8_t *bin,
                                    size_t len)
{
	uint8_t mac[HCP_GRANT_MAC_SIZE];
	const hcp_key *key;
	size_t body = len - HCP_GRANT_MAC_SIZE;
	hcp_error err;

	err = ring_opening_key(ring, get32(bin + GRANT_KEY_ID_AT), &key);
	if (err != HCP_OK)
		return err;
	grant_mac(key, bin, body, mac);
	if (sodium_memcmp(mac, bin + body, HCP_GRANT_MAC_SIZE) != 0)
		err = HCP_E_TOKEN_FORGED;
	sodium_memzero(mac, sizeof(mac));
	return err;
}

static hcp_error grant_check(const hcp_keyring *ring,
                             const hcp_grant_check *check,
                             const uint8_t *stream, size_t stream_len,
                             const uint8_t *bin, size_t len,
                             hcp_grant_claims *claims)
{
	hcp_error err;

	err = grant_authenticate(ring, bin, len);
	if (err != HCP_OK)
		return err;
	if (!grant_decode(bin, len - HCP_GRANT_MAC_SIZE, claims))
		return HCP_E_TOKEN_MALFORMED;
	claims->key_id = get32(bin + GRANT_KEY_ID_AT);
	err = check_times(claims->issued_at_ms, claims->expires_at_ms,
	                  check->now_ms, check->skew_ms);
	if (err != HCP_OK)
		return err;
	if (!principal_equal(claims->principal, claims->principal_len,
	                     check->principal, check->principal_len))
		return HCP_E_TOKEN_PRINCIPAL;
	if (!grant_covers(claims, stream, stream_len))
		return HCP_E_GRANT_STREAM;
	return HCP_OK;
}

hcp_error hcp_grant_verify(const hcp_keyring *ring,
                           const hcp_grant_check *check, const uint8_t *stream,
                           size_t stream_len, const uint8_t *grant, size_t len,
                           hcp_grant_claims *claims)
{
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE];
	size_t bin_len = 0;
	hcp_error err;

	if (claims != NULL)
		memset(claims, 0, sizeof(*claims));
	if (ring == NULL || check == NULL || claims == NULL || stream == NULL ||
	    (grant == NULL && len > 0) || check->principal == NULL ||
	    ring->count > HCP_KEYRING_MAX_KEYS || check->principal_len < 1 ||
	    check->principal_len > HCP_TOKEN_MAX_PRINCIPAL_SIZE ||
	    stream_len < 1 || stream_len > HCP_MAX_STREAM_NAME_SIZE ||
	    check->skew_ms > HCP_TOKEN_MAX_SKEW_MS)
		return HCP_E_ARG;

	err = grant_binary(grant, len, bin, &bin_len);
	if (err == HCP_OK)
		err = grant_check(ring, check, stream, stream_len, bin, bin_len,
		                  claims);
	if (err != HCP_OK)
		sodium_memzero(claims, sizeof(*claims));
	sodium_memzero(bin, sizeof(bin));
	return err;
}

uint32_t hcp_grant_reason(hcp_error err)
{
	switch (err) {
	case HCP_E_TOKEN_SIZE:
	case HCP_E_TOKEN_VERSION:
	case HCP_E_TOKEN_KEY_UNKNOWN:
	case HCP_E_TOKEN_KEY_RETIRED:
	case HCP_E_TOKEN_FORGED:
	case HCP_E_TOKEN_MALFORMED:
	case HCP_E_TOKEN_NOT_YET_VALID:
	case HCP_E_TOKEN_PRINCIPAL:
	case HCP_E_GRANT_STREAM:
		return HCP_REASON_GRANT_INVALID;
	case HCP_E_TOKEN_EXPIRED:
		return HCP_REASON_GRANT_EXPIRED;
	default:
		return 0;
	}
}

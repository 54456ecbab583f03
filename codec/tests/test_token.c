/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token.c: cmocka tests of the resume token and grant module
 * (codec/src/token.c) against spec/12-tokens.md.
 *
 * Two kinds of test. The vector tests run every case of
 * conformance/vectors/token_seal.json, token.json, grant_mint.json and
 * grant.json, whose expected bytes and refusal classes come from an
 * independent Python implementation (codec/tests/test_token_crypto.py), so
 * the C code is checked against something it shares nothing with. The unit
 * tests check what data files cannot: key ring states, the replay cache,
 * argument errors, outputs reset on failure, wiping, the refusal reasons,
 * and every bit flip and truncation of tokens the test seals itself, and
 * build their malformed inputs with libsodium directly. Two more tests
 * seal and mint the worked examples of the spec chapter and compare the
 * bytes printed there. Each test names the requirements it covers. The
 * vector folder is the first argument (default conformance/vectors), the
 * chapter the second (default spec/12-tokens.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "hcp/hcp_token.h"

static const char *vectors_dir = "conformance/vectors";
static const char *spec_path = "spec/12-tokens.md";

/* ------------------------------------------------------------------------
 * Fixtures
 * ---------------------------------------------------------------------- */

#define SEAL_ID    0x01020304u
#define OPEN_ID    0x0a0b0c0du
#define RETIRED_ID 0x99u
#define T0         1767225600000ull
#define SKEW       30000u
#define GRACE      10000u

static const uint8_t seal_key[32] = { 1,  2,  3,  4,  5,  6,  7,  8,
	                              9,  10, 11, 12, 13, 14, 15, 16,
	                              17, 18, 19, 20, 21, 22, 23, 24,
	                              25, 26, 27, 28, 29, 30, 31, 32 };
static const uint8_t open_key[32] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6,
	                              0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad,
	                              0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4,
	                              0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb,
	                              0xbc, 0xbd, 0xbe, 0xbf };
static const uint8_t fixed_nonce[24] = {
	'n', 'o', 'n', 'c', 'e', '-', 't', 'e', 's', 't', '-', '0',
	'1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c'
};

static void ring_setup(hcp_keyring *ring)
{
	assert_int_equal(hcp_keyring_init(ring), HCP_OK);
	assert_int_equal(hcp_keyring_add(ring, OPEN_ID, open_key, HCP_KEY_OPEN),
	                 HCP_OK);
	assert_int_equal(hcp_keyring_add(ring, SEAL_ID, seal_key, HCP_KEY_SEAL),
	                 HCP_OK);
	assert_int_equal(
	        hcp_keyring_add(ring, RETIRED_ID, NULL, HCP_KEY_RETIRED),
	        HCP_OK);
}

static void set_bytes(uint8_t *dst, size_t *len, const char *s)
{
	*len = strlen(s);
	memcpy(dst, s, *len);
}

static void add_stream(hcp_token_claims *c, const char *name, uint64_t offset,
                       uint64_t epoch)
{
	hcp_token_stream *s = &c->streams[c->stream_count++];

	set_bytes(s->name, &s->name_len, name);
	s->offset = offset;
	s->epoch = epoch;
}

static void typical_claims(hcp_token_claims *c)
{
	memset(c, 0, sizeof(*c));
	c->issued_at_ms = T0;
	c->expires_at_ms = T0 + 120000;
	set_bytes(c->principal, &c->principal_len, "user:42");
	set_bytes(c->session_id, &c->session_id_len, "session-0001");
	set_bytes(c->context, &c->context_len, "rl:17");
	add_stream(c, "chat/room-1", 100, 1);
	add_stream(c, "presence/42", 0, 7);
}

static hcp_token_check check_at(uint64_t now)
{
	hcp_token_check chk;

	memset(&chk, 0, sizeof(chk));
	chk.now_ms = now;
	chk.skew_ms = SKEW;
	chk.grace_ms = GRACE;
	return chk;
}

static size_t seal_typical(const hcp_keyring *ring, uint8_t *out)
{
	hcp_token_claims c;
	size_t n = 0, sealed = 0;

	typical_claims(&c);
	assert_int_equal(hcp_token_seal(ring, &c, fixed_nonce, out,
	                                HCP_TOKEN_MAX_SIZE, &n, &sealed),
	                 HCP_OK);
	assert_int_equal(sealed, 2);
	return n;
}

/* Seals arbitrary plaintext under a token header with libsodium itself,
 * to make authentic tokens whose claims are malformed. */
static size_t seal_raw(uint8_t version, uint32_t key_id, const uint8_t *key,
                       const uint8_t *pt, size_t pt_len, uint8_t *out)
{
	unsigned long long ct_len = 0;

	out[0] = version;
	out[1] = (uint8_t)(key_id >> 24);
	out[2] = (uint8_t)(key_id >> 16);
	out[3] = (uint8_t)(key_id >> 8);
	out[4] = (uint8_t)key_id;
	memcpy(out + 5, fixed_nonce, 24);
	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_encrypt(
	                         out + 29, &ct_len, pt, pt_len, out, 29, NULL,
	                         out + 5, key),
	                 0);
	return 29 + (size_t)ct_len;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Vector files
 * ---------------------------------------------------------------------- */

/* The class names of spec/12-tokens.md, as the vectors spell them:
 * written here from the spec, not taken from the codec. */
static const char *class_of(hcp_error e)
{
	switch (e) {
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
	case HCP_E_NOMEM:
		return "nomem";
	case HCP_E_ARG:
		return "arg";
	case HCP_E_BUFFER:
		return "buffer";
	default:
		return "other";
	}
}

static json_t *load_vectors(const char *name, const char *kind)
{
	char path[512];
	json_error_t jerr;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/%s", vectors_dir, name);
	doc = json_load_file(path, 0, &jerr);
	if (doc == NULL)
		fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
	assert_string_equal(json_string_value(json_object_get(doc, "kind")),
	                    kind);
	return doc;
}

static json_t *in_value(json_t *t, const char *field)
{
	return json_object_get(json_object_get(t, "input"), field);
}

/* A {"hex": ...} value into buf; false when absent or malformed. */
static bool hex_value(json_t *v, uint8_t *buf, size_t cap, size_t *len)
{
	const char *s = json_string_value(json_object_get(v, "hex"));
	size_t n;

	*len = 0;
	if (s == NULL)
		return false;
	n = strlen(s);
	if (n % 2 != 0 || n / 2 > cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;

		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			return false;
		buf[i] = (uint8_t)b;
	}
	*len = n / 2;
	return true;
}

static uint64_t uint_value(json_t *v)
{
	json_t *u = json_object_get(v, "uint");

	if (json_is_string(u))
		return strtoull(json_string_value(u), NULL, 10);
	return (uint64_t)json_integer_value(u);
}

static json_t *list_value(json_t *v)
{
	return json_object_get(v, "list");
}

static void ring_from(json_t *keys, hcp_keyring *ring)
{
	size_t i;
	json_t *k;

	assert_int_equal(hcp_keyring_init(ring), HCP_OK);
	json_array_foreach(list_value(keys), i, k)
	{
		json_t *parts = list_value(k);
		const char *st = json_string_value(
		        json_object_get(json_array_get(parts, 1), "str"));
		uint8_t material[64];
		size_t len;
		hcp_key_state state = HCP_KEY_RETIRED;

		if (strcmp(st, "seal") == 0)
			state = HCP_KEY_SEAL;
		else if (strcmp(st, "open") == 0)
			state = HCP_KEY_OPEN;
		assert_true(hex_value(json_array_get(parts, 2), material,
		                      sizeof(material), &len));
		assert_int_equal(
		        hcp_keyring_add(
		                ring,
		                (uint32_t)uint_value(json_array_get(parts, 0)),
		                len == 32 ? material : NULL, state),
		        HCP_OK);
	}
}

static bool hex_equal(json_t *v, const uint8_t *b, size_t len)
{
	uint8_t buf[HCP_TOKEN_MAX_SIZE];
	size_t n;

	return hex_value(v, buf, sizeof(buf), &n) && n == len &&
	       memcmp(buf, b, n) == 0;
}

static bool streams_equal(json_t *v, const hcp_token_claims *c)
{
	json_t *l = list_value(v);

	if (json_array_size(l) != c->stream_count)
		return false;
	for (size_t i = 0; i < c->stream_count; i++) {
		json_t *p = list_value(json_array_get(l, i));

		if (!hex_equal(json_array_get(p, 0), c->streams[i].name,
		               c->streams[i].name_len) ||
		    uint_value(json_array_get(p, 1)) != c->streams[i].offset ||
		    uint_value(json_array_get(p, 2)) != c->streams[i].epoch)
			return false;
	}
	return true;
}

static bool claims_equal(json_t *out, const hcp_token_claims *c,
                         bool within_grace)
{
	return uint_value(json_object_get(out, "key_id")) == c->key_id &&
	       uint_value(json_object_get(out, "issued_at_ms")) ==
	               c->issued_at_ms &&
	       uint_value(json_object_get(out, "expires_at_ms")) ==
	               c->expires_at_ms &&
	       hex_equal(json_object_get(out, "principal"), c->principal,
	                 c->principal_len) &&
	       hex_equal(json_object_get(out, "session_id"), c->session_id,
	                 c->session_id_len) &&
	       hex_equal(json_object_get(out, "context"), c->context,
	                 c->context_len) &&
	       uint_value(json_object_get(out, "streams_omitted")) ==
	               c->streams_omitted &&
	       streams_equal(json_object_get(out, "streams"), c) &&
	       json_is_true(json_object_get(
	               json_object_get(out, "within_grace"), "bool")) ==
	               within_grace;
}

/* Reports one failed vector and counts it. */
static void vector_failed(int *failures, json_t *t, const char *what)
{
	if (*failures < 20)
		print_message("vector %s: %s\n",
		              json_string_value(json_object_get(t, "id")),
		              what);
	(*failures)++;
}

/* Calls fn on every test of a file; fails the test if any vector fails
 * or the file holds none. */
static void each_vector(json_t *doc, void (*fn)(json_t *t, int *failures))
{
	size_t gi, ti, count = 0;
	json_t *g, *t;
	int failures = 0;

	json_array_foreach(json_object_get(doc, "testGroups"), gi, g)
	{
		json_array_foreach(json_object_get(g, "tests"), ti, t)
		{
			fn(t, &failures);
			count++;
		}
	}
	assert_true(count > 0);
	assert_int_equal(count, (size_t)json_integer_value(
	                                json_object_get(doc, "numberOfTests")));
	assert_int_equal(failures, 0);
}

static void claims_from(json_t *t, hcp_token_claims *c)
{
	size_t i;
	json_t *s;

	memset(c, 0, sizeof(*c));
	c->issued_at_ms = uint_value(in_value(t, "issued_at_ms"));
	c->expires_at_ms = uint_value(in_value(t, "expires_at_ms"));
	assert_true(hex_value(in_value(t, "principal"), c->principal,
	                      sizeof(c->principal), &c->principal_len));
	assert_true(hex_value(in_value(t, "session_id"), c->session_id,
	                      sizeof(c->session_id), &c->session_id_len));
	assert_true(hex_value(in_value(t, "context"), c->context,
	                      sizeof(c->context), &c->context_len));
	c->streams_omitted =
	        (uint32_t)uint_value(in_value(t, "streams_omitted"));
	json_array_foreach(list_value(in_value(t, "streams")), i, s)
	{
		json_t *p = list_value(s);
		hcp_token_stream *st = &c->streams[c->stream_count++];

		assert_true(hex_value(json_array_get(p, 0), st->name,
		                      sizeof(st->name), &st->name_len));
		st->offset = uint_value(json_array_get(p, 1));
		st->epoch = uint_value(json_array_get(p, 2));
	}
}

static void seal_vector(json_t *t, int *failures)
{
	hcp_keyring ring;
	hcp_token_claims c;
	uint8_t nonce[24], out[HCP_TOKEN_MAX_SIZE];
	size_t nlen, n = 0, sealed = 0;
	json_t *want = json_object_get(t, "output");

	ring_from(in_value(t, "keys"), &ring);
	claims_from(t, &c);
	assert_true(hex_value(in_value(t, "nonce"), nonce, 24, &nlen));
	if (hcp_token_seal(&ring, &c, nonce, out, sizeof(out), &n, &sealed) !=
	    HCP_OK)
		vector_failed(failures, t, "seal refused");
	else if (!hex_equal(json_object_get(want, "token"), out, n))
		vector_failed(failures, t, "token bytes differ");
	else if (uint_value(json_object_get(want, "streams_sealed")) != sealed)
		vector_failed(failures, t, "streams_sealed differs");
	hcp_keyring_wipe(&ring);
}

static void open_vector(json_t *t, int *failures)
{
	hcp_keyring ring;
	hcp_replay_slot slots[64];
	hcp_replay cache;
	hcp_token_check chk;
	hcp_token_claims c;
	uint8_t token[HCP_TOKEN_MAX_SIZE + 8], principal[256];
	size_t len, plen, i;
	json_t *use;
	bool within = false;
	hcp_error err;
	const char *want = json_string_value(json_object_get(t, "errorClass"));

	ring_from(in_value(t, "keys"), &ring);
	assert_int_equal(hcp_replay_init(&cache, slots, 64), HCP_OK);
	assert_true(
	        hex_value(in_value(t, "token"), token, sizeof(token), &len));
	chk = check_at(0);
	chk.skew_ms = (uint32_t)uint_value(in_value(t, "skew_ms"));
	chk.grace_ms = (uint32_t)uint_value(in_value(t, "grace_ms"));
	chk.replay = &cache;
	if (in_value(t, "principal") != NULL) {
		assert_true(hex_value(in_value(t, "principal"), principal,
		                      sizeof(principal), &plen));
		chk.principal = principal;
		chk.principal_len = plen;
	}
	json_array_foreach(list_value(in_value(t, "prior_uses")), i, use)
	{
		chk.now_ms = uint_value(use);
		if (hcp_token_open(&ring, &chk, token, len, &c, &within) !=
		    HCP_OK)
			vector_failed(failures, t, "a prior use was refused");
	}
	chk.now_ms = uint_value(in_value(t, "now_ms"));
	err = hcp_token_open(&ring, &chk, token, len, &c, &within);
	if (want != NULL && strcmp(class_of(err), want) != 0)
		vector_failed(failures, t, class_of(err));
	else if (want == NULL && err != HCP_OK)
		vector_failed(failures, t, class_of(err));
	else if (want == NULL &&
	         !claims_equal(json_object_get(t, "output"), &c, within))
		vector_failed(failures, t, "claims differ");
	else if (want != NULL && !all_zero(&c, sizeof(c)))
		vector_failed(failures, t, "claims not cleared on refusal");
	hcp_keyring_wipe(&ring);
}

static void grant_claims_from(json_t *t, hcp_grant_claims *c)
{
	memset(c, 0, sizeof(*c));
	c->issued_at_ms = uint_value(in_value(t, "issued_at_ms"));
	c->expires_at_ms = uint_value(in_value(t, "expires_at_ms"));
	c->match = (hcp_grant_match)uint_value(in_value(t, "match"));
	assert_true(hex_value(in_value(t, "principal"), c->principal,
	                      sizeof(c->principal), &c->principal_len));
	assert_true(hex_value(in_value(t, "stream"), c->stream,
	                      sizeof(c->stream), &c->stream_len));
}

static void mint_vector(json_t *t, int *failures)
{
	hcp_keyring ring;
	hcp_grant_claims c;
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE], text[HCP_GRANT_MAX_TEXT_SIZE];
	size_t n = 0, tn = 0;
	json_t *want = json_object_get(t, "output");
	const char *want_text;

	ring_from(in_value(t, "keys"), &ring);
	grant_claims_from(t, &c);
	want_text = json_string_value(
	        json_object_get(json_object_get(want, "text"), "str"));
	if (hcp_grant_mint(&ring, &c, bin, sizeof(bin), &n) != HCP_OK ||
	    hcp_grant_mint_text(&ring, &c, text, sizeof(text), &tn) != HCP_OK)
		vector_failed(failures, t, "mint refused");
	else if (!hex_equal(json_object_get(want, "grant"), bin, n))
		vector_failed(failures, t, "grant bytes differ");
	else if (tn != strlen(want_text) || memcmp(text, want_text, tn) != 0)
		vector_failed(failures, t, "text form differs");
	hcp_keyring_wipe(&ring);
}

static void verify_vector(json_t *t, int *failures)
{
	hcp_keyring ring;
	hcp_grant_check chk;
	hcp_grant_claims c;
	uint8_t grant[HCP_MAX_GRANT_SIZE + 8], principal[256], stream[256];
	size_t len, plen, slen;
	hcp_error err;
	json_t *out = json_object_get(t, "output");
	const char *want = json_string_value(json_object_get(t, "errorClass"));

	ring_from(in_value(t, "keys"), &ring);
	assert_true(
	        hex_value(in_value(t, "grant"), grant, sizeof(grant), &len));
	assert_true(hex_value(in_value(t, "principal"), principal,
	                      sizeof(principal), &plen));
	assert_true(hex_value(in_value(t, "stream"), stream, sizeof(stream),
	                      &slen));
	memset(&chk, 0, sizeof(chk));
	chk.now_ms = uint_value(in_value(t, "now_ms"));
	chk.skew_ms = (uint32_t)uint_value(in_value(t, "skew_ms"));
	chk.principal = principal;
	chk.principal_len = plen;
	err = hcp_grant_verify(&ring, &chk, stream, slen, grant, len, &c);
	if (want != NULL && strcmp(class_of(err), want) != 0)
		vector_failed(failures, t, class_of(err));
	else if (want == NULL && err != HCP_OK)
		vector_failed(failures, t, class_of(err));
	else if (want == NULL &&
	         (uint_value(json_object_get(out, "key_id")) != c.key_id ||
	          uint_value(json_object_get(out, "issued_at_ms")) !=
	                  c.issued_at_ms ||
	          uint_value(json_object_get(out, "expires_at_ms")) !=
	                  c.expires_at_ms ||
	          uint_value(json_object_get(out, "match")) !=
	                  (uint64_t)c.match ||
	          !hex_equal(json_object_get(out, "principal"), c.principal,
	                     c.principal_len) ||
	          !hex_equal(json_object_get(out, "stream"), c.stream,
	                     c.stream_len)))
		vector_failed(failures, t, "claims differ");
	else if (want != NULL && !all_zero(&c, sizeof(c)))
		vector_failed(failures, t, "claims not cleared on refusal");
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-10] [HCP-TOKEN-11] [HCP-TOKEN-12] [HCP-TOKEN-14]: known
 * answers of the construction, from the independent implementation. */
static void test_vectors_token_seal(void **state)
{
	json_t *doc = load_vectors("token_seal.json", "token.seal");

	(void)state;
	each_vector(doc, seal_vector);
	json_decref(doc);
}

/* [HCP-TOKEN-16] [HCP-TOKEN-18] [HCP-TOKEN-19] [HCP-TOKEN-21]
 * [HCP-TOKEN-23]: every opening and refusal vector, including every
 * truncation and bit flip of the minimal token and replays. */
static void test_vectors_token_open(void **state)
{
	json_t *doc = load_vectors("token.json", "token.open");

	(void)state;
	each_vector(doc, open_vector);
	json_decref(doc);
}

/* [HCP-GRANT-1] [HCP-GRANT-2]: known answers, binary and text form. */
static void test_vectors_grant_mint(void **state)
{
	json_t *doc = load_vectors("grant_mint.json", "grant.mint");

	(void)state;
	each_vector(doc, mint_vector);
	json_decref(doc);
}

/* [HCP-GRANT-6] [HCP-GRANT-7] [HCP-GRANT-9] [HCP-GRANT-10]: every
 * verification and refusal vector. */
static void test_vectors_grant_verify(void **state)
{
	json_t *doc = load_vectors("grant.json", "grant.verify");

	(void)state;
	each_vector(doc, verify_vector);
	json_decref(doc);
}

/* ------------------------------------------------------------------------
 * Key ring
 * ---------------------------------------------------------------------- */

/* [HCP-TOKEN-3] [HCP-TOKEN-4]: one sealing key, unique ids, bounded. */
static void test_keyring_rules(void **state)
{
	hcp_keyring ring;
	uint8_t k[32] = { 0 };

	(void)state;
	assert_int_equal(hcp_keyring_init(NULL), HCP_E_ARG);
	assert_int_equal(hcp_keyring_init(&ring), HCP_OK);
	assert_int_equal(hcp_keyring_add(&ring, 1, NULL, HCP_KEY_OPEN),
	                 HCP_E_ARG);
	assert_int_equal(hcp_keyring_add(&ring, 1, k, (hcp_key_state)0),
	                 HCP_E_ARG);
	for (uint32_t i = 0; i < HCP_KEYRING_MAX_KEYS; i++) {
		k[0] = (uint8_t)i;
		assert_int_equal(
		        hcp_keyring_add(&ring, 100 + i, k, HCP_KEY_SEAL),
		        HCP_OK);
	}
	assert_int_equal(hcp_keyring_add(&ring, 100, k, HCP_KEY_OPEN),
	                 HCP_E_ARG);
	assert_int_equal(hcp_keyring_add(&ring, 999, k, HCP_KEY_OPEN),
	                 HCP_E_NOMEM);
	/* Each add in state SEAL demoted the one before: one sealer. */
	for (size_t i = 0; i < ring.count; i++)
		assert_int_equal(ring.keys[i].state, i + 1 == ring.count
		                                             ? HCP_KEY_SEAL
		                                             : HCP_KEY_OPEN);
	assert_int_equal(hcp_keyring_set_state(&ring, 100, HCP_KEY_SEAL),
	                 HCP_OK);
	assert_int_equal(ring.keys[0].state, HCP_KEY_SEAL);
	assert_int_equal(ring.keys[ring.count - 1].state, HCP_KEY_OPEN);
	assert_int_equal(hcp_keyring_set_state(&ring, 5, HCP_KEY_OPEN),
	                 HCP_E_TOKEN_KEY_UNKNOWN);
	assert_int_equal(hcp_keyring_remove(&ring, 5), HCP_E_TOKEN_KEY_UNKNOWN);
	assert_int_equal(hcp_keyring_remove(&ring, 103), HCP_OK);
	assert_int_equal(ring.count, HCP_KEYRING_MAX_KEYS - 1);
	assert_int_equal(hcp_keyring_set_state(&ring, 103, HCP_KEY_OPEN),
	                 HCP_E_TOKEN_KEY_UNKNOWN);
	hcp_keyring_wipe(&ring);
	assert_true(all_zero(&ring, sizeof(ring)));
	hcp_keyring_wipe(NULL);
}

/* [HCP-TOKEN-8] [HCP-TOKEN-9]: retiring wipes the material at once,
 * keeps the id, and cannot be undone. */
static void test_keyring_retire_wipes(void **state)
{
	hcp_keyring ring;
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	assert_int_equal(hcp_keyring_set_state(&ring, SEAL_ID, HCP_KEY_RETIRED),
	                 HCP_OK);
	for (size_t i = 0; i < ring.count; i++) {
		if (ring.keys[i].id == SEAL_ID)
			assert_true(all_zero(ring.keys[i].material, 32));
	}
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_TOKEN_KEY_RETIRED);
	assert_int_equal(hcp_keyring_set_state(&ring, SEAL_ID, HCP_KEY_OPEN),
	                 HCP_E_ARG);
	assert_int_equal(hcp_keyring_set_state(&ring, SEAL_ID, HCP_KEY_SEAL),
	                 HCP_E_ARG);
	/* Removed, the same id is unknown rather than retired. */
	assert_int_equal(hcp_keyring_remove(&ring, SEAL_ID), HCP_OK);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_TOKEN_KEY_UNKNOWN);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-5] [HCP-TOKEN-6]: the three steps of a rotation; tokens of
 * the previous sealing key keep opening while it is open. */
static void test_rotation(void **state)
{
	hcp_keyring ring;
	uint8_t old_tok[HCP_TOKEN_MAX_SIZE], new_tok[HCP_TOKEN_MAX_SIZE];
	uint8_t next_key[32];
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	size_t n_old, n_new;

	(void)state;
	ring_setup(&ring);
	memset(next_key, 0x5a, sizeof(next_key));
	n_old = seal_typical(&ring, old_tok);
	assert_int_equal(hcp_keyring_add(&ring, 0x77, next_key, HCP_KEY_OPEN),
	                 HCP_OK);
	/* Step 1: distributed in state open, it does not seal yet. */
	n_new = seal_typical(&ring, new_tok);
	assert_memory_equal(new_tok + 1, "\x01\x02\x03\x04", 4);
	assert_int_equal(hcp_keyring_set_state(&ring, 0x77, HCP_KEY_SEAL),
	                 HCP_OK);
	n_new = seal_typical(&ring, new_tok);
	assert_memory_equal(new_tok + 1, "\x00\x00\x00\x77", 4);
	assert_int_equal(hcp_token_open(&ring, &chk, old_tok, n_old, &c, NULL),
	                 HCP_OK);
	assert_int_equal(c.key_id, SEAL_ID);
	assert_int_equal(hcp_token_open(&ring, &chk, new_tok, n_new, &c, NULL),
	                 HCP_OK);
	assert_int_equal(c.key_id, 0x77);
	assert_int_equal(hcp_keyring_set_state(&ring, SEAL_ID, HCP_KEY_RETIRED),
	                 HCP_OK);
	assert_int_equal(hcp_token_open(&ring, &chk, old_tok, n_old, &c, NULL),
	                 HCP_E_TOKEN_KEY_RETIRED);
	hcp_keyring_wipe(&ring);
}

/* ------------------------------------------------------------------------
 * Resume tokens
 * ---------------------------------------------------------------------- */

/* [HCP-TOKEN-10] [HCP-TOKEN-16]: seal then open gives back every claim;
 * the header is version, key id, nonce. */
static void test_token_round_trip(void **state)
{
	hcp_keyring ring;
	hcp_token_claims in, out;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	bool within = true;
	size_t n;

	(void)state;
	ring_setup(&ring);
	typical_claims(&in);
	n = seal_typical(&ring, token);
	assert_int_equal(n, 29 + 16 + 16 + 1 + 7 + 1 + 12 + 1 + 5 + 2 +
	                            (17 + 11) + (17 + 11));
	assert_int_equal(token[0], 1);
	assert_memory_equal(token + 5, fixed_nonce, 24);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &out, &within),
	                 HCP_OK);
	assert_false(within);
	in.key_id = SEAL_ID;
	assert_memory_equal(&in, &out, sizeof(in));
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-11]: seal_random draws a fresh nonce every time. */
static void test_token_seal_random(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t a[HCP_TOKEN_MAX_SIZE], b[HCP_TOKEN_MAX_SIZE];
	size_t na, nb;

	(void)state;
	ring_setup(&ring);
	typical_claims(&c);
	assert_int_equal(
	        hcp_token_seal_random(&ring, &c, a, sizeof(a), &na, NULL),
	        HCP_OK);
	assert_int_equal(
	        hcp_token_seal_random(&ring, &c, b, sizeof(b), &nb, NULL),
	        HCP_OK);
	assert_int_equal(na, nb);
	assert_memory_not_equal(a + 5, b + 5, 24);
	assert_int_equal(hcp_token_open(&ring, &chk, a, na, &c, NULL), HCP_OK);
	assert_int_equal(hcp_token_open(&ring, &chk, b, nb, &c, NULL), HCP_OK);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-12]: claims outside their bounds are not sealed, and a
 * failed seal writes nothing. */
static void test_token_seal_refuses(void **state)
{
	hcp_keyring ring, empty;
	hcp_token_claims c;
	uint8_t out[HCP_TOKEN_MAX_SIZE];
	size_t n = 99, sealed = 99;

	(void)state;
	ring_setup(&ring);
	assert_int_equal(hcp_keyring_init(&empty), HCP_OK);
	typical_claims(&c);
	assert_int_equal(hcp_token_seal(&empty, &c, fixed_nonce, out,
	                                sizeof(out), &n, &sealed),
	                 HCP_E_TOKEN_KEY_UNKNOWN);
	assert_int_equal(n, 0);
	assert_int_equal(sealed, 0);
	assert_int_equal(hcp_token_seal(NULL, &c, fixed_nonce, out, sizeof(out),
	                                &n, NULL),
	                 HCP_E_ARG);
	assert_int_equal(
	        hcp_token_seal(&ring, &c, NULL, out, sizeof(out), &n, NULL),
	        HCP_E_ARG);
	assert_int_equal(
	        hcp_token_seal(&ring, &c, fixed_nonce, out, 100, &n, NULL),
	        HCP_E_BUFFER);
	assert_int_equal(n, 0);

#define REFUSED(mutation)                                                    \
	do {                                                                 \
		typical_claims(&c);                                          \
		mutation;                                                    \
		assert_int_equal(hcp_token_seal(&ring, &c, fixed_nonce, out, \
		                                sizeof(out), &n, NULL),      \
		                 HCP_E_ARG);                                 \
		assert_int_equal(n, 0);                                      \
	} while (0)
	REFUSED(c.principal_len = 0);
	REFUSED(c.principal_len = HCP_TOKEN_MAX_PRINCIPAL_SIZE + 1);
	REFUSED(c.session_id_len = 0);
	REFUSED(c.session_id_len = HCP_MAX_SESSION_ID_SIZE + 1);
	REFUSED(c.context_len = HCP_TOKEN_MAX_CONTEXT_SIZE + 1);
	REFUSED(c.streams_omitted = 256);
	REFUSED(c.stream_count = HCP_MAX_RESUME_STREAMS + 1);
	REFUSED(c.streams[1].name_len = 0);
	REFUSED(c.streams[1].name_len = HCP_MAX_STREAM_NAME_SIZE + 1);
	REFUSED(c.expires_at_ms = c.issued_at_ms);
	REFUSED(c.expires_at_ms = c.issued_at_ms - 1);
	REFUSED(c.expires_at_ms =
	                c.issued_at_ms + HCP_TOKEN_MAX_LIFETIME_MS + 1);
	REFUSED(add_stream(&c, "chat/room-1", 5, 5));
#undef REFUSED
	typical_claims(&c);
	c.expires_at_ms = c.issued_at_ms + HCP_TOKEN_MAX_LIFETIME_MS;
	assert_int_equal(hcp_token_seal(&ring, &c, fixed_nonce, out,
	                                sizeof(out), &n, NULL),
	                 HCP_OK);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-14]: streams past 1024 bytes are left out from the end and
 * counted; the result is never over the bound. */
static void test_token_streams_do_not_fit(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c, out;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	size_t n, sealed;
	char name[HCP_MAX_STREAM_NAME_SIZE + 1];

	(void)state;
	ring_setup(&ring);
	for (size_t len = 1; len <= HCP_MAX_STREAM_NAME_SIZE; len += 9) {
		typical_claims(&c);
		c.stream_count = 0;
		c.streams_omitted = 3;
		for (int i = 0; i < HCP_MAX_RESUME_STREAMS; i++) {
			memset(name, 'a' + i, len);
			name[len] = '\0';
			add_stream(&c, name, (uint64_t)i, 1);
		}
		assert_int_equal(hcp_token_seal(&ring, &c, fixed_nonce, token,
		                                sizeof(token), &n, &sealed),
		                 HCP_OK);
		assert_true(n <= HCP_TOKEN_MAX_SIZE);
		/* One more stream would not have fitted. */
		if (sealed < HCP_MAX_RESUME_STREAMS)
			assert_true(n + 17 + len > HCP_TOKEN_MAX_SIZE);
		assert_int_equal(
		        hcp_token_open(&ring, &chk, token, n, &out, NULL),
		        HCP_OK);
		assert_int_equal(out.stream_count, sealed);
		assert_int_equal(out.streams_omitted,
		                 3 + HCP_MAX_RESUME_STREAMS - sealed);
		for (size_t i = 0; i < sealed; i++) {
			assert_int_equal(out.streams[i].name_len, len);
			assert_memory_equal(out.streams[i].name,
			                    c.streams[i].name, len);
			assert_int_equal(out.streams[i].offset, i);
		}
	}
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-16] [HCP-TOKEN-17] [HCP-RESUME-17]: every refusal reason,
 * each with its own code, and the ResumeResult reason for it; nothing of
 * the claims comes out of a refusal (they are zeroed). */
static void test_token_refusals(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c, bad;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t token[HCP_TOKEN_MAX_SIZE + 1], raw[HCP_TOKEN_MAX_SIZE];
	uint8_t pt[64] = { 0 };
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);

#define OPEN_GIVES(tok, len, want, reason)                                   \
	do {                                                                 \
		memset(&c, 0xa5, sizeof(c));                                 \
		assert_int_equal(                                            \
		        hcp_token_open(&ring, &chk, (tok), (len), &c, NULL), \
		        (want));                                             \
		assert_true(all_zero(&c, sizeof(c)));                        \
		assert_int_equal(hcp_token_reason(want), (reason));          \
	} while (0)

	OPEN_GIVES(token, 0, HCP_E_TOKEN_SIZE, HCP_REASON_RESUME_TOKEN_INVALID);
	OPEN_GIVES(NULL, 0, HCP_E_TOKEN_SIZE, HCP_REASON_RESUME_TOKEN_INVALID);
	OPEN_GIVES(token, HCP_TOKEN_MIN_SIZE - 1, HCP_E_TOKEN_SIZE,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	OPEN_GIVES(token, HCP_TOKEN_MAX_SIZE + 1, HCP_E_TOKEN_SIZE,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	token[0] = 2;
	OPEN_GIVES(token, n, HCP_E_TOKEN_VERSION,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	token[0] = 1;
	memcpy(raw, token, n);
	raw[4] ^= 0x40;
	OPEN_GIVES(raw, n, HCP_E_TOKEN_KEY_UNKNOWN,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	memcpy(raw + 1, "\x00\x00\x00\x99", 4);
	OPEN_GIVES(raw, n, HCP_E_TOKEN_KEY_RETIRED,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	memcpy(raw, token, n);
	raw[n - 1] ^= 1;
	OPEN_GIVES(raw, n, HCP_E_TOKEN_FORGED, HCP_REASON_RESUME_TOKEN_INVALID);
	/* The open key's id on a token of the sealing key: forged. */
	memcpy(raw, token, n);
	memcpy(raw + 1, "\x0a\x0b\x0c\x0d", 4);
	OPEN_GIVES(raw, n, HCP_E_TOKEN_FORGED, HCP_REASON_RESUME_TOKEN_INVALID);
	/* Authentic but all zero: principal length 0. */
	OPEN_GIVES(raw, seal_raw(1, SEAL_ID, seal_key, pt, 23, raw),
	           HCP_E_TOKEN_MALFORMED, HCP_REASON_RESUME_TOKEN_INVALID);

	chk = check_at(T0 + 120000);
	OPEN_GIVES(token, n, HCP_E_TOKEN_EXPIRED,
	           HCP_REASON_RESUME_TOKEN_EXPIRED);
	chk = check_at(T0 - SKEW - 1);
	OPEN_GIVES(token, n, HCP_E_TOKEN_NOT_YET_VALID,
	           HCP_REASON_RESUME_TOKEN_INVALID);
	chk = check_at(T0 + 1);
	chk.principal = (const uint8_t *)"user:43";
	chk.principal_len = 7;
	OPEN_GIVES(token, n, HCP_E_TOKEN_PRINCIPAL,
	           HCP_REASON_RESUME_PRINCIPAL_MISMATCH);
	chk.principal_len = 6;
	OPEN_GIVES(token, n, HCP_E_TOKEN_PRINCIPAL,
	           HCP_REASON_RESUME_PRINCIPAL_MISMATCH);
	chk.principal = (const uint8_t *)"user:42";
	chk.principal_len = 7;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &bad, NULL),
	                 HCP_OK);
#undef OPEN_GIVES
	assert_int_equal(hcp_token_reason(HCP_E_TOKEN_REUSED),
	                 HCP_REASON_RESUME_TOKEN_REUSED);
	assert_int_equal(hcp_token_reason(HCP_E_NOMEM), HCP_REASON_OVERLOADED);
	assert_int_equal(hcp_token_reason(HCP_OK), 0);
	assert_int_equal(hcp_token_reason(HCP_E_GRANT_STREAM), 0);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-18] [HCP-TOKEN-19]: no tolerance on expiry; issue times up
 * to the skew ahead; the skew and grace arguments are bounded. */
static void test_token_time_edges(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk;
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	chk = check_at(T0 + 120000 - 1);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_OK);
	chk.skew_ms = HCP_TOKEN_MAX_SKEW_MS;
	chk.now_ms = T0 + 120000;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_TOKEN_EXPIRED);
	chk = check_at(T0 - SKEW);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_OK);
	chk.skew_ms = 0;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_TOKEN_NOT_YET_VALID);
	chk.now_ms = T0;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_OK);
	chk.skew_ms = HCP_TOKEN_MAX_SKEW_MS + 1;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_ARG);
	chk = check_at(T0);
	chk.grace_ms = HCP_TOKEN_MAX_GRACE_MS + 1;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_ARG);
	assert_int_equal(hcp_token_open(NULL, &chk, token, n, &c, NULL),
	                 HCP_E_ARG);
	assert_int_equal(hcp_token_open(&ring, NULL, token, n, &c, NULL),
	                 HCP_E_ARG);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, NULL, NULL),
	                 HCP_E_ARG);
	assert_int_equal(hcp_token_open(&ring, &chk, NULL, n, &c, NULL),
	                 HCP_E_ARG);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-16]: every single-bit flip of a sealed token is refused,
 * with the code of the part it hits. */
static void test_token_every_bit_flip(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t token[HCP_TOKEN_MAX_SIZE], t[HCP_TOKEN_MAX_SIZE];
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	for (size_t bit = 0; bit < n * 8; bit++) {
		hcp_error want = HCP_E_TOKEN_FORGED;
		hcp_error got;

		memcpy(t, token, n);
		t[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
		if (bit < 8)
			want = HCP_E_TOKEN_VERSION;
		else if (bit < 40)
			want = HCP_E_TOKEN_KEY_UNKNOWN;
		got = hcp_token_open(&ring, &chk, t, n, &c, NULL);
		if (got != want)
			fail_msg("bit %zu: got %d, want %d", bit, got, want);
	}
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-16]: every truncation of a sealed token is refused:
 * token_size below 68 bytes, token_forged from there. */
static void test_token_every_truncation(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	for (size_t len = 0; len < n; len++) {
		/* A copy of exactly len bytes, so ASan sees any overread. */
		uint8_t *t = malloc(len > 0 ? len : 1);

		assert_non_null(t);
		memcpy(t, token, len);
		assert_int_equal(hcp_token_open(&ring, &chk, t, len, &c, NULL),
		                 len < HCP_TOKEN_MIN_SIZE ? HCP_E_TOKEN_SIZE
		                                          : HCP_E_TOKEN_FORGED);
		free(t);
	}
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-12] [HCP-TOKEN-16]: authentic claims that break the layout,
 * built here byte by byte and sealed with libsodium directly. */
static void test_token_malformed_claims(void **state)
{
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk = check_at(T0 + 1);
	uint8_t raw[HCP_TOKEN_MAX_SIZE];
	/* issued T0, expires T0 + 1000, "u", "s", no context, none
	 * omitted, one stream "a" at 1/1. */
	uint8_t good[41] = { 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda, 0xa8,
		             0x00, 0x00, 0x00, 0x01, 0x9b, 0x76, 0xda,
		             0xab, 0xe8, 1,    'u',  1,    's',  0,
		             0,    1,    1,    'a',  0,    0,    0,
		             0,    0,    0,    0,    1,    0,    0,
		             0,    0,    0,    0,    0,    1 };
	uint8_t pt[64];
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_raw(1, SEAL_ID, seal_key, good, sizeof(good), raw);
	assert_int_equal(hcp_token_open(&ring, &chk, raw, n, &c, NULL), HCP_OK);
	assert_int_equal(c.expires_at_ms, T0 + 1000);

#define MALFORMED(len, mutation)                                       \
	do {                                                           \
		memcpy(pt, good, sizeof(good));                        \
		mutation;                                              \
		n = seal_raw(1, SEAL_ID, seal_key, pt, (len), raw);    \
		assert_int_equal(                                      \
		        hcp_token_open(&ring, &chk, raw, n, &c, NULL), \
		        HCP_E_TOKEN_MALFORMED);                        \
	} while (0)
	MALFORMED(sizeof(good) + 1, pt[41] = 0);        /* trailing byte */
	MALFORMED(sizeof(good) - 1, (void)0);           /* cut in a stream */
	MALFORMED(sizeof(good), pt[16] = 0);            /* principal 0 */
	MALFORMED(sizeof(good), pt[16] = 129);          /* principal 129 */
	MALFORMED(sizeof(good), pt[18] = 0);            /* session 0 */
	MALFORMED(sizeof(good), pt[20] = 65);           /* context 65 */
	MALFORMED(sizeof(good), pt[22] = 17);           /* 17 streams */
	MALFORMED(sizeof(good), pt[22] = 2);            /* count past end */
	MALFORMED(sizeof(good), pt[23] = 0);            /* stream name 0 */
	MALFORMED(sizeof(good), pt[11] = 0x00);         /* expires < issued */
	MALFORMED(sizeof(good), memcpy(pt + 8, pt, 8)); /* expires = issued */
	/* Two streams of the same name. */
	MALFORMED(sizeof(good) + 18,
	          (pt[22] = 2, memcpy(pt + 41, good + 23, 18)));
#undef MALFORMED
	/* The same two streams with distinct names open. */
	memcpy(pt, good, sizeof(good));
	pt[22] = 2;
	memcpy(pt + 41, good + 23, 18);
	pt[42] = 'b';
	n = seal_raw(1, SEAL_ID, seal_key, pt, sizeof(good) + 18, raw);
	assert_int_equal(hcp_token_open(&ring, &chk, raw, n, &c, NULL), HCP_OK);
	assert_int_equal(c.stream_count, 2);
	hcp_keyring_wipe(&ring);
}

/* ------------------------------------------------------------------------
 * Single use and the replay cache
 * ---------------------------------------------------------------------- */

/* [HCP-TOKEN-23] [HCP-TOKEN-25]: a second
 * use inside the grace window is accepted and marked; after it, refused;
 * a refused open records nothing. */
static void test_token_replay(void **state)
{
	hcp_keyring ring;
	hcp_replay_slot slots[8];
	hcp_replay cache;
	hcp_token_claims c;
	hcp_token_check chk;
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	bool within = true;
	size_t n;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	assert_int_equal(hcp_replay_init(&cache, slots, 8), HCP_OK);
	chk = check_at(T0 + 1000);
	chk.replay = &cache;
	/* A refusal before step 10 does not count as a use. */
	chk.principal = (const uint8_t *)"other";
	chk.principal_len = 5;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_E_TOKEN_PRINCIPAL);
	chk.principal = NULL;
	chk.now_ms = T0 + 2000;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_OK);
	assert_false(within);
	chk.now_ms = T0 + 2000 + GRACE - 1;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_OK);
	assert_true(within);
	chk.now_ms = T0 + 2000 + GRACE;
	memset(&c, 0xff, sizeof(c));
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_E_TOKEN_REUSED);
	assert_false(within);
	assert_true(all_zero(&c, sizeof(c)));
	chk.now_ms = T0 + 100000;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_E_TOKEN_REUSED);
	/* Grace 0: any second use is a reuse. */
	assert_int_equal(hcp_replay_init(&cache, slots, 8), HCP_OK);
	chk = check_at(T0 + 1000);
	chk.replay = &cache;
	chk.grace_ms = 0;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_OK);
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, &within),
	                 HCP_E_TOKEN_REUSED);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-20]: after the clock steps back, the cache keeps the latest
 * time, so a token whose slot was freed stays expired. */
static void test_token_clock_back(void **state)
{
	hcp_keyring ring;
	hcp_replay_slot slots[1];
	hcp_replay cache;
	hcp_token_claims c, other;
	hcp_token_check chk;
	uint8_t token[HCP_TOKEN_MAX_SIZE], tok2[HCP_TOKEN_MAX_SIZE];
	uint8_t nonce2[24];
	size_t n, n2;

	(void)state;
	ring_setup(&ring);
	n = seal_typical(&ring, token);
	typical_claims(&other);
	other.expires_at_ms = T0 + 500000;
	memset(nonce2, 7, sizeof(nonce2));
	assert_int_equal(hcp_token_seal(&ring, &other, nonce2, tok2,
	                                sizeof(tok2), &n2, NULL),
	                 HCP_OK);
	assert_int_equal(hcp_replay_init(&cache, slots, 1), HCP_OK);
	chk = check_at(T0 + 1000);
	chk.replay = &cache;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_OK);
	/* Later than the first token's expiry: its slot is reused. */
	chk.now_ms = T0 + 200000;
	assert_int_equal(hcp_token_open(&ring, &chk, tok2, n2, &c, NULL),
	                 HCP_OK);
	/* The clock steps back: the first token is still expired. */
	chk.now_ms = T0 + 1500;
	assert_int_equal(hcp_token_open(&ring, &chk, token, n, &c, NULL),
	                 HCP_E_TOKEN_EXPIRED);
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-26]: a full cache refuses (fail closed); expired entries
 * make room again. */
static void test_replay_full(void **state)
{
	hcp_replay_slot slots[4];
	hcp_replay cache;
	uint8_t id[24] = { 0 };
	bool within;

	(void)state;
	assert_int_equal(hcp_replay_init(&cache, slots, 4), HCP_OK);
	for (uint8_t i = 0; i < 4; i++) {
		id[0] = i;
		assert_int_equal(
		        hcp_replay_use(&cache, id, 5000, 1000, GRACE, &within),
		        HCP_OK);
		assert_false(within);
	}
	id[0] = 9;
	assert_int_equal(hcp_replay_use(&cache, id, 5000, 1000, GRACE, &within),
	                 HCP_E_NOMEM);
	id[0] = 2;
	assert_int_equal(hcp_replay_use(&cache, id, 5000, 1500, GRACE, &within),
	                 HCP_OK);
	assert_true(within);
	id[0] = 9;
	assert_int_equal(hcp_replay_use(&cache, id, 9000, 5000, GRACE, &within),
	                 HCP_OK);
	assert_false(within);
	assert_int_equal(hcp_replay_use(&cache, id, 9000, 5000, 0, &within),
	                 HCP_E_TOKEN_REUSED);
	assert_int_equal(hcp_replay_use(NULL, id, 9000, 5000, 0, &within),
	                 HCP_E_ARG);
	assert_int_equal(hcp_replay_use(&cache, id, 9000, 5000,
	                                HCP_TOKEN_MAX_GRACE_MS + 1, &within),
	                 HCP_E_ARG);
	assert_int_equal(hcp_replay_use(&cache, id, 9000, 5000, 0, NULL),
	                 HCP_E_ARG);
	assert_int_equal(hcp_replay_init(&cache, slots, 0), HCP_E_ARG);
	assert_int_equal(hcp_replay_init(&cache, NULL, 4), HCP_E_ARG);
	assert_int_equal(hcp_replay_init(NULL, slots, 4), HCP_E_ARG);
}

/* [HCP-TOKEN-23]: a large cache holds many distinct tokens, finds each
 * again, and never mistakes one for another. */
static void test_replay_many(void **state)
{
	enum { CAP = 4096, USED = 2048 };
	hcp_replay_slot *slots = calloc(CAP, sizeof(*slots));
	hcp_replay cache;
	uint8_t id[24];
	bool within;

	(void)state;
	assert_non_null(slots);
	assert_int_equal(hcp_replay_init(&cache, slots, CAP), HCP_OK);
	for (uint32_t i = 0; i < USED; i++) {
		crypto_generichash(id, sizeof(id), (const uint8_t *)&i,
		                   sizeof(i), NULL, 0);
		assert_int_equal(
		        hcp_replay_use(&cache, id, 1000000, 10, 100, &within),
		        HCP_OK);
		assert_false(within);
	}
	for (uint32_t i = 0; i < USED; i++) {
		crypto_generichash(id, sizeof(id), (const uint8_t *)&i,
		                   sizeof(i), NULL, 0);
		assert_int_equal(
		        hcp_replay_use(&cache, id, 1000000, 20, 100, &within),
		        HCP_OK);
		assert_true(within);
	}
	free(slots);
}

/* ------------------------------------------------------------------------
 * Grants
 * ---------------------------------------------------------------------- */

static void typical_grant(hcp_grant_claims *g)
{
	memset(g, 0, sizeof(*g));
	g->issued_at_ms = T0;
	g->expires_at_ms = T0 + 3600000;
	g->match = HCP_GRANT_EXACT;
	set_bytes(g->principal, &g->principal_len, "user:42");
	set_bytes(g->stream, &g->stream_len, "chat/room-1");
}

static hcp_grant_check grant_check_at(uint64_t now)
{
	hcp_grant_check chk;

	memset(&chk, 0, sizeof(chk));
	chk.now_ms = now;
	chk.skew_ms = SKEW;
	chk.principal = (const uint8_t *)"user:42";
	chk.principal_len = 7;
	return chk;
}

#define S(str) (const uint8_t *)(str), strlen(str)

/* [HCP-GRANT-1] [HCP-GRANT-6]: the binary form is the spec's layout with
 * an HMAC over the label and the body (checked with libsodium's one-shot
 * HMAC); both forms verify. */
static void test_grant_round_trip(void **state)
{
	hcp_keyring ring;
	hcp_grant_claims g, out;
	hcp_grant_check chk = grant_check_at(T0 + 1);
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE], text[HCP_GRANT_MAX_TEXT_SIZE];
	uint8_t msg[HCP_GRANT_MAX_BINARY_SIZE + 16], mac[32];
	size_t n, tn;

	(void)state;
	ring_setup(&ring);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n),
	                 HCP_OK);
	assert_int_equal(n, 22 + 1 + 7 + 1 + 11 + 32);
	assert_memory_equal(bin, "\x01\x01\x02\x03\x04", 5);
	assert_int_equal(bin[21], 0);
	memcpy(msg, "hcp-grant-v1", 12);
	memcpy(msg + 12, bin, n - 32);
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, seal_key, 32);
	crypto_auth_hmacsha256_update(&st, msg, 12 + n - 32);
	crypto_auth_hmacsha256_final(&st, mac);
	assert_memory_equal(mac, bin + n - 32, 32);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_OK);
	g.key_id = SEAL_ID;
	assert_memory_equal(&g, &out, sizeof(g));
	assert_int_equal(
	        hcp_grant_mint_text(&ring, &g, text, sizeof(text), &tn),
	        HCP_OK);
	assert_int_equal(tn, (n * 4 + 2) / 3);
	assert_int_equal(text[0], 'A');
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), text, tn, &out),
	        HCP_OK);
	assert_memory_equal(&g, &out, sizeof(g));
	assert_int_equal(hcp_grant_mint_text(&ring, &g, text, tn - 1, &tn),
	                 HCP_E_BUFFER);
	assert_int_equal(tn, 0);
	hcp_keyring_wipe(&ring);
}

/* [HCP-GRANT-7] [HCP-GRANT-4]: exact and prefix matching, byte by byte. */
static void test_grant_stream_match(void **state)
{
	hcp_keyring ring;
	hcp_grant_claims g, out;
	hcp_grant_check chk = grant_check_at(T0 + 1);
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE];
	size_t n;

	(void)state;
	ring_setup(&ring);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n),
	                 HCP_OK);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-10"), bin, n, &out),
	        HCP_E_GRANT_STREAM);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-"), bin, n, &out),
	        HCP_E_GRANT_STREAM);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-2"), bin, n, &out),
	        HCP_E_GRANT_STREAM);
	assert_int_equal(hcp_grant_reason(HCP_E_GRANT_STREAM),
	                 HCP_REASON_GRANT_INVALID);
	set_bytes(g.stream, &g.stream_len, "chat/");
	g.match = HCP_GRANT_PREFIX;
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n),
	                 HCP_OK);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-10"), bin, n, &out),
	        HCP_OK);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/"), bin, n, &out),
	        HCP_OK);
	assert_int_equal(hcp_grant_verify(&ring, &chk, S("chat"), bin, n, &out),
	                 HCP_E_GRANT_STREAM);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chit/room"), bin, n, &out),
	        HCP_E_GRANT_STREAM);
	hcp_keyring_wipe(&ring);
}

/* [HCP-GRANT-7] [HCP-GRANT-9] [HCP-GRANT-10]: each refusal with its code
 * and SubscribeAck reason; claims zeroed. */
static void test_grant_refusals(void **state)
{
	hcp_keyring ring;
	hcp_grant_claims g, out;
	hcp_grant_check chk = grant_check_at(T0 + 1);
	uint8_t bin[HCP_MAX_GRANT_SIZE + 1], t[HCP_MAX_GRANT_SIZE + 1];
	size_t n;

	(void)state;
	ring_setup(&ring);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n),
	                 HCP_OK);

#define VERIFY_GIVES(gr, len, want, reason)                               \
	do {                                                              \
		memset(&out, 0x5a, sizeof(out));                          \
		assert_int_equal(hcp_grant_verify(&ring, &chk,            \
		                                  S("chat/room-1"), (gr), \
		                                  (len), &out),           \
		                 (want));                                 \
		assert_true(all_zero(&out, sizeof(out)));                 \
		assert_int_equal(hcp_grant_reason(want), (reason));       \
	} while (0)
	VERIFY_GIVES(bin, 0, HCP_E_TOKEN_SIZE, HCP_REASON_GRANT_INVALID);
	VERIFY_GIVES(NULL, 0, HCP_E_TOKEN_SIZE, HCP_REASON_GRANT_INVALID);
	memset(t, 'A', sizeof(t));
	VERIFY_GIVES(t, HCP_MAX_GRANT_SIZE + 1, HCP_E_TOKEN_SIZE,
	             HCP_REASON_GRANT_INVALID);
	VERIFY_GIVES(t, HCP_GRANT_MAX_TEXT_SIZE + 1, HCP_E_TOKEN_SIZE,
	             HCP_REASON_GRANT_INVALID);
	/* 76 characters: canonical text of 57 bytes. */
	VERIFY_GIVES(t, 76, HCP_E_TOKEN_SIZE, HCP_REASON_GRANT_INVALID);
	/* 80 characters: 60 zero bytes, version 0. */
	VERIFY_GIVES(t, 80, HCP_E_TOKEN_VERSION, HCP_REASON_GRANT_INVALID);
	t[3] = '=';
	VERIFY_GIVES(t, 80, HCP_E_TOKEN_VERSION, HCP_REASON_GRANT_INVALID);
	memcpy(t, bin, n);
	t[0] = 2;
	VERIFY_GIVES(t, n, HCP_E_TOKEN_VERSION, HCP_REASON_GRANT_INVALID);
	memcpy(t, bin, n);
	t[2] ^= 1;
	VERIFY_GIVES(t, n, HCP_E_TOKEN_KEY_UNKNOWN, HCP_REASON_GRANT_INVALID);
	memcpy(t + 1, "\x00\x00\x00\x99", 4);
	VERIFY_GIVES(t, n, HCP_E_TOKEN_KEY_RETIRED, HCP_REASON_GRANT_INVALID);
	memcpy(t, bin, n);
	t[n - 32] ^= 1;
	VERIFY_GIVES(t, n, HCP_E_TOKEN_FORGED, HCP_REASON_GRANT_INVALID);
	chk = grant_check_at(T0 + 3600000);
	VERIFY_GIVES(bin, n, HCP_E_TOKEN_EXPIRED, HCP_REASON_GRANT_EXPIRED);
	chk = grant_check_at(T0 - SKEW - 1);
	VERIFY_GIVES(bin, n, HCP_E_TOKEN_NOT_YET_VALID,
	             HCP_REASON_GRANT_INVALID);
	chk = grant_check_at(T0 - SKEW);
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_OK);
	chk = grant_check_at(T0 + 1);
	chk.principal = (const uint8_t *)"user:4";
	chk.principal_len = 6;
	VERIFY_GIVES(bin, n, HCP_E_TOKEN_PRINCIPAL, HCP_REASON_GRANT_INVALID);
#undef VERIFY_GIVES
	/* [HCP-GRANT-9]: no principal, no grant. */
	chk.principal = NULL;
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_E_ARG);
	chk = grant_check_at(T0 + 1);
	chk.principal_len = 0;
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_E_ARG);
	chk = grant_check_at(T0 + 1);
	chk.skew_ms = HCP_TOKEN_MAX_SKEW_MS + 1;
	assert_int_equal(
	        hcp_grant_verify(&ring, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_E_ARG);
	chk = grant_check_at(T0 + 1);
	assert_int_equal(hcp_grant_verify(&ring, &chk, (const uint8_t *)"x", 0,
	                                  bin, n, &out),
	                 HCP_E_ARG);
	assert_int_equal(hcp_grant_reason(HCP_OK), 0);
	assert_int_equal(hcp_grant_reason(HCP_E_TOKEN_REUSED), 0);
	hcp_keyring_wipe(&ring);
}

/* [HCP-GRANT-2]: out-of-bound claims are not minted. */
static void test_grant_mint_refuses(void **state)
{
	hcp_keyring ring, empty;
	hcp_grant_claims g;
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE];
	size_t n = 7;

	(void)state;
	ring_setup(&ring);
	assert_int_equal(hcp_keyring_init(&empty), HCP_OK);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&empty, &g, bin, sizeof(bin), &n),
	                 HCP_E_TOKEN_KEY_UNKNOWN);
	assert_int_equal(n, 0);
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, 60, &n), HCP_E_BUFFER);
#define REFUSED(mutation)                                                \
	do {                                                             \
		typical_grant(&g);                                       \
		mutation;                                                \
		assert_int_equal(                                        \
		        hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n), \
		        HCP_E_ARG);                                      \
		assert_int_equal(n, 0);                                  \
	} while (0)
	REFUSED(g.principal_len = 0);
	REFUSED(g.principal_len = 129);
	REFUSED(g.stream_len = 0);
	REFUSED(g.stream_len = 129);
	REFUSED(g.match = (hcp_grant_match)2);
	REFUSED(g.expires_at_ms = g.issued_at_ms);
	REFUSED(g.expires_at_ms =
	                g.issued_at_ms + HCP_GRANT_MAX_LIFETIME_MS + 1);
#undef REFUSED
	hcp_keyring_wipe(&ring);
}

/* [HCP-GRANT-7] [HCP-GRANT-8]: every bit flip of the binary form and of
 * the text form, and every truncation of both, is refused. */
static void test_grant_every_mutation(void **state)
{
	hcp_keyring ring;
	hcp_grant_claims g, out;
	hcp_grant_check chk = grant_check_at(T0 + 1);
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE], text[HCP_GRANT_MAX_TEXT_SIZE];
	uint8_t t[HCP_GRANT_MAX_TEXT_SIZE];
	size_t n, tn;

	(void)state;
	ring_setup(&ring);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&ring, &g, bin, sizeof(bin), &n),
	                 HCP_OK);
	assert_int_equal(
	        hcp_grant_mint_text(&ring, &g, text, sizeof(text), &tn),
	        HCP_OK);
	for (size_t bit = 0; bit < n * 8; bit++) {
		memcpy(t, bin, n);
		t[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
		assert_int_not_equal(hcp_grant_verify(&ring, &chk,
		                                      S("chat/room-1"), t, n,
		                                      &out),
		                     HCP_OK);
	}
	for (size_t bit = 0; bit < tn * 8; bit++) {
		memcpy(t, text, tn);
		t[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
		assert_int_not_equal(hcp_grant_verify(&ring, &chk,
		                                      S("chat/room-1"), t, tn,
		                                      &out),
		                     HCP_OK);
	}
	for (size_t len = 0; len < n; len++) {
		uint8_t *c = malloc(len > 0 ? len : 1);

		assert_non_null(c);
		memcpy(c, bin, len);
		assert_int_equal(hcp_grant_verify(&ring, &chk, S("chat/room-1"),
		                                  c, len, &out),
		                 len < HCP_GRANT_MIN_SIZE ? HCP_E_TOKEN_SIZE
		                                          : HCP_E_TOKEN_FORGED);
		free(c);
	}
	for (size_t len = 0; len < tn; len++) {
		uint8_t *c = malloc(len > 0 ? len : 1);

		assert_non_null(c);
		memcpy(c, text, len);
		assert_int_not_equal(hcp_grant_verify(&ring, &chk,
		                                      S("chat/room-1"), c, len,
		                                      &out),
		                     HCP_OK);
		free(c);
	}
	hcp_keyring_wipe(&ring);
}

/* [HCP-TOKEN-2]: a grant minted with the resume-token ring does not
 * verify against the grant ring, and a token is not a grant. */
static void test_rings_apart(void **state)
{
	hcp_keyring tokens, grants;
	hcp_grant_claims g, out;
	hcp_grant_check chk = grant_check_at(T0 + 1);
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE], token[HCP_TOKEN_MAX_SIZE];
	uint8_t gkey[32];
	size_t n;

	(void)state;
	ring_setup(&tokens);
	assert_int_equal(hcp_keyring_init(&grants), HCP_OK);
	memset(gkey, 0x33, sizeof(gkey));
	assert_int_equal(hcp_keyring_add(&grants, SEAL_ID, gkey, HCP_KEY_SEAL),
	                 HCP_OK);
	typical_grant(&g);
	assert_int_equal(hcp_grant_mint(&tokens, &g, bin, sizeof(bin), &n),
	                 HCP_OK);
	assert_int_equal(
	        hcp_grant_verify(&grants, &chk, S("chat/room-1"), bin, n, &out),
	        HCP_E_TOKEN_FORGED);
	n = seal_typical(&tokens, token);
	assert_int_not_equal(hcp_grant_verify(&tokens, &chk, S("chat/room-1"),
	                                      token, n > 312 ? 312 : n, &out),
	                     HCP_OK);
	hcp_keyring_wipe(&tokens);
	hcp_keyring_wipe(&grants);
}

/* ------------------------------------------------------------------------
 * The spec's worked examples
 * ---------------------------------------------------------------------- */

typedef struct example_field {
	char name[32];
	char value[512];
} example_field;

/* The "name value" lines of the fenced block after the line `marker` of
 * the spec chapter; an indented line continues the value above it. */
static size_t spec_example(const char *marker, example_field *f, size_t cap)
{
	char line[256];
	size_t n = 0;
	int state = 0; /* 0 before the marker, 1 before the fence, 2 in it */
	FILE *in = fopen(spec_path, "r");

	if (in == NULL)
		fail_msg("cannot read %s", spec_path);
	while (fgets(line, sizeof(line), in) != NULL) {
		char *p = line + strcspn(line, "\n");

		*p = '\0';
		if (state == 0 && strcmp(line, marker) == 0)
			state = 1;
		else if (state == 1 && strcmp(line, "```") == 0)
			state = 2;
		else if (state == 2 && strcmp(line, "```") == 0)
			break;
		else if (state == 2 && line[0] == ' ' && n > 0)
			strncat(f[n - 1].value, line + strspn(line, " "),
			        sizeof(f[n - 1].value) -
			                strlen(f[n - 1].value) - 1);
		else if (state == 2 && n < cap) {
			size_t len = strcspn(line, " ");

			assert_true(len < sizeof(f[n].name));
			memcpy(f[n].name, line, len);
			f[n].name[len] = '\0';
			snprintf(f[n].value, sizeof(f[n].value), "%s",
			         line + len + strspn(line + len, " "));
			n++;
		}
	}
	fclose(in);
	return n;
}

static const char *example_value(const example_field *f, size_t n,
                                 const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].name, name) == 0)
			return f[i].value;
	}
	fail_msg("the example has no %s", name);
	return "";
}

static void example_hex(const example_field *f, size_t n, const char *name,
                        uint8_t *buf, size_t cap, size_t *len)
{
	const char *hex = example_value(f, n, name);
	size_t h = strlen(hex);

	assert_true(h % 2 == 0 && h / 2 <= cap);
	for (size_t i = 0; i < h / 2; i++) {
		unsigned int b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		buf[i] = (uint8_t)b;
	}
	*len = h / 2;
}

static uint64_t example_uint(const example_field *f, size_t n, const char *name,
                             int base)
{
	return strtoull(example_value(f, n, name), NULL, base);
}

/* [HCP-TOKEN-10] [HCP-TOKEN-11]: the token of the chapter's example is
 * what sealing its inputs gives, and it opens. */
static void test_spec_token_example(void **state)
{
	example_field f[16];
	size_t n = spec_example("<!-- hcp:token-example -->", f, 16), len;
	hcp_keyring ring;
	hcp_token_claims c;
	hcp_token_check chk;
	uint8_t key[32], nonce[24], want[HCP_TOKEN_MAX_SIZE];
	uint8_t got[HCP_TOKEN_MAX_SIZE];
	size_t want_len, got_len;

	(void)state;
	assert_true(n >= 8);
	example_hex(f, n, "key", key, sizeof(key), &len);
	assert_int_equal(len, 32);
	example_hex(f, n, "nonce", nonce, sizeof(nonce), &len);
	assert_int_equal(len, 24);
	example_hex(f, n, "token", want, sizeof(want), &want_len);
	memset(&c, 0, sizeof(c));
	c.issued_at_ms = example_uint(f, n, "issued_at_ms", 10);
	c.expires_at_ms = example_uint(f, n, "expires_at_ms", 10);
	example_hex(f, n, "principal", c.principal, sizeof(c.principal),
	            &c.principal_len);
	example_hex(f, n, "session_id", c.session_id, sizeof(c.session_id),
	            &c.session_id_len);
	assert_int_equal(hcp_keyring_init(&ring), HCP_OK);
	assert_int_equal(
	        hcp_keyring_add(&ring,
	                        (uint32_t)example_uint(f, n, "key_id", 16), key,
	                        HCP_KEY_SEAL),
	        HCP_OK);
	assert_int_equal(hcp_token_seal(&ring, &c, nonce, got, sizeof(got),
	                                &got_len, NULL),
	                 HCP_OK);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	chk = check_at(c.issued_at_ms);
	assert_int_equal(hcp_token_open(&ring, &chk, want, want_len, &c, NULL),
	                 HCP_OK);
	hcp_keyring_wipe(&ring);
}

/* [HCP-GRANT-1]: the grant of the chapter's example, in both forms, is
 * what minting its inputs gives. */
static void test_spec_grant_example(void **state)
{
	example_field f[16];
	size_t n = spec_example("<!-- hcp:grant-example -->", f, 16), len;
	hcp_keyring ring;
	hcp_grant_claims g;
	uint8_t key[32], want[HCP_GRANT_MAX_BINARY_SIZE];
	uint8_t got[HCP_GRANT_MAX_TEXT_SIZE];
	size_t want_len, got_len;
	const char *text;

	(void)state;
	assert_true(n >= 9);
	example_hex(f, n, "key", key, sizeof(key), &len);
	assert_int_equal(len, 32);
	example_hex(f, n, "grant", want, sizeof(want), &want_len);
	memset(&g, 0, sizeof(g));
	g.issued_at_ms = example_uint(f, n, "issued_at_ms", 10);
	g.expires_at_ms = example_uint(f, n, "expires_at_ms", 10);
	g.match = (hcp_grant_match)example_uint(f, n, "match", 10);
	example_hex(f, n, "principal", g.principal, sizeof(g.principal),
	            &g.principal_len);
	example_hex(f, n, "stream", g.stream, sizeof(g.stream), &g.stream_len);
	assert_int_equal(hcp_keyring_init(&ring), HCP_OK);
	assert_int_equal(
	        hcp_keyring_add(&ring,
	                        (uint32_t)example_uint(f, n, "key_id", 16), key,
	                        HCP_KEY_SEAL),
	        HCP_OK);
	assert_int_equal(hcp_grant_mint(&ring, &g, got, sizeof(got), &got_len),
	                 HCP_OK);
	assert_int_equal(got_len, want_len);
	assert_memory_equal(got, want, want_len);
	text = example_value(f, n, "text");
	assert_int_equal(
	        hcp_grant_mint_text(&ring, &g, got, sizeof(got), &got_len),
	        HCP_OK);
	assert_int_equal(got_len, strlen(text));
	assert_memory_equal(got, text, got_len);
	hcp_keyring_wipe(&ring);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_token_seal),
		cmocka_unit_test(test_vectors_token_open),
		cmocka_unit_test(test_vectors_grant_mint),
		cmocka_unit_test(test_vectors_grant_verify),
		cmocka_unit_test(test_keyring_rules),
		cmocka_unit_test(test_keyring_retire_wipes),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_token_round_trip),
		cmocka_unit_test(test_token_seal_random),
		cmocka_unit_test(test_token_seal_refuses),
		cmocka_unit_test(test_token_streams_do_not_fit),
		cmocka_unit_test(test_token_refusals),
		cmocka_unit_test(test_token_time_edges),
		cmocka_unit_test(test_token_every_bit_flip),
		cmocka_unit_test(test_token_every_truncation),
		cmocka_unit_test(test_token_malformed_claims),
		cmocka_unit_test(test_token_replay),
		cmocka_unit_test(test_token_clock_back),
		cmocka_unit_test(test_replay_full),
		cmocka_unit_test(test_replay_many),
		cmocka_unit_test(test_grant_round_trip),
		cmocka_unit_test(test_grant_stream_match),
		cmocka_unit_test(test_grant_refusals),
		cmocka_unit_test(test_grant_mint_refuses),
		cmocka_unit_test(test_grant_every_mutation),
		cmocka_unit_test(test_rings_apart),
		cmocka_unit_test(test_spec_token_example),
		cmocka_unit_test(test_spec_grant_example),
	};

	if (argc > 1)
		vectors_dir = argv[1];
	if (argc > 2)
		spec_path = argv[2];
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

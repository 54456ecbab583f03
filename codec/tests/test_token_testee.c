/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token_testee.c: the token kinds of the reference testees
 * (conformance/testee/), as a request hook that answers token.seal,
 * token.open, grant.mint and grant.verify with the token module
 * (codec/src/token.c) and leaves every other kind to the testee. The
 * inputs and outputs are those the headers of conformance/vectors/
 * token_seal.json, token.json, grant_mint.json and grant.json describe.
 * An input that is missing or of the wrong type gets a runtime error,
 * never a crash; keys are wiped before every answer.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "hcp/hcp_token.h"
#include "testee.h"

typedef Hcp__Conformance__V1__Value value;
typedef Hcp__Conformance__V1__Request request;
typedef struct hcp_testee_answer answer;

/* Whether v is present and holds the member of the given kind. */
#define IS(v, kind)     \
	((v) != NULL && \
	 (v)->value_case == HCP__CONFORMANCE__V1__VALUE__VALUE_##kind)

/* ------------------------------------------------------------------------
 * Inputs
 * ---------------------------------------------------------------------- */

static bool in_bytes(const request *req, answer *a, const char *key,
                     uint8_t *dst, size_t cap, size_t *len)
{
	const value *v = hcp_testee_input(req, key);

	if (!IS(v, BYTES_VALUE) || v->bytes_value.len > cap) {
		hcp_testee_runtime_error(a, "an input is not bytes of its "
		                            "size");
		return false;
	}
	if (v->bytes_value.len > 0)
		memcpy(dst, v->bytes_value.data, v->bytes_value.len);
	*len = v->bytes_value.len;
	return true;
}

static bool in_uint(const request *req, answer *a, const char *key,
                    uint64_t max, uint64_t *out)
{
	const value *v = hcp_testee_input(req, key);

	if (!IS(v, UINT_VALUE) || v->uint_value > max) {
		hcp_testee_runtime_error(a, "an input is not a uint in range");
		return false;
	}
	*out = v->uint_value;
	return true;
}

static bool key_state(const char *s, hcp_key_state *out)
{
	if (strcmp(s, "seal") == 0)
		*out = HCP_KEY_SEAL;
	else if (strcmp(s, "open") == 0)
		*out = HCP_KEY_OPEN;
	else if (strcmp(s, "retired") == 0)
		*out = HCP_KEY_RETIRED;
	else
		return false;
	return true;
}

/* input.keys: a list of [key id, state, material]. */
static bool in_ring(const request *req, answer *a, hcp_keyring *ring)
{
	const value *keys = hcp_testee_input(req, "keys");

	if (hcp_keyring_init(ring) != HCP_OK || !IS(keys, LIST_VALUE))
		goto bad;
	for (size_t i = 0; i < keys->list_value->n_values; i++) {
		const value *k = keys->list_value->values[i];
		const value *id, *st, *m;
		hcp_key_state state;

		if (!IS(k, LIST_VALUE) || k->list_value->n_values != 3)
			goto bad;
		id = k->list_value->values[0];
		st = k->list_value->values[1];
		m = k->list_value->values[2];
		if (!IS(id, UINT_VALUE) || id->uint_value > UINT32_MAX ||
		    !IS(st, STRING_VALUE) || !IS(m, BYTES_VALUE) ||
		    !key_state(st->string_value, &state))
			goto bad;
		if (m->bytes_value.len != HCP_TOKEN_KEY_SIZE &&
		    !(state == HCP_KEY_RETIRED && m->bytes_value.len == 0))
			goto bad;
		if (hcp_keyring_add(ring, (uint32_t)id->uint_value,
		                    m->bytes_value.len ? m->bytes_value.data
		                                       : NULL,
		                    state) != HCP_OK)
			goto bad;
	}
	return true;
bad:
	hcp_keyring_wipe(ring);
	hcp_testee_runtime_error(a, "input keys is not a valid key ring");
	return false;
}

/* input.streams: a list of [name, offset, epoch]. */
static bool in_streams(const request *req, answer *a, hcp_token_claims *c)
{
	const value *l = hcp_testee_input(req, "streams");

	if (!IS(l, LIST_VALUE) ||
	    l->list_value->n_values > HCP_MAX_RESUME_STREAMS)
		goto bad;
	for (size_t i = 0; i < l->list_value->n_values; i++) {
		const value *s = l->list_value->values[i];
		hcp_token_stream *st = &c->streams[i];
		const value *n, *o, *e;

		if (!IS(s, LIST_VALUE) || s->list_value->n_values != 3)
			goto bad;
		n = s->list_value->values[0];
		o = s->list_value->values[1];
		e = s->list_value->values[2];
		if (!IS(n, BYTES_VALUE) ||
		    n->bytes_value.len > sizeof(st->name) ||
		    !IS(o, UINT_VALUE) || !IS(e, UINT_VALUE))
			goto bad;
		if (n->bytes_value.len > 0)
			memcpy(st->name, n->bytes_value.data,
			       n->bytes_value.len);
		st->name_len = n->bytes_value.len;
		st->offset = o->uint_value;
		st->epoch = e->uint_value;
	}
	c->stream_count = l->list_value->n_values;
	return true;
bad:
	hcp_testee_runtime_error(a, "input streams is not a list of "
	                            "[name, offset, epoch]");
	return false;
}

/* ------------------------------------------------------------------------
 * Outputs
 * ---------------------------------------------------------------------- */

static value *new_value(void)
{
	value *v = malloc(sizeof(*v));

	if (v != NULL)
		hcp__conformance__v1__value__init(v);
	return v;
}

/* Appends v to list (freed by the testee with the answer); false when out
 * of memory, v then freed here. */
static bool list_append(value *list, value *v)
{
	value **vs;

	if (v == NULL)
		return false;
	vs = realloc(list->list_value->values,
	             (list->list_value->n_values + 1) * sizeof(*vs));
	if (vs == NULL) {
		if (v->value_case ==
		    HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE)
			free(v->bytes_value.data);
		free(v);
		return false;
	}
	list->list_value->values = vs;
	vs[list->list_value->n_values++] = v;
	return true;
}

static value *uint_item(uint64_t x)
{
	value *v = new_value();

	if (v != NULL) {
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE;
		v->uint_value = x;
	}
	return v;
}

static value *bytes_item(const uint8_t *p, size_t n)
{
	value *v = new_value();

	if (v == NULL)
		return NULL;
	v->bytes_value.data = malloc(n ? n : 1);
	if (v->bytes_value.data == NULL) {
		free(v);
		return NULL;
	}
	v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE;
	if (n > 0)
		memcpy(v->bytes_value.data, p, n);
	v->bytes_value.len = n;
	return v;
}

static value *list_item(void)
{
	value *v = new_value();

	if (v == NULL)
		return NULL;
	v->list_value = malloc(sizeof(*v->list_value));
	if (v->list_value == NULL) {
		free(v);
		return NULL;
	}
	hcp__conformance__v1__value_list__init(v->list_value);
	v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE;
	return v;
}

/* output.streams: the answer's list of [name, offset, epoch]. */
static void put_streams(answer *a, const hcp_token_claims *c)
{
	value *list;

	hcp_testee_put_empty_list(a, "streams");
	if (a->failed || a->out.n_fields == 0)
		return;
	list = a->out.fields[a->out.n_fields - 1]->value;
	for (size_t i = 0; i < c->stream_count; i++) {
		const hcp_token_stream *s = &c->streams[i];
		value *item = list_item();

		if (!list_append(list, item) ||
		    !list_append(item, bytes_item(s->name, s->name_len)) ||
		    !list_append(item, uint_item(s->offset)) ||
		    !list_append(item, uint_item(s->epoch))) {
			a->failed = true;
			return;
		}
	}
}

static void put_claims(answer *a, const hcp_token_claims *c, bool within)
{
	hcp_testee_put_uint(a, "key_id", c->key_id);
	hcp_testee_put_uint(a, "issued_at_ms", c->issued_at_ms);
	hcp_testee_put_uint(a, "expires_at_ms", c->expires_at_ms);
	hcp_testee_put_bytes(a, "principal", c->principal, c->principal_len);
	hcp_testee_put_bytes(a, "session_id", c->session_id, c->session_id_len);
	hcp_testee_put_bytes(a, "context", c->context, c->context_len);
	hcp_testee_put_uint(a, "streams_omitted", c->streams_omitted);
	put_streams(a, c);
	hcp_testee_put_bool(a, "within_grace", within);
}

/* ------------------------------------------------------------------------
 * Kinds
 * ---------------------------------------------------------------------- */

static void kind_token_seal(const request *req, answer *a)
{
	static hcp_token_claims c;
	hcp_keyring ring;
	uint8_t nonce[HCP_TOKEN_NONCE_SIZE], out[HCP_TOKEN_MAX_SIZE];
	size_t nlen = 0, n = 0, sealed = 0;
	uint64_t omitted;
	hcp_error err;

	memset(&c, 0, sizeof(c));
	if (!in_uint(req, a, "issued_at_ms", UINT64_MAX, &c.issued_at_ms) ||
	    !in_uint(req, a, "expires_at_ms", UINT64_MAX, &c.expires_at_ms) ||
	    !in_uint(req, a, "streams_omitted", 255, &omitted) ||
	    !in_bytes(req, a, "principal", c.principal, sizeof(c.principal),
	              &c.principal_len) ||
	    !in_bytes(req, a, "session_id", c.session_id, sizeof(c.session_id),
	              &c.session_id_len) ||
	    !in_bytes(req, a, "context", c.context, sizeof(c.context),
	              &c.context_len) ||
	    !in_bytes(req, a, "nonce", nonce, sizeof(nonce), &nlen) ||
	    !in_streams(req, a, &c))
		return;
	if (nlen != sizeof(nonce)) {
		hcp_testee_runtime_error(a, "input nonce is not 24 bytes");
		return;
	}
	c.streams_omitted = (uint32_t)omitted;
	if (!in_ring(req, a, &ring))
		return;
	err = hcp_token_seal(&ring, &c, nonce, out, sizeof(out), &n, &sealed);
	hcp_keyring_wipe(&ring);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_bytes(a, "token", out, n);
	hcp_testee_put_uint(a, "streams_sealed", sealed);
}

static void kind_token_open(const request *req, answer *a)
{
	static hcp_token_claims c;
	hcp_replay_slot slots[64];
	hcp_replay cache;
	hcp_keyring ring;
	hcp_token_check chk;
	uint8_t token[HCP_TOKEN_MAX_SIZE + 1], principal[256];
	const value *prior = hcp_testee_input(req, "prior_uses");
	uint64_t skew, grace, now;
	size_t len = 0, plen = 0;
	bool within = false;
	hcp_error err;

	memset(&chk, 0, sizeof(chk));
	if (!in_bytes(req, a, "token", token, sizeof(token), &len) ||
	    !in_uint(req, a, "now_ms", UINT64_MAX, &chk.now_ms) ||
	    !in_uint(req, a, "skew_ms", UINT32_MAX, &skew) ||
	    !in_uint(req, a, "grace_ms", UINT32_MAX, &grace))
		return;
	if (hcp_testee_input(req, "principal") != NULL) {
		if (!in_bytes(req, a, "principal", principal, sizeof(principal),
		              &plen))
			return;
		chk.principal = principal;
		chk.principal_len = plen;
	}
	if (prior != NULL && !IS(prior, LIST_VALUE)) {
		hcp_testee_runtime_error(a, "input prior_uses is not a list");
		return;
	}
	chk.skew_ms = (uint32_t)skew;
	chk.grace_ms = (uint32_t)grace;
	if (hcp_replay_init(&cache, slots, 64) != HCP_OK ||
	    !in_ring(req, a, &ring))
		return;
	chk.replay = &cache;
	now = chk.now_ms;
	for (size_t i = 0; prior != NULL && i < prior->list_value->n_values;
	     i++) {
		const value *t = prior->list_value->values[i];

		if (!IS(t, UINT_VALUE)) {
			hcp_keyring_wipe(&ring);
			hcp_testee_runtime_error(a, "a prior use is not a "
			                            "uint");
			return;
		}
		chk.now_ms = t->uint_value;
		err = hcp_token_open(&ring, &chk, token, len, &c, &within);
		if (err != HCP_OK) {
			hcp_keyring_wipe(&ring);
			hcp_testee_runtime_error(a, "a prior use was refused");
			return;
		}
	}
	chk.now_ms = now;
	err = hcp_token_open(&ring, &chk, token, len, &c, &within);
	hcp_keyring_wipe(&ring);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	put_claims(a, &c, within);
}

static bool in_grant_claims(const request *req, answer *a, hcp_grant_claims *c)
{
	uint64_t match;

	memset(c, 0, sizeof(*c));
	if (!in_uint(req, a, "issued_at_ms", UINT64_MAX, &c->issued_at_ms) ||
	    !in_uint(req, a, "expires_at_ms", UINT64_MAX, &c->expires_at_ms) ||
	    !in_uint(req, a, "match", 255, &match) ||
	    !in_bytes(req, a, "principal", c->principal, sizeof(c->principal),
	              &c->principal_len) ||
	    !in_bytes(req, a, "stream", c->stream, sizeof(c->stream),
	              &c->stream_len))
		return false;
	c->match = (hcp_grant_match)match;
	return true;
}

static void kind_grant_mint(const request *req, answer *a)
{
	hcp_keyring ring;
	hcp_grant_claims c;
	uint8_t bin[HCP_GRANT_MAX_BINARY_SIZE];
	char text[HCP_GRANT_MAX_TEXT_SIZE + 1];
	size_t n = 0, tn = 0;
	hcp_error err;

	if (!in_grant_claims(req, a, &c) || !in_ring(req, a, &ring))
		return;
	err = hcp_grant_mint(&ring, &c, bin, sizeof(bin), &n);
	if (err == HCP_OK)
		err = hcp_grant_mint_text(&ring, &c, (uint8_t *)text,
		                          sizeof(text) - 1, &tn);
	hcp_keyring_wipe(&ring);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	text[tn] = '\0';
	hcp_testee_put_bytes(a, "grant", bin, n);
	hcp_testee_put_str(a, "text", text);
}

static void kind_grant_verify(const request *req, answer *a)
{
	hcp_keyring ring;
	hcp_grant_check chk;
	hcp_grant_claims c;
	uint8_t grant[HCP_MAX_GRANT_SIZE + 1], principal[256], stream[256];
	uint64_t skew;
	size_t len = 0, plen = 0, slen = 0;
	hcp_error err;

	memset(&chk, 0, sizeof(chk));
	if (!in_bytes(req, a, "grant", grant, sizeof(grant), &len) ||
	    !in_bytes(req, a, "principal", principal, sizeof(principal),
	              &plen) ||
	    !in_bytes(req, a, "stream", stream, sizeof(stream), &slen) ||
	    !in_uint(req, a, "now_ms", UINT64_MAX, &chk.now_ms) ||
	    !in_uint(req, a, "skew_ms", UINT32_MAX, &skew) ||
	    !in_ring(req, a, &ring))
		return;
	chk.skew_ms = (uint32_t)skew;
	chk.principal = principal;
	chk.principal_len = plen;
	err = hcp_grant_verify(&ring, &chk, stream, slen, grant, len, &c);
	hcp_keyring_wipe(&ring);
	if (err != HCP_OK) {
		hcp_testee_parse_error(a, err);
		return;
	}
	hcp_testee_put_uint(a, "key_id", c.key_id);
	hcp_testee_put_uint(a, "issued_at_ms", c.issued_at_ms);
	hcp_testee_put_uint(a, "expires_at_ms", c.expires_at_ms);
	hcp_testee_put_uint(a, "match", (uint64_t)c.match);
	hcp_testee_put_bytes(a, "principal", c.principal, c.principal_len);
	hcp_testee_put_bytes(a, "stream", c.stream, c.stream_len);
}

bool hcp_testee_token_hook(const request *req, answer *a)
{
	static const struct {
		const char *kind;
		void (*run)(const request *req, answer *a);
	} kinds[] = {
		{ "token.seal", kind_token_seal },
		{ "token.open", kind_token_open },
		{ "grant.mint", kind_grant_mint },
		{ "grant.verify", kind_grant_verify },
	};

	if (req->kind == NULL)
		return false;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i].kind, req->kind) == 0) {
			kinds[i].run(req, a);
			return true;
		}
	}
	return false;
}

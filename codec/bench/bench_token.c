/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_token.c: operations per second of sealing and opening resume
 * tokens and of minting and verifying grants, each beside the raw
 * libsodium primitive on the same bytes (the same key, nonce, associated
 * data and plaintext; the same HMAC input), measured in the same run, so
 * that the ratio is the cost of the module's layout, checks and wiping.
 * Each figure is the best of eleven rounds of at least 100 ms of the
 * thread's CPU time, the rounds of a pair alternating. It prints a
 * Markdown table and never writes files.
 */
#define _POSIX_C_SOURCE 199309L

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "hcp/hcp_token.h"

#define ROUNDS   11
#define ROUND_NS 100000000.0

typedef struct ctx {
	hcp_keyring ring;
	hcp_token_claims claims;
	uint8_t key[32];
	uint8_t nonce[24];
	uint8_t token[HCP_TOKEN_MAX_SIZE];
	size_t token_len;
	uint8_t pt[HCP_TOKEN_MAX_SIZE];
	size_t pt_len;
	uint8_t ct[HCP_TOKEN_MAX_SIZE];
	hcp_grant_claims grant_claims;
	uint8_t grant[HCP_GRANT_MAX_BINARY_SIZE];
	size_t grant_len;
	uint8_t grant_text[HCP_GRANT_MAX_TEXT_SIZE];
	size_t grant_text_len;
	uint8_t mac_input[HCP_GRANT_MAX_BINARY_SIZE + 16];
	size_t mac_input_len;
	uint8_t mac[32];
	volatile unsigned sink;
} ctx;

static double now_ns(void)
{
	struct timespec ts;

	/* CPU time of this thread: time other processes of a shared machine
	 * take while this one waits does not count. */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

typedef void (*op_fn)(ctx *c);

/* Operations per second of one round of at least ROUND_NS. */
static double round_rate(ctx *c, op_fn op)
{
	double start = now_ns(), t;
	unsigned long n = 0;

	do {
		for (int i = 0; i < 256; i++)
			op(c);
		n += 256;
		t = now_ns() - start;
	} while (t < ROUND_NS);
	return (double)n * 1e9 / t;
}

/* The best rate of each of two operations over ROUNDS rounds each, the
 * rounds alternating, so that a load that comes and goes on a shared
 * machine affects both alike. */
static void measure_pair(ctx *c, op_fn a, op_fn b, double *ra, double *rb)
{
	*ra = 0;
	*rb = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double x = round_rate(c, a), y = round_rate(c, b);

		if (x > *ra)
			*ra = x;
		if (y > *rb)
			*rb = y;
	}
}

static void op_seal(ctx *c)
{
	size_t n;

	c->sink +=
	        (unsigned)hcp_token_seal(&c->ring, &c->claims, c->nonce,
	                                 c->token, sizeof(c->token), &n, NULL);
}

static void op_raw_encrypt(ctx *c)
{
	unsigned long long n;

	c->sink += (unsigned)crypto_aead_xchacha20poly1305_ietf_encrypt(
	        c->ct, &n, c->pt, c->pt_len, c->token, HCP_TOKEN_HEADER_SIZE,
	        NULL, c->nonce, c->key);
}

static void op_open(ctx *c)
{
	hcp_token_check chk;
	hcp_token_claims out;

	memset(&chk, 0, sizeof(chk));
	chk.now_ms = c->claims.issued_at_ms + 1;
	chk.skew_ms = HCP_TOKEN_DEFAULT_SKEW_MS;
	c->sink += (unsigned)hcp_token_open(&c->ring, &chk, c->token,
	                                    c->token_len, &out, NULL);
}

static void op_raw_decrypt(ctx *c)
{
	unsigned long long n;

	c->sink += (unsigned)crypto_aead_xchacha20poly1305_ietf_decrypt(
	        c->pt, &n, NULL, c->token + HCP_TOKEN_HEADER_SIZE,
	        c->token_len - HCP_TOKEN_HEADER_SIZE, c->token,
	        HCP_TOKEN_HEADER_SIZE, c->nonce, c->key);
}

static void op_mint(ctx *c)
{
	size_t n;

	c->sink += (unsigned)hcp_grant_mint(&c->ring, &c->grant_claims,
	                                    c->grant, sizeof(c->grant), &n);
}

static void op_raw_hmac(ctx *c)
{
	c->sink += (unsigned)crypto_auth_hmacsha256(c->mac, c->mac_input,
	                                            c->mac_input_len, c->key);
}

static void verify(ctx *c, const uint8_t *g, size_t len)
{
	hcp_grant_check chk;
	hcp_grant_claims out;

	memset(&chk, 0, sizeof(chk));
	chk.now_ms = c->grant_claims.issued_at_ms + 1;
	chk.skew_ms = HCP_TOKEN_DEFAULT_SKEW_MS;
	chk.principal = c->grant_claims.principal;
	chk.principal_len = c->grant_claims.principal_len;
	c->sink += (unsigned)hcp_grant_verify(
	        &c->ring, &chk, c->grant_claims.stream,
	        c->grant_claims.stream_len, g, len, &out);
}

static void op_verify(ctx *c)
{
	verify(c, c->grant, c->grant_len);
}

static void op_verify_text(ctx *c)
{
	verify(c, c->grant_text, c->grant_text_len);
}

static void op_raw_hmac_verify(ctx *c)
{
	c->sink += (unsigned)crypto_auth_hmacsha256_verify(
	        c->grant + c->grant_len - 32, c->mac_input, c->mac_input_len,
	        c->key);
}

static void set(uint8_t *dst, size_t *len, const char *s)
{
	*len = strlen(s);
	memcpy(dst, s, *len);
}

static int setup(ctx *c)
{
	static const char *names[] = { "chat/room-17", "presence/team-2",
		                       "orders/eu-west", "alerts/42" };
	unsigned long long ct_len;
	size_t n;

	memset(c, 0, sizeof(*c));
	if (hcp_keyring_init(&c->ring) != HCP_OK)
		return -1;
	randombytes_buf(c->key, sizeof(c->key));
	randombytes_buf(c->nonce, sizeof(c->nonce));
	if (hcp_keyring_add(&c->ring, 7, c->key, HCP_KEY_SEAL) != HCP_OK)
		return -1;
	c->claims.issued_at_ms = 1767225600000ull;
	c->claims.expires_at_ms = c->claims.issued_at_ms + 300000;
	set(c->claims.principal, &c->claims.principal_len, "user:4f1c2a9e");
	set(c->claims.session_id, &c->claims.session_id_len,
	    "sess-9b7e5d3c1a2f4e6d");
	set(c->claims.context, &c->claims.context_len, "rl:0003:10000");
	for (size_t i = 0; i < 4; i++) {
		hcp_token_stream *s = &c->claims.streams[i];

		set(s->name, &s->name_len, names[i]);
		s->offset = 1000 + i;
		s->epoch = 1;
	}
	c->claims.stream_count = 4;
	if (hcp_token_seal(&c->ring, &c->claims, c->nonce, c->token,
	                   sizeof(c->token), &c->token_len, NULL) != HCP_OK)
		return -1;
	/* The same plaintext the module sealed, recovered for the raw
	 * primitive. */
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	            c->pt, &ct_len, NULL, c->token + HCP_TOKEN_HEADER_SIZE,
	            c->token_len - HCP_TOKEN_HEADER_SIZE, c->token,
	            HCP_TOKEN_HEADER_SIZE, c->nonce, c->key) != 0)
		return -1;
	c->pt_len = (size_t)ct_len;

	c->grant_claims.issued_at_ms = c->claims.issued_at_ms;
	c->grant_claims.expires_at_ms = c->claims.issued_at_ms + 3600000;
	c->grant_claims.match = HCP_GRANT_PREFIX;
	set(c->grant_claims.principal, &c->grant_claims.principal_len,
	    "user:4f1c2a9e");
	set(c->grant_claims.stream, &c->grant_claims.stream_len,
	    "orders/eu-west/");
	if (hcp_grant_mint(&c->ring, &c->grant_claims, c->grant,
	                   sizeof(c->grant), &c->grant_len) != HCP_OK ||
	    hcp_grant_mint_text(&c->ring, &c->grant_claims, c->grant_text,
	                        sizeof(c->grant_text),
	                        &c->grant_text_len) != HCP_OK)
		return -1;
	n = c->grant_len - 32;
	memcpy(c->mac_input, HCP_GRANT_MAC_LABEL, HCP_GRANT_MAC_LABEL_SIZE);
	memcpy(c->mac_input + HCP_GRANT_MAC_LABEL_SIZE, c->grant, n);
	c->mac_input_len = HCP_GRANT_MAC_LABEL_SIZE + n;
	/* The grant's stream is a prefix: subscribe to a stream inside. */
	set(c->grant_claims.stream, &c->grant_claims.stream_len,
	    "orders/eu-west/1");
	return 0;
}

static void row(const char *op, double ours, const char *raw_name, double raw,
                size_t bytes)
{
	printf("| %-13s | %5zu | %10.0f | %-34s | %10.0f | %5.2f |\n", op,
	       bytes, ours, raw_name, raw, ours / raw);
}

int main(void)
{
	static ctx c;
	double seal, enc, open, dec, mint, mac, ver, vtext, mver, mver2;

	if (setup(&c) != 0) {
		fprintf(stderr, "bench_token: setup failed\n");
		return 1;
	}
	/* Measured in pairs, ours and the primitive's alternating. */
	measure_pair(&c, op_seal, op_raw_encrypt, &seal, &enc);
	measure_pair(&c, op_open, op_raw_decrypt, &open, &dec);
	measure_pair(&c, op_mint, op_raw_hmac, &mint, &mac);
	measure_pair(&c, op_verify, op_raw_hmac_verify, &ver, &mver);
	measure_pair(&c, op_verify_text, op_raw_hmac_verify, &vtext, &mver2);

	printf("\nResume tokens and grants: operations per second (best of "
	       "%d rounds of %.0f ms of CPU time)\n"
	       "token: %zu bytes, 4 streams; grant: %zu bytes binary, %zu "
	       "text\n\n",
	       ROUNDS, ROUND_NS / 1e6, c.token_len, c.grant_len,
	       c.grant_text_len);
	printf("| %-13s | bytes | HCP ops/s  | %-34s | raw ops/s  | ratio |\n",
	       "operation", "libsodium primitive, same bytes");
	printf("|---|---|---|---|---|---|\n");
	row("seal", seal, "xchacha20poly1305_ietf_encrypt", enc, c.token_len);
	row("open", open, "xchacha20poly1305_ietf_decrypt", dec, c.token_len);
	row("mint", mint, "crypto_auth_hmacsha256", mac, c.grant_len);
	row("verify", ver, "crypto_auth_hmacsha256_verify", mver, c.grant_len);
	row("verify (text)", vtext, "crypto_auth_hmacsha256_verify", mver2,
	    c.grant_text_len);
	printf("\nratio = HCP ops/s / raw ops/s (1.00: no overhead beyond "
	       "the primitive). check value %u\n",
	       c.sink);
	hcp_keyring_wipe(&c.ring);
	sodium_memzero(c.key, sizeof(c.key));
	return 0;
}

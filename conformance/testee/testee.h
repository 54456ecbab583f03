/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee.h: the parts of an HCP reference testee. testee.c serves the
 * testee protocol (conformance/TESTEE.md) on stdin and stdout and runs
 * every kind that needs only hcp.h; a backend file (testee_pbc.c,
 * testee_nanopb.c) supplies the wire decode through one backend of the
 * codec. The deliberately wrong testee (testee_faulty.c) installs a hook
 * that sees every request first. Nothing here is part of the codec's API.
 */
#ifndef HCP_TESTEE_H
#define HCP_TESTEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hcp/hcp.h"
#include "hcp/conformance/v1/testee.pb-c.h"

/* The name of the backend, for messages. */
extern const char hcp_testee_backend[];

/* Decodes and validates one frame with the backend and writes its
 * canonical re-encoding into out (cap bytes). */
HCP_NODISCARD hcp_error hcp_testee_decode(const uint8_t *frame, size_t len,
                                          size_t max_frame, uint8_t *out,
                                          size_t cap, size_t *written);

/* An answer being built. The helpers below copy what they are given. */
struct hcp_testee_answer {
	Hcp__Conformance__V1__Response resp;
	Hcp__Conformance__V1__Output out;
	Hcp__Conformance__V1__ParseError perr;
	char cls[32];   /* the error class of a parse error */
	char text[256]; /* a parse error's detail, or an error message */
	bool failed;    /* an allocation failed: answer with a runtime error */
};

void hcp_testee_put_bytes(struct hcp_testee_answer *a, const char *key,
                          const uint8_t *p, size_t n);
void hcp_testee_put_uint(struct hcp_testee_answer *a, const char *key,
                         uint64_t v);
void hcp_testee_put_bool(struct hcp_testee_answer *a, const char *key, bool v);
void hcp_testee_put_str(struct hcp_testee_answer *a, const char *key,
                        const char *s);
/* An empty list named key; then appends a bytes value to it (the list is
 * created on first use). */
void hcp_testee_put_empty_list(struct hcp_testee_answer *a, const char *key);
void hcp_testee_put_list_bytes(struct hcp_testee_answer *a, const char *key,
                               const uint8_t *p, size_t n);
void hcp_testee_parse_error(struct hcp_testee_answer *a, hcp_error err);
void hcp_testee_runtime_error(struct hcp_testee_answer *a, const char *msg);
void hcp_testee_unsupported(struct hcp_testee_answer *a, const char *msg);

/* A value of the request's input, or NULL. */
const Hcp__Conformance__V1__Value *
hcp_testee_input(const Hcp__Conformance__V1__Request *req, const char *key);

/* Whether testee.c implements the kind. */
bool hcp_testee_knows(const char *kind);

/* Sees every request before the testee does; returns true when it has
 * answered. NULL for an honest testee. */
typedef bool (*hcp_testee_hook)(const Hcp__Conformance__V1__Request *req,
                                struct hcp_testee_answer *a);

/* The token kinds (token.seal, token.open, grant.mint, grant.verify), in
 * codec/tests/test_token_testee.c: a hook for the reference testees. */
bool hcp_testee_token_hook(const Hcp__Conformance__V1__Request *req,
                           struct hcp_testee_answer *a);

/* Serves requests from stdin until end of file. Returns the exit status. */
int hcp_testee_serve(hcp_testee_hook hook);

#endif /* HCP_TESTEE_H */

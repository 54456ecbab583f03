/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_testee.c: the conformance runner's reader of testee answers, fed an
 * arbitrary answer by a real child process, through the runner's public
 * functions (conformance/runner/runner.h).
 *
 * Each input is what a testee writes to its stdout after reading one
 * request: normally a 4-byte little-endian length and a Response. The
 * harness writes it to a file, starts the fake testee answer.c on it with
 * hcp_rt_exchange (which sends the request of a vector test, reads the
 * length and the answer, with its deadline and its size bound), decodes
 * the answer as a Response as the runner does, and judges it with
 * hcp_rt_output_matches against the test's expected output.
 *
 * Properties: when the input holds a whole answer (a length n and at
 * least n bytes after it, n within the runner's bound) the exchange
 * succeeds and returns exactly those n bytes; when it does not, the
 * exchange fails without returning anything and kills the testee, and
 * the next exchange can start a fresh one; every message the runner
 * writes for a person is terminated inside its buffer; nothing leaks,
 * nothing is read out of bounds (AddressSanitizer, LeakSanitizer), and
 * no answer makes the runner wait past its deadline (libFuzzer's
 * timeout).
 *
 * Input: two bytes choosing the vector test, then the testee's answer.
 * The vectors are read from conformance/vectors (or $HCP_FUZZ_VECTORS,
 * a folder); the fake testee is answer next to the harness binary.
 */
#define _POSIX_C_SOURCE 200809L

#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "runner.h"

/* The runner's bound on one answer (testee.c). */
#define MAX_ANSWER (64u * 1024u * 1024u)

static struct hcp_rt_suite suite;
static size_t *with_output;
static size_t n_with_output;
static char answer_path[4096];
static char cmd[2 * 4096 + 32];

/* Every test with an expected output and a request the runner can
 * build. */
static void load_vectors(void)
{
	const char *dir = getenv("HCP_FUZZ_VECTORS");
	char pattern[4096];
	glob_t g;
	size_t i;

	if (dir == NULL)
		dir = "conformance/vectors";
	snprintf(pattern, sizeof(pattern), "%s/*.json", dir);
	if (glob(pattern, 0, NULL, &g) != 0)
		hcp_fuzz_fail(__FILE__, __LINE__, "no vector files found");
	for (i = 0; i < g.gl_pathc; i++)
		HCP_FUZZ_ASSERT(hcp_rt_load(&suite, g.gl_pathv[i]) == 0);
	globfree(&g);
	with_output = calloc(suite.n_tests + 1, sizeof(*with_output));
	HCP_FUZZ_ASSERT(with_output != NULL);
	for (i = 0; i < suite.n_tests; i++) {
		uint8_t *req = NULL;
		size_t len = 0;
		char why[256];

		if (suite.tests[i].output == NULL ||
		    hcp_rt_request(&suite.tests[i], &req, &len, why,
		                   sizeof(why)) != 0)
			continue;
		free(req);
		with_output[n_with_output++] = i;
	}
	HCP_FUZZ_ASSERT(n_with_output > 0);
}

/* The fake testee sits next to this binary; the answer file is per
 * process, so that parallel fuzzers do not share it. */
static void setup(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	HCP_FUZZ_ASSERT(n > 0);
	self[n] = '\0';
	slash = strrchr(self, '/');
	HCP_FUZZ_ASSERT(slash != NULL);
	slash[1] = '\0';
	snprintf(answer_path, sizeof(answer_path), "/tmp/hcp-fuzz-answer.%ld",
	         (long)getpid());
	snprintf(cmd, sizeof(cmd), "exec '%sanswer' '%s'", self, answer_path);
	signal(SIGPIPE, SIG_IGN); /* as the runner's main() does */
	load_vectors();
}

static void write_answer(const uint8_t *p, size_t n)
{
	FILE *f = fopen(answer_path, "wb");

	HCP_FUZZ_ASSERT(f != NULL);
	HCP_FUZZ_ASSERT(fwrite(p, 1, n, f) == n);
	HCP_FUZZ_ASSERT(fclose(f) == 0);
}

static void assert_message(const char *buf, size_t cap)
{
	HCP_FUZZ_ASSERT(memchr(buf, '\0', cap) != NULL);
}

/* What the runner does with an answer it read: decode, then judge. */
static void judge(const struct hcp_rt_test *t, const uint8_t *resp, size_t len)
{
	Hcp__Conformance__V1__Response *r;
	char why[512];

	r = hcp__conformance__v1__response__unpack(NULL, len, resp);
	if (r == NULL)
		return;
	if (r->result_case == HCP__CONFORMANCE__V1__RESPONSE__RESULT_OUTPUT) {
		why[0] = '\0';
		HCP_FUZZ_ASSERT(r->output != NULL);
		if (!hcp_rt_output_matches(r->output, t->output, why,
		                           sizeof(why)))
			HCP_FUZZ_ASSERT(why[0] != '\0');
		assert_message(why, sizeof(why));
	}
	hcp__conformance__v1__response__free_unpacked(r, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	hcp_fuzz_in in = { data, size };
	struct hcp_rt_testee te;
	const struct hcp_rt_test *t;
	uint8_t *req = NULL;
	size_t req_len = 0;
	uint8_t *resp = (uint8_t *)&te;
	size_t resp_len = 1;
	char why[512];
	enum hcp_rt_io io;
	uint32_t n = 0;
	int whole;

	if (!ready) {
		setup();
		ready = 1;
	}
	t = &suite.tests[with_output[hcp_fuzz_u16(&in) % n_with_output]];
	why[0] = '\0';
	HCP_FUZZ_ASSERT(hcp_rt_request(t, &req, &req_len, why, sizeof(why)) ==
	                0);
	write_answer(in.p, in.n);
	if (in.n >= 4)
		n = (uint32_t)in.p[0] | (uint32_t)in.p[1] << 8 |
		    (uint32_t)in.p[2] << 16 | (uint32_t)in.p[3] << 24;
	whole = in.n >= 4 && n <= MAX_ANSWER && n <= in.n - 4;

	hcp_rt_testee_init(&te, cmd, -1);
	io = hcp_rt_exchange(&te, req, req_len, &resp, &resp_len, 5000, why,
	                     sizeof(why));
	free(req);
	assert_message(why, sizeof(why));
	if (whole) {
		HCP_FUZZ_ASSERT(io == HCP_RT_IO_OK);
		HCP_FUZZ_ASSERT(resp_len == n);
		HCP_FUZZ_ASSERT(resp != NULL);
		HCP_FUZZ_ASSERT(n == 0 || memcmp(resp, in.p + 4, n) == 0);
		judge(t, resp, resp_len);
		free(resp);
	} else {
		HCP_FUZZ_ASSERT(io != HCP_RT_IO_OK);
		HCP_FUZZ_ASSERT(resp == NULL && resp_len == 0);
		HCP_FUZZ_ASSERT(why[0] != '\0');
		HCP_FUZZ_ASSERT(te.pid == -1);
	}
	hcp_rt_kill_for_resync(&te);
	HCP_FUZZ_ASSERT(te.pid == -1);
	return 0;
}

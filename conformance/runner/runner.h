/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runner.h: the internal interfaces of the HCP conformance runner. The
 * runner loads vector files (vectors.c), drives one testee process over
 * the length-prefixed testee protocol (testee.c), judges every answer
 * (main.c) and writes the console, JSON and JUnit reports (report.c).
 * Nothing here is a library API; the names stay inside the runner.
 */
#ifndef HCP_RUNNER_H
#define HCP_RUNNER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hcp/conformance/v1/testee.pb-c.h"

/* ------------------------------------------------------------------------
 * Tests, as loaded from the vector files
 * ---------------------------------------------------------------------- */

enum hcp_rt_result {
	HCP_RT_VALID,
	HCP_RT_INVALID,
	HCP_RT_ACCEPTABLE,
};

/* The strongest BCP 14 keyword among a test's requirements. */
enum hcp_rt_level {
	HCP_RT_MUST,
	HCP_RT_SHOULD,
	HCP_RT_MAY,
};

enum hcp_rt_verdict {
	HCP_RT_PASS,
	HCP_RT_FAIL,            /* counts against the run */
	HCP_RT_WARN,            /* a SHOULD or MAY failed, not --strict */
	HCP_RT_EXPECTED_FAIL,   /* failed and listed as expected */
	HCP_RT_UNEXPECTED_PASS, /* passed although listed: fails the run */
	HCP_RT_INFO,            /* an acceptable test: reported, not judged */
};

struct hcp_rt_test {
	const char *file; /* base name of the vector file */
	const char *kind;
	const char *id;
	const char *comment;
	int tc_id;
	const char **reqs;
	size_t n_reqs;
	enum hcp_rt_result result;
	const char *error_class; /* NULL unless given */
	json_t *other_classes;   /* also conforming ([HCP-WIRE-10]); or NULL */
	json_t *input;           /* borrowed from the file's document */
	json_t *output;          /* NULL unless given */

	/* Filled in by the run. */
	bool ran; /* selected by the filters and run */
	enum hcp_rt_level level;
	enum hcp_rt_verdict verdict;
	bool failed; /* the answer did not meet the expectation */
	char detail[512];
	double ms;
};

struct hcp_rt_suite {
	struct hcp_rt_test *tests;
	size_t n_tests;
	json_t **docs; /* one reference per loaded file */
	size_t n_docs;
};

/* Loads one vector file and appends its tests. Returns 0, or -1 with a
 * message on stderr. */
int hcp_rt_load(struct hcp_rt_suite *s, const char *path);
void hcp_rt_suite_free(struct hcp_rt_suite *s);

/* Builds the testee Request of a test (input converted from JSON). Returns
 * 0, or -1 with why filled when the input cannot be represented. */
int hcp_rt_request(const struct hcp_rt_test *t, uint8_t **out, size_t *len,
                   char *why, size_t why_len);
/* Compares a response's output with the expected JSON output. Returns true
 * when every expected member is present and equal; otherwise false with
 * why filled. */
bool hcp_rt_output_matches(const Hcp__Conformance__V1__Output *got,
                           json_t *want, char *why, size_t why_len);

/* ------------------------------------------------------------------------
 * The testee process
 * ---------------------------------------------------------------------- */

struct hcp_rt_testee {
	const char *cmd; /* run with /bin/sh -c */
	int stderr_fd;   /* where the testee's stderr goes; -1: inherit */
	pid_t pid;       /* -1 when not running */
	int to_fd;
	int from_fd;
	unsigned starts;
};

enum hcp_rt_io {
	HCP_RT_IO_OK,
	HCP_RT_IO_TIMEOUT, /* no answer in time: the testee was killed */
	HCP_RT_IO_EXITED,  /* the testee exited or closed its output */
	HCP_RT_IO_BAD,     /* the answer is not a valid frame */
};

void hcp_rt_testee_init(struct hcp_rt_testee *t, const char *cmd,
                        int stderr_fd);
/* Sends one request and reads one response, starting the testee first if
 * it is not running. On anything but HCP_RT_IO_OK the testee is stopped
 * (and restarted by the next call) and why says what happened. */
enum hcp_rt_io hcp_rt_exchange(struct hcp_rt_testee *t, const uint8_t *req,
                               size_t len, uint8_t **resp, size_t *resp_len,
                               int timeout_ms, char *why, size_t why_len);
/* Kills a testee whose answers can no longer be trusted; the next
 * exchange starts a fresh one. */
void hcp_rt_kill_for_resync(struct hcp_rt_testee *t);
/* Closes the testee's stdin and waits up to 2 s for it to exit, killing
 * it if it does not. Returns 0 when it exited with status 0 (or was not
 * running), else -1 with why filled. */
int hcp_rt_testee_stop(struct hcp_rt_testee *t, char *why, size_t why_len);

/* ------------------------------------------------------------------------
 * Requirements and reports
 * ---------------------------------------------------------------------- */

struct hcp_rt_req {
	char *id;
	char *keyword; /* as the spec's TSV spells it, e.g. "MUST NOT" */
};

struct hcp_rt_reqs {
	struct hcp_rt_req *v;
	size_t n;
};

int hcp_rt_reqs_load(struct hcp_rt_reqs *r, const char *path);
const struct hcp_rt_req *hcp_rt_reqs_find(const struct hcp_rt_reqs *r,
                                          const char *id);
void hcp_rt_reqs_free(struct hcp_rt_reqs *r);
enum hcp_rt_level hcp_rt_level_of(const char *keyword);
const char *hcp_rt_level_name(enum hcp_rt_level l);
const char *hcp_rt_verdict_name(enum hcp_rt_verdict v);

struct hcp_rt_totals {
	size_t passed, failed, warned, expected, unexpected, info, stale;
	bool precheck_failed;
};

void hcp_rt_report_console(const struct hcp_rt_suite *s,
                           const struct hcp_rt_reqs *reqs,
                           const struct hcp_rt_totals *tot, bool verbose);
int hcp_rt_report_json(const char *path, const char *name, const char *cmd,
                       bool strict, const struct hcp_rt_suite *s,
                       const struct hcp_rt_reqs *reqs,
                       const struct hcp_rt_totals *tot);
int hcp_rt_report_junit(const char *path, const char *name,
                        const struct hcp_rt_suite *s,
                        const struct hcp_rt_totals *tot);

#endif /* HCP_RUNNER_H */

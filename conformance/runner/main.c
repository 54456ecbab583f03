/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c: the HCP conformance runner. It loads vector files, starts the
 * testee, checks first that the testee answers "unsupported" for a kind
 * that does not exist, then sends every test and judges every answer:
 * a failed MUST fails the run, a failed SHOULD or MAY warns unless
 * --strict, an "acceptable" test is reported and not judged, and an
 * expected-failures file turns listed failures into expected ones (a
 * listed test that passes, or an entry that matches nothing, fails the
 * run). A testee that crashes, hangs or answers garbage fails that test
 * and is restarted for the next one. Usage: see usage() below and
 * conformance/TESTEE.md.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

struct xfail {
	char *pattern;
	unsigned line;
	size_t matched;
};

struct opts {
	const char *testee;
	const char *reqs;
	const char *xfail;
	const char *json;
	const char *junit;
	const char *name;
	const char *testee_stderr;
	const char **kinds;
	size_t n_kinds;
	const char **only;
	size_t n_only;
	int timeout_ms;
	bool strict;
	bool verbose;
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: hcp-conformance-runner --testee CMD [options] "
	        "VECTORS.json...\n"
	        "  --testee CMD            the implementation under test, run "
	        "with /bin/sh -c\n"
	        "  --reqs FILE             the spec's requirement TSV "
	        "(spec/tools/reqs.py)\n"
	        "  --strict                a failed SHOULD or MAY fails the "
	        "run\n"
	        "  --expected-failures F   test ids (or fnmatch patterns) "
	        "expected to fail\n"
	        "  --timeout-ms N          per-test timeout (default 5000)\n"
	        "  --json FILE             write a JSON report\n"
	        "  --junit FILE            write a JUnit XML report\n"
	        "  --name NAME             the implementation's name in "
	        "reports\n"
	        "  --testee-stderr FILE    append the testee's stderr to FILE\n"
	        "  --kind PATTERN          run only kinds matching PATTERN "
	        "(repeatable)\n"
	        "  --test PATTERN          run only ids matching PATTERN "
	        "(repeatable)\n"
	        "  --verbose               print every test, not only "
	        "failures\n");
}

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (nv == NULL)
		return -1;
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "testee", required_argument, NULL, 't' },
		{ "reqs", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "expected-failures", required_argument, NULL, 'x' },
		{ "timeout-ms", required_argument, NULL, 'T' },
		{ "json", required_argument, NULL, 'j' },
		{ "junit", required_argument, NULL, 'J' },
		{ "name", required_argument, NULL, 'n' },
		{ "testee-stderr", required_argument, NULL, 'e' },
		{ "kind", required_argument, NULL, 'k' },
		{ "test", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->timeout_ms = 5000;
	o->name = "testee";
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			o->testee = optarg;
			break;
		case 'r':
			o->reqs = optarg;
			break;
		case 's':
			o->strict = true;
			break;
		case 'x':
			o->xfail = optarg;
			break;
		case 'T':
			o->timeout_ms = atoi(optarg);
			if (o->timeout_ms <= 0)
				return -1;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'J':
			o->junit = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'e':
			o->testee_stderr = optarg;
			break;
		case 'k':
			if (push(&o->kinds, &o->n_kinds, optarg) != 0)
				return -1;
			break;
		case 'i':
			if (push(&o->only, &o->n_only, optarg) != 0)
				return -1;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (o->testee == NULL || optind >= argc)
		return -1;
	return 0;
}

static int load_xfail(const char *path, struct xfail **out, size_t *n)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned ln = 0;

	*out = NULL;
	*n = 0;
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *e;
		struct xfail *v;

		ln++;
		e = strchr(p, '#');
		if (e != NULL)
			*e = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strcspn(p, " \t\r\n");
		*e = '\0';
		if (*p == '\0')
			continue;
		v = realloc(*out, (*n + 1) * sizeof(*v));
		if (v == NULL)
			break;
		*out = v;
		v[*n].pattern = strdup(p);
		v[*n].line = ln;
		v[*n].matched = 0;
		(*n)++;
	}
	fclose(f);
	return 0;
}

static struct xfail *xfail_match(struct xfail *x, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(x[i].pattern, id, 0) == 0)
			return &x[i];
	return NULL;
}

static bool matches_any(const struct hcp_rt_suite *s, const char *pattern)
{
	for (size_t i = 0; i < s->n_tests; i++)
		if (fnmatch(pattern, s->tests[i].id, 0) == 0)
			return true;
	return false;
}

static bool selected(const struct opts *o, const struct hcp_rt_test *t)
{
	bool ok = o->n_kinds == 0;

	for (size_t i = 0; !ok && i < o->n_kinds; i++)
		ok = fnmatch(o->kinds[i], t->kind, 0) == 0;
	if (!ok)
		return false;
	ok = o->n_only == 0;
	for (size_t i = 0; !ok && i < o->n_only; i++)
		ok = fnmatch(o->only[i], t->id, 0) == 0;
	return ok;
}

static enum hcp_rt_level level_of(const struct hcp_rt_test *t,
                                  const struct hcp_rt_reqs *reqs)
{
	enum hcp_rt_level best = HCP_RT_MAY;

	if (reqs == NULL || t->n_reqs == 0)
		return HCP_RT_MUST;
	for (size_t i = 0; i < t->n_reqs; i++) {
		const struct hcp_rt_req *r = hcp_rt_reqs_find(reqs, t->reqs[i]);
		enum hcp_rt_level l =
		        r ? hcp_rt_level_of(r->keyword) : HCP_RT_MUST;

		if (l < best)
			best = l;
	}
	return best;
}

static double elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 +
	       (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* Whether a refusal's class is the expected one or one of the others the
 * vector allows. */
static bool class_matches(const struct hcp_rt_test *t, const char *cls)
{
	size_t i;
	json_t *o;

	if (strcmp(cls, t->error_class) == 0)
		return true;
	json_array_foreach(t->other_classes, i,
	                   o) if (json_is_string(o) &&
	                          strcmp(json_string_value(o), cls) ==
	                                  0) return true;
	return false;
}

/* Judges a decoded response. Sets t->failed and t->detail; returns true
 * when the test is an acceptable one that was answered (informational). */
static bool judge(struct hcp_rt_test *t,
                  const Hcp__Conformance__V1__Response *r)
{
	char *d = t->detail;
	size_t dl = sizeof(t->detail);
	const Hcp__Conformance__V1__ParseError *pe = r->parse_error;

	t->failed = true;
	switch (r->result_case) {
	case HCP__CONFORMANCE__V1__RESPONSE__RESULT_OUTPUT:
		if (t->result == HCP_RT_INVALID) {
			snprintf(d, dl,
			         "accepted invalid input (expected "
			         "class %s)",
			         t->error_class);
			return false;
		}
		if (t->result == HCP_RT_ACCEPTABLE) {
			char why[256];

			why[0] = '\0';
			t->failed = false;
			if (t->output == NULL ||
			    hcp_rt_output_matches(r->output, t->output, why,
			                          sizeof(why)))
				snprintf(d, dl, "accepted");
			else
				snprintf(d, dl,
				         "accepted, output differs "
				         "(%s)",
				         why);
			return true;
		}
		if (!hcp_rt_output_matches(r->output, t->output, d, dl))
			return false;
		t->failed = false;
		snprintf(d, dl, "ok");
		return false;
	case HCP__CONFORMANCE__V1__RESPONSE__RESULT_PARSE_ERROR:
		if (t->result == HCP_RT_VALID) {
			snprintf(d, dl, "refused valid input: class %s (%s)",
			         pe->error_class, pe->detail);
			return false;
		}
		if (t->result == HCP_RT_ACCEPTABLE) {
			t->failed = false;
			snprintf(d, dl, "refused: class %s", pe->error_class);
			return true;
		}
		if (!class_matches(t, pe->error_class)) {
			snprintf(d, dl,
			         "refused with class %s (%s), expected "
			         "class %s",
			         pe->error_class, pe->detail, t->error_class);
			return false;
		}
		t->failed = false;
		snprintf(d, dl, "refused: class %s", pe->error_class);
		return false;
	case HCP__CONFORMANCE__V1__RESPONSE__RESULT_RUNTIME_ERROR:
		snprintf(d, dl, "runtime error: %s", r->runtime_error);
		return false;
	case HCP__CONFORMANCE__V1__RESPONSE__RESULT_UNSUPPORTED:
		snprintf(d, dl, "unsupported: %s", r->unsupported);
		return false;
	default:
		snprintf(d, dl, "response has no result");
		return false;
	}
}

/* Runs one test against the testee; fills t->failed and t->detail and
 * returns true when it is an answered acceptable test. */
static bool run_one(struct hcp_rt_testee *te, struct hcp_rt_test *t,
                    int timeout_ms)
{
	uint8_t *req = NULL, *resp = NULL;
	size_t req_len, resp_len;
	char why[256];
	struct timespec t0;
	enum hcp_rt_io io;
	bool info = false;
	Hcp__Conformance__V1__Response *r;

	t->failed = true;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (hcp_rt_request(t, &req, &req_len, why, sizeof(why)) != 0) {
		snprintf(t->detail, sizeof(t->detail), "bad vector input: %s",
		         why);
		return false;
	}
	io = hcp_rt_exchange(te, req, req_len, &resp, &resp_len, timeout_ms,
	                     why, sizeof(why));
	free(req);
	t->ms = elapsed_ms(&t0);
	if (io != HCP_RT_IO_OK) {
		snprintf(t->detail, sizeof(t->detail), "%s", why);
		return false;
	}
	r = hcp__conformance__v1__response__unpack(NULL, resp_len, resp);
	free(resp);
	if (r == NULL) {
		snprintf(t->detail, sizeof(t->detail),
		         "the answer is not a Response (testee restarted)");
		hcp_rt_kill_for_resync(te);
		return false;
	}
	info = judge(t, r);
	hcp__conformance__v1__response__free_unpacked(r, NULL);
	return info;
}

/* Sends a kind that no implementation has; the only honest answer is
 * "unsupported". Returns 0 when the testee passes. */
static int precheck(struct hcp_rt_testee *te, int timeout_ms, char *why,
                    size_t why_len)
{
	Hcp__Conformance__V1__Request req;
	Hcp__Conformance__V1__Response *r;
	char kind[64], id[] = "precheck.unsupported";
	uint8_t *buf, *resp;
	size_t len, resp_len;
	enum hcp_rt_io io;
	int rc = -1;

	snprintf(kind, sizeof(kind), "conformance.no-such-kind-%08lx",
	         (unsigned long)((unsigned long)time(NULL) ^
	                         ((unsigned long)getpid() << 12)));
	hcp__conformance__v1__request__init(&req);
	req.test_id = id;
	req.kind = kind;
	len = hcp__conformance__v1__request__get_packed_size(&req);
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return -1;
	hcp__conformance__v1__request__pack(&req, buf);
	io = hcp_rt_exchange(te, buf, len, &resp, &resp_len, timeout_ms, why,
	                     why_len);
	free(buf);
	if (io != HCP_RT_IO_OK)
		return -1;
	r = hcp__conformance__v1__response__unpack(NULL, resp_len, resp);
	free(resp);
	if (r == NULL) {
		snprintf(why, why_len, "the answer is not a Response");
		hcp_rt_kill_for_resync(te);
		return -1;
	}
	if (r->result_case ==
	    HCP__CONFORMANCE__V1__RESPONSE__RESULT_UNSUPPORTED)
		rc = 0;
	else
		snprintf(why, why_len,
		         "kind %s was not answered "
		         "\"unsupported\" (result case %d)",
		         kind, (int)r->result_case);
	hcp__conformance__v1__response__free_unpacked(r, NULL);
	return rc;
}

static void print_test(const char *tag, const struct hcp_rt_test *t)
{
	printf("%-15s %s (%s #%d) [", tag, t->id, t->file, t->tc_id);
	for (size_t i = 0; i < t->n_reqs; i++)
		printf("%s%s", i ? " " : "", t->reqs[i]);
	printf(" %s]: %s\n", hcp_rt_level_name(t->level), t->detail);
}

/* Keeps details printable ASCII, whatever a testee sent. */
static void clean_detail(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

static void settle(struct hcp_rt_test *t, bool info, const struct opts *o,
                   struct xfail *x, size_t nx, struct hcp_rt_totals *tot)
{
	struct xfail *m = xfail_match(x, nx, t->id);

	clean_detail(t->detail);
	if (m != NULL)
		m->matched++;
	if (info && !t->failed) {
		t->verdict = HCP_RT_INFO;
		tot->info++;
	} else if (t->failed && m != NULL) {
		t->verdict = HCP_RT_EXPECTED_FAIL;
		tot->expected++;
	} else if (t->failed && (t->level == HCP_RT_MUST || o->strict)) {
		t->verdict = HCP_RT_FAIL;
		tot->failed++;
	} else if (t->failed) {
		t->verdict = HCP_RT_WARN;
		tot->warned++;
	} else if (m != NULL) {
		t->verdict = HCP_RT_UNEXPECTED_PASS;
		tot->unexpected++;
		snprintf(t->detail, sizeof(t->detail),
		         "passes, but is listed "
		         "in the expected failures (line %u): remove it",
		         m->line);
	} else {
		t->verdict = HCP_RT_PASS;
		tot->passed++;
	}
	switch (t->verdict) {
	case HCP_RT_FAIL:
		print_test("FAIL", t);
		break;
	case HCP_RT_WARN:
		print_test("WARN", t);
		break;
	case HCP_RT_UNEXPECTED_PASS:
		print_test("UNEXPECTED-PASS", t);
		break;
	case HCP_RT_EXPECTED_FAIL:
		if (o->verbose)
			print_test("XFAIL", t);
		break;
	case HCP_RT_INFO:
		print_test("ACCEPTABLE", t);
		break;
	case HCP_RT_PASS:
		if (o->verbose)
			print_test("PASS", t);
		break;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct hcp_rt_suite suite;
	struct hcp_rt_reqs reqs;
	struct hcp_rt_testee te;
	struct hcp_rt_totals tot;
	struct xfail *xf = NULL;
	size_t nxf = 0;
	int err_fd = -1;
	char why[256];
	int rc = 0;

	if (parse_opts(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(&suite, 0, sizeof(suite));
	memset(&reqs, 0, sizeof(reqs));
	memset(&tot, 0, sizeof(tot));
	for (int i = optind; i < argc; i++)
		if (hcp_rt_load(&suite, argv[i]) != 0)
			return 2;
	if (o.reqs != NULL && hcp_rt_reqs_load(&reqs, o.reqs) != 0)
		return 2;
	if (o.xfail != NULL && load_xfail(o.xfail, &xf, &nxf) != 0)
		return 2;
	if (o.testee_stderr != NULL) {
		err_fd = open(o.testee_stderr, O_WRONLY | O_CREAT | O_APPEND,
		              0644);
		if (err_fd < 0) {
			fprintf(stderr, "%s: %s\n", o.testee_stderr,
			        strerror(errno));
			return 2;
		}
	}
	hcp_rt_testee_init(&te, o.testee, err_fd);
	printf("HCP conformance: %s: %zu tests from %d files\n", o.name,
	       suite.n_tests, argc - optind);
	why[0] = '\0';
	if (precheck(&te, o.timeout_ms, why, sizeof(why)) != 0) {
		printf("FAIL            precheck: the testee must answer "
		       "\"unsupported\" for a kind it does not know: %s\n",
		       why);
		tot.precheck_failed = true;
		tot.failed++;
	}
	for (size_t i = 0; !tot.precheck_failed && i < suite.n_tests; i++) {
		struct hcp_rt_test *t = &suite.tests[i];
		bool info;

		if (!selected(&o, t))
			continue;
		t->ran = true;
		t->level = level_of(t, o.reqs ? &reqs : NULL);
		info = run_one(&te, t, o.timeout_ms);
		settle(t, info, &o, xf, nxf, &tot);
	}
	if (hcp_rt_testee_stop(&te, why, sizeof(why)) != 0) {
		printf("FAIL            testee exit: at the end of its input, "
		       "%s\n",
		       why);
		tot.failed++;
	}
	/* An entry is stale when it matches no loaded test at all; one that
	 * matches only tests the filters left out is not. */
	for (size_t i = 0; !tot.precheck_failed && i < nxf; i++) {
		if (xf[i].matched == 0 && !matches_any(&suite, xf[i].pattern)) {
			printf("STALE           expected-failures line %u: "
			       "'%s' matches no test\n",
			       xf[i].line, xf[i].pattern);
			tot.stale++;
		}
	}
	if (te.starts > 1)
		printf("testee restarted %u times\n", te.starts - 1);
	hcp_rt_report_console(&suite, o.reqs ? &reqs : NULL, &tot, o.verbose);
	if (o.json != NULL &&
	    hcp_rt_report_json(o.json, o.name, o.testee, o.strict, &suite,
	                       o.reqs ? &reqs : NULL, &tot) != 0)
		rc = 2;
	if (o.junit != NULL &&
	    hcp_rt_report_junit(o.junit, o.name, &suite, &tot) != 0)
		rc = 2;
	if (tot.failed + tot.unexpected + tot.stale > 0)
		rc = 1;
	for (size_t i = 0; i < nxf; i++)
		free(xf[i].pattern);
	free(xf);
	free(o.kinds);
	free(o.only);
	hcp_rt_reqs_free(&reqs);
	hcp_rt_suite_free(&suite);
	if (err_fd >= 0)
		close(err_fd);
	return rc;
}

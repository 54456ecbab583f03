/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c: the runner's three reports. The console summary counts the
 * verdicts per test kind and per requirement ID (each test counts for
 * every ID it cites) and ends in the line "N passed, N failed"; the JSON
 * report holds every test with its verdict, detail and duration plus the
 * same roll-ups; the JUnit XML report has one testsuite per kind for CI
 * systems. Reports only read the suite; they never change a verdict.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

struct tally {
	const char *key;
	size_t n[6]; /* indexed by enum hcp_rt_verdict */
	const char *level;
};

struct tallies {
	struct tally *v;
	size_t n;
};

static struct tally *tally_get(struct tallies *t, const char *key)
{
	struct tally *v;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, key) == 0)
			return &t->v[i];
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (v == NULL)
		return NULL;
	t->v = v;
	memset(&v[t->n], 0, sizeof(v[t->n]));
	v[t->n].key = key;
	return &v[t->n++];
}

/* Orders requirement IDs by area, then by number. */
static int cmp_req(const void *a, const void *b)
{
	const char *x = ((const struct tally *)a)->key;
	const char *y = ((const struct tally *)b)->key;
	const char *dx = strrchr(x, '-'), *dy = strrchr(y, '-');
	size_t lx = (size_t)(dx - x), ly = (size_t)(dy - y);
	int c = strncmp(x, y, lx < ly ? lx : ly);

	if (c != 0)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return atoi(dx + 1) - atoi(dy + 1);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key,
	              ((const struct tally *)b)->key);
}

static void build(const struct hcp_rt_suite *s, const struct hcp_rt_reqs *r,
                  struct tallies *kinds, struct tallies *reqs)
{
	memset(kinds, 0, sizeof(*kinds));
	memset(reqs, 0, sizeof(*reqs));
	for (size_t i = 0; i < s->n_tests; i++) {
		const struct hcp_rt_test *t = &s->tests[i];
		struct tally *k;

		if (!t->ran)
			continue;
		k = tally_get(kinds, t->kind);
		if (k != NULL)
			k->n[t->verdict]++;
		for (size_t j = 0; j < t->n_reqs; j++) {
			struct tally *q = tally_get(reqs, t->reqs[j]);
			const struct hcp_rt_req *d;

			if (q == NULL)
				continue;
			q->n[t->verdict]++;
			d = r ? hcp_rt_reqs_find(r, t->reqs[j]) : NULL;
			q->level = d ? d->keyword : (r ? "UNDEFINED" : "-");
		}
	}
	if (kinds->n > 1)
		qsort(kinds->v, kinds->n, sizeof(*kinds->v), cmp_key);
	if (reqs->n > 1)
		qsort(reqs->v, reqs->n, sizeof(*reqs->v), cmp_req);
}

static void print_row(const struct tally *t, const char *level)
{
	printf("  %-26s %-10s %6zu %6zu %6zu %6zu %6zu\n", t->key, level,
	       t->n[HCP_RT_PASS],
	       t->n[HCP_RT_FAIL] + t->n[HCP_RT_UNEXPECTED_PASS],
	       t->n[HCP_RT_WARN], t->n[HCP_RT_EXPECTED_FAIL],
	       t->n[HCP_RT_INFO]);
}

void hcp_rt_report_console(const struct hcp_rt_suite *s,
                           const struct hcp_rt_reqs *r,
                           const struct hcp_rt_totals *tot, bool verbose)
{
	struct tallies kinds, reqs;

	(void)verbose;
	build(s, r, &kinds, &reqs);
	printf("\nper test kind:\n  %-26s %-10s %6s %6s %6s %6s %6s\n", "kind",
	       "", "pass", "fail", "warn", "xfail", "accept");
	for (size_t i = 0; i < kinds.n; i++)
		print_row(&kinds.v[i], "");
	printf("\nper requirement:\n  %-26s %-10s %6s %6s %6s %6s %6s\n",
	       "requirement", "keyword", "pass", "fail", "warn", "xfail",
	       "accept");
	for (size_t i = 0; i < reqs.n; i++)
		print_row(&reqs.v[i], reqs.v[i].level);
	printf("\n%zu warnings (a SHOULD or MAY failed; --strict makes them "
	       "failures), %zu expected failures, %zu acceptable (reported, "
	       "not judged), %zu unexpected passes, %zu stale entries\n",
	       tot->warned, tot->expected, tot->info, tot->unexpected,
	       tot->stale);
	printf("%zu passed, %zu failed\n", tot->passed,
	       tot->failed + tot->unexpected + tot->stale);
	free(kinds.v);
	free(reqs.v);
}

static json_t *tally_json(const struct tallies *t, bool with_level)
{
	json_t *o = json_object();

	for (size_t i = 0; i < t->n; i++) {
		const struct tally *x = &t->v[i];
		json_t *e = json_pack(
		        "{s:I,s:I,s:I,s:I,s:I}", "pass",
		        (json_int_t)x->n[HCP_RT_PASS], "fail",
		        (json_int_t)(x->n[HCP_RT_FAIL] +
		                     x->n[HCP_RT_UNEXPECTED_PASS]),
		        "warn", (json_int_t)x->n[HCP_RT_WARN], "xfail",
		        (json_int_t)x->n[HCP_RT_EXPECTED_FAIL], "acceptable",
		        (json_int_t)x->n[HCP_RT_INFO]);

		if (with_level && x->level != NULL)
			json_object_set_new(e, "keyword",
			                    json_string(x->level));
		json_object_set_new(o, x->key, e);
	}
	return o;
}

int hcp_rt_report_json(const char *path, const char *name, const char *cmd,
                       bool strict, const struct hcp_rt_suite *s,
                       const struct hcp_rt_reqs *reqs,
                       const struct hcp_rt_totals *tot)
{
	struct tallies kinds, rq_tally;
	json_t *doc, *tests = json_array();
	int rc;

	for (size_t i = 0; i < s->n_tests; i++) {
		const struct hcp_rt_test *t = &s->tests[i];
		json_t *rq, *e;

		if (!t->ran)
			continue;
		rq = json_array();
		for (size_t j = 0; j < t->n_reqs; j++)
			json_array_append_new(rq, json_string(t->reqs[j]));
		e = json_pack("{s:s,s:s,s:i,s:s,s:o,s:s,s:s,s:s,s:f}", "id",
		              t->id, "file", t->file, "tcId", t->tc_id, "kind",
		              t->kind, "reqs", rq, "level",
		              hcp_rt_level_name(t->level), "verdict",
		              hcp_rt_verdict_name(t->verdict), "detail",
		              t->detail, "ms", t->ms);
		if (e == NULL) {
			fprintf(stderr, "%s: cannot represent test %s\n", path,
			        t->id);
			json_decref(tests);
			return -1;
		}
		json_array_append_new(tests, e);
	}
	build(s, reqs, &kinds, &rq_tally);
	doc = json_pack(
	        "{s:s,s:s,s:b,s:b,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:o,s:o}",
	        "implementation", name, "testee", cmd, "strict", strict,
	        "precheckFailed", tot->precheck_failed, "summary", "passed",
	        (json_int_t)tot->passed, "failed",
	        (json_int_t)(tot->failed + tot->unexpected + tot->stale),
	        "warned", (json_int_t)tot->warned, "expectedFailures",
	        (json_int_t)tot->expected, "acceptable", (json_int_t)tot->info,
	        "unexpectedPasses", (json_int_t)tot->unexpected, "stale",
	        (json_int_t)tot->stale, "kinds", tally_json(&kinds, false),
	        "requirements", tally_json(&rq_tally, true), "tests", tests);
	free(kinds.v);
	free(rq_tally.v);
	if (doc == NULL)
		return -1;
	rc = json_dump_file(doc, path, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(doc);
	if (rc != 0)
		fprintf(stderr, "%s: cannot write the JSON report\n", path);
	return rc;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '&')
			fputs("&amp;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c < 0x20 && c != '\n' && c != '\t')
			fputc('?', f);
		else
			fputc(c, f);
	}
}

int hcp_rt_report_junit(const char *path, const char *name,
                        const struct hcp_rt_suite *s,
                        const struct hcp_rt_totals *tot)
{
	struct tallies kinds, reqs;
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "%s: cannot write the JUnit report\n", path);
		return -1;
	}
	build(s, NULL, &kinds, &reqs);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<testsuites name=\"");
	xml_text(f, name);
	fputs("\">\n", f);
	if (tot->precheck_failed)
		fputs("  <testsuite name=\"precheck\" tests=\"1\" "
		      "failures=\"1\" skipped=\"0\">\n"
		      "    <testcase name=\"unsupported\" "
		      "classname=\"precheck\">\n"
		      "      <failure message=\"the testee did not answer "
		      "unsupported for a kind that does not exist\"/>\n"
		      "    </testcase>\n  </testsuite>\n",
		      f);
	for (size_t k = 0; k < kinds.n; k++) {
		const struct tally *x = &kinds.v[k];
		size_t total = 0;

		for (int v = 0; v < 6; v++)
			total += x->n[v];
		fprintf(f,
		        "  <testsuite name=\"%s\" tests=\"%zu\" "
		        "failures=\"%zu\" skipped=\"%zu\">\n",
		        x->key, total,
		        x->n[HCP_RT_FAIL] + x->n[HCP_RT_UNEXPECTED_PASS],
		        x->n[HCP_RT_EXPECTED_FAIL]);
		for (size_t i = 0; i < s->n_tests; i++) {
			const struct hcp_rt_test *t = &s->tests[i];

			if (!t->ran || strcmp(t->kind, x->key) != 0)
				continue;
			fprintf(f, "    <testcase name=\"");
			xml_text(f, t->id);
			fprintf(f, "\" classname=\"%s.%s\" time=\"%.3f\"",
			        t->file, t->kind, t->ms / 1e3);
			if (t->verdict == HCP_RT_PASS) {
				fputs("/>\n", f);
				continue;
			}
			fputs(">\n", f);
			if (t->verdict == HCP_RT_FAIL ||
			    t->verdict == HCP_RT_UNEXPECTED_PASS) {
				fputs("      <failure message=\"", f);
				xml_text(f, t->detail);
				fputs("\"/>\n", f);
			} else if (t->verdict == HCP_RT_EXPECTED_FAIL) {
				fputs("      <skipped message=\"expected "
				      "failure: ",
				      f);
				xml_text(f, t->detail);
				fputs("\"/>\n", f);
			} else {
				fprintf(f, "      <system-out>%s: ",
				        hcp_rt_verdict_name(t->verdict));
				xml_text(f, t->detail);
				fputs("</system-out>\n", f);
			}
			fputs("    </testcase>\n", f);
		}
		fputs("  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	free(kinds.v);
	free(reqs.v);
	return fclose(f) == 0 ? 0 : -1;
}

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vectors.c: reads the conformance vector files (conformance/vectors/
 * SCHEMA.md) into tests, turns a test's typed JSON input into a testee
 * Request, and compares a testee's Output with the typed JSON output the
 * vector expects. The runner knows nothing about any kind: every value is
 * converted by its type tag (hex, uint, int, str, bool, list), so a new
 * kind needs vectors and testee code only. Also reads the spec's
 * requirement TSV (spec/tools/reqs.py) for each requirement's keyword.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* ------------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static const char *str_member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int load_test(struct hcp_rt_test *t, json_t *jt, const char *file,
                     const char *kind)
{
	json_t *reqs = json_object_get(jt, "reqs");
	const char *res = str_member(jt, "result");
	size_t i;

	memset(t, 0, sizeof(*t));
	t->file = file;
	t->kind = kind;
	t->id = str_member(jt, "id");
	t->comment = str_member(jt, "comment");
	t->tc_id = (int)json_integer_value(json_object_get(jt, "tcId"));
	t->error_class = str_member(jt, "errorClass");
	t->other_classes = json_object_get(jt, "otherClasses");
	t->input = json_object_get(jt, "input");
	t->output = json_object_get(jt, "output");
	if (t->id == NULL || res == NULL || !json_is_object(t->input) ||
	    !json_is_array(reqs))
		return -1;
	if (strcmp(res, "valid") == 0)
		t->result = HCP_RT_VALID;
	else if (strcmp(res, "invalid") == 0)
		t->result = HCP_RT_INVALID;
	else if (strcmp(res, "acceptable") == 0)
		t->result = HCP_RT_ACCEPTABLE;
	else
		return -1;
	if (t->result == HCP_RT_VALID && !json_is_object(t->output))
		return -1;
	if (t->result == HCP_RT_INVALID && t->error_class == NULL)
		return -1;
	t->n_reqs = json_array_size(reqs);
	t->reqs = calloc(t->n_reqs ? t->n_reqs : 1, sizeof(*t->reqs));
	if (t->reqs == NULL)
		return -1;
	for (i = 0; i < t->n_reqs; i++) {
		t->reqs[i] = json_string_value(json_array_get(reqs, i));
		if (t->reqs[i] == NULL)
			return -1;
	}
	return 0;
}

int hcp_rt_load(struct hcp_rt_suite *s, const char *path)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);
	json_t *groups, *g, **docs;
	const char *kind;
	size_t gi, ti, n = 0;

	if (doc == NULL) {
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.text);
		return -1;
	}
	kind = str_member(doc, "kind");
	groups = json_object_get(doc, "testGroups");
	if (kind == NULL || !json_is_array(groups)) {
		fprintf(stderr, "%s: not a vector file\n", path);
		json_decref(doc);
		return -1;
	}
	json_array_foreach(groups, gi, g) n +=
	        json_array_size(json_object_get(g, "tests"));
	docs = realloc(s->docs, (s->n_docs + 1) * sizeof(*docs));
	if (docs == NULL) {
		json_decref(doc);
		return -1;
	}
	s->docs = docs;
	s->docs[s->n_docs++] = doc;
	if (n == 0)
		return 0;
	struct hcp_rt_test *tests =
	        realloc(s->tests, (s->n_tests + n) * sizeof(*tests));
	if (tests == NULL)
		return -1;
	s->tests = tests;
	json_array_foreach(groups, gi, g)
	{
		json_t *jt;

		json_array_foreach(json_object_get(g, "tests"), ti, jt)
		{
			struct hcp_rt_test *t = &s->tests[s->n_tests];

			if (load_test(t, jt, base_name(path), kind) != 0) {
				fprintf(stderr,
				        "%s: test %zu of group %zu is "
				        "malformed (run the lint)\n",
				        path, ti + 1, gi + 1);
				free(t->reqs);
				return -1;
			}
			s->n_tests++;
		}
	}
	return 0;
}

void hcp_rt_suite_free(struct hcp_rt_suite *s)
{
	for (size_t i = 0; i < s->n_tests; i++)
		free(s->tests[i].reqs);
	for (size_t i = 0; i < s->n_docs; i++)
		json_decref(s->docs[i]);
	free(s->tests);
	free(s->docs);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------------
 * Typed values
 * ---------------------------------------------------------------------- */

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int from_hex(const char *h, uint8_t **out, size_t *len)
{
	size_t n = strlen(h);
	uint8_t *b;

	if (n % 2 != 0)
		return -1;
	b = malloc(n / 2 + 1);
	if (b == NULL)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_digit((unsigned char)h[2 * i]);
		int lo = hex_digit((unsigned char)h[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(b);
			return -1;
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	*len = n / 2;
	return 0;
}

static int json_uint(const json_t *v, uint64_t *out)
{
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		if (i < 0)
			return -1;
		*out = (uint64_t)i;
		return 0;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;

		if (!isdigit((unsigned char)s[0]))
			return -1;
		errno = 0;
		*out = strtoull(s, &end, 10);
		return (errno != 0 || *end != '\0') ? -1 : 0;
	}
	return -1;
}

static void free_value(Hcp__Conformance__V1__Value *v);

static void free_list(Hcp__Conformance__V1__ValueList *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n_values; i++)
		free_value(l->values[i]);
	free(l->values);
	free(l);
}

static void free_value(Hcp__Conformance__V1__Value *v)
{
	if (v == NULL)
		return;
	if (v->value_case == HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE)
		free(v->bytes_value.data);
	else if (v->value_case ==
	         HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE)
		free(v->string_value);
	else if (v->value_case == HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE)
		free_list(v->list_value);
	free(v);
}

static Hcp__Conformance__V1__Value *to_value(const json_t *j, char *why,
                                             size_t why_len)
{
	Hcp__Conformance__V1__Value *v = malloc(sizeof(*v));
	const json_t *x;

	if (v == NULL)
		return NULL;
	hcp__conformance__v1__value__init(v);
	if (!json_is_object(j) || json_object_size(j) != 1)
		goto bad;
	if ((x = json_object_get(j, "hex")) != NULL) {
		if (!json_is_string(x) ||
		    from_hex(json_string_value(x), &v->bytes_value.data,
		             &v->bytes_value.len) != 0)
			goto bad;
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE;
	} else if ((x = json_object_get(j, "uint")) != NULL) {
		if (json_uint(x, &v->uint_value) != 0)
			goto bad;
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE;
	} else if ((x = json_object_get(j, "int")) != NULL) {
		if (!json_is_integer(x))
			goto bad;
		v->int_value = json_integer_value(x);
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_INT_VALUE;
	} else if ((x = json_object_get(j, "str")) != NULL) {
		if (!json_is_string(x))
			goto bad;
		v->string_value = strdup(json_string_value(x));
		if (v->string_value == NULL)
			goto bad;
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE;
	} else if ((x = json_object_get(j, "bool")) != NULL) {
		if (!json_is_boolean(x))
			goto bad;
		v->bool_value = json_is_true(x);
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_BOOL_VALUE;
	} else if ((x = json_object_get(j, "list")) != NULL) {
		Hcp__Conformance__V1__ValueList *l;
		size_t n = json_array_size(x);

		if (!json_is_array(x))
			goto bad;
		l = malloc(sizeof(*l));
		if (l == NULL)
			goto bad;
		hcp__conformance__v1__value_list__init(l);
		v->list_value = l;
		v->value_case = HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE;
		l->values = calloc(n ? n : 1, sizeof(*l->values));
		if (l->values == NULL)
			goto bad;
		for (size_t i = 0; i < n; i++) {
			l->values[i] =
			        to_value(json_array_get(x, i), why, why_len);
			if (l->values[i] == NULL)
				goto bad;
			l->n_values++;
		}
	} else {
		goto bad;
	}
	return v;
bad:
	if (why[0] == '\0')
		snprintf(why, why_len, "an input value has no valid type tag");
	free_value(v);
	return NULL;
}

int hcp_rt_request(const struct hcp_rt_test *t, uint8_t **out, size_t *len,
                   char *why, size_t why_len)
{
	Hcp__Conformance__V1__Request req;
	Hcp__Conformance__V1__Request__InputEntry *entries = NULL;
	Hcp__Conformance__V1__Request__InputEntry **ptrs = NULL;
	size_t n = json_object_size(t->input), i = 0;
	const char *key;
	json_t *val;
	int rc = -1;

	*out = NULL;
	*len = 0;
	why[0] = '\0';
	hcp__conformance__v1__request__init(&req);
	req.test_id = strdup(t->id);
	req.kind = strdup(t->kind);
	entries = calloc(n ? n : 1, sizeof(*entries));
	ptrs = calloc(n ? n : 1, sizeof(*ptrs));
	if (entries == NULL || ptrs == NULL || req.test_id == NULL ||
	    req.kind == NULL)
		goto done;
	json_object_foreach(t->input, key, val)
	{
		hcp__conformance__v1__request__input_entry__init(&entries[i]);
		entries[i].key = strdup(key);
		entries[i].value = to_value(val, why, why_len);
		if (entries[i].key == NULL || entries[i].value == NULL) {
			free(entries[i].key);
			free_value(entries[i].value);
			goto done;
		}
		ptrs[i] = &entries[i];
		i++;
	}
	req.n_input = i;
	req.input = ptrs;
	*len = hcp__conformance__v1__request__get_packed_size(&req);
	*out = malloc(*len ? *len : 1);
	if (*out == NULL)
		goto done;
	hcp__conformance__v1__request__pack(&req, *out);
	rc = 0;
done:
	for (size_t k = 0; k < i; k++) {
		free(entries[k].key);
		free_value(entries[k].value);
	}
	free(req.test_id);
	free(req.kind);
	free(entries);
	free(ptrs);
	return rc;
}

/* ------------------------------------------------------------------------
 * Comparing outputs
 * ---------------------------------------------------------------------- */

static void hex_of(const uint8_t *p, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 3 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", p[i]);
	if (o + 3 >= cap && cap > 4)
		memcpy(out + cap - 4, "...", 4);
}

static void describe(const Hcp__Conformance__V1__Value *v, char *out,
                     size_t cap)
{
	switch (v->value_case) {
	case HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE: {
		char h[80];

		h[0] = '\0';
		hex_of(v->bytes_value.data, v->bytes_value.len, h, sizeof(h));
		snprintf(out, cap, "hex %s (%zu bytes)", h, v->bytes_value.len);
		break;
	}
	case HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE:
		snprintf(out, cap, "uint %llu",
		         (unsigned long long)v->uint_value);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_INT_VALUE:
		snprintf(out, cap, "int %lld", (long long)v->int_value);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE:
		snprintf(out, cap, "str \"%.60s\"", v->string_value);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_BOOL_VALUE:
		snprintf(out, cap, "bool %s", v->bool_value ? "true" : "false");
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE:
		snprintf(out, cap, "list of %zu", v->list_value->n_values);
		break;
	default:
		snprintf(out, cap, "no value");
		break;
	}
}

static bool value_equal(const Hcp__Conformance__V1__Value *got,
                        const json_t *want)
{
	char why[64];
	Hcp__Conformance__V1__Value *w;
	bool eq = false;

	why[0] = '\0';
	w = to_value(want, why, sizeof(why));
	if (w == NULL || got->value_case != w->value_case)
		goto done;
	switch (w->value_case) {
	case HCP__CONFORMANCE__V1__VALUE__VALUE_BYTES_VALUE:
		eq = got->bytes_value.len == w->bytes_value.len &&
		     (w->bytes_value.len == 0 ||
		      memcmp(got->bytes_value.data, w->bytes_value.data,
		             w->bytes_value.len) == 0);
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_UINT_VALUE:
		eq = got->uint_value == w->uint_value;
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_INT_VALUE:
		eq = got->int_value == w->int_value;
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_STRING_VALUE:
		eq = strcmp(got->string_value, w->string_value) == 0;
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_BOOL_VALUE:
		eq = got->bool_value == w->bool_value;
		break;
	case HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE: {
		const json_t *arr = json_object_get(want, "list");

		eq = got->list_value->n_values == json_array_size(arr);
		for (size_t i = 0; eq && i < json_array_size(arr); i++)
			eq = value_equal(got->list_value->values[i],
			                 json_array_get(arr, i));
		break;
	}
	default:
		break;
	}
done:
	free_value(w);
	return eq;
}

/* Where two lists first differ, for the failure message. */
static void list_diff(const Hcp__Conformance__V1__Value *got,
                      const json_t *want, char *why, size_t why_len,
                      const char *key)
{
	const json_t *arr = json_object_get(want, "list");
	size_t n = json_array_size(arr), i;
	char g[120];

	if (got->list_value->n_values != n) {
		snprintf(why, why_len, "%s: %zu items, expected %zu", key,
		         got->list_value->n_values, n);
		return;
	}
	for (i = 0; i < n; i++)
		if (!value_equal(got->list_value->values[i],
		                 json_array_get(arr, i)))
			break;
	describe(got->list_value->values[i], g, sizeof(g));
	snprintf(why, why_len, "%s: item %zu differs (got %s)", key, i, g);
}

bool hcp_rt_output_matches(const Hcp__Conformance__V1__Output *got,
                           json_t *want, char *why, size_t why_len)
{
	const char *key;
	json_t *val;

	json_object_foreach(want, key, val)
	{
		const Hcp__Conformance__V1__Value *g = NULL;

		for (size_t i = 0; i < got->n_fields; i++)
			if (got->fields[i]->key != NULL &&
			    strcmp(got->fields[i]->key, key) == 0)
				g = got->fields[i]->value;
		if (g == NULL) {
			snprintf(why, why_len, "output lacks %s", key);
			return false;
		}
		if (value_equal(g, val))
			continue;
		if (g->value_case ==
		            HCP__CONFORMANCE__V1__VALUE__VALUE_LIST_VALUE &&
		    json_object_get(val, "list") != NULL) {
			list_diff(g, val, why, why_len, key);
		} else {
			char gs[160], ws[160], tmp[64];
			Hcp__Conformance__V1__Value *w;

			tmp[0] = '\0';
			w = to_value(val, tmp, sizeof(tmp));
			describe(g, gs, sizeof(gs));
			if (w != NULL)
				describe(w, ws, sizeof(ws));
			else
				snprintf(ws, sizeof(ws), "(bad vector)");
			free_value(w);
			snprintf(why, why_len, "%s: got %s, expected %s", key,
			         gs, ws);
		}
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Requirements (spec TSV: id area number binds keyword chapter text)
 * ---------------------------------------------------------------------- */

int hcp_rt_reqs_load(struct hcp_rt_reqs *r, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];

	memset(r, 0, sizeof(*r));
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *cells[5];
		char *p = line;
		int n = 0;

		while (n < 5) {
			cells[n++] = p;
			p = strchr(p, '\t');
			if (p == NULL)
				break;
			*p++ = '\0';
		}
		if (n < 5 || strncmp(cells[0], "HCP-", 4) != 0)
			continue;
		struct hcp_rt_req *v = realloc(r->v, (r->n + 1) * sizeof(*v));

		if (v == NULL)
			break;
		r->v = v;
		r->v[r->n].id = strdup(cells[0]);
		r->v[r->n].keyword = strdup(cells[4]);
		r->n++;
	}
	fclose(f);
	return 0;
}

const struct hcp_rt_req *hcp_rt_reqs_find(const struct hcp_rt_reqs *r,
                                          const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

void hcp_rt_reqs_free(struct hcp_rt_reqs *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].keyword);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

enum hcp_rt_level hcp_rt_level_of(const char *kw)
{
	if (kw == NULL)
		return HCP_RT_MUST;
	if (strncmp(kw, "SHOULD", 6) == 0 || strcmp(kw, "RECOMMENDED") == 0 ||
	    strcmp(kw, "NOT RECOMMENDED") == 0)
		return HCP_RT_SHOULD;
	if (strcmp(kw, "MAY") == 0 || strcmp(kw, "OPTIONAL") == 0)
		return HCP_RT_MAY;
	return HCP_RT_MUST;
}

const char *hcp_rt_level_name(enum hcp_rt_level l)
{
	switch (l) {
	case HCP_RT_MUST:
		return "MUST";
	case HCP_RT_SHOULD:
		return "SHOULD";
	case HCP_RT_MAY:
		return "MAY";
	}
	return "?";
}

const char *hcp_rt_verdict_name(enum hcp_rt_verdict v)
{
	switch (v) {
	case HCP_RT_PASS:
		return "pass";
	case HCP_RT_FAIL:
		return "fail";
	case HCP_RT_WARN:
		return "warn";
	case HCP_RT_EXPECTED_FAIL:
		return "expected-fail";
	case HCP_RT_UNEXPECTED_PASS:
		return "unexpected-pass";
	case HCP_RT_INFO:
		return "acceptable";
	}
	return "?";
}

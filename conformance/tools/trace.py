#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Traceability between the spec and its tests: every MUST, MUST NOT,
# SHOULD and SHOULD NOT requirement that spec/tools/reqs.py extracts must
# be covered by at least one conformance vector (its reqs), by a named
# cmocka test that cites the ID (a test function registered with
# cmocka_unit_test, whose body or leading comment holds the ID), or by an
# entry of conformance/EXCEPTIONS.tsv giving the reason it cannot be tested
# by data. It prints the coverage per area and fails when a requirement
# has none of the three, when a vector, test or exception cites an ID the
# spec does not define, or when an exception gives no reason.
#
# usage: trace.py --reqs REQS.tsv --exceptions FILE [--tests DIR]...
#                 [--result FILE] [--list] VECTOR.json...

import argparse
import collections
import glob
import json
import os
import re
import sys

ID_RE = re.compile(r"\bHCP-([A-Z]+)-([0-9]+)\b")
JUDGED = {"MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "REQUIRED", "SHALL",
          "SHALL NOT", "RECOMMENDED", "NOT RECOMMENDED"}
FUNC_RE = re.compile(r"^static\s+void\s+(\w+)\s*\(\s*void\s*\*\*\s*\w+\s*\)",
                     re.M)
REG_RE = re.compile(r"cmocka_unit_test\w*\s*\(\s*(\w+)")


def load_reqs(path):
    reqs = collections.OrderedDict()
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if len(c) >= 5 and ID_RE.fullmatch(c[0]):
                reqs[c[0]] = {"area": c[1], "binds": c[3], "keyword": c[4],
                              "text": c[6] if len(c) > 6 else ""}
    return reqs


def vector_citations(files):
    cites = collections.defaultdict(list)
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for g in doc.get("testGroups", []):
            for t in g.get("tests", []):
                for r in t.get("reqs", []):
                    cites[r].append("%s:%s" % (os.path.basename(path),
                                               t.get("id")))
    return cites


def test_citations(dirs):
    """ID -> ["file:test_name"], for registered cmocka tests only."""
    cites = collections.defaultdict(list)
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "*.c"))):
            with open(path, encoding="utf-8", errors="replace") as f:
                src = f.read()
            registered = set(REG_RE.findall(src))
            funcs = [(m.start(), m.group(1)) for m in FUNC_RE.finditer(src)]
            if not funcs or not registered:
                continue
            for m in ID_RE.finditer(src):
                name = owner(src, funcs, m.start())
                if name in registered:
                    cites[m.group(0)].append("%s:%s" % (
                        os.path.basename(path), name))
    return cites


def owner(src, funcs, pos):
    """The test function holding pos in its body or in the comment just
    above its definition."""
    before = [f for f in funcs if f[0] <= pos]
    if before:
        start, name = before[-1]
        # Inside the body when no top-level closing brace lies between.
        end = src.find("\n}", start)
        if end == -1 or pos < end:
            return name
    after = [f for f in funcs if f[0] > pos]
    if after:
        start, name = after[0]
        gap = src[pos:start]
        # Only a comment (and blank lines) may separate the citation from
        # the definition.
        tail = gap.split("*/", 1)
        if len(tail) == 2 and tail[1].strip() == "":
            return name
    return None


def load_exceptions(path):
    exc = collections.OrderedDict()
    problems = []
    if not os.path.exists(path):
        return exc, ["%s does not exist" % path]
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            s = line.rstrip("\n")
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            c = s.split("\t", 1)
            if not ID_RE.fullmatch(c[0]):
                problems.append("%s:%d: not a requirement ID: %r" %
                                (path, n, c[0]))
                continue
            reason = c[1].strip() if len(c) > 1 else ""
            if not reason:
                problems.append("%s:%d: %s has no reason" % (path, n, c[0]))
                continue
            if c[0] in exc:
                problems.append("%s:%d: %s listed twice" % (path, n, c[0]))
            exc[c[0]] = reason
    return exc, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reqs", required=True)
    ap.add_argument("--exceptions", required=True)
    ap.add_argument("--tests", action="append")
    ap.add_argument("--result")
    ap.add_argument("--list", action="store_true",
                    help="print how each requirement is covered")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    tests = args.tests or ["codec/tests"]
    reqs = load_reqs(args.reqs)
    vec = vector_citations(args.files)
    tst = test_citations(tests)
    exc, problems = load_exceptions(args.exceptions)
    for i, where in ((vec, "vector"), (tst, "test")):
        for r in sorted(i):
            if r not in reqs:
                problems.append("%s %s cites %s, which the spec does not "
                                "define" % (where, i[r][0], r))
    for r in exc:
        if r not in reqs:
            problems.append("EXCEPTIONS lists %s, which the spec does not "
                            "define" % r)
    notes = []
    area = collections.OrderedDict()
    uncovered = []
    for rid, r in reqs.items():
        a = area.setdefault(r["area"], collections.Counter())
        judged = r["keyword"] in JUDGED
        a["all"] += 1
        if not judged:
            a["optional"] += 1
        else:
            a["judged"] += 1
        how = []
        if vec.get(rid):
            how.append("vectors")
            a["vectors"] += judged
        if tst.get(rid):
            how.append("tests")
            a["tests"] += judged
        if rid in exc:
            how.append("exception")
            a["exception"] += judged
            if vec.get(rid) or tst.get(rid):
                notes.append("%s is listed in EXCEPTIONS but is covered "
                             "(%d vectors, %d tests): the entry can go" %
                             (rid, len(vec.get(rid, [])),
                              len(tst.get(rid, []))))
        if judged and not how:
            a["none"] += 1
            uncovered.append(rid)
        elif judged:
            a["covered"] += 1
        if args.list:
            print("%-16s %-10s %-26s %s" % (
                rid, r["keyword"], ",".join(how) or "-",
                (tst.get(rid) or vec.get(rid) or [exc.get(rid, "")])[0]
                [:70]))
    print("coverage of MUST/SHOULD requirements per area (a requirement "
          "may be covered more than one way):")
    print("  %-8s %5s %6s %8s %6s %9s %8s %5s" % (
        "area", "reqs", "judged", "vectors", "tests", "exception",
        "covered", "none"))
    tot = collections.Counter()
    for name, a in area.items():
        tot.update(a)
        print("  %-8s %5d %6d %8d %6d %9d %8d %5d" % (
            name, a["all"], a["judged"], a["vectors"], a["tests"],
            a["exception"], a["covered"], a["none"]))
    print("  %-8s %5d %6d %8d %6d %9d %8d %5d" % (
        "all", tot["all"], tot["judged"], tot["vectors"], tot["tests"],
        tot["exception"], tot["covered"], tot["none"]))
    for n in notes:
        print("note: " + n)
    for p in problems:
        print("TRACE " + p)
    for rid in uncovered:
        print("TRACE %s (%s, %s) has no vector, no test and no exception: "
              "%s" % (rid, reqs[rid]["binds"], reqs[rid]["keyword"],
                      reqs[rid]["text"][:100]))
    passed = tot["covered"]
    failed = len(uncovered) + len(problems)
    print("traceability: %d requirements judged, %d covered, %d uncovered, "
          "%d citation problems" % (tot["judged"], passed, len(uncovered),
                                    len(problems)))
    if args.result:
        with open(args.result, "w") as f:
            f.write("%d %d\n" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# check-conformance-self: the suite's own test. It runs the runner against
# the honest protobuf-c testee once (the baseline), then against each mode
# of the deliberately wrong testee (testee_faulty.c), and asserts that
# every run FAILS with exactly the tests the fault must break: the
# expected set is computed here from the vector files and the fault's
# definition, independently of the runner, and compared test by test with
# the runner's JSON report. It also checks the verdict machinery: the
# expected-failures file (listed failures pass the run; a listed test that
# passes, or an entry that matches nothing, fails it), SHOULD warnings and
# --strict, the per-test timeout and the restart after a crash. Each
# assertion is one test of the part.
#
# usage: check_self.py --out DIR --runner R --testee T --faulty F
#                      --reqs REQS.tsv [--result FILE] VECTOR.json...

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Check:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print("  ok    %s" % what)
        else:
            self.failed += 1
            print("  FAIL  %s%s" % (what, (": " + detail) if detail else ""))
        return cond


def load_tests(files):
    tests = {}
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for g in doc["testGroups"]:
            for t in g["tests"]:
                t["kind"] = doc["kind"]
                tests[t["id"]] = t
    return tests


def run(args, out, name, testee, extra, timeout=600):
    """Runs the runner; returns (exit status, stdout, report or None)."""
    rep = os.path.join(out, name + ".json")
    if os.path.exists(rep):
        os.remove(rep)
    cmd = [args.runner, "--testee", testee, "--json", rep,
           "--testee-stderr", os.path.join(out, name + ".stderr")] + extra
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout, check=False)
    text = p.stdout.decode(errors="replace")
    with open(os.path.join(out, name + ".txt"), "w") as f:
        f.write(text)
    report = None
    if os.path.exists(rep):
        with open(rep, encoding="utf-8") as f:
            report = json.load(f)
    return p.returncode, text, report


def verdicts(report):
    return {t["id"]: t for t in report["tests"]} if report else {}


def frame_first_byte(t):
    h = t["input"].get("frame", {}).get("hex", "")
    return int(h[:2], 16) if h else None


# The faults of testee_faulty.c, as predicates on a vector.
FAULTS = {
    # Answers every frame with itself: refusals and re-encodings go wrong.
    "accept-all": (lambda t: t["kind"] == "wire.decode" and (
        t["result"] == "invalid" or (t["result"] == "valid" and
                                     not t.get("canonical"))), ""),
    "crash": (lambda t: t["kind"] == "wire.decode" and
              frame_first_byte(t) == 0x32, "signal 6"),
    "hang": (lambda t: t["kind"] == "window.pick" and
             t["input"]["not_before_ms"]["uint"] == 1000 and
             t["input"]["not_after_ms"]["uint"] == 1000, "no answer within"),
    "garbage": (lambda t: t["kind"] == "reason.to_ws", "not a Response"),
    # Reports limit as missing: fails every limit refusal except where the
    # vector allows missing as well ([HCP-WIRE-10], otherClasses).
    "limit-as-missing": (lambda t: t["kind"] == "wire.decode" and
                         t["result"] == "invalid" and
                         t["errorClass"] == "limit" and
                         "missing" not in t.get("otherClasses", []),
                         "refused with class missing"),
}


def last_line(text):
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--testee", required=True)
    ap.add_argument("--faulty", required=True)
    ap.add_argument("--reqs", required=True)
    ap.add_argument("--result")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    c = Check()
    tests = load_tests(args.files)
    common = ["--reqs", args.reqs, "--strict"]

    print("baseline: the honest protobuf-c testee")
    rc, text, base = run(args, args.out, "baseline", args.testee,
                         common + args.files)
    if not c.ok(base is not None, "the baseline run writes a report"):
        return finish(c, args)
    bv = verdicts(base)
    c.ok(set(bv) == set(tests), "the report lists every vector",
         "%d of %d" % (len(bv), len(tests)))
    base_fail = {i for i, t in bv.items() if t["verdict"] == "fail"}
    print("  baseline: %s (%d failing)" % (last_line(text), len(base_fail)))

    for mode, (pred, detail) in FAULTS.items():
        print("fault %s" % mode)
        hit = {i for i, t in tests.items() if pred(t)}
        want = base_fail | hit
        if mode == "accept-all":
            # The fault decides every wire.decode answer by itself.
            want = {i for i in base_fail
                    if tests[i]["kind"] != "wire.decode"} | hit
        extra = ["--timeout-ms", "300"] if mode == "hang" else []
        rc, text, rep = run(args, args.out, "fault-" + mode,
                            "%s %s" % (args.faulty, mode),
                            common + extra + args.files)
        print("  runner said: %s" % last_line(text))
        c.ok(rc == 1, "the run fails (exit %d)" % rc)
        if not c.ok(rep is not None, "the run writes a report"):
            continue
        got = {i for i, t in verdicts(rep).items() if t["verdict"] == "fail"}
        c.ok(got == want, "exactly the %d tests the fault breaks fail" %
             len(want), "missing %s, extra %s" %
             (sorted(want - got)[:5], sorted(got - want)[:5]))
        c.ok(len(hit) > 0, "the fault hits at least one vector (%d)" %
             len(hit))
        s = rep["summary"]
        c.ok(s["failed"] == len(want) and
             last_line(text) == "%d passed, %d failed" % (s["passed"],
                                                         s["failed"]),
             "the closing line gives %d failed" % len(want), last_line(text))
        bad = [i for i in hit - base_fail
               if detail not in verdicts(rep)[i]["detail"]]
        c.ok(not bad, "every broken test says '%s'" % detail,
             ", ".join(bad[:3]))
        if mode in ("crash", "hang", "garbage"):
            c.ok("testee restarted" in text, "the testee was restarted and "
                 "the run went on")

    print("fault liar: never answers unsupported")
    rc, text, rep = run(args, args.out, "fault-liar", "%s liar" % args.faulty,
                        common + args.files)
    print("  runner said: %s" % last_line(text))
    c.ok(rc == 1 and "precheck" in text and
         last_line(text) == "0 passed, 1 failed",
         "the precheck fails the run before any test")

    print("a testee in another language (conformance/examples)")
    ex = os.path.join(HERE, "..", "examples", "testee_example.py")
    n = sum(1 for t in tests.values() if t["kind"].startswith("reason."))
    rc, text, rep = run(args, args.out, "example", "%s %s" % (
        sys.executable, ex), common + ["--kind", "reason.*"] + args.files)
    c.ok(rc == 0 and last_line(text) == "%d passed, 0 failed" % n,
         "the Python example testee passes the %d reason vectors" % n,
         last_line(text))

    print("expected failures, SHOULD and --strict")
    sub = ["--test", "wire.close.truncated-*"]
    n = sum(1 for i in tests if i.startswith("wire.close.truncated-"))
    acc = "%s accept-all" % args.faulty
    xf = os.path.join(args.out, "xfail-ok.txt")
    with open(xf, "w") as f:
        f.write("# every truncation is accepted by this testee\n"
                "wire.close.truncated-*   # accept-all\n")
    rc, text, rep = run(args, args.out, "xfail-ok", acc, common + sub + [
        "--expected-failures", xf] + args.files)
    c.ok(rc == 0 and rep and rep["summary"]["expectedFailures"] == n,
         "listed failures pass the run (%d expected failures)" % n,
         last_line(text))
    xf2 = os.path.join(args.out, "xfail-stale.txt")
    with open(xf2, "w") as f:
        f.write("wire.close.truncated-*\nwire.close.minimal\n"
                "wire.no-such-test\n")
    rc, text, rep = run(args, args.out, "xfail-stale", acc, common + [
        "--test", "wire.close.*", "--expected-failures", xf2] + args.files)
    c.ok(rc == 1 and "UNEXPECTED-PASS" in text and "STALE" in text and
         rep and rep["summary"]["unexpectedPasses"] == 1 and
         rep["summary"]["stale"] == 1,
         "a listed test that passes and an entry matching nothing fail "
         "the run")
    should = os.path.join(args.out, "reqs-should.tsv")
    with open(args.reqs, encoding="utf-8") as f, open(should, "w") as g:
        for line in f:
            cells = line.split("\t")
            if cells[0] == "HCP-WIRE-5":
                cells[4] = "SHOULD"
            g.write("\t".join(cells))
    rc, text, rep = run(args, args.out, "should", acc,
                        ["--reqs", should] + sub + args.files)
    c.ok(rc == 0 and rep and rep["summary"]["warned"] == n and
         rep["summary"]["failed"] == 0,
         "a failed SHOULD warns (%d warnings) and the run passes" % n,
         last_line(text))
    rc, text, rep = run(args, args.out, "should-strict", acc,
                        ["--reqs", should, "--strict"] + sub + args.files)
    c.ok(rc == 1 and rep and rep["summary"]["failed"] == n,
         "with --strict the same SHOULD failures fail the run",
         last_line(text))
    junit = os.path.join(args.out, "junit.xml")
    p = subprocess.run([args.runner, "--testee", acc, "--junit", junit] +
                       common + sub + args.files, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    try:
        import xml.etree.ElementTree as ET
        root = ET.parse(junit).getroot()
        fails = len(root.findall(".//failure"))
        c.ok(p.returncode == 1 and fails == n, "the JUnit report holds the "
             "%d failures" % n, "%d" % fails)
    except (OSError, ET.ParseError) as e:
        c.ok(False, "the JUnit report parses", str(e))
    return finish(c, args)


def finish(c, args):
    print("check-conformance-self: %d passed, %d failed" % (c.passed,
                                                            c.failed))
    if args.result:
        with open(args.result, "w") as f:
            f.write("%d %d\n" % (c.passed, c.failed))
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

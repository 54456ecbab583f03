#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# check_spec.py: the sub-checks of `make check-spec`. Each sub-check is one
# test; the script prints PASS or FAIL with the reasons for each, writes
# "PASSED FAILED" to the result file, and exits 0 whatever failed (a
# failed test is recorded, not turned into a build failure). It reads the
# repository, never writes into it.
#
#   check_spec.py --built 0|1 --html build/spec/hcp.html \
#                 --protoc protoc --result build/results/check-spec.result
#
# Sub-checks: requirement IDs (reqs.py --check); IDs cited by hcp.proto
# exist; the backoff example tables equal an independent computation; the
# HTML was built; every requirement has an anchor and every requirement
# link resolves; every internal link has a target; the summary appendix
# lists every requirement; every limit macro of hcp.h equals the spec's
# limits tables; hcp.options matches
# hcp.h and the field types of hcp.proto; every message, field and enum
# value of hcp.proto is named in the spec, and every wire term the spec
# names exists in the schema; every example frame encodes with protoc.

import glob
import io
import os
import re
import subprocess
import sys
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import backoff_examples  # noqa: E402
import reqs  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SPEC = os.path.join(ROOT, "spec")
HEADER = os.path.join(ROOT, "codec", "include", "hcp", "hcp.h")
PROTO = os.path.join(ROOT, "proto", "hcp", "v1", "hcp.proto")
OPTIONS = os.path.join(ROOT, "proto", "hcp", "v1", "hcp.options")
LIMITS_MD = os.path.join(SPEC, "03-limits.md")
EXAMPLES_MD = os.path.join(SPEC, "90-appendix-d-examples.md")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def spec_text():
    return "\n".join(read(p) for p in
                     sorted(glob.glob(os.path.join(SPEC, "*.md"))))


# ---------------------------------------------------------------- parsing


def header_macros():
    """Every numeric #define of hcp.h: name -> value."""
    out = {}
    for m in re.finditer(r"^#define\s+(HCP_[A-Z0-9_]+)\s+([0-9]+)u?\b",
                         read(HEADER), re.M):
        out[m.group(1)] = int(m.group(2))
    return out


def limit_macros(macros):
    """The macros that must appear in the limits tables of the spec."""
    keep = {}
    for name, value in macros.items():
        if name in ("HCP_PROTOCOL_VERSION", "HCP_LIBRARY_VERSION"):
            continue
        if re.match(r"HCP_(MAX|MIN|DEFAULT)_", name):
            keep[name] = value
    return keep


def spec_limit_rows():
    """Macro -> (value, row text) from every table row of 03-limits.md
    whose first cell names HCP_ macros."""
    out = {}
    for ln in read(LIMITS_MD).split("\n"):
        if not ln.startswith("|"):
            continue
        cells = [c.strip() for c in ln.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("HCP_"):
            continue
        names = [n.strip() for n in cells[0].split(",")]
        values = [v.strip() for v in cells[1].split(",")]
        if len(names) != len(values):
            out.setdefault("?", []).append(ln)
            continue
        for n, v in zip(names, values):
            out[n] = (int(v) if v.isdigit() else v, ln)
    return out


def proto_schema():
    """messages: name -> {field: (type, repeated)}; enums: name -> [values]."""
    messages = {}
    enums = {}
    stack = []
    for ln in read(PROTO).split("\n"):
        code = ln.split("//")[0].strip()
        if not code:
            continue
        m = re.match(r"(message|enum|oneof)\s+(\w+)\s*\{", code)
        if m:
            stack.append((m.group(1), m.group(2)))
            if m.group(1) == "message":
                messages[m.group(2)] = {}
            elif m.group(1) == "enum":
                enums[m.group(2)] = []
            continue
        if code.startswith("}"):
            stack.pop()
            continue
        kinds = [k for k, _ in stack]
        owner = [n for k, n in stack if k in ("message", "enum")]
        if not owner:
            continue
        if kinds and "enum" == [k for k in kinds if k != "oneof"][-1]:
            m = re.match(r"(\w+)\s*=\s*\d+;", code)
            if m:
                enums[owner[-1]].append(m.group(1))
            continue
        m = re.match(r"(repeated\s+)?([\w.]+)\s+(\w+)\s*=\s*\d+;", code)
        if m:
            messages[owner[-1]][m.group(3)] = (m.group(2),
                                               bool(m.group(1)))
    return messages, enums


# ------------------------------------------------------------- sub-checks


def check_reqs():
    requirements, refs, problems = reqs.parse(SPEC)
    problems = reqs.check(requirements, refs, problems)
    if not requirements:
        problems.append("no requirement found")
    return problems


def check_proto_refs():
    requirements, _, _ = reqs.parse(SPEC)
    return reqs.check_refs([PROTO], requirements)


def check_backoff_examples():
    out = io.StringIO()
    with redirect_stdout(out):
        rc = backoff_examples.check(os.path.join(SPEC, "07-backoff.md"))
    problems = [ln for ln in out.getvalue().split("\n") if ln]
    if rc and not problems:
        problems.append("backoff examples differ")
    return problems


def check_built(built, html):
    if built != "1":
        return ["make spec failed"]
    if not os.path.isfile(html) or os.path.getsize(html) == 0:
        return ["%s missing or empty" % html]
    return []


def html_ids(html):
    text = read(html)
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    links = re.findall(r'href="#(HCP-[A-Z]+-[0-9]+)"', text)
    return text, ids, links


def check_anchors(html):
    if not os.path.isfile(html):
        return ["no HTML to check"]
    _, ids, links = html_ids(html)
    requirements, _, _ = reqs.parse(SPEC)
    problems = ["no anchor id=\"%s\"" % r.id for r in requirements
                if r.id not in ids]
    problems += ["link to #%s has no anchor" % rid
                 for rid in sorted(set(links)) if rid not in ids]
    defs = re.findall(r'<span\s+id="(HCP-[A-Z]+-[0-9]+)"\s+class="req-def"',
                      read(html))
    if len(defs) != len(set(defs)):
        problems.append("an anchor is defined twice")
    if len(defs) != len(requirements):
        problems.append("%d anchors for %d requirements"
                        % (len(defs), len(requirements)))
    return problems


def check_links(html):
    if not os.path.isfile(html):
        return ["no HTML to check"]
    text = read(html)
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    return ["link to #%s has no target" % h for h in
            sorted(set(re.findall(r'href="#([^"]+)"', text))) if h not in ids]


def check_summary(html):
    if not os.path.isfile(html):
        return ["no HTML to check"]
    text = read(html)
    m = re.search(r'id="summary"(.*?)(id="examples"|$)', text, re.S)
    if not m:
        return ["no summary appendix in the HTML"]
    listed = set(re.findall(r'href="#(HCP-[A-Z]+-[0-9]+)"', m.group(1)))
    requirements, _, _ = reqs.parse(SPEC)
    return ["%s missing from the summary" % r.id for r in requirements
            if r.id not in listed]


def check_limits_spec():
    macros = limit_macros(header_macros())
    rows = spec_limit_rows()
    problems = ["bad row: " + r for r in rows.pop("?", [])]
    for name, value in sorted(macros.items()):
        if name not in rows:
            problems.append("%s (%d) not in the spec's limits tables"
                            % (name, value))
        elif rows[name][0] != value:
            problems.append("%s: hcp.h %d, spec %s"
                            % (name, value, rows[name][0]))
    for name in rows:
        if name not in macros:
            problems.append("spec names %s, which hcp.h does not define"
                            % name)
    return problems


def check_limits_options():
    macros = header_macros()
    messages, _ = proto_schema()
    rows = spec_limit_rows()
    problems = []
    seen = set()
    for ln in read(OPTIONS).split("\n"):
        code, _, comment = ln.partition("#")
        code = code.strip()
        if not code:
            continue
        m = re.match(r"hcp\.v1\.(\w+)\.(\w+)\s+(max_size|max_count):(\d+)$",
                     code)
        if not m:
            problems.append("unparsed option line: %s" % ln)
            continue
        msg, field, kind, n = m.group(1), m.group(2), m.group(3), \
            int(m.group(4))
        seen.add((msg, field))
        mm = re.search(r"(HCP_[A-Z0-9_]+)", comment)
        if not mm or mm.group(1) not in macros:
            problems.append("%s.%s: no hcp.h macro named" % (msg, field))
            continue
        macro, limit = mm.group(1), macros[mm.group(1)]
        ftype, repeated = messages.get(msg, {}).get(field, (None, False))
        if ftype is None:
            problems.append("%s.%s: not in hcp.proto" % (msg, field))
            continue
        if repeated:
            want, wkind = limit, "max_count"
        elif ftype == "string":
            want, wkind = limit + 1, "max_size"
        elif ftype == "bytes":
            want, wkind = limit, "max_size"
        else:
            problems.append("%s.%s: a %s has no size limit"
                            % (msg, field, ftype))
            continue
        if kind != wkind or n != want:
            problems.append("%s.%s: %s:%d, expected %s:%d (%s %d)"
                            % (msg, field, kind, n, wkind, want, macro,
                               limit))
        if macro in rows and "%s.%s" % (msg, field) not in rows[macro][1] \
                and "`%s`" % field not in rows[macro][1]:
            problems.append("%s.%s is not listed in the spec's row for %s"
                            % (msg, field, macro))
    for msg, fields in messages.items():
        for field, (ftype, repeated) in fields.items():
            if (repeated or ftype in ("string", "bytes")) and \
                    (msg, field) not in seen:
                problems.append("%s.%s has no limit in hcp.options"
                                % (msg, field))
    return problems


def check_schema_terms():
    messages, enums = proto_schema()
    text = spec_text()
    spans = set(re.findall(r"`([^`\n]+)`", text))
    problems = []
    for msg, fields in messages.items():
        if msg not in spans and ("hcp.v1." + msg) not in spans:
            problems.append("message %s is not named in the spec" % msg)
        for field in fields:
            if field not in spans and ("%s.%s" % (msg, field)) not in spans:
                problems.append("field %s.%s is not named in the spec"
                                % (msg, field))
    for enum, values in enums.items():
        if enum not in spans:
            problems.append("enum %s is not named in the spec" % enum)
        for v in values:
            if v not in spans:
                problems.append("enum value %s is not named in the spec" % v)
    all_values = {v for vs in enums.values() for v in vs}
    for s in sorted(spans):
        m = re.fullmatch(r"([A-Z][A-Za-z]+)\.([a-z_]+)", s)
        if m:
            msg, field = m.group(1), m.group(2)
            if msg not in messages or field not in messages[msg]:
                problems.append("the spec names `%s`, not in the schema" % s)
        elif re.fullmatch(r"(JITTER_MODE|RESUME_STATUS|STREAM_STATUS|"
                          r"NOTICE_SCOPE|SUBSCRIBE_STATUS)_[A-Z_]+", s):
            if s not in all_values:
                problems.append("the spec names `%s`, not in the schema" % s)
    return problems


def check_examples(protoc):
    text = read(EXAMPLES_MD)
    blocks = re.findall(r"```textproto\n(.*?)```", text, re.S)
    if not blocks:
        return ["no example frames"]
    problems = []
    for i, b in enumerate(blocks, 1):
        try:
            r = subprocess.run([protoc, "-I" + os.path.join(ROOT, "proto"),
                                "--encode=hcp.v1.Frame", "hcp/v1/hcp.proto"],
                               input=b.encode(), capture_output=True,
                               timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            return ["protoc: %s" % e]
        if r.returncode != 0:
            problems.append("example frame %d does not encode: %s"
                            % (i, r.stderr.decode().strip()))
    return problems


def main(argv):
    args = dict(zip(argv[1::2], argv[2::2]))
    html = args.get("--html", os.path.join(ROOT, "build", "spec",
                                           "hcp.html"))
    result = args.get("--result")
    checks = [
        ("requirement IDs (reqs.py --check)", check_reqs),
        ("IDs cited by hcp.proto are defined", check_proto_refs),
        ("backoff examples equal an independent computation",
         check_backoff_examples),
        ("make spec builds the HTML",
         lambda: check_built(args.get("--built", "0"), html)),
        ("an anchor for every requirement; every link resolves",
         lambda: check_anchors(html)),
        ("every internal link has a target", lambda: check_links(html)),
        ("the summary appendix lists every requirement",
         lambda: check_summary(html)),
        ("hcp.h limits equal the spec's limits tables", check_limits_spec),
        ("hcp.options equals hcp.h and the schema's field types",
         check_limits_options),
        ("schema names and spec wire terms agree", check_schema_terms),
        ("example frames encode with protoc",
         lambda: check_examples(args.get("--protoc", "protoc"))),
    ]
    passed = failed = 0
    for name, fn in checks:
        try:
            problems = fn()
        except Exception as e:  # a crashed check is a failed check
            problems = ["check crashed: %r" % (e,)]
        if problems:
            failed += 1
            print("FAIL  %s" % name)
            for p in problems:
                print("        %s" % p)
        else:
            passed += 1
            print("PASS  %s" % name)
    print("check-spec: %d passed, %d failed" % (passed, failed))
    if result:
        with open(result, "w", encoding="utf-8") as f:
            f.write("%d %d\n" % (passed, failed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

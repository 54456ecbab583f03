#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# The vector lint: validates every file under conformance/vectors/ against
# conformance/tools/vectors.schema.json (with a small validator for the
# subset of JSON Schema that file uses), then checks what a schema cannot:
# continuous tcIds and an exact numberOfTests, ids unique across all files,
# every flag used defined in the file's notes and every note used, result
# and error class consistent with each other and with the layer, the
# canonical flag of wire vectors equal to whether input and output match,
# and every requirement ID well formed and, when the spec's TSV is given,
# defined by the spec. It prints one line per problem and a summary.
#
# usage: lint_vectors.py [--reqs REQS.tsv] [--result FILE] VECTOR.json...

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AREAS = {"WIRE", "FRAME", "LIMIT", "CONN", "HB", "BUSY", "NOTICE", "REASON",
         "BACKOFF", "RESUME", "SUB", "SERVER", "SEC", "TOKEN", "GRANT"}
REQ_RE = re.compile(r"^HCP-([A-Z]+)-([1-9][0-9]*)$")
# Error classes of the contract, with the layer that reports them.
CLASS_LAYER = {
    "framing": "framing", "too_large": "framing", "wire": "wire",
    "limit": "semantic", "range": "semantic", "missing": "semantic",
    "conflict": "semantic", "utf8": "semantic",
}
TOKEN_CLASS_RE = re.compile(r"^(token|grant)_[a-z][a-z_]*$")


# ---------------------------------------------------------------------------
# A validator for the JSON Schema subset of vectors.schema.json
# ---------------------------------------------------------------------------

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def validate(v, s, root, path, errs):
    if "$ref" in s:
        ref = s["$ref"]
        if not ref.startswith("#/definitions/"):
            raise ValueError("unsupported $ref " + ref)
        s = root["definitions"][ref[len("#/definitions/"):]]
    if "oneOf" in s:
        ok = 0
        for sub in s["oneOf"]:
            e = []
            validate(v, sub, root, path, e)
            ok += not e
        if ok != 1:
            errs.append("%s: matches %d of the allowed forms" % (path, ok))
        return
    if "const" in s and v != s["const"]:
        errs.append("%s: must be %r" % (path, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r is not one of %s" % (path, v, s["enum"]))
    t = s.get("type")
    if t is not None and not TYPES[t](v):
        errs.append("%s: must be of type %s" % (path, t))
        return
    if isinstance(v, str):
        if len(v) < s.get("minLength", 0):
            errs.append("%s: empty" % path)
        if "pattern" in s and not re.search(s["pattern"], v):
            errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
    if TYPES["integer"](v) and "minimum" in s and v < s["minimum"]:
        errs.append("%s: below %d" % (path, s["minimum"]))
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0):
            errs.append("%s: fewer than %d items" % (path, s["minItems"]))
        if "items" in s:
            for i, x in enumerate(v):
                validate(x, s["items"], root, "%s[%d]" % (path, i), errs)
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: lacks %s" % (path, k))
        props = s.get("properties", {})
        extra = s.get("additionalProperties", True)
        for k, x in v.items():
            if k in props:
                validate(x, props[k], root, path + "." + k, errs)
            elif extra is False:
                errs.append("%s: unexpected member %s" % (path, k))
            elif isinstance(extra, dict):
                validate(x, extra, root, path + "." + k, errs)


# ---------------------------------------------------------------------------
# Checks beyond the schema
# ---------------------------------------------------------------------------


def load_reqs(path):
    ids = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if cells and REQ_RE.match(cells[0]):
                ids[cells[0]] = cells
    return ids


def lint_file(path, doc, schema, reqs, seen_ids, errs):
    name = os.path.basename(path)

    def err(msg):
        errs.append("%s: %s" % (name, msg))

    e = []
    validate(doc, schema, schema, "$", e)
    for m in e:
        err(m)
    if e:
        return 0
    notes = doc["notes"]
    used = set()
    n = 0
    for g in doc["testGroups"]:
        for t in g["tests"]:
            n += 1
            where = "tcId %d (%s)" % (t["tcId"], t["id"])
            if t["tcId"] != n:
                err("%s: tcId should be %d (continuous from 1)" % (where, n))
            if t["id"] in seen_ids:
                err("%s: id also used in %s" % (where, seen_ids[t["id"]]))
            seen_ids[t["id"]] = name
            for f in t["flags"]:
                used.add(f)
                if f not in notes:
                    err("%s: flag %s is not defined in notes" % (where, f))
            if len(set(t["flags"])) != len(t["flags"]):
                err("%s: a flag appears twice" % where)
            if not t["reqs"]:
                err("%s: cites no requirement" % where)
            for r in t["reqs"]:
                m = REQ_RE.match(r)
                if not m or m.group(1) not in AREAS:
                    err("%s: malformed requirement ID %s" % (where, r))
                elif reqs is not None and r not in reqs:
                    err("%s: %s is not defined by the spec" % (where, r))
            lint_result(t, where, doc["kind"], err)
    if n != doc["numberOfTests"]:
        err("numberOfTests is %d, the file holds %d" %
            (doc["numberOfTests"], n))
    for f in notes:
        if f not in used:
            err("flag %s is defined but no test uses it" % f)
    return n


def lint_result(t, where, kind, err):
    res = t["result"]
    cls = t.get("errorClass")
    layer = t.get("layer")
    if res == "valid":
        if "output" not in t:
            err("%s: a valid test needs an output" % where)
        if cls is not None or layer is not None:
            err("%s: a valid test has no errorClass or layer" % where)
    elif res == "invalid":
        if cls is None:
            err("%s: an invalid test needs an errorClass" % where)
        elif layer is None and cls in CLASS_LAYER:
            err("%s: an invalid test of a codec error class needs its "
                "layer" % where)
        if "output" in t:
            err("%s: an invalid test has no output" % where)
    else:
        if "output" not in t and cls is None:
            err("%s: an acceptable test needs an output or an errorClass "
                "(or both)" % where)
        if layer is not None and cls is None:
            err("%s: a layer needs an errorClass" % where)
        if cls in CLASS_LAYER and layer is None:
            err("%s: an errorClass of the codec needs its layer" % where)
    others = t.get("otherClasses", [])
    if others and res != "invalid":
        err("%s: otherClasses belongs to invalid tests" % where)
    for o in others:
        if o not in CLASS_LAYER and not TOKEN_CLASS_RE.match(o):
            err("%s: %s is not an error class of the spec" % (where, o))
        if o == cls:
            err("%s: otherClasses repeats errorClass" % where)
    if cls is not None:
        if cls in CLASS_LAYER:
            if layer != CLASS_LAYER[cls]:
                err("%s: class %s belongs to layer %s, not %s" %
                    (where, cls, CLASS_LAYER[cls], layer))
        elif TOKEN_CLASS_RE.match(cls):
            if layer is not None and layer != "semantic":
                err("%s: class %s belongs to layer semantic" % (where, cls))
        else:
            err("%s: %s is not an error class of the spec" % (where, cls))
    if kind == "wire.decode":
        if "frame" not in t["input"] or "hex" not in t["input"]["frame"]:
            err("%s: a wire.decode test needs input.frame as hex" % where)
            return
        if res == "valid":
            if "text" not in t:
                err("%s: a valid wire vector needs its text" % where)
            out = t.get("output", {}).get("canonical", {}).get("hex")
            if out is None:
                err("%s: a valid wire vector needs output.canonical" % where)
            elif t.get("canonical") != (out == t["input"]["frame"]["hex"]):
                err("%s: canonical must be true exactly when the input is "
                    "its own canonical output" % where)
    elif "canonical" in t or "text" in t:
        err("%s: canonical and text belong to wire.decode tests" % where)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reqs", help="the spec's requirement TSV")
    ap.add_argument("--schema", default=os.path.join(HERE,
                                                     "vectors.schema.json"))
    ap.add_argument("--result")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    reqs = load_reqs(args.reqs) if args.reqs else None
    errs = []
    seen = {}
    passed = failed = 0
    total = 0
    for path in sorted(args.files):
        before = len(errs)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            errs.append("%s: %s" % (os.path.basename(path), e))
            failed += 1
            continue
        total += lint_file(path, doc, schema, reqs, seen, errs)
        if len(errs) == before:
            passed += 1
        else:
            failed += 1
    for m in errs:
        print("LINT " + m)
    print("vector lint: %d files, %d tests, %d files clean, %d with "
          "problems (%d problems)%s" %
          (passed + failed, total, passed, failed, len(errs),
           "" if reqs is not None else
           "; requirement IDs checked for form only (no spec TSV)"))
    if args.result:
        with open(args.result, "w") as f:
            f.write("%d %d\n" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Independent check of the wire vectors against Google's own parser: every
# wire.decode vector is fed to `protoc --decode=hcp.v1.Frame` with the
# schema under proto/. A valid vector must parse, print as the vector's
# text, and its canonical output must be what `protoc --encode` makes of
# that text. An invalid vector of the wire layer must be refused by protoc
# (unless flagged ProtocLenient: libprotobuf keeps a field of the wrong
# wire type, or a group, as an unknown field); one of the semantic or
# framing layer must parse, since protobuf knows nothing of HCP's rules
# (except class utf8 other than U+0000: proto3 parsers check UTF-8
# themselves, and U+0000 is excluded by HCP alone). This is what
# keeps the vectors honest independently of our codec.
#
# usage: check_protoc.py [--result FILE] VECTOR.json...

import argparse
import concurrent.futures
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hcpwire as w  # noqa: E402


def check(t):
    """Returns None when the vector agrees with protoc, else a message."""
    data = bytes.fromhex(t["input"]["frame"]["hex"])
    flags = t.get("flags", [])
    res = t["result"]
    got = w.decode(data)
    if res == "valid":
        if got is None:
            return "protoc refuses a valid vector"
        got = w.strip_unknown(got)
        if got != t.get("text"):
            return "protoc decodes it as %r, the vector says %r" % (
                got, t.get("text"))
        canon = bytes.fromhex(t["output"]["canonical"]["hex"])
        ctext = w.decode(canon)
        if ctext is None or w.strip_unknown(ctext) != got:
            return "the canonical output does not decode to the same frame"
        if "UnknownField" not in flags and ctext != w.decode(data):
            return "protoc sees different fields in input and canonical"
        enc = w.encode(got)
        if enc != canon:
            return "protoc --encode gives %s, the vector's canonical is %s" % (
                enc.hex(), canon.hex())
        if t.get("canonical") != (canon == data):
            return "the canonical flag does not match input and output"
        return None
    if res == "acceptable":
        return None
    layer = t["layer"]
    if layer == "wire":
        if "ProtocLenient" in flags:
            return None if got is not None else \
                "flagged ProtocLenient but protoc refuses it"
        return None if got is None else "protoc accepts a wire-invalid vector"
    # U+0000 is valid UTF-8 that only HCP excludes ([HCP-WIRE-6]): Google's
    # parser must accept it, like any other semantic-only rule.
    if "InvalidUtf8" in flags or (t["errorClass"] == "utf8" and
                                  "EmbeddedNul" not in flags):
        return None if got is None else "protoc accepts invalid UTF-8"
    if got is None:
        return "protoc refuses a vector that is invalid only at the %s " \
            "layer" % layer
    if t.get("text") is not None and w.strip_unknown(got) != t["text"]:
        return "protoc decodes it differently from the vector's text"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--result")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    tests = []
    for path in args.files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("kind") != "wire.decode":
            continue
        for g in doc["testGroups"]:
            for t in g["tests"]:
                tests.append((os.path.basename(path), t))
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        for (name, t), msg in zip(tests, ex.map(lambda x: check(x[1]),
                                                tests)):
            if msg is None:
                passed += 1
            else:
                failed += 1
                print("FAIL %s %s: %s" % (name, t["id"], msg))
    print("protoc independent check: %d vectors, %d passed, %d failed" %
          (passed + failed, passed, failed))
    if args.result:
        with open(args.result, "w") as f:
            f.write("%d %d\n" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

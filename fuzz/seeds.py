#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Builds the seed corpus of every fuzz harness from the conformance vectors
# (conformance/vectors/*.json): each vector's input becomes one seed file,
# laid out the way the harness reads its input (see the comment at the top
# of each fuzz/fuzz_<name>.c), in OUT/<name>/, named by the SHA-1 of its
# contents (so duplicates collapse), as OSS-Fuzz names seeds. The seeds
# are build output, never committed. Standard library only.
#
#   seeds.py OUT vector.json...

import hashlib
import json
import os
import struct
import sys

DECODE_HARNESSES = ["decode_pbc", "decode_nanopb", "diff"]
# fuzz_pbc_alloc.c: one byte choosing the failing allocation, then the
# frame; a few choices per frame.
ALLOC_CHOICES = [0, 1, 2, 5]
# fuzz_backoff.c: a 16-bit selector, then these 32-bit values in order.
BACKOFF_VALUES = ["base_ms", "cap_ms", "multiplier_milli", "jitter",
                  "floor_ms", "stable_ms", "attempt_budget", "attempt",
                  "random", "lifetime_ms", "not_before_ms", "not_after_ms"]
MAX_FRAME_SIZE = 16384
# fuzz_testee.c: answers for the first few tests with an output per file.
TESTEE_PER_FILE = 4


def value(v):
    if "hex" in v:
        return bytes.fromhex(v["hex"])
    if "uint" in v:
        return int(v["uint"])
    if "int" in v:
        return int(v["int"])
    if "str" in v:
        return v["str"]
    if "bool" in v:
        return bool(v["bool"])
    if "list" in v:
        return [value(x) for x in v["list"]]
    raise ValueError("unknown value form: %r" % (v,))


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


class Corpus:
    def __init__(self, root):
        self.root = root
        self.counts = {}

    def add(self, harness, data):
        d = os.path.join(self.root, harness)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.counts[harness] = self.counts.get(harness, 0) + 1


def framing_seed(chunks, max_frame):
    # fuzz_framing.c: maximum-frame selector, chunk-size count and sizes,
    # then the stream.
    if max_frame is not None and 1 <= max_frame <= 128:
        sel = 0x80 | (max_frame - 1)
    else:
        sel = 0
    sizes = [min(len(c), 255) for c in chunks[:15]]
    return bytes([sel, len(sizes)] + sizes) + b"".join(chunks)


def backoff_seed(inp):
    vals = []
    for k in BACKOFF_VALUES:
        v = inp.get(k, 0)
        vals.append(v & 0xFFFFFFFF)
    return struct.pack(">H12I", 0, *vals)


# fuzz_testee.c: the protobuf encoding of a testee's Response
# (proto/hcp/conformance/v1/testee.proto), written by hand here to keep to
# the standard library.
def pb_len(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def pb_varint(field, n):
    return varint(field << 3) + varint(n & 0xFFFFFFFFFFFFFFFF)


def pb_value(v):
    if "hex" in v:
        return pb_len(1, bytes.fromhex(v["hex"]))
    if "uint" in v:
        return pb_varint(2, int(v["uint"]))
    if "int" in v:
        return pb_varint(3, int(v["int"]))
    if "str" in v:
        return pb_len(4, v["str"].encode("utf-8"))
    if "bool" in v:
        return pb_varint(5, 1 if v["bool"] else 0)
    items = b"".join(pb_len(1, pb_value(x)) for x in v["list"])
    return pb_len(6, items)


def pb_output(output):
    entries = b""
    for key, v in output.items():
        entry = pb_len(1, key.encode("utf-8")) + pb_len(2, pb_value(v))
        entries += pb_len(1, entry)
    return pb_len(1, entries)


def testee_answers(index, t):
    """Answers to test number index (among the tests with an output):
    the expected output, a parse error and an unsupported kind, each after
    its 4-byte little-endian length."""
    sel = struct.pack(">H", index & 0xFFFF)
    pe = pb_len(2, pb_len(1, t.get("errorClass", "wire").encode()) +
                pb_len(2, b"detail"))
    unsupported = pb_len(4, b"kind")
    for resp in (pb_output(t["output"]), pe, unsupported):
        yield sel + struct.pack("<I", len(resp)) + resp


def token_seed(sel, inp, payload):
    # fuzz_token.c: selector, server time (8 bytes), skew (4 bytes), then
    # the token or grant.
    return (bytes([sel]) + struct.pack(">QI", inp.get("now_ms", 0),
                                       inp.get("skew_ms", 0)) + payload)


def seeds_of(corpus, kind, inp):
    if kind == "wire.decode":
        frame = inp["frame"]
        for h in DECODE_HARNESSES:
            corpus.add(h, frame)
        for k in ALLOC_CHOICES:
            corpus.add("pbc_alloc", bytes([k]) + frame)
    elif kind == "frame.read":
        corpus.add("framing", framing_seed(inp.get("chunks", []),
                                           inp.get("max_frame_size")))
    elif kind == "frame.prefix":
        n = inp["length"]
        if n <= MAX_FRAME_SIZE:
            corpus.add("framing", framing_seed([varint(n) + bytes(n)],
                                               None))
    elif kind == "token.open":
        for sel in (0, 4):
            corpus.add("token", token_seed(sel, inp, inp["token"]))
    elif kind == "grant.verify":
        g = inp["grant"]
        for sel in (1, 5):
            corpus.add("token", token_seed(sel, inp, g))
        if len(g) > 32 and g[:1] == b"\x01":
            # Mode 3 takes the binary form without its MAC.
            corpus.add("token", token_seed(3, inp, g[:-32]))
    elif kind in ("backoff.delay", "backoff.params", "backoff.next_attempt",
                  "window.pick"):
        corpus.add("backoff", backoff_seed(inp))


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: seeds.py OUT vector.json...\n")
        return 2
    corpus = Corpus(argv[1])
    n_output = 0
    # In the order fuzz_testee.c loads them: files sorted by name.
    for path in sorted(argv[2:]):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        kind = doc["kind"]
        per_file = 0
        for g in doc["testGroups"]:
            for t in g["tests"]:
                inp = {k: value(v) for k, v in t["input"].items()}
                seeds_of(corpus, kind, inp)
                if "output" not in t:
                    continue
                if per_file < TESTEE_PER_FILE:
                    for a in testee_answers(n_output, t):
                        corpus.add("testee", a)
                per_file += 1
                n_output += 1
    for h in sorted(corpus.counts):
        print("seeds: %-14s %5d" % (h, corpus.counts[h]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# An example testee in another language than C, with nothing but Python's
# standard library: it speaks the testee protocol of conformance/TESTEE.md
# (4-byte little-endian length, then a protobuf message, each way) with a
# hand-written protobuf encoder and decoder, implements the three reason
# kinds (reason.class, reason.to_ws, reason.from_ws) from the spec's text,
# and answers "unsupported" for every other kind. It shows how little a
# testee needs; run it with
#
#   make conformance TESTEE="python3 conformance/examples/testee_example.py" \
#       CONFORMANCE_ARGS="--kind 'reason.*'"

import struct
import sys

# ---------------------------------------------------------------------------
# Protobuf wire format, as much as the testee protocol uses
# ---------------------------------------------------------------------------


def read_varint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return n, i


def fields(b):
    """Yields (field number, wire type, value) of a message."""
    i = 0
    while i < len(b):
        key, i = read_varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = read_varint(b, i)
        elif wt == 2:
            n, i = read_varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        yield num, wt, v


def varint(n):
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def ld(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def decode_value(b):
    """A Value as (type, python value)."""
    for num, _, v in fields(b):
        if num == 1:
            return "bytes", v
        if num == 2:
            return "uint", v
        if num == 3:
            return "int", v - (1 << 64) if v >> 63 else v
        if num == 4:
            return "str", v.decode()
        if num == 5:
            return "bool", bool(v)
        if num == 6:
            return "list", [decode_value(x) for n2, _, x in fields(v)
                            if n2 == 1]
    return None, None


def decode_request(b):
    kind, inputs = "", {}
    for num, _, v in fields(b):
        if num == 2:
            kind = v.decode()
        elif num == 3:
            key, val = "", (None, None)
            for n2, _, x in fields(v):
                if n2 == 1:
                    key = x.decode()
                elif n2 == 2:
                    val = decode_value(x)
            inputs[key] = val
    return kind, inputs


def encode_output(out):
    """A Response with an Output of named uint or string values."""
    entries = b""
    for key, val in out.items():
        if isinstance(val, str):
            value = ld(4, val.encode())
        else:
            value = varint(2 << 3) + varint(val)
        entries += ld(1, ld(1, key.encode()) + ld(2, value))
    return ld(1, entries)


def encode_text(num, text):
    """A Response with runtime_error (3) or unsupported (4)."""
    return ld(num, text.encode())


# ---------------------------------------------------------------------------
# The reason kinds, from spec chapter "Reason codes"
# ---------------------------------------------------------------------------

CLASSES = {0: "none", 1: "reconnect", 2: "elsewhere", 3: "reauth", 4: "stop"}
FROM_WS = {1000: 400, 1001: 200, 1002: 402, 1008: 406, 1009: 405,
           1011: 100, 1012: 101, 1013: 102}


def reason_class(code):
    if code == 0:
        return "none"
    return CLASSES[code // 100] if 100 <= code <= 499 else "reconnect"


def to_ws(code):
    if code == 0:
        return 1000
    return 4000 + code if code <= 999 else 1012


def from_ws(ws):
    if ws in FROM_WS:
        return FROM_WS[ws]
    return ws - 4000 if 4001 <= ws <= 4999 else 107


def answer(kind, inputs):
    def uint(name):
        t, v = inputs.get(name, (None, None))
        if t != "uint":
            raise KeyError(name)
        return v

    try:
        if kind == "reason.class":
            return encode_output({"class": reason_class(uint("code"))})
        if kind == "reason.to_ws":
            return encode_output({"ws_close": to_ws(uint("code"))})
        if kind == "reason.from_ws":
            return encode_output({"code": from_ws(uint("ws_close"))})
    except KeyError as e:
        return encode_text(3, "input %s missing" % e)
    return encode_text(4, "the example testee implements only reason.*")


def main():
    rd, wr = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = rd.read(4)
        if not head:
            return 0
        if len(head) < 4:
            return 1
        (n,) = struct.unpack("<I", head)
        body = rd.read(n)
        if len(body) < n:
            return 1
        resp = answer(*decode_request(body))
        wr.write(struct.pack("<I", len(resp)) + resp)
        wr.flush()


if __name__ == "__main__":
    sys.exit(main())

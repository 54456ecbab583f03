# SPDX-License-Identifier: Apache-2.0
#
# Small helpers shared by the conformance tools: protobuf wire pieces for
# byte surgery (varints, tags, length-delimited fields), calls to protoc
# for canonical encodings and decodings, and the independent Python
# implementation of the reference algorithms (backoff, window pick,
# reason classes, WebSocket close codes) that the generator uses to compute
# expected values. Nothing here imports the codec under test; the
# algorithms follow the contract's wording, not the C code.

import os
import subprocess

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROTOC = os.environ.get("PROTOC", "protoc")
PROTO_DIR = os.path.join(ROOT, "proto")
FRAME_PROTO = "hcp/v1/hcp.proto"

# ---------------------------------------------------------------------------
# Wire pieces
# ---------------------------------------------------------------------------

WT_VARINT, WT_I64, WT_LEN, WT_SGROUP, WT_EGROUP, WT_I32 = 0, 1, 2, 3, 4, 5


def varint(n, width=None):
    """Base-128 varint of n; width forces a longer (non-minimal) form."""
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            break
    if width is not None:
        if width < len(out):
            raise ValueError("width shorter than the minimal form")
        while len(out) < width:
            out[-1] |= 0x80
            out.append(0)
    return bytes(out)


def tag(field, wt, width=None):
    return varint((field << 3) | wt, width)


def vfield(field, n, width=None):
    """A varint field."""
    return tag(field, WT_VARINT) + varint(n, width)


def lfield(field, payload, lwidth=None):
    """A length-delimited field."""
    return tag(field, WT_LEN) + varint(len(payload), lwidth) + payload


def f32(field, n):
    return tag(field, WT_I32) + n.to_bytes(4, "little")


def f64(field, n):
    return tag(field, WT_I64) + n.to_bytes(8, "little")


# ---------------------------------------------------------------------------
# protoc
# ---------------------------------------------------------------------------


def _protoc(args, data):
    p = subprocess.run([PROTOC, "-I" + PROTO_DIR] + args + [FRAME_PROTO],
                       input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, check=False)
    return p.returncode, p.stdout, p.stderr


def encode(text):
    """Canonical bytes of a Frame given in protobuf text format."""
    rc, out, err = _protoc(["--encode=hcp.v1.Frame"], text.encode())
    if rc != 0:
        raise RuntimeError("protoc --encode failed on %r: %s" %
                           (text, err.decode(errors="replace")))
    return out


def decode(data):
    """protoc's text rendering of a Frame, or None when protoc refuses."""
    rc, out, _ = _protoc(["--decode=hcp.v1.Frame"], data)
    if rc != 0:
        return None
    return out.decode()


def strip_unknown(text):
    """Drops the unknown fields (numbered, not named) from protoc text."""
    out = []
    skip = 0
    for line in text.splitlines(keepends=True):
        s = line.strip()
        if skip:
            if s.endswith("{"):
                skip += 1
            elif s == "}":
                skip -= 1
            continue
        head = s.split(":", 1)[0].split(" ", 1)[0]
        if head.isdigit():
            if s.endswith("{"):
                skip = 1
            continue
        out.append(line)
    return "".join(out)


# ---------------------------------------------------------------------------
# Reference algorithms, written from the contract's text
# ---------------------------------------------------------------------------

MASK32 = 0xFFFFFFFF
MASK64 = (1 << 64) - 1


def backoff_params(hint):
    """Effective parameters (BACKOFF-3, BACKOFF-4) from a hint dict."""
    base = hint.get("base_ms", 0)
    cap = hint.get("cap_ms", 0)
    if base and not cap:
        cap = max(30000, base)
    elif cap and not base:
        base = min(500, cap)
    elif not base and not cap:
        base, cap = 500, 30000
    jitter = hint.get("jitter", 0)
    return {
        "base_ms": base,
        "cap_ms": cap,
        "multiplier_milli": hint.get("multiplier_milli", 0) or 2000,
        "jitter": 2 if jitter == 2 else 1,
        "floor_ms": hint.get("floor_ms", 0),
        "stable_ms": hint.get("stable_ms", 0) or 30000,
        "attempt_budget": hint.get("attempt_budget", 0),
    }


def backoff_delay(p, attempt, r):
    """BACKOFF-5: the delay in ms, or None when the budget is spent."""
    if p["attempt_budget"] and attempt >= p["attempt_budget"]:
        return None
    cap_us = p["cap_ms"] * 1000
    c = p["base_ms"] * 1000
    for _ in range(attempt):
        if c == cap_us or p["multiplier_milli"] == 1000:
            break
        c = min((c * p["multiplier_milli"]) // 1000, cap_us) & MASK64
    ceil = c // 1000
    if p["jitter"] == 2:
        h = ceil // 2
        j = h + (((ceil - h) * r) >> 32)
    else:
        j = (ceil * r) >> 32
    return p["floor_ms"] + j


def next_attempt(p, attempt, lifetime_ms):
    """BACKOFF-7."""
    if lifetime_ms >= p["stable_ms"]:
        return 0
    return attempt + 1 if attempt < MASK32 else MASK32


def window_pick(nb, na, r):
    """NOTICE-6, or None when not_before > not_after."""
    if nb > na:
        return None
    return nb + ((((na - nb) + 1) * r) >> 32)


CLASS_NAMES = ["none", "reconnect", "elsewhere", "reauth", "stop"]


def reason_class(code):
    """REASON-1, REASON-3."""
    if code == 0:
        return "none"
    if 100 <= code <= 499:
        return CLASS_NAMES[code // 100]
    return "reconnect"


def reason_to_ws(code):
    """REASON-4, to_ws."""
    if code == 0:
        return 1000
    if 1 <= code <= 999:
        return 4000 + code
    return 1012


FROM_WS = {1000: 400, 1001: 200, 1002: 402, 1008: 406, 1009: 405,
           1011: 100, 1012: 101, 1013: 102}


def reason_from_ws(ws):
    """REASON-4, from_ws."""
    if ws in FROM_WS:
        return FROM_WS[ws]
    if 4001 <= ws <= 4999:
        return ws - 4000
    return 107

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Writes the conformance vectors of spec/12-tokens.md: token_seal.json
# (kind token.seal), token.json (token.open), grant_mint.json (grant.mint)
# and grant.json (grant.verify), in the schema of
# conformance/tools/vectors.schema.json. Every expected value comes from
# test_token_crypto.py, a plain-Python implementation of the spec that
# shares no code with codec/src/token.c; the refusal class of every
# mutated token or grant comes from the spec's check order as written
# here (open_token, verify_grant), not from the C code. Deterministic: the
# same files on every run (`make check` compares them with the committed
# ones).
#
#   test_token_vectors.py OUTDIR

import hashlib
import hmac
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_token_crypto as tc  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "conformance", "tools"))
import vectorfile  # noqa: E402

GENERATOR = "codec/tests/test_token_vectors.py"

FLAGS = {
    "KnownAnswer": ("BASIC", "Fixed keys, nonce and claims: the output "
                    "bytes must match exactly."),
    "Minimal": ("BASIC", "Every field at its shortest."),
    "Typical": ("BASIC", "Field sizes as a real server would use them."),
    "AtLimit": ("EDGE_CASE", "A size, count, time or length exactly at "
                "its bound: still accepted."),
    "StreamsOmitted": ("EDGE_CASE", "Streams that do not fit in 1024 bytes "
                       "are left out from the end and counted "
                       "[HCP-TOKEN-14]."),
    "Rotation": ("BASIC", "Opened or verified with a key in state open "
                 "(no longer sealing)."),
    "TextForm": ("BASIC", "A grant in its base64url text form."),
    "PrefixGrant": ("BASIC", "A grant for a stream name prefix."),
    "Size": ("LIMIT", "Shorter or longer than any token or grant "
             "(token_size)."),
    "Truncated": ("MALFORMED_ENCODING", "A valid token or grant cut short "
                  "at this length."),
    "BitFlip": ("SECURITY", "A valid token or grant with one bit flipped: "
                "it must be refused, with the class of the first check "
                "that fails."),
    "WrongVersion": ("SEMANTIC_RULE", "A version other than 1."),
    "UnknownKey": ("SECURITY", "A key id no key of the ring has."),
    "RetiredKey": ("SECURITY", "A key id of a retired key."),
    "Forged": ("SECURITY", "Authentication fails: sealed or minted with "
               "another key, or changed."),
    "Malformed": ("SEMANTIC_RULE", "Authentic, but the contents break "
                  "the layout or its bounds."),
    "Expired": ("SEMANTIC_RULE", "At or past expires_at_ms."),
    "NotYetValid": ("SEMANTIC_RULE", "Issued further ahead than the skew "
                    "tolerance."),
    "Skew": ("EDGE_CASE", "Issued ahead of now within the skew tolerance."),
    "PrincipalMismatch": ("SECURITY", "Bound to another principal."),
    "Replay": ("SECURITY", "Presented again after earlier uses "
               "(input prior_uses)."),
    "GraceWindow": ("EDGE_CASE", "Presented again inside the grace "
                    "window: accepted, within_grace true."),
    "CheckOrder": ("SEMANTIC_RULE", "Breaks two checks: the earlier one "
                   "in the spec's order is the refusal."),
    "NonCanonicalText": ("MALFORMED_ENCODING", "A text form that is not "
                         "canonical base64url without padding."),
    "StreamMismatch": ("SEMANTIC_RULE", "The grant does not cover the "
                       "stream subscribed to."),
}

# ---------------------------------------------------------------------------
# Fixed keys: derived from labels, so the file states where they come from.
# ---------------------------------------------------------------------------


def key_of(label):
    return hashlib.sha256(label.encode()).digest()


TOKEN_SEAL_ID = 0x48435031
TOKEN_OPEN_ID = 0x48435030
TOKEN_RETIRED_ID = 0x4843502F
TOKEN_SEAL_KEY = key_of("hcp token key 1")
TOKEN_OPEN_KEY = key_of("hcp token key 0")
TOKEN_RING = [(TOKEN_SEAL_ID, "seal", TOKEN_SEAL_KEY),
              (TOKEN_OPEN_ID, "open", TOKEN_OPEN_KEY),
              (TOKEN_RETIRED_ID, "retired", b"")]
OTHER_KEY = key_of("a key this ring does not hold")

GRANT_SEAL_ID = 0x47524E32
GRANT_OPEN_ID = 0x47524E31
GRANT_RETIRED_ID = 0x47524E30
GRANT_SEAL_KEY = key_of("hcp grant key 2")
GRANT_OPEN_KEY = key_of("hcp grant key 1")
GRANT_RING = [(GRANT_SEAL_ID, "seal", GRANT_SEAL_KEY),
              (GRANT_OPEN_ID, "open", GRANT_OPEN_KEY),
              (GRANT_RETIRED_ID, "retired", b"")]

T0 = 1767225600000  # 2026-01-01T00:00:00Z in ms
SKEW = 30000
GRACE = 10000
DAY = 86400000
MAX_LIFETIME = 604800000


def nonce_of(n):
    return hashlib.sha256(b"nonce %d" % n).digest()[:24]


# ---------------------------------------------------------------------------
# Values of the testee protocol
# ---------------------------------------------------------------------------


def hexv(b):
    return {"hex": b.hex()}


def uintv(n):
    # Beyond 2^53 a JSON number loses precision in many parsers: the
    # schema's decimal string form then.
    return {"uint": n if n < 2 ** 53 else str(n)}


def ring_value(ring):
    return {"list": [{"list": [uintv(i), {"str": s}, hexv(k)]}
                     for i, s, k in ring]}


def streams_value(streams):
    return {"list": [{"list": [hexv(n), uintv(o), uintv(e)]}
                     for n, o, e in streams]}


# ---------------------------------------------------------------------------
# The spec's check order, written here independently of the C code
# ---------------------------------------------------------------------------


def lv(p, pos, lo, hi):
    """A field f(lo..hi) at pos: (bytes, next pos) or None."""
    if pos >= len(p):
        return None
    n = p[pos]
    if n < lo or n > hi or pos + 1 + n > len(p):
        return None
    return p[pos + 1:pos + 1 + n], pos + 1 + n


def parse_claims(p):
    """The claims table of the spec and [HCP-TOKEN-12], or None."""
    if len(p) < 16:
        return None
    issued, expires = struct.unpack(">QQ", p[:16])
    pos = 16
    out = {"issued_at_ms": issued, "expires_at_ms": expires}
    for name, lo, hi in (("principal", 1, 128), ("session_id", 1, 64),
                         ("context", 0, 64)):
        r = lv(p, pos, lo, hi)
        if r is None:
            return None
        out[name], pos = r
    if pos + 2 > len(p):
        return None
    out["streams_omitted"], count = p[pos], p[pos + 1]
    pos += 2
    if count > 16:
        return None
    streams = []
    for _ in range(count):
        r = lv(p, pos, 1, 128)
        if r is None or r[1] + 16 > len(p):
            return None
        name, pos = r
        offset, epoch = struct.unpack(">QQ", p[pos:pos + 16])
        pos += 16
        streams.append((name, offset, epoch))
    if pos != len(p):
        return None
    if not (expires > issued and expires - issued <= MAX_LIFETIME):
        return None
    if len(set(n for n, _, _ in streams)) != len(streams):
        return None
    out["streams"] = streams
    return out


def open_token(ring, token, now, skew, principal, grace, prior_uses):
    """(error class or None, claims, within_grace), [HCP-TOKEN-16]."""
    if len(token) < 68 or len(token) > 1024:
        return "token_size", None, False
    if token[0] != 1:
        return "token_version", None, False
    key_id = struct.unpack(">I", token[1:5])[0]
    keys = {i: (s, k) for i, s, k in ring}
    if key_id not in keys:
        return "token_key_unknown", None, False
    state, key = keys[key_id]
    if state == "retired":
        return "token_key_retired", None, False
    pt = tc.xchacha20poly1305_decrypt(key, token[5:29], token[:29],
                                      token[29:])
    if pt is None:
        return "token_forged", None, False
    c = parse_claims(pt)
    if c is None:
        return "token_malformed", None, False
    times = list(prior_uses) + [now]
    first_use = None
    latest = 0
    within = False
    for i, t in enumerate(times):
        t = max(t, latest)  # [HCP-TOKEN-20]: the time never goes back
        latest = t
        if t >= c["expires_at_ms"]:
            err = "token_expired"
        elif c["issued_at_ms"] > t + skew:
            err = "token_not_yet_valid"
        elif principal is not None and principal != c["principal"]:
            err = "token_principal"
        elif first_use is not None and t - first_use >= grace:
            err = "token_reused"
        else:
            err = None
        if err is not None:
            if i != len(times) - 1:
                raise ValueError("a prior use must be accepted")
            return err, None, False
        within = first_use is not None
        if first_use is None:
            first_use = t
    c["key_id"] = key_id
    return None, c, within


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def b64_strict(text):
    """Canonical base64url without padding, or None."""
    if len(text) % 4 == 1 or any(chr(c) not in B64 for c in text):
        return None
    acc = bits = 0
    out = bytearray()
    for c in text:
        acc = (acc << 6) | B64.index(chr(c))
        bits += 6
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if acc & ((1 << bits) - 1):
        return None
    return bytes(out)


def verify_grant(ring, grant, now, skew, principal, stream):
    """(error class or None, claims), [HCP-GRANT-7]."""
    if len(grant) == 0 or len(grant) > 512:
        return "token_size", None
    if grant[0] == 1:
        if len(grant) > 312:
            return "token_size", None
        b = grant
    else:
        if len(grant) > 416:
            return "token_size", None
        b = b64_strict(grant)
        if b is None:
            return "token_version", None
    if len(b) < 58:
        return "token_size", None
    if b[0] != 1:
        return "token_version", None
    key_id = struct.unpack(">I", b[1:5])[0]
    keys = {i: (s, k) for i, s, k in ring}
    if key_id not in keys:
        return "token_key_unknown", None
    state, key = keys[key_id]
    if state == "retired":
        return "token_key_retired", None
    body, mac = b[:-32], b[-32:]
    if tc.grant_mac(key, body) != mac:
        return "token_forged", None
    issued, expires = struct.unpack(">QQ", body[5:21])
    match = body[21]
    r = lv(body, 22, 1, 128)
    r2 = lv(body, r[1], 1, 128) if r else None
    if (match > 1 or r2 is None or r2[1] != len(body) or
            not (expires > issued and expires - issued <= MAX_LIFETIME)):
        return "token_malformed", None
    c = {"key_id": key_id, "issued_at_ms": issued, "expires_at_ms": expires,
         "match": match, "principal": r[0], "stream": r2[0]}
    if now >= expires:
        return "token_expired", None
    if issued > now + skew:
        return "token_not_yet_valid", None
    if principal != c["principal"]:
        return "token_principal", None
    s = c["stream"]
    if (match == 0 and stream != s) or (match == 1 and
                                        not stream.startswith(s)):
        return "grant_stream", None
    return None, c


# ---------------------------------------------------------------------------
# Vector files
# ---------------------------------------------------------------------------


class VectorFile(vectorfile.VectorFile):
    def __init__(self, name, kind, title, header):
        super().__init__(name, kind, title, header, FLAGS, GENERATOR)

    def add(self, g, tid, comment, reqs, flags, inp, output=None,
            error=None):
        super().add(g, tid, comment, reqs, flags,
                    "invalid" if error else "valid", inp, output=output,
                    error=error)


KEYS_NOTE = ("input.keys is the key ring: a list of [key id, state, key "
             "material] with state \"seal\", \"open\" or \"retired\" (a "
             "retired key has no material). The keys are SHA-256 of fixed "
             "labels (\"hcp token key 1\", ...), so anyone can recompute "
             "them.")
INDEPENDENCE_NOTE = ("Expected bytes come from codec/tests/"
                     "test_token_crypto.py, XChaCha20-Poly1305 and the "
                     "layouts written in plain Python from RFC 8439, "
                     "draft-irtf-cfrg-xchacha-03 and spec/12-tokens.md "
                     "(checked against the RFC's and the draft's published "
                     "vectors before any file is written), and HMAC-SHA256 "
                     "from Python's hmac module; none of it shares code with "
                     "the C library or libsodium.")


def claims_output(c, within=None):
    out = {"key_id": uintv(c["key_id"]),
           "issued_at_ms": uintv(c["issued_at_ms"]),
           "expires_at_ms": uintv(c["expires_at_ms"]),
           "principal": hexv(c["principal"]),
           "session_id": hexv(c["session_id"]),
           "context": hexv(c["context"]),
           "streams_omitted": uintv(c["streams_omitted"]),
           "streams": streams_value(c["streams"])}
    if within is not None:
        out["within_grace"] = {"bool": within}
    return out


def claims_input(c):
    return {"issued_at_ms": uintv(c["issued_at_ms"]),
            "expires_at_ms": uintv(c["expires_at_ms"]),
            "principal": hexv(c["principal"]),
            "session_id": hexv(c["session_id"]),
            "context": hexv(c["context"]),
            "streams_omitted": uintv(c["streams_omitted"]),
            "streams": streams_value(c["streams"])}


def claims(principal=b"u", session=b"s", context=b"", streams=(),
           omitted=0, issued=T0, lifetime=120000):
    return {"issued_at_ms": issued, "expires_at_ms": issued + lifetime,
            "principal": principal, "session_id": session,
            "context": context, "streams_omitted": omitted,
            "streams": list(streams)}


def name(i, n):
    s = ("stream-%d/" % i).encode()
    return (s * (n // len(s) + 1))[:n]


SEAL_CASES = [
    ("minimal", "every field at its shortest: the 68-byte token",
     ["Minimal"], claims()),
    ("typical", "a principal, a session id, rate-limit context and "
     "three streams", ["Typical"],
     claims(b"user:4f1c2a", b"sess-9b7e5d3c1a", b"\x00\x03\x00\x00\x27\x10",
            [(b"chat/room-17", 4711, 3), (b"presence/team-2", 0, 1),
             (b"orders/eu-west", 2 ** 40 + 7, 2 ** 32)])),
    ("sixteen-streams", "sixteen short streams: all fit", ["AtLimit"],
     claims(b"user:1", b"s1", streams=[(b"s/%02d" % i, i, 1)
                                       for i in range(16)])),
    ("exactly-1024", "field sizes that give a token of exactly 1024 bytes",
     ["AtLimit"],
     claims(b"p" * 128, b"S" * 64, b"c" * 64,
            [(name(i, 128), i, 2 ** 64 - 1) for i in range(4)] +
            [(name(4, 105), 5, 5)], lifetime=MAX_LIFETIME)),
    ("one-stream-too-many", "the 1024-byte token plus a sixth stream of "
     "one byte: the sixth is left out and counted", ["StreamsOmitted"],
     claims(b"p" * 128, b"S" * 64, b"c" * 64,
            [(name(i, 128), i, 2 ** 64 - 1) for i in range(4)] +
            [(name(4, 105), 5, 5), (b"x", 6, 6)])),
    ("streams-do-not-fit", "sixteen streams of 128-byte names: five fit, "
     "eleven are counted in streams_omitted", ["StreamsOmitted"],
     claims(b"user:2", b"s2", streams=[(name(i, 128), i, 1)
                                       for i in range(16)])),
    ("omitted-saturates", "250 streams already left out plus eleven that "
     "do not fit: streams_omitted saturates at 255", ["StreamsOmitted"],
     claims(b"user:3", b"s3", omitted=250,
            streams=[(name(i, 128), i, 1) for i in range(16)])),
]


def seal_vectors():
    vf = VectorFile(
        "token_seal.json", "token.seal", "Resume token sealing (known "
        "answers)",
        ["Kind token.seal: seal input.claims (issued_at_ms, expires_at_ms, "
         "principal, session_id, context, streams_omitted, streams as a "
         "list of [name, offset, epoch]) with the ring's sealing key and "
         "the fixed input.nonce; output.token is the exact token and "
         "output.streams_sealed the number of streams it carries.",
         KEYS_NOTE, INDEPENDENCE_NOTE])
    g = vf.group("TokenSealTest", "Known answers of the construction "
                 "[HCP-TOKEN-10], [HCP-TOKEN-14].")
    tokens = {}
    for i, (tid, comment, flags, c) in enumerate(SEAL_CASES):
        nonce = nonce_of(i)
        token = tc.token_seal(TOKEN_SEAL_KEY, TOKEN_SEAL_ID, nonce, c)
        fitted = tc.token_fit(c)
        tokens[tid] = (token, c)
        reqs = ["TOKEN-10", "TOKEN-11", "TOKEN-12"]
        if "StreamsOmitted" in flags or "AtLimit" in flags:
            reqs.append("TOKEN-14")
        vf.add(g, "token-seal." + tid, comment + " (%d bytes)" % len(token),
               reqs, ["KnownAnswer"] + flags,
               dict({"keys": ring_value(TOKEN_RING), "nonce": hexv(nonce)},
                    **claims_input(c)),
               output={"token": hexv(token),
                       "streams_sealed": uintv(len(fitted["streams"]))})
    assert len(tokens["exactly-1024"][0]) == 1024
    return vf, tokens


def open_input(token, now, principal=None, prior=(), ring=TOKEN_RING,
               skew=SKEW, grace=GRACE):
    inp = {"keys": ring_value(ring), "token": hexv(token),
           "now_ms": uintv(now), "skew_ms": uintv(skew),
           "grace_ms": uintv(grace)}
    if principal is not None:
        inp["principal"] = hexv(principal)
    if prior:
        inp["prior_uses"] = {"list": [uintv(t) for t in prior]}
    return inp


OPEN_HEADER = [
    "Kind token.open: open input.token with the ring input.keys at the "
    "server time input.now_ms, with skew tolerance input.skew_ms and grace "
    "window input.grace_ms, against a fresh replay cache. When "
    "input.principal is present the connection authenticated as it; "
    "absent, the principal is not checked. When input.prior_uses is "
    "present, the same token was first opened, with the same inputs, at "
    "each of those times in order (each of those opens must succeed).",
    "A valid token gives output: key_id, issued_at_ms, expires_at_ms, "
    "principal, session_id, context, streams_omitted, streams (a list of "
    "[name, offset, epoch]) and within_grace. A refused token gives "
    "errorClass, the class of the first failing check of [HCP-TOKEN-16].",
    KEYS_NOTE, INDEPENDENCE_NOTE]


def open_vectors(tokens):
    vf = VectorFile("token.json", "token.open", "Resume token opening",
                    OPEN_HEADER)

    def add(g, tid, comment, reqs, flags, token, now, principal=None,
            prior=(), ring=TOKEN_RING):
        err, c, within = open_token(ring, token, now, SKEW, principal,
                                    GRACE, prior)
        inp = open_input(token, now, principal, prior, ring)
        if err is None:
            vf.add(g, "token-open." + tid, comment, reqs, flags, inp,
                   output=claims_output(c, within))
        else:
            vf.add(g, "token-open." + tid, comment, reqs, flags, inp,
                   error=err)
        return err

    def seal(c, nonce=99, key=TOKEN_SEAL_KEY, key_id=TOKEN_SEAL_ID,
             version=1):
        return tc.token_seal_raw(key, key_id, nonce_of(nonce),
                                 tc.token_claims(c), version)

    g = vf.group("TokenOpenTest", "Tokens that open [HCP-TOKEN-16].")
    for tid, (token, c) in tokens.items():
        add(g, tid, "the token of token-seal.%s" % tid,
            ["TOKEN-10", "TOKEN-16"], ["KnownAnswer"], token,
            c["issued_at_ms"] + 1)
    typical, tc_claims = tokens["typical"]
    t_exp = tc_claims["expires_at_ms"]
    add(g, "last-millisecond", "now is one millisecond before "
        "expires_at_ms", ["TOKEN-16", "TOKEN-18"], ["AtLimit"], typical,
        t_exp - 1)
    add(g, "skew-edge", "issued exactly skew_ms ahead of now",
        ["TOKEN-16", "TOKEN-19"], ["Skew", "AtLimit"], typical, T0 - SKEW)
    add(g, "principal-match", "the connection authenticated as the "
        "token's principal", ["TOKEN-21"], [], typical, T0 + 5,
        principal=b"user:4f1c2a")
    rotated = seal(claims(b"user:5", b"s5"), key=TOKEN_OPEN_KEY,
                   key_id=TOKEN_OPEN_ID)
    add(g, "open-key", "sealed by the key that sealed before the "
        "rotation, now in state open", ["TOKEN-4", "TOKEN-6"],
        ["Rotation"], rotated, T0 + 5)
    week = seal(claims(lifetime=MAX_LIFETIME))
    add(g, "seven-days", "a lifetime of exactly 7 days, opened in its "
        "last millisecond", ["TOKEN-12"], ["AtLimit"], week,
        T0 + MAX_LIFETIME - 1)
    add(g, "grace", "presented again 1 ms before the grace window ends",
        ["TOKEN-23"], ["Replay", "GraceWindow"], typical,
        T0 + 1000 + GRACE - 1, prior=[T0 + 1000])
    add(g, "grace-twice", "three uses inside the grace window",
        ["TOKEN-23"], ["Replay", "GraceWindow"], typical, T0 + 9000,
        prior=[T0 + 1000, T0 + 5000])

    g = vf.group("TokenRefusalTest", "Tokens that are refused, each for "
                 "one reason, in the order of [HCP-TOKEN-16].")
    add(g, "empty", "no bytes", ["TOKEN-16"], ["Size"], b"", T0)
    add(g, "oversized", "1025 bytes", ["TOKEN-16"], ["Size"],
        tokens["exactly-1024"][0] + b"\x00", T0 + 1)
    add(g, "version-0", "version byte 0, otherwise a valid seal",
        ["TOKEN-16"], ["WrongVersion"], seal(claims(), version=0), T0 + 1)
    add(g, "version-2", "version byte 2, otherwise a valid seal",
        ["TOKEN-16"], ["WrongVersion"], seal(claims(), version=2), T0 + 1)
    add(g, "unknown-key", "sealed under a key id the ring does not have",
        ["TOKEN-16"], ["UnknownKey"],
        seal(claims(), key=OTHER_KEY, key_id=0x12345678), T0 + 1)
    add(g, "retired-key", "sealed by a key that is now retired",
        ["TOKEN-9", "TOKEN-16"], ["RetiredKey"],
        seal(claims(), key=OTHER_KEY, key_id=TOKEN_RETIRED_ID), T0 + 1)
    add(g, "wrong-key", "the sealing key's id, sealed with another key",
        ["TOKEN-16"], ["Forged"], seal(claims(), key=OTHER_KEY), T0 + 1)
    add(g, "open-key-as-seal", "the open key's id, sealed with the "
        "sealing key", ["TOKEN-16"], ["Forged"],
        seal(claims(), key_id=TOKEN_OPEN_ID), T0 + 1)
    base = tc.token_claims(claims(b"u", b"s", streams=[(b"a", 1, 1)]))
    bad = {
        "trailing-byte": base + b"\x00",
        "principal-empty": base[:16] + b"\x00" + base[18:],
        "principal-129": base[:16] + b"\x81" + b"u" * 129 + base[18:],
        "session-empty": base[:18] + b"\x00" + base[20:],
        "session-65": base[:18] + b"\x41" + b"s" * 65 + base[20:],
        "context-65": base[:20] + b"\x41" + b"c" * 65 + base[21:],
        "count-17": tc.token_claims(claims(streams=[(b"s/%d" % i, 0, 0)
                                                    for i in range(16)]))
        [:22] + b"\x11" + tc.token_claims(
            claims(streams=[(b"s/%d" % i, 0, 0) for i in range(16)]))[23:]
        + b"\x01z" + b"\x00" * 16,
        "stream-name-empty": base[:23] + b"\x00" + base[25:],
        "count-past-end": base[:22] + b"\x02" + base[23:],
        "stream-cut": base[:-1],
        "duplicate-stream": tc.token_claims(
            claims(streams=[(b"a", 1, 1), (b"a", 2, 2)])),
        "expires-equals-issued": tc.token_claims(claims(lifetime=0)),
        "expires-before-issued": struct.pack(">QQ", T0, T0 - 1) + base[16:],
        "lifetime-over-7-days": tc.token_claims(
            claims(lifetime=MAX_LIFETIME + 1)),
    }
    for i, (tid, pt) in enumerate(bad.items()):
        tok = tc.token_seal_raw(TOKEN_SEAL_KEY, TOKEN_SEAL_ID,
                                nonce_of(200 + i), pt)
        err = add(g, "malformed." + tid, "authentic claims: " +
                  tid.replace("-", " "), ["TOKEN-12", "TOKEN-16"],
                  ["Malformed"], tok, T0 + 1)
        assert err == "token_malformed", (tid, err)
    add(g, "expired", "now equals expires_at_ms", ["TOKEN-16", "TOKEN-18"],
        ["Expired", "AtLimit"], typical, t_exp)
    add(g, "expired-later", "a day after expires_at_ms",
        ["TOKEN-16", "TOKEN-18"], ["Expired"], typical, t_exp + DAY)
    add(g, "not-yet-valid", "issued skew_ms + 1 ahead of now",
        ["TOKEN-16", "TOKEN-19"], ["NotYetValid"], typical, T0 - SKEW - 1)
    add(g, "principal-other", "the connection authenticated as another "
        "principal of the same length", ["TOKEN-16", "TOKEN-21"],
        ["PrincipalMismatch"], typical, T0 + 5, principal=b"user:4f1c2b")
    add(g, "principal-prefix", "the connection's principal is a prefix of "
        "the token's", ["TOKEN-16", "TOKEN-21"], ["PrincipalMismatch"],
        typical, T0 + 5, principal=b"user:4f1c2")
    add(g, "principal-longer", "the token's principal is a prefix of the "
        "connection's", ["TOKEN-16", "TOKEN-21"], ["PrincipalMismatch"],
        typical, T0 + 5, principal=b"user:4f1c2a0")
    add(g, "reused-at-grace-end", "presented again exactly grace_ms after "
        "its first use", ["TOKEN-16", "TOKEN-23"], ["Replay", "AtLimit"],
        typical, T0 + 1000 + GRACE, prior=[T0 + 1000])
    add(g, "reused-later", "presented again a minute after its first use",
        ["TOKEN-16", "TOKEN-23"], ["Replay"], typical, T0 + 61000,
        prior=[T0 + 1000])
    add(g, "reused-after-grace-use", "a use inside the grace window does "
        "not extend it", ["TOKEN-23"], ["Replay"], typical,
        T0 + 1000 + GRACE, prior=[T0 + 1000, T0 + 1000 + GRACE - 1])
    add(g, "order.expired-before-reused", "used before and now expired: "
        "expiry is checked first", ["TOKEN-16"], ["CheckOrder", "Replay"],
        typical, t_exp, prior=[T0 + 1000])
    add(g, "order.retired-before-forged", "a retired key id with garbage "
        "after the header: the key is checked before authentication",
        ["TOKEN-16"], ["CheckOrder"],
        b"\x01" + struct.pack(">I", TOKEN_RETIRED_ID) + b"\x00" * 100,
        T0 + 1)

    g = vf.group("TokenMutationTest", "Every truncation and every "
                 "single-bit flip of the minimal token is refused.")
    minimal = tokens["minimal"][0]
    for n in range(len(minimal)):
        add(g, "truncated.%d" % n, "the minimal token cut to %d bytes" % n,
            ["TOKEN-16"], ["Truncated"], minimal[:n], T0 + 1)
    for i in range(len(minimal) * 8):
        t = bytearray(minimal)
        t[i // 8] ^= 0x80 >> (i % 8)
        err = add(g, "bitflip.%d" % i, "bit %d (byte %d) of the minimal "
                  "token flipped" % (i, i // 8), ["TOKEN-16"], ["BitFlip"],
                  bytes(t), T0 + 1)
        assert err is not None
    return vf


# ---------------------------------------------------------------------------
# Grants
# ---------------------------------------------------------------------------


def grant(principal=b"user:1", stream=b"chat/room-1", match=0, issued=T0,
          lifetime=3600000, key_id=GRANT_SEAL_ID):
    return {"key_id": key_id, "issued_at_ms": issued,
            "expires_at_ms": issued + lifetime, "match": match,
            "principal": principal, "stream": stream}


MINT_CASES = [
    ("minimal", "one-byte principal and stream: the 58-byte grant",
     ["Minimal"], grant(b"u", b"s")),
    ("typical", "an exact stream name", ["Typical"],
     grant(b"user:4f1c2a", b"chat/room-17")),
    ("prefix", "a prefix ending in the separator", ["PrefixGrant"],
     grant(b"user:4f1c2a", b"orders/eu-west/", match=1)),
    ("longest", "128-byte principal and stream, 7 days: the 312-byte "
     "grant, 416 characters of text", ["AtLimit"],
     grant(b"P" * 128, name(1, 128), 1, lifetime=MAX_LIFETIME)),
]


def grant_input(g_bytes, now, principal, stream, ring=GRANT_RING,
                skew=SKEW):
    return {"keys": ring_value(ring), "grant": hexv(g_bytes),
            "now_ms": uintv(now), "skew_ms": uintv(skew),
            "principal": hexv(principal), "stream": hexv(stream)}


def grant_output(c):
    return {"key_id": uintv(c["key_id"]),
            "issued_at_ms": uintv(c["issued_at_ms"]),
            "expires_at_ms": uintv(c["expires_at_ms"]),
            "match": uintv(c["match"]), "principal": hexv(c["principal"]),
            "stream": hexv(c["stream"])}


def mint_vectors():
    vf = VectorFile(
        "grant_mint.json", "grant.mint", "Grant minting (known answers)",
        ["Kind grant.mint: mint a grant of input.issued_at_ms, "
         "input.expires_at_ms, input.match (0 exact, 1 prefix), "
         "input.principal and input.stream with the ring's sealing key; "
         "output.grant is the binary form and output.text the text form "
         "(base64url, no padding).", KEYS_NOTE, INDEPENDENCE_NOTE])
    g = vf.group("GrantMintTest", "Known answers of [HCP-GRANT-1].")
    grants = {}
    for tid, comment, flags, c in MINT_CASES:
        b = tc.grant_mint(GRANT_SEAL_KEY, c)
        grants[tid] = (b, c)
        inp = {"keys": ring_value(GRANT_RING),
               "issued_at_ms": uintv(c["issued_at_ms"]),
               "expires_at_ms": uintv(c["expires_at_ms"]),
               "match": uintv(c["match"]), "principal": hexv(c["principal"]),
               "stream": hexv(c["stream"])}
        vf.add(g, "grant-mint." + tid, comment, ["GRANT-1", "GRANT-2"],
               ["KnownAnswer"] + flags, inp,
               output={"grant": hexv(b),
                       "text": {"str": tc.grant_text(b).decode()}})
    assert len(grants["longest"][0]) == 312
    assert len(tc.grant_text(grants["longest"][0])) == 416
    return vf, grants


def verify_vectors(grants):
    vf = VectorFile(
        "grant.json", "grant.verify", "Grant verification",
        ["Kind grant.verify: verify input.grant (bytes as sent in "
         "Subscribe.grant, binary or text form) for a subscribe to "
         "input.stream by a connection authenticated as input.principal, "
         "with the ring input.keys at the server time input.now_ms and "
         "skew tolerance input.skew_ms.",
         "A valid grant gives output key_id, issued_at_ms, expires_at_ms, "
         "match, principal and stream; a refused grant gives errorClass, "
         "the class of the first failing check of [HCP-GRANT-7].",
         KEYS_NOTE, INDEPENDENCE_NOTE])

    def add(g, tid, comment, reqs, flags, gb, now, principal, stream):
        err, c = verify_grant(GRANT_RING, gb, now, SKEW, principal, stream)
        inp = grant_input(gb, now, principal, stream)
        if err is None:
            vf.add(g, "grant-verify." + tid, comment, reqs, flags, inp,
                   output=grant_output(c))
        else:
            vf.add(g, "grant-verify." + tid, comment, reqs, flags, inp,
                   error=err)
        return err

    def mint(c, key=GRANT_SEAL_KEY, version=1):
        body = tc.grant_body(c, version)
        return body + tc.grant_mac(key, body)

    def remac(body, key=GRANT_SEAL_KEY):
        return body + tc.grant_mac(key, body)

    g = vf.group("GrantVerifyTest", "Grants that verify [HCP-GRANT-7].")
    for tid, (b, c) in grants.items():
        s = c["stream"]
        if c["match"] == 1 and len(s) <= 126:
            s += b"42"
        add(g, tid, "the grant of grant-mint.%s" % tid,
            ["GRANT-1", "GRANT-7"], ["KnownAnswer"], b, T0 + 1,
            c["principal"], s)
        add(g, tid + ".text", "the text form of grant-mint.%s" % tid,
            ["GRANT-6", "GRANT-7"], ["KnownAnswer", "TextForm"],
            tc.grant_text(b), T0 + 1, c["principal"], s)
    pb, pc = grants["prefix"]
    add(g, "prefix-equal", "a prefix grant for the prefix itself",
        ["GRANT-7"], ["PrefixGrant", "AtLimit"], pb, T0 + 1,
        pc["principal"], pc["stream"])
    typ, tyc = grants["typical"]
    add(g, "last-millisecond", "one millisecond before expires_at_ms",
        ["GRANT-7"], ["AtLimit"], typ, tyc["expires_at_ms"] - 1,
        tyc["principal"], tyc["stream"])
    add(g, "skew-edge", "issued exactly skew_ms ahead of now",
        ["GRANT-7", "GRANT-10"], ["Skew", "AtLimit"], typ, T0 - SKEW,
        tyc["principal"], tyc["stream"])
    add(g, "open-key", "minted with the key in state open",
        ["GRANT-7"], ["Rotation"],
        mint(grant(key_id=GRANT_OPEN_ID), GRANT_OPEN_KEY), T0 + 1,
        b"user:1", b"chat/room-1")

    g = vf.group("GrantRefusalTest", "Grants that are refused, each for "
                 "one reason, in the order of [HCP-GRANT-7].")
    P, S = tyc["principal"], tyc["stream"]
    add(g, "empty", "no bytes", ["GRANT-7"], ["Size"], b"", T0 + 1, P, S)
    add(g, "binary-313", "binary form of 313 bytes", ["GRANT-7"], ["Size"],
        grants["longest"][0] + b"\x00", T0 + 1, P, S)
    add(g, "text-417", "text form of 417 characters", ["GRANT-7"],
        ["Size"], tc.grant_text(grants["longest"][0]) + b"A", T0 + 1, P, S)
    add(g, "over-512", "513 bytes", ["GRANT-7"], ["Size"], b"A" * 513,
        T0 + 1, P, S)
    add(g, "text-57", "canonical text of 57 bytes", ["GRANT-7"], ["Size"],
        tc.grant_text(grants["minimal"][0][:57]), T0 + 1, P, S)
    text = tc.grant_text(typ)
    noncanon = {
        "padding": text + b"=" * (-len(text) % 4 or 4),
        "plus": text[:10] + b"+" + text[11:],
        "slash": text[:10] + b"/" + text[11:],
        "space": text[:10] + b" " + text[11:],
        "lone-char": text + b"A" if len(text) % 4 == 0 else
        text[:len(text) - len(text) % 4] + b"A",
    }
    if len(text) % 4 in (2, 3):
        # The last character carries unused low bits, zero when canonical.
        last = B64.index(chr(text[-1]))
        noncanon["trailing-bits"] = text[:-1] + B64[last | 1].encode()
    for tid, t in noncanon.items():
        add(g, "text." + tid, "text form: " + tid.replace("-", " "),
            ["GRANT-6", "GRANT-7"], ["NonCanonicalText"], t, T0 + 1, P, S)
    add(g, "version-2", "binary form with version 2", ["GRANT-7"],
        ["WrongVersion"], mint(grant(), version=2), T0 + 1, b"user:1",
        b"chat/room-1")
    add(g, "version-2.text", "text form of a version 2 grant",
        ["GRANT-7"], ["WrongVersion", "TextForm"],
        tc.grant_text(mint(grant(), version=2)), T0 + 1, b"user:1",
        b"chat/room-1")
    add(g, "version-0", "binary form with version 0", ["GRANT-7"],
        ["WrongVersion"], mint(grant(), version=0), T0 + 1, b"user:1",
        b"chat/room-1")
    add(g, "unknown-key", "a key id the ring does not have", ["GRANT-7"],
        ["UnknownKey"], mint(grant(key_id=0x0BADC0DE), OTHER_KEY), T0 + 1,
        b"user:1", b"chat/room-1")
    add(g, "retired-key", "a retired key's id", ["GRANT-7"], ["RetiredKey"],
        mint(grant(key_id=GRANT_RETIRED_ID), OTHER_KEY), T0 + 1, b"user:1",
        b"chat/room-1")
    add(g, "wrong-key", "the sealing key's id, another key's MAC",
        ["GRANT-7"], ["Forged"], mint(grant(), OTHER_KEY), T0 + 1,
        b"user:1", b"chat/room-1")
    add(g, "token-key", "MAC made with the resume-token key",
        ["GRANT-7", "TOKEN-2"], ["Forged"], mint(grant(), TOKEN_SEAL_KEY),
        T0 + 1, b"user:1", b"chat/room-1")
    nolabel = tc.grant_body(grant())
    add(g, "no-label", "HMAC computed without the \"hcp-grant-v1\" label",
        ["GRANT-1", "GRANT-7"], ["Forged"],
        nolabel + hmac.new(GRANT_SEAL_KEY, nolabel, "sha256").digest(),
        T0 + 1, b"user:1", b"chat/room-1")
    body = tc.grant_body(grant())
    bad = {
        "match-2": body[:21] + b"\x02" + body[22:],
        "principal-empty": body[:22] + b"\x00" + body[22 + 7:],
        "principal-past-end": body[:22] + b"\x7f" + body[23:],
        "stream-129": body[:29] + b"\x81" + b"s" * 129,
        "stream-missing": body[:29],
        "trailing-byte": body + b"\x00",
        "expires-equals-issued": tc.grant_body(grant(lifetime=0)),
        "lifetime-over-7-days": tc.grant_body(grant(
            lifetime=MAX_LIFETIME + 1)),
    }
    for tid, b in bad.items():
        gb = remac(b)
        if len(gb) < 58:
            gb = remac(b + b"\x00" * (58 - len(gb)))
        err = add(g, "malformed." + tid, "authentic fields: " +
                  tid.replace("-", " "), ["GRANT-2", "GRANT-7"],
                  ["Malformed"], gb, T0 + 1, b"user:1", b"chat/room-1")
        assert err == "token_malformed", (tid, err)
    add(g, "expired", "now equals expires_at_ms", ["GRANT-7"],
        ["Expired", "AtLimit"], typ, tyc["expires_at_ms"], P, S)
    add(g, "not-yet-valid", "issued skew_ms + 1 ahead of now",
        ["GRANT-7", "GRANT-10"], ["NotYetValid"], typ, T0 - SKEW - 1, P, S)
    add(g, "principal-other", "another principal", ["GRANT-7", "GRANT-9"],
        ["PrincipalMismatch"], typ, T0 + 1, b"user:4f1c2b", S)
    add(g, "principal-prefix", "a prefix of the grant's principal",
        ["GRANT-7"], ["PrincipalMismatch"], typ, T0 + 1, b"user:4f1c2", S)
    add(g, "exact-longer", "exact grant, a longer stream name",
        ["GRANT-7"], ["StreamMismatch"], typ, T0 + 1, P, S + b"0")
    add(g, "exact-shorter", "exact grant, a shorter stream name",
        ["GRANT-7"], ["StreamMismatch"], typ, T0 + 1, P, S[:-1])
    add(g, "exact-other", "exact grant, another stream of the same "
        "length", ["GRANT-7"], ["StreamMismatch"], typ, T0 + 1, P,
        S[:-1] + b"8")
    add(g, "prefix-shorter", "prefix grant, a stream shorter than the "
        "prefix", ["GRANT-7"], ["StreamMismatch", "PrefixGrant"], pb,
        T0 + 1, pc["principal"], pc["stream"][:-1])
    add(g, "prefix-other", "prefix grant, a stream outside it",
        ["GRANT-7", "GRANT-4"], ["StreamMismatch", "PrefixGrant"], pb,
        T0 + 1, pc["principal"], b"orders/eu-east/1")
    add(g, "order.expired-before-principal", "expired and for another "
        "principal: expiry is checked first", ["GRANT-7"], ["CheckOrder"],
        typ, tyc["expires_at_ms"], b"someone-else", S)
    add(g, "order.principal-before-stream", "another principal and "
        "another stream: the principal is checked first", ["GRANT-7"],
        ["CheckOrder"], typ, T0 + 1, b"someone-else", b"x")

    g = vf.group("GrantMutationTest", "Every truncation and every "
                 "single-bit flip of the minimal grant, in both forms, is "
                 "refused.")
    mb, mc = grants["minimal"]
    mp, ms = mc["principal"], mc["stream"]
    mt = tc.grant_text(mb)
    for n in range(len(mb)):
        add(g, "truncated.%d" % n, "the minimal grant cut to %d bytes" % n,
            ["GRANT-7"], ["Truncated"], mb[:n], T0 + 1, mp, ms)
    for n in range(len(mt)):
        add(g, "text-truncated.%d" % n, "its text form cut to %d "
            "characters" % n, ["GRANT-7"], ["Truncated", "TextForm"],
            mt[:n], T0 + 1, mp, ms)
    for i in range(len(mb) * 8):
        t = bytearray(mb)
        t[i // 8] ^= 0x80 >> (i % 8)
        err = add(g, "bitflip.%d" % i, "bit %d (byte %d) of the minimal "
                  "grant flipped" % (i, i // 8), ["GRANT-7"], ["BitFlip"],
                  bytes(t), T0 + 1, mp, ms)
        assert err is not None
    # In the text form, the lowest bit and the case bit of each
    # character: each gives another character of the alphabet or none.
    for i in range(len(mt)):
        for bit in (0x01, 0x20):
            t = bytearray(mt)
            t[i] ^= bit
            err = add(g, "text-bitflip.%d.%02x" % (i, bit), "character %d "
                      "of the text form with bit 0x%02x flipped" % (i, bit),
                      ["GRANT-7"], ["BitFlip", "TextForm"], bytes(t),
                      T0 + 1, mp, ms)
            assert err is not None
    return vf


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: test_token_vectors.py OUTDIR\n")
        return 2
    tc.self_test()
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seal, tokens = seal_vectors()
    mint, grants = mint_vectors()
    files = [seal, open_vectors(tokens), mint, verify_vectors(grants)]
    for vf in files:
        print("%-18s %-14s %5d" % (vf.name, vf.kind, vf.dump(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Generates the conformance vectors under conformance/vectors/ (except the
# token and grant files, which the token module writes). Canonical wire
# bytes come from `protoc --encode=hcp.v1.Frame` on text-format input, so
# Google's own encoder, not ours, defines them; malformed and non-canonical
# inputs are built from those bytes by explicit byte surgery with the
# helpers of hcpwire.py. Expected results of the algorithm vectors come from
# hcpwire.py's own implementation of the contract's algorithms, and the
# spec's worked-example tables are checked against it. The output is
# deterministic: running it twice gives the same files, which
# `make check` verifies.
#
# usage: gen_vectors.py [--out DIR] [--spec DIR]

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hcpwire as w  # noqa: E402
import vectorfile  # noqa: E402

# ---------------------------------------------------------------------------
# Flags: each is explained once in the notes of every file that uses it.
# ---------------------------------------------------------------------------

FLAGS = {
    "Minimal": ("BASIC", "Only the fields the spec requires are set."),
    "FullyPopulated": ("BASIC", "Every field of the body is set; repeated "
                       "fields hold two entries."),
    "EmptySubmessage": ("BASIC", "A submessage is present but empty; a "
                        "canonical encoder still writes it [HCP-WIRE-7]."),
    "AtLimit": ("EDGE_CASE", "A size, count or number exactly at the bound "
                "the spec allows; it must be accepted."),
    "OverLimit": ("LIMIT", "A string, bytes or repeated field one past its "
                  "limit; it must be refused with class limit."),
    "EmptyRequired": ("SEMANTIC_RULE", "A string or bytes field that must "
                      "not be empty is empty; class missing."),
    "MissingRequired": ("SEMANTIC_RULE", "A field the spec requires is zero "
                        "or absent; class missing."),
    "OutOfRange": ("SEMANTIC_RULE", "A number outside its allowed range; "
                   "class range."),
    "Conflict": ("SEMANTIC_RULE", "Fields that contradict each other; class "
                 "conflict."),
    "StopClass": ("SEMANTIC_RULE", "A notice whose reason is of class STOP "
                  "carries something only a reconnecting client could use "
                  "[HCP-NOTICE-5]."),
    "UnknownField": ("FORWARD_COMPATIBILITY", "A field number the schema "
                     "does not define; a decoder skips it and a canonical "
                     "re-encoding drops it."),
    "UnknownBody": ("FORWARD_COMPATIBILITY", "A frame whose body is none the "
                    "receiver knows (empty, or added by a later version); "
                    "it is valid and ignored [HCP-WIRE-3]."),
    "UnknownEnum": ("FORWARD_COMPATIBILITY", "An enum value the schema does "
                    "not define; it must be accepted and kept "
                    "[HCP-WIRE-4]."),
    "UnknownReason": ("FORWARD_COMPATIBILITY", "A reason code the registry "
                      "does not define; any nonzero code is accepted and "
                      "acts on its class [HCP-REASON-3]."),
    "Truncated": ("MALFORMED_ENCODING", "The input ends inside a tag, a "
                  "varint or a length-delimited field."),
    "LengthOverrun": ("MALFORMED_ENCODING", "A length runs past the end of "
                      "its enclosing message although the input continues."),
    "OverlongVarint": ("MALFORMED_ENCODING", "A varint longer than 10 "
                       "bytes."),
    "WireTypeMismatch": ("MALFORMED_ENCODING", "A known field arrives with a "
                         "wire type other than its declared type's."),
    "FieldNumberZero": ("MALFORMED_ENCODING", "A tag with field number 0."),
    "Group": ("MALFORMED_ENCODING", "A group (wire types 3 and 4), which "
              "proto3 HCP never uses."),
    "ReservedWireType": ("MALFORMED_ENCODING", "Wire type 6 or 7, which "
                         "protobuf does not define."),
    "ProtocLenient": ("DIVERGENCE", "Google's parser (protoc --decode) "
                      "accepts this input by keeping the field as an "
                      "unknown field, while HCP requires a decoder to refuse "
                      "it [HCP-WIRE-5]; the independent check expects protoc "
                      "to accept it."),
    "NonMinimalVarint": ("NON_CANONICAL", "A tag, length or value varint in "
                         "a longer form than needed; valid [HCP-WIRE-8]."),
    "FieldOrder": ("NON_CANONICAL", "Fields out of field-number order; "
                   "valid [HCP-WIRE-8]."),
    "ExplicitDefault": ("NON_CANONICAL", "A zero scalar or empty string "
                        "written explicitly; valid, and dropped by a "
                        "canonical re-encoding."),
    "RepeatedScalar": ("NON_CANONICAL", "A non-repeated scalar or string "
                       "given more than once; the last value wins."),
    "SubmessageMerge": ("NON_CANONICAL", "A non-repeated submessage given "
                        "more than once; the occurrences merge."),
    "OneofConflict": ("NON_CANONICAL", "Several members of one oneof; the "
                      "last one wins."),
    "InvalidUtf8": ("SEMANTIC_RULE", "A string field that is not valid "
                    "UTF-8; class utf8 [HCP-WIRE-6]. Google's parser refuses "
                    "it too."),
    "ValidUtf8": ("EDGE_CASE", "Multi-byte UTF-8 in a string field, which "
                  "must be accepted."),
    "EmbeddedNul": ("SEMANTIC_RULE", "A string holding U+0000, which "
                    "UTF-8 allows and [HCP-WIRE-6] excludes, so that "
                    "implementations built on NUL-terminated strings see "
                    "the same string as others; class utf8."),
    "ValueTooWide": ("LATITUDE", "A value no HCP field holds: a varint "
                     "wider than the field's type (more than 32 bits for "
                     "uint32, more than 64 in ten bytes) or a negative enum "
                     "value; protobuf truncates or keeps it, and "
                     "[HCP-WIRE-19] lets a decoder refuse it as wire."),
    "ReferenceOrder": ("SEMANTIC_RULE", "The frame breaks two rules on "
                       "purpose (the only vectors that do). Each frame "
                       "appears twice: once citing the broken rules, where "
                       "refusing with either class is conforming "
                       "(otherClasses, [HCP-WIRE-10]), and once citing "
                       "only [HCP-WIRE-15], where errorClass is the class "
                       "of the rule checked first in the reference "
                       "order."),
    "FrameSize": ("LIMIT", "The whole frame against the maximum frame "
                  "size [HCP-FRAME-8]."),
    # framing
    "SingleChunk": ("BASIC", "The stream arrives in one chunk."),
    "ByteByByte": ("EDGE_CASE", "The stream arrives one byte per chunk."),
    "SplitPrefix": ("EDGE_CASE", "A chunk boundary falls inside a length "
                    "prefix."),
    "EmptyChunks": ("EDGE_CASE", "Empty chunks arrive between the others."),
    "EmptyFrame": ("EDGE_CASE", "A frame of length zero [HCP-FRAME-7]."),
    "PrefixWidth": ("EDGE_CASE", "A frame length at the edge of a prefix "
                    "width (127/128 bytes, 16383/16384 bytes)."),
    "Pending": ("EDGE_CASE", "The stream ends inside a frame or a prefix; "
                "the reader reports what it has and waits for more."),
    "NonMinimalPrefix": ("MALFORMED_ENCODING", "A length prefix that is "
                         "not a minimal varint; class framing "
                         "[HCP-FRAME-3]."),
    "TooLarge": ("LIMIT", "A prefix announcing a frame longer than the "
                 "maximum frame size; class too_large, reported as soon as "
                 "the prefix shows it [HCP-FRAME-4]."),
    "PrefixAmbiguous": ("LATITUDE", "A four-byte non-minimal prefix: a "
                        "reader may report it as framing (non-minimal) or, "
                        "before seeing its last byte, as too_large."),
    # algorithms
    "Defaults": ("BASIC", "No hint, or hint fields at zero: the defaults "
                 "apply [HCP-BACKOFF-3]."),
    "HintDefaultsMixed": ("EDGE_CASE", "Only one of base_ms and cap_ms is "
                          "set; the other is derived [HCP-BACKOFF-3]."),
    "Growth": ("BASIC", "The ceiling grows with the attempt number."),
    "CapReached": ("EDGE_CASE", "The ceiling has reached the cap."),
    "NoGrowth": ("EDGE_CASE", "multiplier_milli 1000: the ceiling never "
                 "grows."),
    "Floor": ("BASIC", "A floor is added to the jittered delay."),
    "EqualJitter": ("BASIC", "Equal jitter: the upper half of the ceiling."),
    "UnknownJitter": ("FORWARD_COMPATIBILITY", "An unknown jitter mode acts "
                      "as full jitter [HCP-BACKOFF-4]."),
    "Budget": ("EDGE_CASE", "The attempt budget: the last allowed attempt, "
               "and the first refused one."),
    "RandomExtreme": ("EDGE_CASE", "The random value at 0 or 0xffffffff."),
    "LargeAttempt": ("EDGE_CASE", "A very large attempt number; the "
                     "ceiling stops at the cap."),
    "MaxValues": ("EDGE_CASE", "Every parameter at its maximum; no "
                  "overflow in 64-bit arithmetic."),
    "WorkedExample": ("WORKED_EXAMPLE", "A row of the spec's worked-example "
                      "table (spec/07-backoff.md), checked against an "
                      "independent implementation when generated."),
    "StableReset": ("BASIC", "A connection that lasted at least stable_ms "
                    "resets the attempt count [HCP-BACKOFF-7]."),
    "Flapping": ("BASIC", "A connection shorter than stable_ms counts as a "
                 "failed attempt [HCP-BACKOFF-7]."),
    "Saturation": ("EDGE_CASE", "The attempt count saturates at "
                   "4294967295."),
    "InvalidHint": ("SEMANTIC_RULE", "A hint value out of range is refused "
                    "with class range [HCP-BACKOFF-1]."),
    "Inclusive": ("EDGE_CASE", "Both ends of a window are reachable."),
    "FullRange": ("EDGE_CASE", "A window spanning the whole 32-bit range."),
    "InvertedWindow": ("SEMANTIC_RULE", "not_before_ms after not_after_ms; "
                       "class conflict."),
    "KnownCode": ("BASIC", "A reason code of the registry."),
    "ApplicationCode": ("BASIC", "A code in an application-defined range "
                        "(x50..x99)."),
    "UnassignedCode": ("FORWARD_COMPATIBILITY", "An HCP-defined code "
                       "(x00..x49) that the registry has not assigned."),
    "ReservedCode": ("FORWARD_COMPATIBILITY", "A code outside 100..499 "
                     "(and not 0), which acts as class reconnect."),
    "MappedCloseCode": ("BASIC", "A WebSocket close code with a fixed "
                        "meaning."),
    "PrivateRange": ("BASIC", "A WebSocket close code in 4000..4999."),
    "OtherCloseCode": ("EDGE_CASE", "A close code with no mapping; it acts "
                       "as transport error (107)."),
}

# ---------------------------------------------------------------------------
# Vector files
# ---------------------------------------------------------------------------


class VectorFile(vectorfile.VectorFile):
    def __init__(self, name, kind, title, header):
        super().__init__(name, kind, title, header, FLAGS,
                         "conformance/tools/gen_vectors.py")


def hexv(b):
    return {"hex": b.hex()}


def uintv(n):
    return {"uint": n}


# ---------------------------------------------------------------------------
# Wire vectors (kind wire.decode)
# ---------------------------------------------------------------------------

WIRE_HEADER = [
    "Kind wire.decode: input.frame is one frame (a message-transport "
    "message or a byte-stream frame without its prefix); "
    "input.max_frame_size, when given, is the receiver's maximum frame "
    "size (default 16384).",
    "A valid frame decodes and validates; output.canonical is its canonical "
    "re-encoding [HCP-WIRE-7]. Where canonical is true the input already is "
    "canonical and a conforming encoder reproduces it byte for byte.",
    "An invalid frame is refused with errorClass; layer says who can see "
    "the fault: wire (any protobuf parser), semantic (only HCP's rules), "
    "framing (the frame size).",
    "text is the decoded frame in protobuf text format as protoc prints it "
    "(unknown fields left out); it is absent when protoc cannot parse the "
    "input.",
    "Each invalid vector breaks exactly one rule [HCP-WIRE-10], except "
    "those flagged ReferenceOrder.",
]


class Wire:
    """Builds wire.decode vectors into one VectorFile."""

    def __init__(self, vf):
        self.vf = vf

    def _text(self, data):
        t = w.decode(data)
        return None if t is None else w.strip_unknown(t)

    def valid(self, g, tid, comment, reqs, flags, text, max_frame=None):
        """A canonical valid frame given as text."""
        data = w.encode(text)
        self.valid_bytes(g, tid, comment, reqs, flags, data, data, max_frame)

    def noncanon(self, g, tid, comment, reqs, flags, data, canon_text,
                 max_frame=None):
        """A valid but non-canonical frame and its canonical form as text."""
        canon = w.encode(canon_text)
        if canon == data:
            raise ValueError(tid + ": input is canonical")
        self.valid_bytes(g, tid, comment, reqs, flags, data, canon, max_frame)

    def valid_bytes(self, g, tid, comment, reqs, flags, data, canon,
                    max_frame=None):
        inp = {"frame": hexv(data)}
        if max_frame is not None:
            inp["max_frame_size"] = uintv(max_frame)
        extra = {"canonical": data == canon}
        t = self._text(data)
        if t is not None:
            extra["text"] = t
        self.vf.add(g, "wire." + tid, comment, reqs, flags, "valid", inp,
                    output={"canonical": hexv(canon)}, extra=extra)

    def invalid(self, g, tid, comment, reqs, flags, err, text=None,
                data=None, max_frame=None, others=None):
        """An invalid frame, from text (well-formed) or raw bytes."""
        if data is None:
            data = w.encode(text)
        layer = {"wire": "wire", "too_large": "framing"}.get(err, "semantic")
        inp = {"frame": hexv(data)}
        if max_frame is not None:
            inp["max_frame_size"] = uintv(max_frame)
        extra = {}
        if others:
            extra["otherClasses"] = others
        t = self._text(data)
        if t is not None:
            extra["text"] = t
        self.vf.add(g, "wire." + tid, comment, reqs, flags, "invalid", inp,
                    error=err, layer=layer, extra=extra)

    def acceptable(self, g, tid, comment, reqs, flags, data, canon, err):
        inp = {"frame": hexv(data)}
        extra = {"canonical": False}
        t = self._text(data)
        if t is not None:
            extra["text"] = t
        self.vf.add(g, "wire." + tid, comment, reqs, flags, "acceptable",
                    inp, output={"canonical": hexv(canon)}, error=err,
                    layer="wire" if err == "wire" else "semantic",
                    extra=extra)


def q(s):
    """A text-format string literal of the bytes s (octal escapes)."""
    if isinstance(s, str):
        s = s.encode()
    out = []
    for b in s:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C, 0x27):
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


FULL_HINT = ("backoff { base_ms: 250 cap_ms: 60000 multiplier_milli: 1500 "
             "jitter: JITTER_MODE_EQUAL floor_ms: 100 stable_ms: 45000 "
             "attempt_budget: 20 }")

MIN = {
    "connect": "connect { version: 1 }",
    "welcome": 'welcome { version: 1 session_id: "s" }',
    "busy": "busy { reason: 102 }",
    "ping": "ping { }",
    "pong": "pong { }",
    "notice": "notice { reason: 101 }",
    "close": "close { reason: 400 }",
    "subscribe": 'subscribe { request_id: 1 stream: "a" }',
    "subscribe_ack": ("subscribe_ack { request_id: 1 "
                      "status: SUBSCRIBE_STATUS_ACCEPTED }"),
    "unsubscribe": 'unsubscribe { stream: "a" }',
    "message": 'message { stream: "a" position { } }',
}

FULL = {
    "connect": (
        "connect { version: 1 capabilities: 18446744073709551615 "
        "credentials: \"bearer abc\" attempt: 3 last_close_reason: 101 "
        "max_frame_size: 8192 resume { token: \"\\001\\002tok\" "
        "streams { stream: \"prices\" position { offset: 41 epoch: 2 } } "
        "streams { stream: \"news\" position { offset: 7 epoch: 1 } } } }"),
    "welcome": (
        "welcome { version: 1 session_id: \"sess-1\" "
        "resume_token: \"\\377\\000tok\" resume_token_ttl_ms: 300000 "
        "heartbeat_interval_ms: 20000 max_frame_size: 16384 "
        "subscribe_window: 8 capabilities: 5 "
        "resume { status: RESUME_STATUS_PARTIAL reason: 314 "
        "streams { stream: \"prices\" status: STREAM_STATUS_RECOVERED "
        "position { offset: 42 epoch: 2 } } "
        "streams { stream: \"news\" status: STREAM_STATUS_LOST "
        "position { offset: 0 epoch: 3 } reason: 411 } } "
        + FULL_HINT + " }"),
    "busy": (
        "busy { reason: 102 reason_text: \"overloaded\" "
        "retry { not_before_ms: 1000 not_after_ms: 30000 } " + FULL_HINT +
        " redirect { url: \"wss://b.example/hcp\" weight: 3 } "
        "redirect { url: \"wss://c.example/hcp\" weight: 1 } }"),
    "ping": "ping { nonce: 18446744073709551615 }",
    "pong": "pong { nonce: 1 }",
    "notice": (
        "notice { reason: 201 reason_text: \"node draining\" "
        "deadline_ms: 60000 window { not_before_ms: 5000 "
        "not_after_ms: 55000 } "
        "redirect { url: \"wss://b.example/hcp\" weight: 2 } "
        "redirect { url: \"wss://c.example/hcp\" } "
        "resume_token: \"rt-123\" resume_token_ttl_ms: 120000 "
        "scope: NOTICE_SCOPE_NODE " + FULL_HINT + " }"),
    "close": ("close { reason: 101 reason_text: \"restart\" " + FULL_HINT +
              " }"),
    "subscribe": (
        "subscribe { request_id: 7 stream: \"prices\" grant: \"g\\001\" "
        "recover_from { offset: 41 epoch: 2 } }"),
    "subscribe_ack": (
        "subscribe_ack { request_id: 7 status: SUBSCRIBE_STATUS_RETRY_LATER "
        "reason: 102 position { offset: 41 epoch: 2 } window: 4 " +
        FULL_HINT + " }"),
    "unsubscribe": ("unsubscribe { request_id: 7 stream: \"prices\" "
                    "reason: 411 }"),
    "message": ("message { stream: \"prices\" position { offset: 42 "
                "epoch: 2 } payload: \"\\000\\001payload\" }"),
}

BODY_FIELD = {"connect": 1, "welcome": 2, "busy": 3, "ping": 4, "pong": 5,
              "notice": 6, "close": 7, "subscribe": 8, "subscribe_ack": 9,
              "unsubscribe": 10, "message": 11}

# Requirement that makes each body's minimal form minimal.
MIN_REQS = {
    "connect": ["CONN-2"], "welcome": ["CONN-4", "LIMIT-4"],
    "busy": ["BUSY-1"], "ping": [], "pong": [], "notice": ["NOTICE-1"],
    "close": ["CONN-6"], "subscribe": ["SUB-1", "LIMIT-5"],
    "subscribe_ack": ["SUB-2"], "unsubscribe": ["LIMIT-5"],
    "message": ["SUB-7", "LIMIT-5"],
}


def body_of(frame):
    """The body bytes of a canonical one-body frame."""
    _, n = frame[0], frame[1:]
    length, i = 0, 0
    shift = 0
    while True:
        b = n[i]
        length |= (b & 0x7F) << shift
        shift += 7
        i += 1
        if not b & 0x80:
            break
    return n[i:i + length]


def wire_messages(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "Every body, minimal and fully "
                 "populated, in canonical form [HCP-WIRE-1].")
    for name in BODY_FIELD:
        wv.valid(g, name + ".minimal", "%s with only its required fields" %
                 name, ["WIRE-1", "WIRE-7"] + MIN_REQS[name], ["Minimal"],
                 MIN[name])
        wv.valid(g, name + ".full", "%s with every field set" % name,
                 ["WIRE-1", "WIRE-7"], ["FullyPopulated"], FULL[name])
    wv.valid(g, "welcome.resume-resumed", "a welcome whose resume result "
             "restored everything", ["WIRE-1", "RESUME-3"], [],
             'welcome { version: 1 session_id: "s" resume { status: '
             'RESUME_STATUS_RESUMED streams { stream: "a" status: '
             'STREAM_STATUS_RESET position { offset: 1 epoch: 9 } '
             'reason: 101 } } }')
    wv.valid(g, "welcome.resume-refused", "a refused resume with its "
             "reason and no stream outcomes", ["WIRE-1", "RESUME-4"], [],
             'welcome { version: 1 session_id: "s" resume { status: '
             'RESUME_STATUS_REFUSED reason: 311 } }')
    wv.valid(g, "notice.assigned-delay", "a notice with an assigned delay "
             "instead of a window", ["WIRE-1", "NOTICE-4"], [],
             "notice { reason: 102 deadline_ms: 1000 assigned_delay_ms: "
             "7500 }")
    wv.valid(g, "subscribe_ack.rejected", "a terminal rejection with its "
             "reason", ["WIRE-1", "SUB-3"], [],
             "subscribe_ack { request_id: 2 status: "
             "SUBSCRIBE_STATUS_REJECTED reason: 410 }")
    wv.valid(g, "subscribe_ack.recovered", "a recovered subscription",
             ["WIRE-1", "SUB-2"], [],
             "subscribe_ack { request_id: 2 status: "
             "SUBSCRIBE_STATUS_RECOVERED position { offset: 5 } }")
    g = vf.group("WireDecodeTest", "Present but empty submessages are part "
                 "of the canonical encoding [HCP-WIRE-7].")
    for tid, text in [
            ("subscribe.empty-recover-from",
             'subscribe { request_id: 1 stream: "a" recover_from { } }'),
            ("notice.empty-window",
             "notice { reason: 101 window { } }"),
            ("welcome.empty-backoff",
             'welcome { version: 1 session_id: "s" backoff { } }'),
            ("busy.empty-retry", "busy { reason: 102 retry { } }"),
            ("close.empty-backoff", "close { reason: 101 backoff { } }"),
            ("subscribe_ack.empty-position",
             "subscribe_ack { request_id: 1 status: "
             "SUBSCRIBE_STATUS_ACCEPTED position { } }"),
            ("connect.cursor-empty-position",
             'connect { version: 1 resume { token: "t" streams { '
             'stream: "a" position { } } } }')]:
        wv.valid(g, tid, "an empty submessage that is present",
                 ["WIRE-7"], ["EmptySubmessage"], text)


def rep(n, ch="a"):
    return ch * n


def wire_limits(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "String and bytes sizes at and one past "
                 "their limits [HCP-LIMIT-1].")

    def pair(tid, reqs, at_text, over_text, what):
        wv.valid(g, tid + ".at-limit", what + " at its limit",
                 ["LIMIT-1"] + reqs, ["AtLimit"], at_text)
        wv.invalid(g, tid + ".over-limit", what + " one past its limit",
                   ["LIMIT-1"] + reqs, ["OverLimit"], "limit", over_text)

    pair("connect.credentials", ["LIMIT-2"],
         "connect { version: 1 credentials: %s }" % q(rep(2048, "c")),
         "connect { version: 1 credentials: %s }" % q(rep(2049, "c")),
         "Connect.credentials")
    pair("connect.resume-token", ["LIMIT-3"],
         "connect { version: 1 resume { token: %s } }" % q(rep(1024, "t")),
         "connect { version: 1 resume { token: %s } }" % q(rep(1025, "t")),
         "ResumeRequest.token")
    pair("welcome.resume-token", ["LIMIT-3"],
         'welcome { version: 1 session_id: "s" resume_token: %s '
         "resume_token_ttl_ms: 1000 }" % q(rep(1024, "t")),
         'welcome { version: 1 session_id: "s" resume_token: %s '
         "resume_token_ttl_ms: 1000 }" % q(rep(1025, "t")),
         "Welcome.resume_token")
    pair("notice.resume-token", ["LIMIT-3"],
         "notice { reason: 101 resume_token: %s resume_token_ttl_ms: 1000 }"
         % q(rep(1024, "t")),
         "notice { reason: 101 resume_token: %s resume_token_ttl_ms: 1000 }"
         % q(rep(1025, "t")),
         "Notice.resume_token")
    pair("welcome.session-id", ["LIMIT-4"],
         'welcome { version: 1 session_id: %s }' % q(rep(64, "s")),
         'welcome { version: 1 session_id: %s }' % q(rep(65, "s")),
         "Welcome.session_id")
    streams = {
        "cursor": ('connect { version: 1 resume { token: "t" streams { '
                   'stream: %s } } }'),
        "outcome": ('welcome { version: 1 session_id: "s" resume { status: '
                    'RESUME_STATUS_RESUMED streams { stream: %s status: '
                    'STREAM_STATUS_RECOVERED } } }'),
        "subscribe": "subscribe { request_id: 1 stream: %s }",
        "unsubscribe": "unsubscribe { stream: %s }",
        "message": "message { stream: %s position { } }",
    }
    for k, tmpl in streams.items():
        pair("%s.stream" % k, ["LIMIT-5"], tmpl % q(rep(128, "n")),
             tmpl % q(rep(129, "n")), "the stream name of %s" % k)
        wv.valid(g, "%s.stream.one-byte" % k, "a one-byte stream name in %s"
                 % k, ["LIMIT-5"], ["AtLimit"], tmpl % q("n"))
        wv.invalid(g, "%s.stream.empty" % k, "an empty stream name in %s" % k,
                   ["LIMIT-5"], ["EmptyRequired"], "missing", tmpl % q(""))
    wv.valid(g, "welcome.session-id.one-byte", "a one-byte session id",
             ["LIMIT-4"], ["AtLimit"], 'welcome { version: 1 session_id: "s" '
             '}')
    wv.invalid(g, "welcome.session-id.empty", "a welcome without a session "
               "id", ["LIMIT-4"], ["EmptyRequired"], "missing",
               "welcome { version: 1 }")
    for body, reason in [("busy", 102), ("notice", 101), ("close", 101)]:
        tmpl = "%s { reason: %d reason_text: %%s }" % (body, reason)
        pair("%s.reason-text" % body, ["LIMIT-6"], tmpl % q(rep(123, "r")),
             tmpl % q(rep(124, "r")), "%s.reason_text" % body)
    # A reason text at its limit counted in bytes, not characters.
    wv.valid(g, "close.reason-text.multibyte-at-limit", "123 bytes of "
             "two-byte UTF-8 characters plus one ASCII byte",
             ["LIMIT-6", "WIRE-6"], ["AtLimit", "ValidUtf8"],
             "close { reason: 101 reason_text: %s }" %
             q("\u00e9" * 61 + "x"))
    wv.invalid(g, "close.reason-text.multibyte-over-limit", "62 two-byte "
               "characters: 62 characters but 124 bytes",
               ["LIMIT-6"], ["OverLimit"], "limit",
               "close { reason: 101 reason_text: %s }" % q("\u00e9" * 62))
    urls = {
        "busy": "busy { reason: 203 redirect { url: %s } }",
        "notice": "notice { reason: 203 redirect { url: %s } }",
    }
    for k, tmpl in urls.items():
        pair("%s.redirect-url" % k, ["LIMIT-7"], tmpl % q(rep(256, "u")),
             tmpl % q(rep(257, "u")), "an Endpoint.url in %s" % k)
        wv.valid(g, "%s.redirect-url.one-byte" % k, "a one-byte url",
                 ["LIMIT-7"], ["AtLimit"], tmpl % q("u"))
        wv.invalid(g, "%s.redirect-url.empty" % k, "an endpoint without a "
                   "url", ["LIMIT-7"], ["EmptyRequired"], "missing",
                   tmpl % q(""))
    pair("subscribe.grant", ["LIMIT-10"],
         'subscribe { request_id: 1 stream: "a" grant: %s }' %
         q(rep(512, "g")),
         'subscribe { request_id: 1 stream: "a" grant: %s }' %
         q(rep(513, "g")), "Subscribe.grant")
    pair("message.payload", ["LIMIT-11"],
         'message { stream: "a" position { } payload: %s }' %
         q(rep(16000, "p")),
         'message { stream: "a" position { } payload: %s }' %
         q(rep(16001, "p")), "StreamMessage.payload")

    g = vf.group("WireDecodeTest", "Repeated fields at and one past their "
                 "counts [HCP-LIMIT-8], [HCP-LIMIT-9].")
    for k in ("busy", "notice"):
        ep = " ".join('redirect { url: "wss://n%d" }' % i for i in range(4))
        wv.valid(g, "%s.redirect.at-limit" % k, "four redirect endpoints",
                 ["LIMIT-1", "LIMIT-8"], ["AtLimit"],
                 "%s { reason: 203 %s }" % (k, ep))
        wv.invalid(g, "%s.redirect.over-limit" % k, "five redirect "
                   "endpoints", ["LIMIT-1", "LIMIT-8"], ["OverLimit"],
                   "limit", "%s { reason: 203 %s redirect { url: \"wss://x\" "
                   "} }" % (k, ep))
    cur = " ".join('streams { stream: "s%d" }' % i for i in range(16))
    wv.valid(g, "connect.resume-streams.at-limit", "16 stream cursors",
             ["LIMIT-1", "LIMIT-9"], ["AtLimit"],
             'connect { version: 1 resume { token: "t" %s } }' % cur)
    wv.invalid(g, "connect.resume-streams.over-limit", "17 stream cursors",
               ["LIMIT-1", "LIMIT-9"], ["OverLimit"], "limit",
               'connect { version: 1 resume { token: "t" %s streams { '
               'stream: "x" } } }' % cur)
    out = " ".join('streams { stream: "s%d" status: STREAM_STATUS_RECOVERED '
                   '}' % i for i in range(16))
    wv.valid(g, "welcome.resume-streams.at-limit", "16 stream outcomes",
             ["LIMIT-1", "LIMIT-9"], ["AtLimit"],
             'welcome { version: 1 session_id: "s" resume { status: '
             'RESUME_STATUS_RESUMED %s } }' % out)
    wv.invalid(g, "welcome.resume-streams.over-limit", "17 stream outcomes",
               ["LIMIT-1", "LIMIT-9"], ["OverLimit"], "limit",
               'welcome { version: 1 session_id: "s" resume { status: '
               'RESUME_STATUS_RESUMED %s streams { stream: "x" status: '
               'STREAM_STATUS_RECOVERED } } }' % out)

    # A limit counts entries as they arrive [HCP-LIMIT-1]: merged
    # occurrences add up, and a replaced oneof member's entries still count.
    three = w.vfield(1, 203) + b"".join(
        w.lfield(6, w.lfield(1, b"wss://n%d" % i)) for i in range(3))
    wv.invalid(g, "notice.redirect.merged-over-limit", "a Notice given "
               "twice with three redirect endpoints each: six after the "
               "merge", ["LIMIT-1", "LIMIT-8", "WIRE-8"],
               ["OverLimit", "SubmessageMerge"], "limit",
               data=w.lfield(6, three) + w.lfield(6, three))
    wv.invalid(g, "ping.replaces-notices-over-limit", "Notice members "
               "with six redirect endpoints in all, then a Ping that "
               "replaces them: the entries still count",
               ["LIMIT-1", "LIMIT-8", "WIRE-8"],
               ["OverLimit", "OneofConflict"], "limit",
               data=w.lfield(6, three) + w.lfield(6, three) +
               w.lfield(4, b""))

    g = vf.group("WireDecodeTest", "The whole frame against the maximum "
                 "frame size on a message transport [HCP-FRAME-8]; unknown "
                 "fields pad a valid frame to the exact size.")
    for maxf in (16384, 8192):
        for size, ok in ((maxf, True), (maxf + 1, False)):
            frame, canon = padded_message(size)
            tid = "frame-size.%d.%s" % (maxf, "at" if ok else "over")
            mf = None if maxf == 16384 else maxf
            if ok:
                wv.valid_bytes(g, tid, "a %d-byte frame, maximum %d" %
                               (size, maxf), ["FRAME-8", "FRAME-5"],
                               ["FrameSize", "AtLimit", "UnknownField"],
                               frame, canon, mf)
            else:
                wv.invalid(g, tid, "a %d-byte frame, maximum %d" %
                           (size, maxf), ["FRAME-8"], ["FrameSize"],
                           "too_large", data=frame, max_frame=mf)


def padded_message(size):
    """A valid StreamMessage frame padded by an unknown field to size."""
    canon = w.encode('message { stream: "a" position { } payload: %s }' %
                     q(rep(4000, "p")))
    for pad in range(size, 0, -1):
        unknown = w.lfield(15, b"u" * pad)
        if len(canon) + len(unknown) == size:
            return canon + unknown, canon
        if len(canon) + len(unknown) < size:
            break
    raise ValueError("cannot pad to %d" % size)


def wire_rules(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "Required fields [HCP-CONN-2] and "
                 "others.")
    miss = [
        ("connect.version-zero", "CONN-2", "connect { attempt: 1 }"),
        ("connect.empty", "CONN-2", "connect { }"),
        ("welcome.version-zero", "CONN-4", 'welcome { session_id: "s" }'),
        ("close.reason-zero", "CONN-6", 'close { reason_text: "bye" }'),
        ("busy.reason-zero", "BUSY-1", "busy { retry { not_after_ms: 5 } }"),
        ("notice.reason-zero", "NOTICE-1", "notice { deadline_ms: 100 }"),
        ("connect.resume-token-empty", "RESUME-2",
         'connect { version: 1 resume { streams { stream: "a" } } }'),
        ("welcome.resume-status-zero", "RESUME-3",
         'welcome { version: 1 session_id: "s" resume { reason: 101 } }'),
        ("welcome.resume-refused-no-reason", "RESUME-4",
         'welcome { version: 1 session_id: "s" resume { status: '
         'RESUME_STATUS_REFUSED } }'),
        ("welcome.resume-partial-no-streams", "RESUME-5",
         'welcome { version: 1 session_id: "s" resume { status: '
         'RESUME_STATUS_PARTIAL reason: 314 } }'),
        ("welcome.outcome-status-zero", "RESUME-6",
         'welcome { version: 1 session_id: "s" resume { status: '
         'RESUME_STATUS_PARTIAL streams { stream: "a" reason: 411 } } }'),
        ("welcome.outcome-lost-no-reason", "RESUME-6",
         'welcome { version: 1 session_id: "s" resume { status: '
         'RESUME_STATUS_PARTIAL streams { stream: "a" status: '
         'STREAM_STATUS_LOST } } }'),
        ("subscribe.request-id-zero", "SUB-1",
         'subscribe { stream: "a" }'),
        ("subscribe_ack.request-id-zero", "SUB-2",
         "subscribe_ack { status: SUBSCRIBE_STATUS_ACCEPTED }"),
        ("subscribe_ack.status-zero", "SUB-2",
         "subscribe_ack { request_id: 3 }"),
        ("subscribe_ack.rejected-no-reason", "SUB-3",
         "subscribe_ack { request_id: 3 status: SUBSCRIBE_STATUS_REJECTED }"),
        ("subscribe_ack.retry-later-no-reason", "SUB-3",
         "subscribe_ack { request_id: 3 status: "
         "SUBSCRIBE_STATUS_RETRY_LATER }"),
        ("message.position-absent", "SUB-7", 'message { stream: "a" }'),
    ]
    for tid, req, text in miss:
        wv.invalid(g, tid, "a required field is zero or absent", [req],
                   ["MissingRequired"], "missing", text)
    wv.valid(g, "welcome.outcome-lost-with-reason", "a lost stream with its "
             "reason", ["RESUME-6"], [],
             'welcome { version: 1 session_id: "s" resume { status: '
             'RESUME_STATUS_PARTIAL reason: 314 streams { stream: "a" '
             'status: STREAM_STATUS_LOST reason: 411 } } }')
    wv.valid(g, "welcome.resume-resumed-no-streams", "a resumed session "
             "without stream outcomes", ["RESUME-5"], [],
             'welcome { version: 1 session_id: "s" resume { status: '
             'RESUME_STATUS_RESUMED } }')
    wv.valid(g, "subscribe_ack.accepted-no-reason", "an accepted subscribe "
             "needs no reason", ["SUB-3"], [],
             "subscribe_ack { request_id: 3 status: "
             "SUBSCRIBE_STATUS_ACCEPTED }")
    wv.invalid(g, "welcome.resume-refused-with-streams", "a refused resume "
               "that still lists stream outcomes", ["RESUME-4"],
               ["Conflict"], "conflict",
               'welcome { version: 1 session_id: "s" resume { status: '
               'RESUME_STATUS_REFUSED reason: 310 streams { stream: "a" '
               'status: STREAM_STATUS_RECOVERED } } }')

    g = vf.group("WireDecodeTest", "Numeric ranges at and one past their "
                 "bounds.")

    def rng(tid, reqs, tmpl, ok, bad, what):
        for v in ok:
            wv.valid(g, "%s.%d" % (tid, v), "%s = %d is allowed" % (what, v),
                     reqs, ["AtLimit"], tmpl % v)
        for v in bad:
            wv.invalid(g, "%s.%d" % (tid, v), "%s = %d is out of range" %
                       (what, v), reqs, ["OutOfRange"], "range", tmpl % v)

    rng("connect.max-frame-size", ["FRAME-5"],
        "connect { version: 1 max_frame_size: %d }", [8192, 16384],
        [1, 8191, 16385], "Connect.max_frame_size")
    rng("welcome.max-frame-size", ["FRAME-5"],
        'welcome { version: 1 session_id: "s" max_frame_size: %d }',
        [8192, 16384], [8191, 16385, 4294967295], "Welcome.max_frame_size")
    rng("welcome.heartbeat", ["CONN-5"],
        'welcome { version: 1 session_id: "s" heartbeat_interval_ms: %d }',
        [1000, 600000], [1, 999, 600001], "Welcome.heartbeat_interval_ms")
    rng("welcome.subscribe-window", ["SUB-4"],
        'welcome { version: 1 session_id: "s" subscribe_window: %d }',
        [1, 100], [101], "Welcome.subscribe_window")
    rng("subscribe_ack.window", ["SUB-4"],
        "subscribe_ack { request_id: 1 status: SUBSCRIBE_STATUS_ACCEPTED "
        "window: %d }", [100], [101], "SubscribeAck.window")
    rng("notice.deadline", ["NOTICE-2"],
        "notice { reason: 101 deadline_ms: %d }", [600000], [600001],
        "Notice.deadline_ms")
    rng("notice.window-not-after", ["NOTICE-3"],
        "notice { reason: 101 window { not_after_ms: %d } }", [3600000],
        [3600001], "Notice.window.not_after_ms")
    rng("busy.retry-not-after", ["NOTICE-3"],
        "busy { reason: 102 retry { not_after_ms: %d } }", [3600000],
        [3600001], "Busy.retry.not_after_ms")
    rng("notice.assigned-delay", ["NOTICE-4"],
        "notice { reason: 101 assigned_delay_ms: %d }", [1, 3600000],
        [3600001], "Notice.assigned_delay_ms")
    rng("welcome.resume-token-ttl", ["RESUME-1"],
        'welcome { version: 1 session_id: "s" resume_token: "t" '
        "resume_token_ttl_ms: %d }", [1, 604800000], [604800001],
        "Welcome.resume_token_ttl_ms")
    rng("notice.resume-token-ttl", ["RESUME-1"],
        'notice { reason: 101 resume_token: "t" resume_token_ttl_ms: %d }',
        [604800000], [604800001], "Notice.resume_token_ttl_ms")
    for f in ("base_ms", "cap_ms", "floor_ms", "stable_ms"):
        rng("close.backoff-%s" % f.replace("_", "-"), ["BACKOFF-1"],
            "close { reason: 101 backoff { %s: %%d } }" % f, [3600000],
            [3600001], "BackoffHint.%s" % f)
    rng("close.backoff-multiplier", ["BACKOFF-1"],
        "close { reason: 101 backoff { multiplier_milli: %d } }",
        [1000, 10000], [1, 999, 10001], "BackoffHint.multiplier_milli")
    rng("close.backoff-attempt-budget", ["BACKOFF-1"],
        "close { reason: 101 backoff { attempt_budget: %d } }",
        [1, 10000], [10001], "BackoffHint.attempt_budget")
    for body, tmpl in [
            ("welcome", 'welcome { version: 1 session_id: "s" backoff { '
             'base_ms: %d } }'),
            ("busy", "busy { reason: 102 backoff { base_ms: %d } }"),
            ("notice", "notice { reason: 101 backoff { base_ms: %d } }"),
            ("subscribe_ack", "subscribe_ack { request_id: 1 status: "
             "SUBSCRIBE_STATUS_RETRY_LATER reason: 102 backoff { base_ms: "
             "%d } }")]:
        rng("%s.backoff-base-ms" % body, ["BACKOFF-1"], tmpl, [], [3600001],
            "%s.backoff.base_ms" % body)

    g = vf.group("WireDecodeTest", "Fields that must agree.")
    conf = [
        ("notice.window-inverted", ["NOTICE-3"],
         "notice { reason: 101 window { not_before_ms: 2 not_after_ms: 1 "
         "} }"),
        ("busy.retry-inverted", ["NOTICE-3"],
         "busy { reason: 102 retry { not_before_ms: 3600000 "
         "not_after_ms: 0 } }"),
        ("close.backoff-cap-below-base", ["BACKOFF-2"],
         "close { reason: 101 backoff { base_ms: 1000 cap_ms: 999 } }"),
        ("welcome.token-without-ttl", ["RESUME-1"],
         'welcome { version: 1 session_id: "s" resume_token: "t" }'),
        ("welcome.ttl-without-token", ["RESUME-1"],
         'welcome { version: 1 session_id: "s" resume_token_ttl_ms: 1000 }'),
        ("notice.token-without-ttl", ["RESUME-1"],
         'notice { reason: 101 resume_token: "t" }'),
        ("notice.ttl-without-token", ["RESUME-1"],
         "notice { reason: 101 resume_token_ttl_ms: 1000 }"),
    ]
    for tid, reqs, text in conf:
        wv.invalid(g, tid, "fields that contradict each other", reqs,
                   ["Conflict"], "conflict", text)
    wv.valid(g, "notice.window-point", "a window of one instant "
             "(not_before_ms = not_after_ms)", ["NOTICE-3"], ["AtLimit"],
             "notice { reason: 101 window { not_before_ms: 3600000 "
             "not_after_ms: 3600000 } }")
    wv.valid(g, "close.backoff-cap-equals-base", "cap_ms equal to base_ms",
             ["BACKOFF-2"], ["AtLimit"],
             "close { reason: 101 backoff { base_ms: 1000 cap_ms: 1000 } }")
    wv.valid(g, "close.backoff-base-only", "base_ms set above the default "
             "cap, cap_ms unset", ["BACKOFF-2"], [],
             "close { reason: 101 backoff { base_ms: 40000 } }")
    wv.valid(g, "close.backoff-cap-only", "cap_ms set below the default "
             "base, base_ms unset", ["BACKOFF-2"], [],
             "close { reason: 101 backoff { cap_ms: 100 } }")
    stop = [
        ("notice.stop-with-window", "window { not_after_ms: 10 }"),
        ("notice.stop-with-assigned-delay", "assigned_delay_ms: 10"),
        ("notice.stop-with-redirect", 'redirect { url: "wss://b" }'),
        ("notice.stop-with-resume-token",
         'resume_token: "t" resume_token_ttl_ms: 1000'),
    ]
    for reason in (400, 450, 499):
        for tid, extra in stop:
            if reason != 400 and "window" not in tid:
                continue
            wv.invalid(g, "%s.%d" % (tid, reason), "a notice of class STOP "
                       "(reason %d) with %s" % (reason, extra.split()[0]),
                       ["NOTICE-5"] + (["REASON-1"] if reason != 400 else []),
                       ["StopClass", "Conflict"], "conflict",
                       "notice { reason: %d %s }" % (reason, extra))
    wv.valid(g, "notice.stop-plain", "a notice of class STOP with only a "
             "deadline, text, scope and hint", ["NOTICE-5"], [],
             'notice { reason: 404 reason_text: "taken over" deadline_ms: '
             "100 scope: NOTICE_SCOPE_CONNECTION backoff { base_ms: 1 } }")
    for reason in (399, 500, 99):
        wv.valid(g, "notice.window-reason-%d" % reason, "a window with "
                 "reason %d, which is not of class STOP" % reason,
                 ["NOTICE-5", "REASON-1"], ["UnknownReason"],
                 "notice { reason: %d window { not_after_ms: 10 } }" % reason)

    g = vf.group("WireDecodeTest", "Frames that break two rules: the "
                 "reference order of spec section \"Validation order\" names "
                 "the class a decoder SHOULD report [HCP-WIRE-15]; since "
                 "[HCP-WIRE-10] lets it report either, a mismatch is a "
                 "warning, not a failure.")
    # (id, class first in the reference order, the other class, the two
    # rules broken, comment, text or bytes)
    order = [
        ("limit-before-missing", "limit", "missing", ["LIMIT-6", "CONN-6"],
         "an over-limit reason_text and a zero reason",
         "close { reason_text: %s }" % q(rep(124, "r")), None),
        ("utf8-before-missing", "utf8", "missing", ["WIRE-6", "CONN-6"],
         "invalid UTF-8 and a zero reason", None,
         w.lfield(7, w.lfield(2, b"\xff"))),
        ("limit-before-utf8", "limit", "utf8", ["LIMIT-8", "WIRE-6"],
         "invalid UTF-8 in reason_text and five redirects", None,
         w.lfield(3, w.vfield(1, 102) + w.lfield(2, b"\xff") + b"".join(
             w.lfield(5, w.lfield(1, b"wss://n")) for _ in range(5)))),
        ("limit-late-before-missing-early", "limit", "missing",
         ["LIMIT-3", "CONN-4"], "a zero version (field 1) and an "
         "over-limit resume token (field 3)",
         'welcome { session_id: "s" resume_token: %s resume_token_ttl_ms: '
         "1 }" % q(rep(1025, "t")), None),
        ("missing-before-range", "missing", "range", ["CONN-4", "CONN-5"],
         "a zero version (field 1) and a heartbeat out of range (field 5)",
         'welcome { session_id: "s" heartbeat_interval_ms: 999 }', None),
        ("range-before-nested-missing", "range", "missing",
         ["CONN-5", "RESUME-4"], "a heartbeat out of range (field 5) and a "
         "refused resume without reason (field 9)",
         'welcome { version: 1 session_id: "s" heartbeat_interval_ms: 999 '
         "resume { status: RESUME_STATUS_REFUSED } }", None),
        ("range-before-nested-conflict", "range", "conflict",
         ["SUB-4", "BACKOFF-2"], "a subscribe window out of range (field 7) "
         "and cap below base (field 10)",
         'welcome { version: 1 session_id: "s" subscribe_window: 101 '
         "backoff { base_ms: 2000 cap_ms: 1000 } }", None),
        ("hint-range-before-conflict", "range", "conflict",
         ["BACKOFF-1", "BACKOFF-2"], "in one hint, a multiplier out of "
         "range ([HCP-BACKOFF-1]) and cap below base ([HCP-BACKOFF-2])",
         "close { reason: 101 backoff { base_ms: 2000 cap_ms: 1000 "
         "multiplier_milli: 999 } }", None),
    ]
    for tid, cls, other, rules, comment, text, data in order:
        flags = ["ReferenceOrder"] + (["InvalidUtf8"] if "UTF-8" in comment
                                      else [])
        wv.invalid(g, "order.%s.refused" % tid, comment + ": either class "
                   "is conforming", rules + ["WIRE-10"], flags, cls,
                   text=text, data=data, others=[other])
        wv.invalid(g, "order.%s.reference" % tid, comment + ": the "
                   "reference order gives %s" % cls, ["WIRE-15"], flags, cls,
                   text=text, data=data)

    g = vf.group("WireDecodeTest", "Invalid UTF-8 in every string field "
                 "[HCP-WIRE-6].")
    bad = [("lone-continuation", b"a\x80b"), ("overlong", b"\xc0\xaf"),
           ("surrogate", b"\xed\xa0\x80"), ("above-max", b"\xf4\x90\x80\x80"),
           ("truncated-sequence", b"x\xe2\x82"), ("ff-byte", b"\xff")]
    strings = [
        ("welcome.session-id", lambda s: w.lfield(2, w.vfield(1, 1) +
                                                   w.lfield(2, s))),
        ("close.reason-text", lambda s: w.lfield(7, w.vfield(1, 101) +
                                                  w.lfield(2, s))),
        ("busy.reason-text", lambda s: w.lfield(3, w.vfield(1, 102) +
                                                 w.lfield(2, s))),
        ("notice.reason-text", lambda s: w.lfield(6, w.vfield(1, 101) +
                                                   w.lfield(2, s))),
        ("subscribe.stream", lambda s: w.lfield(8, w.vfield(1, 1) +
                                                 w.lfield(2, s))),
        ("unsubscribe.stream", lambda s: w.lfield(10, w.lfield(2, s))),
        ("message.stream", lambda s: w.lfield(11, w.lfield(1, s) +
                                               w.lfield(2, b""))),
        ("cursor.stream", lambda s: w.lfield(1, w.vfield(1, 1) + w.lfield(
            7, w.lfield(1, b"t") + w.lfield(2, w.lfield(1, s))))),
        ("outcome.stream", lambda s: w.lfield(2, w.vfield(1, 1) + w.lfield(
            2, b"s") + w.lfield(9, w.vfield(1, 1) + w.lfield(
                3, w.lfield(1, s) + w.vfield(2, 1))))),
        ("busy.redirect-url", lambda s: w.lfield(3, w.vfield(1, 203) +
                                                  w.lfield(5, w.lfield(1, s)))),
        ("notice.redirect-url", lambda s: w.lfield(
            6, w.vfield(1, 203) + w.lfield(6, w.lfield(1, s)))),
    ]
    for tid, build in strings:
        for i, (bn, bs) in enumerate(bad):
            if tid != "close.reason-text" and i > 0:
                continue
            wv.invalid(g, "%s.utf8-%s" % (tid, bn), "invalid UTF-8 (%s) in "
                       "%s" % (bn, tid), ["WIRE-6"], ["InvalidUtf8"], "utf8",
                       data=build(bs))
        good = "\u00e9\u20ac\U0001F600".encode()
        data = build(good)
        wv.valid_bytes(g, "%s.utf8-multibyte" % tid, "two-, three- and "
                       "four-byte UTF-8 in %s" % tid, ["WIRE-6"],
                       ["ValidUtf8"], data, data)
    data = w.lfield(7, w.vfield(1, 101) + w.lfield(2, b"a\x00b"))
    wv.invalid(g, "close.reason-text.embedded-nul", "U+0000 inside "
               "reason_text", ["WIRE-6"], ["EmbeddedNul"], "utf8",
               data=data)
    data = w.lfield(10, w.vfield(1, 1) + w.lfield(2, b"\x00"))
    wv.invalid(g, "unsubscribe.stream.nul-only", "a stream name that is "
               "U+0000 alone: utf8, not an empty name", ["WIRE-6"],
               ["EmbeddedNul"], "utf8", data=data)


def wire_extension(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "Unknown fields of every wire type are "
                 "skipped [HCP-WIRE-2].")
    base = w.encode(FULL["notice"])
    body = body_of(base)
    kinds = [("varint", w.vfield(100, 300)),
             ("fixed64", w.f64(101, 0x0102030405060708)),
             ("len", w.lfield(102, b"future")),
             ("fixed32", w.f32(103, 7)),
             ("high-number", w.vfield(536870911, 1))]
    for name, u in kinds:
        wv.valid_bytes(g, "notice.unknown-%s" % name, "an unknown %s field "
                       "after the known ones" % name, ["WIRE-2", "WIRE-7"],
                       ["UnknownField"], w.lfield(6, body + u), base)
    wv.valid_bytes(g, "notice.unknown-first", "an unknown field before "
                   "the known ones", ["WIRE-2"], ["UnknownField"],
                   w.lfield(6, w.lfield(99, b"\x00\x01") + body), base)
    hint = w.encode("close { reason: 101 backoff { base_ms: 1 } }")
    wv.valid_bytes(g, "close.unknown-in-hint", "an unknown field inside a "
                   "nested BackoffHint", ["WIRE-2"], ["UnknownField"],
                   w.lfield(7, w.vfield(1, 101) + w.lfield(
                       3, w.vfield(1, 1) + w.vfield(8, 5))), hint)
    ping = w.encode("ping { nonce: 9 }")
    wv.valid_bytes(g, "frame.unknown-beside-body", "an unknown field in the "
                   "Frame beside a known body", ["WIRE-2"], ["UnknownField"],
                   w.vfield(20, 1) + ping + w.lfield(21, b"x"), ping)

    g = vf.group("WireDecodeTest", "Frames with no body the receiver knows "
                 "[HCP-WIRE-3].")
    wv.valid_bytes(g, "frame.empty", "an empty frame", ["WIRE-3", "FRAME-7"],
                   ["UnknownBody"], b"", b"")
    for f in (12, 15, 16, 2047):
        wv.valid_bytes(g, "frame.unknown-body-%d" % f, "a body of field "
                       "number %d, which this version does not define" % f,
                       ["WIRE-3", "WIRE-2"], ["UnknownBody", "UnknownField"],
                       w.lfield(f, w.vfield(1, 1)), b"")

    g = vf.group("WireDecodeTest", "Unknown enum values are accepted and "
                 "kept [HCP-WIRE-4].")
    enums = [
        ("backoff-jitter", "close { reason: 101 backoff { jitter: %d } }",
         ["BACKOFF-4"]),
        ("resume-status", 'welcome { version: 1 session_id: "s" resume { '
         "status: %d reason: 101 } }", ["RESUME-9"]),
        ("stream-status", 'welcome { version: 1 session_id: "s" resume { '
         'status: RESUME_STATUS_PARTIAL streams { stream: "a" status: %d '
         "reason: 101 } } }", ["RESUME-10"]),
        ("notice-scope", "notice { reason: 101 scope: %d }", []),
        ("subscribe-status", "subscribe_ack { request_id: 1 status: %d "
         "reason: 102 }", ["SUB-8"]),
    ]
    for name, tmpl, reqs in enums:
        for v in (7, 2147483647):
            wv.valid(g, "%s.unknown-%d" % (name, v), "enum value %d, which "
                     "the schema does not define" % v, ["WIRE-4"] + reqs,
                     ["UnknownEnum"], tmpl % v)
    data = w.encode("close { reason: 101 backoff { jitter: -1 } }")
    wv.acceptable(g, "backoff-jitter.negative", "a negative enum value "
                  "(ten-byte varint)", ["WIRE-19", "BACKOFF-4"],
                  ["ValueTooWide"], data, data, "wire")

    g = vf.group("WireDecodeTest", "Reason codes outside the registry, in "
                 "every range [HCP-REASON-1], [HCP-REASON-3].")
    codes = [(1, "ReservedCode"), (99, "ReservedCode"),
             (108, "UnassignedCode"), (149, "UnassignedCode"),
             (150, "ApplicationCode"), (199, "ApplicationCode"),
             (249, "UnassignedCode"), (250, "ApplicationCode"),
             (349, "UnassignedCode"), (399, "ApplicationCode"),
             (449, "UnassignedCode"), (499, "ApplicationCode"),
             (500, "ReservedCode"), (999, "ReservedCode"),
             (1000, "ReservedCode"), (4294967295, "ReservedCode")]
    for code, _ in codes:
        for body in ("close", "busy"):
            wv.valid(g, "%s.reason-%d" % (body, code), "reason code %d" %
                     code, ["WIRE-4", "REASON-3"], ["UnknownReason"],
                     "%s { reason: %d }" % (body, code))
    for code in (1, 150, 250, 350, 450, 500, 4294967295):
        wv.valid(g, "notice.reason-%d" % code, "a notice with reason %d" %
                 code, ["REASON-3", "NOTICE-1"], ["UnknownReason"],
                 "notice { reason: %d }" % code)
    wv.valid(g, "subscribe_ack.reason-unknown", "a retry-later with an "
             "unknown reason", ["REASON-3", "SUB-3"], ["UnknownReason"],
             "subscribe_ack { request_id: 1 status: "
             "SUBSCRIBE_STATUS_RETRY_LATER reason: 777 }")


def wire_malformed(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "Truncation at every byte of a fully "
                 "populated close, and at selected points of other frames "
                 "[HCP-WIRE-5].")
    close = w.encode(FULL["close"])
    for n in range(1, len(close)):
        wv.invalid(g, "close.truncated-%d" % n, "the first %d of %d bytes" %
                   (n, len(close)), ["WIRE-5"], ["Truncated"], "wire",
                   data=close[:n])
    for name in ("connect", "welcome", "notice", "busy", "message"):
        full = w.encode(FULL[name])
        for n in sorted({2, len(full) // 2, len(full) - 1}):
            wv.invalid(g, "%s.truncated-%d" % (name, n), "the first %d of %d "
                       "bytes of a full %s" % (n, len(full), name),
                       ["WIRE-5"], ["Truncated"], "wire", data=full[:n])
    wv.invalid(g, "frame.truncated-tag", "a two-byte tag cut after its "
               "first byte", ["WIRE-5"], ["Truncated"], "wire",
               data=b"\x80")
    wv.invalid(g, "ping.truncated-varint", "a varint value cut inside",
               ["WIRE-5"], ["Truncated"], "wire", data=b"\x22\x02\x08\xff")

    g = vf.group("WireDecodeTest", "Lengths that run past their enclosing "
                 "message [HCP-WIRE-5].")
    inner = w.vfield(1, 101) + w.lfield(2, b"abc")
    over = w.vfield(1, 101) + w.tag(2, 2) + w.varint(5) + b"abc"
    wv.invalid(g, "close.text-overruns-body", "reason_text claims 5 bytes, "
               "the close body holds 3, the frame continues",
               ["WIRE-5"], ["LengthOverrun"], "wire",
               data=w.tag(7, 2) + w.varint(len(over)) + over +
               w.vfield(20, 1))
    wv.invalid(g, "frame.length-huge", "a body length of 2^32-1",
               ["WIRE-5"], ["Truncated"], "wire",
               data=w.tag(7, 2) + w.varint(0xFFFFFFFF) + inner)
    wv.invalid(g, "frame.length-past-end", "a body length one past the end",
               ["WIRE-5"], ["Truncated"], "wire",
               data=w.tag(7, 2) + w.varint(len(inner) + 1) + inner)

    g = vf.group("WireDecodeTest", "Varints over ten bytes [HCP-WIRE-5].")
    eleven = b"\x81" + b"\x80" * 9 + b"\x00"
    wv.invalid(g, "ping.value-11-byte-varint", "an 11-byte varint value",
               ["WIRE-5"], ["OverlongVarint"], "wire",
               data=w.lfield(4, b"\x08" + eleven))
    wv.invalid(g, "ping.tag-11-byte-varint", "an 11-byte varint tag",
               ["WIRE-5"], ["OverlongVarint"], "wire",
               data=w.lfield(4, b"\x88" + b"\x80" * 9 + b"\x00" + b"\x01"))
    wv.invalid(g, "frame.length-11-byte-varint", "an 11-byte varint body "
               "length", ["WIRE-5"], ["OverlongVarint"], "wire",
               data=b"\x22\x82" + b"\x80" * 9 + b"\x00" + b"\x08\x01")
    wv.invalid(g, "ping.value-unterminated", "a varint whose every byte has "
               "the continuation bit, to the end of the input",
               ["WIRE-5"], ["Truncated", "OverlongVarint"], "wire",
               data=b"\x22\x0c\x08" + b"\xff" * 11)

    g = vf.group("WireDecodeTest", "Wire types that do not match the "
                 "field's declared type [HCP-WIRE-5].")
    mism = [
        ("frame.body-as-varint", "the connect body as a varint",
         w.vfield(1, 1)),
        ("frame.body-as-fixed32", "the ping body as fixed32",
         w.f32(4, 1)),
        ("connect.version-as-len", "Connect.version as length-delimited",
         w.lfield(1, w.lfield(1, b"\x01"))),
        ("ping.nonce-as-fixed64", "Ping.nonce as fixed64",
         w.lfield(4, w.f64(1, 1))),
        ("close.reason-text-as-varint", "Close.reason_text as a varint",
         w.lfield(7, w.vfield(1, 101) + w.vfield(2, 5))),
        ("close.backoff-as-fixed32", "Close.backoff as fixed32",
         w.lfield(7, w.vfield(1, 101) + w.f32(3, 5))),
    ]
    for tid, c, data in mism:
        wv.invalid(g, tid, c, ["WIRE-5"],
                   ["WireTypeMismatch", "ProtocLenient"], "wire", data=data)

    g = vf.group("WireDecodeTest", "Field number 0, groups and wire types "
                 "6 and 7 [HCP-WIRE-5].")
    wv.invalid(g, "frame.field-zero", "a varint field of number 0 in the "
               "frame", ["WIRE-5"], ["FieldNumberZero"], "wire",
               data=b"\x00\x01")
    wv.invalid(g, "ping.field-zero", "a field of number 0 inside a body",
               ["WIRE-5"], ["FieldNumberZero"], "wire",
               data=w.lfield(4, b"\x02\x00"))
    wv.invalid(g, "frame.unknown-group", "an unknown field encoded as a "
               "group", ["WIRE-5"], ["Group", "ProtocLenient"], "wire",
               data=w.tag(100, 3) + w.vfield(1, 1) + w.tag(100, 4))
    wv.invalid(g, "frame.known-field-as-group", "the ping body as a group",
               ["WIRE-5"], ["Group", "WireTypeMismatch", "ProtocLenient"],
               "wire", data=w.tag(4, 3) + w.vfield(1, 1) + w.tag(4, 4))
    wv.invalid(g, "ping.unknown-group", "an unknown group inside a body",
               ["WIRE-5"], ["Group", "ProtocLenient"], "wire",
               data=w.lfield(4, w.tag(9, 3) + w.tag(9, 4)))
    wv.invalid(g, "frame.lone-end-group", "an end-group tag with no "
               "start", ["WIRE-5"], ["Group"], "wire", data=w.tag(100, 4))
    for wt in (6, 7):
        wv.invalid(g, "frame.wire-type-%d" % wt, "wire type %d" % wt,
                   ["WIRE-5"], ["ReservedWireType"], "wire",
                   data=w.tag(100, wt) + b"\x00")
        wv.invalid(g, "ping.wire-type-%d" % wt, "wire type %d inside a "
                   "body" % wt, ["WIRE-5"], ["ReservedWireType"], "wire",
                   data=w.lfield(4, w.tag(1, wt) + b"\x00"))

    g = vf.group("WireDecodeTest", "Values wider than their fields: the "
                 "spec leaves truncating or refusing to the decoder.")
    wv.acceptable(g, "connect.version-33-bits", "Connect.version as "
                  "2^32 + 1 (five-byte varint)", ["WIRE-19"],
                  ["ValueTooWide"],
                  w.lfield(1, w.vfield(1, (1 << 32) + 1)),
                  w.encode("connect { version: 1 }"), "wire")
    wv.acceptable(g, "ping.nonce-10th-byte-high", "a ten-byte varint whose "
                  "last byte has bits above bit 63", ["WIRE-19"],
                  ["ValueTooWide"],
                  w.lfield(4, b"\x08" + b"\xff" * 9 + b"\x7f"),
                  w.encode("ping { nonce: 18446744073709551615 }"), "wire")


def wire_noncanonical(vf):
    wv = Wire(vf)
    g = vf.group("WireDecodeTest", "Well-formed non-canonical input is "
                 "accepted [HCP-WIRE-8]; output.canonical is its canonical "
                 "form [HCP-WIRE-7].")
    c = "connect { version: 1 attempt: 2 }"
    wv.noncanon(g, "connect.fields-reversed", "Connect.attempt before "
                "Connect.version", ["WIRE-8", "WIRE-7"], ["FieldOrder"],
                w.lfield(1, w.vfield(4, 2) + w.vfield(1, 1)), c)
    full = w.encode(FULL["welcome"])
    fields = split_fields(body_of(full))
    wv.noncanon(g, "welcome.fields-reversed", "every field of a full "
                "welcome in reverse order", ["WIRE-8", "WIRE-7"],
                ["FieldOrder"], w.lfield(2, b"".join(reversed(fields))),
                FULL["welcome"])
    wv.noncanon(g, "connect.version-nonminimal", "Connect.version 1 as a "
                "two-byte varint", ["WIRE-8"], ["NonMinimalVarint"],
                w.lfield(1, w.vfield(1, 1, width=2)), MIN["connect"])
    wv.noncanon(g, "connect.version-10-byte", "Connect.version 1 as a "
                "ten-byte varint", ["WIRE-8"], ["NonMinimalVarint"],
                w.lfield(1, w.vfield(1, 1, width=10)), MIN["connect"])
    wv.noncanon(g, "connect.tag-nonminimal", "the tag of Connect.version in "
                "two bytes", ["WIRE-8"], ["NonMinimalVarint"],
                w.lfield(1, w.tag(1, 0, width=2) + b"\x01"), MIN["connect"])
    wv.noncanon(g, "frame.length-nonminimal", "the body length in three "
                "bytes", ["WIRE-8"], ["NonMinimalVarint"],
                w.lfield(1, w.vfield(1, 1), lwidth=3), MIN["connect"])
    wv.noncanon(g, "close.text-length-nonminimal", "a string length in two "
                "bytes", ["WIRE-8"], ["NonMinimalVarint"],
                w.lfield(7, w.vfield(1, 101) + w.lfield(2, b"x", lwidth=2)),
                'close { reason: 101 reason_text: "x" }')
    wv.noncanon(g, "connect.explicit-zero", "Connect.attempt 0 written "
                "out", ["WIRE-8", "WIRE-7"], ["ExplicitDefault"],
                w.lfield(1, w.vfield(1, 1) + w.vfield(4, 0)), MIN["connect"])
    wv.noncanon(g, "close.explicit-empty-text", "an empty reason_text "
                "written out", ["WIRE-8", "WIRE-7"], ["ExplicitDefault"],
                w.lfield(7, w.vfield(1, 101) + w.lfield(2, b"")),
                "close { reason: 101 }")
    wv.noncanon(g, "connect.explicit-empty-credentials", "empty credentials "
                "written out", ["WIRE-8", "WIRE-7"], ["ExplicitDefault"],
                w.lfield(1, w.vfield(1, 1) + w.lfield(3, b"")),
                MIN["connect"])
    wv.noncanon(g, "welcome.explicit-zero-enum", "a zero enum written out",
                ["WIRE-8", "WIRE-7"], ["ExplicitDefault"],
                w.lfield(2, w.vfield(1, 1) + w.lfield(2, b"s") + w.lfield(
                    10, w.vfield(4, 0))),
                'welcome { version: 1 session_id: "s" backoff { } }')

    g = vf.group("WireDecodeTest", "A non-repeated field given more than "
                 "once [HCP-WIRE-8].")
    wv.noncanon(g, "ping.nonce-twice", "Ping.nonce 1 then 2: the last wins",
                ["WIRE-8"], ["RepeatedScalar"],
                w.lfield(4, w.vfield(1, 1) + w.vfield(1, 2)),
                "ping { nonce: 2 }")
    wv.noncanon(g, "close.reason-twice", "Close.reason 0 then 101: the "
                "last value makes it valid", ["WIRE-8", "CONN-6"],
                ["RepeatedScalar"],
                w.lfield(7, w.vfield(1, 0) + w.vfield(1, 101)),
                "close { reason: 101 }")
    wv.noncanon(g, "close.text-twice", "Close.reason_text twice: the last "
                "wins", ["WIRE-8"], ["RepeatedScalar"],
                w.lfield(7, w.vfield(1, 101) + w.lfield(2, b"first") +
                         w.lfield(2, b"second")),
                'close { reason: 101 reason_text: "second" }')
    wv.noncanon(g, "close.backoff-merge", "two BackoffHint occurrences "
                "merge", ["WIRE-8"], ["SubmessageMerge"],
                w.lfield(7, w.vfield(1, 101) + w.lfield(3, w.vfield(1, 250))
                         + w.lfield(3, w.vfield(2, 9000))),
                "close { reason: 101 backoff { base_ms: 250 cap_ms: 9000 } }")
    wv.noncanon(g, "frame.body-merge", "the connect body twice: its fields "
                "merge", ["WIRE-8"], ["SubmessageMerge"],
                w.lfield(1, w.vfield(1, 1)) + w.lfield(1, w.vfield(4, 3)),
                "connect { version: 1 attempt: 3 }")
    wv.noncanon(g, "subscribe.position-merge", "recover_from twice: offset "
                "from the first, epoch from the second", ["WIRE-8"],
                ["SubmessageMerge"],
                w.lfield(8, w.vfield(1, 1) + w.lfield(2, b"a") +
                         w.lfield(4, w.vfield(1, 5)) +
                         w.lfield(4, w.vfield(2, 6))),
                'subscribe { request_id: 1 stream: "a" recover_from { '
                "offset: 5 epoch: 6 } }")
    wv.noncanon(g, "message.position-merge-overwrite", "position twice, "
                "the second overwriting offset", ["WIRE-8"],
                ["SubmessageMerge"],
                w.lfield(11, w.lfield(1, b"a") +
                         w.lfield(2, w.vfield(1, 5) + w.vfield(2, 1)) +
                         w.lfield(2, w.vfield(1, 6))),
                'message { stream: "a" position { offset: 6 epoch: 1 } }')

    g = vf.group("WireDecodeTest", "Several members of one oneof: the last "
                 "wins [HCP-WIRE-8].")
    wv.noncanon(g, "frame.ping-then-pong", "a ping body then a pong body",
                ["WIRE-8"], ["OneofConflict"],
                w.lfield(4, w.vfield(1, 1)) + w.lfield(5, w.vfield(1, 2)),
                "pong { nonce: 2 }")
    wv.noncanon(g, "frame.invalid-connect-then-ping", "an invalid connect "
                "(version 0) replaced by a ping", ["WIRE-8", "CONN-2"],
                ["OneofConflict"],
                w.lfield(1, w.vfield(4, 1)) + w.lfield(4, w.vfield(1, 3)),
                "ping { nonce: 3 }")
    wv.noncanon(g, "notice.window-then-assigned", "a window then an "
                "assigned delay", ["WIRE-8"], ["OneofConflict"],
                w.lfield(6, w.vfield(1, 101) + w.lfield(
                    4, w.vfield(2, 10)) + w.vfield(5, 20)),
                "notice { reason: 101 assigned_delay_ms: 20 }")
    wv.noncanon(g, "notice.assigned-then-window", "an assigned delay then "
                "a window", ["WIRE-8"], ["OneofConflict"],
                w.lfield(6, w.vfield(1, 101) + w.vfield(5, 20) + w.lfield(
                    4, w.vfield(2, 10))),
                "notice { reason: 101 window { not_after_ms: 10 } }")
    wv.noncanon(g, "notice.inverted-window-then-assigned", "an inverted "
                "window replaced by an assigned delay",
                ["WIRE-8", "NOTICE-3"], ["OneofConflict"],
                w.lfield(6, w.vfield(1, 101) + w.lfield(
                    4, w.vfield(1, 9) + w.vfield(2, 1)) + w.vfield(5, 20)),
                "notice { reason: 101 assigned_delay_ms: 20 }")


def split_fields(body):
    """The top-level fields of a message, each as its bytes."""
    out = []
    i = 0
    while i < len(body):
        start = i
        key, i = read_varint(body, i)
        wt = key & 7
        if wt == 0:
            _, i = read_varint(body, i)
        elif wt == 2:
            n, i = read_varint(body, i)
            i += n
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        else:
            raise ValueError("unexpected wire type")
        out.append(body[start:i])
    return out


def read_varint(b, i):
    n = 0
    shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return n, i


# ---------------------------------------------------------------------------
# Framing vectors (kinds frame.read, frame.prefix)
# ---------------------------------------------------------------------------


def frames_sample():
    return [w.encode(MIN["ping"]), w.encode(FULL["notice"]),
            w.encode(MIN["close"])]


def stream_of(frames):
    return b"".join(w.varint(len(f)) + f for f in frames)


def chunked(data, sizes):
    """Splits data into chunks of the given sizes (the last takes the rest)."""
    out = []
    i = 0
    for s in sizes:
        out.append(data[i:i + s])
        i += s
    if i < len(data):
        out.append(data[i:])
    return out


def framing(vf):
    def add(g, tid, comment, reqs, flags, chunks, frames=None, pending=False,
            error=None, max_frame=None, result=None):
        inp = {"chunks": {"list": [hexv(c) for c in chunks]}}
        if max_frame is not None:
            inp["max_frame_size"] = uintv(max_frame)
        if error is None:
            vf.add(g, "frame." + tid, comment, reqs, flags, "valid", inp,
                   output={"frames": {"list": [hexv(f) for f in frames]},
                           "pending": {"bool": pending}})
        else:
            vf.add(g, "frame." + tid, comment, reqs, flags,
                   result or "invalid", inp, error=error, layer="framing")

    fr = frames_sample()
    s = stream_of(fr)
    g = vf.group("FrameReadTest", "Splitting byte streams into frames "
                 "[HCP-FRAME-2].")
    add(g, "three.one-chunk", "three frames in one chunk", ["FRAME-2"],
        ["SingleChunk"], [s], fr)
    add(g, "three.byte-by-byte", "three frames one byte at a time",
        ["FRAME-2"], ["ByteByByte"], [s[i:i + 1] for i in range(len(s))], fr)
    for cut in (1, 2, len(s) // 2, len(s) - 1):
        add(g, "three.split-%d" % cut, "two chunks split after byte %d" % cut,
            ["FRAME-2"], [], chunked(s, [cut]), fr)
    small = [w.encode(MIN["ping"]), b"", w.encode(MIN["close"])]
    ss = stream_of(small)
    for cut in range(1, len(ss)):
        add(g, "small.split-%d" % cut, "a ping, an empty frame and a close, "
            "split after byte %d of %d" % (cut, len(ss)),
            ["FRAME-2", "FRAME-7"], [], chunked(ss, [cut]), small)
    add(g, "three.empty-chunks", "empty chunks between the bytes",
        ["FRAME-2"], ["EmptyChunks"],
        [b"", s[:3], b"", b"", s[3:10], b"", s[10:], b""], fr)
    add(g, "no-chunks", "an empty stream", ["FRAME-2"], [], [], [])
    add(g, "empty-chunk-only", "a single empty chunk", ["FRAME-2"],
        ["EmptyChunks"], [b""], [])
    add(g, "empty-frame", "one frame of length zero", ["FRAME-7"],
        ["EmptyFrame"], [b"\x00"], [b""])
    add(g, "empty-frames-around", "zero-length frames around a ping",
        ["FRAME-7", "FRAME-2"], ["EmptyFrame"],
        [b"\x00" + stream_of([fr[0]]) + b"\x00\x00"], [b"", fr[0], b"", b""])
    for n in (127, 128, 16383, 16384):
        body = padded_raw(n)
        data = w.varint(n) + body
        add(g, "size-%d" % n, "a %d-byte frame (%d-byte prefix)" %
            (n, len(w.varint(n))), ["FRAME-2", "FRAME-4"], ["PrefixWidth"],
            [data], [body])
        add(g, "size-%d.split-prefix" % n, "a %d-byte frame split after "
            "its first byte" % n, ["FRAME-2"], ["PrefixWidth", "SplitPrefix"],
            chunked(data, [1]), [body])
    body = padded_raw(8192)
    add(g, "size-8192.max-8192", "a frame at a reader maximum of 8192",
        ["FRAME-4", "FRAME-5"], ["PrefixWidth"],
        [w.varint(8192) + body], [body], max_frame=8192)
    g = vf.group("FrameReadTest", "Streams that end inside a frame.")
    add(g, "pending.in-body", "the stream ends inside the second frame",
        ["FRAME-2"], ["Pending"], [s[:len(w.varint(len(fr[0]))) +
                                     len(fr[0]) + 5]], [fr[0]], pending=True)
    add(g, "pending.in-prefix", "the stream ends inside a two-byte prefix",
        ["FRAME-2"], ["Pending", "SplitPrefix"], [b"\x00\x80"], [b""],
        pending=True)
    add(g, "pending.prefix-only", "a prefix and no body", ["FRAME-2"],
        ["Pending"], [b"\x05"], [], pending=True)

    g = vf.group("FrameReadTest", "Non-minimal length prefixes "
                 "[HCP-FRAME-3].")
    add(g, "nonminimal-prefix.zero-two-bytes", "length 0 as 80 00", ["FRAME-3"],
        ["NonMinimalPrefix"], [b"\x80\x00"], error="framing")
    add(g, "nonminimal-prefix.one-two-bytes", "length 1 as 81 00, with its byte",
        ["FRAME-3"], ["NonMinimalPrefix"], [b"\x81\x00\x00"],
        error="framing")
    add(g, "nonminimal-prefix.127-two-bytes", "length 127 as ff 00", ["FRAME-3"],
        ["NonMinimalPrefix"], [b"\xff\x00" + b"\x00" * 127],
        error="framing")
    add(g, "nonminimal-prefix.three-bytes", "length 128 as 80 81 00", ["FRAME-3"],
        ["NonMinimalPrefix"], [b"\x80\x81\x00" + b"\x00" * 128],
        error="framing")
    add(g, "nonminimal-prefix.split-nonminimal", "80 | 00 across two chunks",
        ["FRAME-3"], ["NonMinimalPrefix", "SplitPrefix"], [b"\x80", b"\x00"],
        error="framing")
    add(g, "nonminimal-prefix.after-good-frames", "two good frames, then 80 00",
        ["FRAME-3"], ["NonMinimalPrefix"],
        [stream_of(fr[:2]) + b"\x80\x00"], error="framing")
    add(g, "nonminimal-prefix.four-bytes-zero", "length 0 as 80 80 80 00", ["FRAME-3"],
        ["NonMinimalPrefix", "PrefixAmbiguous"], [b"\x80\x80\x80\x00"],
        error="framing", result="acceptable")

    g = vf.group("FrameReadTest", "Prefixes announcing a frame over the "
                 "maximum [HCP-FRAME-4].")
    add(g, "too-large.16385", "a prefix of 16385 with no body", ["FRAME-4"],
        ["TooLarge"], [w.varint(16385)], error="too_large")
    add(g, "too-large.16385-with-body", "a prefix of 16385 and 100 bytes",
        ["FRAME-4"], ["TooLarge"], [w.varint(16385) + b"\x00" * 100],
        error="too_large")
    add(g, "too-large.max-8192", "a prefix of 8193 at a reader maximum of "
        "8192", ["FRAME-4", "FRAME-5"], ["TooLarge"], [w.varint(8193)],
        error="too_large", max_frame=8192)
    add(g, "too-large.2-32", "a prefix of 2^32-1", ["FRAME-4"],
        ["TooLarge"], [w.varint(0xFFFFFFFF)], error="too_large")
    add(g, "too-large.after-frame", "a good frame, then a prefix of "
        "1000000", ["FRAME-4"], ["TooLarge"],
        [stream_of(fr[:1]) + w.varint(1000000)], error="too_large")
    add(g, "too-large.split", "the prefix of 16385 one byte at a time",
        ["FRAME-4"], ["TooLarge", "SplitPrefix"],
        [w.varint(16385)[:1], w.varint(16385)[1:2], w.varint(16385)[2:]],
        error="too_large")


def padded_raw(n):
    """n bytes of frame content (a ping padded with an unknown field)."""
    if n < 2:
        raise ValueError("too short")
    ping = w.encode("ping { nonce: 1 }")
    for pad in range(n, -1, -1):
        u = w.lfield(15, b"x" * pad)
        if len(ping) + len(u) == n:
            return ping + u
    return b"\x00" * n


def prefix(vf):
    g = vf.group("FramePrefixTest", "The minimal varint length prefix "
                 "[HCP-FRAME-2].")
    for n in (0, 1, 127, 128, 300, 8192, 16383, 16384):
        vf.add(g, "frame-prefix.%d" % n, "the prefix of a %d-byte frame" % n,
               ["FRAME-2"], ["PrefixWidth"] if n in (127, 128, 16383, 16384)
               else [], "valid", {"length": uintv(n)},
               output={"prefix": hexv(w.varint(n))})
    for n in (16385, 2097152):
        vf.add(g, "frame-prefix.%d" % n, "no prefix for a %d-byte frame" %
               n,
               ["FRAME-6"], ["TooLarge"], "invalid", {"length": uintv(n)},
               error="too_large", layer="framing")


# ---------------------------------------------------------------------------
# Algorithm vectors
# ---------------------------------------------------------------------------

HINT_KEYS = ["base_ms", "cap_ms", "multiplier_milli", "jitter", "floor_ms",
             "stable_ms", "attempt_budget"]


def hint_input(h):
    return {k: uintv(v) for k, v in h.items() if k in HINT_KEYS and v}


def spec_examples(spec_dir):
    """The rows of the spec's worked-example tables, or ([], []) ."""
    path = os.path.join(spec_dir, "07-backoff.md")
    if not os.path.exists(path):
        return [], []
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return (table_after(text, "<!-- hcp:backoff-examples -->"),
            table_after(text, "<!-- hcp:backoff-budget-examples -->"))


def table_after(text, marker):
    i = text.find(marker)
    if i < 0:
        return []
    rows = []
    lines = text[i + len(marker):].lstrip("\n").splitlines()
    head = None
    for line in lines:
        s = line.strip()
        if not s.startswith("|"):
            break
        cells = [c.strip().strip("`") for c in s.strip("|").split("|")]
        if head is None:
            head = [c.lower() for c in cells]
            continue
        if set("".join(cells)) <= set("-: "):
            continue
        rows.append(dict(zip(head, cells)))
    return rows


def backoff(vf, spec_dir):
    g = vf.group("BackoffDelayTest", "The reference algorithm "
                 "[HCP-BACKOFF-5]: inputs are the hint fields (absent = 0), "
                 "attempt and random; output is delay_ms, or give_up.")

    def add(tid, comment, reqs, flags, hint, attempt, r):
        p = w.backoff_params(hint)
        d = w.backoff_delay(p, attempt, r)
        inp = hint_input(hint)
        inp["attempt"] = uintv(attempt)
        inp["random"] = uintv(r)
        if d is None:
            out = {"give_up": {"bool": True}}
        else:
            out = {"give_up": {"bool": False}, "delay_ms": uintv(d)}
        vf.add(g, "backoff." + tid, comment, ["BACKOFF-5"] + reqs, flags,
               "valid", inp, output=out)

    for a in range(0, 9):
        for r in (0, 0x80000000, 0xFFFFFFFF):
            add("defaults.a%d.r%08x" % (a, r), "defaults, attempt %d" % a,
                ["BACKOFF-3", "BACKOFF-6"] if a == 0 else ["BACKOFF-3"],
                ["Defaults", "Growth"] +
                (["RandomExtreme"] if r in (0, 0xFFFFFFFF) else []),
                {}, a, r)
    add("defaults.a6.cap", "defaults: attempt 6 reaches the 30 s cap",
        ["BACKOFF-3"], ["Defaults", "CapReached"], {}, 6, 0x12345678)
    add("defaults.a1000", "defaults, attempt 1000", ["BACKOFF-3"],
        ["Defaults", "LargeAttempt", "CapReached"], {}, 1000, 0x9ABCDEF0)
    add("defaults.a-max", "defaults, attempt 4294967295", ["BACKOFF-3"],
        ["Defaults", "LargeAttempt", "CapReached"], {}, 0xFFFFFFFF,
        0xFFFFFFFF)
    add("hint-zero-fields", "a hint with every field 0 is the defaults",
        ["BACKOFF-3"], ["Defaults"], {"base_ms": 0}, 3, 0x40000000)
    add("base-only", "base 40000, no cap: cap becomes 40000",
        ["BACKOFF-3"], ["HintDefaultsMixed"], {"base_ms": 40000}, 2,
        0xFFFFFFFF)
    add("base-only-small", "base 100, no cap: cap becomes 30000",
        ["BACKOFF-3"], ["HintDefaultsMixed"], {"base_ms": 100}, 9,
        0xFFFFFFFF)
    add("cap-only-small", "cap 300, no base: base becomes 300",
        ["BACKOFF-3"], ["HintDefaultsMixed"], {"cap_ms": 300}, 0,
        0xFFFFFFFF)
    add("cap-only-large", "cap 100000, no base: base becomes 500",
        ["BACKOFF-3"], ["HintDefaultsMixed"], {"cap_ms": 100000}, 3,
        0xFFFFFFFF)
    for a in (0, 1, 5, 100000):
        add("no-growth.a%d" % a, "multiplier 1000: no growth, attempt %d" % a,
            [], ["NoGrowth"], {"base_ms": 700, "cap_ms": 5000,
                               "multiplier_milli": 1000}, a, 0xC0000000)
    for a in (0, 1, 2, 3):
        add("x10.a%d" % a, "multiplier 10000, attempt %d" % a, [],
            ["Growth"], {"base_ms": 10, "cap_ms": 50000,
                         "multiplier_milli": 10000}, a, 0xFFFFFFFF)
    for a in (0, 1, 2, 3, 17):
        add("x1.5.a%d" % a, "multiplier 1500, truncation in microseconds, "
            "attempt %d" % a, [], ["Growth"],
            {"base_ms": 333, "cap_ms": 60000, "multiplier_milli": 1500}, a,
            0xFFFFFFFF)
    add("x1.001.slow", "multiplier 1001 from base 1 ms: thousands of "
        "growth steps", [], ["Growth", "LargeAttempt"],
        {"base_ms": 1, "cap_ms": 3600000, "multiplier_milli": 1001}, 20000,
        0xFFFFFFFF)
    add("x1.001.mid", "multiplier 1001 from base 1 ms, attempt 5000", [],
        ["Growth"], {"base_ms": 1, "cap_ms": 3600000,
                     "multiplier_milli": 1001}, 5000, 0xFFFFFFFF)
    for a, r in ((0, 0), (0, 0xFFFFFFFF), (3, 0x55555555)):
        add("floor.a%d.r%08x" % (a, r), "floor 2000 above full jitter", [
            "BACKOFF-8"], ["Floor"] + (["RandomExtreme"] if r in (
                0, 0xFFFFFFFF) else []), {"floor_ms": 2000}, a, r)
    for a, r in ((0, 0), (0, 0xFFFFFFFF), (2, 0x80000000), (4, 1)):
        add("equal.a%d.r%08x" % (a, r), "equal jitter, attempt %d" % a, [],
            ["EqualJitter"] + (["RandomExtreme"] if r in (
                0, 0xFFFFFFFF) else []), {"jitter": 2}, a, r)
    add("equal.floor", "equal jitter with a floor", ["BACKOFF-8"],
        ["EqualJitter", "Floor"], {"jitter": 2, "floor_ms": 150,
                                   "base_ms": 1001}, 0, 0xFFFFFFFF)
    add("equal.odd-ceiling", "equal jitter with an odd ceiling (1 ms)", [],
        ["EqualJitter"], {"jitter": 2, "base_ms": 1, "cap_ms": 1}, 5,
        0xFFFFFFFF)
    for j in (1, 3, 0xFFFFFFFF):
        add("jitter-%d" % j, "jitter mode %d acts as full jitter" % j,
            ["BACKOFF-4"], ["UnknownJitter"] if j != 1 else [],
            {"jitter": j}, 2, 0xFFFFFFFF)
    for a in (0, 4, 5, 6):
        add("budget-5.a%d" % a, "budget 5, attempt %d" % a, [],
            ["Budget"], {"attempt_budget": 5}, a, 0x10000000)
    add("budget-1.a0", "budget 1: only attempt 0 runs", [], ["Budget"],
        {"attempt_budget": 1}, 0, 0)
    add("budget-1.a1", "budget 1: attempt 1 gives up", [], ["Budget"],
        {"attempt_budget": 1}, 1, 0)
    add("budget-10000.a9999", "budget 10000, attempt 9999", [], ["Budget"],
        {"attempt_budget": 10000}, 9999, 0xFFFFFFFF)
    add("max-values", "every parameter at its maximum", [], ["MaxValues"],
        {"base_ms": 3600000, "cap_ms": 3600000, "multiplier_milli": 10000,
         "floor_ms": 3600000, "jitter": 2, "attempt_budget": 10000}, 9999,
        0xFFFFFFFF)
    add("max-values.full", "maximum ceiling and floor, full jitter", [],
        ["MaxValues"], {"base_ms": 3600000, "cap_ms": 3600000,
                        "floor_ms": 3600000}, 0xFFFFFFFF, 0xFFFFFFFF)
    add("cap-equals-base", "cap equal to base: the ceiling never changes",
        [], ["CapReached"], {"base_ms": 1234, "cap_ms": 1234}, 7,
        0x7FFFFFFF)

    rows, budget_rows = spec_examples(spec_dir)
    g2 = None
    for i, row in enumerate(rows, 1):
        if g2 is None:
            g2 = vf.group("BackoffDelayTest", "The worked examples of the "
                          "spec (spec/07-backoff.md), each checked against "
                          "the generator's own implementation.")
        hint = {}
        for k in ("base_ms", "cap_ms", "multiplier_milli", "floor_ms"):
            hint[k] = int(row[k])
        hint["jitter"] = {"full": 1, "equal": 2}[row["jitter"]]
        attempt = int(row["attempt"])
        r = int(row["random"], 16)
        p = w.backoff_params(hint)
        mine = w.backoff_delay(p, attempt, r)
        want = row["delay_ms"]
        if str(mine) != want.replace(",", "").replace(" ", ""):
            raise SystemExit("spec/07-backoff.md worked example %d: the spec "
                             "says %s, this generator computes %s" %
                             (i, want, mine))
        inp = hint_input(hint)
        inp["attempt"] = uintv(attempt)
        inp["random"] = uintv(r)
        vf.add(g2, "backoff.spec-example-%d" % i, "worked example %d of "
               "spec/07-backoff.md" % i, ["BACKOFF-5"], ["WorkedExample"],
               "valid", inp, output={"give_up": {"bool": False},
                                     "delay_ms": uintv(mine)})
    for i, row in enumerate(budget_rows, 1):
        if g2 is None:
            g2 = vf.group("BackoffDelayTest", "The worked examples of the "
                          "spec (spec/07-backoff.md).")
        budget = int(row["budget"])
        attempt = int(row["attempt"])
        p = w.backoff_params({"attempt_budget": budget})
        mine = w.backoff_delay(p, attempt, BUDGET_RANDOM)
        res = row["result"].strip().lower()
        if ("stop" if mine is None else str(mine)) != res:
            raise SystemExit("spec/07-backoff.md budget example %d: the spec "
                             "says %s, this generator computes %s" %
                             (i, res, mine))
        out = ({"give_up": {"bool": True}} if mine is None else
               {"give_up": {"bool": False}, "delay_ms": uintv(mine)})
        inp = {"attempt": uintv(attempt), "random": uintv(BUDGET_RANDOM)}
        if budget:
            inp["attempt_budget"] = uintv(budget)
        vf.add(g2, "backoff.spec-budget-example-%d" % i, "budget example %d "
               "of spec/07-backoff.md (defaults, random 0x80000000)" % i,
               ["BACKOFF-5"], ["WorkedExample", "Budget"], "valid", inp,
               output=out)
    return len(rows) + len(budget_rows)


# The random value of every row of the spec's budget table.
BUDGET_RANDOM = 0x80000000


def backoff_params(vf):
    g = vf.group("BackoffParamsTest", "Effective parameters from a hint "
                 "[HCP-BACKOFF-3], [HCP-BACKOFF-4]; absent inputs are 0.")

    def add(tid, comment, reqs, flags, hint):
        p = w.backoff_params(hint)
        vf.add(g, "backoff-params." + tid, comment, reqs, flags, "valid",
               hint_input(hint), output={k: uintv(v) for k, v in p.items()})

    add("none", "no hint at all", ["BACKOFF-3"], ["Defaults"], {})
    add("base-only", "base 40000 only", ["BACKOFF-3"], ["HintDefaultsMixed"],
        {"base_ms": 40000})
    add("base-only-small", "base 200 only", ["BACKOFF-3"],
        ["HintDefaultsMixed"], {"base_ms": 200})
    add("cap-only-small", "cap 300 only", ["BACKOFF-3"],
        ["HintDefaultsMixed"], {"cap_ms": 300})
    add("cap-only-large", "cap 90000 only", ["BACKOFF-3"],
        ["HintDefaultsMixed"], {"cap_ms": 90000})
    add("all", "every field set", ["BACKOFF-3"], [],
        {"base_ms": 250, "cap_ms": 60000, "multiplier_milli": 1500,
         "jitter": 2, "floor_ms": 100, "stable_ms": 45000,
         "attempt_budget": 20})
    for j in (0, 3, 0xFFFFFFFF):
        add("jitter-%d" % j, "jitter %d becomes full" % j, ["BACKOFF-4"],
            ["UnknownJitter"], {"jitter": j, "base_ms": 10})
    for k, v in (("base_ms", 3600001), ("cap_ms", 3600001),
                 ("floor_ms", 3600001), ("stable_ms", 3600001),
                 ("multiplier_milli", 999), ("multiplier_milli", 10001),
                 ("attempt_budget", 10001)):
        vf.add(g, "backoff-params.invalid-%s-%d" % (k.replace("_", "-"), v),
               "%s = %d is out of range" % (k, v), ["BACKOFF-1"],
               ["InvalidHint"], "invalid", {k: uintv(v)}, error="range",
               layer="semantic")


def next_attempt(vf):
    g = vf.group("BackoffNextAttemptTest", "The attempt number after a "
                 "connection ends [HCP-BACKOFF-7].")

    def add(tid, comment, flags, stable, attempt, life):
        hint = {"stable_ms": stable} if stable else {}
        p = w.backoff_params(hint)
        inp = hint_input(hint)
        inp["attempt"] = uintv(attempt)
        inp["lifetime_ms"] = uintv(life)
        vf.add(g, "next-attempt." + tid, comment, ["BACKOFF-7"], flags,
               "valid", inp,
               output={"attempt": uintv(w.next_attempt(p, attempt, life))})

    add("never-welcomed", "never got Welcome (lifetime 0)", ["Flapping"],
        0, 0, 0)
    add("short", "lasted 29999 ms of the default 30000", ["Flapping",
                                                           "Defaults"],
        0, 4, 29999)
    add("default-stable", "lasted exactly the default 30000 ms",
        ["StableReset", "Defaults"], 0, 4, 30000)
    add("long", "lasted an hour", ["StableReset"], 0, 9, 3600000)
    add("hint-short", "stable 60000, lasted 59999", ["Flapping"], 60000, 2,
        59999)
    add("hint-exact", "stable 60000, lasted 60000", ["StableReset"], 60000,
        2, 60000)
    add("hint-small", "stable 1 ms, lasted 1 ms", ["StableReset"], 1, 2, 1)
    add("saturate", "attempt 4294967295 stays there", ["Saturation",
                                                       "Flapping"],
        0, 0xFFFFFFFF, 5)
    add("below-saturation", "attempt 4294967294 becomes 4294967295",
        ["Saturation", "Flapping"], 0, 0xFFFFFFFE, 5)
    add("max-lifetime", "lifetime 4294967295", ["StableReset"], 3600000, 7,
        0xFFFFFFFF)


def window(vf, spec_dir):
    g = vf.group("WindowPickTest", "The reconnect moment inside a notice's "
                 "window [HCP-NOTICE-6].")

    def add(tid, comment, flags, nb, na, r):
        d = w.window_pick(nb, na, r)
        inp = {"not_before_ms": uintv(nb), "not_after_ms": uintv(na),
               "random": uintv(r)}
        if d is None:
            vf.add(g, "window." + tid, comment, ["NOTICE-6", "NOTICE-3"],
                   flags, "invalid", inp, error="conflict", layer="semantic")
        else:
            vf.add(g, "window." + tid, comment, ["NOTICE-6"], flags, "valid",
                   inp, output={"delay_ms": uintv(d)})

    for nb, na in ((0, 0), (1000, 1000), (0, 1), (5000, 55000),
                   (0, 3600000), (3599999, 3600000)):
        for r in (0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF):
            add("%d-%d.r%08x" % (nb, na, r), "window [%d, %d], random "
                "0x%08x" % (nb, na, r),
                ["Inclusive"] if r in (0, 0xFFFFFFFF) else [], nb, na, r)
    for r in (0, 0x12345678, 0xFFFFFFFF):
        add("full-range.r%08x" % r, "window [0, 2^32-1]: the pick is the "
            "random value itself", ["FullRange"], 0, 0xFFFFFFFF, r)
    rows = []
    path = os.path.join(spec_dir, "07-backoff.md")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            rows = table_after(f.read(), "<!-- hcp:window-examples -->")
    for i, row in enumerate(rows, 1):
        nb, na = int(row["not_before_ms"]), int(row["not_after_ms"])
        r = int(row["random"], 16)
        mine = w.window_pick(nb, na, r)
        if str(mine) != row["delay_ms"]:
            raise SystemExit("spec/07-backoff.md window example %d: the spec "
                             "says %s, this generator computes %s" %
                             (i, row["delay_ms"], mine))
        vf.add(g, "window.spec-example-%d" % i, "window example %d of "
               "spec/07-backoff.md" % i, ["NOTICE-6"], ["WorkedExample"],
               "valid", {"not_before_ms": uintv(nb),
                         "not_after_ms": uintv(na), "random": uintv(r)},
               output={"delay_ms": uintv(mine)})
    add("inverted", "not_before_ms 10 after not_after_ms 9",
        ["InvertedWindow"], 10, 9, 0)
    add("inverted-max", "not_before_ms 2^32-1, not_after_ms 0",
        ["InvertedWindow"], 0xFFFFFFFF, 0, 0xFFFFFFFF)


REGISTRY = [100, 101, 102, 103, 104, 105, 106, 107, 200, 201, 202, 203,
            300, 301, 302, 310, 311, 312, 313, 314, 320, 321, 400, 401, 402,
            403, 404, 405, 406, 410, 411]


def reasons(vf_class, vf_to, vf_from):
    g = vf_class.group("ReasonClassTest", "The class of any reason code "
                       "[HCP-REASON-1], [HCP-REASON-3].")
    codes = [(0, "KnownCode")] + [(c, "KnownCode") for c in REGISTRY]
    codes += [(1, "ReservedCode"), (99, "ReservedCode"),
              (108, "UnassignedCode"), (149, "UnassignedCode"),
              (150, "ApplicationCode"), (199, "ApplicationCode"),
              (204, "UnassignedCode"), (250, "ApplicationCode"),
              (299, "ApplicationCode"), (349, "UnassignedCode"),
              (350, "ApplicationCode"), (412, "UnassignedCode"),
              (450, "ApplicationCode"), (499, "ApplicationCode"),
              (500, "ReservedCode"), (999, "ReservedCode"),
              (1000, "ReservedCode"), (4100, "ReservedCode"),
              (4294967295, "ReservedCode")]
    for c, flag in codes:
        reqs = ["REASON-1"] + (["REASON-3"] if flag != "KnownCode" else [])
        vf_class.add(g, "reason-class.%d" % c, "the class of code %d" % c,
                     reqs, [flag], "valid", {"code": uintv(c)},
                     output={"class": {"str": w.reason_class(c)}})
    g = vf_to.group("ReasonToWsTest", "The WebSocket close code carrying "
                    "a reason code [HCP-REASON-4].")
    for c in (0, 1, 100, 101, 203, 400, 411, 450, 999, 1000, 4000,
              4294967295):
        vf_to.add(g, "reason-to-ws.%d" % c, "the close code for reason %d" %
                  c, ["REASON-4"], ["KnownCode"] if c in REGISTRY or c == 0
                  else ["ReservedCode"] if c < 100 or c > 499 else
                  ["ApplicationCode"], "valid", {"code": uintv(c)},
                  output={"ws_close": uintv(w.reason_to_ws(c))})
    g = vf_from.group("ReasonFromWsTest", "The reason code a client assumes "
                      "from a WebSocket close code [HCP-REASON-4].")
    for ws in sorted(w.FROM_WS):
        vf_from.add(g, "reason-from-ws.%d" % ws, "close code %d" % ws,
                    ["REASON-4"], ["MappedCloseCode"], "valid",
                    {"ws_close": uintv(ws)},
                    output={"code": uintv(w.reason_from_ws(ws))})
    for ws in (4001, 4101, 4450, 4999):
        vf_from.add(g, "reason-from-ws.%d" % ws, "close code %d" % ws,
                    ["REASON-4"], ["PrivateRange"], "valid",
                    {"ws_close": uintv(ws)},
                    output={"code": uintv(w.reason_from_ws(ws))})
    for ws in (0, 999, 1003, 1005, 1006, 1007, 1010, 1014, 1015, 2999, 3000,
               3999, 4000, 5000, 65535):
        vf_from.add(g, "reason-from-ws.%d" % ws, "close code %d" % ws,
                    ["REASON-4"], ["OtherCloseCode"], "valid",
                    {"ws_close": uintv(ws)},
                    output={"code": uintv(w.reason_from_ws(ws))})


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(w.ROOT, "conformance",
                                                   "vectors"))
    ap.add_argument("--spec", default=os.path.join(w.ROOT, "spec"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    files = []

    def wf(name, title, builder):
        vf = VectorFile(name, "wire.decode", title, WIRE_HEADER)
        builder(vf)
        files.append(vf)

    wf("wire_messages.json", "Every body in canonical form", wire_messages)
    wf("wire_limits.json", "Sizes and counts at and past their limits",
       wire_limits)
    wf("wire_rules.json", "HCP's semantic rules on decoded frames",
       wire_rules)
    wf("wire_extension.json", "Unknown fields, bodies, enum values and "
       "reason codes", wire_extension)
    wf("wire_malformed.json", "Input that is not well-formed protobuf",
       wire_malformed)
    wf("wire_noncanonical.json", "Well-formed non-canonical input",
       wire_noncanonical)

    vf = VectorFile("frame_read.json", "frame.read", "Byte-stream framing",
                    ["Kind frame.read: input.chunks is the byte stream as "
                     "it arrives, chunk by chunk; input.max_frame_size is "
                     "the reader's maximum (default 16384).",
                     "A valid stream gives output.frames (the frames in "
                     "order, without prefixes) and output.pending (true "
                     "when the stream ended inside a prefix or a frame).",
                     "An invalid stream gives errorClass framing or "
                     "too_large; the frames before the error are not "
                     "compared."])
    framing(vf)
    files.append(vf)
    vf = VectorFile("frame_prefix.json", "frame.prefix",
                    "Length prefix writer",
                    ["Kind frame.prefix: input.length is a frame length; "
                     "output.prefix is its length prefix, or too_large "
                     "when the length exceeds 16384."])
    prefix(vf)
    files.append(vf)
    vf = VectorFile("backoff_delay.json", "backoff.delay",
                    "Reference backoff algorithm",
                    ["Kind backoff.delay: inputs base_ms, cap_ms, "
                     "multiplier_milli, jitter, floor_ms, stable_ms, "
                     "attempt_budget (the BackoffHint fields; absent means "
                     "0), attempt and random (a 32-bit value).",
                     "Output give_up is true when the attempt budget is "
                     "spent; otherwise delay_ms is the delay.",
                     "Expected values come from the generator's own "
                     "implementation of [HCP-BACKOFF-5]; the spec's "
                     "worked examples are checked against it."])
    backoff(vf, args.spec)
    files.append(vf)
    vf = VectorFile("backoff_params.json", "backoff.params",
                    "Backoff parameters from a hint",
                    ["Kind backoff.params: inputs are the BackoffHint "
                     "fields (absent means 0); outputs are the effective "
                     "parameters, jitter as 1 (full) or 2 (equal)."])
    backoff_params(vf)
    files.append(vf)
    vf = VectorFile("backoff_next_attempt.json", "backoff.next_attempt",
                    "Attempt count after a connection",
                    ["Kind backoff.next_attempt: inputs stable_ms (absent: "
                     "default), attempt and lifetime_ms; output attempt."])
    next_attempt(vf)
    files.append(vf)
    vf = VectorFile("window_pick.json", "window.pick",
                    "Reconnect moment inside a window",
                    ["Kind window.pick: inputs not_before_ms, not_after_ms, "
                     "random; output delay_ms, or conflict for an inverted "
                     "window."])
    window(vf, args.spec)
    files.append(vf)
    vc = VectorFile("reason_class.json", "reason.class",
                    "Reason code classes",
                    ["Kind reason.class: input code; output class, one of "
                     "none, reconnect, elsewhere, reauth, stop."])
    vt = VectorFile("reason_to_ws.json", "reason.to_ws",
                    "Reason code to WebSocket close code",
                    ["Kind reason.to_ws: input code; output ws_close."])
    vr = VectorFile("reason_from_ws.json", "reason.from_ws",
                    "WebSocket close code to reason code",
                    ["Kind reason.from_ws: input ws_close (0..65535); "
                     "output code."])
    reasons(vc, vt, vr)
    files += [vc, vt, vr]

    total = 0
    for vf in files:
        n = vf.dump(args.out)
        total += n
        print("%-28s %-22s %5d" % (vf.name, vf.kind, n))
    print("%-28s %-22s %5d" % ("total", "", total))


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: Apache-2.0
#
# An independent implementation of the constructions of spec/12-tokens.md
# in plain Python (standard library only), used to generate the resume
# token and grant vectors: XChaCha20-Poly1305-IETF written from RFC 8439
# (ChaCha20, Poly1305, the AEAD) and draft-irtf-cfrg-xchacha-03
# (HChaCha20, XChaCha20), the claims and grant layouts written from the
# spec's tables, HMAC-SHA256 from Python's hmac module. It shares no code
# with codec/src/token.c and never imports it; it is slow and not
# constant-time, and is for generating vectors only, never for servers.

import base64
import hashlib
import hmac
import struct

MASK32 = 0xFFFFFFFF


def _rotl(v, n):
    return ((v << n) & MASK32) | (v >> (32 - n))


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & MASK32
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & MASK32
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & MASK32
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & MASK32
    s[b] = _rotl(s[b] ^ s[c], 7)


def _rounds(s):
    for _ in range(10):
        _quarter(s, 0, 4, 8, 12)
        _quarter(s, 1, 5, 9, 13)
        _quarter(s, 2, 6, 10, 14)
        _quarter(s, 3, 7, 11, 15)
        _quarter(s, 0, 5, 10, 15)
        _quarter(s, 1, 6, 11, 12)
        _quarter(s, 2, 7, 8, 13)
        _quarter(s, 3, 4, 9, 14)


_SIGMA = struct.unpack("<4I", b"expand 32-byte k")


def _initial(key, words):
    return list(_SIGMA) + list(struct.unpack("<8I", key)) + list(words)


def chacha20_block(key, counter, nonce12):
    """RFC 8439 section 2.3: one 64-byte block."""
    start = _initial(key, (counter,) + struct.unpack("<3I", nonce12))
    s = list(start)
    _rounds(s)
    return struct.pack("<16I", *[(x + y) & MASK32 for x, y in zip(s, start)])


def chacha20_xor(key, counter, nonce12, data):
    """RFC 8439 section 2.4."""
    out = bytearray()
    for i in range(0, len(data), 64):
        block = chacha20_block(key, counter + i // 64, nonce12)
        out += bytes(a ^ b for a, b in zip(data[i:i + 64], block))
    return bytes(out)


def hchacha20(key, nonce16):
    """draft-irtf-cfrg-xchacha-03 section 2.2: no final addition; words
    0..3 and 12..15 form the subkey."""
    s = _initial(key, struct.unpack("<4I", nonce16))
    _rounds(s)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def poly1305(key32, msg):
    """RFC 8439 section 2.5."""
    r = int.from_bytes(key32[:16], "little")
    r &= 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF
    s = int.from_bytes(key32[16:], "little")
    p = (1 << 130) - 5
    acc = 0
    for i in range(0, len(msg), 16):
        n = int.from_bytes(msg[i:i + 16] + b"\x01", "little")
        acc = (acc + n) * r % p
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def _pad16(b):
    return b"\x00" * (-len(b) % 16)


def chacha20poly1305_encrypt(key, nonce12, aad, pt):
    """RFC 8439 section 2.8: ciphertext followed by the 16-byte tag."""
    otk = chacha20_block(key, 0, nonce12)[:32]
    ct = chacha20_xor(key, 1, nonce12, pt)
    mac_data = (aad + _pad16(aad) + ct + _pad16(ct) +
                struct.pack("<QQ", len(aad), len(ct)))
    return ct + poly1305(otk, mac_data)


def xchacha20poly1305_encrypt(key, nonce24, aad, pt):
    """draft-irtf-cfrg-xchacha-03 section 2.3 (libsodium's
    crypto_aead_xchacha20poly1305_ietf_encrypt)."""
    sub = hchacha20(key, nonce24[:16])
    return chacha20poly1305_encrypt(sub, b"\x00" * 4 + nonce24[16:], aad, pt)


def xchacha20poly1305_decrypt(key, nonce24, aad, ct_tag):
    """Returns the plaintext, or None when the tag does not match."""
    if len(ct_tag) < 16:
        return None
    sub = hchacha20(key, nonce24[:16])
    nonce12 = b"\x00" * 4 + nonce24[16:]
    ct, tag = ct_tag[:-16], ct_tag[-16:]
    otk = chacha20_block(sub, 0, nonce12)[:32]
    mac_data = (aad + _pad16(aad) + ct + _pad16(ct) +
                struct.pack("<QQ", len(aad), len(ct)))
    if not hmac.compare_digest(poly1305(otk, mac_data), tag):
        return None
    return chacha20_xor(sub, 1, nonce12, ct)


# Published test vectors, checked before anything is generated.
_LADIES = (b"Ladies and Gentlemen of the class of '99: If I could offer you "
           b"only one tip for the future, sunscreen would be it.")


def self_test():
    key = bytes(range(0x80, 0xA0))
    aad = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
    # RFC 8439 section 2.8.2.
    out = chacha20poly1305_encrypt(
        key, bytes.fromhex("070000004041424344454647"), aad, _LADIES)
    assert out[:16].hex() == "d31a8d34648e60db7b86afbc53ef7ec2", "rfc8439"
    assert out[-16:].hex() == "1ae10b594f09e26a7e902ecbd0600691", "rfc8439"
    # draft-irtf-cfrg-xchacha-03 appendix A.3.1.
    nonce = bytes(range(0x40, 0x58))
    out = xchacha20poly1305_encrypt(key, nonce, aad, _LADIES)
    assert out[:16].hex() == "bd6d179d3e83d43b9576579493c0e939", "xchacha"
    assert out[-16:].hex() == "c0875924c1c7987947deafd8780acf49", "xchacha"
    assert xchacha20poly1305_decrypt(key, nonce, aad, out) == _LADIES
    bad = out[:-1] + bytes([out[-1] ^ 1])
    assert xchacha20poly1305_decrypt(key, nonce, aad, bad) is None


# ---------------------------------------------------------------------------
# Resume tokens (spec/12-tokens.md, "Resume token construction")
# ---------------------------------------------------------------------------

TOKEN_VERSION = 1
TOKEN_MAX_SIZE = 1024


def _lv(b):
    assert len(b) < 256
    return bytes([len(b)]) + b


def token_claims(c):
    """The sealed claims of a dict c: issued_at_ms, expires_at_ms,
    principal, session_id, context, streams_omitted, streams (a list of
    (name, offset, epoch)). Integers are big-endian."""
    out = struct.pack(">QQ", c["issued_at_ms"], c["expires_at_ms"])
    out += _lv(c["principal"]) + _lv(c["session_id"]) + _lv(c["context"])
    out += bytes([c["streams_omitted"], len(c["streams"])])
    for name, offset, epoch in c["streams"]:
        out += _lv(name) + struct.pack(">QQ", offset, epoch)
    return out


def token_header(version, key_id, nonce):
    return bytes([version]) + struct.pack(">I", key_id) + nonce


def token_seal_raw(key, key_id, nonce, plaintext, version=TOKEN_VERSION):
    """Seals arbitrary plaintext bytes (also malformed claims, for the
    refusal vectors) under the token header."""
    header = token_header(version, key_id, nonce)
    return header + xchacha20poly1305_encrypt(key, nonce, header, plaintext)


def token_fit(c):
    """What a sealer does with streams that do not fit: keep the longest
    prefix of the list, count the rest in streams_omitted (at most 255)."""
    c = dict(c)
    streams = list(c["streams"])
    while 29 + len(token_claims(dict(c, streams=streams))) + 16 > \
            TOKEN_MAX_SIZE:
        streams.pop()
    omitted = c["streams_omitted"] + len(c["streams"]) - len(streams)
    c["streams_omitted"] = min(omitted, 255)
    c["streams"] = streams
    return c


def token_seal(key, key_id, nonce, c):
    return token_seal_raw(key, key_id, nonce, token_claims(token_fit(c)))


# ---------------------------------------------------------------------------
# Grants (spec/12-tokens.md, "Grant format")
# ---------------------------------------------------------------------------

GRANT_VERSION = 1
GRANT_LABEL = b"hcp-grant-v1"


def grant_body(g, version=GRANT_VERSION):
    return (bytes([version]) + struct.pack(">IQQ", g["key_id"],
                                           g["issued_at_ms"],
                                           g["expires_at_ms"]) +
            bytes([g["match"]]) + _lv(g["principal"]) + _lv(g["stream"]))


def grant_mac(key, body):
    return hmac.new(key, GRANT_LABEL + body, hashlib.sha256).digest()


def grant_mint(key, g):
    body = grant_body(g)
    return body + grant_mac(key, body)


def grant_text(binary):
    return base64.urlsafe_b64encode(binary).rstrip(b"=")

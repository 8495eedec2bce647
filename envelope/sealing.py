"""SM2 key pairs, `seal` and `open_envelope` (the format is described in the package docstring)."""

from __future__ import annotations

import functools
import secrets
import struct

import gmssl_pyx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmalg import SM2

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "EnvelopeError",
    "generate_keypair",
    "open_envelope",
    "public_key_of",
    "seal",
]

MAGIC = b"XSEV"
FORMAT_VERSION = 1
_PREFIX = struct.Struct(">4sBH")  # magic, version, wrapped-key length
_KEY_BYTES = 16  # SM4
_NONCE_BYTES = 12
_TAG_BYTES = 16
# SM2 ciphertext of a 16-byte key: C1 as an uncompressed point, C3 (SM3), C2.
_WRAPPED_BYTES = 65 + 32 + _KEY_BYTES
_MIN_BYTES = _PREFIX.size + _WRAPPED_BYTES + _NONCE_BYTES + _TAG_BYTES
# The SM2 curve (GB/T 32918.5): y² = x³ + ax + b over the prime p; n, the order of its base
# point (the cofactor is 1, so a point on the curve other than infinity is a valid key).
_P = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_FFFFFFFF_00000000_FFFFFFFF_FFFFFFFF
_A = _P - 3
_B = 0x28E9FA9E_9D9F5E34_4D5A9E4B_CF6509A7_F39789F5_15AB8F92_DDBCBD41_4D940E93
_ORDER = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123


class EnvelopeError(ValueError):
    """An envelope that cannot be opened, or a key that is not an SM2 key."""


def generate_keypair() -> tuple[str, str]:
    """A new SM2 key pair as (private key hex, 64 digits; public key hex, 130 digits)."""
    public, private = gmssl_pyx.sm2_key_generate()
    return private.hex(), "04" + public.hex()


def public_key_of(private_key_hex: str) -> str:
    """The public key (hex) that belongs to a private key, to check a deployment's pair.
    (gmalg's pure Python, about 80 ms: GmSSL's binding has no call for it.)"""
    return bytes(SM2().generate_pk(_private_key(private_key_hex))).hex()


def seal(public_key_hex: str, plaintext: bytes) -> bytes:
    """The plaintext in a version-1 envelope that only the holder of the private key opens."""
    public = _public_key(public_key_hex)
    data_key = secrets.token_bytes(_KEY_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    wrapped = _from_der(gmssl_pyx.sm2_encrypt(public[1:], data_key))
    header = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(wrapped)) + wrapped + nonce
    encryptor = Cipher(algorithms.SM4(data_key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(header)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return header + body + encryptor.tag


def open_envelope(private_key_hex: str, blob: bytes) -> bytes:
    """The plaintext, or EnvelopeError saying why the envelope cannot be opened."""
    private = _private_key(private_key_hex)
    if not (blob.startswith(MAGIC) or MAGIC.startswith(blob)):
        raise EnvelopeError("not an envelope: it does not start with the XSEV mark")
    if len(blob) < _PREFIX.size:
        raise EnvelopeError(f"truncated envelope: {len(blob)} bytes, not even a header")
    _, version, wrapped_length = _PREFIX.unpack_from(blob)
    if version != FORMAT_VERSION:
        raise EnvelopeError(
            f"unknown envelope version {version}: this code opens version {FORMAT_VERSION}"
        )
    if wrapped_length != _WRAPPED_BYTES:
        raise EnvelopeError(
            f"damaged envelope: the wrapped key is said to be {wrapped_length} bytes, "
            f"version {FORMAT_VERSION} has {_WRAPPED_BYTES}"
        )
    if len(blob) < _MIN_BYTES:
        raise EnvelopeError(
            f"truncated envelope: {len(blob)} bytes, a version-{FORMAT_VERSION} envelope "
            f"has at least {_MIN_BYTES}"
        )
    start = _PREFIX.size
    wrapped = blob[start : start + _WRAPPED_BYTES]
    nonce = blob[start + _WRAPPED_BYTES : start + _WRAPPED_BYTES + _NONCE_BYTES]
    header_end = start + _WRAPPED_BYTES + _NONCE_BYTES
    body, tag = blob[header_end:-_TAG_BYTES], blob[-_TAG_BYTES:]
    try:
        data_key = gmssl_pyx.sm2_decrypt(private, _to_der(wrapped))
    except gmssl_pyx.GmsslInnerError:  # C1 not on the curve, or C3 does not match
        data_key = b""
    if len(data_key) != _KEY_BYTES:
        raise EnvelopeError(
            "the data key does not unwrap with this private key: the wrong key, "
            "or the envelope's wrapped key was altered"
        )
    decryptor = Cipher(algorithms.SM4(data_key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(blob[:header_end])
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise EnvelopeError(
            "the envelope's content does not authenticate: it was altered or truncated"
        ) from None


def _private_key(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except (ValueError, TypeError):
        raise EnvelopeError("the SM2 private key must be 64 hex digits") from None
    if len(raw) != 32 or not 1 <= int.from_bytes(raw, "big") <= _ORDER - 2:
        raise EnvelopeError("the SM2 private key must be 64 hex digits, a scalar below n - 1")
    return raw


@functools.lru_cache(maxsize=8)
def _public_key(text: str) -> bytes:
    """The key as 65 bytes, once it is known to be a point of the curve (kept per process:
    the portal seals every report to the same key)."""
    try:
        raw = bytes.fromhex(text)
    except (ValueError, TypeError):
        raise EnvelopeError("the SM2 public key must be hex (04, then x and y)") from None
    x, y = int.from_bytes(raw[1:33], "big"), int.from_bytes(raw[33:], "big")
    on_curve = x < _P and y < _P and (y * y - x * x * x - _A * x - _B) % _P == 0
    if not (len(raw) == 65 and raw[0] == 4 and on_curve):
        raise EnvelopeError("not an SM2 public key: 130 hex digits, 04 then a point on the curve")
    return raw


# GmSSL writes and reads an SM2 ciphertext as DER (GM/T 0009): SEQUENCE { INTEGER x, INTEGER y,
# OCTET STRING C3, OCTET STRING C2 }; the envelope keeps GB/T 32918.4's C1‖C3‖C2 bytes. For a
# 16-byte C2 every length is below 128, so each is one byte.


def _from_der(der: bytes) -> bytes:
    """C1 (04 ‖ x ‖ y) ‖ C3 ‖ C2 of GmSSL's DER ciphertext of a data key."""
    fields, at = [], 2
    if der[:2] != bytes([0x30, len(der) - 2]):
        raise EnvelopeError("SM2 returned a ciphertext this code cannot read")
    for tag in (0x02, 0x02, 0x04, 0x04):
        if der[at] != tag or der[at + 1] >= 0x80:
            raise EnvelopeError("SM2 returned a ciphertext this code cannot read")
        fields.append(der[at + 2 : at + 2 + der[at + 1]])
        at += 2 + der[at + 1]
    x, y, c3, c2 = fields
    if at != len(der) or len(c3) != 32 or len(c2) != _KEY_BYTES:
        raise EnvelopeError("SM2 returned a ciphertext this code cannot read")
    point = int.from_bytes(x, "big").to_bytes(32, "big") + int.from_bytes(y, "big").to_bytes(
        32, "big"
    )
    return b"\x04" + point + c3 + c2


def _to_der(wrapped: bytes) -> bytes:
    """GmSSL's DER form of a wrapped key (C1 ‖ C3 ‖ C2, as `seal` writes it)."""
    if wrapped[0] != 4:
        return b""  # not an uncompressed point: GmSSL refuses the empty ciphertext
    body = b"".join(
        [
            _der(0x02, _der_integer(wrapped[1:33])),
            _der(0x02, _der_integer(wrapped[33:65])),
            _der(0x04, wrapped[65:97]),
            _der(0x04, wrapped[97:]),
        ]
    )
    return _der(0x30, body)


def _der(tag: int, content: bytes) -> bytes:
    return bytes([tag, len(content)]) + content


def _der_integer(unsigned: bytes) -> bytes:
    """The minimal two's-complement bytes of a non-negative integer (DER's INTEGER)."""
    digits = unsigned.lstrip(b"\x00") or b"\x00"
    return b"\x00" + digits if digits[0] & 0x80 else digits

"""SM2 key pairs, `seal` and `open_envelope` (the format is described in the package docstring)."""

from __future__ import annotations

import secrets
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmalg import SM2
from gmalg.errors import GMError

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
# The order n of the SM2 curve's base point (GB/T 32918.5).
_ORDER = 0xFFFFFFFE_FFFFFFFF_FFFFFFFF_FFFFFFFF_7203DF6B_21C6052B_53BBF409_39D54123


class EnvelopeError(ValueError):
    """An envelope that cannot be opened, or a key that is not an SM2 key."""


def generate_keypair() -> tuple[str, str]:
    """A new SM2 key pair as (private key hex, 64 digits; public key hex, 130 digits)."""
    private, public = SM2().generate_keypair()
    return bytes(private).rjust(32, b"\x00").hex(), bytes(public).hex()


def public_key_of(private_key_hex: str) -> str:
    """The public key (hex) that belongs to a private key, to check a deployment's pair."""
    return bytes(SM2().generate_pk(_private_key(private_key_hex))).hex()


def seal(public_key_hex: str, plaintext: bytes) -> bytes:
    """The plaintext in a version-1 envelope that only the holder of the private key opens."""
    public = _public_key(public_key_hex)
    data_key = secrets.token_bytes(_KEY_BYTES)
    nonce = secrets.token_bytes(_NONCE_BYTES)
    wrapped = bytes(SM2(pk=public).encrypt(data_key))
    if len(wrapped) != _WRAPPED_BYTES:  # gmalg writes uncompressed points unless told not to
        raise EnvelopeError(f"SM2 wrapped the data key in {len(wrapped)} bytes, not 113")
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
        data_key = bytes(SM2(sk=private).decrypt(wrapped))
    except (GMError, ValueError, IndexError):
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


def _public_key(text: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except (ValueError, TypeError):
        raise EnvelopeError("the SM2 public key must be hex (04, then x and y)") from None
    try:
        valid = len(raw) == 65 and raw[0] == 4 and bool(SM2().verify_pk(raw))
    except (GMError, ValueError, IndexError):
        valid = False
    if not valid:
        raise EnvelopeError("not an SM2 public key: 130 hex digits, 04 then a point on the curve")
    return raw

"""The one cryptography module of Xunshi: 国密 only (SM3, HMAC-SM3, SM4-GCM).

Every other module hashes, MACs and encrypts through the functions here, so that a
certified device (密码卡 / 密码机 behind an SDF interface) can later replace this
software implementation without touching callers. The primitives come from the
``cryptography`` package; SM2 signatures (:func:`sm2_sign_hex`, :func:`sm2_verify_hex`, for the
audit trail's checkpoints) come from ``gmalg``, which ``cryptography`` lacks.

Sealed values are ASCII strings that carry their algorithm, so stored data says how to
open it and a future algorithm can sit beside the current one::

    sm4gcm1:<base64url(nonce ‖ ciphertext ‖ tag), unpadded>

with a random 12-byte nonce and a 16-byte tag. ``aad`` binds a ciphertext to its place
(for example ``b"person.id_number:42"``) so that it cannot be copied into another row.
Keys are 16 bytes; :func:`derive_key` turns one master key into independent keys per
purpose (field encryption, blind index), using HKDF with SM3.

:func:`self_test` runs the known-answer tests (SM3, SM4, SM4-GCM from RFC 8998 A.1) and
is meant to be called at start-up.

One function is not 国密: :func:`pbkdf2_sha256`, Django's password hash (PBKDF2-HMAC-SHA256),
computed here because this package's OpenSSL does it in half the time of the system's OpenSSL
3.0 that ``hashlib`` uses (``xunshi.accounts.hashers``).
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from gmalg import SM2
from gmalg.errors import GMError

__all__ = [
    "KEY_SIZE",
    "SEAL_TAG",
    "CryptoError",
    "derive_key",
    "hmac_sm3_hex",
    "hmac_sm3_keyed",
    "open_sealed",
    "open_sealed_bytes",
    "passphrase_key",
    "pbkdf2_sha256",
    "seal",
    "seal_bytes",
    "self_test",
    "sm2_generate_keypair",
    "sm2_sign_hex",
    "sm2_verify_hex",
    "sm3_hex",
]

#: Size in bytes of SM4 keys and of keys returned by :func:`derive_key`.
KEY_SIZE = 16
#: Algorithm tag of tokens made by :func:`seal`.
SEAL_TAG = "sm4gcm1"

_NONCE_SIZE = 12
_GCM_TAG_SIZE = 16
_MIN_SECRET_SIZE = 16
_HKDF_INFO_PREFIX = b"xunshi/derive_key/v1:"


class CryptoError(Exception):
    """A sealed value could not be opened: wrong key, tampering or unknown format."""


def sm3_hex(data: bytes) -> str:
    """Return the SM3 digest of ``data`` as 64 lower-case hex characters."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_keyed(key: bytes) -> _hmac.HMAC:
    """An HMAC-SM3 keyed once, to be copied for each message (``.copy()``, ``.update``,
    ``.finalize``): for a run of many, such as the audit chain's verification."""
    if len(key) < _MIN_SECRET_SIZE:
        raise ValueError(f"HMAC key must be at least {_MIN_SECRET_SIZE} bytes")
    return _hmac.HMAC(key, hashes.SM3())


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    """Return HMAC-SM3 of ``data`` as hex (for blind indexes; key of 16+ bytes)."""
    if len(key) < _MIN_SECRET_SIZE:
        raise ValueError(f"HMAC key must be at least {_MIN_SECRET_SIZE} bytes")
    mac = _hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise ValueError(f"SM4 key must be {KEY_SIZE} bytes")


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CryptoError("sealed value is not valid base64url") from exc
    # Only the canonical spelling is accepted, so one ciphertext has one token.
    if _b64encode(raw) != text:
        raise CryptoError("sealed value is not canonical base64url")
    return raw


def seal(key: bytes, plaintext: bytes, *, aad: bytes = b"") -> str:
    """Encrypt and authenticate ``plaintext`` with SM4-GCM; return an ASCII token."""
    _check_key(key)
    nonce = os.urandom(_NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return f"{SEAL_TAG}:{_b64encode(nonce + ciphertext + encryptor.tag)}"


def open_sealed(key: bytes, token: str, *, aad: bytes = b"") -> bytes:
    """Return the plaintext of a token made by :func:`seal`, or raise CryptoError."""
    _check_key(key)
    if not isinstance(token, str):
        raise CryptoError("sealed value must be a string")
    algorithm, sep, body = token.partition(":")
    if not sep or algorithm != SEAL_TAG:
        raise CryptoError("unknown algorithm tag in sealed value")
    raw = _b64decode(body)
    if len(raw) < _NONCE_SIZE + _GCM_TAG_SIZE:
        raise CryptoError("sealed value is too short")
    nonce = raw[:_NONCE_SIZE]
    ciphertext = raw[_NONCE_SIZE:-_GCM_TAG_SIZE]
    tag = raw[-_GCM_TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise CryptoError("sealed value failed authentication") from exc


#: The first bytes of a binary value made by :func:`seal_bytes` (files, archives).
BYTES_MAGIC = b"XSM4G1\n"


def seal_bytes(key: bytes, plaintext: bytes, *, aad: bytes = b"") -> bytes:
    """Encrypt ``plaintext`` with SM4-GCM as bytes: magic ‖ nonce ‖ ciphertext ‖ tag.

    The binary twin of :func:`seal`, for what is stored as a file (attachments, backup
    archives), where base64 would cost a third more space."""
    _check_key(key)
    nonce = os.urandom(_NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return BYTES_MAGIC + nonce + ciphertext + encryptor.tag


def open_sealed_bytes(key: bytes, sealed: bytes, *, aad: bytes = b"") -> bytes:
    """Return the plaintext of bytes made by :func:`seal_bytes`, or raise CryptoError."""
    _check_key(key)
    if not sealed.startswith(BYTES_MAGIC):
        raise CryptoError("not a sealed value (magic missing)")
    raw = sealed[len(BYTES_MAGIC) :]
    if len(raw) < _NONCE_SIZE + _GCM_TAG_SIZE:
        raise CryptoError("sealed value is too short")
    nonce, tag = raw[:_NONCE_SIZE], raw[-_GCM_TAG_SIZE:]
    ciphertext = raw[_NONCE_SIZE:-_GCM_TAG_SIZE]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise CryptoError("sealed value failed authentication") from exc


def derive_key(master: bytes, purpose: str) -> bytes:
    """Derive a 16-byte key for one ``purpose`` (say "field" or "blind-index")."""
    if len(master) < _MIN_SECRET_SIZE:
        raise ValueError(f"master key must be at least {_MIN_SECRET_SIZE} bytes")
    if not purpose:
        raise ValueError("purpose must not be empty")
    hkdf = HKDF(
        algorithm=hashes.SM3(),
        length=KEY_SIZE,
        salt=None,
        info=_HKDF_INFO_PREFIX + purpose.encode("utf-8"),
    )
    return hkdf.derive(master)


def passphrase_key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    """A 16-byte key from a passphrase a person keeps (PBKDF2 with HMAC-SM3, slow on purpose):
    for what must open without the machine's keys, such as the exported keys of a backup."""
    if len(salt) < _MIN_SECRET_SIZE:
        raise ValueError(f"salt must be at least {_MIN_SECRET_SIZE} bytes")
    if iterations < 100_000:
        raise ValueError("at least 100000 iterations")
    kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=KEY_SIZE, salt=salt, iterations=iterations)
    return kdf.derive(passphrase.encode("utf-8"))


def pbkdf2_sha256(password: bytes, salt: bytes, iterations: int) -> bytes:
    """PBKDF2-HMAC-SHA256, 32 bytes: the same bytes as ``hashlib.pbkdf2_hmac("sha256", ...)``
    (RFC 8018), from this package's OpenSSL, which takes about half the time for Django's
    1,000,000 iterations (0.13 s against 0.28-0.30 s of CPU here, 2026-12-07)."""
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(password)


# The signer's identity of GB/T 35276 (the default ID of SM2 signatures).
_SM2_UID = b"1234567812345678"


def sm2_generate_keypair() -> tuple[str, str]:
    """A new SM2 key pair as (private key, 64 hex digits; public key, 130 hex digits)."""
    private, public = SM2().generate_keypair()
    return bytes(private).rjust(32, b"\x00").hex(), bytes(public).hex()


def sm2_sign_hex(private_key_hex: str, public_key_hex: str, data: bytes) -> str:
    """The SM2 signature of data (with SM3 and the default signer ID) as r ‖ s, 128 hex digits."""
    signer = SM2(sk=bytes.fromhex(private_key_hex), pk=bytes.fromhex(public_key_hex), uid=_SM2_UID)
    r, s = signer.sign(data)
    return bytes(r).rjust(32, b"\x00").hex() + bytes(s).rjust(32, b"\x00").hex()


def sm2_verify_hex(public_key_hex: str, data: bytes, signature_hex: str) -> bool:
    """Whether signature_hex (r ‖ s, as :func:`sm2_sign_hex` writes it) signs data."""
    try:
        raw = bytes.fromhex(signature_hex)
        public = bytes.fromhex(public_key_hex)
    except (ValueError, TypeError):
        return False
    if len(raw) != 64 or len(public) != 65 or public[0] != 4:
        return False
    try:
        verifier = SM2(pk=public, uid=_SM2_UID)
        return bool(verifier.verify(data, raw[:32], raw[32:]))
    # gmalg is pure Python: a point off the curve fails in its arithmetic, not with GMError.
    except (GMError, ArithmeticError, AttributeError, TypeError, ValueError, IndexError):
        return False


# Known answers: SM3 from GB/T 32905 A.1, SM4 from GB/T 32907 A.1,
# SM4-GCM from RFC 8998 A.1.
_SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
_SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
_SM4_BLOCK_OUT = bytes.fromhex("681edf34d206965e86b3e94f536e4246")
_GCM_IV = bytes.fromhex("00001234567800000000abcd")
_GCM_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
_GCM_PLAIN = bytes.fromhex(
    "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
    "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa"
)
_GCM_CIPHER = bytes.fromhex(
    "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
    "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
)
_GCM_TAG = bytes.fromhex("83de3541e4c2b58177e065a9bf7b62ec")


def self_test() -> None:
    """Run known-answer tests and a seal round trip; raise CryptoError on failure."""
    if sm3_hex(b"abc") != _SM3_ABC:
        raise CryptoError("SM3 known-answer test failed")
    # ECB on a single block is the bare SM4 block function, used only for this test.
    encryptor = Cipher(algorithms.SM4(_SM4_KEY), modes.ECB()).encryptor()  # noqa: S305  # nosec B305
    if encryptor.update(_SM4_KEY) + encryptor.finalize() != _SM4_BLOCK_OUT:
        raise CryptoError("SM4 known-answer test failed")
    gcm = Cipher(algorithms.SM4(_SM4_KEY), modes.GCM(_GCM_IV)).encryptor()
    gcm.authenticate_additional_data(_GCM_AAD)
    out = gcm.update(_GCM_PLAIN) + gcm.finalize()
    if out != _GCM_CIPHER or gcm.tag != _GCM_TAG:
        raise CryptoError("SM4-GCM known-answer test failed")
    if open_sealed(_SM4_KEY, seal(_SM4_KEY, b"abc", aad=b"t"), aad=b"t") != b"abc":
        raise CryptoError("seal round trip failed")

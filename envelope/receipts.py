"""Receipt codes a person can copy from a phone, their stored digests, and SM3."""

from __future__ import annotations

import math
import secrets
import unicodedata

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

__all__ = [
    "RECEIPT_ALPHABET",
    "RECEIPT_BITS",
    "RECEIPT_LENGTH",
    "normalize_receipt",
    "receipt_code",
    "receipt_hmac",
    "receipt_pbkdf2",
    "sm3_hex",
]

# Digits and capitals without 0/O and 1/I/L: 31 symbols, since no 32nd is left unambiguous.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 20
RECEIPT_BITS = RECEIPT_LENGTH * math.log2(len(RECEIPT_ALPHABET))  # ≈ 99.1
_GROUP = 4

# Capitals from other scripts that a phone keyboard or a copy from a chat may put in their
# place; after NFKC (which folds full-width Ａ to A) and upper-casing.
_LOOK_ALIKES = str.maketrans(
    {
        **dict.fromkeys("АΑ", "A"), **dict.fromkeys("ВΒ", "B"), **dict.fromkeys("СϹ", "C"),
        **dict.fromkeys("ЕΕ", "E"), **dict.fromkeys("НΗ", "H"), **dict.fromkeys("КΚ", "K"),
        **dict.fromkeys("МΜ", "M"), **dict.fromkeys("Ν", "N"), **dict.fromkeys("РΡ", "P"),
        **dict.fromkeys("ТΤ", "T"), **dict.fromkeys("ХΧ", "X"), **dict.fromkeys("УΥ", "Y"),
        **dict.fromkeys("Ζ", "Z"),
    }
)  # fmt: skip


def receipt_code() -> str:
    """A new receipt: 20 symbols from `secrets` in groups of four, like ``7KQM-2WXF-…``."""
    symbols = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return "-".join(symbols[i : i + _GROUP] for i in range(0, RECEIPT_LENGTH, _GROUP))


def normalize_receipt(text: str) -> str:
    """The receipt as typed back, in its compact form: capitals, no spaces or dashes.

    Full-width letters and digits (a Chinese input method's) become ASCII, Cyrillic and
    Greek capitals that look like Latin ones become those. 0, O, 1, I and L are left as they
    are: no receipt contains them, so mapping them to anything could only match a receipt
    the person was not given.
    """
    text = unicodedata.normalize("NFKC", text).upper().translate(_LOOK_ALIKES)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Pd")


def receipt_hmac(code: str, key: bytes) -> str:
    """HMAC-SM3 (hex, 256 bits) of the normalized receipt with a server-side key: the stored form.

    A receipt holds about 99 random bits, so it needs no stretching: whoever steals the
    database without the key (which lives in the portal's environment, not in the database)
    cannot test a single guess, and with the key a guess still costs one of 2^99. The key
    is at least 16 bytes.
    """
    if len(key) < 16:
        raise ValueError("the receipt key must be at least 16 bytes")
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(normalize_receipt(code).encode("utf-8"))
    return mac.finalize().hex()


def receipt_pbkdf2(code: str, salt: bytes, iterations: int = 200_000) -> str:
    """PBKDF2-HMAC-SM3 (hex, 256 bits) of the normalized receipt: the form stored before
    `receipt_hmac`, still computed to find a report whose digest was not re-keyed yet.

    The salt is the system's own (at least 16 bytes), the same for every receipt so that a
    receipt typed back can be looked up by its digest.
    """
    if len(salt) < 16:
        raise ValueError("the receipt salt must be at least 16 bytes")
    if iterations < 1:
        raise ValueError("PBKDF2 needs at least one iteration")
    kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(normalize_receipt(code).encode("utf-8")).hex()


def sm3_hex(data: bytes) -> str:
    """The SM3 hash of data, 64 hex digits."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()

"""Receipt codes: entropy, form, normalization; their digests; SM3."""

from __future__ import annotations

import math
import re

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from envelope import (
    RECEIPT_ALPHABET,
    RECEIPT_BITS,
    RECEIPT_LENGTH,
    normalize_receipt,
    receipt_code,
    receipt_hmac,
    receipt_pbkdf2,
    sm3_hex,
)

SALT = b"portal-system-salt-16+"
KEY = bytes.fromhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
FAST = 1000  # iterations for tests that only compare digests


def test_it_has_at_least_80_bits_computed_from_the_alphabet_and_length():
    assert len(set(RECEIPT_ALPHABET)) == len(RECEIPT_ALPHABET) == 31
    bits = RECEIPT_LENGTH * math.log2(len(set(RECEIPT_ALPHABET)))
    assert bits >= 80
    assert RECEIPT_BITS == pytest.approx(bits) == pytest.approx(99.08, abs=0.01)


def test_it_leaves_out_the_symbols_people_confuse():
    assert not set("0O1IL") & set(RECEIPT_ALPHABET)
    assert set(RECEIPT_ALPHABET) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def test_it_writes_five_groups_of_four():
    code = receipt_code()
    group = f"[{RECEIPT_ALPHABET}]{{4}}"
    assert re.fullmatch(f"{group}(-{group}){{4}}", code)


def test_a_thousand_receipts_are_distinct_and_use_the_whole_alphabet():
    codes = [receipt_code() for _ in range(1000)]
    assert len(set(codes)) == 1000
    symbols = "".join(normalize_receipt(c) for c in codes)
    assert set(symbols) == set(RECEIPT_ALPHABET)
    # 20,000 symbols: each of the 31 is expected 645 times; far from it would mean a bias.
    counts = [symbols.count(s) for s in RECEIPT_ALPHABET]
    assert min(counts) > 500 and max(counts) < 800


@pytest.mark.parametrize(
    "typed",
    [
        "7KQM-2WXF-ABCD-EFGH-JKMN",
        "7kqm 2wxf abcd efgh jkmn",
        " 7KQM2WXFABCDEFGHJKMN\n",
        # full-width, from a Chinese input method
        "７ＫＱＭ－２ＷＸＦ－ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ",
        "7KQM–2WXF—ABCD‐EFGH JKMN",  # dashes a phone or a chat may substitute
        "7ΚQΜ-2WXF-ΑВСD-ЕFGН-JΚМΝ",  # Greek and Cyrillic capitals that look Latin
    ],
)
def test_it_normalizes_what_a_person_types_back(typed):
    assert normalize_receipt(typed) == "7KQM2WXFABCDEFGHJKMN"


def test_it_does_not_guess_at_symbols_no_receipt_has():
    assert normalize_receipt("o0il-1") == "O0IL1"


def test_the_stored_digest_is_deterministic_per_key_and_differs_across_keys():
    code = receipt_code()
    a = receipt_hmac(code, KEY)
    assert a == receipt_hmac(code, KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", a)
    assert a != receipt_hmac(code, KEY[:-1] + b"x")
    assert a != receipt_hmac(receipt_code(), KEY)


def test_the_stored_digest_is_of_the_normalized_code():
    code = receipt_code()
    typed = code.lower().replace("-", " ")
    assert receipt_hmac(typed, KEY) == receipt_hmac(code, KEY)


def test_the_stored_digest_is_hmac_sm3_as_rfc_2104_builds_it():
    # HMAC built by hand from SM3 (64-byte blocks), not through the library's HMAC.
    block = KEY.ljust(64, b"\0")
    inner = bytes.fromhex(sm3_hex(bytes(b ^ 0x36 for b in block) + b"ABCDEFGH"))
    expected = sm3_hex(bytes(b ^ 0x5C for b in block) + inner)
    assert receipt_hmac("abcd-efgh", KEY) == expected


def test_it_refuses_a_short_key():
    with pytest.raises(ValueError, match="16 bytes"):
        receipt_hmac(receipt_code(), b"short")


def test_the_old_digest_is_deterministic_per_salt_and_differs_across_salts():
    code = receipt_code()
    a = receipt_pbkdf2(code, SALT, iterations=FAST)
    assert a == receipt_pbkdf2(code, SALT, iterations=FAST)
    assert re.fullmatch(r"[0-9a-f]{64}", a)
    assert a != receipt_pbkdf2(code, SALT + b"x", iterations=FAST)
    assert a != receipt_pbkdf2(code, SALT, iterations=FAST + 1)
    assert a != receipt_pbkdf2(receipt_code(), SALT, iterations=FAST)
    assert a != receipt_hmac(code, SALT)


def test_the_old_digest_is_pbkdf2_hmac_sm3_of_the_normalized_code():
    kdf = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=SALT, iterations=FAST)
    assert receipt_pbkdf2("abcd efgh", SALT, FAST) == kdf.derive(b"ABCDEFGH").hex()


def test_it_refuses_a_short_salt():
    with pytest.raises(ValueError, match="16 bytes"):
        receipt_pbkdf2(receipt_code(), b"short")


def test_sm3_matches_the_standards_example():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

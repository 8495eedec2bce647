from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from xunshi.lib.crypto import (
    SEAL_TAG,
    CryptoError,
    derive_key,
    hmac_sm3_hex,
    open_sealed,
    open_sealed_bytes,
    passphrase_key,
    seal,
    seal_bytes,
    self_test,
    sm2_generate_keypair,
    sm2_sign_hex,
    sm2_verify_hex,
    sm3_hex,
)

KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
OTHER_KEY = bytes.fromhex("fedcba98765432100123456789abcdef")
TEXT = "举报人：张三，身份证号码 11010519491231002X，反映某局违规发放津补贴。".encode()


def flip_one_character(token: str, position: int) -> str:
    tag, body = token.split(":", 1)
    chars = list(body)
    chars[position] = "A" if chars[position] != "A" else "B"
    return f"{tag}:{''.join(chars)}"


def test_it_matches_the_sm3_known_answer() -> None:
    assert sm3_hex(b"abc") == ("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


def test_it_matches_the_sm4_known_answer() -> None:
    # GB/T 32907 example: key and plaintext are the same block.
    encryptor = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor()  # noqa: S305
    out = encryptor.update(KEY) + encryptor.finalize()
    assert out.hex() == "681edf34d206965e86b3e94f536e4246"


def test_it_passes_its_start_up_self_test() -> None:
    self_test()


def test_it_gives_a_keyed_blind_index() -> None:
    index = hmac_sm3_hex(KEY, b"11010519491231002X")
    assert len(index) == 64
    assert index == hmac_sm3_hex(KEY, b"11010519491231002X")
    assert index != hmac_sm3_hex(OTHER_KEY, b"11010519491231002X")
    assert index != sm3_hex(b"11010519491231002X")
    with pytest.raises(ValueError, match="at least 16 bytes"):
        hmac_sm3_hex(b"short", b"x")


def test_it_round_trips_chinese_text() -> None:
    token = seal(KEY, TEXT, aad=b"report.body:42")
    assert token.startswith(SEAL_TAG + ":")
    assert token.isascii()
    assert "张三".encode() not in token.encode()
    assert open_sealed(KEY, token, aad=b"report.body:42").decode() == TEXT.decode()


def test_it_round_trips_empty_plaintext() -> None:
    assert open_sealed(KEY, seal(KEY, b"")) == b""


def test_it_seals_the_same_text_differently_each_time() -> None:
    assert seal(KEY, TEXT) != seal(KEY, TEXT)


@pytest.mark.parametrize("position", [0, 15, 20, -1])
def test_it_rejects_a_tampered_token(position: int) -> None:
    token = seal(KEY, TEXT)
    with pytest.raises(CryptoError):
        open_sealed(KEY, flip_one_character(token, position))


def test_it_rejects_every_single_bit_flip() -> None:
    token = seal(KEY, "津补贴".encode())
    raw = base64.urlsafe_b64decode(token.split(":", 1)[1] + "==")
    for bit in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 1 << (bit % 8)
        body = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
        with pytest.raises(CryptoError):
            open_sealed(KEY, f"{SEAL_TAG}:{body}")


def test_it_rejects_a_truncated_or_padded_token() -> None:
    token = seal(KEY, TEXT)
    for bad in [token[:-4], token + "A", token + "=", token[: len(SEAL_TAG) + 10]]:
        with pytest.raises(CryptoError):
            open_sealed(KEY, bad)


def test_it_rejects_the_wrong_key() -> None:
    with pytest.raises(CryptoError):
        open_sealed(OTHER_KEY, seal(KEY, TEXT))


def test_it_rejects_a_ciphertext_moved_to_another_place() -> None:
    token = seal(KEY, TEXT, aad=b"person.id_number:1")
    with pytest.raises(CryptoError):
        open_sealed(KEY, token, aad=b"person.id_number:2")
    with pytest.raises(CryptoError):
        open_sealed(KEY, token)


@pytest.mark.parametrize("prefix", ["aes256gcm1", "sm4gcm2", "SM4GCM1", ""])
def test_it_rejects_an_unknown_algorithm_tag(prefix: str) -> None:
    body = seal(KEY, TEXT).split(":", 1)[1]
    with pytest.raises(CryptoError, match="unknown algorithm"):
        open_sealed(KEY, f"{prefix}:{body}")
    with pytest.raises(CryptoError):
        open_sealed(KEY, body)


def test_it_rejects_keys_of_the_wrong_size() -> None:
    for bad_key in [b"", KEY[:15], KEY + b"\x00", KEY * 2]:
        with pytest.raises(ValueError, match="16 bytes"):
            seal(bad_key, TEXT)
        with pytest.raises(ValueError, match="16 bytes"):
            open_sealed(bad_key, "sm4gcm1:AAAA")


def test_it_derives_different_keys_per_purpose() -> None:
    master = bytes(range(32))
    field_key = derive_key(master, "field")
    index_key = derive_key(master, "blind-index")
    assert len(field_key) == len(index_key) == 16
    assert field_key != index_key
    assert field_key == derive_key(master, "field")
    assert field_key != derive_key(bytes(range(1, 33)), "field")
    assert open_sealed(field_key, seal(field_key, TEXT)) == TEXT


def test_it_refuses_a_weak_master_key_or_empty_purpose() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        derive_key(b"short", "field")
    with pytest.raises(ValueError, match="purpose"):
        derive_key(bytes(32), "")


def test_it_imports_without_django() -> None:
    code = "import sys, xunshi.lib.crypto; assert 'django' not in sys.modules"
    project_root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=project_root)


def test_an_sm2_signature_holds_for_its_data_and_key_only() -> None:
    private, public = sm2_generate_keypair()
    signature = sm2_sign_hex(private, public, "检查点".encode())
    assert len(signature) == 128 and sm2_verify_hex(public, "检查点".encode(), signature)
    assert not sm2_verify_hex(public, "检查点!".encode(), signature)
    assert not sm2_verify_hex(sm2_generate_keypair()[1], "检查点".encode(), signature)
    for bad in ["", "zz", signature[:-2], "00" * 64]:
        assert not sm2_verify_hex(public, "检查点".encode(), bad)
    assert not sm2_verify_hex("04" + "11" * 64, "检查点".encode(), signature)  # off the curve


def test_sealed_bytes_round_trip_and_hide_the_plaintext() -> None:
    sealed = seal_bytes(KEY, TEXT, aad=b"files.attachment:7")
    assert TEXT not in sealed and "张三".encode() not in sealed
    assert open_sealed_bytes(KEY, sealed, aad=b"files.attachment:7") == TEXT
    assert seal_bytes(KEY, TEXT) != seal_bytes(KEY, TEXT)


def test_sealed_bytes_refuse_tampering_the_wrong_key_place_or_format() -> None:
    sealed = seal_bytes(KEY, TEXT, aad=b"a")
    flipped = bytearray(sealed)
    flipped[-20] ^= 1
    for bad_key, bad, aad in (
        (KEY, bytes(flipped), b"a"),
        (OTHER_KEY, sealed, b"a"),
        (KEY, sealed, b"b"),
        (KEY, TEXT, b"a"),
        (KEY, sealed[:20], b"a"),
    ):
        with pytest.raises(CryptoError):
            open_sealed_bytes(bad_key, bad, aad=aad)


def test_a_passphrase_key_is_pbkdf2_with_hmac_sm3_and_refuses_weak_parameters() -> None:
    # OpenSSL's own PBKDF2 through hashlib, an implementation apart from `cryptography`'s KDF.
    expected = hashlib.pbkdf2_hmac("sm3", "演练口令".encode(), b"s" * 16, 100_000, 16)
    assert passphrase_key("演练口令", b"s" * 16, 100_000) == expected
    assert passphrase_key("演练口令", b"t" * 16, 100_000) != expected
    with pytest.raises(ValueError):
        passphrase_key("演练口令", b"short", 100_000)
    with pytest.raises(ValueError):
        passphrase_key("演练口令", b"s" * 16, 1000)

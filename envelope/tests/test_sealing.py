"""seal and open_envelope: round trips, and every way an envelope can be damaged is refused."""

from __future__ import annotations

import secrets
import struct
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmalg import SM2

import envelope
from envelope import EnvelopeError, generate_keypair, open_envelope, public_key_of, seal

# One key pair for the module.
PRIVATE, PUBLIC = generate_keypair()
HEADER = 7 + 113 + 12  # magic, version, length; wrapped key; nonce


@pytest.mark.parametrize("size", [0, 1, 1024 * 1024])
def test_it_opens_what_it_sealed_at_any_size(size):
    plaintext = secrets.token_bytes(size)
    blob = seal(PUBLIC, plaintext)
    assert len(blob) == HEADER + size + 16
    assert open_envelope(PRIVATE, blob) == plaintext


def test_it_writes_the_documented_header():
    blob = seal(PUBLIC, b"x")
    magic, version, wrapped = struct.unpack_from(">4sBH", blob)
    assert (magic, version, wrapped) == (b"XSEV", 1, 113)
    assert blob[7] == 0x04  # C1 is an uncompressed point


def test_the_envelope_shows_nothing_of_the_plaintext():
    plaintext = ("举报内容：县财政局某科长收受红包。CANARY-" + secrets.token_hex(8)).encode()
    blob = seal(PUBLIC, plaintext * 20)
    # No 8-byte run of the plaintext appears anywhere in the envelope.
    for i in range(0, len(plaintext) - 8):
        assert plaintext[i : i + 8] not in blob
    assert b"CANARY" not in blob


def test_each_envelope_has_its_own_key_and_nonce():
    a, b = seal(PUBLIC, b"same"), seal(PUBLIC, b"same")
    assert a[7:HEADER] != b[7:HEADER]
    assert a[HEADER:] != b[HEADER:]


def test_it_refuses_the_wrong_private_key():
    other_private, _ = generate_keypair()
    with pytest.raises(EnvelopeError, match="does not unwrap with this private key"):
        open_envelope(other_private, seal(PUBLIC, b"secret"))


@pytest.mark.parametrize("length", [0, 3, 4, 6, 7, 50, 119, 120, 131, 132, 147, 148, 160, 187])
def test_it_refuses_every_truncated_prefix(length):
    blob = seal(PUBLIC, b"a report of 40 bytes, give or take a few")
    assert len(blob) == 188
    with pytest.raises(EnvelopeError) as e:
        open_envelope(PRIVATE, blob[:length])
    assert any(
        words in str(e.value)
        for words in ("not an envelope", "truncated", "does not unwrap", "does not authenticate")
    )


def test_it_refuses_a_cut_off_tail_and_bytes_appended():
    blob = seal(PUBLIC, b"x" * 100)
    for damaged in (blob[:-1], blob[:-17], blob + b"\x00"):
        with pytest.raises(EnvelopeError, match="does not authenticate"):
            open_envelope(PRIVATE, damaged)


REGIONS = {
    "magic": (0, "not an envelope"),
    "version": (4, "unknown envelope version"),
    "wrapped length": (6, "wrapped key is said to be"),
    "C1 (point)": (8, "does not unwrap"),
    "C1 (point format byte)": (7, "does not unwrap"),
    "C3 (hash)": (7 + 65 + 5, "does not unwrap"),
    "C2 (data key)": (7 + 97 + 3, "does not unwrap"),
    "nonce": (7 + 113 + 4, "does not authenticate"),
    "ciphertext": (HEADER + 10, "does not authenticate"),
    "tag": (-3, "does not authenticate"),
}


@pytest.mark.parametrize("region", REGIONS)
def test_it_refuses_a_flipped_bit_in_every_region(region):
    blob = bytearray(seal(PUBLIC, b"0123456789abcdefghij"))
    offset, message = REGIONS[region]
    for bit in (0, 7):
        damaged = bytearray(blob)
        damaged[offset] ^= 1 << bit
        with pytest.raises(EnvelopeError, match=message):
            open_envelope(PRIVATE, bytes(damaged))


def test_a_flipped_bit_anywhere_in_a_small_envelope_is_refused():
    blob = seal(PUBLIC, b"ok")
    # Every byte of the prefix, then every fifth: each SM2 unwrap takes ~15 ms.
    for offset in [*range(7), *range(7, len(blob), 5), len(blob) - 1]:
        damaged = bytearray(blob)
        damaged[offset] ^= 0x80
        with pytest.raises(EnvelopeError):
            open_envelope(PRIVATE, bytes(damaged))


def test_it_names_an_unknown_version():
    blob = bytearray(seal(PUBLIC, b"x"))
    blob[4] = 2
    with pytest.raises(
        EnvelopeError, match="unknown envelope version 2: this code opens version 1"
    ):
        open_envelope(PRIVATE, bytes(blob))


@pytest.mark.parametrize("length", [0, 2, 4, 6])
def test_the_first_bytes_of_an_envelope_are_called_truncated(length):
    with pytest.raises(EnvelopeError, match=f"truncated envelope: {length} bytes"):
        open_envelope(PRIVATE, seal(PUBLIC, b"x")[:length])


def test_the_error_is_a_value_error():
    with pytest.raises(ValueError, match="not an envelope"):
        open_envelope(PRIVATE, b"%PDF-1.7 not an envelope")


def test_it_interoperates_with_a_key_pair_made_by_gmalg_itself():
    sk, pk = SM2().generate_keypair()
    private, public = bytes(sk).rjust(32, b"\x00").hex(), bytes(pk).hex()
    blob = seal(public, "线索".encode())
    assert open_envelope(private, blob) == "线索".encode()
    # The wrapped key is plain GB/T 32918.4 C1‖C3‖C2 that gmalg decrypts on its own.
    assert len(SM2(sk=sk).decrypt(blob[7 : 7 + 113])) == 16


def test_an_envelope_whose_key_gmalg_wrapped_opens():
    """Sealed by one implementation (gmalg's pure Python), opened by the other (GmSSL)."""
    sk, pk = SM2().generate_keypair()
    private, public = bytes(sk).rjust(32, b"\x00").hex(), bytes(pk).hex()
    theirs = bytes(SM2(pk=pk).encrypt(b"k" * 16))
    ours = seal(public, b"")
    # The same envelope with gmalg's wrapping of another data key in place of GmSSL's.
    header = ours[:7] + theirs + ours[7 + 113 : HEADER]
    encryptor = Cipher(algorithms.SM4(b"k" * 16), modes.GCM(header[-12:])).encryptor()
    encryptor.authenticate_additional_data(header)
    body = encryptor.update("线索".encode()) + encryptor.finalize()
    assert open_envelope(private, header + body + encryptor.tag) == "线索".encode()


@pytest.mark.parametrize("at", [1, 33], ids=["x", "y"])
def test_a_point_whose_coordinate_starts_with_a_zero_byte_round_trips(at):
    # GmSSL writes C1's coordinates as DER integers, which drop leading zero bytes: one
    # envelope in 256 has such an x (or y); the envelope still holds all 32 bytes.
    blob = next(b for b in (seal(PUBLIC, b"z") for _ in range(20_000)) if b[7 + at] == 0)
    assert open_envelope(PRIVATE, blob) == b"z"
    key = SM2(sk=bytes.fromhex(PRIVATE)).decrypt(blob[7 : 7 + 113])
    assert len(key) == 16


def test_its_key_pairs_work_with_gmalg_directly():
    private, public = generate_keypair()
    assert (len(private), len(public)) == (64, 130)
    assert public_key_of(private) == public
    wrapped = SM2(pk=bytes.fromhex(public)).encrypt(b"k" * 16)
    assert SM2(sk=bytes.fromhex(private)).decrypt(wrapped) == b"k" * 16


@pytest.mark.parametrize(
    "public",
    [
        "",
        "zz",
        "04" + "00" * 64,  # not on the curve
        PUBLIC[:-2],
        "02" + PUBLIC[2:66],  # compressed points are not accepted
    ],
    ids=["empty", "not hex", "off the curve", "cut short", "compressed"],
)
def test_it_refuses_to_seal_for_something_that_is_not_a_public_key(public):
    with pytest.raises(EnvelopeError, match="SM2 public key"):
        seal(public, b"x")


@pytest.mark.parametrize(
    "private",
    ["", "xyz", "00" * 32, "ff" * 32, PRIVATE[:-2]],
    ids=["empty", "not hex", "zero", "beyond the order", "cut short"],
)
def test_it_refuses_a_private_key_that_is_not_one(private):
    with pytest.raises(EnvelopeError, match="SM2 private key"):
        open_envelope(private, seal(PUBLIC, b"x"))


def test_it_imports_no_django_and_no_project_code():
    code = (
        "import sys, envelope; bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'xunshi', 'config', 'portal', 'uploadscan'}]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_its_public_api_is_listed():
    from envelope import receipts, sealing

    assert set(envelope.__all__) == set(sealing.__all__) | set(receipts.__all__)
    assert all(hasattr(envelope, name) for name in envelope.__all__)

"""Digital envelopes, receipt codes and SM3, for the public portal and the internal app.

Pure Python, no Django: the portal seals what a citizen sends with the office's SM2 public
key, and only the internal app, which holds the private key, can open it. Both import this
package; it imports neither of them.

**The envelope.** Each call to `seal` draws a fresh random 128-bit SM4 data key and a 96-bit
nonce, encrypts the plaintext with SM4-GCM, and wraps the data key with SM2 public-key
encryption (GB/T 32918.4, ciphertext in the C1‖C3‖C2 order) to the office's public key.
Version 1 of the binary format, all integers big-endian::

    offset   size   field
    0        4      magic b"XSEV"
    4        1      version, 1
    5        2      L, the length of the wrapped key (113 in version 1)
    7        L      the wrapped data key: C1 (uncompressed point, 65) ‖ C3 (SM3, 32) ‖ C2 (16)
    7 + L    12     the GCM nonce
    19 + L   n + 16 the SM4-GCM ciphertext of the n-byte plaintext, then its 16-byte tag

The header (bytes 0 to 19 + L, i.e. everything before the ciphertext) is the GCM associated
data, so no byte of an envelope can change without `open_envelope` refusing it: a change to
the wrapped key fails SM2's own C3 check, any other change fails the GCM tag. `open_envelope`
raises `EnvelopeError` (a ``ValueError``) with a sentence saying which of these happened: not
an envelope, an unknown version, truncated, a data key that does not unwrap with this private
key (wrong key, or the wrapped key altered), or content that does not authenticate.

Keys travel as hex: the private key is 64 hex digits (the 256-bit scalar), the public key 130
(``04`` ‖ x ‖ y). SM2 is GmSSL's (3.2, in C, through the gmssl_pyx binding; it speaks DER,
which `seal` and `open_envelope` convert): sealing a 60 KB report takes about 1.4 ms of CPU
here, where gmalg's pure Python, used before issue 13, took about 30 ms to wrap the data key
plus 16 ms to check the public key on every seal (BENCHMARKS-portal.md). gmalg remains for
`public_key_of` and as the other implementation the tests check envelopes against. When a
wrapped key does not unwrap, GmSSL itself writes two lines naming its source files to stderr
(nothing of the envelope); `open_envelope` raises as before.

**Receipt codes.** `receipt_code` gives a reporter 20 characters from `RECEIPT_ALPHABET`, 31
symbols that leave out 0, O, 1, I and L, in groups of four (``7KQM-2WXF-…``): 20 × log2(31)
≈ 99 bits from `secrets`. `normalize_receipt` undoes what typing it back on a phone does
(lower case, spaces, hyphens, full-width letters); `receipt_hmac` is the HMAC-SM3 of the
normalized code with a server-side key, the only form in which a receipt is stored (a code of
99 random bits needs no stretching, only a key the database does not hold). `receipt_pbkdf2`,
the PBKDF2-HMAC-SM3 with a system-wide salt that was stored before, still finds old reports.
"""

from __future__ import annotations

from .receipts import (
    RECEIPT_ALPHABET,
    RECEIPT_BITS,
    RECEIPT_LENGTH,
    normalize_receipt,
    receipt_code,
    receipt_hmac,
    receipt_pbkdf2,
    sm3_hex,
)
from .sealing import (
    FORMAT_VERSION,
    MAGIC,
    EnvelopeError,
    generate_keypair,
    open_envelope,
    public_key_of,
    seal,
)

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "RECEIPT_ALPHABET",
    "RECEIPT_BITS",
    "RECEIPT_LENGTH",
    "EnvelopeError",
    "generate_keypair",
    "normalize_receipt",
    "open_envelope",
    "public_key_of",
    "receipt_code",
    "receipt_hmac",
    "receipt_pbkdf2",
    "seal",
    "sm3_hex",
]

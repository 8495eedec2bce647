"""The stored forms of a receipt code, each marked with its scheme.

``hmac-sm3$`` (every report since issue 13): HMAC-SM3 of the normalized code with
PORTAL_RECEIPT_KEY, a key the database does not hold; one hash, so a lookup costs nothing.
``pbkdf2-sm3$``: the PBKDF2-HMAC-SM3 with PORTAL_RECEIPT_SALT that was stored before (200,000
rounds, about 0.1 s); a lookup still finds such a report, and re-keys it (receipts.py).
"""

from __future__ import annotations

from django.conf import settings

from envelope import receipt_hmac, receipt_pbkdf2

__all__ = ["HMAC_SCHEME", "PBKDF2_SCHEME", "digest_of", "old_digest_of"]

HMAC_SCHEME = "hmac-sm3$"
PBKDF2_SCHEME = "pbkdf2-sm3$"


def digest_of(code: str) -> str:
    """The form in which a receipt code is stored: its keyed HMAC-SM3, with the scheme."""
    return HMAC_SCHEME + receipt_hmac(code, settings.PORTAL_RECEIPT_KEY)


def old_digest_of(code: str) -> str:
    """The form stored before the keyed one (PBKDF2, slow): only to find an old report."""
    return PBKDF2_SCHEME + receipt_pbkdf2(
        code, settings.PORTAL_RECEIPT_SALT, iterations=settings.PORTAL_RECEIPT_ITERATIONS
    )

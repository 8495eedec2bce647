"""Looking up a report by its receipt code: slow digest, throttled per code and globally.

Whatever happens (unknown code, malformed code, throttled), the caller gets None and shows
the same page; the digest is computed before the throttles are consulted so that a throttled
attempt takes as long as any other.
"""

from __future__ import annotations

from django.conf import settings

from envelope import normalize_receipt

from .actions import digest_of
from .models import Kind, Submission
from .throttle import throttle_take

__all__ = ["receipt_clean", "receipt_find"]


def receipt_clean(text: str) -> str:
    """The code as the reporter meant it (case, spaces and look-alike letters evened out)."""
    try:
        return normalize_receipt(text)
    except (ValueError, TypeError):
        return text.strip().upper()


def receipt_find(text: str) -> Submission | None:
    """The report this receipt code opens, or None; every call counts against the limits."""
    digest = digest_of(receipt_clean(text[:100]))
    per_minute = throttle_take(
        family="lookups", key="all", seconds=60, limit=settings.PORTAL_LOOKUPS_PER_MINUTE
    )
    per_code = throttle_take(
        family="code",
        key=digest[:32],
        seconds=3600,
        limit=settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR,
    )
    if not (per_minute and per_code):
        return None
    return Submission.objects.filter(kind=Kind.REPORT, receipt_digest=digest).first()

"""Looking up a report by its receipt code: a per-code limit, then the slow digest.

The caller has already checked the lookup's proof of work and spent its nonce (views.py), so
a script pays for every guess; there is no system-wide bucket that one script could fill. A
code is counted under a keyed HMAC of it (throttle.code_key), never under a part of its
digest. Over the code's hourly limit the lookup is *busy* (the 系统繁忙 page), whether or
not the code exists, so the limit tells nothing and a right code never gets the wrong-code
answer; an unknown and a wrong code get the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from envelope import normalize_receipt

from .actions import digest_of
from .models import Kind, Submission
from .throttle import code_key, throttle_take

__all__ = ["Lookup", "receipt_clean", "receipt_find"]


@dataclass(frozen=True)
class Lookup:
    report: Submission | None  # None: no report has this code
    busy: bool = False  # the code's limit is reached: nothing was looked up


def receipt_clean(text: str) -> str:
    """The code as the reporter meant it (case, spaces and look-alike letters evened out)."""
    try:
        return normalize_receipt(text)
    except (ValueError, TypeError):
        return text.strip().upper()


def receipt_find(text: str) -> Lookup:
    """The report this receipt code opens; every call counts against the code's limit."""
    code = receipt_clean(text[:100])
    if not throttle_take(
        family="code",
        key=code_key(code),
        seconds=3600,
        limit=settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR,
    ):
        return Lookup(None, busy=True)
    digest = digest_of(code)
    return Lookup(Submission.objects.filter(kind=Kind.REPORT, receipt_digest=digest).first())

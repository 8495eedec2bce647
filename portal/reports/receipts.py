"""Looking up a report by its receipt code: the lookup's nonce spent, a per-code limit, then
its keyed digest.

The caller has already checked the lookup's proof of work (views.py); `receipt_find` spends
its nonce before it counts or reads anything, so a script pays for every guess and cannot
replay one; there is no system-wide bucket that one script could fill. The three steps are one
statement on PostgreSQL (throttle.nonce_spend_then_read). A code is counted under a keyed
HMAC of it (throttle.code_key), never under a part of its digest. Over the code's hourly
limit the lookup is *busy* (the 系统繁忙 page), whether or not the code exists, so the limit
tells nothing and a right code never gets the wrong-code answer; an unknown and a wrong code
get the same page.

A report filed before the keyed digests (digests.py) is stored under its PBKDF2 digest: while
any such row is left, a code the keyed digest does not find is tried under the old one too
(0.1 s), and a report found that way is re-keyed. Whether any is left is asked once per
process until none is: the portal never stores an old digest again, so once none is left
the lookup is one keyed hash and one statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from envelope import normalize_receipt

from .actions import receipt_rekey
from .digests import PBKDF2_SCHEME, digest_of, old_digest_of
from .models import Submission
from .queries import report_by_digest, report_by_digest_sql, report_from_row
from .throttle import code_key, nonce_spend_then_read

__all__ = ["Lookup", "old_digests_count", "receipt_clean", "receipt_find"]

# Set once this process has seen that no old (PBKDF2) digest is left: none is ever stored again.
_old_digests_gone = False


@dataclass(frozen=True)
class Lookup:
    report: Submission | None  # None: no report has this code
    busy: bool = False  # the code's limit is reached: nothing was looked up
    replayed: bool = False  # the lookup's challenge was used before: nothing counted or read


def receipt_clean(text: str) -> str:
    """The code as the reporter meant it (case, spaces and look-alike letters evened out)."""
    try:
        return normalize_receipt(text)
    except (ValueError, TypeError):
        return text.strip().upper()


def receipt_find(text: str, *, nonce: str) -> Lookup:
    """The report this receipt code opens, once the lookup's challenge ``nonce`` is spent;
    every call with a fresh nonce counts against the code's limit."""
    code = receipt_clean(text[:100])
    sql, params = report_by_digest_sql(digest_of(code))
    guarded = nonce_spend_then_read(
        nonce=nonce,
        family="code",
        key=code_key(code),
        seconds=3600,
        limit=settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR,
        read=sql,
        params=params,
    )
    if not guarded.spent:
        return Lookup(None, replayed=True)
    if not guarded.within:
        return Lookup(None, busy=True)
    found = report_from_row(guarded.row) if guarded.row is not None else None
    if found is None and _old_digests_left():
        found = report_by_digest(old_digest_of(code))
        if found is not None:
            receipt_rekey(report=found, code=code)
    return Lookup(found)


def old_digests_count() -> int:
    """How many receipts are still stored under their old PBKDF2 digest (not yet re-keyed:
    no one looked them up since, and only a lookup, which has the code, can re-key one)."""
    return Submission.objects.filter(receipt_digest__startswith=PBKDF2_SCHEME).count()


def _old_digests_left() -> bool:
    global _old_digests_gone
    if _old_digests_gone:
        return False
    left = Submission.objects.filter(receipt_digest__startswith=PBKDF2_SCHEME).exists()
    _old_digests_gone = not left
    return left

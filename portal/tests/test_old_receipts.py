"""Receipts stored before the keyed digests (PBKDF2-HMAC-SM3, issue 13): a reporter's old code
still opens the report and re-keys it; nothing new is ever stored the old way; a wrong code
gets the one generic answer whether old digests are left or not."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from envelope import receipt_code, receipt_hmac, receipt_pbkdf2, seal
from portal.conftest import receipt_of
from portal.reports import receipts
from portal.reports.models import Kind, Submission

pytestmark = pytest.mark.django_db

GENERIC = "未能查询到结果。请核对回执码后重试"


def old_report(code: str) -> Submission:
    """A report as the portal stored it before issue 13, after migration 0003 marked its
    digest's scheme, in a portal process that starts now (it has not yet asked whether any
    old digest is left)."""
    old = receipt_pbkdf2(
        code, settings.PORTAL_RECEIPT_SALT, iterations=settings.PORTAL_RECEIPT_ITERATIONS
    )
    report = Submission.objects.create(
        kind=Kind.REPORT,
        day=timezone.localdate(),
        envelope=seal(settings.PORTAL_OFFICE_PUBLIC_KEY, b"{}"),
        receipt_digest="pbkdf2-sm3$" + old,
    )
    receipts._old_digests_gone = False
    return report


def count() -> str:
    out = StringIO()
    call_command("portal_receipts", stdout=out)
    return out.getvalue()


def test_an_old_code_still_opens_its_report_and_re_keys_it(citizen: Any, announced: Any) -> None:
    code = receipt_code()
    report = old_report(code)
    assert count().startswith("1 receipt(s) still under the old PBKDF2 digest")
    page = citizen.lookup(code.lower().replace("-", " "))
    assert page.status_code == 200 and "办理状态" in page.content.decode()
    report.refresh_from_db()
    assert report.receipt_digest == "hmac-sm3$" + receipt_hmac(code, settings.PORTAL_RECEIPT_KEY)
    assert count().startswith("0 receipts under the old PBKDF2 digest")
    again = citizen.lookup(code)
    assert again.status_code == 200 and "办理状态" in again.content.decode()


def test_a_follow_up_to_an_old_code_is_kept_under_its_report(citizen: Any, announced: Any) -> None:
    code = receipt_code()
    report = old_report(code)
    page = citizen.follow_up(code, content="补充：又发现一笔违规报销。")
    assert page.status_code == 200
    assert Submission.objects.get(kind=Kind.FOLLOWUP).parent == report


def test_a_new_report_is_never_stored_the_old_way(citizen: Any, announced: Any) -> None:
    old_report(receipt_code())
    code = receipt_of(citizen.report())
    new = Submission.objects.exclude(receipt_digest__startswith="pbkdf2-sm3$").get()
    assert re.fullmatch(r"hmac-sm3\$[0-9a-f]{64}", new.receipt_digest)
    old = receipt_pbkdf2(
        code, settings.PORTAL_RECEIPT_SALT, iterations=settings.PORTAL_RECEIPT_ITERATIONS
    )
    assert not Submission.objects.filter(receipt_digest__contains=old).exists()


def test_a_wrong_code_gets_the_same_answer_with_or_without_old_digests(
    citizen: Any, announced: Any
) -> None:
    def page(code: str) -> tuple[int, int, str]:
        r = citizen.lookup(code)
        # Only the fresh challenge of the next lookup differs from one answer to another.
        return r.status_code, len(r.content), re.sub(r'(value|data-nonce)="[^"]*"', "", r.text)

    code = receipt_code()
    receipts._old_digests_gone = False
    without = page(code)
    old_report(receipt_code())
    with_old = page(("3" if code[0] != "3" else "4") + code[1:])
    assert without == with_old
    assert without[0] == 200 and GENERIC in without[2]


def test_an_old_digest_matches_only_its_own_code(citizen: Any, announced: Any) -> None:
    report = old_report(receipt_code())
    citizen.lookup(receipt_code())
    report.refresh_from_db()
    assert report.receipt_digest.startswith("pbkdf2-sm3$")

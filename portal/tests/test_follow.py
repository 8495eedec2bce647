"""Receipts and follow-ups: a code of ≥ 80 bits shown once, kept only as a digest, looked up
under limits that never depend on who asks, with one answer for every failure."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from envelope import normalize_receipt, receipt_digest
from portal.conftest import opened, receipt_of
from portal.reports.models import Submission

pytestmark = pytest.mark.django_db

GENERIC = "未能查询到结果。请核对回执码后重试"


def all_rows_text() -> str:
    """Every value of every row of every table of the portal's database, as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                found.extend(
                    bytes(v).hex() if isinstance(v, bytes | memoryview) else str(v) for v in row
                )
    return "\n".join(found)


def test_it_shows_a_receipt_of_at_least_80_bits_and_stores_only_its_digest(
    citizen: Any, announced: Any
) -> None:
    sent = citizen.report()
    code = receipt_of(sent)
    symbols = normalize_receipt(code)
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    assert set(symbols) <= set(alphabet)
    assert len(symbols) * math.log2(len(alphabet)) >= 80
    assert sent.content.decode().count(code) == 1
    report = Submission.objects.get()
    assert report.receipt_digest == receipt_digest(
        code, settings.PORTAL_RECEIPT_SALT, iterations=settings.PORTAL_RECEIPT_ITERATIONS
    )
    rows = all_rows_text()
    for form in (code, symbols, symbols.lower()):
        assert form not in rows


def test_it_shows_status_and_the_teams_reply_for_the_right_code(
    citizen: Any, announced: Any, api: Any
) -> None:
    code = receipt_of(citizen.report())
    report = Submission.objects.get()
    page = citizen.lookup(code)
    html = page.content.decode()
    assert page.status_code == 200 and "已收到" in html and "暂无答复" in html
    pushed = api.post(
        f"/api/v1/submissions/{report.ref}/status/",
        {"status": "answered", "reply": "经核查，相关款项已追回。"},
    )
    assert pushed.json() == {"ok": True}
    # Typed back on a phone: lower case, spaces instead of dashes.
    page = citizen.lookup(code.lower().replace("-", " "))
    html = page.content.decode()
    assert "已答复" in html and "经核查，相关款项已追回。" in html
    assert "村里的扶贫款被挪用" not in html  # the report itself is never shown


def test_it_says_the_same_generic_sentence_for_a_wrong_code(citizen: Any, announced: Any) -> None:
    code = receipt_of(citizen.report())
    wrong = ("3" if code[0] != "3" else "4") + code[1:]
    page = citizen.lookup(wrong)
    assert page.status_code == 200 and GENERIC in page.content.decode()
    assert "办理状态" not in page.content.decode()


def test_it_adds_a_follow_up_sealed_like_the_report(
    citizen: Any, announced: Any, office_key: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    code = receipt_of(citizen.report())
    added = citizen.follow_up(
        code,
        content="补充：2026年10月又转了一笔。",
        files=[SimpleUploadedFile("流水.txt", "转账 5 万元".encode())],
    )
    html = added.content.decode()
    assert added.status_code == 200 and "补充材料已加密保存" in html
    report, followup = Submission.objects.order_by("seq")
    assert followup.kind == "followup" and followup.parent == report
    assert followup.receipt_digest == ""
    content = opened(office_key, followup.envelope)
    assert content["content"] == "补充：2026年10月又转了一笔。"
    assert [f["name"] for f in content["files"]] == ["流水.txt"]
    assert re.search(r"补充材料</dt><dd>\d{4}年", html)


def test_it_refuses_an_empty_follow_up(citizen: Any, announced: Any) -> None:
    code = receipt_of(citizen.report())
    page = citizen.follow_up(code, content="")
    assert "【补充内容】请填写补充内容或选择附件" in re.sub(r"<[^>]+>", "", page.content.decode())
    assert Submission.objects.count() == 1


def test_it_refuses_a_follow_up_with_a_wrong_code(citizen: Any, announced: Any) -> None:
    code = receipt_of(citizen.report())
    page = citizen.lookup(code).content.decode()
    from portal.conftest import form_answer

    sent = citizen.client.post(
        "/follow/",
        {"action": "add", "receipt": "2222-2222-2222-2222-2222", "content": "x"}
        | form_answer(page),
    )
    assert GENERIC in sent.content.decode()
    assert Submission.objects.count() == 1


class TestThrottle:
    def test_it_locks_a_code_after_its_hourly_limit(
        self, citizen: Any, announced: Any, settings: Any
    ) -> None:
        settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR = 3
        code = receipt_of(citizen.report())
        for _ in range(3):
            assert "办理状态" in citizen.lookup(code).content.decode()
        locked = citizen.lookup(code)
        assert GENERIC in locked.content.decode()
        other = receipt_of(citizen.report())
        assert "办理状态" in citizen.lookup(other).content.decode()  # other codes unaffected

    def test_it_stops_every_lookup_past_the_global_limit(
        self, citizen: Any, announced: Any, settings: Any
    ) -> None:
        settings.PORTAL_LOOKUPS_PER_MINUTE = 4
        code = receipt_of(citizen.report())
        for n in range(3):
            citizen.lookup(f"2222-2222-2222-2222-222{n + 2}")
        assert "办理状态" in citizen.lookup(code).content.decode()  # the 4th: still allowed
        assert GENERIC in citizen.lookup(code).content.decode()  # the 5th: refused

    def test_it_answers_wrong_unknown_and_throttled_alike(
        self, citizen: Any, announced: Any, settings: Any
    ) -> None:
        settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR = 1
        code = receipt_of(citizen.report())
        assert "办理状态" in citizen.lookup(code).content.decode()
        throttled = citizen.lookup(code)
        wrong = citizen.lookup(("3" if code[0] != "3" else "4") + code[1:])
        unknown = citizen.lookup("zzzz")
        answers = [(r.status_code, len(r.content), r.content) for r in (throttled, wrong, unknown)]
        assert answers[0] == answers[1] == answers[2]
        assert answers[0][0] == 200

    def test_it_counts_nothing_by_address(self, citizen: Any, announced: Any) -> None:
        citizen.report()
        citizen.lookup("2222-3333-4444-5555-6666")
        from portal.reports.models import ThrottleBucket

        keys = sorted(k.split(":")[0] for k in ThrottleBucket.objects.values_list("key", flat=True))
        assert keys == ["code", "lookups", "submissions"]

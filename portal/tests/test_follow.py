"""Receipts and follow-ups: a code of ≥ 80 bits shown once, kept only as a digest, looked up
under limits that never depend on who asks, with one answer for every failure."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from envelope import normalize_receipt, receipt_hmac
from portal.conftest import opened, receipt_of
from portal.reports.models import SpentNonce, Submission, ThrottleBucket

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
    assert report.receipt_digest == "hmac-sm3$" + receipt_hmac(code, settings.PORTAL_RECEIPT_KEY)
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


def test_it_finds_a_report_whether_the_lookup_is_urlencoded_or_multipart(
    citizen: Any, announced: Any
) -> None:
    """The lookup form has no file field, so a browser sends it urlencoded; a multipart lookup
    (a script, an old page) is read the same."""
    from portal.conftest import pow_answer

    code = receipt_of(citizen.report())
    assert "办理状态" in citizen.lookup(code).content.decode()  # urlencoded, as the page sends
    data = {"action": "lookup", "receipt": code, **pow_answer(lookup_page(citizen))}
    assert "办理状态" in citizen.client.post("/follow/", data).content.decode()


def test_the_lookup_form_has_no_file_field_and_no_multipart_type(citizen: Any) -> None:
    form = re.search(r"<form.*?</form>", lookup_page(citizen), re.S)
    assert form and 'type="file"' not in form.group(0) and "multipart" not in form.group(0)


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


BUSY = "系统繁忙"


def lookup_page(citizen: Any) -> str:
    return str(citizen.get("/follow/").content.decode())


class TestThrottle:
    def test_it_says_busy_not_unknown_once_a_code_is_over_its_hourly_limit(
        self, citizen: Any, announced: Any, settings: Any
    ) -> None:
        settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR = 3
        code = receipt_of(citizen.report())
        for _ in range(3):
            assert "办理状态" in citizen.lookup(code).content.decode()
        locked = citizen.lookup(code)
        html = locked.content.decode()
        assert locked.status_code == 429 and locked["Retry-After"] == "3600"
        assert "<h1>系统繁忙</h1>" in html
        assert "查询次数已达上限（每小时3次" in html and "请一小时后再试" in html
        assert GENERIC not in html and "办理状态" not in html
        other = receipt_of(citizen.report())
        assert "办理状态" in citizen.lookup(other).content.decode()  # other codes unaffected

    def test_a_script_filling_its_limits_leaves_a_right_code_found(
        self, client: Any, citizen: Any, announced: Any, settings: Any
    ) -> None:
        """One client guesses a thousand codes and hammers one more past its limit; the
        reporter, on another client, still finds the report: there is no global bucket."""
        from django.test import Client

        from portal.conftest import Citizen

        settings.PORTAL_LOOKUPS_PER_CODE_PER_HOUR = 2
        code = receipt_of(citizen.report())
        script = Citizen(client=Client(), extra={"REMOTE_ADDR": "198.51.100.9"})
        for n in range(60):
            assert GENERIC in script.lookup(f"2222-2222-2222-2222-{n + 2000}").content.decode()
        for _ in range(2):
            script.lookup("3333-3333-3333-3333-3333")
        assert script.lookup("3333-3333-3333-3333-3333").status_code == 429
        reporter = Citizen(client=Client(), extra={"REMOTE_ADDR": "203.0.113.5"})
        page = reporter.lookup(code)
        assert page.status_code == 200 and "办理状态" in page.content.decode()

    def test_it_answers_wrong_and_unknown_alike(self, citizen: Any, announced: Any) -> None:
        code = receipt_of(citizen.report())
        wrong = citizen.lookup(("3" if code[0] != "3" else "4") + code[1:])
        unknown = citizen.lookup("zzzz")

        def same(r: Any) -> tuple[int, int, str]:
            # Only the fresh challenge of the next lookup differs from one answer to another.
            html = re.sub(r'(value|data-nonce)="[^"]*"', "", r.content.decode())
            return r.status_code, len(r.content), html

        assert same(wrong) == same(unknown)
        assert same(wrong)[0] == 200

    def test_it_counts_nothing_by_address(self, citizen: Any, announced: Any) -> None:
        citizen.report()
        citizen.lookup("2222-3333-4444-5555-6666")
        from portal.reports.models import ThrottleBucket

        keys = sorted(k.split(":")[0] for k in ThrottleBucket.objects.values_list("key", flat=True))
        assert keys == ["code", "submissions"]

    def test_no_throttle_row_holds_any_part_of_a_receipt_digest(
        self, citizen: Any, announced: Any
    ) -> None:
        from portal.reports.models import ThrottleBucket

        code = receipt_of(citizen.report())
        assert "办理状态" in citizen.lookup(code).content.decode()
        digest = Submission.objects.get().receipt_digest
        rows = " ".join(f"{k} {w}" for k, w in ThrottleBucket.objects.values_list("key", "window"))
        assert ThrottleBucket.objects.filter(key__startswith="code:").count() == 1
        pieces = {digest[i : i + 8] for i in range(len(digest) - 7)}
        assert not [p for p in pieces if p in rows]
        symbols = normalize_receipt(code)
        assert symbols not in rows and code not in rows

    def test_it_forgets_a_lookup_on_the_first_request_after_its_hour(
        self, citizen: Any, announced: Any
    ) -> None:
        code = receipt_of(citizen.report())
        citizen.lookup(code)
        assert ThrottleBucket.objects.filter(key__startswith="code:").exists()
        assert SpentNonce.objects.count() == 2  # the report's challenge and the lookup's
        # Each row ends on a whole hour: the code's window within the hour, the nonces within
        # three, the day's count of submissions at midnight. A day later:
        with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
            citizen.get("/")  # any page at all, not another lookup
        assert not ThrottleBucket.objects.exists() and not SpentNonce.objects.exists()

    def test_it_keeps_what_still_counts_within_the_hour(self, citizen: Any, announced: Any) -> None:
        citizen.lookup(receipt_of(citizen.report()))
        hour = timezone.now().replace(minute=0, second=0, microsecond=0)
        with time_machine.travel(hour + dt.timedelta(minutes=59, seconds=59), tick=False):
            citizen.get("/")
        assert ThrottleBucket.objects.filter(key__startswith="code:").exists()
        with time_machine.travel(hour + dt.timedelta(hours=1), tick=False):
            citizen.get("/")
        assert not ThrottleBucket.objects.filter(key__startswith="code:").exists()
        assert SpentNonce.objects.count() == 2


class TestChallenge:
    def test_it_refuses_a_lookup_without_its_proof_of_work(
        self, citizen: Any, announced: Any
    ) -> None:
        from portal.conftest import pow_answer

        code = receipt_of(citizen.report())
        sent = pow_answer(lookup_page(citizen))
        for data in (
            {"challenge": sent["challenge"]},
            {"challenge": sent["challenge"], "pow": str(int(sent["pow"]) + 1)},
            {"pow": sent["pow"]},
        ):
            page = citizen.client.post("/follow/", {"action": "lookup", "receipt": code, **data})
            html = page.content.decode()
            assert "防自动提交计算尚未完成" in html or "验证信息无效" in html
            assert "办理状态" not in html and GENERIC not in html
        from portal.reports.models import SpentNonce, ThrottleBucket

        assert not ThrottleBucket.objects.filter(key__startswith="code:").exists()
        assert SpentNonce.objects.count() == 1  # the report's own challenge, nothing more

    def test_it_refuses_a_replayed_lookup_and_counts_nothing(
        self, citizen: Any, announced: Any
    ) -> None:
        from portal.conftest import pow_answer
        from portal.reports.models import ThrottleBucket

        code = receipt_of(citizen.report())
        data = {"action": "lookup", "receipt": code, **pow_answer(lookup_page(citizen))}
        assert "办理状态" in citizen.client.post("/follow/", data).content.decode()
        counted = ThrottleBucket.objects.get(key__startswith="code:").count
        again = citizen.client.post("/follow/", data).content.decode()
        assert "这个查询页面已经提交过" in again and "办理状态" not in again
        assert ThrottleBucket.objects.get(key__startswith="code:").count == counted

    def test_it_refuses_a_replayed_follow_up(self, citizen: Any, announced: Any) -> None:
        from portal.conftest import form_answer

        code = receipt_of(citizen.report())
        page = citizen.lookup(code).content.decode()
        data = {"action": "add", "receipt": code, "content": "补充一次。", **form_answer(page)}
        assert "补充材料已加密保存" in citizen.client.post("/follow/", data).content.decode()
        again = citizen.client.post("/follow/", data).content.decode()
        assert "这个查询页面已经提交过" in again
        assert Submission.objects.count() == 2  # the report and one follow-up

    def test_the_lookup_page_says_it_needs_javascript(self, citizen: Any) -> None:
        html = lookup_page(citizen)
        assert '<script src="/static/portal/pow.js" defer></script>' in html
        noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
        assert noscript and "需要浏览器启用JavaScript" in noscript.group(1)
        assert "请按公告的电话、信箱、地址反映" in noscript.group(1)


class TestSpendCountRead:
    """The lookup's three guards (spend the nonce, count the code, read the report) are one
    statement on PostgreSQL and three elsewhere: either way a replay counts and reads nothing,
    and a code over its limit is counted but not read."""

    def read(self, code: str) -> tuple[str, list[Any]]:
        from portal.reports.digests import digest_of
        from portal.reports.queries import report_by_digest_sql

        return report_by_digest_sql(digest_of(normalize_receipt(code)))

    def guarded(self, nonce: str, code: str, limit: int = 2) -> Any:
        from portal.reports.throttle import nonce_spend_then_read

        sql, params = self.read(code)
        return nonce_spend_then_read(
            nonce=nonce, family="code", key="k", seconds=3600, limit=limit, read=sql, params=params
        )

    def test_a_replay_counts_and_reads_nothing(self, citizen: Any, announced: Any) -> None:
        code = receipt_of(citizen.report())
        first = self.guarded("a" * 32, code)
        assert first.spent and first.within and first.row is not None
        again = self.guarded("a" * 32, code)
        assert not again.spent and not again.within and again.row is None
        assert ThrottleBucket.objects.get(key="code:k").count == 1

    def test_over_its_limit_a_code_is_counted_but_not_read(
        self, citizen: Any, announced: Any
    ) -> None:
        code = receipt_of(citizen.report())
        found = [self.guarded(f"{n:032x}", code) for n in range(4)]
        assert [(g.spent, g.within, g.row is not None) for g in found] == [
            (True, True, True),
            (True, True, True),
            (True, False, False),
            (True, False, False),
        ]
        assert ThrottleBucket.objects.get(key="code:k").count == 4
        assert SpentNonce.objects.count() == 5  # the report's and the four lookups'

    def test_an_unknown_code_is_counted_and_found_nowhere(self, db: None) -> None:
        got = self.guarded("b" * 32, "2222-3333-4444-5555-6666")
        assert got.spent and got.within and got.row is None
        assert ThrottleBucket.objects.get(key="code:k").count == 1

    def test_a_lookup_is_two_queries_on_postgresql(self, citizen: Any, announced: Any) -> None:
        from django.test.utils import CaptureQueriesContext

        code = receipt_of(citizen.report())
        page = lookup_page(citizen)
        from portal.conftest import pow_answer

        data = {"action": "lookup", "receipt": code, **pow_answer(page)}
        with CaptureQueriesContext(connection) as queries:
            assert "办理状态" in citizen.send("/follow/", data).content.decode()
        # The guarded read, then the follow-ups and replies; SQLite spends, counts, reads apart.
        assert len(queries) == (2 if connection.vendor == "postgresql" else 4)

"""The form pages are drawn once and filled per request (reports/pages.py): every visitor
still gets a challenge of their own, and a changed announcement shows at once."""

from __future__ import annotations

import re
from typing import Any

import pytest

from portal.conftest import ANNOUNCEMENT, CHALLENGE, POW, QUESTION, form_answer, receipt_of

pytestmark = pytest.mark.django_db


def test_it_gives_every_visitor_a_challenge_of_their_own(citizen: Any, announced: Any) -> None:
    pages = [citizen.get(f"/r/{announced.token}/").content.decode() for _ in range(3)]
    tokens = {CHALLENGE.search(p).group(1) for p in pages}  # type: ignore[union-attr]
    nonces = {POW.search(p).group(1) for p in pages}  # type: ignore[union-attr]
    assert len(tokens) == 3 and len(nonces) == 3
    assert all(QUESTION.search(p) for p in pages)
    # Each kept page still takes a report: its challenge is the one its token signs.
    sent = citizen.report(content="某局违规发放津贴。", identity="anonymous")
    assert sent.status_code == 200 and receipt_of(sent)


def test_it_shows_a_changed_announcement_at_once(citizen: Any, announced: Any, api: Any) -> None:
    citizen.get(f"/r/{announced.token}/")
    renamed = {**ANNOUNCEMENT, "org_name": "兰考县教育局"}
    assert api.put("/api/v1/announcements/", {"items": [renamed]}).status_code == 200
    html = citizen.get(f"/r/{announced.token}/").content.decode()
    assert 'value="兰考县教育局" readonly' in html and "兰考县人民政府" not in html


def test_it_keeps_no_one_s_typing_in_a_kept_page(citizen: Any, announced: Any) -> None:
    form = citizen.get(f"/r/{announced.token}/").content.decode()
    wrong = {**form_answer(form), "answer": "999"}
    back = citizen.client.post(
        f"/r/{announced.token}/",
        {"content": "只给这一位看的内容", "identity": "anonymous", **wrong},
    )
    assert "只给这一位看的内容" in back.content.decode()
    assert "只给这一位看的内容" not in citizen.get(f"/r/{announced.token}/").content.decode()


def test_it_gives_every_lookup_page_a_challenge_of_its_own(citizen: Any, db: None) -> None:
    pages = [citizen.get("/follow/").content.decode() for _ in range(2)]
    assert len({POW.search(p).group(1) for p in pages}) == 2  # type: ignore[union-attr]


def test_it_shows_each_reporter_their_own_receipt_code(citizen: Any, announced: Any) -> None:
    pages = [citizen.report(content=f"第{i}件事。").content.decode() for i in range(2)]
    codes = [receipt_of_html(p) for p in pages]
    assert codes[0] != codes[1]
    assert codes[0] not in pages[1] and codes[1] not in pages[0]


def receipt_of_html(html: str) -> str:
    found = re.search(r'<p class="code">([^<]+)</p>', html)
    assert found, "no receipt code on the page"
    return found.group(1)


def test_each_status_page_carries_its_own_code_and_reply(
    citizen: Any, announced: Any, api: Any
) -> None:
    from portal.reports.models import Submission

    codes = [receipt_of(citizen.report(content=f"第{i}件事。")) for i in range(2)]
    first = Submission.objects.order_by("seq").first()
    assert first is not None
    api.post(
        f"/api/v1/submissions/{first.ref}/status/", {"status": "answered", "reply": "已核实。"}
    )
    pages = [citizen.lookup(code).content.decode() for code in codes]
    assert "已核实。" in pages[0] and "已核实。" not in pages[1]
    for code, page in zip(codes, pages, strict=True):
        assert f'name="receipt" value="{code.replace("-", "")}"' in page

"""The portal speaks its team's word: 巡视 for a province's 巡视组, 巡察 below, on the
announcement's pages, the receipt, the poster and the QR code; the follow-up pages, which
never learn which announcement a report answered, say 巡视巡察组."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from portal.conftest import ANNOUNCEMENT, receipt_of
from portal.reports import posters

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_team(db: None) -> Any:
    """新县 under inspection by the province's first 巡视组."""
    from portal.reports.actions import announcements_replace
    from portal.reports.models import Announcement

    item = {
        **ANNOUNCEMENT,
        "token": "xinxian-2026-t1",
        "org_name": "新县",
        "team": "省委第一巡视组",
        "address": "新县中山路1号 省委第一巡视组",
        "scope": "重点受理反映被巡视党组织领导班子及其成员的问题。",
        "start": dt.date.fromisoformat(ANNOUNCEMENT["start"]),
        "end": dt.date.fromisoformat(ANNOUNCEMENT["end"]),
    }
    announcements_replace(items=[item])
    return Announcement.objects.get(token=item["token"])


def main_text(response: Any) -> str:
    html = response.content.decode()
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main, "no <main> on the page"
    return re.sub(r"<[^>]+>", "", main.group(0))


def test_it_says_xunshi_throughout_for_a_province_team(citizen: Any, province_team: Any) -> None:
    for page in (f"/a/{province_team.token}/", f"/r/{province_team.token}/"):
        assert "巡察" not in main_text(citizen.get(page)), page
    sent = citizen.report(token=province_team.token)
    receipt = main_text(sent)
    assert "巡视组将依规办理" in receipt and "巡察" not in receipt
    assert posters.poster_title(province_team) == "码上巡视"
    assert "码上巡视" in citizen.get(f"/a/{province_team.token}/qr.svg").content.decode()
    status = main_text(citizen.lookup(receipt_of(sent)))
    assert "巡视巡察组的答复" in status
    assert "巡察组" not in status.replace("巡视巡察组", "")


def test_it_says_xuncha_for_a_city_team(citizen: Any, announced: Any) -> None:
    receipt = main_text(citizen.report())
    assert "巡察组将依规办理" in receipt and "巡视" not in receipt
    assert posters.poster_title(announced) == "码上巡察"

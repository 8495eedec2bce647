"""The leading group acts for itself, in a real browser: gina (领导小组) finds the round's
plan waiting on her page, approves it at her meeting, the office can then authorize the team;
later she hears the report and records the committee's decision on the inspection's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, main_text, nav_click, run, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

PASSWORD = "Tq7#vK2p!Lm9x"  # xunshi/testsupport/world.py PASSWORD

# The test world with every pledge of team 1 signed; the round's plan not yet approved.
SETUP = """
import django

django.setup()
from xunshi.rounds import actions as rnd
from xunshi.testsupport.world import build_world

w = build_world()
for name in ("bob", "carol"):
    m = w.team1.memberships.get(cadre=w.cadres[name])
    rnd.pledge_sign(actor=w.users[name], membership=m)
"""

# Between the two visits: the team on site, back, the report passed by the office.
TO_OFFICE_REVIEWED = """
import django

django.setup()
from xunshi.accounts.actors import SYSTEM
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rounds.models import Inspection

insp = Inspection.objects.get(target__code="410225")
for stage in ["notified", "on_site", "withdrawn"]:
    inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
report_text_save(actor=SYSTEM, inspection=insp, overview="兰考县委总体情况良好。", suggestions="")
for stage in ["report_drafted", "office_reviewed"]:
    inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000) as p:
        yield p


def _said(page: Any, text: str) -> None:
    said = page.locator(".messages").inner_text()
    assert text in said, said


def test_the_leading_group_approves_hears_and_decides_for_itself(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    with serve(tmp_path, SETUP, freeze="2026-11-20T09:00:00") as base:
        sign_in(page, base, "gina", PASSWORD)
        nav_click(page, "领导小组审议")
        assert "待审批的巡视工作方案" in main_text(page)
        page.get_by_role("link", name="十一届省委第一轮巡视").click()
        assert "本轮巡视工作方案尚未经领导小组审批" in main_text(page)
        card = page.locator("#round-approval")
        card.locator("[name=meeting_number]").fill("3")
        card.locator("[name=held_on]").fill("2026-11-19")
        card.locator("[name=opinion]").fill("同意本轮巡视工作方案。")
        shot(page, "leadgroup-01-round-plan")
        card.get_by_role("button", name="审批通过").click()
        page.wait_for_load_state()
        _said(page, "已记录：领导小组第3次会议审批巡视工作方案。")
        assert "由孙丽（领导小组）记录" in main_text(page)

        sign_in(page, base, "alice", PASSWORD)
        page.goto(f"{base}/rounds/")
        page.get_by_role("link", name="十一届省委第一轮巡视").click()
        page.get_by_role("link", name="兰考县").first.click()
        page.get_by_role("link", name="进入巡视工作台").click()
        page.locator("form.transition button", has_text="授权巡视组").click()
        page.wait_for_load_state()
        _said(page, "已转入“已授权”阶段")
        # The office no longer hears the report itself: its button needs the minutes.
    run(tmp_path, TO_OFFICE_REVIEWED)
    with serve(tmp_path, freeze="2026-11-20T10:00:00", fresh=False) as base:
        sign_in(page, base, "gina", PASSWORD)
        nav_click(page, "领导小组审议")
        assert "待听取汇报" in main_text(page)
        page.locator("#waiting-reports a", has_text="兰考县").click()
        for label, meeting, now in [
            ("领导小组已听取汇报", "4", "领导小组听取汇报"),
            ("党委已研究决定", "12", "党委决定"),
        ]:
            form = page.locator("form.transition.decision", has_text=label)
            form.locator("[name=meeting_number]").fill(meeting)
            form.locator("[name=held_on]").fill("2026-11-20")
            form.get_by_role("button", name=label).click()
            page.wait_for_load_state()
            _said(page, f"已记录会议并转入“{now}”阶段")
        text = main_text(page)
        assert "领导小组第4次会议" in text and "党委常委会第12次会议" in text
        shot(page, "leadgroup-02-decided")

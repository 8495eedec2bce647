"""Reporting up (报备): each filing is made by its stage change, holds only counts, dates and
names, and goes to the body above; the plan is reviewed there and filed again when returned."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.lifecycle.actions import inspection_transition
from xunshi.oversight import actions
from xunshi.oversight.models import Filing, FilingStatus
from xunshi.rectification import actions as rect
from xunshi.rounds import actions as rnd
from xunshi.testsupport.lifecycle import move_on_site

from .conftest import MARKER

# What each kind's summary may hold: counts, dates, names of units, teams and leaders, and
# public titles.
ALLOWED = {
    "plan": {
        "round",
        "term",
        "kind",
        "theme",
        "start",
        "end",
        "team_count",
        "target_count",
        "teams",
    },
    "report": {"target", "team", "problems", "categories", "clues"},
    "feedback": {"target", "team", "feedback_on", "problems"},
    "rectification": {
        "target",
        "team",
        "reported_on",
        "items",
        "closed",
        "open",
        "red",
        "yellow",
    },
    "disclosure": {"target", "team", "title", "published_on"},
}


def _to_disclosure(county: Any) -> None:
    """The county's inspection from the feedback to the disclosure: the plan submitted, the
    progress reported, the rectification report and the disclosure."""
    insp, item, liaison = county.inspection, county.item, county.users["liaison"]
    with time_machine.travel(dt.datetime(2026, 10, 10, 10, 0), tick=False):
        inspection_transition(actor=liaison, inspection=insp, to="rectifying")
        item.refresh_from_db()
        rect.progress_report(
            actor=liaison, item=item, text=f"已整改{MARKER}", reported_on=dt.date(2026, 10, 10)
        )
        inspection_transition(actor=liaison, inspection=insp, to="rectification_reported")
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, 0), tick=False):
        inspection_transition(actor=county.office, inspection=insp, to="disclosed")


def test_it_files_each_stage_up_to_the_city_with_counts_and_names_only(linked):
    lankao = linked.county_a
    _to_disclosure(lankao)
    filings = {f.kind: f for f in Filing.objects.filter(from_body=lankao.body)}
    assert sorted(filings) == sorted(ALLOWED)
    for kind, filing in filings.items():
        assert filing.to_body == linked.city.body
        assert set(filing.summary) == ALLOWED[kind], kind
        assert filing.round == lankao.round
        assert (filing.inspection is None) == (kind == "plan")
    plan = filings["plan"].summary
    assert plan["teams"] == [
        {"name": "第一巡察组", "leader": "韩光明", "members": 3, "targets": ["张庄村党支部"]}
    ]
    assert (plan["start"], plan["end"], plan["kind"]) == ("2026-03-02", "2026-04-30", "对村巡察")
    report = filings["report"].summary
    assert (report["problems"], report["clues"]) == (1, 1)
    assert [c["problems"] for c in report["categories"]] == [1]
    assert filings["feedback"].summary["feedback_on"] == "2026-06-01"
    assert filings["feedback"].summary["problems"] == 1
    rectification = filings["rectification"].summary
    # On 2026-10-10 the item (deadline 2026-09-30) is open and overdue.
    assert (rectification["items"], rectification["open"], rectification["red"]) == (1, 1, 1)
    disclosure = filings["disclosure"].summary
    assert disclosure["title"] == "兰考县委十四届第一轮巡察张庄村党支部整改情况公开"
    assert disclosure["published_on"] == "2026-10-20"
    # The marker is in every talk, petition, petitioner, paper, clue, problem and the report.
    for filing in Filing.objects.all():
        assert MARKER not in json.dumps(filing.summary, ensure_ascii=False)
        assert MARKER not in str(filing)
    events = AuditEvent.objects.filter(action__startswith="oversight.filing")
    assert events.count() == Filing.objects.count()
    assert not any(MARKER in json.dumps(e.after, ensure_ascii=False) for e in events)


def test_a_body_with_no_parent_files_nothing(feedback):
    assert feedback.inspection1.stage == "feedback_given"
    assert not Filing.objects.exists()


def test_the_plan_is_filed_once_at_the_first_authorization(linked):
    lankao = linked.county_a
    second = rnd.inspection_create(
        actor=SYSTEM,
        team=lankao.inspection.team,
        target=lankao.orgs[2],
        kind="village",
    )
    move_on_site(second)
    plans = Filing.objects.filter(round=lankao.round, kind="plan")
    assert plans.count() == 1


def test_returning_a_plan_without_a_reason_is_refused_in_chinese(linked, login):
    plan = Filing.objects.get(from_body=linked.county_a.body, kind="plan")
    with pytest.raises(ValidationError, match="退回巡察工作方案须填写退回理由。"):
        actions.filing_return(actor=linked.city.office, filing=plan, reason="   ")
    client = login(linked.city.office)
    page = client.post(reverse("filing_return", args=[plan.pk]), {"reason": " "})
    assert page.status_code == 200
    assert "退回巡察工作方案须填写退回理由。" in page.content.decode()
    plan.refresh_from_db()
    assert plan.status == FilingStatus.FILED and plan.review_reason == ""


def test_only_a_plan_may_be_returned_and_only_once(linked):
    report = Filing.objects.get(from_body=linked.county_a.body, kind="report")
    with pytest.raises(ValidationError, match="只有巡察工作方案可以退回"):
        actions.filing_return(actor=linked.city.office, filing=report, reason="不完整")
    actions.filing_accept(actor=linked.city.office, filing=report)
    with pytest.raises(ValidationError, match="该报备已审核，不能再审核"):
        actions.filing_accept(actor=linked.city.office, filing=report)


def test_only_the_receiving_office_reviews_a_filing(world, linked, login):
    plan = Filing.objects.get(from_body=linked.county_a.body, kind="plan")
    # The province reads the county's filing to the city but does not review it.
    with pytest.raises(PermissionDenied, match="须由中共开封市委巡察办操作"):
        actions.filing_accept(actor=world.users["alice"], filing=plan)
    assert (
        login(world.users["alice"]).post(reverse("filing_accept", args=[plan.pk])).status_code
        == 403
    )
    assert (
        login(linked.county_a.office).post(reverse("filing_accept", args=[plan.pk])).status_code
        == 403
    )
    assert (
        login(linked.city.leading_group).post(reverse("filing_accept", args=[plan.pk])).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.status == FilingStatus.FILED
    assert (
        login(linked.city.office).post(reverse("filing_accept", args=[plan.pk])).status_code == 302
    )
    plan.refresh_from_db()
    assert plan.status == FilingStatus.ACCEPTED


def test_a_returned_plan_shows_its_reason_on_the_round_page_and_is_filed_again(linked, login):
    lankao = linked.county_a
    plan = Filing.objects.get(from_body=lankao.body, kind="plan")
    city = login(linked.city.office)
    response = city.post(
        reverse("filing_return", args=[plan.pk]), {"reason": "请补充各村巡察进驻时间安排。"}
    )
    assert response.status_code == 302
    county = login(lankao.office)
    page = county.get(reverse("round_detail", args=[lankao.round.pk])).content.decode()
    assert "被退回" in page
    assert "退回理由：请补充各村巡察进驻时间安排。" in page
    assert "重新报备" in page
    response = county.post(reverse("filing_refile", args=[lankao.round.pk]))
    assert response.status_code == 302
    latest = Filing.objects.filter(round=lankao.round, kind="plan").order_by("-version").first()
    assert latest is not None
    assert (latest.version, latest.status) == (2, FilingStatus.FILED)
    assert latest.summary["teams"][0]["leader"] == "韩光明"
    page = county.get(reverse("round_detail", args=[lankao.round.pk])).content.decode()
    assert "巡察工作方案第2版" in page and "待审核" in page and "重新报备" not in page
    # A plan that was not returned is not filed again.
    with pytest.raises(ValidationError, match="只有被退回的方案才能重新报备"):
        actions.filing_refile(actor=lankao.office, round=lankao.round)


def test_the_round_page_of_a_body_without_a_parent_shows_no_filing(world, login):
    page = login(world.users["alice"]).get(reverse("round_detail", args=[world.round.pk]))
    assert "巡察工作方案尚未报备" not in page.content.decode()
    assert 'id="filing-status"' not in page.content.decode()


def test_a_point_goes_to_the_lower_body_and_an_empty_one_is_refused(linked, login):
    lankao = linked.county_a
    city = login(linked.city.office)
    url = reverse("point_create", args=[lankao.body.pk])
    refused = city.post(url, {"text": " ", "due": "2026-12-31"})
    assert refused.status_code == 200 and "请填写督导要点。" in refused.content.decode()
    past = city.post(url, {"text": "加快整改进度", "due": "2026-11-01"})
    assert "完成时限（2026年11月1日）不能早于今天。" in past.content.decode()
    response = city.post(
        url,
        {"text": "加快红色预警事项整改进度。", "due": "2026-12-31", "round": lankao.round.pk},
    )
    assert response.status_code == 302
    home = login(lankao.office).get(reverse("oversight_home")).content.decode()
    assert "加快红色预警事项整改进度。" in home and "2026-12-31" in home
    assert "加快整改进度" not in home
    # Not for a sibling county, nor from a county to its city.
    assert (
        login(lankao.office)
        .get(reverse("point_create", args=[linked.county_b.body.pk]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied, match="不是本单位的下级党组织"):
        actions.point_create(
            actor=lankao.office, to_body=linked.city.body, text="要点", due=dt.date(2026, 12, 31)
        )


def test_a_stage_change_recorded_later_is_filed_on_its_own_day(linked):
    """A feedback given on 2026-06-01 and entered a week later with that date is filed on
    2026-06-01; one entered on its day is filed at the moment of the entry."""
    from django.utils import timezone

    lankao = linked.county_a
    with time_machine.travel(dt.datetime(2026, 6, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        late = actions.filing_create(
            actor=SYSTEM, kind="feedback", inspection=lankao.inspection, on=dt.date(2026, 6, 1)
        )
        today = actions.filing_create(
            actor=SYSTEM, kind="feedback", inspection=lankao.inspection, on=dt.date(2026, 6, 8)
        )
    assert late is not None and today is not None
    assert timezone.localtime(late.filed_at) == timezone.make_aware(dt.datetime(2026, 6, 1, 17, 30))
    assert today.filed_at == dt.datetime(2026, 6, 8, 9, 0, tzinfo=dt.UTC)

"""A round opened in a year with an approved plan carries out one of the plan's rounds: the
new-round form offers the planned rounds no round carries out yet, matches the one with the
same dates by default, and the round is linked as it is created; the plan's page opens a
planned round with its fields filled in; the manual link stays for corrections."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.decisions.actions import decision_record
from xunshi.decisions.models import DecisionKind
from xunshi.rounds import yearplan_actions as plans
from xunshi.rounds.models import Round, YearPlan, YearPlanRound

D = dt.date


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def _approved_plan(world) -> YearPlan:  # type: ignore[no-untyped-def]
    plan = plans.year_plan_create(
        actor=SYSTEM, body=world.body, year=2027, min_targets=2, min_rounds=2
    )
    for position, month, target, theme in (
        (1, 3, world.xinxian, "乡村振兴"),
        (2, 9, world.zzu, "高校党建"),
    ):
        plans.year_plan_round_save(
            actor=SYSTEM,
            plan=plan,
            position=position,
            name=f"2027年第{position}轮巡视",
            theme=theme,
            start=D(2027, month, 1),
            end=D(2027, month + 2, 15),
            targets=[target],
        )
    decision_record(
        actor=SYSTEM,
        kind=DecisionKind.YEAR_PLAN,
        year_plan=plan,
        meeting_number=1,
        held_on=timezone.localdate(),
    )
    plan.refresh_from_db()
    return plan


def _round_data(world, **extra: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "term": world.term.pk,
        "ordinal": 5,
        "name": "十一届省委第五轮巡视",
        "kind": "regular",
        "sector_mode": "mixed",
        "theme": "",
        "theme_tags": "",
        "targets_per_team": 3,
        "start": "2027-09-01",
        "end": "2027-11-15",
        "decision_ref": "",
        "decided_on": "",
        **extra,
    }


def test_it_links_the_new_round_to_the_planned_round_with_the_same_dates(world, login):
    plan = _approved_plan(world)
    autumn = plan.rounds.get(position=2)
    client = login(world.users["alice"])
    form = _text(client.get(reverse("round_create")))
    assert "实施年度计划中的轮次" in form
    assert "2027年度计划第2轮：2027年第2轮巡视（2027-09-01至2027-11-15）" in form
    assert 'value="match" selected' in form

    done = client.post(reverse("round_create"), _round_data(world, plan_round="match"), follow=True)
    said = _messages(done)
    assert "已新建十一届省委第五轮巡视。" in said
    assert "已记为年度计划中“2027年第2轮巡视”的实施轮次。" in said
    autumn.refresh_from_db()
    assert autumn.round is not None and autumn.round.name == "十一届省委第五轮巡视"
    assert AuditEvent.objects.filter(action="rounds.yearplan.link").count() == 1

    # Linked now, it is no longer offered; the spring round still is.
    form = _text(client.get(reverse("round_create")))
    assert "2027年第2轮巡视（" not in form and "2027年第1轮巡视（" in form
    page = _text(client.get(reverse("year_plan_detail", args=[plan.pk])))
    assert "十一届省委第五轮巡视" in page


def test_it_opens_a_planned_round_from_the_plans_page_with_its_fields(world, login):
    plan = _approved_plan(world)
    spring = plan.rounds.get(position=1)
    client = login(world.users["alice"])
    page = _text(client.get(reverse("year_plan_detail", args=[plan.pk])))
    link = f"{reverse('round_create')}?plan_round={spring.pk}"
    assert link in page and "按计划新建轮次" in page
    form = _text(client.get(link))
    assert 'value="2027年第1轮巡视"' in form
    assert 'value="2027-03-01"' in form and 'value="乡村振兴"' in form
    assert f'value="{spring.pk}" selected' in form


def test_it_leaves_the_plan_alone_when_nothing_matches_or_the_office_says_so(world, login):
    plan = _approved_plan(world)
    client = login(world.users["alice"])
    client.post(reverse("round_create"), _round_data(world, start="2027-06-01", end="2027-07-31"))
    client.post(
        reverse("round_create"),
        _round_data(world, ordinal=6, name="十一届省委第六轮巡视", plan_round=""),
    )
    assert Round.objects.filter(ordinal__in=[5, 6]).count() == 2
    assert not YearPlanRound.objects.filter(plan=plan, round__isnull=False).exists()


def test_it_refuses_to_carry_out_a_planned_round_of_another_year(world, login):
    plan = _approved_plan(world)
    spring = plan.rounds.get(position=1)
    client = login(world.users["alice"])
    refused = client.post(
        reverse("round_create"),
        _round_data(world, start="2026-12-01", end="2026-12-20", plan_round=str(spring.pk)),
    )
    assert refused.status_code == 200
    assert "进驻日期不在2027年，不能实施2027年度计划中的“2027年第1轮巡视”。" in _text(refused)
    assert not Round.objects.filter(ordinal=5).exists()
    spring.refresh_from_db()
    assert spring.round is None


def test_it_offers_nothing_from_a_draft_plan(world, login):
    draft = plans.year_plan_create(actor=SYSTEM, body=world.body, year=2027)
    plans.year_plan_round_save(
        actor=SYSTEM,
        plan=draft,
        position=1,
        name="2027年第1轮巡视",
        start=D(2027, 3, 1),
        end=D(2027, 5, 15),
        targets=[world.xinxian],
    )
    form = _text(login(world.users["alice"]).get(reverse("round_create")))
    assert "实施年度计划中的轮次" not in form

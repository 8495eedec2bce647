"""The system is an actor of its own: an anonymous user, who has no id either, never passes
for it. Every action that lets the system through where a person would need a role refuses
the anonymous user and writes nothing, while the same call by the system goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xunshi.accounts.actors import SYSTEM, is_system, person
from xunshi.audit.actions import record
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import paper_actions
from xunshi.findings import actions as findings
from xunshi.findings.report_actions import report_text_save
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rectification
from xunshi.rectification.lookback_actions import lookback_create
from xunshi.rounds import actions as rounds
from xunshi.rounds.models import Inspection
from xunshi.testsupport.lifecycle import (
    approved_paper,
    give_feedback,
    move_on_site,
    paper_in_review,
)

Call = Callable[[Any], object]


def test_it_tells_the_system_from_an_anonymous_user(world):
    anonymous = AnonymousUser()
    assert is_system(SYSTEM) and not is_system(anonymous) and not is_system(world.users["alice"])
    assert person(SYSTEM) is None
    assert person(world.users["alice"]) == world.users["alice"]
    with pytest.raises(PermissionDenied):
        person(anonymous)


def test_it_chains_no_event_for_an_anonymous_user(world):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied), transaction.atomic():
        record(actor=AnonymousUser(), action="rounds.round.update", obj=world.round)
    assert AuditEvent.objects.count() == before


def _stage_change(w: Any) -> Call:
    move_on_site(w.inspection1)
    return lambda actor: inspection_transition(
        actor=actor, inspection=w.inspection1, to="withdrawn"
    )


def _pledge(w: Any) -> Call:
    member = w.team2.memberships.filter(pledge_signed_at__isnull=True).first()
    return lambda actor: rounds.pledge_sign(actor=actor, membership=member)


def _group_review(w: Any) -> Call:
    move_on_site(w.inspection1)
    paper = paper_in_review(w.inspection1, "违规发放津贴补贴")
    return lambda actor: paper_actions.paper_group_review(
        actor=actor, paper=paper, approve=True, meeting_on=dt.date(2026, 9, 20), opinion="同意。"
    )


def _report_text(w: Any) -> Call:
    move_on_site(w.inspection1)
    inspection_transition(actor=SYSTEM, inspection=w.inspection1, to="withdrawn")
    return lambda actor: report_text_save(
        actor=actor, inspection=w.inspection1, overview="总体良好。", suggestions=""
    )


def _problem(w: Any) -> Call:
    move_on_site(w.inspection1)
    paper = approved_paper(w.inspection1, "扶贫资金拨付滞后")
    return lambda actor: findings.problem_create(actor=actor, paper=paper)


def _ledger_plan(w: Any) -> Call:
    give_feedback(w.inspection1, ["扶贫资金拨付滞后"])
    item = w.inspection1.rectification_items.get()
    return lambda actor: rectification.item_plan(
        actor=actor,
        item=item,
        measures="建立资金拨付台账。",
        responsible_leader="县长",
        responsible_department="县财政局",
        deadline=dt.date(2026, 12, 31),
        kind="immediate",
    )


def _look_back(w: Any) -> Call:
    give_feedback(w.inspection1, ["扶贫资金拨付滞后"])
    later = rounds.round_create(
        actor=SYSTEM,
        body=w.body,
        term=w.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )
    team = rounds.team_create(actor=SYSTEM, round=later, number=1, rule_set=w.team1.rule_set)
    return lambda actor: lookback_create(actor=actor, parent=w.inspection1, team=team)


CASES = {
    "stage change": _stage_change,
    "pledge": _pledge,
    "group review": _group_review,
    "report text": _report_text,
    "problem": _problem,
    "ledger plan": _ledger_plan,
    "look-back": _look_back,
}


@pytest.mark.parametrize("case", CASES)
def test_it_refuses_an_anonymous_user_where_the_system_may_act(world, case):
    call = CASES[case](world)
    events = AuditEvent.objects.count()
    stage = Inspection.objects.get(pk=world.inspection1.pk).stage
    with pytest.raises((PermissionDenied, ValidationError)):
        call(AnonymousUser())
    assert AuditEvent.objects.count() == events
    assert Inspection.objects.get(pk=world.inspection1.pk).stage == stage
    # The refusal was the actor's: the system makes the same call.
    call(SYSTEM)
    assert AuditEvent.objects.count() > events

"""The desk's world: the test world with something waiting for every role on TODAY.

Team 1 (bob, carol) inspected 兰考县: three problems, three clues (two transferred on 20
September 2026, whose disposal was due three months later, one never transferred), the
feedback on 2 November 2026. erin, 兰考县's liaison, planned the three items (deadlines 31
December 2026, 15 April and 30 June 2027), never submitted the plan, reported progress on the
last two and claimed the last one on 1 April 2027. Team 2 (dave) is on site at the finance
department with two working papers in review (one at the group meeting, one with the leader),
a talk not signed off and a letter not routed; 刘红梅 (hong, a login of her own) joined the team
on site and has not signed her pledge; she has a draft paper and one the group meeting
returned. The portal brought one report nobody has routed yet.

On TODAY (Monday 12 April 2027) the office finds both clue feedbacks 113 days overdue, the
plan two months late, the first item red, the third to verify, a clue to transfer and the
portal report; erin finds the plan late and the second item due this week; dave two papers,
a talk, a letter, his stage's blockers and hong's pledge; hong her pledge and two papers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import time_machine

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.fieldwork import actions as onsite
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import Petition, Talk, WorkingPaper
from xunshi.findings import actions as findings
from xunshi.findings.models import Clue
from xunshi.intake.models import PortalSubmission
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.rounds import actions as rnd
from xunshi.testsupport.lifecycle import (
    _category,
    decide,
    move_on_site,
    paper_in_review,
    problems_for,
)
from xunshi.testsupport.world import PASSWORD, World
from xunshi.users import actions as accounts

TODAY = dt.date(2027, 4, 12)
NOW = dt.datetime(2027, 4, 12, 9, 0)
# Planted in every case text the scene writes: no reminder may ever carry one.
SECRET = "ZZDESKSECRET7Q"


@dataclass
class Scene:
    world: World
    hong: User
    items: list[RectificationItem]
    clues: list[Clue]
    papers: list[WorkingPaper]


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0), tick=False)


def _petition(inspection: Any, text: str, on: dt.date) -> Petition:
    return onsite.petition_create(
        actor=SYSTEM,
        inspection=inspection,
        channel="letter",
        received_on=on,
        content=text,
        real_name=False,
    )


def _clue(inspection: Any, n: int) -> Clue:
    petition = _petition(inspection, f"反映问题{n} {SECRET}", dt.date(2026, 9, 8))
    onsite.petition_route(actor=SYSTEM, petition=petition, in_scope=True, routing="clue")
    return findings.clue_create(
        actor=SYSTEM,
        inspection=inspection,
        source="petition",
        record=petition,
        persons=f"某局长{n} {SECRET}",
        summary=f"线索摘要{n} {SECRET}",
        recipient="discipline",
    )


def _lankao(w: World) -> tuple[list[RectificationItem], list[Clue]]:
    insp = w.inspection1
    with _at(dt.date(2026, 9, 10)):
        move_on_site(insp)
        clues = [_clue(insp, n) for n in (1, 2, 3)]
    with _at(dt.date(2026, 9, 20)):
        problems_for(insp, ["扶贫资金拨付滞后", "违规发放津贴补贴", "公务用车管理不严"])
        for clue in clues[:2]:
            findings.clue_transfer(
                actor=SYSTEM,
                clue=clue,
                transferred_on=dt.date(2026, 9, 20),
                receiving_body="省纪委监委",
                receiver="信访室",
            )
    with _at(dt.date(2026, 11, 2)):
        decide(insp, overview=f"兰考县委总体情况 {SECRET}")
        inspection_transition(
            actor=SYSTEM, inspection=insp, to="feedback_given", on=dt.date(2026, 11, 2)
        )
    erin = w.users["erin"]
    items = list(RectificationItem.objects.filter(inspection=insp).order_by("seq"))
    deadlines = [dt.date(2026, 12, 31), dt.date(2027, 4, 15), dt.date(2027, 6, 30)]
    with _at(dt.date(2026, 11, 10)):
        for item, deadline in zip(items, deadlines, strict=True):
            rect.item_plan(
                actor=erin,
                item=item,
                measures="专项整改",
                responsible_leader="县长",
                responsible_department="县财政局",
                deadline=deadline,
                kind="concentrated",
            )
    with _at(dt.date(2026, 11, 20)):
        inspection_transition(actor=erin, inspection=insp, to="rectifying")
        for item in items[1:]:
            rect.progress_report(
                actor=erin, item=item, text="正在整改", reported_on=dt.date(2026, 11, 20)
            )
    with _at(dt.date(2027, 4, 1)):
        rect.item_claim(actor=erin, item=items[2], on=dt.date(2027, 4, 1))
    return [RectificationItem.objects.get(pk=i.pk) for i in items], clues


def _finance(w: World) -> tuple[User, list[WorkingPaper]]:
    insp = w.inspection2
    with _at(dt.date(2026, 9, 20)):
        move_on_site(insp)
        # hong joins on site and signs nothing yet
        rnd.membership_add(actor=SYSTEM, team=w.team2, cadre=w.cadres["hong"], role="member")
        hong = accounts.user_create(
            actor=SYSTEM,
            username="hong",
            full_name="刘红梅",
            password=PASSWORD,
            must_change_password=False,
        )
        accounts.user_grant_role(
            actor=SYSTEM, user=hong, role=Role.INSPECTOR, cadre=w.cadres["hong"]
        )
        at_group = paper_in_review(insp, f"专项资金闲置 {SECRET}")
        with_leader = paper_in_review(insp, f"违规兼职取酬 {SECRET}")
        papers.paper_group_review(
            actor=SYSTEM,
            paper=with_leader,
            approve=True,
            meeting_on=dt.date(2026, 9, 20),
            opinion="同意报组长审定。",
        )
        onsite.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee="厅办公室主任",
            interviewee_post="主任",
            category="required",
            interviewers=[w.cadres["dave"], w.cadres["hong"]],
            recorder=w.cadres["hong"],
            held_at=dt.datetime(2026, 9, 10, 9, 0, tzinfo=dt.UTC),
            place="巡视组驻地",
            outline="",
            record=f"谈话记录 {SECRET}",
        )
        _petition(insp, f"来信反映 {SECRET}", dt.date(2026, 9, 10))
        draft = papers.paper_create(
            actor=hong,
            inspection=insp,
            title=f"预算执行不严 {SECRET}",
            facts=f"事实 {SECRET}",
            qualification="违反有关规定。",
            category=_category(),
        )
        returned = paper_in_review(insp, f"会议费超标 {SECRET}")
        papers.paper_group_review(
            actor=SYSTEM,
            paper=returned,
            approve=False,
            meeting_on=dt.date(2026, 9, 20),
            opinion="事实不清，退回修改。",
        )
        # hong wrote it (the scaffolding writes as the system)
        WorkingPaper.objects.filter(pk=returned.pk).update(created_by=hong)
    return hong, [at_group, with_leader, draft, returned]


def _portal_report() -> None:
    with _at(dt.date(2027, 4, 10)):
        PortalSubmission.objects.create(
            ref="P-0001", seq=1, kind="report", day=dt.date(2027, 4, 10), envelope=b"sealed"
        )


def build_scene(w: World) -> Scene:
    items, clues = _lankao(w)
    hong, paper_list = _finance(w)
    _portal_report()
    assert Talk.objects.filter(inspection=w.inspection2, signed_off_at__isnull=True).count() == 1
    return Scene(w, hong, items, clues, paper_list)

"""The test world's round with known figures for the dashboards, built through the actions.

On `DASH_TODAY` (2026-12-06):
- team 1 (兰考县, a county) has one talk and four problems, each from an approved working
  paper with a letter (来信, unclassified) as evidence, classified in 十届省委第六轮巡视监督重点
  under 3 (two: 3 and 3.1) and 4 (two: 4.1); the feedback was given on 2026-11-02;
- its four ledger items: ① deadline 2026-11-20 (red since), ② 2026-12-15 (green on
  2026-11-30, yellow today), ③ closed (销号) on 2026-11-26, ④ 2027-06-30 (no warning);
- its clues, from the four letters: to 纪委监委 one transferred on 2026-09-10 and reported
  back on time, one transferred on 2026-09-02 and reported back late (2026-12-03), one
  transferred on 2026-09-01 and not reported back (overdue since 2026-12-01, 96 days old);
  to 组织部 one transferred on 2026-09-20, not reported back, not yet due (77 days old);
- four more organizations in scope, of four more sectors, none inspected;
- team 2 (省财政厅, a department) is on site with three petitions: a visit about the eight
  rules, a call about appointments, a letter about the public's interests; no problem.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import time_machine

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as onsite
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import Petition, PetitionRouting, TaxonomyItem
from xunshi.findings import actions as findings
from xunshi.findings.models import Clue, Problem
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.registry import actions as reg

from .lifecycle import decide, move_on_site
from .world import World

__all__ = ["DASH_TODAY", "DashboardScene", "build_dashboard_scene"]

DASH_TODAY = dt.date(2026, 12, 6)
FOCUS = "henan-10-6-focus"
# (title, classification code, ledger deadline)
PROBLEMS = [
    ("扶贫资金拨付滞后", "4.1", dt.date(2026, 11, 20)),
    ("违规发放津贴补贴", "3.1", dt.date(2026, 12, 15)),
    ("文山会海问题突出", "3", dt.date(2027, 3, 31)),
    ("截留惠农补贴", "4.1", dt.date(2027, 6, 30)),
]

ORGS = [
    ("S001", "河南投资集团有限公司", "soe"),
    ("F001", "中原银行股份有限公司", "financial"),
    ("H001", "河南省人民医院", "hospital"),
    ("P001", "河南省总工会", "people_org"),
]


@dataclass
class DashboardScene:
    world: World
    problems: list[Problem]
    items: list[RectificationItem]
    clues: list[Clue]
    petitions: list[Petition]


def _at(day: dt.date) -> Any:
    """The clock at 10:00 Beijing time on day."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC))


def _problem(inspection: Any, title: str, code: str) -> tuple[Problem, Petition]:
    category = TaxonomyItem.objects.get(taxonomy__code=FOCUS, taxonomy__body=None, code=code)
    paper = papers.paper_create(
        actor=SYSTEM,
        inspection=inspection,
        title=title,
        facts=f"{title}的具体事实。",
        qualification="违反《中国共产党纪律处分条例》有关规定。",
        category=category,
        responsibility_main="县委承担主体责任。",
    )
    letter = onsite.petition_create(
        actor=SYSTEM,
        inspection=inspection,
        channel="letter",
        received_on=dt.date(2026, 9, 1),
        content=f"群众反映：{title}。",
        real_name=False,
    )
    letter = onsite.petition_route(
        actor=SYSTEM, petition=letter, in_scope=True, routing=PetitionRouting.PROBLEM
    )
    papers.paper_add_evidence(actor=SYSTEM, paper=paper, kind="petition", record_obj=letter)
    papers.paper_submit(actor=SYSTEM, paper=paper)
    papers.paper_group_review(
        actor=SYSTEM, paper=paper, approve=True, meeting_on=dt.date(2026, 9, 1), opinion="同意。"
    )
    papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
    return findings.problem_create(actor=SYSTEM, paper=paper), letter


def build_dashboard_scene(world: World) -> DashboardScene:
    """Team 1's inspection of 兰考县 through feedback and rectification, team 2's on site."""
    w = world
    alice, erin = w.users["alice"], w.users["erin"]
    # Four more sectors in scope, none inspected yet: eight sector names under the coverage chart.
    for code, name, sector in ORGS:
        reg.org_upsert(actor=SYSTEM, body=w.body, data=reg.OrgInput(code, name, sector))
    with _at(dt.date(2026, 9, 1)):
        move_on_site(w.inspection1)
        move_on_site(w.inspection2)
        made = [_problem(w.inspection1, title, code) for title, code, _due in PROBLEMS]
        problems = [p for p, _letter in made]
        letters = [letter for _p, letter in made]
        talk = onsite.talk_create(
            actor=w.users["bob"],
            inspection=w.inspection1,
            interviewee="钱立新",
            interviewee_post="县委书记",
            category="required",
            interviewers=[w.cadres["bob"], w.cadres["carol"]],
            recorder=w.cadres["carol"],
            held_at=dt.datetime(2026, 9, 1, 1, tzinfo=dt.UTC),
            place="县委会议室",
            record="谈了班子运行情况。",
        )
        onsite.talk_sign_off(actor=w.users["bob"], talk=talk)
        petitions = [
            onsite.petition_create(
                actor=SYSTEM,
                inspection=w.inspection2,
                channel=channel,
                category=category,
                received_on=dt.date(2026, 9, 1),
                content=text,
                real_name=False,
            )
            for channel, category, text in [
                ("visit", "eight_rules", "反映公款吃喝。"),
                ("call", "appointments", "反映提拔干部不规范。"),
                ("letter", "public_interest", "反映补贴发放不到位。"),
            ]
        ]
        clues = [
            findings.clue_create(
                actor=SYSTEM,
                inspection=w.inspection1,
                source="petition",
                record=letter,
                persons="某乡党委书记",
                summary="涉嫌违规问题。",
                recipient=recipient,
            )
            for letter, recipient in zip(
                letters, ["discipline", "discipline", "discipline", "organization"], strict=True
            )
        ]
    for clue, day in zip(
        clues,
        [dt.date(2026, 9, 10), dt.date(2026, 9, 2), dt.date(2026, 9, 1), dt.date(2026, 9, 20)],
        strict=True,
    ):
        with _at(day):
            body = "县纪委监委" if clue.recipient == "discipline" else "县委组织部"
            findings.clue_transfer(
                actor=alice, clue=clue, transferred_on=day, receiving_body=body, receiver="刘某"
            )
    with _at(dt.date(2026, 11, 2)):
        decide(w.inspection1)
        inspection_transition(actor=SYSTEM, inspection=w.inspection1, to="feedback_given")
    items = list(w.inspection1.rectification_items.order_by("seq"))
    with _at(dt.date(2026, 11, 5)):
        for item, (_title, _code, due) in zip(items, PROBLEMS, strict=True):
            rect.item_plan(
                actor=erin,
                item=item,
                measures="逐项整改。",
                responsible_leader="县长 李明",
                responsible_department="县财政局",
                deadline=due,
                kind="concentrated",
            )
        inspection_transition(actor=erin, inspection=w.inspection1, to="rectifying")
    with _at(dt.date(2026, 11, 26)):
        third = items[2]
        rect.progress_report(
            actor=erin, item=third, text="已整改。", reported_on=dt.date(2026, 11, 24)
        )
        rect.item_claim(actor=erin, item=third, on=dt.date(2026, 11, 25))
        rect.item_verify(actor=alice, item=third, close=True, on=dt.date(2026, 11, 26))
    with _at(dt.date(2026, 11, 20)):
        findings.clue_dispose(
            actor=alice,
            clue=clues[0],
            disposal="talk_inquiry",
            outcome="已谈话函询。",
            reported_on=dt.date(2026, 11, 20),
        )
    with _at(dt.date(2026, 12, 3)):
        findings.clue_dispose(
            actor=alice,
            clue=clues[1],
            disposal="closed",
            outcome="予以了结。",
            reported_on=dt.date(2026, 12, 3),
        )
    for obj in [*items, *clues]:
        obj.refresh_from_db()
    return DashboardScene(w, problems, items, clues, petitions)

"""A linked province for tests (上下联动): 中共开封市委 under the test world's province, and two
of its counties, 兰考县 (中共兰考县委, abbreviation 兰) and 杞县 (中共杞县委), built through the
actions.

Each body has an office user and a leading-group user, a term, a small cadre pool and a few
township and village organizations. Each county also has a round (对村巡察) with one team and
one inspection of a village taken through the lifecycle to the feedback, with a talk, a
petition, an approved working paper and its problem, a clue transferred and left without a
disposal past its due date, and the one ledger item planned with a deadline already past on
`LINKED_TODAY` (red). Every text of those case records carries the `marker` the caller
passes, so a test can look for it wherever it must not appear. The county's team leader and
the village's liaison have logins too.

On `LINKED_TODAY` (2026-12-01) 兰考县 is behind pace (its term 2022-06-01 … 2027-05-31 is
90 % gone and 1 of its 4 units covered); 杞县 is not (its term began 2026-06-01, 1 of 3
covered). The stages are moved on the days of each county's `Schedule` with time_machine;
tests that read the pages travel to `LINKED_TODAY` as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import time_machine

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.findings import actions as clue_actions
from xunshi.findings.models import Clue, Problem
from xunshi.lib.ids import make_id_number
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as rect
from xunshi.rectification.models import RectificationItem
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import DisciplineRuleSet, Inspection, Round
from xunshi.users import actions as account_actions

from .lifecycle import decide, move_on_site, paper_in_review
from .world import PASSWORD, World

__all__ = [
    "LINKED_TODAY",
    "Linked",
    "LinkedBody",
    "Schedule",
    "build_linked_world",
    "linked_body",
    "linked_round",
    "small_city",
]

LINKED_TODAY = dt.date(2026, 12, 1)


@dataclass(frozen=True)
class Schedule:
    """The days of a county's round: entry, exit, the clue's transfer, the feedback, and the
    ledger item's deadline (before `LINKED_TODAY`, so the item is red)."""

    start: dt.date
    end: dt.date
    transfer: dt.date
    feedback: dt.date
    deadline: dt.date


@dataclass
class LinkedBody:
    body: InspectingBody
    office: User
    leading_group: User
    term: Term
    cadres: list[Cadre]
    orgs: list[OrgUnit]
    round: Round | None = None
    inspection: Inspection | None = None
    problem: Problem | None = None
    clue: Clue | None = None
    item: RectificationItem | None = None
    users: dict[str, User] = field(default_factory=dict)


@dataclass
class Linked:
    city: LinkedBody
    county_a: LinkedBody  # 兰考县
    county_b: LinkedBody  # 杞县


def _user(username: str, full_name: str, role: str, **kw: Any) -> User:
    user = account_actions.user_create(
        actor=SYSTEM,
        username=username,
        full_name=full_name,
        password=PASSWORD,
        must_change_password=False,
    )
    return account_actions.user_grant_role(actor=SYSTEM, user=user, role=role, **kw)


def linked_body(
    *,
    parent: InspectingBody,
    name: str,
    level: str,
    region_code: str,
    abbreviation: str,
    login: str,
    term: tuple[str, dt.date, dt.date],
    orgs: list[tuple[str, str, str]],
    cadres: list[tuple[str, str, str]],
) -> LinkedBody:
    """A body under `parent` with its office (`<login>_office`) and leading group
    (`<login>_group`), a term, organizations (code, name, sector) and a pool (code, name,
    gender)."""
    body = reg.body_create(
        actor=SYSTEM,
        name=name,
        level=level,
        region_code=region_code,
        abbreviation=abbreviation,
        parent=parent,
    )
    term_name, start, end = term
    the_term = reg.term_create(actor=SYSTEM, body=body, name=term_name, start=start, end=end)
    units = [
        reg.org_upsert(
            actor=SYSTEM, body=body, data=reg.OrgInput(code=code, name=org, sector=sector)
        )[0]
        for code, org, sector in orgs
    ]
    pool = [
        reg.cadre_upsert(
            actor=SYSTEM,
            body=body,
            data=reg.CadreInput(
                code=code,
                name=person,
                gender=gender,
                id_number=make_id_number(
                    region_code, dt.date(1978, 5, n), n * 2 + (gender == "男")
                ),
                unit_name=f"{name.removeprefix('中共')}巡察办",
                can_lead=n == 1,
            ),
        )[0]
        for n, (code, person, gender) in enumerate(cadres, 1)
    ]
    short = body.short_title
    office = _user(f"{login}_office", f"{short}巡察办干部", Role.OFFICE, body=body)
    group = _user(f"{login}_group", f"{short}巡察领导小组成员", Role.LEADING_GROUP, body=body)
    return LinkedBody(body, office, group, the_term, pool, units)


def linked_round(
    lb: LinkedBody, *, rule_set: DisciplineRuleSet, when: Schedule, marker: str = ""
) -> LinkedBody:
    """A village round of the body: one team (its first cadre leads) sent to its first
    village, taken to the feedback with a talk, a petition, a problem, a transferred clue
    (none disposed of) and the ledger item planned with `when.deadline`."""
    body = lb.body
    village = next(o for o in lb.orgs if o.sector == "village")
    leader, *members = lb.cadres
    login = lb.office.username.removesuffix("_office")
    with time_machine.travel(dt.datetime.combine(when.start, dt.time(9)), tick=False):
        the_round = rnd.round_create(
            actor=SYSTEM,
            body=body,
            term=lb.term,
            ordinal=1,
            name=f"{body.name.removeprefix('中共')}{lb.term.name}第一轮巡察",
            kind="village",
            sector_mode="mixed",
            theme="惠民政策落实、集体“三资”管理",
            targets_per_team=3,
            start=when.start,
            end=when.end,
        )
        team = rnd.team_create(actor=SYSTEM, round=the_round, number=1, rule_set=rule_set)
        rnd.membership_add(actor=SYSTEM, team=team, cadre=leader, role="leader")
        for cadre in members:
            rnd.membership_add(actor=SYSTEM, team=team, cadre=cadre, role="member")
        insp = rnd.inspection_create(
            actor=SYSTEM,
            team=team,
            target=village,
            kind="village",
            start=when.start,
            end=when.end,
        )
        lb.users["leader"] = _user(f"{login}_leader", leader.name, Role.INSPECTOR, cadre=leader)
        lb.users["liaison"] = _user(
            f"{login}_liaison", f"{village.name}联络员", Role.LIAISON, org=village
        )
        move_on_site(insp)
    with time_machine.travel(dt.datetime.combine(when.transfer, dt.time(9)), tick=False):
        talk = onsite_actions.talk_create(
            actor=SYSTEM,
            inspection=insp,
            interviewee="村党支部书记",
            interviewee_post="书记",
            category="required",
            interviewers=lb.cadres[:2],
            recorder=lb.cadres[-1],
            held_at=dt.datetime.combine(when.start, dt.time(10), tzinfo=dt.UTC),
            place="村委会",
            outline=f"谈话提纲{marker}",
            record=f"谈话记录{marker}",
        )
        onsite_actions.talk_sign_off(actor=SYSTEM, talk=talk)
        petition = onsite_actions.petition_create(
            actor=SYSTEM,
            inspection=insp,
            channel="letter",
            received_on=when.start,
            content=f"群众来信{marker}",
            real_name=True,
            petitioner_name=f"来信人{marker}",
            petitioner_contact="13900000000",
            reported_persons="某村干部",
        )
        onsite_actions.petition_route(
            actor=SYSTEM, petition=petition, in_scope=True, routing="clue"
        )
        paper = paper_in_review(insp, f"集体资金管理不规范{marker}")
        papers.paper_group_review(
            actor=SYSTEM, paper=paper, approve=True, meeting_on=when.transfer, opinion="同意"
        )
        papers.paper_leader_review(actor=SYSTEM, paper=paper, approve=True)
        problem = clue_actions.problem_create(actor=SYSTEM, paper=paper)
        clue = clue_actions.clue_create(
            actor=SYSTEM,
            inspection=insp,
            source="petition",
            record=petition,
            persons=f"涉及人员{marker}",
            summary=f"线索摘要{marker}",
            recipient="discipline",
        )
        clue = clue_actions.clue_transfer(
            actor=SYSTEM,
            clue=clue,
            transferred_on=when.transfer,
            receiving_body=f"{body.short_title}纪委监委",
            receiver="案件监督管理室",
        )
    with time_machine.travel(dt.datetime.combine(when.end, dt.time(9)), tick=False):
        decide(insp, overview=f"总体情况{marker}")
    with time_machine.travel(dt.datetime.combine(when.feedback, dt.time(9)), tick=False):
        inspection_transition(actor=SYSTEM, inspection=insp, to="feedback_given", on=when.feedback)
        item = problem.ledger_items.get()
        rect.item_plan(
            actor=SYSTEM,
            item=item,
            measures="建立村级财务公开制度",
            responsible_leader="村党支部书记",
            responsible_department="乡镇经管站",
            deadline=when.deadline,
            kind="concentrated",
        )
    insp.refresh_from_db()
    item.refresh_from_db()
    lb.round, lb.inspection, lb.problem, lb.clue, lb.item = the_round, insp, problem, clue, item
    return lb


def small_city(parent: InspectingBody) -> LinkedBody:
    """开封市委 under parent with one department and one cadre: the smallest body below, for a
    test that asks only what a lower body's office or leading group reaches."""
    return linked_body(
        parent=parent,
        name="中共开封市委",
        level="city",
        region_code="410200",
        abbreviation="汴",
        login="kf",
        term=("十三届", dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
        orgs=[("KF-D001", "开封市财政局", "department")],
        cadres=[("KF001", "许文博", "男")],
    )


def build_linked_world(world: World, *, marker: str = "") -> Linked:
    """开封市委 under the world's province, with 兰考县委 and 杞县委 under it, each county
    with a round taken to the feedback (see the module's docstring)."""
    city = linked_body(
        parent=world.body,
        name="中共开封市委",
        level="city",
        region_code="410200",
        abbreviation="汴",
        login="kf",
        term=("十三届", dt.date(2022, 1, 1), dt.date(2026, 12, 31)),
        orgs=[
            ("KF-D001", "开封市财政局", "department"),
            ("KF-D002", "开封市农业农村局", "department"),
        ],
        cadres=[("KF001", "许文博", "男"), ("KF002", "唐静", "女")],
    )
    lankao = linked_body(
        parent=city.body,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        login="lk",
        term=("十四届", dt.date(2022, 6, 1), dt.date(2027, 5, 31)),
        orgs=[
            ("410225100000", "城关镇党委", "township"),
            ("410225100201", "张庄村党支部", "village"),
            ("410225100202", "胡寨村党支部", "village"),
            ("410225100203", "朱庄村党支部", "village"),
        ],
        cadres=[("LK001", "韩光明", "男"), ("LK002", "魏红霞", "女"), ("LK003", "赵新民", "男")],
    )
    qixian = linked_body(
        parent=city.body,
        name="中共杞县委",
        level="county",
        region_code="410221",
        abbreviation="杞",
        login="qx",
        term=("十五届", dt.date(2026, 6, 1), dt.date(2031, 5, 31)),
        orgs=[
            ("410221100000", "城郊乡党委", "township"),
            ("410221100201", "付庄村党支部", "village"),
            ("410221100202", "孟寨村党支部", "village"),
        ],
        cadres=[("QX001", "孔德华", "男"), ("QX002", "高丽娟", "女"), ("QX003", "陈永刚", "男")],
    )
    rules = rnd.ruleset_create(
        actor=SYSTEM, name="巡察工作纪律", items=["严格执行请示报告制度", "严禁泄露巡察工作秘密"]
    )
    linked_round(
        lankao,
        rule_set=rules,
        marker=marker,
        when=Schedule(
            start=dt.date(2026, 3, 2),
            end=dt.date(2026, 4, 30),
            transfer=dt.date(2026, 4, 10),
            feedback=dt.date(2026, 6, 1),
            deadline=dt.date(2026, 9, 30),
        ),
    )
    linked_round(
        qixian,
        rule_set=rules,
        marker=marker,
        when=Schedule(
            start=dt.date(2026, 6, 15),
            end=dt.date(2026, 7, 31),
            transfer=dt.date(2026, 7, 10),
            feedback=dt.date(2026, 8, 20),
            deadline=dt.date(2026, 10, 31),
        ),
    )
    return Linked(city, lankao, qixian)

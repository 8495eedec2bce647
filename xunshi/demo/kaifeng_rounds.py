"""The rounds of the demo's bodies below the province, and their walk through the lifecycle.

开封市委 has one round over four of its departments (十四届市委第一轮巡察, on site 2026-09-07 …
10-16): the liaison's department has had its feedback and owes its rectification plan, one
department's report was passed and filed up, one report waits for the office, one team has
just left. Each county has two rounds:

- the last round of its previous term (十四届县委第十轮巡察, 对村巡察, spring 2026): two teams
  each sent to three villages of one township in sequence (驻村安排 through
  ``round_schedule_villages``), every village through the lifecycle to its closure, except
  the township liaison's first village, still in rectification with one item closed and the
  others red, yellow and green on the day of the load, and a clue transferred in April whose
  disposal was never reported (past its due date);
- the first round of its new term (十五届县委第一轮巡察, 对村巡察, 2026-11-02 … 12-25): two teams
  一托8 in batches of two villages, nine working days a batch, grouped by township; on the day
  of the load the batches already past have withdrawn, the one under way is on site and the
  rest wait with their entry notice.

The plan of every round is filed up (报备) at its first authorization and the reports,
feedback, rectification reports and disclosures as they happen, by the lifecycle's effects.
Teams are formed through ``membership_add`` from the body's own pool, clear of every pair
``planner.avoidance_index.candidate_pairs`` offers (as the province's history does), so the
refusal never fires.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError

from planner.avoidance import DEFAULT_RULES, CadreFacts
from planner.avoidance_index import candidate_pairs
from xunshi.accounts.actors import SYSTEM
from xunshi.lifecycle.actions import inspection_transition
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.avoidance import cadre_facts, target_facts
from xunshi.rounds.models import (
    DisciplineRuleSet,
    Inspection,
    InspectionKind,
    Round,
    SectorMode,
    Team,
    TeamRole,
)
from xunshi.rounds.village_actions import round_schedule_villages

from .kaifeng_records import (
    DEPARTMENT,
    VILLAGE,
    clue_transferred,
    problems_written,
    talks_and_petitions,
)
from .lifecycle import Days, walk_ledger, walk_on_site, walk_to_decision

__all__ = ["LocalBody", "plan_city_round", "plan_county_rounds", "walk_city", "walk_county"]

D = dt.date


# The county's closed village round (spring 2026): each village's own days on site come from
# the schedule; the report, feedback and ledger move on these.
SPRING = Days(
    authorized=D(2026, 3, 3),
    notified=D(2026, 3, 5),
    on_site=D(2026, 3, 9),
    withdrawn=D(2026, 4, 30),
    drafted=D(2026, 5, 15),
    reviewed=D(2026, 5, 22),
    heard=D(2026, 5, 29),
    decided=D(2026, 6, 5),
    feedback=D(2026, 6, 15),
    rectifying=D(2026, 7, 3),
    progress=D(2026, 7, 20),
    claimed=D(2026, 8, 3),
    verified=D(2026, 8, 10),
    reported=D(2026, 8, 14),
    disclosed=D(2026, 8, 31),
    monitoring=D(2026, 9, 7),
    closed=D(2026, 10, 20),
    deadline=D(2026, 8, 31),
)
# The county's village round in progress (on site 2026-11-02 … 12-25).
AUTUMN = replace(
    SPRING,
    authorized=D(2026, 10, 26),
    notified=D(2026, 10, 28),
    on_site=D(2026, 11, 2),
    withdrawn=D(2026, 12, 25),
)
# The city's round over its departments (every day before 2026-11-02, the first day the
# province's demo may be loaded on).
CITY_DAYS = replace(
    SPRING,
    authorized=D(2026, 9, 2),
    notified=D(2026, 9, 4),
    on_site=D(2026, 9, 7),
    withdrawn=D(2026, 10, 16),
    drafted=D(2026, 10, 21),
    reviewed=D(2026, 10, 23),
    heard=D(2026, 10, 27),
    decided=D(2026, 10, 29),
    feedback=D(2026, 10, 30),
)
VILLAGE_THEME = "惠民政策落实、集体“三资”管理、村级组织建设和基层干部作风"
CITY_THEME = "聚焦“两个维护”，监督检查贯彻落实党中央决策部署和省委、市委工作要求情况"


@dataclass
class LocalBody:
    """One body below the province as the demo builds it: its registry and pool, and what
    its rounds and logins need (filled in by the planning below)."""

    body: InspectingBody
    login: str  # kaifeng, lankao, qixian
    terms: list[Term]  # oldest first; the last is the current one
    departments: list[OrgUnit]
    townships: list[OrgUnit]  # those with villages in the demo, in code order
    villages: dict[int, list[OrgUnit]]  # township id → its villages in the demo
    cadres: list[Cadre]
    rounds: list[Round] = field(default_factory=list)
    leader: Cadre | None = None  # the logins <login>_zuzhang and <login>_zuyuan
    member: Cadre | None = None
    liaison_org: OrgUnit | None = None  # the city's <login>_lianluoyuan
    township: OrgUnit | None = None  # the county's <login>_xiangzhen
    village: OrgUnit | None = None  # the county's <login>_cun


class _Picker:
    """Forms the body's teams from its pool: the least used cadres clear of the targets."""

    def __init__(self, rng: random.Random, cadres: Sequence[Cadre]) -> None:
        self.rng = rng
        # The office's heads stay at home, as the province's do.
        self.cadres = [c for c in cadres if "巡察办" not in c.post]
        self.used: Counter[int] = Counter()
        self.order = {c.pk: rng.random() for c in cadres}
        self.facts: list[CadreFacts] = []
        self.taken: set[int] = set()

    def new_round(self) -> None:
        """Everybody free again; the facts read anew (they hold the teams of earlier rounds)."""
        self.facts = cadre_facts(self.cadres)
        self.taken = set()

    def team(
        self,
        the_round: Round,
        number: int,
        targets: Sequence[OrgUnit],
        rule_set: DisciplineRuleSet,
        roles: Sequence[str],
    ) -> Team:
        """The team with its targets, its members in `roles` (the first the leader) and its
        temporary Party branch."""
        team = rnd.team_create(actor=SYSTEM, round=the_round, number=number, rule_set=rule_set)
        for target in targets:
            rnd.inspection_create(actor=SYSTEM, team=team, target=target, kind=the_round.kind)
        pairs = candidate_pairs(self.facts, target_facts(targets), DEFAULT_RULES)
        near = {(c.code, t.code) for c, t in pairs}
        codes = [t.code for t in targets]
        chosen: list[Cadre] = []
        for role in roles:
            ready = [
                c
                for c in self.cadres
                if c.pk not in self.taken
                and (role != TeamRole.LEADER or c.can_lead)
                and not any((c.code, t) in near for t in codes)
            ]
            # The office's own staff lead; the others are seconded, the least used first.
            ready.sort(
                key=lambda c: (
                    (c.unit_id is not None) == (role == TeamRole.LEADER),
                    self.used[c.pk],
                    self.order[c.pk],
                )
            )
            if not ready:
                raise ValidationError(f"演示数据：{team.name}可选的巡察干部不足。")
            cadre = ready[0]
            self.taken.add(cadre.pk)
            self.used[cadre.pk] += 1
            rnd.membership_add(actor=SYSTEM, team=team, cadre=cadre, role=role)
            chosen.append(cadre)
        assert the_round.start is not None
        rnd.branch_establish(
            actor=SYSTEM, team=team, secretary=chosen[0], established_on=the_round.start
        )
        return team


def _round(
    lb: LocalBody,
    term: Term,
    ordinal: int,
    *,
    kind: str,
    per_team: int,
    start: dt.date,
    end: dt.date,
    theme: str,
) -> Round:
    cn = "零一二三四五六七八九十"
    the_round = rnd.round_create(
        actor=SYSTEM,
        body=lb.body,
        term=term,
        ordinal=ordinal,
        name=f"{term.name}第{cn[ordinal]}轮巡察",
        kind=kind,
        sector_mode=SectorMode.MIXED if kind == InspectionKind.VILLAGE else SectorMode.ROTATING,
        theme=theme,
        targets_per_team=per_team,
        start=start,
        end=end,
    )
    lb.rounds.append(the_round)
    return the_round


def plan_city_round(lb: LocalBody, *, rng: random.Random, rule_set: DisciplineRuleSet) -> None:
    """The city's round: two teams, each sent to two departments (一托2)."""
    the_round = _round(
        lb,
        lb.terms[-1],
        1,
        kind=InspectionKind.REGULAR,
        per_team=2,
        start=CITY_DAYS.on_site,
        end=CITY_DAYS.withdrawn,
        theme=CITY_THEME,
    )
    targets = rng.sample(lb.departments, 4)
    picker = _Picker(rng, lb.cadres)
    roles = [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.LIAISON]
    picker.new_round()
    for number in (1, 2):
        pair = sorted(targets[2 * number - 2 : 2 * number], key=lambda o: o.code)
        picker.team(the_round, number, pair, rule_set, roles)
        if number == 1:
            lb.liaison_org = pair[0]  # its department is the one at the feedback


def plan_county_rounds(lb: LocalBody, *, rng: random.Random, rule_set: DisciplineRuleSet) -> None:
    """The county's closed village round of its previous term and the village round of its
    new term in progress, with their teams and 驻村安排."""
    picker = _Picker(rng, lb.cadres)
    roles = [TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.MEMBER]
    old, new = lb.terms
    spring = _round(
        lb,
        old,
        10,
        kind=InspectionKind.VILLAGE,
        per_team=3,
        start=SPRING.on_site,
        end=SPRING.withdrawn,
        theme=VILLAGE_THEME,
    )
    picker.new_round()
    for number, township in enumerate(lb.townships[:2], start=1):
        villages = lb.villages[township.pk][:3]
        picker.team(spring, number, villages, rule_set, roles)
    round_schedule_villages(
        actor=SYSTEM, round=spring, mode="sequence", days_per_village=10, group_by_township=True
    )
    lb.township = lb.townships[0]
    lb.village = lb.villages[lb.township.pk][0]

    autumn = _round(
        lb,
        new,
        1,
        kind=InspectionKind.VILLAGE,
        per_team=8,
        start=AUTUMN.on_site,
        end=AUTUMN.withdrawn,
        theme=VILLAGE_THEME,
    )
    picker.new_round()
    for number in (1, 2):
        pair = lb.townships[2 * number : 2 * number + 2]
        villages = [v for t in pair for v in lb.villages[t.pk][:4]]
        team = picker.team(autumn, number, villages, rule_set, roles)
        if number == 1:
            members = list(team.memberships.select_related("cadre"))
            lb.leader = next(m.cadre for m in members if m.role == TeamRole.LEADER)
            lb.member = next(m.cadre for m in members if m.role == TeamRole.MEMBER)
    round_schedule_villages(
        actor=SYSTEM,
        round=autumn,
        mode="batch",
        batch_size=2,
        days_per_village=9,
        group_by_township=True,
    )


# --- the walk -----------------------------------------------------------------------------------


def _overview(insp: Inspection) -> str:
    return (
        f"{insp.target.name}党组织能够贯彻落实上级决策部署，工作总体平稳，"
        "但在集体“三资”管理、惠民政策落实和基层党组织建设等方面仍存在一些问题。"
    )


def walk_county(lb: LocalBody, today: dt.date) -> None:
    """The closed round's villages through the lifecycle, and the village round in progress
    as far as the day of the load."""
    spring, autumn = lb.rounds
    for insp in spring.inspections.select_related("team", "target", "round__body").order_by(
        "team__number", "batch"
    ):
        live = insp.target_id == (lb.village.pk if lb.village else None)
        assert insp.start is not None and insp.end is not None
        days = replace(SPRING, on_site=insp.start, withdrawn=insp.end)
        walk_on_site(insp, days)
        talks, petitions = talks_and_petitions(insp, VILLAGE, talks=2, petitions=2)
        problems_written(insp, VILLAGE, talks, 4 if live else 2)
        if live or insp.batch == 1:
            clue_transferred(insp, petitions[1], disposed=not live)
        walk_to_decision(insp, days, overview=_overview(insp), suggestions=VILLAGE.suggestions)
        walk_ledger(insp, today, days, close_all=not live, owners=VILLAGE.owners)
    for insp in autumn.inspections.select_related("team", "target").order_by(
        "team__number", "batch"
    ):
        assert insp.start is not None and insp.end is not None
        walk_on_site(insp, AUTUMN, on_site=False)
        if insp.start > today:
            continue  # the entry notice is out; the team has not arrived yet
        inspection_transition(actor=SYSTEM, inspection=insp, to="on_site", on=insp.start)
        if insp.start < today:
            talks_and_petitions(insp, VILLAGE)
        if insp.end < today:
            inspection_transition(actor=SYSTEM, inspection=insp, to="withdrawn", on=insp.end)


def walk_city(lb: LocalBody) -> None:
    """The city's four departments: one at the feedback, one with its report passed, one
    with its report waiting for the office, one just withdrawn."""
    (the_round,) = lb.rounds
    untils = ["feedback_given", "office_reviewed", "report_drafted", "withdrawn"]
    rows = the_round.inspections.select_related("team", "target").order_by(
        "team__number", "target__code"
    )
    for insp, until in zip(rows, untils, strict=True):
        walk_on_site(insp, CITY_DAYS)
        talks, _petitions = talks_and_petitions(insp, DEPARTMENT)
        if until == "withdrawn":
            inspection_transition(
                actor=SYSTEM, inspection=insp, to="withdrawn", on=CITY_DAYS.withdrawn
            )
            continue
        problems_written(insp, DEPARTMENT, talks, 3 if until == "feedback_given" else 2)
        walk_to_decision(
            insp,
            CITY_DAYS,
            overview=f"{insp.target.name}党组能够贯彻落实市委工作要求，但在落实全面从严治党"
            "主体责任和选人用人等方面仍存在一些问题。",
            suggestions=DEPARTMENT.suggestions,
            until=until,
        )

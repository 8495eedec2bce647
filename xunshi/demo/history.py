"""The history of the demo term: discipline rules and rounds 1–9 of 十一届省委 (2022–2026).

Two rounds a year, as in the seed article: sector rotation (板块轮动) first — departments,
counties, SOEs and universities, then cities — and in spring 2025 the special round on poverty
alleviation (扶贫领域专项巡视) in 30 of the 53 former poverty counties, ten teams 一托三; mixed
rounds (板块混动) after it. About 60% of the organizations in scope are covered, so the coverage
page and the planning of round 10 have something to show; the other 23 poverty counties are
among those left.

Teams are formed from the pool through ``membership_add``, which refuses avoidance hits. The
builder keeps clear of every pair ``planner.avoidance_index.candidate_pairs`` offers, a
superset of the hits that does not depend on the date, so the refusal never fires and the teams
do not change with the day the demo is loaded. Full-time staff of the office lead the teams
and act as deputies and liaisons; the members are seconded from the rest of the pool, the least
used first.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from planner.avoidance import DEFAULT_RULES
from planner.avoidance_index import candidate_pairs
from xunshi.accounts.actors import SYSTEM
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Term
from xunshi.rounds import actions as rnd
from xunshi.rounds.avoidance import cadre_facts, target_facts
from xunshi.rounds.models import Inspection, InspectionKind, Round, SectorMode, Stage, TeamRole

__all__ = ["ROUNDS", "RULE_SETS", "History", "RoundPlan", "build_history"]

RULE_SETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "中央巡视机构“五严格”",
        (
            "严格遵守政治纪律和政治规矩，坚决维护党中央权威和集中统一领导",
            "严格按照授权开展工作，不超越职责范围，不干预被巡视单位正常工作",
            "严格遵守保密纪律，不泄露巡视工作秘密",
            "严格执行中央八项规定及其实施细则精神，廉洁自律",
            "严格执行请示报告制度，重要情况和重大问题及时向巡视工作领导小组报告",
        ),
    ),
    (
        "中央巡视机构“六严禁”",
        (
            "严禁超越职责范围干预被巡视单位的正常工作和处理具体问题",
            "严禁泄露巡视工作秘密，私自留存、复制巡视工作资料",
            "严禁接受被巡视单位及其工作人员的宴请、礼品礼金、土特产和各种有价证券",
            "严禁参加被巡视单位安排的旅游、娱乐、健身等可能影响公正履职的活动",
            "严禁利用巡视工作之便为本人或他人谋取私利",
            "严禁违规干预被巡视单位的干部选拔任用、工程项目和经济活动",
        ),
    ),
    (
        "河南省巡视巡察干部“十不准”",
        (
            "不准违反政治纪律和政治规矩，发表与党中央精神不一致的言论",
            "不准超越授权范围开展工作，干预被巡视巡察单位的正常工作",
            "不准泄露巡视巡察工作秘密，私自留存、复制、传播有关材料",
            "不准接受被巡视巡察单位的宴请、礼品礼金、消费卡和土特产",
            "不准参加被巡视巡察单位安排的旅游、娱乐、健身等活动",
            "不准利用巡视巡察工作之便谋取私利，为他人说情打招呼",
            "不准违规使用被巡视巡察单位的车辆、住房和办公用房",
            "不准擅自处置问题线索，私下接触被巡视巡察对象或信访举报人",
            "不准在巡视巡察期间饮酒，擅自离开驻地",
            "不准隐瞒、歪曲、夸大巡视巡察发现的问题",
        ),
    ),
)

POLITICAL = "聚焦“两个维护”，监督检查贯彻落实党中央决策部署和省委工作要求情况"


@dataclass(frozen=True)
class RoundPlan:
    ordinal: int
    start: dt.date
    end: dt.date
    teams: int
    per_team: int  # 一托N
    quota: tuple[tuple[str, int], ...]  # (group of targets, how many)
    mode: str = SectorMode.ROTATING
    kind: str = InspectionKind.REGULAR
    theme: str = POLITICAL


D = dt.date
ROUNDS: tuple[RoundPlan, ...] = (
    RoundPlan(1, D(2022, 3, 7), D(2022, 5, 6), 10, 3, (("department", 30),)),
    RoundPlan(2, D(2022, 9, 5), D(2022, 11, 4), 10, 2, (("county", 20),)),
    RoundPlan(
        3,
        D(2023, 3, 6),
        D(2023, 5, 5),
        8,
        3,
        (("soe", 9), ("university", 15)),
        theme="国有企业改革发展和高校落实立德树人根本任务、全面从严治党情况",
    ),
    RoundPlan(4, D(2023, 9, 4), D(2023, 11, 3), 10, 2, (("county", 20),)),
    RoundPlan(5, D(2024, 3, 4), D(2024, 4, 30), 8, 2, (("department", 16),)),
    RoundPlan(
        6,
        D(2024, 9, 2),
        D(2024, 11, 1),
        9,
        2,
        (("city", 6), ("university", 12)),
        mode=SectorMode.MIXED,
    ),
    RoundPlan(
        7,
        D(2025, 3, 3),
        D(2025, 4, 30),
        10,
        3,
        (("poverty", 30),),
        kind=InspectionKind.SPECIAL,
        theme="巩固拓展脱贫攻坚成果同乡村振兴有效衔接（扶贫领域专项巡视）",
    ),
    RoundPlan(
        8,
        D(2025, 9, 1),
        D(2025, 10, 31),
        10,
        2,
        (("county", 10), ("department", 6), ("soe", 2), ("university", 2)),
        mode=SectorMode.MIXED,
        theme=POLITICAL + "，突出乡村振兴和优化营商环境",
    ),
    RoundPlan(
        9,
        D(2026, 3, 9),
        D(2026, 5, 8),
        10,
        2,
        (("county", 10), ("department", 4), ("city", 3), ("university", 3)),
        mode=SectorMode.MIXED,
        theme=POLITICAL + "，突出防范化解重大风险",
    ),
)
CN = "零一二三四五六七八九十"
SENIOR = frozenset(
    {"正厅级", "副厅级", "一级巡视员", "二级巡视员", "正处级", "一级调研员", "二级调研员"}
)


@dataclass(frozen=True)
class History:
    rounds: list[Round]
    teams: int
    inspections: int
    demo_leader: Cadre  # the leader of round 9's first team and one of its members
    demo_member: Cadre
    demo_liaison_org: OrgUnit  # a county that team inspected


def _group(org: OrgUnit) -> str:
    if org.sector == "county":
        return "poverty" if "贫困县" in org.tags else "county"
    return "department" if org.sector == "people_org" else org.sector


class _Staff:
    """Who may serve in which role, and how often each has served."""

    def __init__(self, rng: random.Random, cadres: Sequence[Cadre], principals: set[int]) -> None:
        self.rng = rng
        self.used: Counter[int] = Counter()
        self.taken: set[int] = set()
        self.order: dict[int, float] = {}
        # The office's own leaders stay at home, and so do the counties' 书记 in the pool.
        free = [c for c in cadres if c.pk not in principals and not c.post.startswith("省委巡视办")]
        self.leaders = [c for c in free if c.can_lead]
        self.deputies = [c for c in free if c.rank in SENIOR]
        self.liaisons = [c for c in free if c.rank not in SENIOR]
        self.petition = [c for c in free if "信访" in c.skills]
        self.auditors = [c for c in free if "财务审计" in c.skills and not c.can_lead]
        self.members = [c for c in free if c.unit_id is not None and not c.can_lead]

    def new_round(self, cadres: Sequence[Cadre]) -> None:
        self.taken = set()
        self.order = {c.pk: self.rng.random() for c in cadres}

    def pick(
        self,
        pool: Sequence[Cadre],
        n: int,
        clear: Callable[[Cadre], bool],
        *,
        office_first: bool = False,
    ) -> list[Cadre]:
        """The n least used cadres of the pool who are free and clear of the team's targets."""
        ready = [c for c in pool if c.pk not in self.taken and clear(c)]
        ready.sort(
            key=lambda c: (
                office_first and c.unit_id is not None,
                self.used[c.pk],
                self.order[c.pk],
            )
        )
        if len(ready) < n:
            raise ValidationError("演示数据：可选的巡视干部不足。")
        chosen = ready[:n]
        for c in chosen:
            self.taken.add(c.pk)
            self.used[c.pk] += 1
        return chosen


def _assign(plan: RoundPlan, chosen: Sequence[OrgUnit]) -> list[list[OrgUnit]]:
    """Targets to teams: neighbours together in the special round, sectors mixed otherwise."""
    if plan.kind == InspectionKind.SPECIAL:
        ordered = sorted(chosen, key=lambda o: o.code)
        return [ordered[i * plan.per_team : (i + 1) * plan.per_team] for i in range(plan.teams)]
    teams: list[list[OrgUnit]] = [[] for _ in range(plan.teams)]
    for i, org in enumerate(chosen):
        teams[i % plan.teams].append(org)
    return teams


def build_history(*, rng: random.Random, body: InspectingBody, term: Term) -> History:
    """Write the rule sets and rounds 1–9 with their teams, branches and closed inspections."""
    rule_sets = [
        rnd.ruleset_create(actor=SYSTEM, name=name, items=list(items)) for name, items in RULE_SETS
    ]
    pledged = rule_sets[-1]  # the teams pledge the province's 十不准
    cadres = list(Cadre.objects.filter(active=True).order_by("code"))
    principals = set(
        OrgUnit.objects.filter(body=body, principal__isnull=False).values_list(
            "principal_id", flat=True
        )
    )
    facts = cadre_facts(cadres)
    staff = _Staff(rng, cadres, principals)
    left: dict[str, list[OrgUnit]] = {}
    for org in OrgUnit.objects.filter(body=body, in_scope=True).order_by("code"):
        left.setdefault(_group(org), []).append(org)

    rounds, n_teams, n_inspections = [], 0, 0
    first_team: list[tuple[TeamRole, Cadre]] = []
    first_targets: list[OrgUnit] = []
    for plan in ROUNDS:
        chosen: list[OrgUnit] = []
        for group, count in plan.quota:
            picked = sorted(rng.sample(left[group], count), key=lambda o: o.code)
            left[group] = [o for o in left[group] if o not in picked]
            chosen += picked
        the_round = rnd.round_create(
            actor=SYSTEM,
            body=body,
            term=term,
            ordinal=plan.ordinal,
            name=f"{term.name}第{CN[plan.ordinal]}轮巡视",
            kind=plan.kind,
            sector_mode=plan.mode,
            theme=plan.theme,
            targets_per_team=plan.per_team,
            start=plan.start,
            end=plan.end,
        )
        near = {
            (c.code, t.code) for c, t in candidate_pairs(facts, target_facts(chosen), DEFAULT_RULES)
        }
        staff.new_round(cadres)
        for number, targets in enumerate(_assign(plan, chosen), start=1):
            team = rnd.team_create(actor=SYSTEM, round=the_round, number=number, rule_set=pledged)
            for target in targets:
                rnd.inspection_create(actor=SYSTEM, team=team, target=target, kind=plan.kind)
            roster = _roster(staff, [t.code for t in targets], near)
            for role, cadre in roster:
                rnd.membership_add(actor=SYSTEM, team=team, cadre=cadre, role=role)
            rnd.branch_establish(
                actor=SYSTEM, team=team, secretary=roster[0][1], established_on=plan.start
            )
            n_teams += 1
            n_inspections += len(targets)
            if number == 1:
                first_team, first_targets = roster, targets
        for inspection in the_round.inspections.select_related("team"):
            if plan is ROUNDS[-1] and inspection.team.number == 1:
                continue  # walked through its whole lifecycle by xunshi.demo.lifecycle
            inspection_set_stage(inspection=inspection, stage=Stage.CLOSED)
        rounds.append(the_round)
    return History(
        rounds=rounds,
        teams=n_teams,
        inspections=n_inspections,
        demo_leader=first_team[0][1],
        demo_member=next(c for role, c in first_team if role == TeamRole.MEMBER),
        demo_liaison_org=next(t for t in first_targets if t.sector == "county"),
    )


def _roster(
    staff: _Staff, targets: list[str], near: set[tuple[str, str]]
) -> list[tuple[TeamRole, Cadre]]:
    """Leader, deputy, 4–6 members (one an auditor), liaison and petition officer."""

    def clear(c: Cadre) -> bool:
        return not any((c.code, t) in near for t in targets)

    leader = staff.pick(staff.leaders, 1, clear, office_first=True)
    deputy = staff.pick(staff.deputies, 1, clear, office_first=True)
    auditor = staff.pick(staff.auditors, 1, clear)
    members = staff.pick(staff.members, staff.rng.randint(3, 5), clear)
    liaison = staff.pick(staff.liaisons, 1, clear, office_first=True)
    petition = staff.pick(staff.petition, 1, clear)
    return (
        [(TeamRole.LEADER, leader[0]), (TeamRole.DEPUTY, deputy[0])]
        + [(TeamRole.MEMBER, c) for c in auditor + members]
        + [(TeamRole.LIAISON, liaison[0]), (TeamRole.PETITION, petition[0])]
    )


def inspection_set_stage(*, inspection: Inspection, stage: str) -> Inspection:
    """Put an inspection at a stage without the lifecycle's table, guards or effects: the
    demo's way to record the term's finished history (and the tests' way to place an
    inspection, through `xunshi.testsupport.lifecycle`). The app never calls it; a real
    inspection moves only through `xunshi.lifecycle.actions.inspection_transition`."""
    if stage not in Stage.values:
        raise ValidationError("未知的巡视阶段。")
    with transaction.atomic():
        before = snapshot(inspection, ["stage"])
        inspection.stage = stage
        inspection.save(update_fields=["stage"])
        record(
            actor=SYSTEM,
            action="rounds.inspection.stage",
            obj=inspection,
            before=before,
            after=snapshot(inspection, ["stage"]),
        )
    return inspection

"""A round's plan as the office reads it: `planning.plan_review` (which works on the stored
problem's ids) joined with the registry's names — a cadre's unit and post, a prefecture's or a
township's name. The planning pages and both documents (documents.py) read this one structure,
so what is exported is what was shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xunshi.lib.officedoc import (
    cn_number,
)
from xunshi.registry.models import Cadre, OrgUnit, Region, Sector

from .models import PlanningJob, Round
from .planning import PersonView, PlanReview, TargetView, plan_review

__all__ = [
    "STATUS_WORDS",
    "Member",
    "PlanSheet",
    "Target",
    "TeamSheet",
    "plan_sheet",
    "sector_label",
    "solver_teams",
    "team_name",
]

# The solver's statuses in the office's words (the documents are Chinese in every language).
STATUS_WORDS = {
    "optimal": "最优（已证明）",
    "feasible": "可行",
    "infeasible": "无解",
    "unknown": "超时无解",
}


def sector_label(code: str) -> str:
    return str(Sector(code).label) if code in Sector.values else code


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    unit: str  # the unit's name as the registry holds it
    post: str
    skills: tuple[str, ...]
    can_lead: bool

    @property
    def title(self) -> str:
        """Unit and post as an official document writes them after a name: 省审计厅副厅长;
        a post that names its unit (省委巡视办主任 of 省委巡视办) is written once."""
        unit, post = self.unit, self.post
        if not post or post in unit:
            return unit
        if unit in post:
            return post
        # 省委巡视办 + 巡视办主任: the post starts with the unit's last words.
        for n in range(min(len(unit), len(post)), 1, -1):
            if unit.endswith(post[:n]):
                return unit + post[n:]
        return unit + post


@dataclass(frozen=True)
class Target:
    code: str
    name: str
    sector: str  # the sector's label
    region: str  # the prefecture's name (a village's: its township's)
    workload: int


@dataclass(frozen=True)
class TeamSheet:
    number: int
    name: str  # 第一巡视组
    leader: Member | None
    members: tuple[Member, ...]  # leader excluded
    targets: tuple[Target, ...]
    workload: int
    regions: tuple[str, ...]
    avoidance: tuple[str, ...]  # the sentences of the avoidance hits inside the team

    @property
    def size(self) -> int:
        return len(self.members) + (self.leader is not None)

    @property
    def people(self) -> tuple[Member, ...]:
        return ((self.leader,) if self.leader else ()) + self.members


@dataclass(frozen=True)
class PlanSheet:
    job: PlanningJob
    round: Round
    review: PlanReview
    teams: tuple[TeamSheet, ...]
    unassigned: tuple[Target, ...]
    edited: bool  # the teams differ from the solver's
    solver_objective: int | None  # the objective of the solver's own plan

    @property
    def objective_change(self) -> int | None:
        if self.review.objective is None or self.solver_objective is None:
            return None
        return self.review.objective - self.solver_objective

    @property
    def target_count(self) -> int:
        return sum(len(t.targets) for t in self.teams)

    @property
    def member_count(self) -> int:
        return sum(t.size for t in self.teams)


def team_name(rnd: Round, number: int) -> str:
    """The name `team_create` gives the team: 第一巡视组 / 第一巡察组."""
    return f"第{cn_number(number)}{rnd.body.work_word}组"


def solver_teams(job: PlanningJob) -> list[dict[str, Any]]:
    """The teams of the solver's plan as plain JSON (leader, members, targets)."""
    return [dict(t) for t in (job.plan or {}).get("teams", [])]


def _same_teams(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]) -> bool:
    def key(teams: Sequence[Mapping[str, Any]]) -> list[tuple[str, frozenset[str], frozenset[str]]]:
        return [
            (t.get("leader", ""), frozenset(t.get("members", [])), frozenset(t.get("targets", [])))
            for t in teams
        ]

    return key(a) == key(b)


def plan_sheet(job: PlanningJob, teams: Sequence[Mapping[str, Any]] | None = None) -> PlanSheet:
    """The job's plan, or the same plan with the edited `teams`, reviewed and named."""
    own = solver_teams(job)
    chosen = [dict(t) for t in teams] if teams is not None else own
    plan = {**(job.plan or {}), "teams": chosen}
    review = plan_review(job.problem, plan)
    people = [p for t in review.teams for p in ((t.leader,) if t.leader else ()) + t.members]
    places = [g for t in review.teams for g in t.targets] + list(review.unassigned)
    member = _members(people)
    target = _targets(places)
    rnd = job.round
    sheets = tuple(
        TeamSheet(
            number=t.number,
            name=team_name(rnd, t.number),
            leader=member(t.leader) if t.leader else None,
            members=tuple(member(p) for p in t.members),
            targets=tuple(target(g) for g in t.targets),
            workload=t.workload,
            regions=tuple(dict.fromkeys(target(g).region for g in t.targets)),
            avoidance=t.conflicts,
        )
        for t in review.teams
    )
    solver_objective = (job.plan or {}).get("objective")
    return PlanSheet(
        job=job,
        round=rnd,
        review=review,
        teams=sheets,
        unassigned=tuple(target(g) for g in review.unassigned),
        edited=teams is not None and not _same_teams(chosen, own),
        solver_objective=solver_objective if isinstance(solver_objective, int) else None,
    )


def _members(people: Iterable[PersonView]) -> Callable[[PersonView], Member]:
    rows = {
        c.code: c
        for c in Cadre.objects.filter(code__in={p.id for p in people}).only(
            "code", "unit_name", "post"
        )
    }

    def member(p: PersonView) -> Member:
        row = rows.get(p.id)
        unit = row.unit_name if row else p.unit.removeprefix("name:")
        return Member(p.id, p.name, unit, row.post if row else "", p.skills, p.can_lead)

    return member


def _region_code(region: str) -> str:
    """The Region row of a problem's region: a prefecture's four digits name 410200; a
    township's twelve are its own code (planning.region_of)."""
    return region + "00" if len(region) == 4 else region


def _targets(places: Iterable[TargetView]) -> Callable[[TargetView], Target]:
    places = list(places)
    codes = {_region_code(t.region) for t in places if t.region}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    # A township outside the regions loaded: its villages carry the township's registry code.
    names |= dict(
        OrgUnit.objects.filter(code__in=codes - names.keys(), sector=Sector.TOWNSHIP).values_list(
            "code", "name"
        )
    )

    def target(t: TargetView) -> Target:
        region = names.get(_region_code(t.region), t.region)
        return Target(t.id, t.name, sector_label(t.sector), region, t.workload)

    return target

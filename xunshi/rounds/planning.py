"""The one adapter between the database and the planning engine in ``planner/``.

A round is planned in four steps. ``propose_targets`` suggests targets from the term's coverage
(全覆盖). ``build_problem`` turns the round's parameters (``RoundParams``), its targets and the
cadre pool into a ``planner.round.RoundProblem`` — the ``xunshi-round/1`` file of the format —
with every blocking avoidance hit as a conflict. The solver runs in the background
(``rounds.tasks``) on that stored problem, so a plan is always reproducible from the job row.
``plan_review`` shows a plan, or an edited one, with its violations and the objective
recomputed by ``planner.check``, team by team.

How rows become problem fields:

* ids are the registry codes: ``Cadre.code`` and ``OrgUnit.code``, unique in the whole
  deployment, so a 交叉巡察 round's problem may hold the pools and registries of several bodies;
* conflicts are the blocking avoidance hits and, in a 交叉巡察 round, each cadre with each unit
  of the cadre's own body (rule ``cross_own_body``, "交叉巡察须异地派出");
* a cadre's unit is its organization's code, or ``"name:" + unit_name`` for a unit outside the
  registry (the office's own staff share ``name:省委巡视办``, so a team has at most one of them);
* skills are the pool's own Chinese category names (纪检监察, 组织人事, 财务审计 …), so
  ``RoundParams.team_skills`` names them the same way;
* a target's region — what the planner keeps together in a team — is its prefecture, the first
  four digits of its region code; an organization without a region takes its parent's, else
  that of its body below the province (a county's units lie in the county's prefecture), else
  ``"4101"``, the provincial capital where the provincial departments, enterprises and
  universities sit. A village (村、社区) or a township is grouped by township instead (a county's
  village round sends each team to whole townships where it can): the 12-digit 统计用区划代码
  of the township — the village's parent's region, else the first nine digits of the village's
  own twelve-digit code — and, when neither is in the registry, the township's own code;
* a target's workload (1–5) is ``workload_of``: a base per sector plus or minus one by size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from planner.check import check_plan, round_objective
from planner.fileio import FormatError, plan_from_json, plan_to_json, problem_from_json
from planner.fileio import problem_to_json as _problem_to_json
from planner.round import RoundCadre, RoundConflict, RoundPlan, RoundProblem, RoundTarget
from xunshi.registry.models import Cadre, Level, OrgUnit, Sector, Term
from xunshi.rounds.avoidance import blocking_hits

from .bodies import cross_own_body_sentence, pool_body_ids
from .models import DONE_STAGES, Inspection, InspectionKind, Round, Stage, TeamMembership
from .queries import Uncovered, term_coverage

if TYPE_CHECKING:
    from .models import PlanningJob

__all__ = [
    "CAPITAL_REGION",
    "CROSS_OWN_BODY",
    "PersonView",
    "PlanReview",
    "Proposal",
    "RoundParams",
    "TargetView",
    "TeamReview",
    "build_problem",
    "plan_from_dict",
    "plan_review",
    "plan_to_dict",
    "problem_from_dict",
    "problem_to_dict",
    "propose_targets",
    "region_of",
    "settle",
    "workload_of",
]

CAPITAL_REGION = "4101"
# The rule of a conflict between a cadre and a unit of the cadre's own body in a 交叉巡察 round.
CROSS_OWN_BODY = "cross_own_body"
MAX_TIME_LIMIT_S = 600.0
_SECTORS = frozenset(Sector.values)


# --- parameters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundParams:
    """What the office decides for a round besides its targets (the format's header fields)."""

    teams: int
    targets_per_team: int
    team_size: tuple[int, int]
    team_skills: tuple[tuple[str, int], ...]
    max_per_team: tuple[tuple[str, int], ...]
    time_limit_s: float = 30.0
    seed: int = 0

    def __post_init__(self) -> None:
        errors = []
        if not _is_int(self.teams) or self.teams < 1:
            errors.append("巡视组数至少为1。")
        if not _is_int(self.targets_per_team) or self.targets_per_team < 1:
            errors.append("一托N中的N至少为1。")
        lo, hi = self.team_size if len(self.team_size) == 2 else (0, -1)
        if not (_is_int(lo) and _is_int(hi)) or lo < 1:
            errors.append("每组人数下限至少为1。")
        elif lo > hi:
            errors.append(f"每组人数下限（{lo}）不能大于上限（{hi}）。")
        for skill, need in self.team_skills:
            if not isinstance(skill, str) or not skill.strip():
                errors.append("专长名称不能为空。")
            elif not _is_int(need) or need < 0:
                errors.append(f"每组{skill}专长人数应为不小于0的整数。")
        if len({s for s, _ in self.team_skills}) != len(self.team_skills):
            errors.append("专长要求中有重复的专长。")
        for sector, cap in self.max_per_team:
            if sector not in _SECTORS:
                errors.append(f"未知的板块“{sector}”。")
            elif not _is_int(cap) or cap < 0:
                errors.append(f"每组{Sector(sector).label}对象数上限应为不小于0的整数。")
        if len({s for s, _ in self.max_per_team}) != len(self.max_per_team):
            errors.append("板块限制中有重复的板块。")
        if not isinstance(self.time_limit_s, int | float) or not (
            0 < self.time_limit_s <= MAX_TIME_LIMIT_S
        ):
            errors.append(f"计算时限应在0到{MAX_TIME_LIMIT_S:g}秒之间。")
        if not _is_int(self.seed) or self.seed < 0:
            errors.append("随机种子应为不小于0的整数。")
        if errors:
            raise ValidationError(errors)

    def to_json(self) -> dict[str, Any]:
        return {
            "teams": self.teams,
            "targets_per_team": self.targets_per_team,
            "team_size": list(self.team_size),
            "team_skills": dict(self.team_skills),
            "max_per_team": dict(self.max_per_team),
            "time_limit_s": self.time_limit_s,
            "seed": self.seed,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> RoundParams:
        """The parameters from ``to_json``'s dict; ValidationError on anything else."""
        try:
            size = tuple(d["team_size"])
            return cls(
                teams=d["teams"],
                targets_per_team=d["targets_per_team"],
                team_size=(size[0], size[1]) if len(size) == 2 else (0, -1),
                team_skills=tuple(dict(d.get("team_skills") or {}).items()),
                max_per_team=tuple(dict(d.get("max_per_team") or {}).items()),
                time_limit_s=d.get("time_limit_s", 30.0),
                seed=d.get("seed", 0),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ValidationError("规划参数不完整或格式有误。") from e


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- proposing targets ------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    org: OrgUnit
    reason: str


def propose_targets(
    term: Term,
    *,
    counties: int = 30,
    departments: int = 6,
    soes: int = 3,
    villages: int = 0,
    theme_tags: Sequence[str] = (),
    today: dt.date | None = None,
) -> list[Proposal]:
    """Targets for the next round from the term's coverage: uncovered counties (the poverty
    counties left out of the term's latest special round first), then departments, then SOEs,
    each group longest since its last inspection first; then villages and communities (对村
    巡察), township by township in the order of their codes, so that a team's villages lie
    together.

    With the round's theme tags (`Round.theme_tags`: 贫困县, 有扶贫资金的部门 …) the
    organizations carrying more of them come first in each group, and then those longest
    since their last inspection; the reason names the tags.

    An organization with a planned or ongoing inspection in the term is not proposed again:
    it is on its way to being covered.
    """
    if min(counties, departments, soes, villages) < 0:
        raise ValidationError("建议的对象数不能为负数。")
    coverage = term_coverage(term, today=today)
    busy = set(
        Inspection.objects.filter(round__term=term, counts_for_coverage=True)
        .exclude(stage__in=[*DONE_STAGES, Stage.CANCELLED])
        .values_list("target_id", flat=True)
    )
    left = [u for u in coverage.uncovered if u.org.pk not in busy]
    tags = set(theme_tags)

    def theme(u: Uncovered) -> str:
        hits = [t for t in u.org.tags if t in tags]
        return f"符合本轮监督重点（{'、'.join(hits)}），" if hits else ""

    if tags:
        # Stable: among equal matches the coverage's order (longest since last) stays.
        left.sort(key=lambda u: -len(tags.intersection(u.org.tags)))
    special = (
        Round.objects.filter(term=term, kind=InspectionKind.SPECIAL)
        .order_by("-start", "-ordinal")
        .first()
    )
    in_special = set(special.inspections.values_list("target_id", flat=True)) if special else set()
    county_rows = [u for u in left if u.org.sector == Sector.COUNTY]
    poor = [
        u for u in county_rows if not tags and "贫困县" in u.org.tags and u.org.pk not in in_special
    ]
    first = {u.org.pk for u in poor}
    others = [u for u in county_rows if u.org.pk not in first]
    if special is not None:
        year = f"{special.start.year}年" if special.start else ""
        poor_reason = f"贫困县，未列入{year}专项巡视（{special.name}），本届未巡视"
    else:
        poor_reason = "贫困县，本届未巡视"
    out = [Proposal(u.org, poor_reason + _last(u)) for u in poor[:counties]]
    out += [
        Proposal(u.org, theme(u) + "本届未巡视" + _last(u)) for u in others[: counties - len(out)]
    ]
    for sector, n in ((Sector.DEPARTMENT, departments), (Sector.SOE, soes)):
        rows = [u for u in left if u.org.sector == sector][:n]
        out += [Proposal(u.org, f"{theme(u)}{sector.label}，本届未巡视{_last(u)}") for u in rows]
    if villages:
        out += _village_proposals([u for u in left if u.org.sector == Sector.VILLAGE], villages)
    return out


def _village_proposals(rows: list[Uncovered], n: int) -> list[Proposal]:
    """The first n uncovered villages, by township code and then their own code."""
    townships = {
        o.pk: o
        for o in OrgUnit.objects.filter(pk__in={u.org.parent_id for u in rows if u.org.parent_id})
    }

    def township_code(u: Uncovered) -> str:
        township = townships.get(u.org.parent_id or 0)
        return township.code if township else "~"  # villages without a township last

    rows = sorted(rows, key=lambda u: (township_code(u), u.org.code))[:n]
    out = []
    for u in rows:
        township = townships.get(u.org.parent_id or 0)
        where = f"{township.name}，" if township else ""
        out.append(Proposal(u.org, f"{where}本届未巡察{_last(u).replace('巡视', '巡察')}"))
    return out


def _last(u: Uncovered) -> str:
    if u.last_end is None:
        return ""
    return f"，上次巡视结束于{u.last_end.year}年{u.last_end.month}月"


# --- building the problem ---------------------------------------------------------------------


# The sectors grouped by township rather than prefecture.
_BY_TOWNSHIP = frozenset({Sector.VILLAGE, Sector.TOWNSHIP})


def region_of(org: OrgUnit) -> str:
    """The region the planner groups a target by: the township (12-digit code) of a village or
    township, else the prefecture (4-digit code); see the module docstring."""
    if org.sector in _BY_TOWNSHIP and (township := _township_of(org)):
        return township
    if org.region_id:
        return str(org.region_id)[:4]
    parent = org.parent
    if parent is not None and parent.region_id:
        return str(parent.region_id)[:4]
    if org.body.level != Level.PROVINCE and org.body.region_code:
        return org.body.region_code[:4]
    return CAPITAL_REGION


def _township_of(org: OrgUnit) -> str:
    """The township's 12-digit 统计用区划代码 (its first nine digits and 000), or failing a
    region in the registry the township's own code; "" for an organization outside one."""
    parent = org.parent if org.sector == Sector.VILLAGE else org
    for region in (parent.region_id if parent else None, org.region_id):
        if region and len(str(region)) == 12:
            return str(region)[:9] + "000"
    return parent.code if parent is not None and parent.sector == Sector.TOWNSHIP else ""


# (base workload, headcount from which one more, headcount below which one less)
_WORKLOAD: dict[str, tuple[int, int, int]] = {
    Sector.CITY: (5, 10**9, 300_000),
    Sector.COUNTY: (3, 40_000, 25_000),
    Sector.TOWNSHIP: (2, 10**9, 0),
    Sector.VILLAGE: (1, 10**9, 0),
    Sector.DEPARTMENT: (2, 800, 200),
    Sector.SOE: (3, 50_000, 0),
    Sector.UNIVERSITY: (2, 3_000, 0),
    Sector.FINANCIAL: (3, 10_000, 1_000),
    Sector.HOSPITAL: (2, 3_000, 0),
    Sector.PEOPLE_ORG: (1, 300, 0),
}


def workload_of(org: OrgUnit) -> int:
    """The work an inspection of the organization takes, 1 (light) to 5 (heavy).

    A base per sector — city 5; county, SOE and financial institution 3; department,
    university, hospital and township 2; people's organization and village 1; other 2 —
    plus one for a large organization and minus one for a small one by its headcount
    (党员/职工人数): county ≥ 40,000 / < 25,000, city < 300,000 (less), department
    ≥ 800 / < 200, SOE ≥ 50,000, university and hospital ≥ 3,000, financial institution
    ≥ 10,000 / < 1,000, people's organization ≥ 300. Without a headcount the base stands.
    """
    base, more, less = _WORKLOAD.get(org.sector, (2, 10**9, 0))
    if org.headcount is not None:
        base += (org.headcount >= more) - (org.headcount < less)
    return max(1, min(5, base))


def _unit(cadre: Cadre) -> str:
    return cadre.unit.code if cadre.unit is not None else f"name:{cadre.unit_name}"


def _cross_conflicts(
    rnd: Round, cadres: Sequence[Cadre], targets: Sequence[OrgUnit]
) -> list[RoundConflict]:
    """In a 交叉巡察 round, a conflict for each cadre and each target of the cadre's own body."""
    if rnd.kind != InspectionKind.CROSS:
        return []
    return [
        RoundConflict(c.code, t.code, CROSS_OWN_BODY, sentence)
        for c in cadres
        for t in targets
        if (sentence := cross_own_body_sentence(c.name, c.body_id, t.body_id))
    ]


def build_problem(*, round: Round, params: RoundParams, targets: Sequence[OrgUnit]) -> RoundProblem:
    """The ``xunshi-round/1`` problem of the round: the active pools it may draw on
    (`pool_body_ids`) but for cadres already in one of its teams, the targets in the order
    given, every blocking avoidance hit and, in a 交叉巡察 round, every pair of a cadre and a
    unit of the same body (异地派出) as conflicts. Cadre and organization codes are unique in
    the deployment, so the ids stay unique across bodies."""
    taken = TeamMembership.objects.filter(team__round=round).values_list("cadre_id", flat=True)
    cadres = list(
        Cadre.objects.filter(active=True, body_id__in=pool_body_ids(round))
        .exclude(pk__in=list(taken))
        .select_related("unit")
        .order_by("code")
    )
    orgs = list(
        OrgUnit.objects.filter(pk__in=[t.pk for t in targets]).select_related("parent", "body")
    )
    by_pk = {o.pk: o for o in orgs}
    ordered = [by_pk[t.pk] for t in targets]
    hits = blocking_hits(cadres, ordered, for_round=round)
    conflicts = [RoundConflict(h.cadre_code, h.target_code, h.rule, h.sentence) for h in hits]
    conflicts += _cross_conflicts(round, cadres, ordered)
    return RoundProblem(
        name=round.name,
        teams=params.teams,
        targets_per_team=params.targets_per_team,
        team_size=params.team_size,
        team_skills=params.team_skills,
        max_per_team=params.max_per_team,
        targets=tuple(
            RoundTarget(o.code, o.name, o.sector, region_of(o), workload_of(o)) for o in ordered
        ),
        cadres=tuple(
            RoundCadre(c.code, c.name, _unit(c), c.can_lead, tuple(c.skills)) for c in cadres
        ),
        conflicts=tuple(conflicts),
    )


# --- the files of the format -------------------------------------------------------------------


def problem_to_dict(problem: RoundProblem) -> dict[str, Any]:
    """The problem as the ``xunshi-round/1`` JSON object."""
    return _problem_to_json(problem)


def problem_from_dict(data: Mapping[str, Any]) -> RoundProblem:
    """A stored or uploaded ``xunshi-round/1`` object; ValidationError if it is not one."""
    try:
        problem = problem_from_json(data)
    except FormatError as e:
        raise ValidationError(f"规划问题格式有误：{e}") from e
    if not isinstance(problem, RoundProblem):
        raise ValidationError("这不是轮次规划问题（xunshi-round/1）。")
    return problem


def plan_to_dict(plan: RoundPlan) -> dict[str, Any]:
    """The plan as the output object of the format (with the solver record under "solver")."""
    return plan_to_json(plan)


def plan_from_dict(data: Mapping[str, Any]) -> RoundPlan:
    """A plan object (as stored, or edited on the page); ValidationError if malformed."""
    try:
        plan = plan_from_json({"format": "xunshi-round/1", **data})
    except FormatError as e:
        raise ValidationError(f"方案格式有误：{e}") from e
    if not isinstance(plan, RoundPlan):
        raise ValidationError("这不是轮次方案（xunshi-round/1）。")
    return plan


# --- reviewing a plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    unit: str
    skills: tuple[str, ...]
    can_lead: bool


@dataclass(frozen=True)
class TargetView:
    id: str
    name: str
    sector: str
    region: str
    workload: int


@dataclass(frozen=True)
class TeamReview:
    number: int  # 1-based, in the plan's order
    leader: PersonView | None
    members: tuple[PersonView, ...]  # the others, leader excluded
    targets: tuple[TargetView, ...]
    workload: int
    regions: tuple[str, ...]
    conflicts: tuple[str, ...]  # avoidance sentences between its members and its targets

    @property
    def size(self) -> int:
        return len(self.members) + (self.leader is not None)


@dataclass(frozen=True)
class PlanReview:
    status: str  # optimal / feasible (recomputed for an edited plan), infeasible, unknown
    objective: int | None  # recomputed from the plan's teams
    bound: int | None
    seconds: float
    teams: tuple[TeamReview, ...]
    violations: tuple[str, ...]  # "约束7：…", empty for a valid plan
    explanation: tuple[str, ...]  # the solver's reasons when there is no plan
    solver: tuple[tuple[str, str], ...]
    unassigned: tuple[TargetView, ...]

    @property
    def valid(self) -> bool:
        return self.status in ("optimal", "feasible") and not self.violations


def settle(problem: RoundProblem, plan: RoundPlan) -> RoundPlan:
    """The plan with its objective recomputed and its status set by it (optimal only when it
    meets the bound), so that an edited plan is judged by its teams, not by stale claims."""
    if plan.status not in ("optimal", "feasible"):
        return plan
    value = round_objective(problem, [t.targets for t in plan.teams])
    status = "optimal" if plan.bound is not None and plan.bound == value else "feasible"
    return dataclasses.replace(plan, objective=value, status=status)


def plan_review(
    job_or_problem_dict: PlanningJob | Mapping[str, Any], plan_dict: Mapping[str, Any]
) -> PlanReview:
    """The plan against its problem: constraints checked by ``planner.check``, the objective
    recomputed, and each team with its people, targets, workload, regions and avoidance."""
    raw = job_or_problem_dict
    problem = problem_from_dict(raw if isinstance(raw, Mapping) else raw.problem)
    plan = settle(problem, plan_from_dict(plan_dict))
    violations: tuple[str, ...] = ()
    if plan.status in ("optimal", "feasible"):
        violations = tuple(str(v) for v in check_plan(problem, plan))
    people = {c.id: c for c in problem.cadres}
    places = {t.id: t for t in problem.targets}

    def person(cid: str) -> PersonView:
        c = people.get(cid) or RoundCadre(cid, f"（未知干部 {cid}）", "", False, ())
        return PersonView(c.id, c.name, c.unit, c.skills, c.can_lead)

    def target(tid: str) -> TargetView:
        t = places.get(tid) or RoundTarget(tid, f"（未知对象 {tid}）", "", "", 0)
        return TargetView(t.id, t.name, t.sector, t.region, t.workload)

    teams = []
    for number, team in enumerate(plan.teams, start=1):
        members, targets = set(team.members), set(team.targets)
        shown = [target(g) for g in team.targets]
        teams.append(
            TeamReview(
                number=number,
                leader=person(team.leader) if team.leader else None,
                members=tuple(person(c) for c in dict.fromkeys(team.members) if c != team.leader),
                targets=tuple(shown),
                workload=sum(t.workload for t in shown),
                regions=tuple(sorted({t.region for t in shown})),
                conflicts=tuple(
                    dict.fromkeys(
                        c.detail
                        for c in problem.conflicts
                        if c.cadre in members and c.target in targets
                    )
                ),
            )
        )
    placed = {g for team in plan.teams for g in team.targets}
    return PlanReview(
        status=plan.status,
        objective=plan.objective,
        bound=plan.bound,
        seconds=plan.seconds,
        teams=tuple(teams),
        violations=violations,
        explanation=plan.explanation,
        solver=plan.solver,
        unassigned=tuple(target(t.id) for t in problem.targets if t.id not in placed),
    )

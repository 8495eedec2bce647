"""Read-side lists and aggregates: full coverage (全覆盖) of a term, the inspection history
the registry's pages show for an organization or a cadre, what the planning and team pages
offer a round (the registries and pools it may draw on, `bodies.py`), and the rounds linked to
a 联动 round side by side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from xunshi.registry.models import Cadre, OrgUnit, Sector, Term

from .bodies import pool_body_ids, target_body_ids
from .models import (
    DONE_STAGES,
    Inspection,
    PlanningJob,
    Round,
    Stage,
    Team,
    TeamMembership,
    TeamRole,
)

__all__ = [
    "Coverage",
    "LinkedColumn",
    "LinkedRounds",
    "SectorCoverage",
    "TownshipCoverage",
    "Uncovered",
    "cadre_teams",
    "last_inspections",
    "linked_rounds",
    "org_inspections",
    "plan_candidates",
    "round_planning_jobs",
    "round_pool",
    "round_registry",
    "round_teams_as_plan",
    "term_coverage",
]


@dataclass(frozen=True)
class SectorCoverage:
    sector: str
    label: str | Promise  # the sector's label, translated when rendered
    total: int
    covered: int

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


@dataclass(frozen=True)
class Uncovered:
    org: OrgUnit
    last_end: dt.date | None

    def years_since(self, today: dt.date) -> float | None:
        if self.last_end is None:
            return None
        return round((today - self.last_end).days / 365.25, 1)


@dataclass(frozen=True)
class TownshipCoverage:
    """The villages and communities (村、社区) of one township in the term's scope."""

    township: OrgUnit | None  # None: villages without a township in the registry
    total: int
    covered: int
    uncovered: list[OrgUnit]  # by code

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


@dataclass(frozen=True)
class Coverage:
    term: Term
    sectors: list[SectorCoverage]
    uncovered: list[Uncovered]
    today: dt.date
    # The villages' coverage by township (对村巡察), for a body whose scope has villages.
    villages: list[TownshipCoverage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.sectors)

    @property
    def covered(self) -> int:
        return sum(s.covered for s in self.sectors)

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0


def _done() -> Q:
    return Q(counts_for_coverage=True, stage__in=DONE_STAGES)


def term_coverage(term: Term, *, today: dt.date | None = None) -> Coverage:
    """The share of in-scope organizations covered in the term, by sector, and those left."""
    today = today or timezone.localdate()
    scope = OrgUnit.objects.filter(body=term.body, in_scope=True)
    covered_ids = set(
        Inspection.objects.filter(_done(), round__term=term).values_list("target_id", flat=True)
    )
    last_end = dict(
        Inspection.objects.filter(_done(), target__in=scope)
        .values("target_id")
        .annotate(last=Max("end"))
        .values_list("target_id", "last")
    )
    labels = dict(Sector.choices)
    counts: dict[str, list[int]] = {}
    uncovered = []
    villages: dict[int | None, list[OrgUnit]] = {}
    for org in scope.order_by("sector", "code"):
        c = counts.setdefault(org.sector, [0, 0])
        c[0] += 1
        if org.sector == Sector.VILLAGE:
            villages.setdefault(org.parent_id, []).append(org)
        if org.pk in covered_ids:
            c[1] += 1
        else:
            uncovered.append(Uncovered(org, last_end.get(org.pk)))
    order = {s: i for i, s in enumerate(Sector.values)}
    sectors = [
        SectorCoverage(s, labels.get(s, s), t, c)
        for s, (t, c) in sorted(counts.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    # Longest uninspected first: those never inspected, then by the oldest last inspection.
    uncovered.sort(key=lambda u: (u.last_end is not None, u.last_end or dt.date.min, u.org.code))
    return Coverage(term, sectors, uncovered, today, _by_township(villages, covered_ids))


def _by_township(
    villages: dict[int | None, list[OrgUnit]], covered_ids: set[int]
) -> list[TownshipCoverage]:
    townships = OrgUnit.objects.in_bulk([pk for pk in villages if pk is not None])
    rows = [
        TownshipCoverage(
            township=townships.get(pk) if pk is not None else None,
            total=len(orgs),
            covered=sum(o.pk in covered_ids for o in orgs),
            uncovered=[o for o in orgs if o.pk not in covered_ids],
        )
        for pk, orgs in villages.items()
    ]
    # By township code; the villages without a township last.
    rows.sort(key=lambda r: (r.township is None, r.township.code if r.township else ""))
    return rows


def last_inspections(orgs: Iterable[OrgUnit]) -> dict[int, Inspection]:
    """The latest inspection (not cancelled) of each organization, by organization id."""
    ids = [o.pk for o in orgs]
    latest: dict[int, Inspection] = {}
    rows = (
        Inspection.objects.filter(target_id__in=ids)
        .exclude(stage=Stage.CANCELLED)
        .select_related("round")
        .order_by("target_id", F("start").desc(nulls_last=True), "-id")
    )
    for insp in rows:
        latest.setdefault(insp.target_id, insp)
    return latest


def org_inspections(org: OrgUnit) -> list[Inspection]:
    """Every inspection of the organization, newest round first."""
    return list(
        Inspection.objects.filter(target=org)
        .select_related("round", "team")
        .order_by(F("start").desc(nulls_last=True), "-id")
    )


def cadre_teams(cadre: Cadre) -> list[TeamMembership]:
    """The cadre's team memberships with their round and the team's inspections."""
    return list(
        TeamMembership.objects.filter(cadre=cadre)
        .select_related("team__round")
        .prefetch_related("team__inspections__target")
        .order_by("-team__round__start", "-team__round_id")
    )


def round_registry(rnd: Round) -> QuerySet[OrgUnit]:
    """The organizations the round may take as targets: those of the registries it draws on
    (its own body's; for 提级巡察 and 交叉巡察 also the bodies' below). The round's own reach,
    not the user's: the registry pages still show only the user's own body."""
    return OrgUnit.objects.filter(body_id__in=target_body_ids(rnd))


def round_pool(rnd: Round) -> QuerySet[Cadre]:
    """The cadres the round's teams may take: its own body's pool (for 交叉巡察 also the pools
    of the bodies below)."""
    return Cadre.objects.filter(body_id__in=pool_body_ids(rnd))


def plan_candidates(rnd: Round) -> QuerySet[OrgUnit]:
    """The organizations the round may still take: in scope in the registries it draws on, not
    yet in the round, by code."""
    taken = Inspection.objects.filter(round=rnd).values("target_id")
    return (
        round_registry(rnd)
        .filter(in_scope=True)
        .exclude(pk__in=taken)
        .select_related("body")
        .order_by("code")
    )


def round_planning_jobs(rnd: Round, limit: int) -> list[PlanningJob]:
    """The round's latest planning runs with their submitters, newest first."""
    return list(rnd.planning_jobs.select_related("job__created_by").order_by("-id")[:limit])


def round_teams_as_plan(rnd: Round) -> list[dict[str, Any]]:
    """The teams the round holds now, in the plan's JSON (for a plan already applied)."""
    out = []
    for team in rnd.teams.order_by("number").prefetch_related(
        "memberships__cadre", "inspections__target"
    ):
        members = sorted(team.memberships.all(), key=lambda m: (m.role != TeamRole.LEADER, m.pk))
        leader = next((m.cadre.code for m in members if m.role == TeamRole.LEADER), "")
        out.append(
            {
                "leader": leader,
                "members": [m.cadre.code for m in members],
                "targets": [i.target.code for i in team.inspections.order_by("batch", "pk")],
            }
        )
    return out


# --- 上下联动: the rounds linked to a round, side by side -------------------------------------


@dataclass(frozen=True)
class LinkedColumn:
    round: Round
    teams: int
    targets: int
    stages: dict[str, int]  # inspections by stage, only the stages that have some


@dataclass(frozen=True)
class LinkedRounds:
    columns: list[LinkedColumn]  # the round itself first, then the linked rounds
    stages: Sequence[tuple[str, str | Promise, list[int]]]  # (stage, label, count per column)


def _linked_below(rnd: Round) -> list[Round]:
    """The rounds linked to this one, then those linked to them, each level by body."""
    found: list[Round] = []
    seen = {rnd.pk}
    level = [rnd.pk]
    while level:
        rows = [
            r
            for r in Round.objects.filter(linked_to_id__in=level)
            .select_related("body", "linked_to__body")
            .order_by("body__name", "pk")
            if r.pk not in seen
        ]
        seen.update(r.pk for r in rows)
        found += rows
        level = [r.pk for r in rows]
    return found


def linked_rounds(rnd: Round) -> LinkedRounds:
    """The round and the lower bodies' rounds linked to it (directly or through another linked
    round), each with its counts of teams, targets and inspections by stage: counts only, the
    higher body's view of rounds that are not its own."""
    rounds = [rnd, *_linked_below(rnd)]
    ids = [r.pk for r in rounds]
    teams = dict(
        Team.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(n=Count("pk"))
        .values_list("round_id", "n")
        .order_by()
    )
    by_stage: dict[int, dict[str, int]] = {}
    for round_id, stage, n in (
        Inspection.objects.filter(round_id__in=ids)
        .values("round_id", "stage")
        .annotate(n=Count("pk"))
        .values_list("round_id", "stage", "n")
        .order_by()
    ):
        by_stage.setdefault(round_id, {})[stage] = n
    columns = [
        LinkedColumn(
            round=r,
            teams=teams.get(r.pk, 0),
            targets=sum(by_stage.get(r.pk, {}).values()),
            stages=by_stage.get(r.pk, {}),
        )
        for r in rounds
    ]
    stages = [
        (stage.value, stage.label, [c.stages.get(stage, 0) for c in columns])
        for stage in Stage
        if any(c.stages.get(stage) for c in columns)
    ]
    return LinkedRounds(columns, stages)

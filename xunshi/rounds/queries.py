"""Read-side lists and aggregates: full coverage (全覆盖) of a term, the inspection history
the registry's pages show for an organization or a cadre, what the planning and team pages
offer a round (the registries and pools it may draw on, `bodies.py`), and the rounds linked to
a 联动 round side by side."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.db.models import Count, F, Max, Q, QuerySet, TextField
from django.db.models.functions import Cast
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
    "TownshipRows",
    "Uncovered",
    "UncoveredRows",
    "cadre_teams",
    "last_inspections",
    "linked_rounds",
    "org_inspections",
    "plan_candidates",
    "round_planning_jobs",
    "round_pool",
    "round_registry",
    "round_teams_as_plan",
    "tagged",
    "term_coverage",
    "term_scope",
    "township_coverage",
    "uncovered_villages",
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


class UncoveredRows(Sequence[Uncovered]):
    """The term's uncovered organizations, longest uninspected first, read a slice at a time.

    Two parts, so that no query groups the whole registry: first those never inspected (no
    finished inspection with an end date), by code, straight from the registry; then those
    inspected before the term, by their last inspection's end, from the inspections. The length
    is known from the counts (`term_coverage` counts both parts in its pass over the registry),
    so a `Paginator` takes the rows as they are and a page costs a query or two of its own
    rows."""

    def __init__(
        self,
        never: QuerySet[OrgUnit],
        earlier: QuerySet[Any],
        count: int,
        never_count: int,
    ) -> None:
        self.never = never  # OrgUnits by code
        self.earlier = earlier  # {"target_id", "last"} by last, code
        self._count = count
        self._split = never_count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Uncovered: ...

    @overload
    def __getitem__(self, index: slice) -> list[Uncovered]: ...

    def __getitem__(self, index: int | slice) -> Uncovered | list[Uncovered]:
        if isinstance(index, int):
            if index < 0:
                index += self._count
            if not 0 <= index < self._count:
                raise IndexError(index)
            return self[index : index + 1][0]
        start, stop, step = index.indices(self._count)
        if step != 1:
            raise ValueError("UncoveredRows takes contiguous slices only")
        split = self._split
        out = (
            [Uncovered(o, None) for o in self.never[start : min(stop, split)]]
            if start < split
            else []
        )
        if stop > split:
            rows = list(self.earlier[max(start - split, 0) : stop - split])
            orgs = OrgUnit.objects.in_bulk([r["target_id"] for r in rows])
            out += [Uncovered(orgs[r["target_id"]], r["last"]) for r in rows]
        return out

    def __iter__(self) -> Iterator[Uncovered]:
        for start in range(0, self._count, 2000):
            yield from self[start : start + 2000]

    def facts(self) -> Iterator[tuple[str, str, str, dt.date | None]]:
        """(code, sector, tags as JSON text, last end) of each, in the same order, without
        building the organizations or decoding their tags: what the forecast needs of them
        all (`tagged` reads the tags)."""
        text = Cast("tags", TextField())
        never = self.never.annotate(t=text).values_list("code", "sector", "t")
        yield from ((c, s, t, None) for c, s, t in never)
        yield from self.earlier.annotate(t=Cast("target__tags", TextField())).values_list(
            "target__code", "target__sector", "t", "last"
        )


def tagged(tags_json: str, tag: str) -> bool:
    """Whether a list of tags as JSON text (as `UncoveredRows.facts` gives it) holds the tag,
    its characters as they are or escaped."""
    return any(json.dumps(tag, ensure_ascii=a) in tags_json for a in (False, True))


@dataclass(frozen=True)
class Coverage:
    term: Term
    sectors: list[SectorCoverage]
    uncovered: UncoveredRows
    today: dt.date
    # The villages (对村巡察) by township: (township id or None, its code, total, covered).
    villages: list[tuple[int | None, str | None, int, int]] = field(default_factory=list)

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


def term_scope(term: Term) -> QuerySet[OrgUnit]:
    """The organizations the term's coverage counts: its body's, in scope."""
    return OrgUnit.objects.filter(body=term.body, in_scope=True)


def _covered_ids(term: Term) -> QuerySet[Inspection, Any]:
    return Inspection.objects.filter(_done(), round__term=term).values("target_id")


def term_coverage(term: Term, *, today: dt.date | None = None) -> Coverage:
    """The share of in-scope organizations covered in the term, by sector, and those left:
    counted in SQL, the uncovered read a page at a time (`UncoveredRows`)."""
    today = today or timezone.localdate()
    covered = Q(pk__in=_covered_ids(term))
    ended = Inspection.objects.filter(_done(), end__isnull=False)
    ended_before = ended.exclude(target_id__in=_covered_ids(term)).values("target_id")
    # One pass over the registry's (body, sector, parent) index, grouped in its order: by
    # sector, the villages also by township, and how many of those left were inspected in an
    # earlier term (the uncovered list's second part).
    counts = (
        term_scope(term)
        .values("sector", "parent_id")
        .annotate(
            total=Count("pk"),
            covered=Count("pk", filter=covered),
            earlier=Count("pk", filter=Q(pk__in=ended_before)),
        )
        .order_by()
        .values_list("sector", "parent_id", "total", "covered", "earlier")
    )
    per_sector: dict[str, list[int]] = {}
    by_township: list[tuple[int | None, int, int]] = []
    inspected_before = 0
    for sector, parent, total, done, before in counts:
        n = per_sector.setdefault(sector, [0, 0])
        n[0] += total
        n[1] += done
        inspected_before += before
        if sector == Sector.VILLAGE:
            by_township.append((parent, total, done))
    codes = _township_codes(term, {t for t, _, _ in by_township if t is not None})
    villages = [(t, codes.get(t) if t else None, n, c) for t, n, c in by_township]
    labels = dict(Sector.choices)
    order = {s: i for i, s in enumerate(Sector.values)}
    sectors = [
        SectorCoverage(s, labels.get(s, s), t, c)
        for s, (t, c) in sorted(per_sector.items(), key=lambda kv: order.get(kv[0], 99))
    ]
    # Longest uninspected first: those never inspected, then by the oldest last inspection.
    never = term_scope(term).exclude(pk__in=ended.values("target_id")).order_by("code")
    earlier = (
        ended.filter(target__body=term.body, target__in_scope=True)
        .exclude(target_id__in=_covered_ids(term))
        .values("target_id")
        .annotate(last=Max("end"))
        .order_by("last", "target__code")
    )
    left = sum(s.total - s.covered for s in sectors)
    uncovered = UncoveredRows(never, earlier, left, left - inspected_before)
    return Coverage(term, sectors, uncovered, today, villages)


def _township_codes(term: Term, ids: set[int]) -> dict[int, str]:
    """The codes of these townships: the body's townships in one read of the (sector, code)
    index, any other parent of a village by id (a province has thousands of townships, and
    a list of that many ids costs more to send and plan than the codes to read)."""
    if not ids:
        return {}
    codes = {
        pk: code
        for pk, code in OrgUnit.objects.filter(body=term.body, sector=Sector.TOWNSHIP)
        .order_by()
        .values_list("pk", "code")
        if pk in ids
    }
    if missing := ids - codes.keys():
        codes |= dict(OrgUnit.objects.filter(pk__in=missing).values_list("pk", "code"))
    return codes


def township_coverage(cov: Coverage) -> TownshipRows:
    """The villages' coverage by township, for a body whose scope has villages: one row a
    township (``id``, ``code``, ``name``, ``total``, ``covered``), by township code, the
    villages without a township last."""
    return TownshipRows(sorted(cov.villages, key=lambda v: (v[1] is None, v[1] or "")))


class TownshipRows(Sequence[dict[str, Any]]):
    """The township rows of `township_coverage`, named a slice at a time: a province has
    thousands of townships, and a page shows twenty."""

    def __init__(self, rows: list[tuple[int | None, str | None, int, int]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        part = self.rows[index]
        names = dict(
            OrgUnit.objects.filter(pk__in=[t for t, *_ in part if t is not None]).values_list(
                "pk", "name"
            )
        )
        return [
            {"id": t, "code": code, "name": names.get(t, "") if t else "", "total": n, "covered": c}
            for t, code, n, c in part
        ]


def uncovered_villages(
    term: Term, townships: Iterable[int | None]
) -> dict[int | None, list[OrgUnit]]:
    """The villages of these townships not covered in the term, by code, per township id."""
    ids = list(townships)
    near = Q(parent_id__in=[t for t in ids if t is not None])
    if None in ids:
        near |= Q(parent__isnull=True)
    out: dict[int | None, list[OrgUnit]] = {t: [] for t in ids}
    rows = (
        term_scope(term)
        .filter(near, sector=Sector.VILLAGE)
        .exclude(pk__in=_covered_ids(term))
        .order_by("code")
    )
    for org in rows:
        out.setdefault(org.parent_id, []).append(org)
    return out


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

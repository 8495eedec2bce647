"""The adapter between the registry's rows and the pure avoidance engine in planner/.

It turns cadres (with work, study, kin and past inspections) and organizations (with their
principal leader's history and last inspection team) into planner facts, evaluates them,
and marks the office's recorded waivers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch
from django.utils import timezone

from planner.avoidance import (
    AvoidanceHit,
    CadreFacts,
    Kin,
    LeaderFacts,
    PastInspection,
    StudySpell,
    TargetFacts,
    WorkSpell,
    blocking,
    evaluate_all,
)
from xunshi.registry.models import AvoidanceWaiver, Cadre, CadreWork, OrgUnit

from .models import DONE_STAGES, Inspection, Round, TeamMembership

__all__ = ["blocking_hits", "cadre_facts", "hits_between", "target_facts"]


def _work(rows: Iterable[CadreWork]) -> tuple[WorkSpell, ...]:
    return tuple(
        WorkSpell(w.org.code if w.org else None, w.unit_name, w.post, w.start, w.end, w.is_leader)
        for w in rows
    )


def _cadres_prefetched(cadres: Sequence[Cadre]) -> list[Cadre]:
    ids = [c.pk for c in cadres]
    return list(
        Cadre.objects.filter(pk__in=ids)
        .select_related("unit", "unit__parent", "origin")
        .prefetch_related(
            Prefetch("work", queryset=CadreWork.objects.select_related("org")),
            "study__org",
            "kin__org",
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("team__round").prefetch_related(
                    "team__inspections__target"
                ),
            ),
        )
    )


def cadre_facts(cadres: Sequence[Cadre]) -> list[CadreFacts]:
    facts = []
    for c in _cadres_prefetched(cadres):
        past = tuple(
            PastInspection(i.target.code, m.role, i.end, m.team.round.name)
            for m in c.memberships.all()
            for i in m.team.inspections.all()
        )
        facts.append(
            CadreFacts(
                code=c.code,
                name=c.name,
                unit_code=c.unit.code if c.unit else None,
                unit_parent_code=c.unit.parent.code if c.unit and c.unit.parent else None,
                origin_region=c.origin_id,
                work=_work(c.work.all()),
                study=tuple(
                    StudySpell(
                        s.org.code if s.org else None, s.school_name, s.start, s.end, s.degree
                    )
                    for s in c.study.all()
                ),
                kin=tuple(
                    Kin(k.name, k.relation, k.org.code if k.org else None, k.unit_name, k.post)
                    for k in c.kin.all()
                ),
                past=past,
            )
        )
    return facts


def target_facts(orgs: Sequence[OrgUnit], *, for_round: Round | None = None) -> list[TargetFacts]:
    """Facts of the organizations; with for_round, "the last inspection" is the last one
    finished before that round, so a round's own inspections never count against it."""
    ids = [o.pk for o in orgs]
    rows = (
        OrgUnit.objects.filter(pk__in=ids)
        .select_related("parent", "principal")
        .prefetch_related(
            Prefetch("principal__work", queryset=CadreWork.objects.select_related("org"))
        )
    )
    last_team: dict[int, list[str]] = {}
    latest = (
        # "Last time" is the last finished inspection: a planned or ongoing one (this round's
        # own) is not a previous inspection of the target.
        Inspection.objects.filter(target_id__in=ids, stage__in=DONE_STAGES)
        .exclude(round=for_round)
        .order_by("target_id", "-start")
        .prefetch_related("team__memberships__cadre")
    )
    if for_round is not None and for_round.start is not None:
        latest = latest.filter(start__lt=for_round.start)
    for insp in latest:
        if insp.target_id not in last_team:
            last_team[insp.target_id] = [m.cadre.code for m in insp.team.memberships.all()]
    facts = []
    for o in rows:
        leaders: tuple[LeaderFacts, ...] = ()
        if o.principal is not None:
            leaders = (
                LeaderFacts(
                    o.principal.name,
                    o.principal_post or o.principal.post,
                    o.principal.code,
                    _work(o.principal.work.all()),
                ),
            )
        facts.append(
            TargetFacts(
                code=o.code,
                name=o.name,
                sector=o.sector,
                region_code=o.region_id,
                parent_code=o.parent.code if o.parent else None,
                leaders=leaders,
                last_inspection_cadres=tuple(last_team.get(o.pk, ())),
            )
        )
    return facts


def hits_between(
    cadres: Sequence[Cadre],
    orgs: Sequence[OrgUnit],
    *,
    today: dt.date | None = None,
    for_round: Round | None = None,
) -> list[AvoidanceHit]:
    """Every avoidance hit between the cadres and the organizations, waivers marked; see
    target_facts for for_round."""
    if not cadres or not orgs:
        return []
    waivers = frozenset(
        (w.rule, w.cadre.code, w.target.code)
        for w in AvoidanceWaiver.objects.filter(cadre__in=cadres, target__in=orgs).select_related(
            "cadre", "target"
        )
    )
    found = evaluate_all(
        cadre_facts(cadres),
        target_facts(orgs, for_round=for_round),
        today=today or timezone.localdate(),
        waivers=waivers,
    )
    return [hit for key in sorted(found) for hit in found[key]]


def blocking_hits(
    cadres: Sequence[Cadre], orgs: Sequence[OrgUnit], *, for_round: Round | None = None
) -> list[AvoidanceHit]:
    """The hard, unwaived hits: those that bar a cadre from inspecting an organization."""
    return list(blocking(hits_between(cadres, orgs, for_round=for_round)))

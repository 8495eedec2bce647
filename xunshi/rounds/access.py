"""Who sees which rounds, teams and inspections: the office and leading group those of their
own body (a county's office never another county's, nor the city's), a team cadre only the teams
he or she belongs to and their inspections, whichever body sent them. The inspected
organization's liaison answers for its own organization's inspections and, at a township,
for those of the villages under it (`liaison_targets`).

A team reads its inspection's case records (talks, petitions, clues, papers, problems, files)
until the inspection closes and the grace its body sets (`InspectingBody.team_access_grace_days`)
has passed; then the office alone reads them (`team_inspections`, which `inspections_visible_to`,
`is_team_member` and `is_team_leader` follow). The team and its roster stay visible.

Two doors open on a higher body's rounds, and only as far as named: a 提级巡察 inspection of a
unit of the user's body is read as that unit's liaison reads it, its feedback and ledger
(`elevated_inspections_on`, used by rectification and findings); and the 联动 rounds of the bodies
above are offered for linking by name, theme and dates (`linkable_rounds_for`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import F, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xunshi.accounts.access import require
from xunshi.accounts.actors import Actor
from xunshi.accounts.models import Role, User
from xunshi.registry.models import OrgUnit, Sector

from .bodies import bodies_above
from .models import (
    Inspection,
    InspectionKind,
    PlanningJob,
    Round,
    Stage,
    Team,
    TeamMembership,
    TeamRole,
    YearPlan,
    YearPlanRound,
)

__all__ = [
    "elevated_inspections_on",
    "get_inspection_for",
    "get_membership_for",
    "get_planning_job_for",
    "get_round_for",
    "get_team_for",
    "get_year_plan_for",
    "get_year_plan_round_for",
    "grace_asked_once",
    "inspections_visible_to",
    "is_liaison_of",
    "is_own_body",
    "is_target_body_reader",
    "is_team_leader",
    "is_team_member",
    "liaison_targets",
    "linkable_rounds_for",
    "rounds_visible_to",
    "team_inspections",
    "teams_of",
    "teams_visible_to",
    "year_plans_visible_to",
]

_ALL = {Role.OFFICE, Role.LEADING_GROUP}


def teams_of(user: Actor, *, role: str | None = None) -> QuerySet[Team]:
    """The teams the user belongs to as a team cadre (with `role`: in that role), the one
    rule of "the user's own teams" that every scope of a team cadre builds on; none for any
    other role."""
    cadre_id = getattr(user, "cadre_id", None)
    if getattr(user, "role", None) != Role.INSPECTOR or not cadre_id:
        return Team.objects.none()
    membership = {"memberships__cadre_id": cadre_id}
    if role is not None:
        membership["memberships__role"] = role  # in the same filter: the same membership
    return Team.objects.filter(**membership).distinct()


# An inspection has closed once it is 已办结 (or 已归档 after that) or 已取消.
ENDED_STAGES = frozenset({Stage.CLOSED, Stage.ARCHIVED, Stage.CANCELLED})
_ENDING = [Stage.CLOSED, Stage.CANCELLED]


def _past_grace(inspections: QuerySet[Inspection], today: dt.date | None) -> list[int]:
    """The ids of the ended inspections among `inspections` whose body's grace has run out.

    The day it ended is that of its first stage change into 已办结 or 已取消 (the lifecycle's
    `StageChange`, read through the `stage_changes` relation as rectification.access does, no
    import); an inspection put there without one (the demo's history of past rounds) is taken
    as ended long ago."""
    today = today or timezone.localdate()
    rows = (
        inspections.filter(stage__in=ENDED_STAGES)
        .annotate(ended_on=Min("stage_changes__on", filter=Q(stage_changes__to_stage__in=_ENDING)))
        .values_list("pk", "ended_on", "round__body__team_access_grace_days")
    )
    return [
        pk
        for pk, ended_on, grace in rows
        if ended_on is None or ended_on + dt.timedelta(days=grace) < today
    ]


# The ended inspections asked inside `grace_asked_once`, per user, role and day.
_GRACE_ASKED: ContextVar[dict[tuple[object, ...], list[int]] | None] = ContextVar(
    "grace_asked", default=None
)


@contextmanager
def grace_asked_once() -> Iterator[None]:
    """Within the block, `team_inspections` asks the grace of a user's inspections once: the
    search builds the scopes of four kinds on them in one statement (BENCHMARKS-search.md)."""
    token = _GRACE_ASKED.set({})
    try:
        yield
    finally:
        _GRACE_ASKED.reset(token)


def team_inspections(
    user: Actor, *, role: str | None = None, today: dt.date | None = None
) -> QuerySet[Inspection]:
    """The inspections of the user's own teams (with `role`: led by the user) whose case
    records the team still reads: all but those closed longer ago than their body's grace."""
    mine = Inspection.objects.filter(team__in=teams_of(user, role=role))
    asked = _GRACE_ASKED.get()
    key = (getattr(user, "pk", None), getattr(user, "cadre_id", None), role, today)
    if asked is None:
        ended = _past_grace(mine, today)
    elif key in asked:
        ended = asked[key]
    else:
        ended = asked[key] = _past_grace(mine, today)
    return mine.exclude(pk__in=ended) if ended else mine


def is_own_body(user: Actor, inspection: Inspection) -> bool:
    """Whether the inspection was sent by the body the user works for (the office's and the
    leading group's whole scope)."""
    return getattr(user, "role", None) in _ALL and inspection.round.body_id == getattr(
        user, "body_id", None
    )


def elevated_inspections_on(user: Actor) -> QuerySet[Inspection]:
    """The 提级巡察 inspections a higher body sent to units of the user's own body: the office
    and the leading group of that body read their feedback and ledger as the unit's liaison
    does, and nothing else of them; none for any other role."""
    body_id = getattr(user, "body_id", None)
    if getattr(user, "role", None) not in _ALL or body_id is None:
        return Inspection.objects.none()
    return Inspection.objects.filter(
        round__kind=InspectionKind.ELEVATED, target__body_id=body_id
    ).exclude(round__body_id=body_id)


def is_target_body_reader(user: Actor, inspection: Inspection) -> bool:
    """Whether the user reads the inspection only as the body whose unit a higher body
    inspected (提级巡察): the liaison's pages, read only, never a write."""
    return (
        getattr(user, "role", None) in _ALL
        and inspection.round.kind == InspectionKind.ELEVATED
        and inspection.round.body_id != getattr(user, "body_id", None)
        and inspection.target.body_id == getattr(user, "body_id", None)
    )


def linkable_rounds_for(user: User) -> QuerySet[Round]:
    """The 联动 rounds of the bodies above the user's that the user's rounds may be linked to
    (the office and the leading group only), latest first."""
    if user.role not in _ALL or user.body_id is None:
        return Round.objects.none()
    return (
        Round.objects.filter(kind=InspectionKind.LINKED, body_id__in=bodies_above(user.body_id))
        .select_related("body")
        .order_by(F("start").desc(nulls_last=True), "-pk")
    )


def work_word_of(user: User) -> str:
    """巡视 or 巡察, as the pages should name the user's work: the word of the body the user
    works for (the office's and leading group's own body, the liaison's unit's body, or the
    body that sent the team cadre's latest team); 巡视 when there is none (the three admins)."""
    if user.body is not None:
        return user.body.work_word
    if user.org is not None:
        return user.org.body.work_word
    team = teams_of(user).select_related("round__body").order_by("-round__start", "-pk").first()
    return team.round.body.work_word if team else "巡视"


def liaison_targets(user: Actor, path: str = "") -> Q:
    """The inspections a liaison answers for, as a filter on `path` + "target": the own
    organization's, and for a township's (乡镇、街道) liaison also those of the villages and
    communities under it, which have no accounts (乡镇跟踪村级整改); none for anybody else."""
    org_id = getattr(user, "org_id", None)
    if getattr(user, "role", None) != Role.LIAISON or not org_id:
        return Q(pk__in=[])
    # One indexed lookup of the organizations (its own id, its villages by parent), not an
    # OR across the joined tables.
    villages = Q(parent_id=org_id, sector=Sector.VILLAGE, parent__sector=Sector.TOWNSHIP)
    orgs = OrgUnit.objects.filter(Q(pk=org_id) | villages).values("pk")
    return Q(**{f"{path}target_id__in": orgs})


def is_liaison_of(user: Actor, inspection: Inspection) -> bool:
    """Whether the user is a liaison answering for the inspection (`liaison_targets`)."""
    if getattr(user, "role", None) != Role.LIAISON or not getattr(user, "org_id", None):
        return False
    if inspection.target_id == getattr(user, "org_id", None):
        return True
    return Inspection.objects.filter(liaison_targets(user), pk=inspection.pk).exists()


def rounds_visible_to(user: User) -> QuerySet[Round]:
    """The rounds the user may see."""
    if user.role in _ALL:
        return Round.objects.filter(body_id=user.body_id)
    return Round.objects.filter(pk__in=teams_of(user).values("round_id"))


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The teams the user may see."""
    if user.role in _ALL:
        return Team.objects.filter(round__body_id=user.body_id)
    return teams_of(user)


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    """The inspections the user may see: a team cadre only those of the own teams, until
    the grace after closing has passed."""
    if user.role in _ALL:
        return Inspection.objects.filter(round__body_id=user.body_id)
    return team_inspections(user)


def _in_team(user: Actor, inspection: Inspection, role: str | None) -> bool:
    if not teams_of(user, role=role).filter(pk=inspection.team_id).exists():
        return False
    if inspection.stage not in ENDED_STAGES:
        return True
    return not _past_grace(Inspection.objects.filter(pk=inspection.pk), None)


def is_team_member(user: Actor, inspection: Inspection) -> bool:
    """Whether the user is a cadre of the inspection's team and still reads its records."""
    return _in_team(user, inspection, None)


def is_team_leader(user: Actor, inspection: Inspection) -> bool:
    """Whether the user leads the inspection's team and still reads its records."""
    return _in_team(user, inspection, TeamRole.LEADER)


def get_round_for(user: User, pk: int, *, write: bool = False) -> Round:
    """The round if visible (404 otherwise); 403 on a write without rights."""
    require(user, "round.view")
    obj = rounds_visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该轮次。")
    if write:
        require(user, "round.edit")
    return obj


def get_team_for(user: User, pk: int, *, write: bool = False) -> Team:
    """The team if visible (404 otherwise); 403 on a write without rights."""
    require(user, "round.view")
    obj = teams_visible_to(user).filter(pk=pk).select_related("round", "rule_set").first()
    if obj is None:
        raise Http404("没有找到该巡视组。")
    if write:
        require(user, "round.edit")
    return obj


def get_inspection_for(user: User, pk: int, *, write: bool = False) -> Inspection:
    """The inspection if visible (404 otherwise); 403 on a write without rights."""
    require(user, "inspection.view")
    obj = (
        inspections_visible_to(user).filter(pk=pk).select_related("round", "team", "target").first()
    )
    if obj is None:
        raise Http404("没有找到该巡视任务。")
    if write:
        require(user, "inspection.edit")
    return obj


def get_membership_for(user: User, pk: int) -> TeamMembership:
    """The user's own membership, the only one a cadre may sign a pledge on."""
    require(user, "pledge.sign")
    obj = (
        TeamMembership.objects.filter(pk=pk, cadre_id=user.cadre_id).first()
        if user.cadre_id is not None
        else None
    )
    if obj is None:
        raise Http404("没有找到该成员记录。")
    return obj


def get_planning_job_for(user: User, pk: int) -> PlanningJob:
    """A planning run, for those who plan rounds (403 otherwise; 404 if there is none)."""
    require(user, "round.edit")
    job = (
        PlanningJob.objects.select_related("job__created_by", "round__body", "round__term")
        .filter(pk=pk, round__body_id=user.body_id)
        .first()
    )
    if job is None:
        raise Http404("没有找到该方案计算。")
    return job


def year_plans_visible_to(user: User) -> QuerySet[YearPlan]:
    """Every version of the year plans of the user's own body: the office and the leading
    group; none for anyone else."""
    if user.role not in _ALL:
        return YearPlan.objects.none()
    return YearPlan.objects.filter(body_id=user.body_id)


def get_year_plan_for(user: User, pk: int, *, write: bool = False) -> YearPlan:
    """A version of the own body's year plan (404 otherwise); 403 on a write without rights."""
    require(user, "coverage.view")
    obj = year_plans_visible_to(user).filter(pk=pk).select_related("body").first()
    if obj is None:
        raise Http404("没有找到该年度工作计划。")
    if write:
        require(user, "round.edit")
    return obj


def get_year_plan_round_for(user: User, pk: int) -> YearPlanRound:
    """A planned round of the own body's year plan, for the office to change (403, 404)."""
    require(user, "round.edit")
    obj = (
        YearPlanRound.objects.filter(pk=pk, plan__in=year_plans_visible_to(user))
        .select_related("plan__body")
        .first()
    )
    if obj is None:
        raise Http404("没有找到该计划轮次。")
    return obj

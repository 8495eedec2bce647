"""Findings' kinds in the full-text search: problems, read by the office, the leading group
and the team (`get_report_inspection_for`), and clues, read by the office and the team, a
高密 one only by the office and the team's leader (`clues_visible_to`). Every word is indexed
as a keyed digest (`xunshi/searchindex/tokens.py`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import Role, User
from xunshi.fieldwork.access import inspections_with_onsite_for
from xunshi.rounds.access import team_inspections, teams_of
from xunshi.rounds.models import Inspection, TeamRole
from xunshi.searchindex.kinds import Entry, SearchKind, Shown

from .models import Clue, Problem

__all__ = ["CLUES", "PROBLEMS"]

_NONE = Q(pk__in=[])


def _problem_entry(problem: Problem) -> Entry:
    return Entry(
        object_id=problem.pk,
        body_id=problem.inspection.round.body_id,
        inspection_id=problem.inspection_id,
        on=timezone.localdate(problem.created_at),
        sealed=(problem.summary,),
    )


def _problem_scope(user: User) -> Q:
    if not can(user, "report.view"):
        return _NONE
    if user.role in (Role.OFFICE, Role.LEADING_GROUP):
        inspections = Inspection.objects.filter(round__body_id=user.body_id)
    else:
        inspections = inspections_with_onsite_for(user)
    return Q(inspection_id__in=inspections.values("pk"))


def _problem_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        p.pk: Shown(
            title=gettext("问题%(seq)s（%(where)s）")
            % {"seq": p.seq, "where": p.inspection.target.name},
            url=reverse("problem_list", args=[p.inspection_id]),
            on=timezone.localdate(p.created_at),
            text=p.summary,
        )
        for p in Problem.objects.filter(pk__in=ids).select_related("inspection__target")
    }


def _problems() -> QuerySet[Any]:
    return Problem.objects.select_related("inspection__round").order_by("pk")


def _clue_entry(clue: Clue) -> Entry:
    return Entry(
        object_id=clue.pk,
        body_id=clue.inspection.round.body_id,
        inspection_id=clue.inspection_id,
        restricted=clue.highly_confidential,
        on=timezone.localdate(clue.created_at),
        sealed=(clue.persons, clue.summary, clue.outcome),
    )


def _clue_scope(user: User) -> Q:
    if not can(user, "clue.view"):
        return _NONE
    # The team's inspections still read (the grace asked once), those the user leads among them.
    mine = team_inspections(user)
    led = mine.filter(team__in=teams_of(user, role=TeamRole.LEADER))
    whole = Q(inspection_id__in=led.values("pk"))
    if user.role == Role.OFFICE:
        own = Inspection.objects.filter(round__body_id=user.body_id)
        whole |= Q(inspection_id__in=own.values("pk"))
    return whole | Q(restricted=False, inspection_id__in=mine.values("pk"))


def _clue_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        c.pk: Shown(
            title=gettext("线索%(seq)s（%(where)s）")
            % {"seq": c.seq, "where": c.inspection.target.name},
            url=reverse("clue_detail", args=[c.pk]),
            on=timezone.localdate(c.created_at),
            text="\n".join((c.persons, c.summary)),
        )
        for c in Clue.objects.filter(pk__in=ids).select_related("inspection__target")
    }


def _clues() -> QuerySet[Any]:
    return Clue.objects.select_related("inspection__round").order_by("pk")


PROBLEMS = SearchKind(
    "problem",
    _("问题"),
    "report.view",
    _problem_entry,
    _problems,
    _problem_scope,
    _problem_present,
    30,
)
CLUES = SearchKind(
    "clue", _("问题线索"), "clue.view", _clue_entry, _clues, _clue_scope, _clue_present, 80
)

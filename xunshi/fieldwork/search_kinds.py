"""Fieldwork's kinds in the full-text search: talks, petitions and working papers, read by
whoever reads the inspection's on-site records (`inspections_with_onsite_for`: the office of
the body, the team until the grace after closing). Their texts are case data: every word of
them is indexed only as a keyed digest (`xunshi/searchindex/tokens.py`), the plain ones too,
so the index holds no word of a case."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import User
from xunshi.searchindex.kinds import Entry, SearchKind, Shown

from .access import inspections_with_onsite_for
from .models import Petition, Talk, WorkingPaper

__all__ = ["PAPERS", "PETITIONS", "TALKS"]


def _onsite_scope(user: User) -> Q:
    if not can(user, "onsite.view"):
        return Q(pk__in=[])
    return Q(inspection_id__in=inspections_with_onsite_for(user).values("pk"))


def _where(inspection: Any) -> str:
    return str(inspection.target.name)


def _talk_entry(talk: Talk) -> Entry:
    return Entry(
        object_id=talk.pk,
        body_id=talk.inspection.round.body_id,
        inspection_id=talk.inspection_id,
        on=timezone.localdate(talk.held_at),
        sealed=(talk.interviewee, talk.interviewee_post, talk.place, talk.outline, talk.record),
    )


def _talk_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        t.pk: Shown(
            title=gettext("与%(who)s的谈话（%(where)s）")
            % {"who": t.interviewee, "where": _where(t.inspection)},
            url=reverse("talk_detail", args=[t.pk]),
            on=timezone.localdate(t.held_at),
            text="\n".join((t.interviewee_post, t.outline, t.record)),
        )
        for t in Talk.objects.filter(pk__in=ids).select_related("inspection__target")
    }


def _talks() -> QuerySet[Any]:
    return Talk.objects.select_related("inspection__round").order_by("pk")


def _petition_entry(p: Petition) -> Entry:
    return Entry(
        object_id=p.pk,
        body_id=p.inspection.round.body_id,
        inspection_id=p.inspection_id,
        on=p.received_on,
        sealed=(p.petitioner_name, p.reported_persons, p.content, p.routing_note, p.reply),
    )


def _petition_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        p.pk: Shown(
            title=gettext("信访件（%(where)s，%(channel)s）")
            % {"where": _where(p.inspection), "channel": p.get_channel_display()},
            url=reverse("petition_detail", args=[p.pk]),
            on=p.received_on,
            text="\n".join((p.reported_persons, p.content, p.reply)),
        )
        for p in Petition.objects.filter(pk__in=ids).select_related("inspection__target")
    }


def _petitions() -> QuerySet[Any]:
    return Petition.objects.select_related("inspection__round").order_by("pk")


def _paper_entry(paper: WorkingPaper) -> Entry:
    return Entry(
        object_id=paper.pk,
        body_id=paper.inspection.round.body_id,
        inspection_id=paper.inspection_id,
        on=timezone.localdate(paper.created_at),
        sealed=(
            paper.number,
            paper.title,
            paper.facts,
            paper.qualification,
            paper.responsibility_main,
            paper.responsibility_first,
            paper.responsibility_supervision,
        ),
    )


def _paper_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        p.pk: Shown(
            title=f"{p.number} {p.title}",
            url=reverse("paper_detail", args=[p.pk]),
            on=timezone.localdate(p.created_at),
            text="\n".join((p.facts, p.qualification, p.responsibility_main)),
        )
        for p in WorkingPaper.objects.filter(pk__in=ids)
    }


def _papers() -> QuerySet[Any]:
    return WorkingPaper.objects.select_related("inspection__round").order_by("pk")


TALKS = SearchKind(
    "talk", _("谈话记录"), "onsite.view", _talk_entry, _talks, _onsite_scope, _talk_present, 50
)
PETITIONS = SearchKind(
    "petition",
    _("信访件"),
    "onsite.view",
    _petition_entry,
    _petitions,
    _onsite_scope,
    _petition_present,
    60,
)
PAPERS = SearchKind(
    "paper", _("问题底稿"), "onsite.view", _paper_entry, _papers, _onsite_scope, _paper_present, 40
)

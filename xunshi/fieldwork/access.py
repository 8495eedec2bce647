"""Who reaches the on-site records of an inspection, and the door to each record.

Talks, petitions, document requests, immediate fixes and working papers: the office reads,
the cadres of the inspection's team read and write (read until the grace after the inspection
closed, `rounds.access.team_inspections`); not the leading group, not the liaison.
A record is found by its own id, then `get_onsite_inspection_for` decides on the inspection
it belongs to, so anyone outside the team gets 404 and a role without the function 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import Role, User
from xunshi.files.owners import RecordFiles
from xunshi.rounds.access import is_team_member, team_inspections
from xunshi.rounds.models import Inspection

from .models import DocumentRequest, EvidenceItem, ImmediateFix, Petition, Talk, WorkingPaper

__all__ = [
    "PAPER_FILES",
    "can_write_onsite",
    "find_inspection",
    "get_docrequest_for",
    "get_fix_for",
    "get_onsite_inspection_for",
    "get_paper_for",
    "get_petition_for",
    "get_talk_for",
    "inspections_with_onsite_for",
    "require_taxonomy_view",
]

M = TypeVar("M", Talk, Petition, DocumentRequest, ImmediateFix)

_NOT_FOUND = "没有找到该巡视任务。"


def inspections_with_onsite_for(user: User) -> QuerySet[Inspection]:
    """The inspections whose on-site records the user may read: a team's until the grace
    after closing has passed (`team_inspections`)."""
    if user.role == Role.OFFICE:
        return Inspection.objects.filter(round__body_id=user.body_id)
    return team_inspections(user)


def find_inspection(qs: QuerySet[Inspection], pk: int) -> Inspection:
    """The inspection pk among qs, with its round, body, team and target; 404 if not there."""
    obj = qs.filter(pk=pk).select_related("round__body", "team", "target").first()
    if obj is None:
        raise Http404(_NOT_FOUND)
    return obj


def get_onsite_inspection_for(user: User, pk: int, *, write: bool = False) -> Inspection:
    """The inspection whose on-site records the user works on; writing is the team's."""
    require(user, "onsite.view")
    obj = find_inspection(inspections_with_onsite_for(user), pk)
    if write:
        require(user, "onsite.edit")
    return obj


def can_write_onsite(user: User, inspection: Inspection) -> bool:
    """Whether the user may write the inspection's on-site records (stage aside)."""
    return can(user, "onsite.edit") and is_team_member(user, inspection)


def _record_for(model: type[M], user: User, pk: int, write: bool, missing: str) -> M:
    obj = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404(missing)
    # The inspection, loaded through the access rule, replaces the plain relation.
    obj.inspection = get_onsite_inspection_for(user, obj.inspection_id, write=write)
    return obj  # type: ignore[no-any-return]


def get_talk_for(user: User, pk: int, *, write: bool = False) -> Talk:
    """A talk the user may read (or write, for the team)."""
    return _record_for(Talk, user, pk, write, "没有找到该谈话记录。")


def get_petition_for(user: User, pk: int, *, write: bool = False) -> Petition:
    """A petition the user may read (or route and answer, for the team)."""
    return _record_for(Petition, user, pk, write, "没有找到该信访件。")


def get_docrequest_for(user: User, pk: int, *, write: bool = False) -> DocumentRequest:
    """A document request the user may read (or hand over and return, for the team)."""
    return _record_for(DocumentRequest, user, pk, write, "没有找到该调阅记录。")


def get_fix_for(user: User, pk: int, *, write: bool = False) -> ImmediateFix:
    """An immediate fix the user may read (or mark done, for the team)."""
    return _record_for(ImmediateFix, user, pk, write, "没有找到该立行立改事项。")


def require_taxonomy_view(user: User) -> None:
    """The taxonomies are read by whoever works on records or reports (403 otherwise)."""
    if not (can(user, "onsite.view") or can(user, "report.view")):
        require(user, "onsite.view")


def get_paper_for(user: User, pk: int, *, write: bool = False) -> WorkingPaper:
    """A working paper, by the rules of its inspection's on-site records."""
    paper = WorkingPaper.objects.filter(pk=pk).select_related("category__taxonomy").first()
    if paper is None:
        raise Http404("没有找到该问题底稿。")
    # The inspection, loaded through the access rule, replaces the plain relation.
    paper.inspection = get_onsite_inspection_for(user, paper.inspection_id, write=write)
    return paper


def _paper_files_held() -> QuerySet[Any]:
    return EvidenceItem.objects.filter(attachment__isnull=False).values("attachment_id")


def _paper_files_readable(user: User) -> QuerySet[Any]:
    if not can(user, "onsite.view"):
        return EvidenceItem.objects.none().values("attachment_id")
    return EvidenceItem.objects.filter(
        attachment__isnull=False, paper__inspection__in=inspections_with_onsite_for(user)
    ).values("attachment_id")


# A working paper's evidence files are read by the paper's readers (files.owners).
PAPER_FILES = RecordFiles("fieldwork.paper", _paper_files_held, _paper_files_readable)

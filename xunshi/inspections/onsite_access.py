"""The door to one on-site record: load it, then ask for its inspection.

A record is found by its own id, then `get_onsite_inspection_for` decides on the inspection
it belongs to, so the rules are those of the inspection: the office reads, the team's cadres
read and write, anyone else outside the team gets 404 and a role without the function 403.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.rounds.models import Inspection

from .access import get_onsite_inspection_for, is_team_member
from .models import DocumentRequest, ImmediateFix, Petition, Talk

__all__ = [
    "can_write_onsite",
    "get_docrequest_for",
    "get_fix_for",
    "get_petition_for",
    "get_talk_for",
    "require_taxonomy_view",
]

M = TypeVar("M", Talk, Petition, DocumentRequest, ImmediateFix)


def can_write_onsite(user: Any, inspection: Inspection) -> bool:
    """Whether the user may write the inspection's on-site records (stage aside)."""
    return can(user, "onsite.edit") and is_team_member(user, inspection)


def _record_for(model: type[M], user: Any, pk: int, write: bool, missing: str) -> M:
    obj = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404(missing)
    # The inspection, loaded through the access rule, replaces the plain relation.
    obj.inspection = get_onsite_inspection_for(user, obj.inspection_id, write=write)
    return obj  # type: ignore[no-any-return]


def get_talk_for(user: Any, pk: int, *, write: bool = False) -> Talk:
    """A talk the user may read (or write, for the team)."""
    return _record_for(Talk, user, pk, write, "没有找到该谈话记录。")


def get_petition_for(user: Any, pk: int, *, write: bool = False) -> Petition:
    """A petition the user may read (or route and answer, for the team)."""
    return _record_for(Petition, user, pk, write, "没有找到该信访件。")


def get_docrequest_for(user: Any, pk: int, *, write: bool = False) -> DocumentRequest:
    """A document request the user may read (or hand over and return, for the team)."""
    return _record_for(DocumentRequest, user, pk, write, "没有找到该调阅记录。")


def get_fix_for(user: Any, pk: int, *, write: bool = False) -> ImmediateFix:
    """An immediate fix the user may read (or mark done, for the team)."""
    return _record_for(ImmediateFix, user, pk, write, "没有找到该立行立改事项。")


def require_taxonomy_view(user: Any) -> None:
    """The taxonomies are read by whoever works on records or reports (403 otherwise)."""
    if not (can(user, "onsite.view") or can(user, "report.view")):
        require(user, "onsite.view")

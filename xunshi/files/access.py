"""Who may open which attachment.

A file attached to a record (a portal petition's photo, a working paper's evidence, a ledger
item's evidence, a meeting's minutes) is opened only by those who may open one of the records
holding it, by that record's own rule (`owners.py`: each app above files registers its records);
never by more than the rule below, which also holds alone for a file no record holds:
the office, the leading group and the inspection's own team (until the grace after the
inspection closed, `rounds.access.team_inspections`) every attachment of the inspections they
see; the office and the leading group also the files of their own body that belong to no
inspection (meeting minutes, paper pledges); the inspected organization's liaison only those
meant for rectification (audience "rectification") of the inspections it answers for: its own
organization's and, at a township, its villages' (`liaison_targets` in rounds.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import can
from xunshi.accounts.models import Role, User
from xunshi.rounds.access import inspections_visible_to, liaison_targets

from .models import Attachment, Audience
from .owners import record_files

__all__ = ["attachments_visible_to", "get_attachment_for"]


def _liaison(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.LIAISON
        and user.org_id
    )


def _by_inspection_or_body(user: User) -> QuerySet[Attachment]:
    if can(user, "inspection.view"):
        mine = Q(inspection__in=inspections_visible_to(user))
        if user.role in (Role.OFFICE, Role.LEADING_GROUP) and user.body_id is not None:
            mine |= Q(inspection__isnull=True, body_id=user.body_id)
        return Attachment.objects.filter(mine)
    if _liaison(user):
        return Attachment.objects.filter(
            liaison_targets(user, "inspection__"), audience=Audience.RECTIFICATION
        )
    return Attachment.objects.none()


def _by_record(user: User) -> Q:
    """Held by no record, or held by a record the user may open."""
    held, readable = Q(), Q()
    for kind in record_files():
        # Through the attachments' own ids: a NULL among the record's (an evidence item of
        # another kind) would make NOT IN false for every row.
        held |= Q(pk__in=Attachment.objects.filter(pk__in=kind.held()).values("pk"))
        readable |= Q(pk__in=kind.readable(user))
    return ~held | readable if held else Q()


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    """The attachments the user may open: by its inspection or body, and by its record."""
    return _by_inspection_or_body(user).filter(_by_record(user))


def get_attachment_for(user: User, pk: int) -> Attachment:
    """The attachment if the user may open it (404 otherwise); 403 for a role without access."""
    if not (can(user, "inspection.view") or _liaison(user)):
        raise PermissionDenied("您没有执行此操作的权限。")
    obj = attachments_visible_to(user).filter(pk=pk).select_related("inspection").first()
    if obj is None:
        raise Http404("没有找到该附件。")
    return obj

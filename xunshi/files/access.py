"""Who may open which attachment: the office, the leading group and the inspection's own team
every attachment of the inspections they see; the office and the leading group also the files
of their own body that belong to no inspection (meeting minutes, paper pledges); the
inspected organization's liaison only those meant for rectification (audience
"rectification") of the inspections it answers for: its own organization's and, at a
township, its villages' (`liaison_targets` in rounds.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import can
from xunshi.accounts.models import Role, User
from xunshi.rounds.access import inspections_visible_to, liaison_targets

from .models import Attachment, Audience

__all__ = ["attachments_visible_to", "get_attachment_for"]


def _liaison(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.LIAISON
        and user.org_id
    )


def attachments_visible_to(user: User) -> QuerySet[Attachment]:
    """The attachments the user may open."""
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


def get_attachment_for(user: User, pk: int) -> Attachment:
    """The attachment if the user may open it (404 otherwise); 403 for a role without access."""
    if not (can(user, "inspection.view") or _liaison(user)):
        raise PermissionDenied("您没有执行此操作的权限。")
    obj = attachments_visible_to(user).filter(pk=pk).select_related("inspection").first()
    if obj is None:
        raise Http404("没有找到该附件。")
    return obj

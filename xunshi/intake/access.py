"""The door to the portal pages: only the office (capability ``portal.manage``) manages the
portal; a role without it gets 403, and an object that does not exist 404.

The portal is one for the deployment. Each office sets the announcements of its own body's
inspections; a report that came through no announcement is routed by the office at the top of
the deployment (the body with no body above it, the provincial office), which forwards it to an
inspection of its own (`routes_portal_reports`).

The team sees a portal petition on its own petition page, through `petition_portal_files`,
which lists only the attachments the user may open anyway (files.access).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xunshi.accounts.access import can, require
from xunshi.accounts.models import User
from xunshi.fieldwork.access import inspections_with_onsite_for
from xunshi.fieldwork.models import Petition
from xunshi.files.access import attachments_visible_to
from xunshi.files.models import Attachment
from xunshi.files.owners import RecordFiles
from xunshi.registry.models import InspectingBody
from xunshi.rounds.models import PETITION_STAGES, Inspection

from .models import PortalSubmission

__all__ = [
    "PORTAL_FILES",
    "announceable_inspections_for",
    "get_announceable_inspection_for",
    "get_submission_for",
    "petition_portal_files",
    "require_portal_manager",
    "routes_portal_reports",
]


def require_portal_manager(user: User) -> None:
    """Refuse with 403 unless the user manages the portal (the office)."""
    require(user, "portal.manage")


def routes_portal_reports(user: User) -> bool:
    """Whether the user's office routes the reports that came through no announcement: the
    office of the body at the top of the deployment."""
    if user.body_id is None:
        return False
    return not InspectingBody.objects.filter(pk=user.body_id, parent__isnull=False).exists()


def get_submission_for(user: User, pk: int) -> PortalSubmission:
    """A pulled submission still waiting to be routed, for the top body's office (403 for
    others, 404 if there is none)."""
    require_portal_manager(user)
    obj = PortalSubmission.objects.filter(pk=pk).first() if routes_portal_reports(user) else None
    if obj is None:
        raise Http404("没有找到该门户提交。")
    return obj


def announceable_inspections_for(user: User) -> QuerySet[Inspection]:
    """The inspections whose announcement the office may set: those taking petitions."""
    require_portal_manager(user)
    return Inspection.objects.filter(stage__in=PETITION_STAGES, round__body_id=user.body_id)


def get_announceable_inspection_for(user: User, pk: int) -> Inspection:
    """An inspection taking petitions, for the office (403 for others, 404 otherwise)."""
    obj = announceable_inspections_for(user).filter(pk=pk).first()
    if obj is None:
        raise Http404("没有找到该巡视，或该巡视不在受理信访阶段。")
    return obj


def petition_portal_files(user: User, petition: Petition) -> QuerySet[Attachment]:
    """The clean copies of the files sent with a portal petition (and its follow-ups) that
    the user may open; the petition itself was loaded through the petition's access rule."""
    ids = PortalSubmission.attachments.through.objects.filter(
        portalsubmission__petition=petition
    ).values("attachment_id")
    return attachments_visible_to(user).filter(pk__in=ids)


_Sent = PortalSubmission.attachments.through


def _portal_files_held() -> QuerySet[Any]:
    return _Sent.objects.values("attachment_id")


def _portal_files_readable(user: User) -> QuerySet[Any]:
    if not can(user, "onsite.view"):
        return _Sent.objects.none().values("attachment_id")
    petitions = Petition.objects.filter(inspection__in=inspections_with_onsite_for(user))
    of_petition = Q(portalsubmission__petition__in=petitions) | Q(
        portalsubmission__parent__petition__in=petitions
    )
    return _Sent.objects.filter(of_petition).values("attachment_id")


# The files a citizen sent with a report are read by the readers of its petition (files.owners):
# the office and the team, never the leading group.
PORTAL_FILES = RecordFiles("intake.portal", _portal_files_held, _portal_files_readable)

"""Who sees which organizations and cadres.

Office staff and the leading group see their own body's registry and cadre pool (a county's
office its county's townships, villages and pool, never another body's); a team cadre sees the
targets of his or her own teams and teammates; a liaison sees only the own organization.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import require
from xunshi.accounts.models import Role, User

from .models import Cadre, ExportJob, ImportJob, InspectingBody, OrgUnit, Term

__all__ = [
    "bodies_for",
    "cadres_visible_to",
    "get_cadre_for",
    "get_export_job_for",
    "get_import_job_for",
    "get_org_for",
    "get_own_body_for",
    "orgs_visible_to",
    "terms_visible_to",
]

_WHOLE_REGISTRY = {Role.OFFICE, Role.LEADING_GROUP}


def orgs_visible_to(user: User) -> QuerySet[OrgUnit]:
    """The organizations the user may see."""
    if user.role in _WHOLE_REGISTRY:
        return OrgUnit.objects.filter(body_id=user.body_id)
    if user.role == Role.INSPECTOR and user.cadre_id:
        return OrgUnit.objects.filter(
            inspections__team__memberships__cadre_id=user.cadre_id
        ).distinct()
    if user.role == Role.LIAISON and user.org_id:
        return OrgUnit.objects.filter(pk=user.org_id)
    return OrgUnit.objects.none()


def cadres_visible_to(user: User) -> QuerySet[Cadre]:
    """The cadres the user may see: all for the office, teammates for a team cadre."""
    if user.role in _WHOLE_REGISTRY:
        return Cadre.objects.filter(body_id=user.body_id)
    if user.role == Role.INSPECTOR and user.cadre_id:
        return Cadre.objects.filter(
            memberships__team__memberships__cadre_id=user.cadre_id
        ).distinct()
    return Cadre.objects.none()


def bodies_for(user: User) -> QuerySet[InspectingBody]:
    """The body the user works for, the only one whose registry the user's forms may file into
    (none for an account without a body)."""
    return (
        InspectingBody.objects.filter(pk=user.body_id)
        if user.body_id
        else InspectingBody.objects.none()
    )


def get_own_body_for(user: User) -> InspectingBody:
    """The body the office works for, whose settings it edits (403 for any other role, 404
    for an account without a body)."""
    require(user, "org.edit")
    body = bodies_for(user).first()
    if body is None:
        raise Http404("没有找到所属党组织。")
    return body


def terms_visible_to(user: User) -> QuerySet[Term]:
    """The terms of the user's own body, newest first: coverage and rounds are planned in them."""
    if user.role not in _WHOLE_REGISTRY:
        return Term.objects.none()
    return Term.objects.filter(body_id=user.body_id).select_related("body").order_by("-start")


def get_org_for(user: User, pk: int, *, write: bool = False) -> OrgUnit:
    """The organization if the user may see it (404 otherwise); 403 on a write without rights."""
    require(user, "org.view")
    org = orgs_visible_to(user).filter(pk=pk).first()
    if org is None:
        raise Http404("没有找到该单位。")
    if write:
        require(user, "org.edit")
    return org


def get_cadre_for(user: User, pk: int, *, write: bool = False) -> Cadre:
    """The cadre if the user may see him or her (404 otherwise); 403 on a write without rights."""
    require(user, "cadre.view")
    cadre = cadres_visible_to(user).filter(pk=pk).first()
    if cadre is None:
        raise Http404("没有找到该干部。")
    if write:
        require(user, "cadre.edit")
    return cadre


def get_export_job_for(user: User, pk: int) -> ExportJob:
    """An export, for the one who asked for it alone (403 without the export's right; 404
    for anyone else's: a file of the registry as its requester may see it)."""
    require(user, "registry.export")
    job = ExportJob.objects.select_related("job").filter(pk=pk, job__created_by=user).first()
    if job is None:
        raise Http404("没有找到该导出。")
    return job


def get_import_job_for(user: User, pk: int) -> ImportJob:
    """An import job, for those who import (403 otherwise; 404 if there is none)."""
    require(user, "import.run")
    job = (
        ImportJob.objects.select_related("job__created_by")
        .filter(pk=pk, body_id=user.body_id)
        .first()
    )
    if job is None:
        raise Http404("没有找到该导入。")
    return job

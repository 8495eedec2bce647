"""Who sees which organizations and cadres.

Office staff and the leading group see the whole registry; a team cadre sees the targets of
his or her own teams and teammates; a liaison sees only the own organization.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xunshi.accounts.access import require
from xunshi.accounts.models import Role, User

from .models import Cadre, ImportJob, OrgUnit

__all__ = [
    "cadres_visible_to",
    "get_cadre_for",
    "get_import_job_for",
    "get_org_for",
    "orgs_visible_to",
]

_WHOLE_REGISTRY = {Role.OFFICE, Role.LEADING_GROUP}


def orgs_visible_to(user: User) -> QuerySet[OrgUnit]:
    """The organizations the user may see."""
    if user.role in _WHOLE_REGISTRY:
        return OrgUnit.objects.all()
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
        return Cadre.objects.all()
    if user.role == Role.INSPECTOR and user.cadre_id:
        return Cadre.objects.filter(
            memberships__team__memberships__cadre_id=user.cadre_id
        ).distinct()
    return Cadre.objects.none()


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


def get_import_job_for(user: User, pk: int) -> ImportJob:
    """An import job, for those who import (403 otherwise; 404 if there is none)."""
    require(user, "import.run")
    job = ImportJob.objects.select_related("job__created_by").filter(pk=pk).first()
    if job is None:
        raise Http404("没有找到该导入。")
    return job

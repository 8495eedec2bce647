"""The registry's kinds in the full-text search: organizations and cadres, by name, pinyin and
initials (兰考, lankao, lk), read by whoever may read them on the registry's pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import User
from xunshi.searchindex.kinds import Entry, SearchKind, Shown

from .access import cadres_visible_to, orgs_visible_to
from .models import Cadre, OrgUnit
from .search import search_key

__all__ = ["CADRES", "ORGS"]

_NONE = Q(pk__in=[])


def _org_entry(org: OrgUnit) -> Entry:
    return Entry(
        object_id=org.pk,
        body_id=org.body_id,
        plain=(org.name, org.short_name, org.principal_name),
        keys=(search_key(org.name, org.short_name),),
    )


def _org_scope(user: User) -> Q:
    if not can(user, "org.view"):
        return _NONE
    return Q(object_id__in=orgs_visible_to(user).values("pk"))


def _org_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        o.pk: Shown(
            title=o.name,
            url=reverse("org_detail", args=[o.pk]),
            text=" ".join(p for p in (o.short_name, o.principal_name, o.principal_post) if p),
        )
        for o in OrgUnit.objects.filter(pk__in=ids)
    }


def _orgs() -> QuerySet[Any]:
    return OrgUnit.objects.order_by("pk")


def _cadre_entry(cadre: Cadre) -> Entry:
    return Entry(
        object_id=cadre.pk,
        body_id=cadre.body_id,
        plain=(cadre.name, cadre.unit_name, cadre.post),
        keys=(search_key(cadre.name),),
    )


def _cadre_scope(user: User) -> Q:
    if not can(user, "cadre.view"):
        return _NONE
    return Q(object_id__in=cadres_visible_to(user).values("pk"))


def _cadre_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        c.pk: Shown(
            title=c.name,
            url=reverse("cadre_detail", args=[c.pk]),
            text=" ".join(p for p in (c.unit_name, c.post, c.rank) if p),
        )
        for c in Cadre.objects.filter(pk__in=ids)
    }


def _cadres() -> QuerySet[Any]:
    return Cadre.objects.order_by("pk")


ORGS = SearchKind(
    "org", _("单位"), "org.view", _org_entry, _orgs, _org_scope, _org_present, order=10
)
CADRES = SearchKind(
    "cadre", _("干部"), "cadre.view", _cadre_entry, _cadres, _cadre_scope, _cadre_present, order=20
)

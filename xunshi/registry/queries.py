"""Read-side queries of the registry pages: filtered lists, the choices of their filters, an
organization's inspections, a cadre's record and past teams.

Every function takes querysets or objects that the caller already got through access.py; none
widens what a user may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from xunshi.accounts.models import User

from .models import (
    AvoidanceWaiver,
    Cadre,
    CadreKin,
    CadreStudy,
    CadreWork,
    ExportJob,
    ImportJob,
    InspectingBody,
    OrgUnit,
    Region,
)
from .search import normalize_query

__all__ = [
    "PickOption",
    "bodies_below",
    "cadre_record",
    "cadre_skills",
    "cadre_unit_names",
    "cadre_waivers",
    "cadres_filtered",
    "cities",
    "org_children",
    "org_tags",
    "orgs_filtered",
    "pick_cadres",
    "pick_units",
    "recent_export_jobs",
    "recent_import_jobs",
]

M = TypeVar("M", bound=models.Model)


def _array_has(rows: QuerySet[M], field: str, value: str) -> QuerySet[M]:
    """Rows whose JSON list in ``field`` holds ``value``."""
    if connection.vendor == "postgresql":
        return rows.filter(**{f"{field}__contains": [value]})
    # SQLite has no JSON containment lookup; json_each lists the array's elements.
    # Table and column names come from the model, never from the request.
    table = rows.model._meta.db_table
    model_field = rows.model._meta.get_field(field)
    assert isinstance(model_field, models.Field)
    column = model_field.column
    sql = f'EXISTS (SELECT 1 FROM json_each("{table}"."{column}") WHERE json_each.value = %s)'  # noqa: S608
    has_value = RawSQL(sql, [value], output_field=models.BooleanField())  # noqa: S611
    matching: QuerySet[M] = rows.alias(has_value=has_value).filter(has_value=True)
    return matching


def _distinct_items(rows: QuerySet[Any], field: str) -> list[str]:
    # Organizations share a handful of tag combinations, so DISTINCT leaves few rows.
    lists = rows.exclude(**{field: []}).order_by().values_list(field, flat=True).distinct()
    return sorted({item for items in lists for item in items or []})


def _search(rows: QuerySet[M], q: str) -> QuerySet[M]:
    key = normalize_query(q)
    if not key:
        return rows
    return rows.filter(Q(search__contains=key) | Q(code__istartswith=key))


def orgs_filtered(
    orgs: QuerySet[OrgUnit],
    *,
    q: str = "",
    sector: str = "",
    tag: str = "",
    city: str = "",
    in_scope: bool | None = None,
) -> QuerySet[OrgUnit]:
    """The organizations matching the list's search and filters, ready for one page."""
    orgs = _search(orgs, q)
    if sector:
        orgs = orgs.filter(sector=sector)
    if tag:
        orgs = _array_has(orgs, "tags", tag)
    if city:
        orgs = orgs.filter(Q(region__code__startswith=city[:4]) | Q(parent__region_id=city))
    if in_scope is not None:
        orgs = orgs.filter(in_scope=in_scope)
    return orgs.select_related("region", "parent").order_by("code")


@dataclass(frozen=True)
class PickOption:
    """One option of a picker (xunshi/lib/pickers.py): the code it fills in, the name shown."""

    code: str
    name: str
    note: str = ""


def pick_cadres(cadres: QuerySet[Cadre], q: str, limit: int) -> list[PickOption]:
    """Up to `limit` active cadres matching ``q`` (name, pinyin initials, code), by code; none
    for an empty ``q``."""
    if not normalize_query(q):
        return []
    rows = _search(cadres, q).filter(active=True).order_by("code")
    rows = rows.only("code", "name", "unit_name", "post")[:limit]
    return [PickOption(c.code, c.name, " ".join(filter(None, [c.unit_name, c.post]))) for c in rows]


def pick_units(orgs: QuerySet[OrgUnit], q: str, limit: int) -> list[PickOption]:
    """Up to `limit` organizations matching ``q`` (name, pinyin initials, code), by code; none
    for an empty ``q``."""
    if not normalize_query(q):
        return []
    rows = _search(orgs, q).select_related("parent").order_by("code")[:limit]
    return [PickOption(o.code, o.name, o.parent.name if o.parent else "") for o in rows]


def cadres_filtered(
    cadres: QuerySet[Cadre],
    *,
    q: str = "",
    skill: str = "",
    can_lead: bool | None = None,
    active: bool | None = None,
) -> QuerySet[Cadre]:
    """The cadres matching the pool list's search and filters."""
    cadres = _search(cadres, q)
    if skill:
        cadres = _array_has(cadres, "skills", skill)
    if can_lead is not None:
        cadres = cadres.filter(can_lead=can_lead)
    if active is not None:
        cadres = cadres.filter(active=active)
    return cadres.select_related("unit", "origin").order_by("code")


def org_tags(orgs: QuerySet[OrgUnit]) -> list[str]:
    """The tags in use among the organizations, for the tag filter."""
    return _distinct_items(orgs, "tags")


def cadre_skills(cadres: QuerySet[Cadre]) -> list[str]:
    """The skill categories in use in the pool, for the skill filter."""
    return _distinct_items(cadres, "skills")


def cities() -> list[tuple[str, str]]:
    """(code, name) of the prefecture-level regions (地市), for the city filter."""
    return list(Region.objects.filter(level="city").values_list("code", "name"))


def bodies_below(body_id: int) -> list[int]:
    """The ids of every body under this one (its cities, their counties …), nearest first."""
    found: list[int] = []
    level = [body_id]
    while level:
        level = list(
            InspectingBody.objects.filter(parent_id__in=level).values_list("pk", flat=True)
        )
        found.extend(level)
    return found


def recent_import_jobs(body: InspectingBody, limit: int) -> list[ImportJob]:
    """The latest imports into the body's registry with their submitters, newest first."""
    return list(
        ImportJob.objects.filter(body=body)
        .select_related("job__created_by")
        .order_by("-id")[:limit]
    )


def recent_export_jobs(user: User, kind: str, limit: int) -> list[ExportJob]:
    """The user's own latest exports of the kind, newest first."""
    return list(
        ExportJob.objects.filter(job__created_by=user, kind=kind)
        .select_related("job")
        .order_by("-id")[:limit]
    )


def cadre_unit_names(codes: Iterable[str]) -> dict[str, str]:
    """The unit name of each of these cadres, by cadre code."""
    return dict(Cadre.objects.filter(code__in=list(codes)).values_list("code", "unit_name"))


def org_children(org: OrgUnit) -> list[OrgUnit]:
    """The organizations directly under this one."""
    return list(OrgUnit.objects.filter(parent=org).order_by("code")[:200])


def cadre_record(cadre: Cadre) -> dict[str, list[Any]]:
    """The cadre's work, study and kin rows, in order."""
    return {
        "work": list(CadreWork.objects.filter(cadre=cadre).select_related("org")),
        "study": list(CadreStudy.objects.filter(cadre=cadre).select_related("org")),
        "kin": list(CadreKin.objects.filter(cadre=cadre).select_related("org")),
    }


def cadre_waivers(cadre: Cadre) -> dict[tuple[str, str], AvoidanceWaiver]:
    """The cadre's waivers by (rule, target code)."""
    rows = AvoidanceWaiver.objects.filter(cadre=cadre).select_related("target")
    return {(w.rule, w.target.code): w for w in rows}

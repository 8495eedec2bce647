"""Exports of the registry in the import layout, so that an export re-imports unchanged.

The rows are what the user may see (``orgs_visible_to`` / ``cadres_visible_to``); ID numbers
leave masked only. Every export is an audit event (registry.export) with the row count.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from xunshi.accounts.models import User
from xunshi.audit.actions import record

from .access import cadres_visible_to, orgs_visible_to
from .excel import write_workbook
from .models import CadreKin, CadreStudy, CadreWork

__all__ = ["export_workbook"]

_CHUNK = 2000


def _code(obj: Any) -> str:
    return obj.code if obj is not None else ""


def _org_rows(user: User) -> Iterator[list[Any]]:
    orgs = orgs_visible_to(user).select_related("parent", "principal").order_by("code")
    for o in orgs.iterator(chunk_size=_CHUNK):
        yield [
            o.code,
            o.name,
            o.short_name,
            o.sector,
            o.region_id or "",
            _code(o.parent),
            tuple(o.tags),
            o.headcount,
            o.uscc,
            o.principal_name,
            o.principal_post,
            _code(o.principal),
            o.in_scope,
        ]


def _cadre_sheets(user: User) -> dict[str, Iterable[list[Any]]]:
    visible = cadres_visible_to(user)
    cadres = visible.select_related("unit").order_by("code")
    work = (
        CadreWork.objects.filter(cadre__in=visible)
        .select_related("cadre", "org")
        .order_by("cadre__code", "start", "id")
    )
    study = (
        CadreStudy.objects.filter(cadre__in=visible)
        .select_related("cadre", "org")
        .order_by("cadre__code", "start", "id")
    )
    kin = (
        CadreKin.objects.filter(cadre__in=visible)
        .select_related("cadre", "org")
        .order_by("cadre__code", "id")
    )
    return {
        "干部": (
            [
                c.code,
                c.name,
                c.gender,
                c.id_number_masked,
                c.rank,
                _code(c.unit),
                c.unit_name,
                c.post,
                tuple(c.skills),
                c.can_lead,
                c.origin_id or "",
                c.active,
            ]
            for c in cadres.iterator(chunk_size=_CHUNK)
        ),
        "工作经历": (
            [w.cadre.code, w.unit_name, _code(w.org), w.post, w.start, w.end, w.is_leader]
            for w in work.iterator(chunk_size=_CHUNK)
        ),
        "学习经历": (
            [s.cadre.code, s.school_name, _code(s.org), s.degree, s.start, s.end]
            for s in study.iterator(chunk_size=_CHUNK)
        ),
        "亲属": (
            [k.cadre.code, k.name, k.relation, _code(k.org), k.unit_name, k.post]
            for k in kin.iterator(chunk_size=_CHUNK)
        ),
    }


def _counted(rows: Iterable[list[Any]], counter: list[int]) -> Iterator[list[Any]]:
    for row in rows:
        counter[0] += 1
        yield row


def export_workbook(*, actor: User, kind: str) -> bytes:
    """The .xlsx of everything of the kind that actor may see; records the export."""
    sheets = {"单位": _org_rows(actor)} if kind == "orgs" else _cadre_sheets(actor)
    first = next(iter(sheets))
    counter = [0]
    rows = {name: _counted(r, counter) if name == first else r for name, r in sheets.items()}
    out = io.BytesIO()
    write_workbook(kind, out, rows)
    with transaction.atomic():
        record(
            actor=actor,
            action="registry.export",
            object_type="registry.orgunit" if kind == "orgs" else "registry.cadre",
            object_id=kind,
            after={"kind": kind, "rows": counter[0]},
        )
    return out.getvalue()

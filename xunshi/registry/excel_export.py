"""Exports of the registry in the import layout, so that an export re-imports unchanged.

The rows are what the user may see (``orgs_visible_to`` / ``cadres_visible_to``); ID numbers
leave masked only. The task worker writes the workbook (`export_write`, tasks.py) row by row
into a file (openpyxl's write-only mode: memory stays flat at any size), reporting progress;
every download of it is an audit event (registry.export) with the row count
(`export_actions.export_job_download`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from xunshi.accounts.models import User

from .access import cadres_visible_to, orgs_visible_to
from .excel import write_workbook
from .models import CadreKin, CadreStudy, CadreWork

__all__ = ["export_total", "export_write"]

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


def export_total(*, user: User, kind: str) -> int:
    """How many rows the export of the kind writes for user, over all its sheets."""
    if kind == "orgs":
        return orgs_visible_to(user).count()
    visible = cadres_visible_to(user)
    return (
        visible.count()
        + CadreWork.objects.filter(cadre__in=visible).count()
        + CadreStudy.objects.filter(cadre__in=visible).count()
        + CadreKin.objects.filter(cadre__in=visible).count()
    )


def _ticking(rows: Iterable[list[Any]], tick: Callable[[], None]) -> Iterator[list[Any]]:
    for row in rows:
        tick()
        yield row


def export_write(
    *, user: User, kind: str, out: IO[bytes], tick: Callable[[], None] | None = None
) -> int:
    """Write the .xlsx of everything of the kind that user may see to out, calling tick after
    each row of any sheet; the number of rows of its first sheet (organizations or cadres)."""
    sheets = {"单位": _org_rows(user)} if kind == "orgs" else _cadre_sheets(user)
    first = next(iter(sheets))
    counter = [0]
    rows = {name: _counted(r, counter) if name == first else r for name, r in sheets.items()}
    if tick is not None:
        rows = {name: _ticking(r, tick) for name, r in rows.items()}
    write_workbook(kind, out, rows)
    return counter[0]

"""Checking an uploaded workbook and turning it into the registry's input dataclasses.

The importer runs in two phases (see tasks.py). This module is the first: after excel_read
has parsed every cell, it checks duplicates within the file, every reference (parent units,
regions, cadres, units of histories and kin, ID numbers already in the pool) and loops of
parents, and returns either a plan to write (``OrgInput`` / ``CadreInput``, parents before
children) or ``None`` with every problem in the file's ``errors``. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from .actions import CadreInput, KinInput, OrgInput, StudyInput, WorkInput
from .excel import CADRE_SHEET, KIN_SHEET, ORG_SHEET, STUDY_SHEET, WORK_SHEET, Column, Sheet
from .excel_read import Errors, ImportFile, Row, Tick, parse_rows
from .models import Cadre, InspectingBody, OrgUnit, Region
from .sealing import id_number_index

__all__ = ["CadrePlan", "OrgPlan", "check_cadres", "check_orgs"]

_BATCH = 500


@dataclass(frozen=True)
class OrgPlan:
    rows: list[tuple[int, OrgInput]]  # parents before children
    existing: frozenset[str]


@dataclass(frozen=True)
class CadrePlan:
    rows: list[tuple[int, CadreInput]]
    existing: frozenset[str]


# References ---------------------------------------------------------------------------------


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _existing(model: type[Model], values: Iterable[str]) -> set[str]:
    """The codes among values that the model's table holds."""
    manager = model._default_manager
    found: set[str] = set()
    for chunk in _chunks(v for v in values if v):
        found.update(manager.filter(code__in=chunk).values_list("code", flat=True))
    return found


def _column(sheet: Sheet, key: str) -> Column:
    return next(c for c in sheet.columns if c.key == key)


def _duplicates(
    sheet: Sheet, rows: list[Row], key: str, errors: Errors, message: str
) -> dict[str, int]:
    """The first row of each value of key; later rows with the same value are errors."""
    first: dict[str, int] = {}
    header = _column(sheet, key).header
    for row in rows:
        value = row.values.get(key)
        if not value:
            continue
        if value in first:
            errors.add(sheet.name, row.number, header, message.format(row=first[value]))
            row.ok = False
        else:
            first[value] = row.number
    return first


def _check_refs(
    sheet: Sheet, rows: list[Row], key: str, known: set[str], errors: Errors, message: str
) -> None:
    header = _column(sheet, key).header
    for row in rows:
        value = row.values.get(key)
        if value and value not in known:
            errors.add(sheet.name, row.number, header, message.format(header=header, code=value))
            row.ok = False


def _db_parents(start: set[str], in_file: set[str]) -> dict[str, str | None]:
    """The registry's parent of each organization reachable upwards from start."""
    parents: dict[str, str | None] = {}
    todo = {c for c in start if c not in in_file}
    while todo:
        for chunk in _chunks(todo):
            parents.update(
                OrgUnit.objects.filter(code__in=chunk).values_list("code", "parent__code")
            )
        todo = {p for p in parents.values() if p and p not in parents and p not in in_file}
    return parents


def _check_cycles(rows: list[Row], errors: Errors) -> None:
    by_code = {r.values["code"]: r for r in rows if r.ok}
    in_file = {
        r.values["code"]: r.values.get("parent_code") or None for r in rows if r.values.get("code")
    }
    registry = _db_parents({p for p in in_file.values() if p}, set(in_file))

    def parent_of(code: str) -> str | None:
        return in_file[code] if code in in_file else registry.get(code)

    settled: set[str] = set()
    header = _column(ORG_SHEET, "parent_code").header
    for start in by_code:
        path: list[str] = []
        code: str | None = start
        while code and code not in settled:
            if code in path:
                loop = path[path.index(code) :]
                for member in loop:
                    if member in by_code:
                        errors.add(
                            ORG_SHEET.name,
                            by_code[member].number,
                            header,
                            "上级单位形成循环：" + " → ".join([*loop, loop[0]]),
                        )
                        by_code[member].ok = False
                break
            path.append(code)
            code = parent_of(code)
        settled.update(path)


def _parents_first(rows: list[Row]) -> list[Row]:
    by_code = {r.values["code"]: r for r in rows}
    placed: set[str] = set()
    ordered: list[Row] = []
    for row in rows:
        chain: list[str] = []
        code: str | None = row.values["code"]
        while code is not None and code in by_code and code not in placed:
            chain.append(code)
            placed.add(code)
            code = by_code[code].values.get("parent_code") or None
        ordered.extend(by_code[c] for c in reversed(chain))
    return ordered


def _other_bodies_orgs(body: InspectingBody, codes: Iterable[str]) -> set[str]:
    """The codes among codes that another body's registry holds."""
    found: set[str] = set()
    for chunk in _chunks(c for c in codes if c):
        found.update(
            OrgUnit.objects.filter(code__in=chunk).exclude(body=body).values_list("code", flat=True)
        )
    return found


def check_orgs(book: ImportFile, tick: Tick, body: InspectingBody) -> OrgPlan | None:
    """Check the sheet 单位 for the body's registry; the plan to write, or None when
    book.errors has anything."""
    sheet, errors = ORG_SHEET, book.errors
    rows = parse_rows(sheet, book, tick)
    in_file = _duplicates(sheet, rows, "code", errors, "单位编码重复（与第{row}行相同）")
    values = [r.values for r in rows]
    registry = _existing(OrgUnit, [*in_file, *(v.get("parent_code", "") for v in values)])
    code_header = _column(sheet, "code").header
    others = _other_bodies_orgs(body, in_file)
    for row in rows:
        if row.values.get("code") in others:
            errors.add(
                sheet.name,
                row.number,
                code_header,
                f"单位编码“{row.values['code']}”已登记在其他党组织的名录中，不能导入{body.name}的名录",
            )
            row.ok = False
    parent_header = _column(sheet, "parent_code").header
    for row in rows:
        parent = row.values.get("parent_code")
        if parent and parent == row.values.get("code"):
            errors.add(sheet.name, row.number, parent_header, "上级单位不能是本单位")
            row.ok = False
        elif parent and parent not in in_file and parent not in registry:
            errors.add(
                sheet.name,
                row.number,
                parent_header,
                f"上级单位编码“{parent}”既不在名录中也不在本文件中",
            )
            row.ok = False
    regions = _existing(Region, (v.get("region_code", "") for v in values))
    _check_refs(sheet, rows, "region_code", regions, errors, "{header}“{code}”不存在")
    cadres: set[str] = set()
    for chunk in _chunks(v.get("principal_code", "") for v in values if v.get("principal_code")):
        cadres.update(
            Cadre.objects.filter(body=body, code__in=chunk).values_list("code", flat=True)
        )
    _check_refs(sheet, rows, "principal_code", cadres, errors, "{header}“{code}”不在干部库中")
    _check_cycles(rows, errors)
    if errors:
        return None
    plan = [(row.number, OrgInput(**row.values)) for row in _parents_first(rows)]
    return OrgPlan(plan, frozenset(registry & set(in_file)))


def _by_start(items: list[Any]) -> tuple[Any, ...]:
    """Histories in the order the database returns them (start, then id = file order)."""
    nulls_last = connection.features.nulls_order_largest

    def key(item: Any) -> tuple[int, dt.date]:
        if item.start is None:
            return (1 if nulls_last else -1, dt.date.min)
        return (0, item.start)

    return tuple(sorted(items, key=key))


def _check_dates(sheet: Sheet, rows: list[Row], errors: Errors) -> None:
    start, end = _column(sheet, "start"), _column(sheet, "end")
    for row in rows:
        a, b = row.values.get("start"), row.values.get("end")
        if a and b and b < a:
            errors.add(sheet.name, row.number, end.header, f"{end.header}早于{start.header}")
            row.ok = False


def _check_ids(rows: list[Row], errors: Errors, body: InspectingBody) -> None:
    sheet, header = CADRE_SHEET, _column(CADRE_SHEET, "id_number").header
    full = [r for r in rows if r.values.get("id_number") and "*" not in r.values["id_number"]]
    masked = [r for r in rows if "*" in r.values.get("id_number", "")]
    _duplicates(sheet, full, "id_number", errors, "身份证号码重复（与第{row}行相同）")
    indexes = {id_number_index(r.values["id_number"]): r for r in full if r.ok}
    for chunk in _chunks(indexes):
        for index, code, body_id in Cadre.objects.filter(id_number_index__in=chunk).values_list(
            "id_number_index", "code", "body_id"
        ):
            row = indexes[index]
            if code != row.values.get("code") or body_id != body.pk:
                errors.add(
                    sheet.name, row.number, header, f"该身份证号码已登记在人员编号“{code}”名下"
                )
                row.ok = False
    stored: dict[str, str] = {}
    for chunk in _chunks(r.values.get("code", "") for r in masked):
        stored.update(
            Cadre.objects.filter(body=body, code__in=chunk).values_list("code", "id_number_masked")
        )
    for row in masked:
        if stored.get(row.values.get("code", "")) != row.values["id_number"]:
            errors.add(
                sheet.name,
                row.number,
                header,
                "身份证号码是脱敏号码（含*），只能用于库中已有且号码一致的干部；"
                "新增干部请填写完整号码",
            )
            row.ok = False


def check_cadres(book: ImportFile, tick: Tick, body: InspectingBody) -> CadrePlan | None:
    """Check the sheets 干部, 工作经历, 学习经历, 亲属 for the body's pool; the plan, or None
    on any error."""
    errors = book.errors
    cadres = parse_rows(CADRE_SHEET, book, tick)
    listed = {r.values["code"] for r in cadres if r.values.get("code")}
    _duplicates(CADRE_SHEET, cadres, "code", errors, "人员编号重复（与第{row}行相同）")
    code_header = _column(CADRE_SHEET, "code").header
    others: set[str] = set()
    for chunk in _chunks(listed):
        others.update(
            Cadre.objects.filter(code__in=chunk).exclude(body=body).values_list("code", flat=True)
        )
    for row in cadres:
        if row.values.get("code") in others:
            errors.add(
                CADRE_SHEET.name,
                row.number,
                code_header,
                f"人员编号“{row.values['code']}”已在其他党组织的干部库中，不能导入{body.name}的干部库",
            )
            row.ok = False
    _check_ids(cadres, errors, body)
    histories = {s.name: parse_rows(s, book, tick) for s in (WORK_SHEET, STUDY_SHEET, KIN_SHEET)}

    org_refs = [r.values.get("unit_code", "") for r in cadres] + [
        r.values.get("org_code", "") for rows in histories.values() for r in rows
    ]
    orgs = _existing(OrgUnit, org_refs)
    _check_refs(CADRE_SHEET, cadres, "unit_code", orgs, errors, "{header}“{code}”不在单位名录中")
    regions = _existing(Region, (r.values.get("origin_code", "") for r in cadres))
    _check_refs(CADRE_SHEET, cadres, "origin_code", regions, errors, "{header}“{code}”不存在")
    for sheet in (WORK_SHEET, STUDY_SHEET, KIN_SHEET):
        rows = histories[sheet.name]
        _check_refs(
            sheet,
            rows,
            "cadre_code",
            listed,
            errors,
            sheet.name + "中的{header}“{code}”在“干部”表中不存在",
        )
        _check_refs(sheet, rows, "org_code", orgs, errors, "{header}“{code}”不在单位名录中")
        if sheet is not KIN_SHEET:
            _check_dates(sheet, rows, errors)
    if errors:
        return None

    grouped: dict[str, dict[str, list[Any]]] = {code: {} for code in listed}
    makers: dict[str, Callable[..., Any]] = {
        WORK_SHEET.name: WorkInput,
        STUDY_SHEET.name: StudyInput,
        KIN_SHEET.name: KinInput,
    }
    for name, rows in histories.items():
        for row in rows:
            fields = dict(row.values)
            code = fields.pop("cadre_code")
            grouped[code].setdefault(name, []).append(makers[name](**fields))
    plan = []
    for row in cadres:
        hist = grouped[row.values["code"]]
        plan.append(
            (
                row.number,
                CadreInput(
                    **row.values,
                    work=_by_start(hist.get(WORK_SHEET.name, [])),
                    study=_by_start(hist.get(STUDY_SHEET.name, [])),
                    kin=tuple(hist.get(KIN_SHEET.name, [])),
                ),
            )
        )
    existing: set[str] = set()
    for chunk in _chunks(listed):
        existing.update(
            Cadre.objects.filter(body=body, code__in=chunk).values_list("code", flat=True)
        )
    return CadrePlan(plan, frozenset(existing))

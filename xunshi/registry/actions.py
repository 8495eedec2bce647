"""The only code that writes the registry: organizations, cadres and their histories, waivers,
and the bodies' numbered series (`number_draw`, see `registry.numbering`).

Upserts are keyed by code and write nothing (and record nothing) when the data are the
same, so importing one file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record, snapshot
from xunshi.lib.ids import IdError, normalize_id_number, normalize_uscc
from xunshi.searchindex.actions import search_index

from .models import (
    AvoidanceWaiver,
    Cadre,
    CadreKin,
    CadreStudy,
    CadreWork,
    InspectingBody,
    NumberSeries,
    OrgUnit,
    Region,
    Term,
)
from .sealing import id_number_index, seal_id_number
from .search import search_key
from .search_kinds import CADRES, ORGS

ORG_FIELDS = [
    "code",
    "name",
    "short_name",
    "sector",
    "region",
    "parent",
    "tags",
    "headcount",
    "uscc",
    "principal_name",
    "principal_post",
    "principal",
    "in_scope",
]
CADRE_FIELDS = [
    "code",
    "name",
    "gender",
    "birth_date",
    "id_number_masked",
    "rank",
    "unit",
    "unit_name",
    "post",
    "skills",
    "can_lead",
    "origin",
    "active",
]


@dataclass(frozen=True)
class OrgInput:
    code: str
    name: str
    sector: str
    short_name: str = ""
    region_code: str = ""
    parent_code: str = ""
    tags: tuple[str, ...] = ()
    headcount: int | None = None
    uscc: str = ""
    principal_name: str = ""
    principal_post: str = ""
    principal_code: str = ""
    in_scope: bool = True


@dataclass(frozen=True)
class WorkInput:
    unit_name: str
    org_code: str = ""
    post: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    is_leader: bool = False


@dataclass(frozen=True)
class StudyInput:
    school_name: str
    org_code: str = ""
    degree: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class KinInput:
    name: str
    relation: str
    org_code: str = ""
    unit_name: str = ""
    post: str = ""


@dataclass(frozen=True)
class CadreInput:
    code: str
    name: str
    gender: str
    id_number: str
    unit_name: str
    rank: str = ""
    unit_code: str = ""
    post: str = ""
    skills: tuple[str, ...] = ()
    can_lead: bool = False
    origin_code: str = ""
    active: bool = True
    work: tuple[WorkInput, ...] = ()
    study: tuple[StudyInput, ...] = ()
    kin: tuple[KinInput, ...] = ()


def _org_or_none(code: str, what: str) -> OrgUnit | None:
    if not code:
        return None
    org = OrgUnit.objects.filter(code=code).first()
    if org is None:
        raise ValidationError(f"{what}“{code}”不在单位名录中。")
    return org


def _region_or_none(code: str) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(f"行政区划代码“{code}”不存在。")
    return region


_LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}


def body_create(
    *,
    actor: Actor,
    name: str,
    level: str,
    region_code: str = "",
    abbreviation: str = "",
    parent: InspectingBody | None = None,
) -> InspectingBody:
    """Register a Party organization that sends inspection teams, under the body that guides
    and supervises it (a county under its city, a city under the province)."""
    if parent is not None and _LEVEL_ORDER.get(level, 3) <= _LEVEL_ORDER.get(parent.level, 3):
        raise ValidationError(f"{name}的层级不低于上级党组织{parent.name}，不能登记在其下。")
    with transaction.atomic():
        body = InspectingBody.objects.create(
            name=name,
            level=level,
            region_code=region_code,
            abbreviation=abbreviation,
            parent=parent,
        )
        record(
            actor=actor,
            action="registry.body.create",
            obj=body,
            after=snapshot(body, ["name", "level", "region_code", "abbreviation", "parent"]),
        )
    return body


TEAM_ACCESS_GRACE_MAX = 365


def body_set_team_access_grace(*, actor: Actor, body: InspectingBody, days: int) -> InspectingBody:
    """Set how many days after an inspection closes its team still reads the case records
    (0 to a year); after them the office alone reads them."""
    if not 0 <= days <= TEAM_ACCESS_GRACE_MAX:
        raise ValidationError(
            f"办结后巡视组查阅期限须在0至{TEAM_ACCESS_GRACE_MAX}天之间，填写的是{days}天。"
        )
    with transaction.atomic():
        body = InspectingBody.objects.select_for_update().get(pk=body.pk)
        before = snapshot(body, ["team_access_grace_days"])
        body.team_access_grace_days = days
        body.save(update_fields=["team_access_grace_days"])
        record(
            actor=actor,
            action="registry.body.team_access_grace",
            obj=body,
            before=before,
            after=snapshot(body, ["team_access_grace_days"]),
        )
    return body


def term_create(
    *, actor: Actor, body: InspectingBody, name: str, start: dt.date, end: dt.date
) -> Term:
    """Open a term (届) of the body, over which coverage is measured."""
    if end <= start:
        raise ValidationError("届次结束日期须晚于开始日期。")
    with transaction.atomic():
        term = Term.objects.create(body=body, name=name, start=start, end=end)
        record(
            actor=actor,
            action="registry.term.create",
            obj=term,
            after=snapshot(term, ["body", "name", "start", "end"]),
        )
    return term


def regions_load(*, actor: Actor, rows: list[tuple[str, str, str, str]]) -> int:
    """Load GB/T 2260 divisions (code, name, level, parent code); returns the number added."""
    with transaction.atomic():
        known = set(Region.objects.values_list("code", flat=True))
        new = [r for r in rows if r[0] not in known]
        for code, name, level, _parent in new:
            Region.objects.create(code=code, name=name, level=level)
        for code, _name, _level, parent in new:
            if parent:
                Region.objects.filter(code=code).update(parent_id=parent)
        if new:
            record(
                actor=actor,
                action="registry.region.load",
                object_type="registry.region",
                object_id=f"{len(new)}",
                after={"added": len(new)},
            )
    return len(new)


def org_upsert(*, actor: Actor, body: InspectingBody, data: OrgInput) -> tuple[OrgUnit, bool]:
    """Create or update the organization with data.code; returns it and whether it changed."""
    with transaction.atomic():
        org = OrgUnit.objects.select_for_update().filter(code=data.code).first()
        if org is not None and org.body_id != body.pk:
            raise ValidationError(
                f"单位编码“{data.code}”已登记在其他党组织的名录中，不能登记到{body.name}的名录。"
            )
        before = snapshot(org, ORG_FIELDS) if org else None
        if org is None:
            org = OrgUnit(code=data.code, body=body)
        org.name = data.name
        org.short_name = data.short_name
        org.sector = data.sector
        org.region = _region_or_none(data.region_code)
        parent = _org_or_none(data.parent_code, "上级单位")
        if parent is not None and parent.pk == org.pk:
            raise ValidationError("上级单位不能是本单位。")
        org.parent = parent
        org.tags = list(data.tags)
        org.headcount = data.headcount
        try:
            org.uscc = normalize_uscc(data.uscc) if data.uscc else ""
        except IdError as e:
            raise ValidationError(str(e)) from e
        org.principal_name = data.principal_name
        org.principal_post = data.principal_post
        org.principal = (
            Cadre.objects.filter(body=body, code=data.principal_code).first()
            if data.principal_code
            else None
        )
        if data.principal_code and org.principal is None:
            raise ValidationError(f"主要负责人编号“{data.principal_code}”不在干部库中。")
        org.in_scope = data.in_scope
        after = snapshot(org, ORG_FIELDS)
        if before == after:
            return org, False
        org.search = search_key(org.name, org.short_name)
        org.save()
        record(
            actor=actor,
            action="registry.org.update" if before else "registry.org.create",
            obj=org,
            before=before,
            after=after,
        )
        search_index(ORGS, org)
    return org, True


def cadre_history_inputs(
    cadre: Cadre,
) -> tuple[tuple[WorkInput, ...], tuple[StudyInput, ...], tuple[KinInput, ...]]:
    """The cadre's stored histories as action inputs (an edit of basic fields keeps them)."""
    work = tuple(
        WorkInput(w.unit_name, w.org.code if w.org else "", w.post, w.start, w.end, w.is_leader)
        for w in cadre.work.select_related("org")
    )
    study = tuple(
        StudyInput(s.school_name, s.org.code if s.org else "", s.degree, s.start, s.end)
        for s in cadre.study.select_related("org")
    )
    kin = tuple(
        KinInput(k.name, k.relation, k.org.code if k.org else "", k.unit_name, k.post)
        for k in cadre.kin.select_related("org")
    )
    return work, study, kin


def _history_json(parts: tuple[tuple[Any, ...], ...]) -> dict[str, Any]:
    names = ("work", "study", "kin")
    return {n: [list(vars(x).values()) for x in p] for n, p in zip(names, parts, strict=True)}


def cadre_upsert(*, actor: Actor, body: InspectingBody, data: CadreInput) -> tuple[Cadre, bool]:
    """Create or update the cadre with data.code in the body's pool and its histories; returns
    it and whether it changed. A masked ID number (as exported) keeps the stored one."""
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().filter(code=data.code).first()
        if cadre is not None and cadre.body_id != body.pk:
            raise ValidationError(
                f"人员编号“{data.code}”已在其他党组织的干部库中，不能登记到{body.name}的干部库。"
            )
        before = None
        old_hist: tuple[tuple[Any, ...], ...] = ((), (), ())
        if cadre is not None:
            before = snapshot(cadre, CADRE_FIELDS)
            old_hist = cadre_history_inputs(cadre)
            before |= _history_json(old_hist)
        else:
            cadre = Cadre(body=body, code=data.code)
        if "*" in data.id_number and cadre.pk and data.id_number == cadre.id_number_masked:
            pass
        else:
            try:
                id18 = normalize_id_number(data.id_number)
            except IdError as e:
                raise ValidationError(str(e)) from e
            index = id_number_index(id18)
            if index != cadre.id_number_index:
                if Cadre.objects.filter(id_number_index=index).exclude(pk=cadre.pk).exists():
                    raise ValidationError("该身份证号码已登记在另一名干部名下。")
                sealed = seal_id_number(id18)
                cadre.id_number_sealed = sealed.sealed
                cadre.id_number_index = sealed.index
                cadre.id_number_masked = sealed.masked
                cadre.birth_date = dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))
        cadre.name = data.name
        cadre.gender = data.gender
        cadre.rank = data.rank
        cadre.unit = _org_or_none(data.unit_code, "所在单位编码")
        cadre.unit_name = data.unit_name
        cadre.post = data.post
        cadre.skills = list(data.skills)
        cadre.can_lead = data.can_lead
        cadre.origin = _region_or_none(data.origin_code)
        cadre.active = data.active
        new_hist = (data.work, data.study, data.kin)
        after = snapshot(cadre, CADRE_FIELDS) | _history_json(new_hist)
        if before == after:
            return cadre, False
        cadre.search = search_key(cadre.name)
        cadre.save()
        if new_hist != old_hist:
            cadre.work.all().delete()
            cadre.study.all().delete()
            cadre.kin.all().delete()
            CadreWork.objects.bulk_create(
                CadreWork(
                    cadre=cadre,
                    org=_org_or_none(w.org_code, "工作单位编码"),
                    unit_name=w.unit_name,
                    post=w.post,
                    start=w.start,
                    end=w.end,
                    is_leader=w.is_leader,
                )
                for w in data.work
            )
            CadreStudy.objects.bulk_create(
                CadreStudy(
                    cadre=cadre,
                    org=_org_or_none(s.org_code, "学校编码"),
                    school_name=s.school_name,
                    degree=s.degree,
                    start=s.start,
                    end=s.end,
                )
                for s in data.study
            )
            CadreKin.objects.bulk_create(
                CadreKin(
                    cadre=cadre,
                    name=k.name,
                    relation=k.relation,
                    org=_org_or_none(k.org_code, "亲属单位编码"),
                    unit_name=k.unit_name,
                    post=k.post,
                )
                for k in data.kin
            )
        record(
            actor=actor,
            action="registry.cadre.update" if before else "registry.cadre.create",
            obj=cadre,
            before=before,
            after=after,
        )
        search_index(CADRES, cadre)
    return cadre, True


def waiver_create(
    *, actor: Actor, cadre: Cadre, target: OrgUnit, rule: str, reason: str, approver: str
) -> AvoidanceWaiver:
    """Record the office's waiver of one avoidance hit, with its reason and approver."""
    if not reason.strip() or not approver.strip():
        raise ValidationError("豁免回避须写明理由和批准人。")
    with transaction.atomic():
        waiver = AvoidanceWaiver.objects.create(
            cadre=cadre,
            target=target,
            rule=rule,
            reason=reason.strip(),
            approver=approver.strip(),
        )
        record(
            actor=actor,
            action="registry.waiver.create",
            obj=waiver,
            after=snapshot(waiver, ["cadre", "target", "rule", "reason", "approver"]),
        )
    return waiver


def number_draw(*, body: InspectingBody, kind: str, year: int, team_number: int = 0) -> int:
    """The next number of one of the body's yearly series (`SeriesKind`), locked until the
    caller's transaction ends; the caller's audit event records the number it gives."""
    if not transaction.get_connection().in_atomic_block:
        # Outside the creating transaction the lock would end at once, and a creation refused
        # afterwards would burn the number.
        raise RuntimeError("number_draw runs inside the transaction that creates the document")
    key: dict[str, Any] = {"body": body, "kind": kind, "year": year, "team_number": team_number}
    try:
        with transaction.atomic():
            NumberSeries.objects.get_or_create(**key)
    except IntegrityError:  # created by a concurrent draw a moment ago: it exists now
        pass
    series = NumberSeries.objects.select_for_update().get(**key)
    series.last += 1
    series.save(update_fields=["last"])
    return series.last

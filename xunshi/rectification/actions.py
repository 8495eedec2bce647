"""The only code that writes the ledger: the liaison's plan, progress and claim, the office's
verification (销号) or return, and the supervision notice (督办函).

The ledger is written only while the inspection is on its main line after the feedback
(`PLAN_STAGES` for the plan, `WORK_STAGES` for the rest); a suspended, cancelled, closed or
archived inspection's ledger is read-only. The disclosure figures (rules revised, funds
recovered, persons sanctioned) are sums kept on each item: every progress report adds its
own figures to its item, and the audit event of the report keeps that report's share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import Role
from xunshi.audit.actions import record, snapshot
from xunshi.doctemplates.models import TemplateKind
from xunshi.doctemplates.queries import current_version
from xunshi.files import storage
from xunshi.files.actions import attachment_store
from xunshi.files.models import Attachment, Audience
from xunshi.files.uploads import Upload, check
from xunshi.findings.queries import feedback_date
from xunshi.lib.officedoc import cn_date
from xunshi.registry.actions import number_draw
from xunshi.registry.models import Sector, SeriesKind
from xunshi.registry.numbering import document_number, next_seq
from xunshi.rounds.models import Inspection, Stage
from xunshi.searchindex.actions import search_index

from .access import is_liaison_of
from .disclosure import disclosure_text
from .models import (
    Disclosure,
    ItemStatus,
    ProgressReport,
    RectificationItem,
    RectificationKind,
    SupervisionNotice,
)
from .queries import warned_items
from .search_kinds import LEDGER_ITEMS

__all__ = [
    "ITEM_FIELDS",
    "PLAN_STAGES",
    "WORK_STAGES",
    "disclosure_publish",
    "item_claim",
    "item_plan",
    "item_verify",
    "ledger_open",
    "notice_issue",
    "plan_mark_submitted",
    "progress_report",
]

ITEM_FIELDS = [
    "measures",
    "responsible_leader",
    "responsible_department",
    "deadline",
    "kind",
    "status",
    "claimed_on",
    "closed_on",
    "closed_by",
    "return_reason",
    "rules_revised",
    "funds_recovered",
    "persons_sanctioned",
]
S = Stage
PLAN_STAGES = frozenset({S.FEEDBACK_GIVEN, S.RECTIFYING})
WORK_STAGES = frozenset(
    {S.FEEDBACK_GIVEN, S.RECTIFYING, S.RECTIFICATION_REPORTED, S.DISCLOSED, S.MONITORING}
)
MAX_YEARS = 5
_FUNDS_MAX = Decimal("9999999999.99")


def _name(item: RectificationItem) -> str:
    return f"第{item.seq}项“{item.title}”"


def _trail_name(item: RectificationItem) -> str:
    # The audit trail names the item by its number and unit, never by its title (the problem).
    return f"第{item.seq}项整改事项（{item.inspection.target.name}）"


def _require_liaison(actor: Actor, inspection: Inspection) -> None:
    user = person(actor)  # None for the system; an anonymous user is refused
    if user is not None and not is_liaison_of(user, inspection):
        target = inspection.target
        if target.sector == Sector.VILLAGE:
            raise ValidationError(f"只有{target.name}所在乡镇（街道）的联络员可以填报其整改台账。")
        raise ValidationError(f"只有{target.name}的联络员可以填报其整改台账。")


def _require_office(actor: Actor, what: str) -> None:
    user = person(actor)  # None for the system; an anonymous user is refused
    if user is not None and user.role != Role.OFFICE:
        raise ValidationError(f"{what}须由巡视办操作。")


def _require_stage(inspection: Inspection, stages: frozenset[str], what: str) -> None:
    if inspection.stage not in stages:
        here = Stage(inspection.stage).label
        raise ValidationError(f"巡视任务处于“{here}”阶段，不能{what}。")


def _check_day(inspection: Inspection, on: dt.date, label: str) -> None:
    fed = feedback_date(inspection)
    if fed and on < fed:
        raise ValidationError(f"{label}（{cn_date(on)}）不能早于反馈日期（{cn_date(fed)}）。")
    if on > timezone.localdate():
        raise ValidationError(f"{label}（{cn_date(on)}）不能晚于今天。")


def _years_after(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _locked(item: RectificationItem) -> RectificationItem:
    locked = RectificationItem.objects.select_for_update().get(pk=item.pk)
    locked.inspection = item.inspection
    return locked


def _copy(src: RectificationItem, dst: RectificationItem) -> None:
    for name in ITEM_FIELDS:
        setattr(dst, name, getattr(src, name))


def item_plan(
    *,
    actor: Actor,
    item: RectificationItem,
    measures: str,
    responsible_leader: str,
    responsible_department: str,
    deadline: dt.date | None,
    kind: str,
) -> RectificationItem:
    """Fill in (or change) an item's plan: measures, responsible leader and department,
    deadline and kind."""
    inspection = item.inspection
    _require_liaison(actor, inspection)
    _require_stage(inspection, PLAN_STAGES, "制定整改措施")
    values = {
        "measures": measures.strip(),
        "responsible_leader": responsible_leader.strip(),
        "responsible_department": responsible_department.strip(),
    }
    missing = [
        label
        for label, value in (
            ("整改措施", values["measures"]),
            ("责任领导", values["responsible_leader"]),
            ("责任部门", values["responsible_department"]),
            ("整改时限", deadline),
            ("整改类型", kind),
        )
        if not value
    ]
    if missing:
        raise ValidationError(f"{_name(item)}缺少：{'、'.join(missing)}。")
    if kind not in RectificationKind.values:
        raise ValidationError(f"{_name(item)}的整改类型“{kind}”无效。")
    if len(values["responsible_leader"]) > 50:
        raise ValidationError(f"{_name(item)}的责任领导不能超过50个字。")
    if len(values["responsible_department"]) > 100:
        raise ValidationError(f"{_name(item)}的责任部门不能超过100个字。")
    assert deadline is not None
    fed = feedback_date(inspection)
    if fed and deadline < fed:
        raise ValidationError(
            f"{_name(item)}的整改时限（{cn_date(deadline)}）不能早于反馈日期（{cn_date(fed)}）。"
        )
    latest = _years_after(fed or timezone.localdate(), MAX_YEARS)
    if deadline > latest:
        raise ValidationError(
            f"{_name(item)}的整改时限（{cn_date(deadline)}）不能晚于反馈后{MAX_YEARS}年"
            f"（{cn_date(latest)}）。"
        )
    with transaction.atomic():
        row = _locked(item)
        if row.status not in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS):
            label = ItemStatus(row.status).label
            raise ValidationError(f"{_name(row)}{label}，不能再修改整改措施。")
        # Once the plan is submitted, a later deadline would clear its own warning: moving
        # it is for the office to agree, not for the unit to do alone.
        if (
            inspection.stage != Stage.FEEDBACK_GIVEN
            and row.deadline is not None
            and deadline != row.deadline
        ):
            raise ValidationError(
                f"{_name(row)}的整改方案已报送，整改时限（{cn_date(row.deadline)}）"
                "不能自行调整；确需调整的，请向巡视办书面申请。"
            )
        before = snapshot(row, ITEM_FIELDS)
        for name, value in values.items():
            setattr(row, name, value)
        row.deadline = deadline
        row.kind = kind
        row.save()
        record(
            actor=actor,
            action="rectification.item.plan",
            obj=row,
            object_repr=_trail_name(row),
            before=before,
            after=snapshot(row, ITEM_FIELDS),
        )
        search_index(LEDGER_ITEMS, row)
    _copy(row, item)
    return item


def _figures(
    rules_revised: int, funds_recovered: Decimal, persons_sanctioned: int
) -> tuple[int, Decimal, int]:
    try:
        funds = Decimal(funds_recovered)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError("挽回或追缴资金须为数字（万元）。") from None
    if rules_revised < 0 or persons_sanctioned < 0 or funds < 0:
        raise ValidationError("建立完善制度、挽回或追缴资金、问责处理人数不能为负数。")
    if funds != funds.quantize(Decimal("0.01")):
        raise ValidationError("挽回或追缴资金（万元）最多保留两位小数。")
    return rules_revised, funds, persons_sanctioned


def progress_report(
    *,
    actor: Actor,
    item: RectificationItem,
    text: str,
    reported_on: dt.date,
    files: Sequence[Upload] = (),
    rules_revised: int = 0,
    funds_recovered: Decimal = Decimal(0),
    persons_sanctioned: int = 0,
) -> ProgressReport:
    """Report an item's progress with its evidence files; the figures add to the item's."""
    inspection = item.inspection
    _require_liaison(actor, inspection)
    _require_stage(inspection, WORK_STAGES, "报告整改进展")
    text = text.strip()
    if not text:
        raise ValidationError(f"请填写{_name(item)}的进展情况。")
    _check_day(inspection, reported_on, "报告日期")
    rules, funds, persons = _figures(rules_revised, funds_recovered, persons_sanctioned)
    # Every file is judged before any is kept: one refused file refuses the whole report.
    checked = [check(f) for f in files]
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            row = _locked(item)
            if row.status not in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS):
                label = ItemStatus(row.status).label
                raise ValidationError(f"{_name(row)}{label}，不能再报告进展。")
            before = snapshot(row, ITEM_FIELDS)
            report = ProgressReport.objects.create(
                item=row,
                reported_on=reported_on,
                text=text,
                reported_by=person(actor),
            )
            for upload in checked:
                stored.append(
                    attachment_store(
                        actor=actor,
                        inspection=inspection,
                        upload=upload,
                        audience=Audience.RECTIFICATION,
                    )
                )
            report.attachments.add(*stored)
            row.rules_revised += rules
            row.funds_recovered += funds
            row.persons_sanctioned += persons
            row.save(update_fields=["rules_revised", "funds_recovered", "persons_sanctioned"])
            record(
                actor=actor,
                action="rectification.progress.report",
                obj=row,
                object_repr=_trail_name(row),
                before=before,
                after={
                    **snapshot(row, ITEM_FIELDS),
                    "report": report.pk,
                    "reported_on": reported_on,
                    "report_figures": {
                        "rules_revised": rules,
                        "funds_recovered": str(funds),
                        "persons_sanctioned": persons,
                    },
                    "attachments": [a.pk for a in stored],
                },
            )
    except BaseException:
        # The rows went with the rollback; the files written by then must go too.
        for a in stored:
            storage.remove(a.stored_name)
        raise
    _copy(row, item)
    return report


def item_claim(*, actor: Actor, item: RectificationItem, on: dt.date) -> RectificationItem:
    """Claim an item done (申请销号), for the office to verify."""
    inspection = item.inspection
    _require_liaison(actor, inspection)
    _require_stage(inspection, WORK_STAGES, "申请销号")
    _check_day(inspection, on, "申请日期")
    with transaction.atomic():
        row = _locked(item)
        if row.status == ItemStatus.PENDING:
            raise ValidationError(f"{_name(row)}尚未报送整改方案，不能申请销号。")
        if row.status != ItemStatus.IN_PROGRESS:
            raise ValidationError(f"{_name(row)}{ItemStatus(row.status).label}，不能申请销号。")
        if not row.progress.exists():
            raise ValidationError(f"{_name(row)}还没有报告整改进展，不能申请销号。")
        before = snapshot(row, ITEM_FIELDS)
        row.status = ItemStatus.CLAIMED
        row.claimed_on = on
        row.save(update_fields=["status", "claimed_on"])
        record(
            actor=actor,
            action="rectification.item.claim",
            obj=row,
            object_repr=_trail_name(row),
            before=before,
            after=snapshot(row, ITEM_FIELDS),
        )
    _copy(row, item)
    return item


def item_verify(
    *, actor: Actor, item: RectificationItem, close: bool, reason: str = "", on: dt.date
) -> RectificationItem:
    """The office's verdict on a claimed item: close it (销号) or send it back with a reason."""
    inspection = item.inspection
    _require_office(actor, "核验销号")
    _require_stage(inspection, WORK_STAGES, "核验销号")
    reason = reason.strip()
    if not close and not reason:
        raise ValidationError(f"退回{_name(item)}须说明理由。")
    if on > timezone.localdate():
        raise ValidationError(f"核验日期（{cn_date(on)}）不能晚于今天。")
    with transaction.atomic():
        row = _locked(item)
        if row.status != ItemStatus.CLAIMED:
            label = ItemStatus(row.status).label
            raise ValidationError(f"{_name(row)}{label}，没有待核验的销号申请。")
        if row.claimed_on and on < row.claimed_on:
            raise ValidationError(
                f"核验日期（{cn_date(on)}）不能早于申请销号日期（{cn_date(row.claimed_on)}）。"
            )
        before = snapshot(row, ITEM_FIELDS)
        if close:
            row.status = ItemStatus.CLOSED
            row.closed_on = on
            row.closed_by = person(actor)
            row.return_reason = ""
        else:
            row.status = ItemStatus.IN_PROGRESS
            row.return_reason = reason
            row.claimed_on = None
        row.save()
        record(
            actor=actor,
            action="rectification.item.close" if close else "rectification.item.return",
            obj=row,
            object_repr=_trail_name(row),
            before=before,
            after={**snapshot(row, ITEM_FIELDS), "on": on},
        )
    _copy(row, item)
    return item


def notice_issue(*, actor: Actor, inspection: Inspection, on: dt.date) -> SupervisionNotice:
    """Issue a supervision notice (督办函) to the unit about its yellow and red items on `on`,
    numbered per inspecting body and year without gaps or duplicates."""
    _require_office(actor, "发出督办函")
    _require_stage(inspection, WORK_STAGES, "发出督办函")
    if on > timezone.localdate():
        raise ValidationError(f"发函日期（{cn_date(on)}）不能晚于今天。")
    scope = Inspection.objects.filter(pk=inspection.pk)
    items = [w.item for w in warned_items(on, inspections=scope)]
    if not items:
        raise ValidationError(
            f"{inspection.target.name}的整改台账在{cn_date(on)}没有黄色或红色预警事项，无需督办。"
        )
    body = inspection.round.body
    with transaction.atomic():
        seq = number_draw(body=body, kind=SeriesKind.NOTICE, year=on.year)
        notice = SupervisionNotice.objects.create(
            inspection=inspection,
            number=document_number(body, SeriesKind.NOTICE, on.year, seq),
            template_version=current_version(body, TemplateKind.SUPERVISION_NOTICE),
            issued_on=on,
            issued_by=person(actor),
        )
        notice.items.set(items)
        record(
            actor=actor,
            action="rectification.notice.issue",
            obj=notice,
            object_repr=notice.number,
            after={
                "number": notice.number,
                "issued_on": on,
                "items": [i.pk for i in items],
                "template_version": notice.template_version,
            },
        )
    return notice


# --- written by the inspection's stage changes, inside their transaction and audit event ---


def ledger_open(*, inspection: Inspection) -> list[RectificationItem]:
    """Open one ledger item per problem of the report when the feedback is given (a
    look-back's ledger already holds the items carried from its parent)."""
    first = next_seq(inspection.rectification_items)
    items = [
        RectificationItem.objects.create(
            inspection=inspection, seq=n, problem=problem, title=problem.summary[:200]
        )
        for n, problem in enumerate(inspection.problems.order_by("seq"), first)
    ]
    for item in items:
        search_index(LEDGER_ITEMS, item)
    return items


def plan_mark_submitted(*, inspection: Inspection) -> None:
    """The unit's plan is in: every item still waiting for its plan is now being worked on."""
    inspection.rectification_items.filter(status=ItemStatus.PENDING).update(
        status=ItemStatus.IN_PROGRESS
    )


def disclosure_publish(*, actor: Actor, inspection: Inspection, on: dt.date) -> Disclosure:
    """Publish the rectification disclosure as the ledger stands today."""
    return Disclosure.objects.create(
        inspection=inspection,
        text=disclosure_text(inspection),
        published_on=on,
        published_by=person(actor),
    )

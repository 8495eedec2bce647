"""The liaison fills in the plan, reports progress with evidence and claims an item done;
the office closes it or sends it back. Refusals say what is wrong and change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from xunshi.audit.models import AuditEvent
from xunshi.files.models import Attachment
from xunshi.files.tests import samples
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions
from xunshi.rectification.models import ItemStatus, ProgressReport, RectificationItem

from .conftest import DEADLINE, PLAN, items_of, plan_all, report, stored_files


def test_it_names_every_missing_field_of_the_plan(feedback, clock):
    item = items_of(feedback)[0]
    with pytest.raises(ValidationError) as e:
        actions.item_plan(
            actor=feedback.users["erin"],
            item=item,
            measures="  ",
            responsible_leader="李明",
            responsible_department="",
            deadline=None,
            kind="",
        )
    assert e.value.messages == [
        "第1项“扶贫资金拨付滞后”缺少：整改措施、责任部门、整改时限、整改类型。"
    ]
    item.refresh_from_db()
    assert item.responsible_leader == "" and item.status == ItemStatus.PENDING


def test_it_refuses_a_deadline_before_the_feedback_or_beyond_five_years(feedback, clock):
    item = items_of(feedback)[0]
    erin = feedback.users["erin"]
    with pytest.raises(ValidationError) as e:
        actions.item_plan(actor=erin, item=item, **{**PLAN, "deadline": dt.date(2026, 11, 1)})
    assert "整改时限（2026年11月1日）不能早于反馈日期（2026年11月2日）" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        actions.item_plan(actor=erin, item=item, **{**PLAN, "deadline": dt.date(2031, 11, 3)})
    assert "不能晚于反馈后5年（2031年11月2日）" in e.value.messages[0]
    item.refresh_from_db()
    assert item.measures == "" and item.deadline is None


def test_it_lets_only_the_units_liaison_fill_the_plan(feedback, clock):
    item = items_of(feedback)[0]
    with pytest.raises(ValidationError, match="只有兰考县的联络员"):
        actions.item_plan(actor=feedback.users["alice"], item=item, **PLAN)


def test_it_moves_to_rectifying_only_once_every_item_is_planned(feedback, clock):
    erin, insp = feedback.users["erin"], feedback.inspection1
    first = items_of(feedback)[0]
    actions.item_plan(actor=erin, item=first, **PLAN)
    with pytest.raises(ValidationError) as e:
        inspection_transition(actor=erin, inspection=insp, to="rectifying")
    assert "第2项“违规发放津贴补贴”缺少" in "".join(e.value.messages)
    plan_all(feedback)
    inspection_transition(actor=erin, inspection=insp, to="rectifying")
    assert {i.status for i in items_of(feedback)} == {ItemStatus.IN_PROGRESS}
    saved = RectificationItem.objects.get(pk=first.pk)
    assert saved.measures == PLAN["measures"] and saved.deadline == DEADLINE
    assert AuditEvent.objects.filter(action="rectification.item.plan").count() == 3


def test_it_keeps_a_progress_report_with_its_pdf_and_adds_up_the_figures(rectifying, files_root):
    item = items_of(rectifying)[0]
    report(rectifying, item, files=[("拨付凭证.pdf", samples.pdf())], rules_revised=2)
    report(
        rectifying,
        item,
        text="追回资金。",
        funds_recovered=Decimal("12.5"),
        persons_sanctioned=1,
        rules_revised=1,
    )
    item.refresh_from_db()
    assert (item.rules_revised, item.funds_recovered, item.persons_sanctioned) == (
        3,
        Decimal("12.5"),
        1,
    )
    assert item.progress.count() == 2
    pdf = Attachment.objects.get()
    assert pdf.original_name == "拨付凭证.pdf" and pdf.audience == "rectification"
    assert list(item.progress.order_by("id")[0].attachments.all()) == [pdf]
    assert len(stored_files(files_root)) == 1
    event = AuditEvent.objects.filter(action="rectification.progress.report").first()
    assert event is not None and event.after["report_figures"]["rules_revised"] == 2


def test_it_refuses_the_whole_report_when_one_file_is_refused(rectifying, files_root):
    item = items_of(rectifying)[0]
    with pytest.raises(ValidationError) as e:
        report(
            rectifying,
            item,
            files=[("凭证.pdf", samples.pdf()), ("整改方案.docm", samples.docm())],
            rules_revised=5,
        )
    assert "整改方案.docm" in e.value.messages[0]
    assert ProgressReport.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(files_root) == []
    item.refresh_from_db()
    assert item.rules_revised == 0


def test_it_removes_stored_files_when_the_report_fails_after_storing(
    rectifying, files_root, monkeypatch
):
    item = items_of(rectifying)[0]

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValidationError("写入失败。")

    monkeypatch.setattr(RectificationItem, "save", broken)
    with pytest.raises(ValidationError):
        report(rectifying, item, files=[("凭证.pdf", samples.pdf())])
    assert stored_files(files_root) == []
    assert Attachment.objects.count() == 0


def test_it_refuses_a_progress_report_dated_before_the_feedback(rectifying):
    item = items_of(rectifying)[0]
    with pytest.raises(ValidationError, match="报告日期（2026年11月1日）不能早于反馈日期"):
        report(rectifying, item, reported_on=dt.date(2026, 11, 1))


def test_it_claims_only_after_progress_and_the_office_returns_or_closes(rectifying):
    erin, alice = rectifying.users["erin"], rectifying.users["alice"]
    first, second = items_of(rectifying)
    with pytest.raises(ValidationError, match="还没有报告整改进展，不能申请销号"):
        actions.item_claim(actor=erin, item=first, on=dt.date(2026, 11, 10))
    for item in (first, second):
        report(rectifying, item)
        actions.item_claim(actor=erin, item=item, on=dt.date(2026, 11, 10))
    assert first.status == ItemStatus.CLAIMED and first.claimed_on == dt.date(2026, 11, 10)

    with pytest.raises(ValidationError, match="退回第1项“扶贫资金拨付滞后”须说明理由"):
        actions.item_verify(actor=alice, item=first, close=False, on=dt.date(2026, 11, 10))
    with pytest.raises(ValidationError, match="核验销号须由巡视办操作"):
        actions.item_verify(actor=erin, item=first, close=True, on=dt.date(2026, 11, 10))

    actions.item_verify(
        actor=alice, item=first, close=False, reason="佐证材料不全。", on=dt.date(2026, 11, 10)
    )
    actions.item_verify(actor=alice, item=second, close=True, on=dt.date(2026, 11, 10))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ItemStatus.IN_PROGRESS and first.return_reason == "佐证材料不全。"
    assert second.status == ItemStatus.CLOSED
    assert second.closed_on == dt.date(2026, 11, 10) and second.closed_by == alice
    with pytest.raises(ValidationError, match="已销号，不能再报告进展"):
        report(rectifying, second)
    assert AuditEvent.objects.filter(action="rectification.item.return").count() == 1
    assert AuditEvent.objects.filter(action="rectification.item.close").count() == 1


def test_it_closes_the_inspection_only_once_the_ledger_is_closed(rectifying):
    erin, alice = rectifying.users["erin"], rectifying.users["alice"]
    insp = rectifying.inspection1
    with pytest.raises(ValidationError, match="还没有报告整改进展"):
        inspection_transition(actor=erin, inspection=insp, to="rectification_reported")
    for item in items_of(rectifying):
        report(rectifying, item)
    inspection_transition(actor=erin, inspection=insp, to="rectification_reported")
    inspection_transition(actor=alice, inspection=insp, to="disclosed")
    with pytest.raises(ValidationError, match="整改台账还有2项未销号"):
        inspection_transition(actor=alice, inspection=insp, to="closed")
    for item in items_of(rectifying):
        actions.item_claim(actor=erin, item=item, on=dt.date(2026, 11, 10))
        actions.item_verify(actor=alice, item=item, close=True, on=dt.date(2026, 11, 10))
    inspection_transition(actor=alice, inspection=insp, to="closed")
    with pytest.raises(ValidationError, match="不能制定整改措施"):
        actions.item_plan(actor=erin, item=items_of(rectifying)[0], **PLAN)


def test_it_keeps_the_unit_from_moving_its_own_deadline_once_the_plan_is_in(rectifying):
    """A later deadline would clear the item's own warning: after the plan is submitted the
    unit may sharpen its measures but not move the date."""
    erin = rectifying.users["erin"]
    item = items_of(rectifying)[0]
    later = {**PLAN, "deadline": PLAN["deadline"] + dt.timedelta(days=30)}
    with pytest.raises(ValidationError, match="不能自行调整；确需调整的，请向巡视办书面申请"):
        actions.item_plan(actor=erin, item=item, **later)
    item.refresh_from_db()
    assert item.deadline == PLAN["deadline"]
    sharper = {**PLAN, "measures": "建立长效机制，每月通报进度。"}
    actions.item_plan(actor=erin, item=item, **sharper)
    item.refresh_from_db()
    assert item.measures == "建立长效机制，每月通报进度。"

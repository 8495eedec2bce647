"""The only code that writes problem clues (问题线索): the team records them, the office
transfers them to the body that can act and enters the disposal that body reports back.

A clue is numbered per inspection under the inspection's row lock, so numbers stay unique
and without gaps. The disposal feedback is due by the deadline rule "clue_feedback" (three
months by default) counted from the transfer; the rule's words are kept on the clue, so a
later change of the rules never moves a date already set.

The audit events keep the facts (number, source, recipient, dates) but not the persons or
the summary: the audit admin reads the trail and must not read case data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from xunshi.accounts.actors import Actor, is_system, person
from xunshi.accounts.models import Role
from xunshi.audit.actions import record, snapshot
from xunshi.deadlines.rules import due_date
from xunshi.fieldwork.models import DocumentRequest, PaperStatus, Petition, Talk, WorkingPaper
from xunshi.lib.officedoc import cn_date
from xunshi.lib.refusals import not_after_today, refuse_unless
from xunshi.registry.numbering import next_seq
from xunshi.rounds.access import is_team_leader, is_team_member
from xunshi.rounds.models import RECORDING_STAGES, Inspection, Stage
from xunshi.searchindex.actions import search_index

from .models import Clue, ClueDisposal, ClueRecipient, ClueSource, InspectionDue, Problem
from .search_kinds import CLUES, PROBLEMS

__all__ = [
    "CLUE_STAGES",
    "clue_create",
    "clue_dispose",
    "clue_transfer",
    "due_met",
    "due_set",
    "problem_create",
]

# From entering the site until the feedback: clues come from on-site work and the report.
CLUE_STAGES = frozenset(
    {
        Stage.ON_SITE,
        Stage.WITHDRAWN,
        Stage.REPORT_DRAFTED,
        Stage.OFFICE_REVIEWED,
        Stage.LEADING_GROUP_HEARD,
        Stage.COMMITTEE_DECIDED,
        Stage.FEEDBACK_GIVEN,
    }
)
CLUE_FIELDS = [
    "inspection",
    "seq",
    "source",
    "talk",
    "petition",
    "document",
    "paper",
    "highly_confidential",
    "recipient",
    "recipient_other",
]
TRANSFER_FIELDS = ["transferred_on", "receiving_body", "receiver", "disposal_due"]
DISPOSAL_FIELDS = ["disposal", "disposal_reported_on"]
_SOURCE_MODELS: dict[str, tuple[str, type[Model]]] = {
    ClueSource.TALK: ("talk", Talk),
    ClueSource.PETITION: ("petition", Petition),
    ClueSource.DOCUMENT: ("document", DocumentRequest),
    ClueSource.PAPER: ("paper", WorkingPaper),
}


def _check_office(actor: Actor, what: str) -> None:
    user = person(actor)  # None for the system; an anonymous user is refused
    if user is not None and user.role != Role.OFFICE:
        raise ValidationError(f"{what}须由巡视办操作。")


# The on-site records a clue can come from.
SourceRecord = Talk | Petition | DocumentRequest | WorkingPaper


def _source_problems(inspection: Inspection, source: str, record_obj: SourceRecord) -> list[str]:
    if source not in _SOURCE_MODELS:
        return ["请选择线索来源。"]
    _field, model = _SOURCE_MODELS[source]
    if not isinstance(record_obj, model):
        return [f"线索来源为“{ClueSource(source).label}”，所附记录的类型不符。"]
    if record_obj.inspection_id != inspection.pk:  # type: ignore[attr-defined]
        return ["线索来源须是本次巡视的记录。"]
    return []


def clue_create(
    *,
    actor: Actor,
    inspection: Inspection,
    source: str,
    record: SourceRecord,
    persons: str,
    summary: str,
    recipient: str,
    recipient_other: str = "",
    highly_confidential: bool = False,
) -> Clue:
    """Record a clue found in a talk, petition, document request or working paper of the
    inspection, with the body it should go to."""
    persons, summary, recipient_other = persons.strip(), summary.strip(), recipient_other.strip()
    problems = []
    if not is_system(actor) and not is_team_member(actor, inspection):
        problems.append("只有本巡视组成员可以登记问题线索。")
    problems += _source_problems(inspection, source, record)
    if not persons:
        problems.append("请填写线索涉及人员。")
    if not summary:
        problems.append("请填写线索摘要。")
    if recipient not in ClueRecipient.values:
        problems.append("请选择拟移交单位。")
    elif recipient == ClueRecipient.OTHER and not recipient_other:
        problems.append("拟移交“其他”单位时须写明单位名称。")
    refuse_unless(problems)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.stage not in CLUE_STAGES:
            here = Stage(locked.stage).label
            raise ValidationError(f"巡视当前处于“{here}”阶段，不能登记问题线索。")
        field, _model = _SOURCE_MODELS[source]
        clue = Clue.objects.create(
            inspection=locked,
            seq=next_seq(locked.clues),
            persons=persons,
            summary=summary,
            source=source,
            highly_confidential=highly_confidential,
            recipient=recipient,
            recipient_other=recipient_other if recipient == ClueRecipient.OTHER else "",
            created_by=person(actor),
            **{field: record},
        )
        after = snapshot(clue, CLUE_FIELDS) | {"summary_chars": len(summary)}
        _event(actor, "inspections.clue.create", clue, None, after)
        search_index(CLUES, clue)
    return clue


def _event(
    actor: Actor, action: str, clue: Clue, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    # Not str(clue) alone: which inspection it belongs to is what the trail needs.
    name = f"{clue}（巡视任务{clue.inspection_id}）"
    record(actor=actor, action=action, obj=clue, object_repr=name, before=before, after=after)


def clue_transfer(
    *,
    actor: Actor,
    clue: Clue,
    transferred_on: dt.date,
    receiving_body: str,
    receiver: str,
) -> Clue:
    """Record the transfer of a clue and set the date its disposal must be reported back."""
    _check_office(actor, "移交问题线索")
    receiving_body, receiver = receiving_body.strip(), receiver.strip()
    problems = []
    if not receiving_body:
        problems.append("请填写接收单位。")
    if not receiver:
        problems.append("请填写接收人。")
    # Offices also enter paper records after the fact, so the bound is the inspection's
    # start rather than the day the clue was typed in.
    start = clue.inspection.start
    if start and transferred_on < start:
        problems.append(f"移交日期（{cn_date(transferred_on)}）早于进驻日期（{cn_date(start)}）。")
    problems += not_after_today(transferred_on, "移交日期")
    refuse_unless(problems)
    # Before the lock: an unknown year of the working-day calendar refuses with its message.
    due = due_date("clue_feedback", transferred_on, body_id=clue.inspection.round.body_id)
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if locked.transferred_on is not None:
            raise ValidationError(
                f"{locked}已于{cn_date(locked.transferred_on)}移交，不能重复移交。"
            )
        before = snapshot(locked, TRANSFER_FIELDS)
        locked.transferred_on = transferred_on
        locked.receiving_body = receiving_body
        locked.receiver = receiver
        locked.disposal_due = due.date
        locked.disposal_due_rule = due.rule_text
        locked.save(
            update_fields=[
                "transferred_on",
                "receiving_body",
                "receiver",
                "disposal_due",
                "disposal_due_rule",
            ]
        )
        after = snapshot(locked, TRANSFER_FIELDS) | {"rule": due.rule_text}
        _event(actor, "inspections.clue.transfer", locked, before, after)
    _copy(locked, clue, [*TRANSFER_FIELDS, "disposal_due_rule"])
    return locked


def clue_dispose(
    *,
    actor: Actor,
    clue: Clue,
    disposal: str,
    outcome: str,
    reported_on: dt.date,
) -> Clue:
    """Enter the disposal the receiving body reported back for a transferred clue."""
    _check_office(actor, "登记线索处置情况")
    outcome = outcome.strip()
    problems = []
    if disposal not in ClueDisposal.values:
        problems.append("请选择处置方式。")
    if not outcome:
        problems.append("请填写处置结果。")
    problems += not_after_today(reported_on, "反馈日期")
    refuse_unless(problems)
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if locked.transferred_on is None:
            raise ValidationError(f"{locked}尚未移交，不能登记处置情况。")
        if reported_on < locked.transferred_on:
            raise ValidationError(
                f"反馈日期（{cn_date(reported_on)}）早于移交日期（{cn_date(locked.transferred_on)}）。"
            )
        if locked.disposal_reported_on is not None:
            raise ValidationError(
                f"{locked}的处置情况已于{cn_date(locked.disposal_reported_on)}登记，不能重复登记。"
            )
        before = snapshot(locked, DISPOSAL_FIELDS)
        locked.disposal = disposal
        locked.outcome = outcome
        locked.disposal_reported_on = reported_on
        locked.save(update_fields=["disposal", "outcome", "disposal_reported_on"])
        after = snapshot(locked, DISPOSAL_FIELDS) | {"outcome_chars": len(outcome)}
        _event(actor, "inspections.clue.dispose", locked, before, after)
        search_index(CLUES, locked)
    _copy(locked, clue, [*DISPOSAL_FIELDS, "outcome"])
    return locked


def _copy(source: Clue, target: Clue, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


# --- problems ---------------------------------------------------------------------------------


def problem_create(*, actor: Actor, paper: WorkingPaper, summary: str = "") -> Problem:
    """Make a problem of the report from an approved paper; the summary (the paper's title
    unless given) is what the feedback and the ledger will say."""
    if not is_system(actor) and not is_team_leader(actor, paper.inspection):
        raise ValidationError("将底稿形成问题须由组长操作。")
    if paper.status != PaperStatus.APPROVED:
        raise ValidationError(f"底稿{paper.number}尚未审定，不能形成问题。")
    if Problem.objects.filter(paper=paper).exists():
        raise ValidationError(f"底稿{paper.number}已形成问题。")
    with transaction.atomic():
        insp = Inspection.objects.select_for_update().get(pk=paper.inspection_id)
        if insp.stage not in RECORDING_STAGES:
            raise ValidationError(f"巡视当前处于“{insp.get_stage_display()}”阶段，不能再形成问题。")
        seq = next_seq(insp.problems)
        problem = Problem.objects.create(
            inspection=insp,
            paper=paper,
            seq=seq,
            summary=summary.strip() or paper.title,
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="inspections.problem.create",
            obj=problem,
            # Not the summary, neither as the name nor as a value: it is the case's wording.
            object_repr=f"第{seq}号问题（巡视任务{insp.pk}）",
            after={"paper": paper.number, "seq": seq, "summary_chars": len(problem.summary)},
        )
        search_index(PROBLEMS, problem)
    return problem


# --- the feedback's due dates, set and met by the inspection's stage changes ---------------


def due_set(*, inspection: Inspection, key: str, start: dt.date) -> InspectionDue:
    """Fix a due date from the rules in force today; later rule changes never move it."""
    due = due_date(key, start, body_id=inspection.round.body_id)
    return InspectionDue.objects.create(
        inspection=inspection,
        key=key,
        start=start,
        due=due.date,
        rule_text=due.rule_text,
        rule_version=due.version,
    )


def due_met(*, inspection: Inspection, key: str, on: dt.date) -> None:
    """Mark the due date of key met on this day (once)."""
    inspection.dues.filter(key=key, met_on__isnull=True).update(met_on=on)

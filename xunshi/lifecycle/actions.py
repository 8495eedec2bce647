"""The inspection's stages as one transition table, and the only code that moves them.

Each `Transition` names where it starts, where it goes, who may take it (the office, the
team's leader or the inspected organization's liaison), a guard that lists in Chinese what
still stands in the way, and an effect run in the same transaction (due dates, the ledger's
skeleton, the disclosure, the filings up to the body above). `suspended` and `cancelled` are
the side exits of DESIGN.md; a suspended inspection resumes at the stage it left.

The leading group acts for itself: the round's plan is approved before a team is authorized,
and the stages 领导小组已听取汇报 and 党委已研究决定 need the group's record of the meeting
(`xunshi.decisions`). Such a transition names its `decision`; `inspection_decide` records the
meeting and moves the stage in one transaction, by a leading-group user or by the office with
the minutes of a decision taken on paper.

`available(user, inspection)` is what a page shows as buttons; `inspection_transition` is the
action. Both use the same table, so a button never offers what the action would refuse for
the actor's sake (it may still be refused by a guard, with the reasons).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.access import can
from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import Role, User
from xunshi.audit.actions import record
from xunshi.decisions.actions import decision_record
from xunshi.decisions.models import DecisionKind
from xunshi.decisions.queries import decision_of, round_approved
from xunshi.fieldwork.models import PaperStatus, PetitionRouting
from xunshi.files.uploads import Upload
from xunshi.findings.actions import due_met, due_set
from xunshi.findings.models import DueKey
from xunshi.lib.refusals import refuse_unless
from xunshi.oversight.actions import filing_create
from xunshi.oversight.models import FilingKind
from xunshi.rectification.actions import disclosure_publish, ledger_open, plan_mark_submitted
from xunshi.rectification.models import OPEN_STATUSES, ItemStatus
from xunshi.rounds import date_rules
from xunshi.rounds.access import is_liaison_of, is_team_leader
from xunshi.rounds.models import ACTIVE_STAGES, Inspection, Stage, TeamRole

from .models import StageChange

__all__ = [
    "TRANSITIONS",
    "Transition",
    "available",
    "blockers",
    "inspection_decide",
    "inspection_transition",
]

S = Stage

Guard = Callable[[Inspection], list[str]]
Effect = Callable[[Inspection, Any, dt.date], None]

OFFICE, LEADER, LIAISON, GROUP = "office", "leader", "liaison", "group"
_ACTOR_TEXT = {
    OFFICE: "巡视办",
    LEADER: "巡视组组长",
    LIAISON: "被巡视单位联络人",
    GROUP: "领导小组（或巡视办凭会议纪要代为记录）",
}


@dataclass(frozen=True)
class Transition:
    source: frozenset[str]
    target: str
    label: str
    actor: str
    guard: Guard | None = None
    effect: Effect | None = None
    needs_reason: bool = False
    # The leading group's record the stage needs (DecisionKind), made by `inspection_decide`.
    decision: str = ""


# --- guards -----------------------------------------------------------------------------------


def _team_ready(insp: Inspection) -> list[str]:
    members = list(insp.team.memberships.select_related("cadre"))
    out = []
    if not any(m.role == TeamRole.LEADER for m in members):
        out.append(f"{insp.team.name}还没有组长。")
    unsigned = [m.cadre.name for m in members if m.pledge_signed_at is None]
    if unsigned:
        out.append(f"以下组员尚未签署纪律承诺：{'、'.join(unsigned)}。")
    return out


def _round_approved(insp: Inspection) -> list[str]:
    if round_approved(insp.round_id):
        return []
    return [f"{insp.round.name}的巡视工作方案尚未经领导小组审批。"]


def _ready_to_authorize(insp: Inspection) -> list[str]:
    return _round_approved(insp) + _team_ready(insp)


_DECISION_MISSING = {
    DecisionKind.HEARING: "领导小组尚未听取汇报：须由领导小组成员记录会议，"
    "或由巡视办上传会议纪要代为记录。",
    DecisionKind.COMMITTEE: "党委尚未研究决定：须由领导小组成员记录党委常委会会议，"
    "或由巡视办上传会议纪要代为记录。",
}


def decision_missing(t: Transition, insp: Inspection) -> list[str]:
    """The sentence that the leading group's record the transition needs is not there yet."""
    if not t.decision or decision_of(t.decision, inspection=insp) is not None:
        return []
    return [_DECISION_MISSING[DecisionKind(t.decision)]]


def _site_work_settled(insp: Inspection) -> list[str]:
    out = []
    unsigned = insp.talks.filter(signed_off_at__isnull=True).count()
    if unsigned:
        out.append(f"还有{unsigned}份谈话记录未签认。")
    pending = insp.petitions.filter(routing=PetitionRouting.PENDING).count()
    if pending:
        out.append(f"还有{pending}件信访件未处理。")
    return out


def _report_ready(insp: Inspection) -> list[str]:
    out = []
    open_papers = insp.working_papers.exclude(status=PaperStatus.APPROVED).count()
    if open_papers:
        out.append(f"还有{open_papers}份问题底稿未审定。")
    approved_without_problem = insp.working_papers.filter(
        status=PaperStatus.APPROVED, problem__isnull=True
    ).count()
    if approved_without_problem:
        out.append(f"还有{approved_without_problem}份已审定的底稿未形成问题。")
    report = getattr(insp, "report", None)
    if report is None or not report.overview.strip():
        out.append("巡视报告的“基本情况”尚未填写。")
    return out


def _plan_filled(insp: Inspection) -> list[str]:
    items = list(insp.rectification_items.all())
    if not items:
        return ["整改台账中没有事项。"]
    out = []
    for it in items:
        missing = [
            label
            for label, value in (
                ("整改措施", it.measures.strip()),
                ("责任领导", it.responsible_leader.strip()),
                ("责任部门", it.responsible_department.strip()),
                ("整改时限", it.deadline),
                ("整改类型", it.kind),
            )
            if not value
        ]
        if missing and it.status == ItemStatus.PENDING:
            out.append(f"第{it.seq}项“{it.title}”缺少：{'、'.join(missing)}。")
    return out


def _progress_reported(insp: Inspection) -> list[str]:
    silent = (
        insp.rectification_items.exclude(status=ItemStatus.CLOSED)
        .filter(progress__isnull=True)
        .order_by("seq")
    )
    return [f"第{it.seq}项“{it.title}”还没有报告整改进展。" for it in silent]


def _ledger_closed(insp: Inspection) -> list[str]:
    n = insp.rectification_items.filter(status__in=OPEN_STATUSES).count()
    out = [f"整改台账还有{n}项未销号。"] if n else []
    untransferred = insp.clues.filter(transferred_on__isnull=True).count()
    if untransferred:
        out.append(f"还有{untransferred}条问题线索未移交。")
    return out


# --- effects: each calls the actions of the room whose rows it writes ------------------------


def _authorize(insp: Inspection, actor: Actor, on: dt.date) -> None:
    """The round's first authorized team makes its plan final: it is filed up (报备)."""
    filing_create(actor=actor, kind=FilingKind.PLAN, inspection=insp, on=on)


def _report_reviewed(insp: Inspection, actor: Actor, on: dt.date) -> None:
    """The report the office passed is filed up as counts."""
    filing_create(actor=actor, kind=FilingKind.REPORT, inspection=insp, on=on)


def _give_feedback(insp: Inspection, actor: Actor, on: dt.date) -> None:
    """The feedback sets the plan's and the report's due dates, opens one ledger item
    per problem of the report, and files its date up."""
    due_set(inspection=insp, key=DueKey.RECTIFICATION_PLAN, start=on)
    due_set(inspection=insp, key=DueKey.RECTIFICATION_REPORT, start=on)
    ledger_open(inspection=insp)
    filing_create(actor=actor, kind=FilingKind.FEEDBACK, inspection=insp, on=on)


def _plan_submitted(insp: Inspection, actor: Actor, on: dt.date) -> None:
    due_met(inspection=insp, key=DueKey.RECTIFICATION_PLAN, on=on)
    plan_mark_submitted(inspection=insp)


def _rectification_reported(insp: Inspection, actor: Actor, on: dt.date) -> None:
    due_met(inspection=insp, key=DueKey.RECTIFICATION_REPORT, on=on)
    filing_create(actor=actor, kind=FilingKind.RECTIFICATION, inspection=insp, on=on)


def _publish(insp: Inspection, actor: Actor, on: dt.date) -> None:
    disclosure_publish(actor=actor, inspection=insp, on=on)
    filing_create(actor=actor, kind=FilingKind.DISCLOSURE, inspection=insp, on=on)


def _ready_to_enter(insp: Inspection) -> list[str]:
    """The team complete and pledged, and today a day it may enter on site (date_rules)."""
    return _team_ready(insp) + date_rules.entry_problems(insp, timezone.localdate())


# --- the table --------------------------------------------------------------------------------


def _one(s: str) -> frozenset[str]:
    return frozenset({s})


TRANSITIONS: list[Transition] = [
    Transition(
        _one(S.PLANNED), S.AUTHORIZED, "授权巡视组", OFFICE, _ready_to_authorize, _authorize
    ),
    Transition(_one(S.AUTHORIZED), S.NOTIFIED, "发出进驻通知", OFFICE),
    Transition(_one(S.NOTIFIED), S.ON_SITE, "进驻", LEADER, _ready_to_enter),
    Transition(_one(S.ON_SITE), S.WITHDRAWN, "撤离", LEADER, _site_work_settled),
    Transition(_one(S.WITHDRAWN), S.REPORT_DRAFTED, "报送巡视报告", LEADER, _report_ready),
    Transition(_one(S.REPORT_DRAFTED), S.WITHDRAWN, "退回报告", OFFICE, needs_reason=True),
    Transition(
        _one(S.REPORT_DRAFTED), S.OFFICE_REVIEWED, "巡视办审核通过", OFFICE, effect=_report_reviewed
    ),
    Transition(
        _one(S.OFFICE_REVIEWED),
        S.LEADING_GROUP_HEARD,
        "领导小组已听取汇报",
        GROUP,
        decision=DecisionKind.HEARING,
    ),
    Transition(
        _one(S.LEADING_GROUP_HEARD),
        S.COMMITTEE_DECIDED,
        "党委已研究决定",
        GROUP,
        decision=DecisionKind.COMMITTEE,
    ),
    Transition(
        _one(S.COMMITTEE_DECIDED), S.FEEDBACK_GIVEN, "反馈巡视意见", OFFICE, effect=_give_feedback
    ),
    Transition(
        _one(S.FEEDBACK_GIVEN), S.RECTIFYING, "报送整改方案", LIAISON, _plan_filled, _plan_submitted
    ),
    Transition(
        _one(S.RECTIFYING),
        S.RECTIFICATION_REPORTED,
        "报送整改情况报告",
        LIAISON,
        _progress_reported,
        _rectification_reported,
    ),
    Transition(
        _one(S.RECTIFICATION_REPORTED), S.DISCLOSED, "公开整改情况", OFFICE, effect=_publish
    ),
    Transition(_one(S.DISCLOSED), S.MONITORING, "转入日常监督", OFFICE),
    Transition(frozenset({S.DISCLOSED, S.MONITORING}), S.CLOSED, "办结", OFFICE, _ledger_closed),
    Transition(_one(S.CLOSED), S.ARCHIVED, "归档", OFFICE),
    Transition(ACTIVE_STAGES, S.SUSPENDED, "暂停", OFFICE, needs_reason=True),
    Transition(ACTIVE_STAGES | {S.SUSPENDED}, S.CANCELLED, "取消", OFFICE, needs_reason=True),
]
_RESUME_LABEL = "恢复"


def _actor_may(user: User, insp: Inspection, actor: str) -> bool:
    if not can(user, "stage.change"):
        return False
    if actor == OFFICE:
        return bool(user.role == Role.OFFICE)
    if actor == GROUP:
        return user.role in (Role.LEADING_GROUP, Role.OFFICE)
    if actor == LEADER:
        return is_team_leader(user, insp)
    return is_liaison_of(user, insp)


def _resume_target(insp: Inspection) -> str:
    last = insp.stage_changes.filter(to_stage=S.SUSPENDED).order_by("-at", "-id").first()
    return last.from_stage if last else S.PLANNED


def _find(insp: Inspection, target: str) -> Transition | None:
    if insp.stage == S.SUSPENDED and target != S.CANCELLED:
        if target == _resume_target(insp):
            return Transition(_one(S.SUSPENDED), target, _RESUME_LABEL, OFFICE)
        return None
    for t in TRANSITIONS:
        if insp.stage in t.source and t.target == target:
            return t
    return None


def available(user: User, insp: Inspection) -> list[tuple[Transition, list[str]]]:
    """The transitions the user may take from the current stage, each with its blockers."""
    if insp.stage == S.SUSPENDED:
        candidates = [Transition(_one(S.SUSPENDED), _resume_target(insp), _RESUME_LABEL, OFFICE)]
        candidates += [t for t in TRANSITIONS if S.SUSPENDED in t.source]
    else:
        candidates = [t for t in TRANSITIONS if insp.stage in t.source]
    return [(t, blockers(t, insp)) for t in candidates if _actor_may(user, insp, t.actor)]


def blockers(t: Transition, insp: Inspection) -> list[str]:
    """What still stands in the way of the transition, in Chinese; empty when it may go."""
    return t.guard(insp) if t.guard else []


def inspection_transition(
    *,
    actor: Actor,
    inspection: Inspection,
    to: str,
    on: dt.date | None = None,
    reason: str = "",
) -> Inspection:
    """Move the inspection to the stage `to` if the table allows it from where it is, the
    actor has the transition's role and its guard finds nothing in the way."""
    with transaction.atomic():
        insp = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if to not in Stage.values:
            raise ValidationError(f"未知的巡视阶段“{to}”。")
        t = _find(insp, to)
        here, there = Stage(insp.stage).label, Stage(to).label
        if t is None:
            raise ValidationError(f"当前阶段为“{here}”，不能转入“{there}”。")
        user = person(actor)  # None for the system; an anonymous user is refused
        if user is not None and not _actor_may(user, insp, t.actor):
            raise PermissionDenied(f"“{t.label}”须由{_ACTOR_TEXT[t.actor]}操作。")
        reason = reason.strip()
        if t.needs_reason and not reason:
            raise ValidationError(f"“{t.label}”须说明理由。")
        problems = blockers(t, insp) + decision_missing(t, insp)
        if problems:
            raise ValidationError([f"暂不能{t.label}：", *problems])
        on = on or timezone.localdate()
        if to == S.ON_SITE:  # a day other than today, given by the caller
            refuse_unless(date_rules.entry_problems(insp, on))
        if t.effect:
            t.effect(insp, actor, on)
        before = insp.stage
        insp.stage = to
        insp.save(update_fields=["stage"])
        StageChange.objects.create(
            inspection=insp,
            from_stage=before,
            to_stage=to,
            on=on,
            reason=reason,
            actor=person(actor),
        )
        record(
            actor=actor,
            action="inspections.stage",
            obj=insp,
            before={"stage": before},
            after={"stage": to, "on": on, "reason": reason},
        )
    inspection.stage = insp.stage
    return insp


def inspection_decide(
    *,
    actor: Actor,
    inspection: Inspection,
    to: str,
    meeting_number: int,
    held_on: dt.date,
    opinion: str = "",
    minutes: Upload | None = None,
) -> Inspection:
    """Record the leading group's hearing or the committee's decision at its meeting and move
    the inspection to the stage that needs it, on the meeting's date, in one transaction."""
    t = _find(inspection, to)
    if t is None or not t.decision:
        here, there = Stage(inspection.stage).label, Stage(to).label if to in Stage.values else to
        raise ValidationError(f"当前阶段为“{here}”，转入“{there}”无须记录领导小组的决定。")
    with transaction.atomic():
        decision_record(
            actor=actor,
            kind=t.decision,
            inspection=inspection,
            meeting_number=meeting_number,
            held_on=held_on,
            opinion=opinion,
            minutes=minutes,
        )
        return inspection_transition(actor=actor, inspection=inspection, to=to, on=held_on)

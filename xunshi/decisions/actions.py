"""The only code that writes the leading group's decisions and the paper pledges.

`decision_record` is the leading group acting: a leading-group user records the meeting (its
number and date) for the group; the office records a decision taken on paper only with the
meeting's minutes attached, and is named as recorder. Approving a year plan also marks the
plan approved (`year_plan_mark_approved`, rounds). The hearing and the committee's decision
are recorded by the lifecycle's `inspection_decide` in the same transaction as the stage
change that needs them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor, person
from xunshi.accounts.models import Role, User
from xunshi.audit.actions import record, snapshot
from xunshi.files.actions import attachment_store
from xunshi.files.models import Audience
from xunshi.files.uploads import Upload
from xunshi.registry.models import InspectingBody
from xunshi.rounds.actions import pledge_sign_on_paper
from xunshi.rounds.approval_actions import round_mark_plan_approved
from xunshi.rounds.models import Inspection, Round, Stage, TeamMembership, YearPlan
from xunshi.rounds.yearplan_actions import year_plan_mark_approved

from .models import Decision, DecisionKind, PaperPledge

__all__ = ["decision_record", "pledge_record_paper"]

DECISION_FIELDS = [
    "body",
    "kind",
    "year_plan",
    "round",
    "inspection",
    "meeting_number",
    "held_on",
    "on_paper",
    "minutes",
    "recorded_by",
]

# The stage an inspection stands at when the group hears its report or the committee decides.
_STAGE_FOR = {
    DecisionKind.HEARING: Stage.OFFICE_REVIEWED,
    DecisionKind.COMMITTEE: Stage.LEADING_GROUP_HEARD,
}


def _subject(
    kind: str, year_plan: YearPlan | None, round: Round | None, inspection: Inspection | None
) -> tuple[InspectingBody, str]:
    """The body whose decision it is and the subject's name; refuses a wrong subject."""
    if kind == DecisionKind.YEAR_PLAN and year_plan and not (round or inspection):
        return year_plan.body, str(year_plan)
    if kind == DecisionKind.ROUND_PLAN and round and not (year_plan or inspection):
        return round.body, round.name
    if kind in _STAGE_FOR and inspection and not (year_plan or round):
        return inspection.round.body, str(inspection)
    raise ValidationError("决定事项与所涉对象不符。")


def _recorder(user: User | None, body: InspectingBody, minutes: Upload | None) -> bool:
    """Whether the record is the office's, of a decision on paper; refuses anyone else."""
    if user is None:  # the system: the demo loader and the tests' scenes
        return False
    if user.role not in (Role.LEADING_GROUP, Role.OFFICE) or user.body_id != body.pk:
        raise PermissionDenied(
            body.own_words("领导小组的决定须由本级领导小组成员记录，或由巡视办凭会议纪要代为记录。")
        )
    if user.role == Role.OFFICE and minutes is None:
        raise ValidationError(
            body.own_words("巡视办代为记录领导小组或党委的决定，须上传会议纪要。")
        )
    return user.role == Role.OFFICE


def _refusals(
    kind: str,
    subject: str,
    *,
    round: Round | None,
    inspection: Inspection | None,
    meeting_number: int,
    held_on: dt.date,
) -> list[str]:
    out = []
    if meeting_number < 1:
        out.append("会议次序须为正整数（领导小组第N次会议）。")
    if held_on > timezone.localdate():
        out.append("会议日期不能晚于今天。")
    if round is not None and not round.inspections.exists():
        out.append(f"{round.name}尚未确定巡视组和巡视对象，没有可审批的巡视工作方案。")
    if inspection is not None and inspection.stage != _STAGE_FOR[DecisionKind(kind)]:
        here = Stage(inspection.stage).label
        out.append(f"{subject}当前阶段为“{here}”，不能记录“{DecisionKind(kind).label}”。")
    if kind == DecisionKind.COMMITTEE and inspection is not None:
        heard = Decision.objects.filter(inspection=inspection, kind=DecisionKind.HEARING).first()
        if heard is not None and held_on < heard.held_on:
            out.append(f"党委研究决定的日期不能早于领导小组听取汇报的日期（{heard.held_on}）。")
    return out


def decision_record(
    *,
    actor: Actor,
    kind: str,
    meeting_number: int,
    held_on: dt.date,
    opinion: str = "",
    year_plan: YearPlan | None = None,
    round: Round | None = None,
    inspection: Inspection | None = None,
    minutes: Upload | None = None,
) -> Decision:
    """Record a decision of the leading group (or the committee) at its meeting: by a
    leading-group user, or by the office with the minutes of a decision taken on paper."""
    if kind not in DecisionKind.values:
        raise ValidationError(f"未知的决定事项“{kind}”。")
    body, subject = _subject(kind, year_plan, round, inspection)
    user = person(actor)
    on_paper = _recorder(user, body, minutes)
    errors = _refusals(
        kind,
        subject,
        round=round,
        inspection=inspection,
        meeting_number=meeting_number,
        held_on=held_on,
    )
    if errors:  # in the body's own words: 巡察组, 巡察办 below the province
        raise ValidationError([body.own_words(e) for e in errors])
    with transaction.atomic():
        if round is not None:
            # An approval withdrawn when the teams changed (`round_plan_approval_withdraw`)
            # stays as history; the round may be approved again.
            locked = Round.objects.select_for_update().get(pk=round.pk)
            taken = locked.plan_approved_on is not None
        else:
            taken = (
                Decision.objects.select_for_update()
                .filter(kind=kind, year_plan=year_plan, inspection=inspection)
                .exists()
            )
        if taken:
            said = f"{subject}已记录“{DecisionKind(kind).label}”。"
            raise ValidationError(body.own_words(said))
        stored = (
            attachment_store(actor=actor, body=body, upload=minutes, audience=Audience.TEAM)
            if minutes is not None
            else None
        )
        decision = Decision.objects.create(
            body=body,
            kind=kind,
            year_plan=year_plan,
            round=round,
            inspection=inspection,
            meeting_number=meeting_number,
            held_on=held_on,
            opinion=opinion.strip(),
            on_paper=on_paper,
            minutes=stored,
            recorded_by=user,
        )
        if year_plan is not None:
            year_plan_mark_approved(
                actor=actor, plan=year_plan, on=held_on, meeting=decision.meeting
            )
        if round is not None:
            round_mark_plan_approved(actor=actor, round=round, on=held_on, meeting=decision.meeting)
        record(
            actor=actor,
            action="decisions.decision.record",
            obj=decision,
            object_repr=f"{subject}：{decision}",
            after=snapshot(decision, DECISION_FIELDS),
        )
    return decision


def pledge_record_paper(
    *, actor: Actor, membership: TeamMembership, signed_on: dt.date, scan: Upload
) -> PaperPledge:
    """The office enters the pledge a member without an account signed on paper, with the
    scan of the signed pledge."""
    user = person(actor)
    body = membership.team.round.body
    if user is not None and (user.role != Role.OFFICE or user.body_id != body.pk):
        raise PermissionDenied(body.own_words("纸质承诺须由本级巡视办录入。"))
    name = membership.cadre.name
    if User.objects.filter(cadre=membership.cadre, is_active=True).exists():
        raise ValidationError(f"{name}有本人账号，须登录后本人签署承诺。")
    if membership.pledge_signed_at is not None:
        raise ValidationError(f"{name}已签署过承诺。")
    if signed_on > timezone.localdate():
        raise ValidationError("签署日期不能晚于今天。")
    with transaction.atomic():
        stored = attachment_store(actor=actor, body=body, upload=scan, audience=Audience.TEAM)
        pledge_sign_on_paper(actor=actor, membership=membership, signed_on=signed_on)
        paper = PaperPledge.objects.create(
            membership=membership, signed_on=signed_on, scan=stored, recorded_by=user
        )
        record(
            actor=actor,
            action="decisions.pledge.paper",
            obj=paper,
            object_repr=f"{membership.team}：{name}",
            after=snapshot(paper, ["membership", "signed_on", "scan", "recorded_by"]),
        )
    return paper

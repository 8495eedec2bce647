"""The only code that writes a team's on-site records: talks, petitions, document requests
and immediate fixes.

Each action checks the inspection's stage first (talks, document requests and fixes while
the team records, petitions from the announcement until the report goes up), then its own
rules (the dates: `xunshi.rounds.date_rules`), and refuses with every reason in Chinese
before writing anything. Sequence numbers are taken under a row lock on the inspection, so
they stay unique and without gaps.

The audit events keep the facts of each record (dates, channels, who, status) but not what
a petitioner or an interviewee said: the audit admin reads the trail and must not read case
data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record, snapshot
from xunshi.lib.officedoc import cn_date
from xunshi.lib.refusals import not_after_today, not_before, refuse_unless
from xunshi.registry.models import Cadre
from xunshi.registry.numbering import next_seq
from xunshi.rounds import date_rules
from xunshi.rounds.models import PETITION_STAGES, RECORDING_STAGES, Inspection, Stage
from xunshi.searchindex.actions import search_index

from .models import (
    DocumentRequest,
    ImmediateFix,
    Petition,
    PetitionCategory,
    PetitionChannel,
    PetitionRouting,
    Talk,
    TalkCategory,
)
from .search_kinds import PETITIONS, TALKS

__all__ = [
    "docrequest_create",
    "docrequest_handover",
    "docrequest_return",
    "fix_create",
    "fix_done",
    "petition_create",
    "petition_reply",
    "petition_route",
    "talk_create",
    "talk_sign_off",
    "talk_update",
]

TALK_FIELDS = ["inspection", "category", "recorder", "held_at", "place", "signed_off_at"]
PETITION_FIELDS = ["inspection", "seq", "channel", "category", "received_on", "real_name"]
ROUTE_FIELDS = ["in_scope", "routing", "forwarded_to", "forwarded_on"]
DOCREQUEST_FIELDS = ["inspection", "seq", "provider", "requested_on"]
HANDOVER_FIELDS = ["handed_over_on", "handed_over_by", "received_by", "returned_on"]
FIX_FIELDS = ["inspection", "responsible_unit", "done_on"]


def _check_stage(inspection: Inspection, stages: Collection[str], what: str) -> None:
    if inspection.stage not in stages:
        here = Stage(inspection.stage).label
        raise ValidationError(f"当前阶段为“{here}”，不能{what}。")


def _locked(inspection: Inspection, stages: Collection[str], what: str) -> Inspection:
    """The inspection under a row lock (its running numbers count under it), its stage
    checked again now that no stage change can slip in."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _check_stage(locked, stages, what)
    return locked


def _outsiders(inspection: Inspection, cadres: Sequence[Cadre], post: str) -> list[str]:
    team_ids = set(inspection.team.memberships.values_list("cadre_id", flat=True))
    team = inspection.team.name
    return [f"{c.name}不是{team}成员，不能担任{post}。" for c in cadres if c.pk not in team_ids]


# --- talks ------------------------------------------------------------------------------------


def _talk_after(talk: Talk) -> dict[str, Any]:
    after = snapshot(talk, TALK_FIELDS)
    after["interviewers"] = sorted(c.pk for c in talk.interviewers.all())
    after["record_chars"] = len(talk.record)
    return after


def _talk_event(
    actor: Actor, action: str, talk: Talk, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    # Not str(talk) as the object's name: the interviewee's name is case data.
    name = f"个别谈话（{timezone.localtime(talk.held_at):%Y-%m-%d %H:%M}）"
    record(actor=actor, action=action, obj=talk, object_repr=name, before=before, after=after)


def talk_create(
    *,
    actor: Actor,
    inspection: Inspection,
    interviewee: str,
    interviewee_post: str,
    category: str,
    interviewers: list[Cadre],
    recorder: Cadre,
    held_at: dt.datetime,
    place: str,
    outline: str = "",
    record: str = "",
) -> Talk:
    """Record an individual talk held by two or more team members with a team recorder."""
    _check_stage(inspection, RECORDING_STAGES, "新增谈话记录")
    interviewers = list({c.pk: c for c in interviewers}.values())
    problems = []
    if not interviewee.strip():
        problems.append("请填写谈话对象。")
    if not interviewee_post.strip():
        problems.append("请填写谈话对象的职务。")
    if category not in TalkCategory.values:
        problems.append("请选择谈话类别（必谈或选谈）。")
    if not place.strip():
        problems.append("请填写谈话地点。")
    if len(interviewers) < 2:
        problems.append("个别谈话须有两名以上谈话人。")
    problems += _outsiders(inspection, interviewers, "谈话人")
    problems += _outsiders(inspection, [recorder], "记录人")
    day = timezone.localtime(held_at).date()
    problems += date_rules.site_record_problems(inspection, day, "谈话时间")
    refuse_unless(problems)
    with transaction.atomic():
        talk = Talk.objects.create(
            inspection=inspection,
            interviewee=interviewee.strip(),
            interviewee_post=interviewee_post.strip(),
            category=category,
            recorder=recorder,
            held_at=held_at,
            place=place.strip(),
            outline=outline.strip(),
            record=record.strip(),
            created_by=person(actor),
        )
        talk.interviewers.set(interviewers)
        _talk_event(actor, "inspections.talk.create", talk, None, _talk_after(talk))
        search_index(TALKS, talk)
    return talk


def _open_talk(talk: Talk) -> Talk:
    """The talk locked for writing, refused once it is signed off."""
    locked = Talk.objects.select_for_update().get(pk=talk.pk)
    if locked.signed_off_at is not None:
        raise ValidationError("谈话记录已签认，不能修改。")
    return locked


def talk_update(*, actor: Actor, talk: Talk, outline: str, record: str) -> Talk:
    """Change the outline and the record of a talk not yet signed off."""
    _check_stage(talk.inspection, RECORDING_STAGES, "修改谈话记录")
    with transaction.atomic():
        locked = _open_talk(talk)
        before = {"outline_chars": len(locked.outline), "record_chars": len(locked.record)}
        locked.outline, locked.record = outline.strip(), record.strip()
        locked.save(update_fields=["outline", "record"])
        after = {"outline_chars": len(locked.outline), "record_chars": len(locked.record)}
        _talk_event(actor, "inspections.talk.update", locked, before, after)
        search_index(TALKS, locked)
    talk.outline, talk.record = locked.outline, locked.record
    return locked


def talk_sign_off(*, actor: Actor, talk: Talk) -> Talk:
    """Sign off a talk's record, after which it can no longer be changed."""
    _check_stage(talk.inspection, RECORDING_STAGES, "签认谈话记录")
    with transaction.atomic():
        locked = _open_talk(talk)
        if not locked.record.strip():
            raise ValidationError("谈话记录为空，不能签认。")
        locked.signed_off_at = timezone.now()
        locked.signed_off_by = person(actor)
        locked.save(update_fields=["signed_off_at", "signed_off_by"])
        after = {"signed_off_at": locked.signed_off_at, "record_chars": len(locked.record)}
        _talk_event(actor, "inspections.talk.sign_off", locked, None, after)
    talk.signed_off_at, talk.signed_off_by = locked.signed_off_at, locked.signed_off_by
    return locked


# --- petitions --------------------------------------------------------------------------------


def petition_create(
    *,
    actor: Actor,
    inspection: Inspection,
    channel: str,
    received_on: dt.date,
    content: str,
    real_name: bool,
    petitioner_name: str = "",
    petitioner_contact: str = "",
    reported_persons: str = "",
    portal_ref: str = "",
    category: str = "",
) -> Petition:
    """Register a petition received by the team, numbered in the inspection's sequence."""
    _check_stage(inspection, PETITION_STAGES, "登记信访件")
    name, contact = petitioner_name.strip(), petitioner_contact.strip()
    problems = []
    if channel not in PetitionChannel.values:
        problems.append("请选择来源渠道。")
    if category and category not in PetitionCategory.values:
        problems.append("请从列表中选择反映问题类别。")
    if not content.strip():
        problems.append("请填写反映内容。")
    if real_name and not name:
        problems.append("实名信访件须填写反映人姓名。")
    if real_name and not contact:
        problems.append("实名信访件须填写反映人联系方式。")
    if not real_name and name:
        problems.append("匿名信访件不应填写反映人姓名。")
    problems += not_after_today(received_on, "收到日期")
    refuse_unless(problems)
    with transaction.atomic():
        locked = _locked(inspection, PETITION_STAGES, "登记信访件")
        petition = Petition.objects.create(
            inspection=locked,
            seq=next_seq(locked.petitions),
            channel=channel,
            category=category,
            received_on=received_on,
            real_name=real_name,
            petitioner_name=name,
            petitioner_contact=contact,
            content=content.strip(),
            reported_persons=reported_persons.strip(),
            portal_ref=portal_ref,  # intake: the portal's reference of the submission
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="inspections.petition.create",
            obj=petition,
            after=snapshot(petition, PETITION_FIELDS),
        )
        search_index(PETITIONS, petition)
    return petition


def petition_route(
    *,
    actor: Actor,
    petition: Petition,
    in_scope: bool,
    routing: str,
    forwarded_to: str = "",
    forwarded_on: dt.date | None = None,
    routing_note: str = "",
) -> Petition:
    """Decide what becomes of a petition: a problem, a clue, forwarded, or kept on file."""
    _check_stage(petition.inspection, PETITION_STAGES, "处理信访件")
    forwarded_to, routing_note = forwarded_to.strip(), routing_note.strip()
    R = PetitionRouting
    problems = []
    if routing not in R.values or routing == R.PENDING:
        problems.append("请选择处理方式。")
    if not in_scope and routing in (R.PROBLEM, R.CLUE):
        problems.append("不属于巡视范围的信访件不能作为问题或线索，请转交有关机关或留存备查。")
    if routing == R.FORWARDED:
        if not forwarded_to:
            problems.append("转交其他机关须填写转交机关。")
        if forwarded_on is None:
            problems.append("转交其他机关须填写转交日期。")
        problems += not_before(forwarded_on, "转交日期", petition.received_on, "收到日期")
        problems += not_after_today(forwarded_on, "转交日期")
    if routing == R.NOTED and not routing_note:
        problems.append("留存备查须写明处理说明。")
    # Clues (findings) made from this petition, through the reverse relation.
    if routing != R.CLUE and petition.clue_set.exists():
        problems.append(f"已根据第{petition.seq}号信访件形成问题线索，不能改变处理方式。")
    refuse_unless(problems)
    with transaction.atomic():
        before = snapshot(petition, ROUTE_FIELDS)
        petition.in_scope = in_scope
        petition.routing = routing
        forwarded = routing == R.FORWARDED
        petition.forwarded_to = forwarded_to if forwarded else ""
        petition.forwarded_on = forwarded_on if forwarded else None
        petition.routing_note = routing_note
        petition.save(
            update_fields=["in_scope", "routing", "forwarded_to", "forwarded_on", "routing_note"]
        )
        record(
            actor=actor,
            action="inspections.petition.route",
            obj=petition,
            before=before,
            after=snapshot(petition, ROUTE_FIELDS),
        )
        search_index(PETITIONS, petition)
    return petition


def petition_reply(
    *, actor: Actor, petition: Petition, reply: str, replied_on: dt.date
) -> Petition:
    """Record the answer given to a real-name petitioner, or to a portal reporter (who reads
    it with the receipt, named or not)."""
    _check_stage(petition.inspection, PETITION_STAGES, "答复信访件")
    # intake: an anonymous report from the portal is answered through its receipt code.
    through_portal = petition.channel == PetitionChannel.PORTAL and bool(petition.portal_ref)
    if not petition.real_name and not through_portal:
        raise ValidationError("匿名信访件无法答复。")
    problems = [] if reply.strip() else ["请填写答复内容。"]
    problems += not_before(replied_on, "答复日期", petition.received_on, "收到日期")
    problems += not_after_today(replied_on, "答复日期")
    refuse_unless(problems)
    with transaction.atomic():
        before = {"replied_on": petition.replied_on}
        petition.reply, petition.replied_on = reply.strip(), replied_on
        petition.save(update_fields=["reply", "replied_on"])
        record(
            actor=actor,
            action="inspections.petition.reply",
            obj=petition,
            before=before,
            after={"replied_on": replied_on, "reply_chars": len(petition.reply)},
        )
        search_index(PETITIONS, petition)
    return petition


# --- document requests ------------------------------------------------------------------------


def docrequest_create(
    *, actor: Actor, inspection: Inspection, documents: str, provider: str, requested_on: dt.date
) -> DocumentRequest:
    """Register a request for documents, one per line, numbered in the inspection's sequence."""
    _check_stage(inspection, RECORDING_STAGES, "调阅资料")
    lines = [line.strip() for line in documents.splitlines() if line.strip()]
    problems = [] if lines else ["请列出调阅的资料，每行一项。"]
    if not provider.strip():
        problems.append("请填写提供资料的部门。")
    problems += not_after_today(requested_on, "调阅日期")
    refuse_unless(problems)
    with transaction.atomic():
        locked = _locked(inspection, RECORDING_STAGES, "调阅资料")
        req = DocumentRequest.objects.create(
            inspection=locked,
            seq=next_seq(locked.document_requests),
            documents="\n".join(lines),
            provider=provider.strip(),
            requested_on=requested_on,
            created_by=person(actor),
        )
        after = snapshot(req, DOCREQUEST_FIELDS) | {"documents": len(lines)}
        record(actor=actor, action="inspections.docrequest.create", obj=req, after=after)
    return req


def docrequest_handover(
    *,
    actor: Actor,
    request: DocumentRequest,
    handed_over_on: dt.date,
    handed_over_by: str,
    received_by: Cadre,
) -> DocumentRequest:
    """Record that the unit handed the documents over to a team member."""
    _check_stage(request.inspection, RECORDING_STAGES, "登记资料移交")
    if request.handed_over_on is not None:
        raise ValidationError(
            f"第{request.seq}号调阅资料已于{cn_date(request.handed_over_on)}移交。"
        )
    problems = [] if handed_over_by.strip() else ["请填写移交人。"]
    problems += not_before(handed_over_on, "移交日期", request.requested_on, "调阅日期")
    problems += not_after_today(handed_over_on, "移交日期")
    problems += _outsiders(request.inspection, [received_by], "接收人")
    refuse_unless(problems)
    with transaction.atomic():
        before = snapshot(request, HANDOVER_FIELDS)
        request.handed_over_on = handed_over_on
        request.handed_over_by = handed_over_by.strip()
        request.received_by = received_by
        request.save(update_fields=["handed_over_on", "handed_over_by", "received_by"])
        record(
            actor=actor,
            action="inspections.docrequest.handover",
            obj=request,
            before=before,
            after=snapshot(request, HANDOVER_FIELDS),
        )
    return request


def docrequest_return(
    *, actor: Actor, request: DocumentRequest, returned_on: dt.date
) -> DocumentRequest:
    """Record that the team returned the documents to the unit."""
    _check_stage(request.inspection, RECORDING_STAGES, "登记资料归还")
    if request.handed_over_on is None:
        raise ValidationError(f"第{request.seq}号调阅资料尚未移交，不能登记归还。")
    if request.returned_on is not None:
        raise ValidationError(f"第{request.seq}号调阅资料已于{cn_date(request.returned_on)}归还。")
    problems = not_before(returned_on, "归还日期", request.handed_over_on, "移交日期")
    problems += not_after_today(returned_on, "归还日期")
    refuse_unless(problems)
    with transaction.atomic():
        request.returned_on = returned_on
        request.save(update_fields=["returned_on"])
        record(
            actor=actor,
            action="inspections.docrequest.return",
            obj=request,
            after={"returned_on": returned_on},
        )
    return request


# --- immediate fixes --------------------------------------------------------------------------


def fix_create(
    *,
    actor: Actor,
    inspection: Inspection,
    issue: str,
    measure: str,
    responsible_unit: str,
    done_on: dt.date | None = None,
) -> ImmediateFix:
    """Record a problem the unit is fixing at once (立行立改), done or still open."""
    _check_stage(inspection, RECORDING_STAGES, "新增立行立改事项")
    problems = [] if issue.strip() else ["请填写问题。"]
    if not measure.strip():
        problems.append("请填写整改措施。")
    if not responsible_unit.strip():
        problems.append("请填写责任部门。")
    problems += not_after_today(done_on, "完成日期")
    refuse_unless(problems)
    with transaction.atomic():
        fix = ImmediateFix.objects.create(
            inspection=inspection,
            issue=issue.strip(),
            measure=measure.strip(),
            responsible_unit=responsible_unit.strip(),
            done_on=done_on,
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="inspections.fix.create",
            obj=fix,
            object_repr=f"立行立改事项（{fix.responsible_unit}）",
            after=snapshot(fix, FIX_FIELDS),
        )
    return fix


def fix_done(*, actor: Actor, fix: ImmediateFix, done_on: dt.date) -> ImmediateFix:
    """Mark an immediate fix as done on a date."""
    _check_stage(fix.inspection, RECORDING_STAGES, "登记立行立改完成")
    if fix.done_on is not None:
        raise ValidationError(f"该事项已于{cn_date(fix.done_on)}完成整改。")
    refuse_unless(not_after_today(done_on, "完成日期"))
    with transaction.atomic():
        fix.done_on = done_on
        fix.save(update_fields=["done_on"])
        record(
            actor=actor,
            action="inspections.fix.done",
            obj=fix,
            object_repr=f"立行立改事项（{fix.responsible_unit}）",
            after={"done_on": done_on},
        )
    return fix

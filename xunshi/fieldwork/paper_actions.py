"""The only code that writes working papers (问题底稿), their evidence and the problems made
from them.

A paper's number, 豫巡1组〔2026〕3号, counts per inspecting body, year and team number.
It is drawn from the body's series (`registry.actions.number_draw`) under a row lock in the
transaction that creates the paper, so two cadres saving at once get consecutive numbers,
and a refused or failed save gives its number back (nothing is committed). Papers are
never deleted, so no number goes missing afterwards either.

Review has two levels: the team's group meeting (组务会) and then the leader (组长审定).
Either may send the paper back with a reason; the author edits and submits it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from xunshi.accounts.actors import Actor, is_system, person
from xunshi.audit.actions import record, snapshot
from xunshi.lib.crypto import sm3_hex
from xunshi.registry.actions import number_draw
from xunshi.registry.models import SeriesKind
from xunshi.registry.numbering import document_number
from xunshi.rounds.access import is_team_leader, is_team_member
from xunshi.rounds.models import RECORDING_STAGES, Inspection
from xunshi.searchindex.actions import search_index

from .models import (
    DocumentRequest,
    EvidenceItem,
    EvidenceKind,
    PaperStatus,
    Petition,
    Talk,
    TaxonomyItem,
    WorkingPaper,
)
from .search_kinds import PAPERS
from .taxonomy_queries import is_current_for

__all__ = [
    "paper_add_evidence",
    "paper_create",
    "paper_group_review",
    "paper_leader_review",
    "paper_submit",
    "paper_update",
]

PAPER_FIELDS = ["number", "category", "status", "group_meeting_on", "return_reason"]
# The case itself stays out of the audit trail (its reader, the audit admin, must not read
# the case); a digest of it shows that and when it changed. The title is the problem's
# wording, which the feedback gives the inspected organization, not the audit admin.
CASE_FIELDS = [
    "title",
    "facts",
    "qualification",
    "responsibility_main",
    "responsibility_first",
    "responsibility_supervision",
    "group_opinion",
]
_TEXT_FIELDS = {
    "title": "问题标题",
    "facts": "事实",
    "qualification": "定性依据",
}


def _audited(paper: WorkingPaper) -> dict[str, Any]:
    case = "\x1f".join(getattr(paper, name) for name in CASE_FIELDS)
    return snapshot(paper, PAPER_FIELDS) | {"case_sm3": sm3_hex(case.encode())}


def _require_member(actor: Actor, inspection: Inspection) -> None:
    if not is_system(actor) and not is_team_member(actor, inspection):
        raise ValidationError("只有本巡视组成员可以编写问题底稿。")


def _check_text(values: dict[str, str]) -> None:
    missing = [label for key, label in _TEXT_FIELDS.items() if not values.get(key, "").strip()]
    if missing:
        raise ValidationError(f"问题底稿缺少：{'、'.join(missing)}。")
    if len(values["title"]) > 200:
        raise ValidationError("问题标题不能超过200个字。")


def _check_category(category: TaxonomyItem, inspection: Inspection) -> None:
    if not is_current_for(category.taxonomy, inspection.round.body_id):
        raise ValidationError(f"问题分类“{category.name}”所在的分类体系已停用。")


def paper_create(
    *,
    actor: Actor,
    inspection: Inspection,
    title: str,
    facts: str,
    qualification: str,
    category: TaxonomyItem,
    responsibility_main: str = "",
    responsibility_first: str = "",
    responsibility_supervision: str = "",
) -> WorkingPaper:
    """Draft a working paper and give it the next number of its team and year."""
    _require_member(actor, inspection)
    values = {"title": title.strip(), "facts": facts.strip(), "qualification": qualification}
    _check_text(values)
    _check_category(category, inspection)
    with transaction.atomic():
        insp = Inspection.objects.select_for_update().select_related("round__body", "team")
        insp_row = insp.get(pk=inspection.pk)
        if insp_row.stage not in RECORDING_STAGES:
            raise ValidationError(
                f"巡视当前处于“{insp_row.get_stage_display()}”阶段，不能新建问题底稿。"
            )
        year = (insp_row.start or timezone.localdate()).year
        body, team_number = insp_row.round.body, insp_row.team.number
        seq = number_draw(body=body, kind=SeriesKind.PAPER, year=year, team_number=team_number)
        paper = WorkingPaper.objects.create(
            inspection=insp_row,
            year=year,
            seq=seq,
            number=document_number(body, SeriesKind.PAPER, year, seq, team_number=team_number),
            title=values["title"],
            facts=values["facts"],
            qualification=qualification.strip(),
            category=category,
            responsibility_main=responsibility_main.strip(),
            responsibility_first=responsibility_first.strip(),
            responsibility_supervision=responsibility_supervision.strip(),
            created_by=person(actor),
        )
        record(
            actor=actor,
            action="inspections.paper.create",
            obj=paper,
            after=_audited(paper),
        )
        search_index(PAPERS, paper)
    return paper


def _editable(paper: WorkingPaper) -> None:
    if paper.status not in (PaperStatus.DRAFT, PaperStatus.RETURNED):
        raise ValidationError(
            f"底稿{paper.number}处于“{paper.get_status_display()}”状态，不能修改。"
        )


def paper_update(*, actor: Actor, paper: WorkingPaper, **changes: Any) -> WorkingPaper:
    """Change a draft or returned paper's text, responsibility or classification."""
    _require_member(actor, paper.inspection)
    _editable(paper)
    allowed = set(_TEXT_FIELDS) | {
        "responsibility_main",
        "responsibility_first",
        "responsibility_supervision",
        "category",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"底稿没有这些字段：{'、'.join(sorted(unknown))}。")
    values = {k: getattr(paper, k) for k in _TEXT_FIELDS} | {
        k: v.strip() for k, v in changes.items() if isinstance(v, str)
    }
    _check_text(values)
    if "category" in changes:
        _check_category(changes["category"], paper.inspection)
    with transaction.atomic():
        before = _audited(paper)
        for key, value in changes.items():
            setattr(paper, key, value.strip() if isinstance(value, str) else value)
        paper.save()
        record(
            actor=actor,
            action="inspections.paper.update",
            obj=paper,
            before=before,
            after=_audited(paper),
        )
        search_index(PAPERS, paper)
    return paper


def _move(actor: Actor, paper: WorkingPaper, action: str, **fields: Any) -> WorkingPaper:
    with transaction.atomic():
        before = _audited(paper)
        for key, value in fields.items():
            setattr(paper, key, value)
        paper.save()
        record(
            actor=actor,
            action=f"inspections.paper.{action}",
            obj=paper,
            before=before,
            after=_audited(paper),
        )
    return paper


def paper_submit(*, actor: Actor, paper: WorkingPaper) -> WorkingPaper:
    """Put a draft (or a returned paper) before the group meeting; it needs evidence."""
    _require_member(actor, paper.inspection)
    _editable(paper)
    if not paper.evidence.exists():
        raise ValidationError(f"底稿{paper.number}还没有证据材料，不能提交组务会审议。")
    return _move(actor, paper, "submit", status=PaperStatus.GROUP_REVIEW, return_reason="")


def _leader_only(actor: Actor, paper: WorkingPaper, what: str) -> None:
    if not is_system(actor) and not is_team_leader(actor, paper.inspection):
        raise ValidationError(f"{what}须由组长操作。")


def paper_group_review(
    *,
    actor: Actor,
    paper: WorkingPaper,
    approve: bool,
    meeting_on: dt.date,
    opinion: str,
) -> WorkingPaper:
    """Record the group meeting's decision: on to the leader, or back to the author."""
    _leader_only(actor, paper, "登记组务会审议意见")
    if paper.status != PaperStatus.GROUP_REVIEW:
        raise ValidationError(f"底稿{paper.number}不在待组务会审议状态。")
    opinion = opinion.strip()
    if not opinion:
        raise ValidationError("请填写组务会意见。")
    if meeting_on > timezone.localdate():
        raise ValidationError("组务会日期不能晚于今天。")
    if approve:
        return _move(
            actor,
            paper,
            "group_review",
            status=PaperStatus.LEADER_REVIEW,
            group_meeting_on=meeting_on,
            group_opinion=opinion,
        )
    return _move(
        actor,
        paper,
        "group_return",
        status=PaperStatus.RETURNED,
        group_meeting_on=meeting_on,
        group_opinion=opinion,
        return_reason=opinion,
    )


def paper_leader_review(
    *, actor: Actor, paper: WorkingPaper, approve: bool, reason: str = ""
) -> WorkingPaper:
    """The leader approves the paper (组长审定) or returns it with a reason."""
    _leader_only(actor, paper, "审定底稿")
    if paper.status != PaperStatus.LEADER_REVIEW:
        raise ValidationError(f"底稿{paper.number}还没有经过组务会审议。")
    if approve:
        return _move(
            actor,
            paper,
            "approve",
            status=PaperStatus.APPROVED,
            leader_reviewed_at=timezone.now(),
            leader_reviewed_by=person(actor),
        )
    if not reason.strip():
        raise ValidationError("退回底稿须说明理由。")
    return _move(actor, paper, "return", status=PaperStatus.RETURNED, return_reason=reason.strip())


def paper_add_evidence(
    *,
    actor: Actor,
    paper: WorkingPaper,
    kind: str,
    record_obj: Talk | Petition | DocumentRequest | Any,
    note: str = "",
) -> EvidenceItem:
    """Link one record of the same inspection (a talk, petition, document request or
    attachment) to the paper as evidence."""
    _require_member(actor, paper.inspection)
    _editable(paper)
    fields: dict[str, str] = {
        EvidenceKind.TALK: "talk",
        EvidenceKind.PETITION: "petition",
        EvidenceKind.DOCUMENT: "document",
        EvidenceKind.ATTACHMENT: "attachment",
    }
    field = fields.get(kind)
    if field is None:
        raise ValidationError("未知的证据类型。")
    if record_obj is None or getattr(record_obj, "inspection_id", None) != paper.inspection_id:
        raise ValidationError("证据须是本次巡视的记录。")
    if EvidenceItem.objects.filter(paper=paper, **{field: record_obj}).exists():
        raise ValidationError("该证据已关联到本底稿。")
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            paper=paper, kind=kind, note=note.strip()[:200], **{field: record_obj}
        )
        record(
            actor=actor,
            action="inspections.paper.evidence",
            obj=paper,
            after={"kind": kind, "record": record_obj.pk, "note": item.note},
        )
    return item

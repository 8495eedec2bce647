"""Pages of the working papers (问题底稿) and of the problems made from them.

Every view reads as form → access → action → render. A paper is found by its id and then
its inspection through `get_onsite_inspection_for`: the office reads, the team writes,
anyone else gets 404 (outside the team) or 403 (a role without the function). The leader's
steps are offered to the leader only; the actions refuse them to anyone else as well. A
refused form comes back with the action's reason and nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.files.actions import attachment_store
from xunshi.files.models import Audience
from xunshi.rounds.access import is_team_leader
from xunshi.rounds.list_filters import list_export, wants_export
from xunshi.rounds.models import RECORDING_STAGES, Inspection
from xunshi.rounds.tabs import inspection_context

from . import paper_actions as papers
from .access import can_write_onsite, get_onsite_inspection_for, get_paper_for
from .models import PaperStatus, WorkingPaper
from .paper_forms import (
    EvidenceForm,
    EvidenceUploadForm,
    GroupReviewForm,
    LeaderReviewForm,
    PaperForm,
    ProblemForm,
)

_EDITABLE = (PaperStatus.DRAFT, PaperStatus.RETURNED)


def _may_record(user: User, inspection: Inspection) -> bool:
    return can_write_onsite(user, inspection) and inspection.stage in RECORDING_STAGES


# --- the list and a new paper ------------------------------------------------------------------


def _list_page(
    request: SignedInRequest, inspection: Inspection, form: PaperForm | None = None
) -> HttpResponse:
    may_record = _may_record(request.user, inspection)
    return render(
        request,
        "fieldwork/paper_list.html",
        {
            **inspection_context(request.user, inspection, "papers"),
            "papers": _papers(inspection),
            # A refused form is shown with its reason even if the stage has moved on.
            "form": form
            if form is not None
            else (PaperForm(inspection=inspection) if may_record else None),
        },
    )


def _papers(inspection: Inspection) -> Any:
    return inspection.working_papers.select_related("category__taxonomy", "problem").order_by("seq")


@require_safe
def paper_list(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk)
    if wants_export(request.GET):
        return list_export(
            request,
            name=_("问题底稿-%(unit)s.xlsx") % {"unit": inspection.target.name},
            title=_("问题底稿"),
            head=[_("底稿编号"), _("问题标题"), _("问题分类"), _("状态"), _("问题")],
            rows=(_paper_row(p) for p in _papers(inspection)),
            object_type="inspections.workingpaper",
            filters={"inspection": inspection.pk},
        )
    return _list_page(request, inspection)


def _paper_row(p: WorkingPaper) -> list[Any]:
    # The list's columns only: a paper's facts and evidence are case content, read on the paper.
    problem = getattr(p, "problem", None)
    return [
        p.number,
        p.title,
        f"{p.category.name} {p.category.taxonomy.name}",
        p.get_status_display(),
        _("第%(n)s个问题") % {"n": problem.seq} if problem else "—",
    ]


@require_POST
def paper_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk, write=True)
    form = PaperForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            paper = papers.paper_create(
                actor=request.user, inspection=inspection, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已新建问题底稿%(number)s。") % {"number": paper.number})
            return redirect("paper_detail", pk=paper.pk)
    return _list_page(request, inspection, form)


# --- one paper --------------------------------------------------------------------------------


def _evidence_rows(paper: WorkingPaper) -> Iterable[dict[str, Any]]:
    for item in paper.evidence.select_related("talk", "petition", "document", "attachment"):
        obj = item.talk or item.petition or item.document or item.attachment
        yield {"item": item, "obj": obj}


def paper_page(request: SignedInRequest, paper: WorkingPaper, **forms: Any) -> HttpResponse:
    user, inspection = request.user, paper.inspection
    member = can_write_onsite(user, inspection)
    leader = is_team_leader(user, inspection)
    editable = member and paper.status in _EDITABLE
    status = paper.status
    # The problem made from this paper (findings), through the reverse one-to-one relation.
    problem = getattr(paper, "problem", None)
    may_form_problem = (
        leader
        and status == PaperStatus.APPROVED
        and problem is None
        and inspection.stage in RECORDING_STAGES
    )
    context = {
        **inspection_context(user, inspection, "papers"),
        "paper": paper,
        "problem": problem,
        "evidence": list(_evidence_rows(paper)),
        "edit_form": forms.get("edit_form")
        or (PaperForm(inspection=inspection, paper=paper) if editable else None),
        "evidence_form": forms.get("evidence_form")
        or (EvidenceForm(inspection=inspection) if editable else None),
        "upload_form": forms.get("upload_form") or (EvidenceUploadForm() if editable else None),
        "may_submit": editable,
        "group_form": forms.get("group_form")
        or (GroupReviewForm() if leader and status == PaperStatus.GROUP_REVIEW else None),
        "leader_form": forms.get("leader_form")
        or (LeaderReviewForm() if leader and status == PaperStatus.LEADER_REVIEW else None),
        "problem_form": forms.get("problem_form")
        or (ProblemForm(initial={"summary": paper.title}) if may_form_problem else None),
    }
    return render(request, "fieldwork/paper_detail.html", context)


@require_safe
def paper_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return paper_page(request, get_paper_for(request.user, pk))


@require_POST
def paper_update(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    form = PaperForm(request.POST, inspection=paper.inspection, paper=paper)
    if form.is_valid():
        # Only what changed: an unchanged class of a retired taxonomy is no change.
        changes = {
            k: v
            for k, v in form.cleaned_data.items()
            if (v.pk != paper.category_id if k == "category" else getattr(paper, k) != v.strip())
        }
        try:
            if changes:
                papers.paper_update(actor=request.user, paper=paper, **changes)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("底稿已保存。"))
            return redirect("paper_detail", pk=paper.pk)
    paper.refresh_from_db()
    paper.inspection = get_onsite_inspection_for(request.user, paper.inspection_id)
    return paper_page(request, paper, edit_form=form)


def _add_upload(request: SignedInRequest, paper: WorkingPaper, form: EvidenceUploadForm) -> None:
    # Checked first so that a refused link does not leave a stored file behind.
    if paper.status not in _EDITABLE:
        raise ValidationError(
            f"底稿{paper.number}处于“{paper.get_status_display()}”状态，不能修改。"
        )
    with transaction.atomic():
        attachment = attachment_store(
            actor=request.user,
            inspection=paper.inspection,
            upload=form.cleaned_data["file"],
            audience=Audience.TEAM,
        )
        papers.paper_add_evidence(
            actor=request.user,
            paper=paper,
            kind="attachment",
            record_obj=attachment,
            note=form.cleaned_data["note"],
        )


@require_POST
def paper_evidence_add(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    form: EvidenceForm | EvidenceUploadForm
    if request.FILES:
        form = EvidenceUploadForm(request.POST, request.FILES)
        key = "upload_form"
    else:
        form = EvidenceForm(request.POST, inspection=paper.inspection)
        key = "evidence_form"
    if form.is_valid():
        try:
            if isinstance(form, EvidenceUploadForm):
                _add_upload(request, paper, form)
            else:
                kind, obj = form.cleaned_data["record"]
                papers.paper_add_evidence(
                    actor=request.user,
                    paper=paper,
                    kind=kind,
                    record_obj=obj,
                    note=form.cleaned_data["note"],
                )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已添加证据材料。"))
            return redirect("paper_detail", pk=paper.pk)
    return paper_page(request, paper, **{key: form})


@require_POST
def paper_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    try:
        papers.paper_submit(actor=request.user, paper=paper)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        messages.success(request, _("底稿已提交组务会审议。"))
    return redirect("paper_detail", pk=paper.pk)


@require_POST
def paper_group_review(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    form = GroupReviewForm(request.POST)
    if form.is_valid():
        try:
            papers.paper_group_review(actor=request.user, paper=paper, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已登记组务会审议意见。"))
            return redirect("paper_detail", pk=paper.pk)
    return paper_page(request, paper, group_form=form)


@require_POST
def paper_leader_review(request: SignedInRequest, pk: int) -> HttpResponse:
    paper = get_paper_for(request.user, pk, write=True)
    form = LeaderReviewForm(request.POST)
    if form.is_valid():
        try:
            papers.paper_leader_review(actor=request.user, paper=paper, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("已审定底稿。") if paper.status == "approved" else _("底稿已退回。")
            )
            return redirect("paper_detail", pk=paper.pk)
    return paper_page(request, paper, leader_form=form)

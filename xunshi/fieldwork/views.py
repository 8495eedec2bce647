"""Pages of a team's on-site records: talks, petitions, document requests, immediate fixes.

Every view reads as form → access (onsite_access) → action (onsite_actions) → render. A write
that goes through redirects back with a message; a refused form comes back on its page with
the reasons (status 200) and nothing saved. The office reads every page; only the team's
cadres see the forms, and only in the stages where the action would take them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import download_response
from xunshi.rounds.list_filters import ListFilterForm, list_export, list_page, wants_export
from xunshi.rounds.models import PETITION_STAGES, RECORDING_STAGES, Inspection, Stage
from xunshi.rounds.tabs import inspection_context

from . import actions
from . import documents as onsite_slip
from .access import (
    can_write_onsite,
    get_docrequest_for,
    get_fix_for,
    get_onsite_inspection_for,
    get_petition_for,
    get_talk_for,
)
from .forms import (
    DocRequestForm,
    FixDoneForm,
    FixForm,
    HandoverForm,
    PetitionForm,
    PetitionReplyForm,
    PetitionRouteForm,
    ReturnForm,
    TalkEditForm,
    TalkForm,
    team_cadres,
)
from .models import DocumentRequest, ImmediateFix, Petition, PetitionRouting, Talk
from .queries import petitions_filtered, same_day_talks


def _page(
    request: SignedInRequest, inspection: Inspection, tab: str, template: str, extra: dict[str, Any]
) -> HttpResponse:
    context = {**inspection_context(request.user, inspection, tab), **extra}
    return render(request, f"fieldwork/{template}", context)


def _writable(request: SignedInRequest, inspection: Inspection, stages: frozenset[str]) -> bool:
    """Whether the page offers the team's forms: a team cadre, in a stage that takes them."""
    return can_write_onsite(request.user, inspection) and inspection.stage in stages


def _closed_note(request: SignedInRequest, inspection: Inspection, stages: frozenset[str]) -> str:
    """Why a team cadre sees no form: the stage. Empty for the office, who never writes."""
    if can_write_onsite(request.user, inspection) and inspection.stage not in stages:
        here = Stage(inspection.stage).label
        return _("当前阶段为“%(stage)s”，不能在此登记或修改。") % {"stage": here}
    return ""


def _refused(request: SignedInRequest, e: ValidationError) -> None:
    messages.error(request, "".join(e.messages))


def _try(form: forms.Form, write: Any) -> bool:
    """Run the action on a valid form; its refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as e:
        form.add_error(None, e)
        return False
    return True


# --- talks ------------------------------------------------------------------------------------


def _talks_page(
    request: SignedInRequest, inspection: Inspection, form: TalkForm | None = None
) -> HttpResponse:
    if form is None and _writable(request, inspection, RECORDING_STAGES):
        cadre_id = getattr(request.user, "cadre_id", None)
        form = TalkForm(inspection=inspection, initial={"recorder": cadre_id})
    return _page(
        request,
        inspection,
        "talks",
        "talk_list.html",
        {
            "talks": _talks(inspection),
            "form": form,
            "closed_note": _closed_note(request, inspection, RECORDING_STAGES),
        },
    )


def _talks(inspection: Inspection) -> Any:
    return inspection.talks.select_related("recorder").prefetch_related("interviewers")


@require_safe
def talk_list(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk)
    if wants_export(request.GET):
        return list_export(
            request,
            name=_("个别谈话-%(unit)s.xlsx") % {"unit": inspection.target.name},
            title=_("个别谈话"),
            head=_talk_head(),
            rows=(_talk_row(t) for t in _talks(inspection)),
            object_type="inspections.talk",
            filters={"inspection": inspection.pk},
        )
    return _talks_page(request, inspection)


def _talk_head() -> list[str]:
    return [
        _("谈话时间"),
        _("谈话对象"),
        _("职务"),
        _("类别"),
        _("谈话人"),
        _("记录人"),
        _("地点"),
        _("记录"),
    ]


def _talk_row(t: Talk) -> list[Any]:
    # The list's columns only: the outline and the record are case content, read on the talk.
    return [
        timezone.localtime(t.held_at),
        t.interviewee,
        t.interviewee_post,
        t.get_category_display(),
        "、".join(c.name for c in t.interviewers.all()),
        t.recorder.name,
        t.place,
        _("已签认") if t.signed_off_at else _("未签认"),
    ]


@require_POST
def talk_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk, write=True)
    form = TalkForm(request.POST, inspection=inspection)
    created: list[Talk] = []

    def write(data: dict[str, Any]) -> None:
        created.append(actions.talk_create(actor=request.user, inspection=inspection, **data))

    if _try(form, write):
        who = form.cleaned_data["interviewee"]
        messages.success(request, _("已登记与%(who)s的谈话。") % {"who": who})
        earlier = [timezone.localtime(t.held_at) for t in same_day_talks(created[0])]
        if earlier:
            times = "、".join(f"{t:%H:%M}" for t in earlier)
            messages.warning(
                request,
                _("同一天已有与%(who)s的谈话记录（%(times)s），请核对是否重复登记。")
                % {"who": who, "times": times},
            )
        return redirect("talk_list", pk=inspection.pk)
    return _talks_page(request, inspection, form)


def _talk_page(
    request: SignedInRequest, talk: Talk, form: TalkEditForm | None = None
) -> HttpResponse:
    inspection = talk.inspection
    editable = _writable(request, inspection, RECORDING_STAGES) and talk.signed_off_at is None
    if form is None and editable:
        form = TalkEditForm(initial={"outline": talk.outline, "record": talk.record})
    return _page(
        request,
        inspection,
        "talks",
        "talk_detail.html",
        {
            "talk": talk,
            "interviewers": list(talk.interviewers.all()),
            "form": form,
            "can_sign": editable,
            "closed_note": _closed_note(request, inspection, RECORDING_STAGES),
        },
    )


@require_safe
def talk_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _talk_page(request, get_talk_for(request.user, pk))


@require_POST
def talk_update(request: SignedInRequest, pk: int) -> HttpResponse:
    talk = get_talk_for(request.user, pk, write=True)
    form = TalkEditForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        actions.talk_update(actor=request.user, talk=talk, **data)

    if _try(form, write):
        messages.success(request, _("谈话记录已保存。"))
        return redirect("talk_detail", pk=talk.pk)
    return _talk_page(request, talk, form)


@require_POST
def talk_sign_off(request: SignedInRequest, pk: int) -> HttpResponse:
    talk = get_talk_for(request.user, pk, write=True)
    try:
        actions.talk_sign_off(actor=request.user, talk=talk)
    except ValidationError as e:
        _refused(request, e)
    else:
        messages.success(request, _("谈话记录已签认，此后不能再修改。"))
    return redirect("talk_detail", pk=talk.pk)


# --- petitions --------------------------------------------------------------------------------


def _petitions_page(
    request: SignedInRequest, inspection: Inspection, form: PetitionForm | None = None
) -> HttpResponse:
    if form is None and _writable(request, inspection, PETITION_STAGES):
        form = PetitionForm()
    filter_form = ListFilterForm(
        request.GET, statuses=PetitionRouting.choices, dates=gettext_lazy("收到日期")
    )
    exporting = wants_export(request.GET) and request.method != "POST"
    if (text := filter_form.message()) and not exporting:
        messages.warning(request, text)
    filters = filter_form.filters()
    petitions = petitions_filtered(inspection, filters)
    if exporting:
        return list_export(
            request,
            name=_("信访件-%(unit)s.xlsx") % {"unit": inspection.target.name},
            title=_("信访件"),
            head=_petition_head(),
            rows=(_petition_row(p) for p in petitions),
            object_type="inspections.petition",
            filters={"inspection": inspection.pk, **filters.as_dict()},
        )
    page = list_page(petitions, request.GET.get("page"))
    return _page(
        request,
        inspection,
        "petitions",
        "petition_list.html",
        {
            "petitions": page.object_list,
            "page": page,
            "filters": filter_form,
            "query": filter_form.query(),
            "form": form,
            "closed_note": _closed_note(request, inspection, PETITION_STAGES),
        },
    )


def _petition_head() -> list[str]:
    return [
        _("序号"),
        _("收到日期"),
        _("来源渠道"),
        _("实名/匿名"),
        _("被反映人"),
        _("处理方式"),
        _("答复"),
        _("反映内容"),
    ]


def _petition_row(p: Petition) -> list[Any]:
    if p.replied_on:
        reply: Any = p.replied_on
    else:
        reply = _("未答复") if p.real_name else "—"
    return [
        _("第%(n)s号") % {"n": p.seq},
        p.received_on,
        p.get_channel_display(),
        _("实名") if p.real_name else _("匿名"),
        p.reported_persons or "—",
        p.get_routing_display(),
        reply,
        p.content,
    ]


@require_safe
def petition_list(request: SignedInRequest, pk: int) -> HttpResponse:
    return _petitions_page(request, get_onsite_inspection_for(request.user, pk))


@require_POST
def petition_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk, write=True)
    form = PetitionForm(request.POST)
    created: list[Petition] = []

    def write(data: dict[str, Any]) -> None:
        created.append(actions.petition_create(actor=request.user, inspection=inspection, **data))

    if _try(form, write):
        messages.success(request, _("已登记第%(seq)s号信访件。") % {"seq": created[0].seq})
        return redirect("petition_list", pk=inspection.pk)
    return _petitions_page(request, inspection, form)


def _petition_page(
    request: SignedInRequest,
    petition: Petition,
    route_form: PetitionRouteForm | None = None,
    reply_form: PetitionReplyForm | None = None,
) -> HttpResponse:
    inspection = petition.inspection
    if _writable(request, inspection, PETITION_STAGES):
        if route_form is None:
            initial: dict[str, Any] = {
                "forwarded_to": petition.forwarded_to,
                "forwarded_on": petition.forwarded_on,
                "routing_note": petition.routing_note,
            }
            if petition.in_scope is not None:
                initial["in_scope"] = "yes" if petition.in_scope else "no"
            if petition.routing != "pending":
                initial["routing"] = petition.routing
            route_form = PetitionRouteForm(initial=initial)
        # intake: a portal report is answered through its receipt, even when anonymous.
        if reply_form is None and (petition.real_name or petition.portal_ref):
            reply_form = PetitionReplyForm(
                initial={"reply": petition.reply} if petition.reply else None
            )
    return _page(
        request,
        inspection,
        "petitions",
        "petition_detail.html",
        {
            "petition": petition,
            "route_form": route_form,
            "reply_form": reply_form,
            "closed_note": _closed_note(request, inspection, PETITION_STAGES),
        },
    )


@require_safe
def petition_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _petition_page(request, get_petition_for(request.user, pk))


@require_POST
def petition_route(request: SignedInRequest, pk: int) -> HttpResponse:
    petition = get_petition_for(request.user, pk, write=True)
    form = PetitionRouteForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        actions.petition_route(actor=request.user, petition=petition, **data)

    if _try(form, write):
        messages.success(
            request,
            _("第%(seq)s号信访件已处理：%(how)s。")
            % {"seq": petition.seq, "how": petition.get_routing_display()},
        )
        return redirect("petition_detail", pk=petition.pk)
    return _petition_page(request, petition, route_form=form)


@require_POST
def petition_reply(request: SignedInRequest, pk: int) -> HttpResponse:
    petition = get_petition_for(request.user, pk, write=True)
    form = PetitionReplyForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        actions.petition_reply(actor=request.user, petition=petition, **data)

    if _try(form, write):
        messages.success(request, _("已登记对第%(seq)s号信访件的答复。") % {"seq": petition.seq})
        return redirect("petition_detail", pk=petition.pk)
    return _petition_page(request, petition, reply_form=form)


# --- document requests ------------------------------------------------------------------------


def _row_id(prefix: str, pk: int) -> str:
    # One form per row: distinct element ids, the same field names.
    return f"{prefix}{pk}_%s"


def _docrequests_page(
    request: SignedInRequest,
    inspection: Inspection,
    form: DocRequestForm | None = None,
    failed: tuple[int, forms.Form] | None = None,
) -> HttpResponse:
    writable = _writable(request, inspection, RECORDING_STAGES)
    if form is None and writable:
        form = DocRequestForm()
    rows = []
    cadres = team_cadres(inspection) if writable else []
    for req in _docrequests(inspection):
        row_form: forms.Form | None = None
        if failed and failed[0] == req.pk:
            row_form = failed[1]
        elif writable and req.handed_over_on is None:
            row_form = HandoverForm(
                inspection=inspection, cadres=cadres, auto_id=_row_id("h", req.pk)
            )
        elif writable and req.returned_on is None:
            row_form = ReturnForm(auto_id=_row_id("r", req.pk))
        rows.append({"req": req, "documents": req.documents.splitlines(), "form": row_form})
    return _page(
        request,
        inspection,
        "documents",
        "docrequest_list.html",
        {
            "rows": rows,
            "form": form,
            "closed_note": _closed_note(request, inspection, RECORDING_STAGES),
        },
    )


@require_safe
def docrequest_list(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk)
    if wants_export(request.GET):
        return list_export(
            request,
            name=_("调阅资料-%(unit)s.xlsx") % {"unit": inspection.target.name},
            title=_("调阅资料"),
            head=[
                _("序号"),
                _("调阅资料清单"),
                _("提供部门"),
                _("调阅日期"),
                _("移交"),
                _("归还日期"),
            ],
            rows=(_docrequest_row(r) for r in _docrequests(inspection)),
            object_type="inspections.documentrequest",
            filters={"inspection": inspection.pk},
        )
    return _docrequests_page(request, inspection)


def _docrequests(inspection: Inspection) -> Any:
    return inspection.document_requests.select_related("received_by")


def _docrequest_row(req: DocumentRequest) -> list[Any]:
    if req.handed_over_on:
        to = req.received_by.name if req.received_by else ""
        handover = f"{req.handed_over_on:%Y-%m-%d} {req.handed_over_by} → {to}"
    else:
        handover = _("未移交")
    return [
        _("第%(n)s号") % {"n": req.seq},
        "\n".join(req.documents.splitlines()),
        req.provider,
        req.requested_on,
        handover,
        req.returned_on or "—",
    ]


@require_POST
def docrequest_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk, write=True)
    form = DocRequestForm(request.POST)
    created: list[DocumentRequest] = []

    def write(data: dict[str, Any]) -> None:
        created.append(actions.docrequest_create(actor=request.user, inspection=inspection, **data))

    if _try(form, write):
        messages.success(request, _("已登记第%(seq)s号调阅。") % {"seq": created[0].seq})
        return redirect("docrequest_list", pk=inspection.pk)
    return _docrequests_page(request, inspection, form=form)


@require_POST
def docrequest_handover(request: SignedInRequest, pk: int) -> HttpResponse:
    req = get_docrequest_for(request.user, pk, write=True)
    inspection = req.inspection
    form = HandoverForm(request.POST, inspection=inspection, auto_id=_row_id("h", req.pk))

    def write(data: dict[str, Any]) -> None:
        actions.docrequest_handover(actor=request.user, request=req, **data)

    if _try(form, write):
        messages.success(request, _("第%(seq)s号调阅资料已移交。") % {"seq": req.seq})
        return redirect("docrequest_list", pk=inspection.pk)
    return _docrequests_page(request, inspection, failed=(req.pk, form))


@require_POST
def docrequest_return(request: SignedInRequest, pk: int) -> HttpResponse:
    req = get_docrequest_for(request.user, pk, write=True)
    inspection = req.inspection
    form = ReturnForm(request.POST, auto_id=_row_id("r", req.pk))

    def write(data: dict[str, Any]) -> None:
        actions.docrequest_return(actor=request.user, request=req, **data)

    if _try(form, write):
        messages.success(request, _("第%(seq)s号调阅资料已归还。") % {"seq": req.seq})
        return redirect("docrequest_list", pk=inspection.pk)
    return _docrequests_page(request, inspection, failed=(req.pk, form))


@require_safe
def docrequest_slip(request: SignedInRequest, pk: int) -> HttpResponse:
    req = get_docrequest_for(request.user, pk)
    content, filename = onsite_slip.docrequest_slip(actor=request.user, request=req)
    return download_response(content, name=filename, content_type=onsite_slip.DOCX_CONTENT_TYPE)


# --- immediate fixes --------------------------------------------------------------------------


def _fixes_page(
    request: SignedInRequest,
    inspection: Inspection,
    form: FixForm | None = None,
    failed: tuple[int, FixDoneForm] | None = None,
) -> HttpResponse:
    writable = _writable(request, inspection, RECORDING_STAGES)
    if form is None and writable:
        form = FixForm()
    rows = []
    fix: ImmediateFix
    for fix in inspection.immediate_fixes.all():
        row_form = None
        if failed and failed[0] == fix.pk:
            row_form = failed[1]
        elif writable and fix.done_on is None:
            row_form = FixDoneForm(auto_id=_row_id("d", fix.pk))
        rows.append({"fix": fix, "form": row_form})
    return _page(
        request,
        inspection,
        "fixes",
        "fix_list.html",
        {
            "rows": rows,
            "form": form,
            "closed_note": _closed_note(request, inspection, RECORDING_STAGES),
        },
    )


@require_safe
def fix_list(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk)
    if wants_export(request.GET):
        return list_export(
            request,
            name=_("立行立改-%(unit)s.xlsx") % {"unit": inspection.target.name},
            title=_("立行立改"),
            head=[_("问题"), _("整改措施"), _("责任部门"), _("完成日期")],
            rows=(
                [f.issue, f.measure, f.responsible_unit, f.done_on or _("整改中")]
                for f in inspection.immediate_fixes.all()
            ),
            object_type="inspections.immediatefix",
            filters={"inspection": inspection.pk},
        )
    return _fixes_page(request, inspection)


@require_POST
def fix_create(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_onsite_inspection_for(request.user, pk, write=True)
    form = FixForm(request.POST)

    def write(data: dict[str, Any]) -> None:
        actions.fix_create(actor=request.user, inspection=inspection, **data)

    if _try(form, write):
        messages.success(request, _("已登记立行立改事项。"))
        return redirect("fix_list", pk=inspection.pk)
    return _fixes_page(request, inspection, form=form)


@require_POST
def fix_done(request: SignedInRequest, pk: int) -> HttpResponse:
    fix = get_fix_for(request.user, pk, write=True)
    form = FixDoneForm(request.POST, auto_id=_row_id("d", fix.pk))

    def write(data: dict[str, Any]) -> None:
        actions.fix_done(actor=request.user, fix=fix, **data)

    if _try(form, write):
        messages.success(request, _("立行立改事项已登记完成。"))
        return redirect("fix_list", pk=fix.inspection.pk)
    return _fixes_page(request, fix.inspection, failed=(fix.pk, form))

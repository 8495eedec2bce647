"""The inspection's own page (概况): where it stands, what is due, and the stage buttons.

The office, the leading group and the team's cadres see it; the liaison of the inspected
organization works from the ledger page instead, which shows the same stage buttons (only
those a liaison may press). A stage change posted from either page returns to it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import Role, User
from xunshi.decisions.access import require_record
from xunshi.decisions.forms import DecisionForm
from xunshi.decisions.models import DecisionKind
from xunshi.lib.form_errors import error_text
from xunshi.rectification.access import get_ledger_inspection_for
from xunshi.rounds.access import get_inspection_for
from xunshi.rounds.models import STAGE_LINE, Inspection, Stage, TeamRole
from xunshi.rounds.tabs import inspection_context

from .actions import available, decision_missing, inspection_decide, inspection_transition
from .forms import StageForm

_ROLE_ORDER = {role: i for i, role in enumerate(TeamRole.values)}

# The moves that stop the work: each asks for a confirmation, in the page (a folded box with
# the reason and a 确认 button) and on the server (a post without `confirm` gets a page that
# asks), and says what it does.
DESTRUCTIVE: dict[str, Promise] = {
    Stage.SUSPENDED: _("暂停后，巡视组不能再登记谈话、材料和底稿，直至巡视办恢复。"),
    Stage.CANCELLED: _("取消后，该巡视即告终止，不能恢复。"),
}


def transition_context(user: User, inspection: Inspection, back: str) -> dict[str, Any]:
    """The stage buttons partial's context: what the user may press, with its blockers, in
    the words of the inspection's body (授权巡察组 below the province); the moves that stop
    the work apart, each with its warning."""
    words = inspection.round.body.own_words
    rows = [
        {
            "target": t.target,
            "label": words(t.label),
            "reason": t.needs_reason,
            "blockers": [words(x) for x in b],
            "warning": words(str(DESTRUCTIVE[t.target])) if t.target in DESTRUCTIVE else "",
            # A stage the leading group's meeting decides: the button records it.
            "decision": (
                DecisionForm(committee=t.decision == DecisionKind.COMMITTEE) if t.decision else None
            ),
            "needs": [words(x) for x in decision_missing(t, inspection)],
        }
        for t, b in available(user, inspection)
    ]
    return {
        "transitions": [r for r in rows if not r["warning"]],
        "destructive": [r for r in rows if r["warning"]],
        "office": user.role == Role.OFFICE,
        "back": back,
    }


def _stage_line(inspection: Inspection) -> list[dict[str, Any]]:
    here = inspection.stage
    order = [str(s) for s in STAGE_LINE]
    idx = order.index(here) if here in order else -1
    words = inspection.round.body.own_words
    return [
        {
            "label": words(str(Stage(s).label)),
            "state": "current" if s == here else ("done" if i < idx else ""),
        }
        for i, s in enumerate(STAGE_LINE)
    ]


@require_safe
def workspace(request: SignedInRequest, pk: int) -> HttpResponse:
    inspection = get_inspection_for(request.user, pk)
    return render(
        request,
        "lifecycle/workspace.html",
        {
            **inspection_context(request.user, inspection, "overview"),
            **transition_context(request.user, inspection, request.path),
            "stages": _stage_line(inspection),
            "changes": inspection.stage_changes.select_related("actor"),
            "dues": inspection.dues.all(),
            "members": sorted(
                inspection.team.memberships.select_related("cadre"),
                key=lambda m: (_ROLE_ORDER.get(m.role, 99), m.pk),
            ),
            "parent": inspection.parent,
            "decisions": inspection.decisions.select_related("recorded_by", "minutes"),
            "reads_minutes": request.user.role in (Role.OFFICE, Role.LEADING_GROUP),
        },
    )


def _confirm_page(
    request: SignedInRequest, inspection: Inspection, data: dict[str, Any], back: str
) -> HttpResponse:
    """The question a destructive move asks before anything is written."""
    words = inspection.round.body.own_words
    target = data["to"]
    return render(
        request,
        "lifecycle/stage_confirm.html",
        {
            **inspection_context(request.user, inspection, "overview"),
            "target": target,
            "label": words(str(Stage(target).label)),
            "warning": words(str(DESTRUCTIVE[target])),
            "reason": data["reason"],
            "back": back,
        },
    )


@require_POST
def stage_change(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST to=<stage>, reason, on: the transition; back to the page it came from."""
    user: User = request.user
    require(user, "stage.change")
    if user.role == Role.LIAISON:
        inspection = get_ledger_inspection_for(user, pk)
    else:
        inspection = get_inspection_for(user, pk)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
    elif form.cleaned_data["to"] in DESTRUCTIVE and request.POST.get("confirm") != "1":
        return _confirm_page(request, inspection, form.cleaned_data, back)
    else:
        try:
            inspection_transition(
                actor=user,
                inspection=inspection,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as e:
            messages.error(request, "".join(e.messages))
        else:
            inspection.refresh_from_db()
            stage = inspection.round.body.own_words(str(inspection.get_stage_display()))
            messages.success(request, f"已转入“{stage}”阶段。")
    if back:
        return redirect(back)
    return redirect("inspection_workspace", pk=inspection.pk)


@require_POST
def stage_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST to=<stage> with the meeting (and, from the office, its minutes): the leading
    group's record and the stage it decides, back to the inspection's page."""
    user: User = request.user
    require(user, "stage.change")
    require_record(user)  # the leading group, or the office with the minutes
    inspection = get_inspection_for(user, pk)
    to = request.POST.get("to", "")
    form = DecisionForm(request.POST, request.FILES, committee=to == Stage.COMMITTEE_DECIDED.value)
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        data = form.cleaned_data
        try:
            inspection_decide(
                actor=user,
                inspection=inspection,
                to=to,
                meeting_number=data["meeting_number"],
                held_on=data["held_on"],
                opinion=data["opinion"],
                minutes=data["minutes"],
            )
        except ValidationError as e:
            messages.error(request, "".join(e.messages))
        else:
            inspection.refresh_from_db()
            stage = inspection.round.body.own_words(str(inspection.get_stage_display()))
            messages.success(request, f"已记录会议并转入“{stage}”阶段。")
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("inspection_workspace", pk=inspection.pk)

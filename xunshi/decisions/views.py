"""The leading group's pages: what waits for it, and the approvals it records.

Each POST reads as form → access → action → redirect back to the page the record belongs to
(the year plan, the round, the team), with the action's refusal as a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.accounts.models import User
from xunshi.lib.form_errors import error_text
from xunshi.rounds.access import get_round_for, get_year_plan_for
from xunshi.rounds.models import Round, YearPlan

from .access import decisions_visible_to, get_pledge_membership_for, require_record
from .actions import decision_record, pledge_record_paper
from .forms import DecisionForm, PaperPledgeForm
from .models import DecisionKind
from .queries import waiting_for_group


@require_safe
def group_home(request: SignedInRequest) -> HttpResponse:
    require_record(request.user)
    decisions = decisions_visible_to(request.user).select_related(
        "round", "year_plan", "inspection__target", "recorded_by", "minutes"
    )
    page = Paginator(decisions.order_by("-held_on", "-id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "decisions/group_home.html",
        {"waiting": waiting_for_group(request.user), "page": page, "body": request.user.body},
    )


def _record(request: SignedInRequest, form: DecisionForm, **subject: object) -> None:
    if not form.is_valid():
        messages.error(request, error_text(form))
        return
    data = form.cleaned_data
    try:
        decision = decision_record(
            actor=request.user,
            meeting_number=data["meeting_number"],
            held_on=data["held_on"],
            opinion=data["opinion"],
            minutes=data["minutes"],
            **subject,  # type: ignore[arg-type]
        )
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        said = _("已记录：%(meeting)s%(kind)s。") % {
            "meeting": decision.meeting,
            "kind": decision.get_kind_display(),
        }
        messages.success(request, decision.body.own_words(said))


# What the group approves (the URL's `kind`): how the subject is found for the user, the
# action's keyword for it, and the page to go back to.
_APPROVALS: dict[str, tuple[Callable[[User, int], YearPlan | Round], str, str]] = {
    DecisionKind.YEAR_PLAN: (get_year_plan_for, "year_plan", "year_plan_detail"),
    DecisionKind.ROUND_PLAN: (get_round_for, "round", "round_detail"),
}


@require_POST
def approve(request: SignedInRequest, pk: int, kind: str) -> HttpResponse:
    """The leading group's approval of a year plan or a round's plan (`year_plan_approve`,
    `round_approve`), recorded at its meeting."""
    get_for, keyword, page = _APPROVALS[DecisionKind(kind)]
    subject = get_for(request.user, pk)
    require_record(request.user)
    _record(request, DecisionForm(request.POST, request.FILES), kind=kind, **{keyword: subject})
    return redirect(page, pk=subject.pk)


@require_POST
def pledge_paper(request: SignedInRequest, pk: int) -> HttpResponse:
    membership = get_pledge_membership_for(request.user, pk)
    form = PaperPledgeForm(request.POST, request.FILES, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, error_text(form))
    else:
        try:
            pledge_record_paper(
                actor=request.user,
                membership=membership,
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
            )
        except ValidationError as e:
            messages.error(request, "".join(e.messages))
        else:
            messages.success(
                request, _("已录入%(name)s的纸质承诺。") % {"name": membership.cadre.name}
            )
    return redirect("team_detail", pk=membership.team_id)

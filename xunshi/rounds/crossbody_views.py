"""Pages of the rounds that cross bodies (上下联动): recording the organising body's decision of a
提级巡察 or 交叉巡察 round, linking a round to a 联动 round above, and the higher body's view of
the rounds linked to its own, side by side (counts only: no case data of the lower bodies, no
link into their pages).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.form_errors import error_text

from . import crossbody_actions
from .access import get_round_for, linkable_rounds_for
from .forms import DecisionForm, LinkForm
from .queries import linked_rounds


@require_POST
def round_record_decision(request: SignedInRequest, pk: int) -> HttpResponse:
    rnd = get_round_for(request.user, pk, write=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("round_detail", pk=rnd.pk)
    try:
        crossbody_actions.round_record_decision(actor=request.user, round=rnd, **form.cleaned_data)
    except ValidationError as e:
        messages.error(request, _("未录入决定：") + "".join(e.messages))
    else:
        messages.success(
            request, _("已录入决定%(ref)s。") % {"ref": form.cleaned_data["decision_ref"].strip()}
        )
    return redirect("round_detail", pk=rnd.pk)


@require_POST
def round_link(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST to=<round id>: link the round to that 联动 round; unlink=1: undo the link."""
    rnd = get_round_for(request.user, pk, write=True)
    if request.POST.get("unlink"):
        to = None
    else:
        form = LinkForm(request.POST, rounds=linkable_rounds_for(request.user))
        if not form.is_valid():
            messages.error(request, error_text(form))
            return redirect("round_detail", pk=rnd.pk)
        to = form.cleaned_data["to"]
    try:
        crossbody_actions.round_link(actor=request.user, round=rnd, to=to)
    except ValidationError as e:
        messages.error(request, _("未能联动：") + "".join(e.messages))
    else:
        if to is None:
            messages.success(request, _("已取消联动。"))
        else:
            messages.success(request, _("已与%(round)s联动。") % {"round": to.name})
    return redirect("round_detail", pk=rnd.pk)


@require_safe
def round_linked(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "coverage.view")
    rnd = get_round_for(request.user, pk)
    linked = linked_rounds(rnd)
    return render(
        request,
        "rounds/round_linked.html",
        {"round": rnd, "linked": linked, "lower_count": len(linked.columns) - 1},
    )

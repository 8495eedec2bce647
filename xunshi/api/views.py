"""The token page (接口令牌): the user's own tokens, a new one (its secret shown once, on the
answer to the form and never again) and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xunshi.accounts.actors import SignedInRequest
from xunshi.lib.form_errors import error_text

from .access import get_token_for, require_token_holder, tokens_of
from .actions import token_create, token_revoke
from .forms import TokenForm


@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: SignedInRequest) -> HttpResponse:
    """GET: the user's tokens and the form; POST: a new token, its secret shown on this page."""
    user = request.user
    require_token_holder(user)
    secret = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, secret = token_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as e:
                messages.error(request, "".join(e.messages))
            else:
                form = TokenForm()
        else:
            messages.error(request, error_text(form))
    else:
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(user)[:100], "secret": secret, "now": timezone.now()},
    )


@require_POST
def token_revoke_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """POST: revoke one of the user's own tokens."""
    token = get_token_for(request.user, pk)
    try:
        token_revoke(actor=request.user, token=token)
    except ValidationError as e:
        messages.error(request, "".join(e.messages))
    else:
        messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("api_tokens")

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xunshi.accounts.actors import SignedInRequest

from .forms import SearchForm
from .queries import hits, search_entries, search_page, searchable_kinds

PAGE_SIZE = 20


@require_GET
def search(request: SignedInRequest) -> HttpResponse:
    """全文检索: the records of every kind the user may read that hold the words asked for."""
    user = request.user
    kinds = searchable_kinds(user)
    if not kinds:
        raise PermissionDenied("您没有执行此操作的权限。")
    form = SearchForm(request.GET, kinds=kinds)
    page, results, asked = None, [], False
    if form.is_valid() and form.cleaned_data["q"].strip():
        asked = True
        data = form.cleaned_data
        entries = search_entries(
            user, q=data["q"], kind=data["kind"], start=data["start"], end=data["end"]
        )
        page = search_page(entries, request.GET.get("page"), PAGE_SIZE)
        results = hits(user, list(page.object_list), data["q"])
    query = urlencode(
        {k: request.GET[k] for k in ("q", "kind", "from", "to") if request.GET.get(k)}
    )
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "asked": asked,
            "query": query,
            "search_q": request.GET.get("q", ""),
        },
    )

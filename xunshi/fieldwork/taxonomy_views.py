"""The problem taxonomies: read by whoever classifies or reads problems, kept by the office.

The list shows the taxonomies of the user's body (the shipped ones and the body's own): each
one's current version with its items and, folded, the older versions still referenced by
papers. The office adds its body's own taxonomies and makes new versions, its body's own; a
refused form comes back on the list with its reasons (status 200).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from xunshi.accounts.access import can, require
from xunshi.accounts.actors import SignedInRequest

from . import taxonomy_actions as actions
from .access import require_taxonomy_view
from .forms import TaxonomyForm, TaxonomyVersionForm
from .models import Taxonomy
from .taxonomy_queries import get_taxonomy, taxonomy_versions


def _rows(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    return [{"item": i, "depth": i.code.count(".")} for i in taxonomy.items.all()]


def _page(
    request: SignedInRequest,
    form: TaxonomyForm | None = None,
    failed: tuple[str, TaxonomyVersionForm] | None = None,
) -> HttpResponse:
    manage = can(request.user, "taxonomy.manage")
    groups: list[dict[str, Any]] = []
    for _code, line in groupby(taxonomy_versions(request.user.body_id), key=lambda t: t.code):
        current, *older = rows = list(line)
        version_form = None
        if failed and failed[0] == current.code:
            version_form = failed[1]
        elif manage:
            version_form = TaxonomyVersionForm(
                initial={"name": current.name, "items_text": actions.items_text(current)},
                auto_id=f"v{current.pk}_%s",
            )
        groups.append(
            {
                "current": current,
                "items": _rows(current),
                "older": [{"taxonomy": t, "items": _rows(t)} for t in older],
                "version_form": version_form,
                "shipped": min((t.pk for t in rows if t.body_id is None), default=None),
            }
        )
    # The shipped lines first, in the order they were shipped, then the body's own.
    groups.sort(key=lambda g: (g["shipped"] is None, g["shipped"] or g["current"].pk))
    if form is None and manage:
        form = TaxonomyForm()
    return render(request, "fieldwork/taxonomy_list.html", {"groups": groups, "form": form})


@require_safe
def taxonomy_list(request: SignedInRequest) -> HttpResponse:
    require_taxonomy_view(request.user)
    return _page(request)


@require_POST
def taxonomy_create(request: SignedInRequest) -> HttpResponse:
    require(request.user, "taxonomy.manage")
    form = TaxonomyForm(request.POST)
    if form.is_valid():
        try:
            taxonomy = actions.taxonomy_create(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已新增问题分类“%(name)s”。") % {"name": taxonomy.name})
            return redirect("taxonomy_list")
    return _page(request, form=form)


@require_POST
def taxonomy_new_version(request: SignedInRequest, pk: int) -> HttpResponse:
    require(request.user, "taxonomy.manage")
    taxonomy = get_taxonomy(pk, request.user.body_id)
    form = TaxonomyVersionForm(request.POST, auto_id=f"v{taxonomy.pk}_%s")
    if form.is_valid():
        try:
            new = actions.taxonomy_new_version(
                actor=request.user, taxonomy=taxonomy, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("“%(name)s”第%(version)s版已启用。") % {"name": new.name, "version": new.version},
            )
            return redirect("taxonomy_list")
    return _page(request, failed=(taxonomy.code, form))

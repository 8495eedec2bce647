"""The knowledge base's pages (知识库): regulations with their versions, typical cases, the
定性 dictionary, and the statements suggested to the working-paper form.

Each page reads as form → access → action → render or redirect; a refused form comes back
with its reasons (status 200) and nothing written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from xunshi.accounts.actors import SignedInRequest

from . import actions
from .access import (
    get_case_for,
    get_regulation_for,
    get_statement_for,
    may_keep,
    may_manage,
    may_read_all,
    require_manage,
    require_read,
    require_read_all,
)
from .articles import articles_as_text
from .forms import ArticleImportForm, CaseForm, RegulationForm, StatementForm
from .models import Regulation
from .queries import case_list, regulation_list, statement_list, suggestions, version_of

_GET_POST = require_http_methods(["GET", "POST"])


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_safe
def knowledge_home(request: SignedInRequest) -> HttpResponse:
    require_read(request.user)
    q = request.GET.get("q", "")
    page = regulation_list(request.user, q=q, page=request.GET.get("page"))
    return render(
        request,
        "knowledge/home.html",
        {
            "page": page,
            "q": q,
            "read_all": may_read_all(request.user),
            "manage": may_manage(request.user),
        },
    )


@require_safe
def regulation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request.user, pk)
    version = version_of(regulation, _int(request.GET.get("version")))
    keep = may_keep(request.user, regulation.body_id)
    return _detail(request, regulation, version=version, keep=keep)


def _detail(
    request: SignedInRequest,
    regulation: Regulation,
    *,
    version: Any = None,
    keep: bool = False,
    import_form: ArticleImportForm | None = None,
) -> HttpResponse:
    version = version or version_of(regulation, None)
    if keep and import_form is None:
        import_form = ArticleImportForm()
    return render(
        request,
        "knowledge/regulation_detail.html",
        {
            "regulation": regulation,
            "version": version,
            "versions": regulation.versions.order_by("-number"),
            "keep": keep,
            "import_form": import_form,
        },
    )


@_GET_POST
def regulation_create(request: SignedInRequest) -> HttpResponse:
    require_manage(request.user)
    offer = may_keep(request.user, None)
    form = RegulationForm(request.POST or None, offer_shared=offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            regulation = actions.regulation_create(
                actor=request.user,
                body=None if data.get("shared") else request.user.body,
                facts=_facts(data),
                articles=data["articles_text"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已新增法规制度。"))
            return redirect("regulation_detail", regulation.pk)
    return render(request, "knowledge/regulation_form.html", {"form": form, "regulation": None})


def _facts(data: dict[str, Any]) -> actions.RegulationFacts:
    return actions.RegulationFacts(
        title=data["title"],
        issuer=data["issuer"],
        issued_on=data["issued_on"],
        source=data["source"],
        status=data["status"],
        note=data["note"],
    )


@_GET_POST
def regulation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request.user, pk, write=True)
    current = version_of(regulation, None)
    initial = {
        "title": current.title,
        "issuer": current.issuer,
        "issued_on": current.issued_on,
        "source": current.source,
        "status": current.status,
        "note": current.note,
        "articles_text": articles_as_text(current.articles.all()),
    }
    form = RegulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.regulation_revise(
                actor=request.user,
                regulation=regulation,
                facts=_facts(form.cleaned_data),
                articles=form.cleaned_data["articles_text"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("已保存为第%(n)s版，旧版本仍可查阅。") % {"n": version.number}
            )
            return redirect("regulation_detail", regulation.pk)
    return render(
        request, "knowledge/regulation_form.html", {"form": form, "regulation": regulation}
    )


@require_POST
def regulation_import(request: SignedInRequest, pk: int) -> HttpResponse:
    regulation = get_regulation_for(request.user, pk, write=True)
    form = ArticleImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = actions.regulation_import(
                actor=request.user, regulation=regulation, upload=form.cleaned_data["file"]
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("已导入%(count)s条条文，形成第%(n)s版。")
                % {"count": version.articles.count(), "n": version.number},
            )
            return redirect("regulation_detail", regulation.pk)
    return _detail(request, regulation, keep=True, import_form=form)


@require_safe
def case_list_page(request: SignedInRequest) -> HttpResponse:
    require_read_all(request.user)
    q = request.GET.get("q", "")
    page = case_list(request.user, q=q, page=request.GET.get("page"))
    return render(
        request,
        "knowledge/case_list.html",
        {"page": page, "q": q, "manage": may_manage(request.user)},
    )


@require_safe
def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    return render(
        request,
        "knowledge/case_detail.html",
        {
            "case": case,
            "articles": case.articles.select_related("version"),
            "items": case.items.select_related("taxonomy"),
            "keep": may_keep(request.user, case.body_id),
        },
    )


@_GET_POST
def case_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True) if pk else None
    require_manage(request.user)
    initial = {}
    if case is not None:
        initial = {
            "title": case.title,
            "facts": case.facts,
            "qualification": case.qualification,
            "handling": case.handling,
            "articles": list(case.articles.all()),
            "items": list(case.items.all()),
            "fictional": case.fictional,
        }
    form = CaseForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.case_save(
                actor=request.user,
                body=request.user.body,
                case=case,
                title=data["title"],
                facts=data["facts"],
                qualification=data["qualification"],
                handling=data["handling"],
                articles=list(data["articles"]),
                items=list(data["items"]),
                fictional=data["fictional"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存典型案例。"))
            return redirect("case_detail", case.pk)
    return render(request, "knowledge/case_form.html", {"form": form, "case": case})


@require_safe
def statement_list_page(request: SignedInRequest) -> HttpResponse:
    require_read_all(request.user)
    q = request.GET.get("q", "")
    page = statement_list(
        request.user, item=_int(request.GET.get("item")), q=q, page=request.GET.get("page")
    )
    return render(
        request,
        "knowledge/statement_list.html",
        {"page": page, "q": q, "manage": may_manage(request.user), "user": request.user},
    )


@_GET_POST
def statement_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    statement = get_statement_for(request.user, pk, write=True) if pk else None
    require_manage(request.user)
    initial: dict[str, Any] = {}
    if statement is not None:
        initial = {
            "item": statement.item,
            "text": statement.text,
            "articles": list(statement.articles.all()),
            "fictional": statement.fictional,
        }
    form = StatementForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.statement_save(
                actor=request.user,
                body=request.user.body,
                statement=statement,
                item=data["item"],
                text=data["text"],
                articles=list(data["articles"]),
                fictional=data["fictional"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("已保存定性表述。"))
            return redirect("statement_list")
    return render(request, "knowledge/statement_form.html", {"form": form, "statement": statement})


@require_POST
def statement_suggest(request: SignedInRequest) -> HttpResponse:
    """The statements for the working-paper form's 定性依据 box (htmx): the item chosen
    (`category`) and the words typed (`qualification`), posted: they are case text, kept
    out of URLs and logs."""
    require_read_all(request.user)
    found = suggestions(
        request.user,
        item_id=_int(request.POST.get("category")),
        typed=request.POST.get("qualification", ""),
    )
    return render(request, "knowledge/_suggestions.html", {"statements": found})

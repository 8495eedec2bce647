"""The term page: the coverage forecast for the rest of the term (office and leading group)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.registry.access import terms_visible_to
from xunshi.registry.models import Term

from .forecast import (
    ForecastParams,
    ForecastRound,
    forecast_key,
    forecast_term,
    stored_forecast,
)
from .forecast_actions import forecast_keep
from .forms import ForecastForm
from .list_filters import list_page
from .queries import term_scope

PARAMS = ("rounds_per_year", "capacity", "max_sectors", "year_minimum")


@require_safe
def coverage_forecast(request: SignedInRequest) -> HttpResponse:
    require(request.user, "coverage.view")
    data = request.GET if "capacity" in request.GET else None
    terms = terms_visible_to(request.user)
    form = ForecastForm(data, initial={"term": request.GET.get("term")}, terms=terms)
    context: dict[str, object] = {"form": form}
    if data is not None and not form.is_valid():
        return render(request, "rounds/coverage_forecast.html", context)
    cleaned = form.cleaned_data if data is not None else {}
    term = cleaned.get("term") or terms.first()
    if "term" in request.GET and request.GET["term"] and term is None:
        raise Http404("没有找到该届次。")
    if term is None:
        return render(request, "rounds/coverage_forecast.html", context)
    try:
        params = ForecastParams(
            rounds_per_year=cleaned.get("rounds_per_year") or 2,
            capacity=cleaned.get("capacity") or 39,
            max_sectors_per_round=cleaned.get("max_sectors"),
            year_minimum=cleaned.get("year_minimum") or 0,
        )
    except ValidationError as e:
        form.add_error(None, e)
        return render(request, "rounds/coverage_forecast.html", context)
    if data is None:
        form = ForecastForm(
            initial={"term": term.pk, "rounds_per_year": 2, "capacity": 39}, terms=terms
        )
        context["form"] = form
    today = timezone.localdate()
    key = forecast_key(term, params, today)
    stored = stored_forecast(key)
    if stored is None:
        forecast = forecast_term(term, params, today=today)
        solved_at = forecast_keep(term=term, key=key, forecast=forecast)
    else:
        forecast, solved_at = stored
    context |= {
        "solved_at": solved_at,
        "term": term,
        "forecast": forecast,
        "chart": forecast.chart(),
        "placed": sum(len(r.orgs) for r in forecast.rounds),
        "summary": [(r, r.by_sector(forecast.sectors)) for r in forecast.rounds],
        "overflow_counts": ForecastRound("", "", 0, forecast.overflow).by_sector(forecast.sectors),
        "query": _query(request.GET, term.pk),
    }
    if picked := forecast.round_of(request.GET.get("round", "")):
        context |= _picked(request, term, picked)
    return render(request, "rounds/coverage_forecast.html", context)


def _query(data: QueryDict, term_id: int) -> str:
    """The forecast's parameters, for the links into a round and between its pages."""
    params = {k: v for k, v in data.items() if k in PARAMS and v}
    return urlencode({"term": term_id, **params})


def _picked(request: SignedInRequest, term: Term, picked: ForecastRound) -> dict[str, Any]:
    """One round's organizations, a page at a time, riskiest first (the drill-down)."""
    page = list_page(picked.orgs, request.GET.get("page"))
    codes = [t.id for t in page.object_list]
    orgs = {o.code: o for o in term_scope(term).filter(code__in=codes)}
    return {
        "picked": picked,
        "picked_page": page,
        "picked_rows": [(orgs.get(t.id), t) for t in page.object_list],
        "picked_query": f"{_query(request.GET, term.pk)}&{urlencode({'round': picked.id})}",
    }

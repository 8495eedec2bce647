"""The term page: the coverage forecast for the rest of the term (office and leading group)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from xunshi.accounts.access import require
from xunshi.accounts.actors import SignedInRequest
from xunshi.registry.queries import latest_term, terms

from .forecast import ForecastParams, forecast_term


class ForecastForm(forms.Form):
    term = forms.ModelChoiceField(terms(), label=_("届次"), required=False)
    rounds_per_year = forms.IntegerField(label=_("每年轮次"), min_value=1, max_value=6, initial=2)
    capacity = forms.IntegerField(label=_("每轮对象数"), min_value=1, max_value=5000, initial=39)
    max_sectors = forms.IntegerField(
        label=_("每轮最多板块数"),
        min_value=1,
        required=False,
        help_text=_("留空为板块混动；1为板块轮动。"),
    )
    year_minimum = forms.IntegerField(
        label=_("每年最少巡视对象数"), min_value=0, initial=0, required=False
    )


@require_safe
def coverage_forecast(request: SignedInRequest) -> HttpResponse:
    require(request.user, "coverage.view")
    data = request.GET if "capacity" in request.GET else None
    form = ForecastForm(data, initial={"term": request.GET.get("term")})
    context: dict[str, object] = {"form": form}
    if data is not None and not form.is_valid():
        return render(request, "rounds/coverage_forecast.html", context)
    cleaned = form.cleaned_data if data is not None else {}
    term = cleaned.get("term") or latest_term()
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
        form = ForecastForm(initial={"term": term.pk, "rounds_per_year": 2, "capacity": 39})
        context["form"] = form
    forecast = forecast_term(term, params)
    context |= {
        "term": term,
        "forecast": forecast,
        "chart": forecast.chart(),
        "placed": sum(len(r.orgs) for r in forecast.rounds),
    }
    return render(request, "rounds/coverage_forecast.html", context)

"""The dashboards page and the Excel download of each chart's table.

form → access (the scope of the user's own body) → queries (one table per chart) → render;
the download writes the same table through `table_download`, which records it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from xunshi.accounts.actors import SignedInRequest
from xunshi.audit.downloads import table_download
from xunshi.lib.sheets import Table

from .access import Scope, dashboard_rounds, dashboard_scope, dashboard_years
from .charts import chart_height, chart_option
from .forms import DashboardFilterForm
from .queries import counted_figures, figures_of


def _filtered(request: SignedInRequest) -> tuple[DashboardFilterForm, Scope, dict[str, Any]]:
    """The filter form, the scope it chooses and the filters as a query string takes them
    (403 for a role without the dashboards, 404 for a round or year outside the user's)."""
    rounds = dashboard_rounds(request.user)
    form = DashboardFilterForm(
        request.GET or None, rounds=rounds, years=dashboard_years(request.user)
    )
    if form.is_bound and not form.is_valid():
        raise Http404("没有找到该轮次或年度。")
    data = form.cleaned_data if form.is_bound else {}
    chosen = {"round": data.get("round"), "year": data.get("year")}
    scope = dashboard_scope(request.user, today=timezone.localdate(), **chosen)
    filters = {k: v.pk if k == "round" else v for k, v in chosen.items() if v is not None}
    return form, scope, filters


@require_safe
def home(request: SignedInRequest) -> HttpResponse:
    form, scope, filters = _filtered(request)
    user = request.user
    counted = counted_figures(scope, reader=f"{user.body_id}:{user.role}")
    panels = []
    for fig in counted.figures:
        panels.append(
            {
                "fig": fig,
                "option": chart_option(fig),
                "id": f"chart-{fig.key}",
                "option_id": f"chart-{fig.key}-option",
                "height": chart_height(fig),
            }
        )
    return render(
        request,
        "dashboards/home.html",
        {
            "form": form,
            "scope": scope,
            "panels": panels,
            "query": urlencode(filters),
            "counted_at": counted.at,
            "cache_minutes": settings.XUNSHI_DASHBOARD_CACHE_SECONDS // 60,
        },
    )


@require_safe
def export(request: SignedInRequest, key: str) -> HttpResponse:
    _form, scope, filters = _filtered(request)
    fig = figures_of(key, scope)
    if fig is None:
        raise Http404("没有该统计图表。")
    return table_download(
        actor=request.user,
        name=f"{fig.title}.xlsx",
        tables=[Table(fig.title, fig.head, fig.rows)],
        object_type="dashboards.figures",
        filters={"chart": key, **filters},
    )

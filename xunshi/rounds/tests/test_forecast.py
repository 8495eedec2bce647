from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from xunshi.rounds.forecast import ForecastParams, forecast_term

TODAY = dt.date(2026, 11, 27)


def test_it_puts_every_uncovered_org_into_the_remaining_rounds(world):
    forecast = forecast_term(world.term, ForecastParams(capacity=39), today=TODAY)
    # The round of the world has inspections (planned), so only new rounds remain:
    # 2026's slots have begun, 2027 has two.
    assert [r.year for r in forecast.rounds] == [2027, 2027]
    placed = [o.id for r in forecast.rounds for o in r.orgs]
    assert sorted(placed) == ["410200", "410225", "411523", "D014", "U001"]
    assert forecast.overflow == []
    assert forecast.plan.status == "optimal"


def test_it_names_what_cannot_fit_and_puts_the_riskiest_first(world):
    forecast = forecast_term(world.term, ForecastParams(capacity=1), today=TODAY)
    first = forecast.rounds[0].orgs
    # Never inspected, and a poverty county: 兰考县 and 新县 have the highest risk.
    assert first[0].id in {"410225", "411523"}
    assert len(forecast.overflow) == 3
    assert forecast.plan.status == "optimal"


def test_it_keeps_one_sector_a_round_when_sectors_rotate(world):
    forecast = forecast_term(
        world.term, ForecastParams(capacity=39, max_sectors_per_round=1), today=TODAY
    )
    for r in forecast.rounds:
        assert len({o.sector for o in r.orgs}) <= 1
    # Two rounds, four sectors: two sectors wait beyond the term.
    assert {o.sector for o in forecast.overflow} and len(forecast.overflow) >= 2


def test_it_refuses_bad_parameters_in_chinese():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="每轮对象数"):
        ForecastParams(capacity=0)


def test_it_shows_the_forecast_page_with_its_chart(world, login):
    response = login(world.users["gina"]).get(
        reverse("coverage_forecast"), {"term": world.term.pk, "capacity": 2, "rounds_per_year": 2}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="forecast-option"' in html and "本届排不下的单位" in html


def test_it_reports_a_bad_parameter_on_the_page(world, login):
    response = login(world.users["alice"]).get(
        reverse("coverage_forecast"), {"capacity": 0, "rounds_per_year": 2}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_it_keeps_the_forecast_from_team_cadres(world, login):
    assert login(world.users["bob"]).get(reverse("coverage_forecast")).status_code == 403


def test_it_lists_a_rounds_organizations_riskiest_first_with_the_parameters_kept(world, login):
    params = {"term": world.term.pk, "capacity": 2, "rounds_per_year": 2}
    client = login(world.users["alice"])
    summary = client.get(reverse("coverage_forecast"), params).content.decode()
    # The summary links into each round and into what does not fit, keeping the parameters.
    assert "capacity=2" in summary and "round=overflow" in summary
    assert 'class="forecast-orgs"' not in summary  # no list until a round is picked
    # What does not fit is counted by sector too, its sector a column though no round has it.
    assert "<th>高校</th>" in summary
    html = client.get(reverse("coverage_forecast"), {**params, "round": "overflow"}).content
    page = html.decode()
    assert 'class="forecast-orgs"' in page
    # Four fit into two rounds of two; the fifth is named with a link to it.
    rows = page.split('class="forecast-orgs"')[1].split("</table>")[0]
    assert rows.count("/registry/orgs/") == 1 and "郑州大学" in rows


def test_it_keeps_the_solved_forecast_until_its_inputs_change(world, login):
    from xunshi.accounts.actors import SYSTEM
    from xunshi.registry import actions as reg
    from xunshi.rounds.models import ForecastResult

    params = {"term": world.term.pk, "capacity": 39, "rounds_per_year": 2}
    client = login(world.users["gina"])
    first = client.get(reverse("coverage_forecast"), params).content.decode()
    assert "求解于" in first and ForecastResult.objects.count() == 1
    # The same inputs: the kept forecast, solved once.
    again = client.get(reverse("coverage_forecast"), params).content.decode()
    assert ForecastResult.objects.count() == 1
    assert _placed(again) == _placed(first) == "5"
    # A new organization in scope changes the inputs: solved again, and it is placed.
    reg.org_upsert(actor=SYSTEM, body=world.body, data=reg.OrgInput("D099", "新设厅", "department"))
    after = client.get(reverse("coverage_forecast"), params).content.decode()
    assert ForecastResult.objects.count() == 2
    assert _placed(after) == "6"
    # Other parameters are another forecast.
    client.get(reverse("coverage_forecast"), {**params, "capacity": 1})
    assert ForecastResult.objects.count() == 3


def _placed(html: str) -> str:
    found = re.search(r"剩余轮次可安排 <strong>(\d+)</strong>", html)
    assert found, "the forecast's summary is not on the page"
    return found.group(1)


def test_a_kept_forecast_lists_the_same_organizations_as_the_one_just_solved(world, login):
    from xunshi.rounds.models import ForecastResult

    params = {"term": world.term.pk, "capacity": 2, "rounds_per_year": 2}
    client = login(world.users["alice"])
    summary = client.get(reverse("coverage_forecast"), params).content.decode()
    rounds = re.findall(r"round=([^\"&#]+)", summary)
    assert "overflow" in rounds and len(rounds) >= 3
    ForecastResult.objects.all().delete()
    for rid in rounds:
        solved = client.get(reverse("coverage_forecast"), {**params, "round": rid}).content
        kept = client.get(reverse("coverage_forecast"), {**params, "round": rid}).content
        assert ForecastResult.objects.count() == 1
        assert _listed(kept.decode()) == _listed(solved.decode()) != ""
        ForecastResult.objects.all().delete()


def _listed(html: str) -> str:
    """The picked round's table of organizations, or "" when the page has none."""
    if 'class="forecast-orgs"' not in html:
        return ""
    return html.split('class="forecast-orgs"')[1].split("</table>")[0]

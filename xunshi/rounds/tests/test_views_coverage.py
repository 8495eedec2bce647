"""The full-coverage page: shares by sector, the chart, and the organizations left."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.registry import actions as reg
from xunshi.rounds import actions
from xunshi.testsupport.lifecycle import set_stage


def _chart(html: str) -> dict:
    found = re.search(
        r'<script id="coverage-chart-option" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the chart option is not in the page"
    return json.loads(found.group(1))


def _uncovered_rows(html: str) -> list[str]:
    table = html.split('<table class="uncovered">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>(.*?)</td>", table)


def test_it_shows_the_overall_and_county_share_once_lankao_is_closed(world, login):
    set_stage(inspection=world.inspection1, stage="closed")
    html = login(world.users["alice"]).get(reverse("coverage")).content.decode()
    assert "已巡视 <strong>1</strong> 个，覆盖率 <strong>20.0%</strong>" in html
    assert re.search(r"<td>县（市、区）</td><td>2</td><td>1</td><td>1</td>\s*<td>50.0%", html)
    assert "<td>410225</td>" not in html.split('<table class="uncovered">', 1)[1]
    assert "新县" in html.split('<table class="uncovered">', 1)[1]


def test_it_puts_the_stacked_bar_chart_option_in_the_page(world, login):
    set_stage(inspection=world.inspection1, stage="closed")
    html = login(world.users["gina"]).get(reverse("coverage")).content.decode()
    option = _chart(html)
    assert option["xAxis"]["data"] == ["市级党委", "县（市、区）", "省直单位", "高校"]
    # Every sector's name is printed under its bar (ECharts would leave every other one out).
    assert option["xAxis"]["axisLabel"]["interval"] == 0
    covered, left = option["series"]
    assert covered["stack"] == left["stack"]
    assert [d["value"] for d in covered["data"]] == [0, 1, 0, 0]
    assert [d["value"] for d in left["data"]] == [1, 1, 1, 1]
    assert 'id="coverage-chart" style="height: 320px"' in html
    assert "vendor/echarts/echarts.min.js" in html


@time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False)
def test_it_says_how_long_ago_each_uncovered_org_was_inspected(world, login):
    old = reg.term_create(
        actor=SYSTEM,
        body=world.body,
        name="十届省委",
        start=dt.date(2017, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=old,
        ordinal=3,
        name="十届省委第三轮巡视",
        kind="regular",
        sector_mode="rotating",
        start=dt.date(2019, 4, 1),
        end=dt.date(2019, 6, 1),
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)
    insp = actions.inspection_create(actor=SYSTEM, team=team, target=world.xinxian, kind="regular")
    set_stage(inspection=insp, stage="closed")

    html = login(world.users["alice"]).get(reverse("coverage")).content.decode()
    assert _uncovered_rows(html) == ["410200", "410225", "D014", "U001", "411523"]
    xinxian_row = html.split("<td>411523</td>", 1)[1].split("</tr>", 1)[0]
    assert "2019-06-01" in xinxian_row and "7.0" in xinxian_row and "本届未巡视" in xinxian_row
    assert "从未巡视" in html.split("<td>410200</td>", 1)[1].split("</tr>", 1)[0]

    # The earlier term, chosen in the select, counts 新县 as covered.
    html = login(world.users["alice"]).get(reverse("coverage"), {"term": old.pk}).content.decode()
    assert "十届省委" in html.split("</h1>", 1)[0]
    assert "411523" not in _uncovered_rows(html)


def test_it_pages_the_uncovered_list_by_fifty(world, login):
    for n in range(60):
        reg.org_upsert(
            actor=SYSTEM,
            body=world.body,
            data=reg.OrgInput(code=f"T{n:03d}", name=f"测试乡镇{n}", sector="township"),
        )
    client = login(world.users["alice"])
    first = client.get(reverse("coverage")).content.decode()
    assert len(_uncovered_rows(first)) == 50
    assert "第 1 / 2 页，共 65 条" in first
    second = client.get(reverse("coverage"), {"term": world.term.pk, "page": 2}).content.decode()
    assert len(_uncovered_rows(second)) == 15


def test_it_says_not_found_for_an_unknown_term(world, login):
    assert login(world.users["alice"]).get(reverse("coverage"), {"term": 9999}).status_code == 404


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "erin", "sam", "sue", "aud"])
def test_it_shows_coverage_only_to_the_office_and_the_leading_group(world, login, who):
    assert login(world.users[who]).get(reverse("coverage")).status_code == 403

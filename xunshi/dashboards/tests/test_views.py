"""The dashboards page: charts with their tables in the page, the Excel downloads, the scope."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xunshi.audit.models import AuditEvent
from xunshi.dashboards.access import dashboard_scope
from xunshi.dashboards.queries import FIGURES
from xunshi.testsupport.bodies import build_linked_world
from xunshi.testsupport.dashboards import DASH_TODAY

URL = reverse("dashboard_home")


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


def _option(html: str, key: str) -> dict:
    found = re.search(
        rf'<script id="chart-{key}-option" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, f"the option of {key} is not in the page"
    return json.loads(found.group(1))


def _table(html: str, key: str) -> list[list[str]]:
    section = html.split(f'<section class="card dashboard" id="{key}">', 1)[1].split(
        "</section>", 1
    )[0]
    body = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_it_draws_every_chart_from_the_table_printed_under_it(scene, login):
    html = _html(login(scene.world.users["gina"]).get(URL))
    # Every figure but the year plan, which the scene has none of approved, is charted.
    for key in FIGURES:
        assert (f'data-chart="chart-{key}-option"' in html) == (key != "year_plan"), key
    # The table and the chart of the ledger: the same numbers.
    table = _table(html, "rectification")
    november = next(row for row in table if row[0] == "2026年11月")
    assert november == ["2026年11月", "4", "1", "3", "1", "0", "1", "1"]
    option = _option(html, "rectification")
    months = option["xAxis"]["data"]
    red = next(s for s in option["series"] if s["name"] == "红灯")
    assert red["data"][months.index("2026年11月")]["value"] == 1
    assert [s["name"] for s in option["series"]] == [
        "新增整改事项",
        "销号",
        "红灯",
        "黄灯",
        "绿灯",
        "未到预警期",
    ]
    # Every label of a category axis is printed.
    assert option["xAxis"]["axisLabel"]["interval"] == 0
    assert _table(html, "problems_taxonomy")[0][0] == "集中整治形式主义、官僚主义问题"
    assert "vendor/echarts/echarts.min.js" in html


def test_the_navigation_leads_the_office_and_the_leading_group_there(scene, login):
    for name in ["alice", "gina"]:
        html = _html(login(scene.world.users[name]).get(reverse("coverage")))
        assert f'href="{URL}"' in html and "统计分析" in html
    html = _html(login(scene.world.users["bob"]).get(reverse("round_list")))
    assert f'href="{URL}"' not in html


def test_the_excel_download_holds_the_table_of_the_page(scene, login):
    client = login(scene.world.users["alice"])
    rnd = scene.world.round
    response = client.get(reverse("dashboard_export", args=["clue_disposal"]), {"round": rnd.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        [
            "移交单位",
            "已移交（件）",
            "按期反馈",
            "逾期反馈",
            "未反馈（未逾期）",
            "未反馈（已逾期）",
        ],
        ["纪委监委", 3, 1, 1, 0, 1],
        ["组织部", 1, 0, 0, 1, 0],
    ]
    html = _html(client.get(URL, {"round": rnd.pk}))
    assert _table(html, "clue_disposal") == [[str(v) for v in row] for row in rows[1:]]
    assert f'href="/dashboards/clue_disposal.xlsx?round={rnd.pk}"' in html
    event = AuditEvent.objects.filter(action="dashboards.figures.export").get()
    assert event.after == {"rows": 2, "filters": {"chart": "clue_disposal", "round": rnd.pk}}


def test_an_unknown_chart_round_or_year_is_not_found(scene, login):
    client = login(scene.world.users["gina"])
    assert client.get(reverse("dashboard_export", args=["salaries"])).status_code == 404
    assert client.get(URL, {"round": 999999}).status_code == 404
    assert client.get(URL, {"year": 1999}).status_code == 404
    assert client.get(URL, {"year": 2026}).status_code == 200


@pytest.mark.parametrize("name", ["bob", "carol", "erin", "sam", "sue", "aud"])
def test_every_other_role_is_refused(scene, login, name):
    client = login(scene.world.users[name])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("dashboard_export", args=["coverage"])).status_code == 403


def test_another_bodys_work_is_never_counted(scene, login):
    def figures(user):  # type: ignore[no-untyped-def]
        scope = dashboard_scope(user, round=None, year=None, today=DASH_TODAY)
        return {key: make(scope).rows for key, make in FIGURES.items()}

    gina = scene.world.users["gina"]
    before = figures(gina)
    linked = build_linked_world(scene.world, marker="【县里】")
    assert figures(gina) == before
    # The county's own office counts its own village round and nothing of the province's.
    county = figures(linked.county_a.office)
    own = linked.county_a.inspection
    assert sum(row[1] for row in county["petitions_channel"]) == own.petitions.count() > 0
    assert county["clue_disposal"] == [["纪委监委", 1, 0, 0, 0, 1]]
    # And cannot choose the province's round.
    client = login(linked.county_a.office)
    assert client.get(URL, {"round": scene.world.round.pk}).status_code == 404


def test_a_chart_with_nothing_to_count_says_so_and_draws_nothing(world, login):
    html = _html(login(world.users["alice"]).get(URL))
    assert _table(html, "clue_disposal") == [[]]  # the one row: 暂无数据 across the table
    section = html.split('<section class="card dashboard" id="clue_disposal">', 1)[1]
    section = section.split("</section>", 1)[0]
    assert "暂无数据。" in section and "data-chart" not in section

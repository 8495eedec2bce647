"""The demo's bodies below the province (开封市委, 兰考县委, 杞县委) as their users meet them
after `manage.py seed_demo` (loaded once for the package on `LOAD_DAY`, see conftest.py)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from xunshi.accounts.models import Role, User
from xunshi.dashboards.queries import FIGURES
from xunshi.demo.kaifeng import DEMO_TAG, LOGINS
from xunshi.demo.province import PASSWORD
from xunshi.oversight.models import Filing, FilingStatus
from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Region
from xunshi.registry.regions_national import national_regions
from xunshi.rounds.avoidance import hits_between
from xunshi.rounds.models import Round, Stage

from .conftest import slow

pytestmark = [slow, pytest.mark.django_db]

COUNTIES = {"中共兰考县委": "410225", "中共杞县委": "410221"}


def _client(username: str) -> Client:
    client = Client()
    request = RequestFactory().post("/accounts/login/")
    assert client.login(request=request, username=username, password=PASSWORD), username
    return client


def _rows(client: Client) -> dict[str, Any]:
    response = client.get(reverse("oversight_home"))
    assert response.status_code == 200
    return {r.body.name: r for r in response.context["rows"]}


def test_it_loads_the_city_and_two_counties_under_the_province(demo: str) -> None:
    for name in ("中共开封市委", *COUNTIES):
        assert f"演示数据已加载：{name}" in demo
    city = InspectingBody.objects.get(name="中共开封市委")
    assert (city.parent.name, city.level, city.abbreviation, city.region_code) == (
        "中共河南省委",
        "city",
        "汴",
        "410200",
    )
    below = InspectingBody.objects.filter(parent=city).order_by("region_code")
    assert [(b.name, b.level, b.abbreviation) for b in below] == [
        ("中共杞县委", "county", "杞"),
        ("中共兰考县委", "county", "兰"),
    ]
    assert city.work_word == "巡察"
    # Each body keeps its own pool, of the size the issue asks for.
    assert Cadre.objects.filter(body=city).count() == 80
    for county in below:
        assert Cadre.objects.filter(body=county).count() == 50


def test_every_login_works_for_its_body_in_its_role(demo: str) -> None:
    for body_name, logins in LOGINS:
        for username, role, _sees in logins:
            user = User.objects.select_related("body", "cadre__body", "org__body").get(
                username=username
            )
            assert (user.role, user.body.name) == (role, body_name), username
            if role == Role.INSPECTOR:
                assert user.cadre is not None and user.cadre.body.name == body_name
            if role == Role.LIAISON:
                assert user.org is not None and user.org.body.name == body_name
            home = _client(username).get("/")
            assert home.status_code in (200, 302)
            assert not home.get("Location", "").startswith("/accounts/password/"), username
    lankao = User.objects.select_related("org", "cadre").get
    assert lankao(username="lankao_xiangzhen").org.sector == "township"
    assert lankao(username="lankao_cun").org.sector == "village"
    assert lankao(username="lankao_zuzhang").cadre.can_lead


def test_demo_logins_lists_every_body_s_logins_under_its_name(demo: str) -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    order = [
        text.index(name) for name in ("中共河南省委", "中共开封市委", "中共兰考县委", "中共杞县委")
    ]
    assert order == sorted(order)
    lankao = text[text.index("中共兰考县委") : text.index("中共杞县委")]
    for who in ("lankao_bangongshi", "lankao_zuzhang", "lankao_xiangzhen", "lankao_cun"):
        assert who in lankao
    assert "第一巡察组（组长）及其巡察对象" in lankao
    assert "巡察办工作人员" in lankao and "巡视办工作人员" not in lankao
    assert "及所辖村的反馈与整改" in lankao
    assert f"所有演示账号的密码：{PASSWORD}" in text


def test_the_counties_have_villages_under_their_real_townships(demo: str) -> None:
    for body, county in COUNTIES.items():
        shipped = {
            code: name
            for code, name, level, parent in national_regions(depth="township", prefix=county)
            if level == "township"
        }
        townships = OrgUnit.objects.filter(body__name=body, sector="township")
        assert townships.count() >= 15
        for town in townships.select_related("region"):
            assert shipped[town.code] == town.name == town.region.name
        villages = OrgUnit.objects.filter(body__name=body, sector="village").select_related(
            "parent", "region"
        )
        assert 20 <= villages.count() <= 40
        for village in villages:
            assert village.parent.sector == "township"
            assert village.region == village.parent.region
            assert village.name.endswith("村") and 3 <= len(village.name) <= 5
            assert village.tags == [DEMO_TAG]
    assert Region.objects.get(code="410225101000").name == "堌阳镇"
    # The registry's list says so where a user sees the villages.
    page = _client("lankao_bangongshi").get(reverse("org_list"), {"sector": "village"})
    assert page.status_code == 200
    assert page.content.decode().count(DEMO_TAG) >= 20


def test_a_county_office_sees_its_own_rounds_and_not_the_province_s(demo: str) -> None:
    client = _client("lankao_bangongshi")
    response = client.get(reverse("round_list"))
    assert [r.name for r in response.context["page"]] == [
        "十五届县委第一轮巡察",
        "十四届县委第十轮巡察",
    ]
    page = response.content.decode()
    assert "十五届县委第一轮巡察" in page and "十四届县委第十轮巡察" in page
    assert "十一届省委第九轮巡视" not in page and "十四届市委第一轮巡察" not in page
    for other in Round.objects.exclude(body__name="中共兰考县委")[:50]:
        assert client.get(reverse("round_detail", args=[other.pk])).status_code == 404
    province_round = Round.objects.filter(body__name="中共河南省委").first()
    assert province_round is not None
    assert client.get(reverse("round_detail", args=[province_round.pk])).status_code == 404


def test_each_county_has_a_closed_round_and_a_village_round_on_its_way(demo: str) -> None:
    for body in COUNTIES:
        closed, current = Round.objects.filter(body__name=body).order_by("term__start")
        stages = sorted(closed.inspections.values_list("stage", flat=True))
        assert stages == [Stage.CLOSED] * 5 + [Stage.RECTIFYING]
        assert current.kind == "village" and current.targets_per_team == 8
        on_load_day = {(i.batch, i.stage) for i in current.inspections.all() if i.team.number == 1}
        # Batches of two villages, nine working days each, laid by round_schedule_villages.
        assert on_load_day == {
            (1, Stage.WITHDRAWN),
            (2, Stage.WITHDRAWN),
            (3, Stage.ON_SITE),
            (4, Stage.NOTIFIED),
        }


def test_the_city_s_oversight_lists_both_counties_with_their_figures(demo: str) -> None:
    client = _client("kaifeng_bangongshi")
    rows = _rows(client)
    assert list(rows) == ["中共杞县委", "中共兰考县委"]  # by region code
    for row in rows.values():
        assert row.term.name == "十五届县委"
        assert (row.red, row.yellow, row.green) == (1, 1, 1)
        assert row.clues_overdue == 1
        phases = dict(row.phase_counts)
        assert (phases["准备"], phases["进驻"], phases["报告"], phases["整改"]) == (4, 4, 8, 1)
        assert row.coverage_pct is not None and row.coverage_pct > 0
    page = client.get(reverse("oversight_home")).content.decode()
    assert "整改红色预警" in page and "线索逾期" in page
    # The new rounds' plans wait for the city's review; the closed rounds' filings were read.
    waiting = Filing.objects.filter(to_body__name="中共开封市委", status=FilingStatus.FILED)
    assert sorted(waiting.values_list("round__name", flat=True)) == ["十五届县委第一轮巡察"] * 2
    assert Filing.objects.filter(to_body__name="中共开封市委").count() >= 40
    behind = client.get(reverse("oversight_behind")).content.decode()
    assert "中共兰考县委" in behind and "已超过处置反馈期限" in behind
    lankao = InspectingBody.objects.get(name="中共兰考县委")
    body = client.get(reverse("oversight_body", args=[lankao.pk])).content.decode()
    assert "巡察工作方案及组建情况" in body and "整改情况报告" in body
    # The point the city set is on the county office's own page.
    own = _client("lankao_bangongshi").get(reverse("oversight_home")).content.decode()
    assert "第十轮巡察移交的问题线索已超过处置反馈期限" in own


def test_the_province_s_oversight_lists_the_city_with_its_counties(demo: str) -> None:
    client = _client("bangongshi")
    response = client.get(reverse("oversight_home"))
    order = [(r.body.name, r.depth) for r in response.context["rows"]]
    assert order == [("中共开封市委", 0), ("中共杞县委", 1), ("中共兰考县委", 1)]
    city = response.context["rows"][0]
    assert city.term.name == "十四届市委"
    assert dict(city.phase_counts)["报告"] == 3 and dict(city.phase_counts)["整改"] == 1
    filed = Filing.objects.filter(from_body__name="中共开封市委", to_body__name="中共河南省委")
    assert {f.kind for f in filed} == {"plan", "report", "feedback"}
    page = client.get(reverse("oversight_body", args=[city.body.pk])).content.decode()
    assert "巡察工作方案及组建情况" in page and "巡察报告情况" in page and "反馈情况" in page


def test_the_township_liaison_follows_its_villages_ledgers(demo: str) -> None:
    user = User.objects.select_related("org").get(username="lankao_xiangzhen")
    village = User.objects.select_related("org").get(username="lankao_cun").org
    assert village.parent_id == user.org.pk
    page = _client("lankao_xiangzhen").get(reverse("village_ledger")).content.decode()
    assert village.name in page
    for summary in ("白条入账", "惠农补贴", "四议两公开"):
        assert summary in page


def test_the_avoidance_rules_fire_inside_each_body_s_own_registry(demo: str) -> None:
    for body in ("中共开封市委", *COUNTIES):
        hits = hits_between(
            list(Cadre.objects.filter(body__name=body)),
            list(OrgUnit.objects.filter(body__name=body)),
        )
        rules = {h.rule for h in hits}
        assert {"same_unit", "kin", "former_colleague"} <= rules, body
        if body in COUNTIES:
            assert {"origin", "superior_subordinate_unit"} <= rules, body


def test_the_dashboards_show_each_body_its_own_work(demo: str) -> None:
    """The province's and a county's office each read their own figures, with the petitions
    classified as the teams classified them."""
    for username in ["lankao_bangongshi", "bangongshi"]:
        response = _client(username).get(reverse("dashboard_home"))
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('<section class="card dashboard"') == len(FIGURES)
        assert "chart-petitions_category-option" in page
    response = _client("lankao_bangongshi").get(reverse("dashboard_export", args=["workloads"]))
    assert response.status_code == 200

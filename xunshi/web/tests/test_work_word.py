"""The pages name the work as the user's body does: 巡视 for the province, 巡察 for a city or
county (a county's office reads 巡察组, never 巡视组, in the navigation and on its round's page);
a team cadre and a liaison read the word of the body that sent the team or holds the unit."""

from __future__ import annotations

import html as htmllib

from django.urls import reverse

from xunshi.accounts.models import Role
from xunshi.rounds.tests.lankao_villages import _user, build_county, village_team
from xunshi.testsupport.lifecycle import give_feedback


def _text(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return htmllib.unescape(response.content.decode())


def test_a_county_office_reads_xuncha_and_the_province_xunshi(world, login):  # type: ignore[no-untyped-def]
    county = build_county(world)
    page = _text(login(county.office), reverse("round_detail", args=[county.round.pk]))
    assert "轮次与巡察组" in page and "组建巡察组" in page
    assert "巡视组" not in page and "巡视对象" not in page

    province = _text(login(world.users["alice"]), reverse("round_detail", args=[world.round.pk]))
    assert "轮次与巡视组" in province and "巡察组" not in province


def test_a_county_team_cadre_and_a_township_liaison_read_xuncha(world, login):  # type: ignore[no-untyped-def]
    county = build_county(world)
    _team, inspections = village_team(world, county, 1, ["城关镇张庄村"])
    leader = _user("lk_leader", "兰考组长", Role.INSPECTOR, cadre=county.cadres[0])
    page = _text(login(leader), reverse("inspection_detail", args=[inspections[0].pk]))
    assert "轮次与巡察组" in page and "巡察组成员" in page
    assert "巡视组" not in page

    give_feedback(inspections[0], ["低保评定优亲厚友"])
    liaison = _text(login(county.chengguan), reverse("ledger_home"))
    assert "被巡察单位" in liaison and "张庄村" in liaison
    assert "被巡视单位" not in liaison


def test_a_county_s_stage_buttons_and_stage_line_read_xuncha(world, login):  # type: ignore[no-untyped-def]
    county = build_county(world)
    _team, inspections = village_team(world, county, 1, ["城关镇张庄村"])
    page = _text(login(county.office), reverse("inspection_workspace", args=[inspections[0].pk]))
    assert "授权巡察组" in page and "巡察办审核" in page
    assert "授权巡视组" not in page and "巡视办审核" not in page

    province = _text(
        login(world.users["alice"]), reverse("inspection_workspace", args=[world.inspection2.pk])
    )
    assert "巡视办审核" in province

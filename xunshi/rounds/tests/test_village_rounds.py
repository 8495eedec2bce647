"""Village rounds (对村巡察) in the office's pages: a round of up to 40 villages a team, the
planning page's villages by township, and the villages' coverage by township."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.urls import reverse

from xunshi.rounds.models import Round
from xunshi.testsupport.lifecycle import set_stage

from .lankao_villages import County, build_county, village_team


@pytest.fixture
def county(world) -> County:  # type: ignore[no-untyped-def]
    return build_county(world)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return htmllib.unescape(response.content.decode())


NEW_ROUND = {
    "ordinal": 4,
    "name": "十四届县委第四轮巡察",
    "kind": "village",
    "sector_mode": "mixed",
    "theme": "惠民政策落实、集体“三资”管理",
    "start": "2026-09-01",
    "end": "2026-10-30",
}


def test_a_village_round_takes_up_to_40_villages_a_team(county, login):
    client = login(county.office)
    data = NEW_ROUND | {"term": county.term.pk}
    refused = client.post(reverse("round_create"), data | {"targets_per_team": 41})
    assert refused.status_code == 200 and not Round.objects.filter(ordinal=4).exists()
    assert "40" in _text(refused).split('name="targets_per_team"', 1)[1].split("</div>", 1)[0]
    response = client.post(reverse("round_create"), data | {"targets_per_team": 40}, follow=True)
    assert "一托40" in _text(response)
    assert Round.objects.get(term=county.term, ordinal=4).targets_per_team == 40


def test_the_planning_page_lists_the_villages_by_township(county, login):
    page = _text(login(county.office).get(reverse("round_plan", args=[county.round.pk])))
    groups = re.findall(
        r'<fieldset class="township-group" data-township="\d+">\s*<legend>(\S+)', page
    )
    assert groups == ["城关镇党委", "东坝头镇党委", "堌阳镇党委", "南彰镇党委", "考城镇党委"]
    chengguan = page.split("<legend>城关镇党委", 1)[1].split("</fieldset>", 1)[0]
    assert (
        "全选本乡镇" in chengguan
        and '（已选 <span class="township-count">4</span> / 共 4）' in chengguan
    )
    for village in ["张庄村党支部", "李寨村党支部", "王屯村党支部", "东街社区党委"]:
        assert village in chengguan
    assert "杨庄村党支部" not in chengguan
    # The township filter, and the proposal asks for villages only.
    assert '<select id="f-township">' in page and ">东坝头镇党委</option>" in page
    propose = page.split('class="filters propose"', 1)[1].split("</form>", 1)[0]
    assert 'name="villages"' in propose and 'name="counties"' not in propose
    assert 'name="targets_per_team"' in page and 'max="40"' in page


def test_the_planning_page_proposes_uncovered_villages_township_by_township(county, login):
    client = login(county.office)
    page = _text(client.get(reverse("round_plan", args=[county.round.pk]), {"villages": 5}))
    assert "共推荐 5 个对象。" in page
    checked = re.findall(r'<input type="checkbox" name="targets" value="(\d+)" checked>', page)
    names = {v.pk: k for k, v in county.villages.items()}
    assert [names[int(pk)] for pk in checked] == [
        "城关镇张庄村",
        "城关镇李寨村",
        "城关镇王屯村",
        "城关镇东街社区",
        "东坝头镇杨庄村",
    ]
    assert "城关镇党委，本届未巡察" in page


def test_a_province_round_keeps_its_own_proposal_form(world, login):
    page = _text(login(world.users["alice"]).get(reverse("round_plan", args=[world.round.pk])))
    propose = page.split('class="filters propose"', 1)[1].split("</form>", 1)[0]
    assert 'name="counties"' in propose and 'name="villages"' not in propose
    assert "township-group" not in page


def test_a_county_s_round_pages_say_xuncha_and_the_province_s_say_xunshi(world, county, login):
    team, (zhang,) = village_team(world, county, 1, ["城关镇张庄村"])
    client = login(county.office)
    pages = [
        _text(client.get(reverse(name, args=[pk])))
        for name, pk in [
            ("round_detail", county.round.pk),
            ("round_plan", county.round.pk),
            ("team_detail", team.pk),
            ("inspection_detail", zhang.pk),
        ]
    ]
    assert "编制巡察方案" in pages[0] and "<h2>巡察组</h2>" in pages[0]
    assert "<h2>巡察对象</h2>" in pages[1] and "巡察组数" in pages[1] and "巡察组数 ×" in pages[1]
    assert "<h2>分配巡察对象</h2>" in pages[2] and "被巡察单位" in pages[2]
    assert "进入巡察工作台" in pages[3] and "巡察组成员" in pages[3]
    province = _text(
        login(world.users["alice"]).get(reverse("round_detail", args=[world.round.pk]))
    )
    assert "编制巡视方案" in province and "<h2>巡视组</h2>" in province


def test_the_coverage_page_shows_the_villages_by_township(world, county, login):
    _team, (zhang, _yang) = village_team(world, county, 1, ["城关镇张庄村", "东坝头镇杨庄村"])
    set_stage(inspection=zhang, stage="withdrawn")
    page = _text(login(county.office).get(reverse("coverage")))
    assert re.search(r"<td>村（社区）</td><td>13</td><td>1</td><td>12</td>", page)
    table = page.split('<table class="townships">', 1)[1].split("</table>", 1)[0]
    assert re.search(r"<td>城关镇党委</td>\s*<td>4</td><td>1</td><td>3</td>", table)
    assert re.search(r"<td>东坝头镇党委</td>\s*<td>3</td><td>0</td><td>3</td>", table)
    chengguan = table.split("<td>城关镇党委</td>", 1)[1].split("<td>东坝头镇党委</td>", 1)[0]
    assert "尚未巡察的村（社区）3 个" in chengguan
    assert "李寨村党支部" in chengguan and "张庄村党支部" not in chengguan
    # 杨庄村 is only planned: not covered yet.
    assert "杨庄村党支部" in table.split("<td>东坝头镇党委</td>", 1)[1]


def test_the_province_s_coverage_page_has_no_village_table(world, login):
    page = _text(login(world.users["alice"]).get(reverse("coverage")))
    assert 'id="village-coverage"' not in page

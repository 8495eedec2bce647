"""Taxonomies per body: the shipped ones (the village focus list among them) are read by every
body; a county's edit is the county's own version and leaves the province's list as it was;
a village inspection's working paper offers the village list first."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import Taxonomy, TaxonomyItem
from xunshi.fieldwork.taxonomy_actions import items_text, taxonomy_create, taxonomy_new_version
from xunshi.rounds.tests.lankao_villages import County, build_county, village_team
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.users import actions as accounts

VILLAGE = "对村巡察监督重点"


@pytest.fixture
def county(world) -> County:  # type: ignore[no-untyped-def]
    return build_county(world)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return htmllib.unescape(response.content.decode())


def _village_list() -> Taxonomy:
    return Taxonomy.objects.get(name=VILLAGE, body__isnull=True)


def test_it_ships_the_village_focus_list_for_every_body(db):
    village = _village_list()
    assert (village.version, village.active, village.builtin) == (1, True, True)
    top = [i.name for i in village.items.filter(parent__isnull=True).order_by("position")]
    assert top[:5] == [
        "惠民政策落实",
        "集体“三资”管理",
        "村级组织建设",
        "基层干部作风",
        "信访突出问题",
    ]
    detail = village.items.get(code="4.4")
    assert detail.parent.name == "基层干部作风" and "村霸、宗族势力" in detail.name


def test_a_county_s_edit_of_a_shipped_list_does_not_change_the_province_s(world, county, login):
    village = _village_list()
    text = items_text(village) + "\n7 村级换届选举"
    client = login(county.office)
    response = client.post(
        reverse("taxonomy_new_version", args=[village.pk]),
        {"name": VILLAGE, "items_text": text},
        follow=True,
    )
    page = _text(response)
    assert f"“{VILLAGE}”第2版已启用。" in page and "7 村级换届选举" in page
    own = Taxonomy.objects.get(name=VILLAGE, body=county.body)
    assert (own.version, own.active, own.builtin) == (2, True, False)
    # The shipped version is untouched and still the province's current one.
    village.refresh_from_db()
    assert village.active and village.items.count() == own.items.count() - 1
    province = _text(login(world.users["alice"]).get(reverse("taxonomy_list")))
    assert "村级换届选举" not in province
    section = province.split('id="taxonomy-xuncha-duicun"', 1)[1].split("</section>", 1)[0]
    assert "第1版" in section and "系统内置" in section and "第2版" not in section


def test_a_body_cannot_open_or_edit_another_body_s_own_version(world, county, login):
    own = taxonomy_create(
        actor=county.office, name="兰考县村级问题分类", code="lankao-cun", items_text="1 村务公开"
    )
    client = login(world.users["alice"])
    assert "兰考县村级问题分类" not in _text(client.get(reverse("taxonomy_list")))
    response = client.post(
        reverse("taxonomy_new_version", args=[own.pk]), {"name": "改名", "items_text": "1 甲"}
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="是其他党组织的问题分类，不能修改"):
        taxonomy_new_version(actor=world.users["alice"], taxonomy=own, items_text="1 甲")
    assert Taxonomy.objects.filter(code="lankao-cun").count() == 1


def test_the_province_may_use_a_code_a_county_took(world, county):
    taxonomy_create(
        actor=county.office, name="兰考县村级问题分类", code="cun", items_text="1 村务公开"
    )
    mine = taxonomy_create(
        actor=world.users["alice"], name="省委巡视村级分类", code="cun", items_text="1 村务"
    )
    assert mine.body == world.body
    with pytest.raises(ValidationError, match="代码“cun”已被“兰考县村级问题分类”使用"):
        taxonomy_create(actor=county.office, name="又一个", code="cun", items_text="1 甲")


def _county_leader(county: County):  # type: ignore[no-untyped-def]
    user = accounts.user_create(
        actor=SYSTEM,
        username="lkleader",
        full_name=county.cadres[0].name,
        password="Tq7#vK2p!Lm9x",
        must_change_password=False,
    )
    return accounts.user_grant_role(
        actor=SYSTEM, user=user, role=Role.INSPECTOR, cadre=county.cadres[0]
    )


def _optgroups(page: str) -> list[str]:
    select = page.split('name="category"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<optgroup label="([^"]+)"', select)


def test_a_village_inspection_s_paper_offers_the_village_list_first(world, county, login, onsite):
    _team, (inspection,) = village_team(world, county, 1, ["城关镇张庄村"])
    move_on_site(inspection)
    village_page = _text(
        login(_county_leader(county)).get(reverse("paper_list", args=[inspection.pk]))
    )
    assert _optgroups(village_page)[0] == f"{VILLAGE}（第1版）"
    province_page = _text(
        login(world.users["bob"]).get(reverse("paper_list", args=[world.inspection1.pk]))
    )
    groups = _optgroups(province_page)
    assert groups[0] != f"{VILLAGE}（第1版）" and f"{VILLAGE}（第1版）" in groups


def test_a_county_classifies_with_its_own_version_only(world, county):
    _team, (inspection,) = village_team(world, county, 1, ["城关镇张庄村"])
    move_on_site(inspection)
    village = _village_list()
    taxonomy_new_version(
        actor=county.office, taxonomy=village, items_text=items_text(village) + "\n7 其他"
    )
    shipped = village.items.get(code="2")
    with pytest.raises(ValidationError, match="所在的分类体系已停用"):
        papers.paper_create(
            actor=SYSTEM,
            inspection=inspection,
            title="集体资金坐收坐支",
            facts="事实。",
            qualification="依据。",
            category=shipped,
        )
    own = TaxonomyItem.objects.get(taxonomy__body=county.body, code="2")
    paper = papers.paper_create(
        actor=SYSTEM,
        inspection=inspection,
        title="集体资金坐收坐支",
        facts="事实。",
        qualification="依据。",
        category=own,
    )
    assert paper.category.taxonomy.body == county.body
    # The province still classifies with the shipped item.
    move_on_site(world.inspection1)
    assert (
        papers.paper_create(
            actor=SYSTEM,
            inspection=world.inspection1,
            title="扶贫资金拨付滞后",
            facts="事实。",
            qualification="依据。",
            category=shipped,
        ).category
        == shipped
    )

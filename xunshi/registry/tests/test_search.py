"""Searching the lists by Chinese name, full pinyin and initials."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xunshi.registry.search import normalize_query, search_key


def _orgs(client, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [org.name for org, _last in client.get(reverse("org_list"), {"q": q}).context["rows"]]


def _cadres(client, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.name for c in client.get(reverse("cadre_list"), {"q": q}).context["page"]]


@pytest.mark.parametrize("q", ["兰考", "兰考县", "lankao", "LanKao", "lk", "lkx", " l k "])
def test_it_finds_lankao_by_chinese_pinyin_and_initials(world, login, q):
    assert _orgs(login(world.users["alice"]), q) == ["兰考县"]


def test_it_finds_an_org_by_its_short_name_and_code(world, login):
    client = login(world.users["alice"])
    assert _orgs(client, "省财政厅") == ["河南省财政厅"]
    assert _orgs(client, "scz") == ["河南省财政厅"]
    assert _orgs(client, "4102") == ["开封市", "兰考县"]


@pytest.mark.parametrize("q", ["刘红梅", "红梅", "liuhongmei", "lhm"])
def test_it_finds_a_cadre_by_chinese_pinyin_and_initials(world, login, q):
    assert _cadres(login(world.users["alice"]), q) == ["刘红梅"]


def test_it_keeps_the_search_in_the_page_links_and_says_when_nothing_matches(world, login):
    response = login(world.users["alice"]).get(reverse("org_list"), {"q": "不存在的单位"})
    assert "没有符合条件的单位。" in response.content.decode()
    assert response.context["query"] == "q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%8D%95%E4%BD%8D"


def test_it_searches_only_within_what_the_user_may_see(world, login):
    assert _orgs(login(world.users["carol"]), "cz") == []


def test_it_indexes_every_reading_of_a_surname():
    key = search_key("单雄")
    assert "shanxiong" in key and "sx" in key
    assert normalize_query(" Shan Xiong ") == "shanxiong"

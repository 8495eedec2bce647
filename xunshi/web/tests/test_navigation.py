"""The navigation bar grouped under a few titles: every entry a role reached before the
grouping (issue 11) is still there, behind its group, and nothing of another role is added."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

# The navigation's links per person of the test world on main before the grouping.
BEFORE: dict[str, list[str]] = {
    "alice": [
        "/rounds/coverage/",
        "/dashboards/",
        "/registry/orgs/",
        "/registry/cadres/",
        "/rounds/",
        "/rounds/year-plans/",
        "/decisions/",
        "/rectification/",
        "/rectification/supervision/",
        "/inspections/clues/overdue/",
        "/oversight/",
        "/intake/",
        "/inspections/taxonomies/",
        "/knowledge/",
        "/registry/imports/",
        "/registry/body/settings/",
        "/doctemplates/",
        "/deadlines/",
    ],
    "gina": [
        "/rounds/coverage/",
        "/dashboards/",
        "/registry/orgs/",
        "/registry/cadres/",
        "/rounds/",
        "/rounds/year-plans/",
        "/decisions/",
        "/rectification/",
        "/rectification/supervision/",
        "/oversight/",
        "/inspections/taxonomies/",
        "/knowledge/",
        "/deadlines/",
    ],
    "bob": [
        "/registry/orgs/",
        "/registry/cadres/",
        "/rounds/",
        "/rectification/",
        "/inspections/taxonomies/",
        "/knowledge/",
    ],
    "erin": ["/rectification/", "/knowledge/"],  # the public regulations of the 知识库
    "sam": ["/deadlines/", "/deadlines/calendar/", "/accounts/users/"],
    "sue": ["/accounts/users/", "/accounts/lockouts/"],
    "aud": ["/audit/"],
}


def _nav_links(html: str) -> list[str]:
    match = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert match is not None
    return re.findall(r'href="([^"]+)"', match.group(1))


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_it_keeps_every_link_of_the_role_and_adds_only_the_desk(world, login, name) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users[name]).get(reverse("desk_home")).content.decode()
    links = _nav_links(html)
    assert len(links) == len(set(links))
    assert sorted(links) == sorted([reverse("desk_home"), *BEFORE[name]])


def test_it_groups_the_office_s_entries_and_marks_the_current_group(world, login) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["alice"]).get(reverse("supervision")).content.decode()
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None
    titles = re.findall(r"<summary[^>]*>([^<]+)</summary>", nav.group(1))
    assert titles == ["计划与巡视", "线索与举报", "整改", "监督与报表", "登记与队伍"]
    assert '<summary class="current">整改</summary>' in nav.group(1)
    assert 'aria-current="page">整改督办' in nav.group(1)


def test_a_group_of_one_entry_is_that_entry_s_own_link(world, login) -> None:  # type: ignore[no-untyped-def]
    html = login(world.users["erin"]).get(reverse("desk_home")).content.decode()
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', html, re.S)
    assert nav is not None and "<details" not in nav.group(1)
    assert re.findall(r">([^<>]+)</a>", nav.group(1)) == ["首页", "整改台账", "知识库"]

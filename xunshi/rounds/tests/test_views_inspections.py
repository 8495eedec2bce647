"""The inspection page: open to the office, the leading group and the inspection's own team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xunshi.testsupport.lifecycle import set_stage


def test_it_shows_the_inspection_with_its_team(world, login):
    set_stage(inspection=world.inspection1, stage="on_site")
    html = (
        login(world.users["carol"])
        .get(reverse("inspection_detail", args=[world.inspection1.pk]))
        .content.decode()
    )
    assert "第一巡视组对兰考县的常规巡视" in html
    for text in [
        "十一届省委第一轮巡视",
        "410225",
        "县（市、区）",
        "第1批",
        "2026年9月1日",
        "2026年10月31日",
        "进驻中",
        "王建国",
        "李秀英",
    ]:
        assert text in html, text
    assert "<dt>计入全覆盖</dt><dd>是</dd>" in html
    assert reverse("team_detail", args=[world.team1.pk]) in html


@pytest.mark.parametrize("who", ["alice", "gina", "bob", "carol"])
def test_it_opens_team_1s_inspection_to_the_office_the_group_and_team_1(world, login, who):
    response = login(world.users[who]).get(
        reverse("inspection_detail", args=[world.inspection1.pk])
    )
    assert response.status_code == 200


def test_it_hides_another_teams_inspection(world, login):
    assert (
        login(world.users["carol"])
        .get(reverse("inspection_detail", args=[world.inspection2.pk]))
        .status_code
        == 404
    )
    assert (
        login(world.users["dave"])
        .get(reverse("inspection_detail", args=[world.inspection1.pk]))
        .status_code
        == 404
    )
    assert (
        login(world.users["dave"])
        .get(reverse("inspection_detail", args=[world.inspection2.pk]))
        .status_code
        == 200
    )


@pytest.mark.parametrize("who", ["erin", "sam", "sue", "aud"])
def test_it_forbids_the_liaison_and_the_admins(world, login, who):
    response = login(world.users[who]).get(
        reverse("inspection_detail", args=[world.inspection1.pk])
    )
    assert response.status_code == 403

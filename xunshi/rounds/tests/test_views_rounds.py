"""The round list, the new-round form and the round page with its teams."""

from __future__ import annotations

import re

from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.rounds import actions
from xunshi.rounds.models import Round, Team

NEW_ROUND = {
    "ordinal": 2,
    "name": "十一届省委第二轮巡视",
    "kind": "regular",
    "sector_mode": "mixed",
    "theme": "脱贫攻坚",
    "targets_per_team": 3,
    "start": "2027-03-01",
    "end": "2027-04-30",
}


def _other_round(world) -> Round:
    return actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="special",
        sector_mode="rotating",
        targets_per_team=3,
    )


def _row(html: str, text: str) -> str:
    return next(r for r in re.findall(r"<tr>.*?</tr>", html, re.S) if text in r)


def test_it_lists_the_round_with_its_facts_and_counts(world, login):
    html = login(world.users["alice"]).get(reverse("round_list")).content.decode()
    row = _row(html, "十一届省委第一轮巡视")
    for text in [
        "十一届省委",
        "第1轮",
        "常规巡视",
        "板块混动",
        "一托1",
        "2026-09-01",
        "2026-10-31",
        "<td>2个</td><td>2个</td>",
    ]:
        assert text in row, text


def test_it_lists_only_his_own_rounds_to_a_team_cadre(world, login):
    _other_round(world)
    html = login(world.users["carol"]).get(reverse("round_list")).content.decode()
    assert "十一届省委第一轮巡视" in html and "十一届省委第二轮巡视" not in html
    # The round's own counts, not only the teams she belongs to.
    assert "<td>2个</td><td>2个</td>" in _row(html, "十一届省委第一轮巡视")
    html = login(world.users["gina"]).get(reverse("round_list")).content.decode()
    assert "十一届省委第二轮巡视" in html


def test_it_offers_the_new_round_form_to_the_office_only(world, login):
    assert "新建轮次" in login(world.users["alice"]).get(reverse("round_list")).content.decode()
    for who in ["gina", "bob"]:
        html = login(world.users[who]).get(reverse("round_list")).content.decode()
        assert 'action="/rounds/new/"' not in html


def test_it_creates_a_round_and_opens_its_page(world, login):
    response = login(world.users["alice"]).post(
        reverse("round_create"), NEW_ROUND | {"term": world.term.pk}, follow=True
    )
    rnd = Round.objects.get(term=world.term, ordinal=2)
    assert response.redirect_chain[-1][0] == reverse("round_detail", args=[rnd.pk])
    html = response.content.decode()
    assert "已新建十一届省委第二轮巡视" in html and "脱贫攻坚" in html and "一托3" in html


def test_it_refuses_a_round_ending_before_it_starts_and_creates_nothing(world, login):
    response = login(world.users["alice"]).post(
        reverse("round_create"),
        NEW_ROUND | {"term": world.term.pk, "start": "2027-04-30", "end": "2027-03-01"},
    )
    assert response.status_code == 200
    assert "结束日期须晚于进驻日期。" in response.content.decode()
    assert Round.objects.count() == 1


def test_it_refuses_a_round_ordinal_used_in_the_term(world, login):
    response = login(world.users["alice"]).post(
        reverse("round_create"), NEW_ROUND | {"term": world.term.pk, "ordinal": 1}
    )
    assert "十一届省委第1轮已存在。" in response.content.decode()
    assert Round.objects.count() == 1


def test_it_forbids_the_leading_group_to_create_a_round(world, login):
    response = login(world.users["gina"]).post(
        reverse("round_create"), NEW_ROUND | {"term": world.term.pk}
    )
    assert response.status_code == 403
    assert Round.objects.count() == 1


def test_it_shows_the_teams_with_leader_members_and_targets(world, login):
    html = (
        login(world.users["alice"])
        .get(reverse("round_detail", args=[world.round.pk]))
        .content.decode()
    )
    team1 = _row(html, "第一巡视组")
    assert "王建国" in team1 and "2人" in team1 and "兰考县" in team1
    team2 = _row(html, "第二巡视组")
    assert "张志强" in team2 and "1人" in team2 and "河南省财政厅" in team2
    assert f'action="/rounds/{world.round.pk}/teams/new/"' in html


def test_it_shows_a_team_cadre_only_his_own_team_of_the_round(world, login):
    html = (
        login(world.users["carol"])
        .get(reverse("round_detail", args=[world.round.pk]))
        .content.decode()
    )
    assert "第一巡视组" in html and "第二巡视组" not in html and "河南省财政厅" not in html
    assert "组建巡视组" not in html


def test_it_lets_the_office_form_a_team(world, login):
    response = login(world.users["alice"]).post(
        reverse("team_create", args=[world.round.pk]),
        {"number": 3, "rule_set": world.team1.rule_set.pk},
        follow=True,
    )
    team = Team.objects.get(round=world.round, number=3)
    assert response.redirect_chain[-1][0] == reverse("team_detail", args=[team.pk])
    assert "已组建第三巡视组" in response.content.decode()


def test_it_refuses_a_team_number_already_used(world, login):
    response = login(world.users["alice"]).post(
        reverse("team_create", args=[world.round.pk]),
        {"number": 1, "rule_set": world.team1.rule_set.pk},
        follow=True,
    )
    assert "本轮已有第1组。" in response.content.decode()
    assert Team.objects.filter(round=world.round).count() == 2


def test_it_forbids_the_leading_group_to_form_a_team(world, login):
    response = login(world.users["gina"]).post(
        reverse("team_create", args=[world.round.pk]),
        {"number": 3, "rule_set": world.team1.rule_set.pk},
    )
    assert response.status_code == 403
    assert Team.objects.filter(round=world.round).count() == 2


def test_it_hides_another_round_from_a_team_cadre(world, login):
    other = _other_round(world)
    assert (
        login(world.users["carol"]).get(reverse("round_detail", args=[other.pk])).status_code == 404
    )

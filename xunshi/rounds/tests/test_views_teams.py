"""The team page: members, targets, the temporary Party branch, avoidance, pledges, and the
office's forms whose refusals come back as messages."""

from __future__ import annotations

import datetime as dt
import html as htmllib

from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import InspectingBody
from xunshi.rounds import actions
from xunshi.rounds.avoidance import blocking_hits
from xunshi.rounds.models import Inspection, PartyBranch, TeamMembership


def _page(client, team) -> str:
    return htmllib.unescape(client.get(reverse("team_detail", args=[team.pk])).content.decode())


def _post(client, name, pk, data) -> str:
    response = client.post(reverse(name, args=[pk]), data, follow=True)
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


def _section(html: str, css: str) -> str:
    return html.split(f'class="{css}"', 1)[1].split("</section>", 1)[0]


def test_it_shows_the_members_targets_and_branch(world, login):
    html = _page(login(world.users["alice"]), world.team1)
    members = _section(html, "members")
    assert members.index("王建国") < members.index("李秀英")
    assert "组长" in members and "组员" in members and "正处级" in members
    assert "未签署" in members
    targets = _section(html, "targets")
    assert reverse("inspection_detail", args=[world.inspection1.pk]) in targets
    assert "兰考县" in targets and "常规巡视" in targets and "已计划" in targets
    branch = _section(html, "card branch")
    assert "王建国" in branch and "2026年9月1日" in branch
    assert "未发现回避情形。" in html


def test_it_refuses_liu_hongmei_for_lankao_with_her_avoidance_sentence(world, login):
    hong = world.cadres["hong"]
    sentences = [h.sentence for h in blocking_hits([hong], [world.lankao])]
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team1.pk,
        {"cadre_code": "C004", "role": "member"},
    )
    assert "不能将刘红梅编入第一巡视组" in html
    for sentence in sentences:
        assert sentence in html
    assert not TeamMembership.objects.filter(cadre=hong).exists()


def test_it_refuses_chen_wei_for_the_finance_department_for_his_wife(world, login):
    wei = world.cadres["wei"]
    sentences = [h.sentence for h in blocking_hits([wei], [world.finance])]
    assert any("周丽" in s for s in sentences)
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team2.pk,
        {"cadre_code": "C005", "role": "member"},
    )
    for sentence in sentences:
        assert sentence in html
    assert not TeamMembership.objects.filter(cadre=wei).exists()


def test_it_refuses_a_second_leader(world, login):
    data = reg.CadreInput(
        code="C006",
        name="郭宏伟",
        gender="男",
        unit_name="省纪委监委",
        id_number=make_id_number("410102", dt.date(1970, 5, 6), 7),
        can_lead=True,
    )
    reg.cadre_upsert(actor=SYSTEM, body=InspectingBody.objects.order_by("pk").first(), data=data)
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team1.pk,
        {"cadre_code": "C006", "role": "leader"},
    )
    assert "第一巡视组已有组长。" in html
    assert world.team1.memberships.count() == 2


def test_it_refuses_a_cadre_already_in_another_team(world, login):
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team1.pk,
        {"cadre_code": "C003", "role": "member"},
    )
    assert "张志强已在本轮第二巡视组中。" in html


def test_it_says_so_when_the_cadre_code_is_unknown(world, login):
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team1.pk,
        {"cadre_code": "C999", "role": "member"},
    )
    assert "干部库中没有人员编号“C999”" in html


def test_it_adds_a_member_without_avoidance_hits(world, login):
    html = _post(
        login(world.users["alice"]),
        "membership_add",
        world.team1.pk,
        {"cadre_code": "C005", "role": "deputy"},
    )
    assert "已将陈伟编入第一巡视组（副组长）" in html
    assert "陈伟" in _section(html, "members")


def test_it_shows_a_waived_hit_struck_apart_from_the_hard_ones(world, login):
    hong = world.cadres["hong"]
    for hit in blocking_hits([hong], [world.lankao]):
        reg.waiver_create(
            actor=SYSTEM,
            cadre=hong,
            target=world.lankao,
            rule=hit.rule,
            reason="熟悉当地情况，经研究同意",
            approver="巡视办主任",
        )
    actions.membership_add(actor=SYSTEM, team=world.team1, cadre=hong, role="member")
    html = _page(login(world.users["alice"]), world.team1)
    assert '<div class="hit waived">' in html and "已豁免" in html
    assert "地域回避" in html and "未发现回避情形" not in html


def test_it_refuses_a_target_beyond_n(world, login):
    html = _post(
        login(world.users["alice"]),
        "inspection_create",
        world.team1.pk,
        {"org_code": "411523", "kind": "regular", "counts_for_coverage": "on", "batch": 1},
    )
    assert "第一巡视组已有1个对象（一托1）。" in html
    assert not Inspection.objects.filter(target=world.xinxian).exists()


def test_it_gives_a_new_team_a_target(world, login):
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    html = _post(
        login(world.users["alice"]),
        "inspection_create",
        team.pk,
        {"org_code": "411523", "kind": "regular", "batch": 1},
    )
    assert "已将新县交由第三巡视组巡视" in html
    insp = Inspection.objects.get(target=world.xinxian)
    assert insp.team == team and insp.counts_for_coverage is False


def test_it_refuses_a_target_a_member_must_avoid(world, login):
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    actions.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["wei"], role="member")
    sentences = [h.sentence for h in blocking_hits([world.cadres["wei"]], [world.finance])]
    # The finance department is team 2's already; a fresh round gives it a fair chance.
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)
    actions.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["wei"], role="member")
    html = _post(
        login(world.users["alice"]),
        "inspection_create",
        team.pk,
        {"org_code": "D014", "kind": "regular", "counts_for_coverage": "on", "batch": 1},
    )
    assert "不能将河南省财政厅交由第一巡视组巡视" in html
    for sentence in sentences:
        assert sentence in html


def test_it_lets_the_office_establish_the_branch(world, login):
    client = login(world.users["alice"])
    assert "成立临时党支部" in _page(client, world.team2)
    html = _post(
        client,
        "branch_establish",
        world.team2.pk,
        {"secretary": world.cadres["dave"].pk, "established_on": "2026-09-02"},
    )
    assert "第二巡视组临时党支部已成立" in html
    branch = _section(html, "card branch")
    assert "张志强" in branch and "2026年9月2日" in branch
    assert PartyBranch.objects.get(team=world.team2).secretary == world.cadres["dave"]


def test_it_refuses_a_secretary_from_outside_the_team(world, login):
    html = _post(
        login(world.users["alice"]),
        "branch_establish",
        world.team2.pk,
        {"secretary": world.cadres["bob"].pk, "established_on": "2026-09-02"},
    )
    assert "支部书记" in html
    assert not PartyBranch.objects.filter(team=world.team2).exists()


def test_it_lets_carol_read_and_sign_her_pledge(world, login):
    client = login(world.users["carol"])
    html = _page(client, world.team1)
    pledge = _section(html, "card pledge")
    assert "严禁泄露巡视工作秘密" in pledge and "签署承诺" in pledge
    membership = world.team1.memberships.get(cadre=world.cadres["carol"])
    html = _post(client, "pledge_sign", membership.pk, {})
    assert "您已签署廉洁承诺" in html
    membership.refresh_from_db()
    assert membership.pledge_signed_at is not None
    pledge = _section(html, "card pledge")
    assert "您已于" in pledge and 'action="/rounds/memberships/' not in pledge
    # A second signature is refused with a message, not an error page.
    assert "您已签署过承诺" in _post(client, "pledge_sign", membership.pk, {})


def test_it_hides_carols_pledge_from_bob(world, login):
    membership = world.team1.memberships.get(cadre=world.cadres["carol"])
    client = login(world.users["bob"])
    assert client.post(reverse("pledge_sign", args=[membership.pk])).status_code == 404
    membership.refresh_from_db()
    assert membership.pledge_signed_at is None
    html = _page(client, world.team1)
    assert f'action="/rounds/memberships/{membership.pk}/pledge/"' not in html


def test_it_shows_a_team_member_no_office_forms(world, login):
    html = _page(login(world.users["bob"]), world.team1)
    assert "增配人员" not in html and "分配巡视对象" not in html
    assert "未发现回避情形。" in html


def test_it_hides_team_1_from_dave_and_team_2_from_carol(world, login):
    assert (
        login(world.users["dave"]).get(reverse("team_detail", args=[world.team1.pk])).status_code
        == 404
    )
    assert (
        login(world.users["carol"]).get(reverse("team_detail", args=[world.team2.pk])).status_code
        == 404
    )


def test_it_forbids_the_leading_group_every_team_write(world, login):
    client = login(world.users["gina"])
    membership = world.team1.memberships.get(cadre=world.cadres["carol"])
    for name, pk, data in [
        ("membership_add", world.team1.pk, {"cadre_code": "C005", "role": "member"}),
        (
            "inspection_create",
            world.team1.pk,
            {"org_code": "411523", "kind": "regular", "batch": 1},
        ),
        (
            "branch_establish",
            world.team2.pk,
            {"secretary": world.cadres["dave"].pk, "established_on": "2026-09-02"},
        ),
        ("pledge_sign", membership.pk, {}),
    ]:
        assert client.post(reverse(name, args=[pk]), data).status_code == 403, name
    assert world.team1.memberships.count() == 2
    assert not PartyBranch.objects.filter(team=world.team2).exists()


def test_it_forbids_a_team_leader_to_add_members(world, login):
    response = login(world.users["bob"]).post(
        reverse("membership_add", args=[world.team1.pk]), {"cadre_code": "C005", "role": "member"}
    )
    assert response.status_code == 403

"""The rounds actions: what they refuse (and then change nothing), and what they record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.registry.models import InspectingBody
from xunshi.rounds import actions
from xunshi.rounds.avoidance import blocking_hits
from xunshi.rounds.models import Inspection, PartyBranch, Round, Team, TeamMembership
from xunshi.testsupport.lifecycle import set_stage


def _leader_cadre(code: str = "C006", name: str = "郭宏伟"):
    data = reg.CadreInput(
        code=code,
        name=name,
        gender="男",
        unit_name="省纪委监委",
        id_number=make_id_number("410102", dt.date(1970, 5, 6), 7),
        can_lead=True,
        rank="正厅级",
    )
    return reg.cadre_upsert(
        actor=SYSTEM, body=InspectingBody.objects.order_by("pk").first(), data=data
    )[0]


def _round(world, *, ordinal=2, n=1, **kw):
    data = {
        "name": f"十一届省委第{ordinal}轮巡视",
        "kind": "regular",
        "sector_mode": "mixed",
        "targets_per_team": n,
    } | kw
    return actions.round_create(
        actor=SYSTEM, body=world.body, term=world.term, ordinal=ordinal, **data
    )


def test_it_refuses_a_round_that_ends_before_it_starts(world):
    with pytest.raises(ValidationError, match="结束日期须晚于进驻日期"):
        _round(world, start=dt.date(2026, 11, 1), end=dt.date(2026, 10, 1))
    assert Round.objects.count() == 1


def test_it_refuses_a_second_round_with_the_same_ordinal(world):
    with pytest.raises(ValidationError, match="十一届省委第1轮已存在"):
        _round(world, ordinal=1)


def test_it_records_one_audit_event_per_round(world):
    before = AuditEvent.objects.count()
    rnd = _round(world)
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "rounds.round.create" and event.object_id == str(rnd.pk)


def test_it_names_a_team_after_the_body(world):
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=12, rule_set=world.team1.rule_set
    )
    assert team.name == "第十二巡视组"
    city = reg.body_create(actor=SYSTEM, name="中共开封市委", level="city")
    term = reg.term_create(
        actor=SYSTEM,
        body=city,
        name="十三届市委",
        start=dt.date(2021, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    rnd = actions.round_create(
        actor=SYSTEM,
        body=city,
        term=term,
        ordinal=1,
        name="十三届市委第一轮巡察",
        kind="regular",
        sector_mode="rotating",
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=3, rule_set=world.team1.rule_set)
    assert team.name == "第三巡察组"


def test_it_refuses_a_cadre_with_an_avoidance_hit_on_a_target(world):
    hong = world.cadres["hong"]
    sentences = [h.sentence for h in blocking_hits([hong], [world.lankao])]
    assert sentences
    with pytest.raises(ValidationError) as e:
        actions.membership_add(actor=SYSTEM, team=world.team1, cadre=hong, role="member")
    assert e.value.messages == sentences
    assert not TeamMembership.objects.filter(cadre=hong).exists()


def test_it_admits_a_cadre_once_the_office_has_waived_the_hit(world):
    hong = world.cadres["hong"]
    for hit in blocking_hits([hong], [world.lankao]):
        reg.waiver_create(
            actor=SYSTEM,
            cadre=hong,
            target=world.lankao,
            rule=hit.rule,
            reason="熟悉情况，经研究同意",
            approver="巡视办主任",
        )
    actions.membership_add(actor=SYSTEM, team=world.team1, cadre=hong, role="member")
    assert world.team1.memberships.filter(cadre=hong).exists()


def test_it_refuses_a_second_leader(world):
    with pytest.raises(ValidationError, match="第一巡视组已有组长"):
        actions.membership_add(actor=SYSTEM, team=world.team1, cadre=_leader_cadre(), role="leader")


def test_it_refuses_a_cadre_already_in_another_team_of_the_round(world):
    with pytest.raises(ValidationError, match="张志强已在本轮第二巡视组中"):
        actions.membership_add(
            actor=SYSTEM, team=world.team1, cadre=world.cadres["dave"], role="member"
        )


def test_it_refuses_a_leader_who_may_not_lead(world):
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    with pytest.raises(ValidationError, match="陈伟不具备任组长的条件"):
        actions.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["wei"], role="leader")


def test_it_refuses_a_target_beyond_n(world):
    with pytest.raises(ValidationError, match="一托1"):
        actions.inspection_create(
            actor=SYSTEM, team=world.team1, target=world.xinxian, kind="regular"
        )
    assert not Inspection.objects.filter(target=world.xinxian).exists()


def test_it_refuses_a_target_a_member_must_avoid(world):
    actions.membership_add(actor=SYSTEM, team=world.team1, cadre=world.cadres["wei"], role="member")
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    actions.membership_add(actor=SYSTEM, team=team, cadre=_leader_cadre(), role="leader")
    actions.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["hong"], role="member")
    with pytest.raises(ValidationError, match="刘红梅"):
        actions.inspection_create(actor=SYSTEM, team=team, target=world.zzu, kind="regular")


def test_it_refuses_a_target_already_given_to_a_team_of_the_round(world):
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    with pytest.raises(ValidationError, match="兰考县在本轮已有巡视任务"):
        actions.inspection_create(actor=SYSTEM, team=team, target=world.lankao, kind="regular")


def test_it_lets_only_the_member_sign_the_pledge_and_only_once(world):
    membership = world.team1.memberships.get(cadre=world.cadres["carol"])
    with pytest.raises(ValidationError, match="只能由本人签署"):
        actions.pledge_sign(actor=world.users["bob"], membership=membership)
    actions.pledge_sign(actor=world.users["carol"], membership=membership)
    membership.refresh_from_db()
    assert membership.pledge_signed_at is not None
    assert membership.pledge_rule_set == world.team1.rule_set
    with pytest.raises(ValidationError, match="已签署过"):
        actions.pledge_sign(actor=world.users["carol"], membership=membership)


def test_it_wants_the_branch_secretary_from_the_team(world):
    with pytest.raises(ValidationError, match="须是本组成员"):
        actions.branch_establish(
            actor=SYSTEM,
            team=world.team2,
            secretary=world.cadres["bob"],
            established_on=dt.date(2026, 9, 1),
        )
    assert not PartyBranch.objects.filter(team=world.team2).exists()
    with pytest.raises(ValidationError, match="已成立临时党支部"):
        actions.branch_establish(
            actor=SYSTEM,
            team=world.team1,
            secretary=world.cadres["carol"],
            established_on=dt.date(2026, 9, 2),
        )


def test_it_refuses_a_team_number_twice(world):
    with pytest.raises(ValidationError, match="本轮已有第1组"):
        actions.team_create(
            actor=SYSTEM, round=world.round, number=1, rule_set=world.team1.rule_set
        )
    assert Team.objects.filter(round=world.round).count() == 2


def _inspected_xinxian_last_term(world, cadre):
    term = reg.term_create(
        actor=SYSTEM,
        body=world.body,
        name="十届省委",
        start=dt.date(2017, 1, 1),
        end=dt.date(2021, 12, 31),
    )
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=term,
        ordinal=3,
        name="十届省委第三轮巡视",
        kind="regular",
        sector_mode="rotating",
        start=dt.date(2019, 4, 1),
        end=dt.date(2019, 6, 1),
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)
    actions.membership_add(actor=SYSTEM, team=team, cadre=cadre, role="member")
    insp = actions.inspection_create(actor=SYSTEM, team=team, target=world.xinxian, kind="regular")
    set_stage(inspection=insp, stage="closed")


def test_it_refuses_a_target_the_member_inspected_last_time(world):
    wei = world.cadres["wei"]
    _inspected_xinxian_last_term(world, wei)
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    actions.membership_add(actor=SYSTEM, team=team, cadre=wei, role="member")
    with pytest.raises(ValidationError, match="三个不固定"):
        actions.inspection_create(actor=SYSTEM, team=team, target=world.xinxian, kind="regular")


def test_it_refuses_a_member_who_inspected_the_target_last_time(world):
    wei = world.cadres["wei"]
    _inspected_xinxian_last_term(world, wei)
    team = actions.team_create(
        actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set
    )
    actions.inspection_create(actor=SYSTEM, team=team, target=world.xinxian, kind="regular")
    with pytest.raises(ValidationError, match="三个不固定"):
        actions.membership_add(actor=SYSTEM, team=team, cadre=wei, role="member")


def test_it_does_not_count_a_rounds_own_finished_inspection_as_last_time(world):
    """A finished round's team page must not accuse its members of inspecting their own
    targets "last time"; the next round's team must be told."""
    from xunshi.rounds.avoidance import hits_between

    set_stage(inspection=world.inspection1, stage="closed")
    members = [world.cadres["bob"], world.cadres["carol"]]
    own = hits_between(members, [world.lankao], for_round=world.round)
    assert not [h for h in own if h.rule == "inspected_last_time"]
    later = hits_between(members, [world.lankao])
    assert {h.cadre_code for h in later if h.rule == "inspected_last_time"} == {"C001", "C002"}

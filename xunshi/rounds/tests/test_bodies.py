"""Bodies and their users: every office works in its own body's registry, pool and rounds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role
from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg
from xunshi.rounds import actions as rnd
from xunshi.users import actions as accounts


@pytest.fixture
def county(world):
    """兰考县委 under 开封市委 under the province, with its own office, pool, unit and round."""
    city = reg.body_create(
        actor=SYSTEM,
        name="中共开封市委",
        level="city",
        region_code="410200",
        abbreviation="汴",
        parent=world.body,
    )
    body = reg.body_create(
        actor=SYSTEM,
        name="中共兰考县委",
        level="county",
        region_code="410225",
        abbreviation="兰",
        parent=city,
    )
    term = reg.term_create(
        actor=SYSTEM,
        body=body,
        name="十四届县委",
        start=dt.date(2021, 9, 1),
        end=dt.date(2026, 8, 31),
    )
    village = reg.org_upsert(
        actor=SYSTEM,
        body=body,
        data=reg.OrgInput(code="410225100201", name="张庄村党支部", sector="village"),
    )[0]
    cadre = reg.cadre_upsert(
        actor=SYSTEM,
        body=body,
        data=reg.CadreInput(
            code="LK001",
            name="韩光明",
            gender="男",
            id_number=make_id_number("410225", dt.date(1976, 2, 3), 9),
            unit_name="兰考县纪委监委",
            can_lead=True,
        ),
    )[0]
    the_round = rnd.round_create(
        actor=SYSTEM,
        body=body,
        term=term,
        ordinal=1,
        name="十四届县委第一轮巡察",
        kind="village",
        sector_mode="mixed",
        targets_per_team=20,
    )
    user = accounts.user_create(
        actor=SYSTEM,
        username="lkoffice",
        full_name="兰考办",
        password="Tq7#vK2p!Lm9x",
        must_change_password=False,
    )
    accounts.user_grant_role(actor=SYSTEM, user=user, role=Role.OFFICE, body=body)
    return {
        "city": city,
        "body": body,
        "village": village,
        "cadre": cadre,
        "round": the_round,
        "office": user,
    }


def test_an_office_sees_only_its_own_body_s_rounds_and_registry(world, county, login):
    client = login(county["office"])
    rounds = client.get(reverse("round_list")).content.decode()
    assert "十四届县委第一轮巡察" in rounds
    assert "十一届省委第一轮巡视" not in rounds
    assert client.get(reverse("round_detail", args=[world.round.pk])).status_code == 404
    assert client.get(reverse("inspection_detail", args=[world.inspection1.pk])).status_code == 404
    assert client.get(reverse("org_detail", args=[world.finance.pk])).status_code == 404
    assert client.get(reverse("cadre_detail", args=[world.cadres["bob"].pk])).status_code == 404
    orgs = client.get(reverse("org_list")).content.decode()
    assert "张庄村党支部" in orgs and "河南省财政厅" not in orgs


def test_the_province_s_office_does_not_open_the_county_s_case_pages(world, county, login):
    client = login(world.users["alice"])
    assert client.get(reverse("round_detail", args=[county["round"].pk])).status_code == 404
    assert client.get(reverse("org_detail", args=[county["village"].pk])).status_code == 404
    assert client.get(reverse("cadre_detail", args=[county["cadre"].pk])).status_code == 404


def test_a_round_refuses_a_target_outside_its_body_s_registry(world, county):
    team = rnd.team_create(
        actor=SYSTEM, round=county["round"], number=1, rule_set=world.team1.rule_set
    )
    with pytest.raises(ValidationError, match="河南省财政厅不在中共兰考县委的巡视巡察对象名录中"):
        rnd.inspection_create(actor=SYSTEM, team=team, target=world.finance, kind="village")
    assert not team.inspections.exists()


def test_a_team_refuses_a_cadre_of_another_body_s_pool(world, county):
    team = rnd.team_create(
        actor=SYSTEM, round=county["round"], number=1, rule_set=world.team1.rule_set
    )
    with pytest.raises(ValidationError, match="王建国不在中共兰考县委可调用的干部库中"):
        rnd.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["bob"], role="leader")
    rnd.membership_add(actor=SYSTEM, team=team, cadre=county["cadre"], role="leader")
    assert team.memberships.count() == 1


def test_a_code_of_another_body_s_registry_or_pool_is_refused(world, county):
    with pytest.raises(ValidationError, match="已登记在其他党组织的名录中"):
        reg.org_upsert(
            actor=SYSTEM,
            body=county["body"],
            data=reg.OrgInput(code="D014", name="冒名单位", sector="other"),
        )
    with pytest.raises(ValidationError, match="已在其他党组织的干部库中"):
        reg.cadre_upsert(
            actor=SYSTEM,
            body=county["body"],
            data=reg.CadreInput(
                code="C001",
                name="王建国",
                gender="男",
                id_number="410102197503010013",
                unit_name="兰考县",
            ),
        )
    world.finance.refresh_from_db()
    assert world.finance.name == "河南省财政厅"


def test_an_office_account_needs_a_body(world):
    user = accounts.user_create(
        actor=SYSTEM, username="nobody", full_name="无名", password="Tq7#vK2p!Lm9x"
    )
    with pytest.raises(ValidationError, match="须指定所属党组织"):
        accounts.user_grant_role(actor=SYSTEM, user=user, role=Role.OFFICE)
    user.refresh_from_db()
    assert user.role == ""


def test_a_county_is_registered_below_its_city_not_above(world):
    city = reg.body_create(
        actor=SYSTEM, name="中共开封市委", level="city", region_code="410200", parent=world.body
    )
    with pytest.raises(ValidationError, match="层级不低于上级党组织"):
        reg.body_create(actor=SYSTEM, name="中共河南省委二", level="province", parent=city)

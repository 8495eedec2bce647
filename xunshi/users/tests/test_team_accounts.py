"""A team's accounts in two steps, one for each of the two admins (三员): the system admin
opens an account for every cadre of the team who has none (pinyin user names, first
passwords shown once, a password change at the first sign-in), the security admin confirms
their role 巡视组干部 in one step."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions as rnd
from xunshi.users import actions


@pytest.fixture
def joined(world):  # type: ignore[no-untyped-def]
    """A third team of 刘红梅 and 陈伟, who have no accounts; someone else already is
    `chenwei`."""
    team = rnd.team_create(actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set)
    rnd.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["hong"], role="member")
    rnd.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["wei"], role="member")
    actions.user_create(
        actor=world.users["sam"], username="ChenWei", full_name="陈伟", password="Other-Pass-77"
    )
    world.team3 = team
    return world


def _first_passwords(html: str) -> dict[str, str]:
    rows = re.findall(r"<tr><td>[^<]+</td><td>([a-z0-9]+)</td><td><code>([^<]+)</code>", html)
    return dict(rows)


def test_it_opens_the_teams_accounts_and_shows_each_first_password_once(joined, login):
    sam = login(joined.users["sam"])
    url = reverse("team_accounts", args=[joined.team3.pk])
    page = sam.get(url).content.decode()
    assert "2名组员尚无账号。" in page and "刘红梅" in page
    opened = sam.post(reverse("team_accounts_create", args=[joined.team3.pk]))
    assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
    html = opened.content.decode()
    assert "初始密码只显示这一次" in html
    passwords = _first_passwords(html)
    assert sorted(passwords) == ["chenwei2", "liuhongmei"]
    hong = User.objects.get(username="liuhongmei")
    assert hong.cadre == joined.cadres["hong"] and hong.full_name == "刘红梅"
    assert hong.role == "" and hong.must_change_password
    assert passwords["liuhongmei"] not in sam.get(url).content.decode()
    events = AuditEvent.objects.filter(action="accounts.user.create", actor_username="sam")
    assert events.count() == 3  # ChenWei by hand, then the team's two
    assert all("Pass" not in str(e.after) for e in events)

    # The first sign-in leads to the password change, and nowhere else.
    newcomer = Client()
    signed = newcomer.post(
        reverse("login"), {"username": "liuhongmei", "password": passwords["liuhongmei"]}
    )
    assert signed.status_code == 302
    assert newcomer.get(reverse("home"))["Location"] == reverse("password_change")

    again = sam.post(reverse("team_accounts_create", args=[joined.team3.pk]), follow=True)
    assert "第三巡视组的组员都已有账号。" in again.content.decode()
    assert User.objects.filter(cadre__isnull=False).count() == 5


def test_it_lets_the_security_admin_confirm_the_roles_in_one_step(joined, login):
    login(joined.users["sam"]).post(reverse("team_accounts_create", args=[joined.team3.pk]))
    sue = login(joined.users["sue"])
    page = sue.get(reverse("team_accounts", args=[joined.team3.pk])).content.decode()
    assert "2个账号待确认角色。" in page and "（待确认）" in page
    done = sue.post(reverse("team_grants_confirm", args=[joined.team3.pk]), follow=True)
    assert "已将2个账号设为巡视组干部：chenwei2、liuhongmei。" in done.content.decode()
    for username, cadre in (("liuhongmei", "hong"), ("chenwei2", "wei")):
        user = User.objects.get(username=username)
        assert user.role == Role.INSPECTOR and user.cadre == joined.cadres[cadre]
        assert user.body == joined.body
    grants = AuditEvent.objects.filter(action="accounts.user.grant", actor_username="sue")
    assert grants.count() == 2
    # ChenWei, opened by hand and tied to no cadre, is not the team's.
    assert User.objects.get(username="ChenWei").role == ""


@pytest.mark.parametrize(
    "who, name, status",
    [
        ("sue", "team_accounts_create", 403),
        ("sam", "team_grants_confirm", 403),
        ("aud", "team_accounts_create", 403),
        ("alice", "team_grants_confirm", 403),
    ],
)
def test_it_keeps_opening_and_granting_apart(joined, login, who: str, name: str, status: Any):
    response = login(joined.users[who]).post(reverse(name, args=[joined.team3.pk]))
    assert response.status_code == status
    assert not User.objects.filter(username="liuhongmei").exists()
    assert not User.objects.filter(role=Role.INSPECTOR, cadre=joined.cadres["hong"]).exists()

"""The password rules of issue 12 (item 8): length 12, none of the words a guesser tries first,
none of the last five passwords, each refusal named in Chinese."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actions import password_set
from xunshi.accounts.models import PasswordHistory, User
from xunshi.testsupport.signin import second_factor_passed
from xunshi.testsupport.world import PASSWORD


def _refusals(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as refused:
        return list(refused.messages)
    return []


@pytest.mark.parametrize(
    "password, rule",
    [
        ("t2mem#Pass1", "密码太短：至少需要12位。"),  # the tester's: 11 characters
        ("t2mem#Pass12", "密码不能包含用户名。"),
        ("Xunshi@2026!", "密码不能包含系统名称。"),
        ("Xun-Shi@2026", "密码不能包含系统名称。"),  # a hyphen does not hide it
        ("巡察Office2026!", "密码不能包含系统名称。"),
        ("Wangjianguo#88", "密码不能包含姓名拼音。"),
        ("Jianguo.Wang88", "密码不能包含姓名拼音。"),  # the given name first
        ("王建国Pass2026!", "密码不能包含姓名。"),
        ("Henan-Pass-2026", "密码不能包含单位名称拼音。"),  # 中共河南省委 → 河南 → henan
        ("Zghnsw@2026-Ok", "密码不能包含单位名称缩写。"),
    ],
)
def test_it_refuses_the_words_a_guesser_tries_first(world, password, rule):
    user = User(username="t2mem", full_name="王建国", body=world.body)
    assert rule in _refusals(password, user)


def test_it_refuses_the_product_name_even_without_an_account():
    assert "密码不能包含系统名称。" in _refusals("Xunshi@2026-Go")


def test_it_accepts_a_password_without_them(world):
    user = User(username="t2mem", full_name="王建国", body=world.body)
    assert _refusals("Qv8#Lm2!Tz7k", user) == []


def test_it_refuses_any_of_the_last_five_passwords(world):
    alice = world.users["alice"]
    passwords = [f"Rq{n}#Vk{n}!Lm{n}x" for n in range(1, 7)]
    for password in passwords:
        assert _refusals(password, alice) == [], password
        password_set(actor=alice, raw_password=password)
    alice.refresh_from_db()
    reused = "不能使用最近5次用过的密码。"
    # Only hashes are kept, five of them.
    history = list(PasswordHistory.objects.filter(user=alice).values_list("password", flat=True))
    assert len(history) == 5 and not any(p in h for p in passwords for h in history)
    for password in passwords[1:]:
        assert reused in _refusals(password, alice), password
    # The sixth password back (and the world's first) may come back.
    assert _refusals(passwords[0], alice) == []
    assert _refusals(PASSWORD, alice) == []


def test_it_refuses_the_current_password_as_the_new_one_on_the_page(world, client):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    second_factor_passed(client, world.users["alice"])
    same = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    response = client.post(reverse("password_change"), same)
    assert response.status_code == 200
    assert "不能使用最近5次用过的密码。" in response.content.decode()


def test_it_keeps_the_history_when_the_password_changes_on_the_page(world, client):
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    second_factor_passed(client, world.users["alice"])
    new = "Np4#Hx9!Wc2q"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    alice = User.objects.get(username="alice")
    assert alice.check_password(new)
    assert PasswordHistory.objects.filter(user=alice).count() == 1
    # Still signed in after the change.
    assert client.get(reverse("org_list")).status_code == 200

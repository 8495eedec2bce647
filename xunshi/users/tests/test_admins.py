from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.models import Role, User
from xunshi.users import actions


def test_it_lets_the_system_admin_open_an_account_without_a_role(world, login):
    client = login(world.users["sam"])
    response = client.post(
        reverse("user_create"),
        {"username": "zhangsan", "full_name": "张三", "password": "Strong-Pass-99"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.role == "" and user.must_change_password


def test_it_refuses_a_weak_initial_password_with_a_message(world, login):
    client = login(world.users["sam"])
    response = client.post(
        reverse("user_create"),
        {"username": "lisi", "full_name": "李四", "password": "weak"},
        follow=True,
    )
    assert "密码" in response.content.decode()
    assert not User.objects.filter(username="lisi").exists()


def test_it_lets_only_the_security_admin_grant_roles(world, login):
    target = world.users["gina"]
    assert (
        login(world.users["sam"])
        .post(reverse("user_grant", args=[target.pk]), {"role": "office"})
        .status_code
        == 403
    )
    client = login(world.users["sue"])
    client.post(reverse("user_grant", args=[target.pk]), {"role": "office", "body": world.body.pk})
    target.refresh_from_db()
    assert target.role == Role.OFFICE


def test_it_keeps_the_three_admin_roles_apart(world):
    with pytest.raises(ValidationError, match="三员"):
        actions.user_grant_role(
            actor=world.users["sue"], user=world.users["sam"], role=Role.AUDIT_ADMIN
        )


def test_it_asks_for_a_cadre_when_granting_the_inspector_role(world, login):
    client = login(world.users["sue"])
    response = client.post(
        reverse("user_grant", args=[world.users["gina"].pk]),
        {"role": "inspector", "cadre_code": "NOPE"},
    )
    assert "干部库中没有这个人员编号" in response.content.decode()
    world.users["gina"].refresh_from_db()
    assert world.users["gina"].role == Role.LEADING_GROUP


def test_it_ends_a_disabled_users_access(world, login, client):
    bob = world.users["bob"]
    login(world.users["sam"]).post(reverse("user_toggle", args=[bob.pk]))
    bob.refresh_from_db()
    assert not bob.is_active
    client.logout()
    response = client.post("/accounts/login/", {"username": "bob", "password": "Tq7#vK2p!Lm9x"})
    assert response.status_code == 200


def test_it_has_no_superuser_and_no_default_account_names(world):
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(username__in=["admin", "root", "sa", "test"]).exists()

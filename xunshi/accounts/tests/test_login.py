from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.testsupport.signin import second_factor_passed
from xunshi.testsupport.world import PASSWORD

LOGIN = "/accounts/login/"


def _post(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def _page(response, username):
    """The page without what legitimately differs: the typed name and the CSRF token."""
    html = response.content.decode().replace(username, "")
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


def test_it_signs_in_and_records_it(world, client):
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="accounts.login", actor_username="alice").exists()


def test_it_sends_anonymous_visitors_to_the_login_page(world, client):
    response = client.get(reverse("org_list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_gives_the_same_answer_for_unknown_user_and_wrong_password(world, client):
    wrong_password = _post(client, "alice", "Wrong-Pass-123")
    unknown_user = _post(client, "nobody", "Wrong-Pass-123")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert "用户名或密码错误" in wrong_password.content.decode()
    assert _page(wrong_password, "alice") == _page(unknown_user, "nobody")
    assert AuditEvent.objects.filter(action="accounts.login_failed").count() == 2


def test_it_signs_out_after_thirty_idle_minutes(world, client):
    start = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _post(client, "alice", PASSWORD)
        second_factor_passed(client, world.users["alice"])
        assert client.get(reverse("org_list")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert client.get(reverse("org_list")).status_code == 200
    # Activity at 9:29 pushed the expiry to 9:59; 31 idle minutes later the session is gone.
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        response = client.get(reverse("org_list"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Short1!", False),  # too short
        ("alllowercaseletters", False),  # one class
        ("lowercase123456", False),  # two classes
        ("Lowercase123456", True),  # three classes
        ("lower-case-12345", True),
        ("Password123", False),  # a common password
    ],
)
def test_it_applies_the_mlps_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_it_makes_a_new_account_change_its_password_first(world, client, login):
    from xunshi.users.actions import user_create

    user = user_create(
        actor=world.users["sam"], username="newbie", full_name="新人", password="Initial-Pass-1"
    )
    assert _post(client, "newbie", "Initial-Pass-1").status_code == 302
    response = client.get(reverse("org_list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Initial-Pass-1",
            "new_password1": "Brand-New-Pass-2",
            "new_password2": "Brand-New-Pass-2",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password


def test_it_refuses_a_weak_new_password_in_chinese(world, client):
    _post(client, "alice", PASSWORD)
    second_factor_passed(client, world.users["alice"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert response.status_code == 200
    assert "三类" in response.content.decode()


def test_it_says_every_password_rule_in_chinese_and_keeps_what_was_typed(world, client):
    _post(client, "alice", PASSWORD)
    second_factor_passed(client, world.users["alice"])
    typed = {"old_password": PASSWORD, "new_password1": "alice", "new_password2": "alice"}
    response = client.post(reverse("password_change"), typed)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    errors = re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    text = re.sub(r"<[^>]+>", " ", " ".join(errors))
    assert "密码太短：至少需要12位。" in text
    assert "密码与用户名过于相似。" in text
    assert "密码须至少包含小写字母、大写字母、数字、其他符号中的三类。" in text
    assert not re.search(r"[A-Za-z]{3,}", text), text
    form = response.context["form"]
    for name, value in typed.items():
        assert f'value="{value}"' in str(form[name]), name

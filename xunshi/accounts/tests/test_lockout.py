"""A lockout that cannot be turned against users (issue 12, item 4): failures slow down the
client that makes them, a proof of work after a few, the account locked only after many from
everywhere, the security admin alerted, and an unlock from the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from itertools import count

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from xunshi.accounts.models import LockoutAlert
from xunshi.audit.models import AuditEvent
from xunshi.testsupport.world import PASSWORD

LOGIN = "/accounts/login/"
WRONG = "Wrong-Pass-123"
NINE = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
ATTACKER = "10.0.0.66"


def _post(client, username, password, ip=ATTACKER, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def _solve(html: str) -> dict[str, str]:
    """What the login page's script does: find the counter for the page's nonce."""
    nonce = re.search(r'data-pow-nonce="([0-9a-f]+)"', html).group(1)
    bits = int(re.search(r'data-pow-bits="(\d+)"', html).group(1))
    for n in count():
        digest = hashlib.sha256(f"{nonce}:{n}".encode()).digest()
        if int.from_bytes(digest, "big") >> (256 - bits) == 0:
            return {"pow_nonce": nonce, "pow_counter": str(n)}
    raise AssertionError  # pragma: no cover


def _fail(client, username, times, start=NINE):
    """`times` failed sign-ins from the attacker, each after the wait the last one set."""
    at = start
    for _ in range(times):
        with time_machine.travel(at, tick=False):
            page = client.get(LOGIN, REMOTE_ADDR=ATTACKER).content.decode()
            extra = _solve(page) if "data-pow-nonce" in page else {}
            response = _post(client, username, WRONG, **extra)
            assert response.status_code == 200, response.content.decode()
        at += dt.timedelta(minutes=6)  # more than the longest wait
    return at


def test_it_no_longer_lets_five_guesses_lock_the_account_for_another_client(world, client):
    end = _fail(client, "sue", 5)
    with time_machine.travel(end, tick=False):
        colleague = Client()
        response = _post(colleague, "sue", PASSWORD, ip="10.0.0.7")
        assert response.status_code == 302
    assert not LockoutAlert.objects.exists()


def test_it_makes_the_guessing_client_wait_longer_after_each_failure_and_says_so(world, client):
    with time_machine.travel(NINE, tick=False):
        for _ in range(2):
            assert "请在" not in _post(client, "bob", WRONG).content.decode()
        third = _post(client, "bob", WRONG).content.decode()
        assert "用户名或密码错误。" in third and "登录失败次数较多，请在2秒后再试。" in third
        # Even the right password is not checked before the wait is over.
        held = _post(client, "bob", PASSWORD)
        assert held.status_code == 429
        assert "登录失败次数较多，请在2秒后再试。" in held.content.decode()
        assert "_auth_user_id" not in client.session
    with time_machine.travel(NINE + dt.timedelta(seconds=2), tick=False):
        fourth = _post(client, "bob", WRONG).content.decode()
        assert "请在4秒后再试。" in fourth
    # Another client is not held at all.
    with time_machine.travel(NINE + dt.timedelta(seconds=3), tick=False):
        assert _post(Client(), "bob", PASSWORD, ip="10.0.0.7").status_code == 302


def test_it_asks_the_guessing_client_for_a_single_use_proof_of_work(world, client):
    end = _fail(client, "bob", 5)
    with time_machine.travel(end, tick=False):
        page = client.get(LOGIN, REMOTE_ADDR=ATTACKER).content.decode()
        assert "data-pow-nonce" in page and "js/login_pow.js" in page
        assert "正在进行登录验证" in page
        unsolved = _post(client, "bob", PASSWORD)
        assert unsolved.status_code == 400
        assert "请等待页面完成登录验证后再提交。" in unsolved.content.decode()
        solved = _solve(client.get(LOGIN, REMOTE_ADDR=ATTACKER).content.decode())
        assert _post(client, "bob", PASSWORD, **solved).status_code == 302
    # Another client never sees the challenge.
    with time_machine.travel(end, tick=False):
        assert "data-pow-nonce" not in Client().get(LOGIN, REMOTE_ADDR="10.0.0.7").content.decode()


def test_it_refuses_a_replayed_proof_of_work(world, client):
    end = _fail(client, "bob", 5)
    with time_machine.travel(end + dt.timedelta(minutes=10), tick=False):
        solved = _solve(client.get(LOGIN, REMOTE_ADDR=ATTACKER).content.decode())
        assert _post(client, "bob", WRONG, **solved).status_code == 200
    with time_machine.travel(end + dt.timedelta(minutes=20), tick=False):
        replay = _post(client, "bob", PASSWORD, **solved)
        assert replay.status_code == 400 and "_auth_user_id" not in client.session


def _lock(username: str, failures: int = 50) -> None:
    """`failures` failed sign-ins, one from each of as many clients (none is slowed down)."""
    for n in range(failures):
        _post(Client(), username, WRONG, ip=f"10.1.{n // 200}.{n % 200 + 1}")


def test_it_locks_the_account_after_fifty_failures_from_all_clients_and_alerts(
    world, client, login
):
    with time_machine.travel(NINE, tick=False):
        _lock("bob", 49)
        assert _post(Client(), "bob", PASSWORD, ip="10.0.0.7").status_code == 302
        _lock("bob", 50)
        locked = _post(Client(), "bob", PASSWORD, ip="10.0.0.7")
        assert locked.status_code == 429 and "账号已锁定" in locked.content.decode()
        assert "安全管理员已收到提醒" in locked.content.decode()
        # One alert, however many tries meet the lock.
        _post(Client(), "bob", PASSWORD, ip="10.0.0.8")
        assert LockoutAlert.objects.filter(username="bob").count() == 1
        assert AuditEvent.objects.filter(action="accounts.lockout", object_id="bob").count() == 1
        security = login(world.users["sue"])
        home = security.get(reverse("lockout_list")).content.decode()
        assert 'data-locked="1"' in home and "已被锁定的账号" in home
        # The other roles see no such alert.
        office = Client()
        office.force_login(world.users["alice"], "django.contrib.auth.backends.ModelBackend")
        assert "data-locked" not in office.get(reverse("org_list")).content.decode()
    # Tries while locked do not make the lock longer: it ends 30 minutes after it began.
    with time_machine.travel(NINE + dt.timedelta(minutes=29), tick=False):
        assert _post(Client(), "bob", PASSWORD, ip="10.0.0.9").status_code == 429
    with time_machine.travel(NINE + dt.timedelta(minutes=31), tick=False):
        assert _post(Client(), "bob", PASSWORD, ip="10.0.0.7").status_code == 302


def test_it_does_not_alert_for_a_user_name_nobody_has(world):
    _lock("nobody-here")
    assert not LockoutAlert.objects.exists()


def test_it_lets_the_security_admin_unlock(world, client, login):
    _lock("bob")
    assert _post(Client(), "bob", PASSWORD).status_code == 429
    admin = login(world.users["sue"])
    page = admin.get(reverse("lockout_list")).content.decode()
    # One row for bob's failures, however many clients they came from.
    failed = page.split('class="failed-sign-ins"')[1]
    assert failed.count("<td>bob</td>") == 1 and "<td>50</td>" in failed
    admin.post(reverse("lockout_reset"), {"username": "bob"})
    assert 'data-locked="' not in admin.get(reverse("lockout_list")).content.decode()
    assert _post(Client(), "bob", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.lockout.reset", object_id="bob").exists()


def test_it_unlocks_the_security_admin_from_the_command_line(world, capsys):
    _lock("sue")
    assert _post(Client(), "sue", PASSWORD, ip="10.0.0.7").status_code == 429
    call_command("unlock", "SUE")
    assert "已解除 sue 的登录锁定" in capsys.readouterr().out
    assert _post(Client(), "sue", PASSWORD, ip="10.0.0.7").status_code == 302
    event = AuditEvent.objects.get(action="accounts.lockout.reset", object_id="sue")
    assert event.actor_id is None and event.actor_username == "system"


def test_it_refuses_to_unlock_an_unknown_user_name(world):
    with pytest.raises(CommandError, match="没有用户名为“ghost”的账号"):
        call_command("unlock", "ghost")

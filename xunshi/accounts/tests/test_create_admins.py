"""`manage.py create_admins`: the first three admins of a new installation (issue 12, item 11)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from xunshi.accounts.models import Role, User
from xunshi.audit.models import AuditEvent

ARGS = ["--system", "xitong", "--security", "anquan", "--audit", "shenji"]


def _run(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("create_admins", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_the_three_admins_with_one_time_passwords_that_sign_in():
    out = _run(*ARGS)
    passwords = dict(re.findall(r"(\w+)  一次性密码：(\S+)", out))
    assert set(passwords) == {"xitong", "anquan", "shenji"}
    assert len(set(passwords.values())) == 3
    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        "xitong": Role.SYSTEM_ADMIN,
        "anquan": Role.SECURITY_ADMIN,
        "shenji": Role.AUDIT_ADMIN,
    }
    assert all(User.objects.values_list("must_change_password", flat=True))
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "anquan", "password": passwords["anquan"]}
    )
    assert response.status_code == 302
    # The first page after signing in is the password change.
    assert client.get("/").url.startswith("/accounts/password/")
    events = AuditEvent.objects.filter(action="accounts.admin.bootstrap")
    assert sorted(e.object_repr for e in events) == ["安全管理员", "审计管理员", "系统管理员"]
    assert {e.actor_username for e in events} == {"system"}
    assert not any(p in str(e.after) for e in events for p in passwords.values())


@pytest.mark.django_db
def test_it_refuses_once_an_admin_exists():
    _run(*ARGS)
    with pytest.raises(CommandError, match="已存在管理员账号"):
        _run("--system", "x2", "--security", "a2", "--audit", "s2")
    assert User.objects.count() == 3


@pytest.mark.django_db
def test_it_reads_the_passwords_from_stdin(monkeypatch):
    stdin = "Moon-River-Quiet-41\nBlue-Harbor-Stone-42\nAmber-Field-Wind-43\n"
    out = _run(*ARGS, "--passwords-stdin", stdin=stdin, monkeypatch=monkeypatch)
    assert "Amber" not in out and "Moon" not in out
    assert User.objects.get(username="shenji").check_password("Amber-Field-Wind-43")


@pytest.mark.django_db
def test_it_refuses_weak_or_missing_passwords_and_writes_nothing(monkeypatch):
    with pytest.raises(CommandError, match="审计管理员（shenji）的密码不符合要求"):
        _run(
            *ARGS,
            "--passwords-stdin",
            stdin="Moon-River-Quiet-41\nBlue-Harbor-Stone-42\nshort\n",
            monkeypatch=monkeypatch,
        )
    with pytest.raises(CommandError, match="须有三行密码"):
        _run(*ARGS, "--passwords-stdin", stdin="Moon-River-Quiet-41\n", monkeypatch=monkeypatch)
    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.admin.bootstrap").exists()


@pytest.mark.django_db
def test_it_refuses_one_person_in_two_admin_roles():
    with pytest.raises(CommandError, match="三个不同的用户名"):
        _run("--system", "same", "--security", "SAME", "--audit", "other")
    assert not User.objects.exists()

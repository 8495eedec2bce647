"""Fixtures shared by the whole suite."""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

os.environ.setdefault("XUNSHI_ENV", "test")


@pytest.fixture
def world(db: None):  # type: ignore[no-untyped-def]
    from xunshi.testsupport.world import build_world

    return build_world()


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture(autouse=True)
def _second_factor_passed(monkeypatch):  # type: ignore[no-untyped-def]
    """`client.force_login` and `client.login` pass the second factor too
    (`xunshi/testsupport/signin.py`), so that a test about something else need not type a
    code; the tests of the second factor sign in with `force_login_password_only`. The
    portal's tests (a project of its own, without accounts) are left alone."""
    if "xunshi.accounts" not in settings.INSTALLED_APPS:
        return
    from django.test import Client

    from xunshi.testsupport.signin import force_login, login

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)


@pytest.fixture
def onsite(world):  # type: ignore[no-untyped-def]
    """The world with team 1's inspection of 兰考县 on site (pledges signed)."""
    from xunshi.testsupport.lifecycle import move_on_site

    move_on_site(world.inspection1)
    world.inspection1.refresh_from_db()
    return world


@pytest.fixture
def feedback(world):  # type: ignore[no-untyped-def]
    """The world with 兰考县's inspection past the feedback (2026-11-02) and two problems."""
    from xunshi.testsupport.lifecycle import give_feedback

    give_feedback(world.inspection1, ["扶贫资金拨付滞后", "违规发放津贴补贴"])
    return world


@pytest.fixture(autouse=True)
def _office_language():  # type: ignore[no-untyped-def]
    """Each test starts in the office's language: a request in English (LocaleMiddleware
    activates it for the thread and never deactivates it) must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def _audit_checkpoint_root():  # type: ignore[no-untyped-def]
    root = Path(tempfile.gettempdir()) / f"xunshi-audit-tests-{secrets.token_hex(6)}"
    yield root
    shutil.rmtree(root, ignore_errors=True)


_CHECKPOINT_SEQ = itertools.count()


@pytest.fixture(autouse=True)
def _audit_checkpoints(settings, _audit_checkpoint_root):  # type: ignore[no-untyped-def]
    """Each test its own audit checkpoint file (made only when written): a checkpoint lives
    outside the database, so it would outlast the rollback of the test that wrote it."""
    settings.AUDIT_CHECKPOINT_DIR = _audit_checkpoint_root / str(next(_CHECKPOINT_SEQ))


# A transactional test (committed data: pg_dump, the worker's own connection, row locks) ends
# with a flush that empties the audit trail, which its append-only triggers refuse: `committed`
# steps them aside until the flush is done, and the serialized rollback gives the next tests
# the migrations' data back.
@pytest.fixture
def audit_triggers_back(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Torn down after the transactional test's flush: puts the append-only triggers back."""
    saved: list[str] = []
    yield saved
    with django_db_blocker.unblock(), connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        for sql in saved:
            c.execute(sql)


@pytest.fixture
def committed(audit_triggers_back, transactional_db, django_db_serialized_rollback):  # type: ignore[no-untyped-def]
    """Committed data (pg_dump reads from another connection); the flush at the end empties the
    audit trail, which its triggers refuse, so they step aside until it is done."""
    yield
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            return
        c.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_auditevent'"
        )
        for name, sql in c.fetchall():
            audit_triggers_back.append(sql)
            c.execute(f'DROP TRIGGER "{name}"')

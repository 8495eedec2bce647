"""A backup reads committed data (pg_dump is another connection): the tests that make one
run in a transactional database, whose flush the audit trail's append-only triggers refuse."""

from __future__ import annotations

import pytest
from django.db import connection

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def audit_triggers_back(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Torn down after the transactional test's flush: puts the append-only triggers back."""
    saved: list[str] = []
    yield saved
    with django_db_blocker.unblock(), connection.cursor() as c:
        if POSTGRES:
            c.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
        for sql in saved:
            c.execute(sql)


@pytest.fixture
def committed(audit_triggers_back, transactional_db, django_db_serialized_rollback):  # type: ignore[no-untyped-def]
    """Committed data (pg_dump reads from another connection); the flush at the end empties the
    audit trail, which its triggers refuse, so they step aside until it is done."""
    yield
    with connection.cursor() as c:
        if POSTGRES:
            c.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            return
        c.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_auditevent'"
        )
        for name, sql in c.fetchall():
            audit_triggers_back.append(sql)
            c.execute(f'DROP TRIGGER "{name}"')

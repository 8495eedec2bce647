from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from xunshi.audit.chain import verify_chain
from xunshi.audit.models import AuditEvent


def _raw(sql: str, params: list[object] | None = None) -> None:
    """Tamper as a database superuser would: around the append-only triggers."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_event_no_update")
            cur.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cur.execute(sql, params or [])


def test_it_verifies_a_clean_chain(world, capsys):
    count, brk = verify_chain()
    assert brk is None and count == AuditEvent.objects.count() > 20
    call_command("verify_audit")
    assert "审计链完整" in capsys.readouterr().out


def test_it_refuses_update_and_delete_in_the_database(world):
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(id=3).update(action="x")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(id=3).delete()


@pytest.mark.parametrize(
    "sql, seq",
    [
        ("UPDATE audit_auditevent SET object_repr = 'forged' WHERE id = 5", 5),
        ("DELETE FROM audit_auditevent WHERE id = 7", 7),
        ("UPDATE audit_auditevent SET id = id + 1000 WHERE id = 4", 4),
    ],
    ids=["changed", "deleted", "reordered"],
)
def test_it_names_the_first_broken_row(world, sql, seq):
    _raw(sql)
    with pytest.raises(CommandError, match=f"第 {seq} 条"):
        call_command("verify_audit")


def test_it_detects_rows_cut_off_the_end(world):
    last = AuditEvent.objects.order_by("-id").first()
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [last.id])
    with pytest.raises(CommandError, match="末尾"):
        call_command("verify_audit")


def test_it_detects_a_forged_row_appended_with_a_recomputed_hash(world):
    from xunshi.lib.crypto import sm3_hex

    last = AuditEvent.objects.order_by("-id").first()
    _raw(
        "INSERT INTO audit_auditevent (id, at, actor_id, actor_username, actor_role, action,"
        " object_type, object_id, object_repr, before, after, prev_hash, hash)"
        " SELECT id + 1, at, actor_id, 'mallory', actor_role, action, object_type, object_id,"
        " object_repr, before, after, hash, %s FROM audit_auditevent WHERE id = %s",
        [sm3_hex(b"forged"), last.id],
    )
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_it_rolls_back_the_change_when_the_audit_write_fails(world, monkeypatch):
    from xunshi.registry import actions
    from xunshi.registry.models import OrgUnit

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(actions, "record", broken)
    with pytest.raises(RuntimeError):
        actions.org_upsert(
            actor=world.users["alice"],
            body=world.body,
            data=actions.OrgInput(code="X001", name="新单位", sector="other"),
        )
    assert not OrgUnit.objects.filter(code="X001").exists()


def test_it_keeps_the_trail_in_chinese_when_the_user_browses_in_english(world):
    from django.utils import translation

    from xunshi.accounts.actors import SYSTEM
    from xunshi.rounds import actions

    with translation.override("en"):
        m = actions.membership_add(
            actor=SYSTEM, team=world.team2, cadre=world.cadres["hong"], role="member"
        )
    event = AuditEvent.objects.filter(action="rounds.membership.add", object_id=str(m.pk)).get()
    assert "组员" in event.object_repr

"""manage.py rotate_field_key: with the new key in XUNSHI_FIELD_KEY and the old one in
XUNSHI_FIELD_KEY_OLD, every sealed text, ID number and file ends under the new key; the old
key can then be dropped and everything still reads; each table is audited; a run that meets a
value neither key opens changes nothing of that table; files are resumable."""

from __future__ import annotations

import datetime as dt
import io
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.chain import verify_chain
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as fieldwork_actions
from xunshi.fieldwork.models import Petition
from xunshi.files import storage
from xunshi.files.actions import attachment_open, attachment_store
from xunshi.lib.sealed_fields import current_key_id, key_id_of, key_id_of_file
from xunshi.registry.models import Cadre
from xunshi.registry.sealing import id_number_index, reveal_id_number

from . import samples

TEXT = "反映某局长违规收受礼金。"
FILE = samples.text("谈话记录：情况属实。\n")


@pytest.fixture
def case(onsite):  # type: ignore[no-untyped-def]
    """A petition (content, name, phone sealed) and an attachment, under the first key."""
    petition = fieldwork_actions.petition_create(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        channel="letter",
        received_on=dt.date(2026, 9, 5),
        content=TEXT,
        real_name=True,
        petitioner_name="张三",
        petitioner_contact="13800000000",
    )
    attachment = attachment_store(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        upload=("谈话记录.txt", FILE),
        audience="team",
    )
    return petition, attachment


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _new_key(settings) -> bytes:  # type: ignore[no-untyped-def]
    old = settings.FIELD_MASTER_KEY
    settings.FIELD_MASTER_KEY = secrets.token_bytes(16)
    settings.FIELD_MASTER_KEY_OLD = old
    return old


def test_it_seals_everything_again_with_the_new_key(case, settings, world):
    petition, attachment = case
    cadre_id = world.cadres["bob"].pk
    id18 = reveal_id_number(Cadre.objects.get(pk=cadre_id).id_number_sealed)
    old_id = current_key_id()
    _new_key(settings)
    # While both keys are known, the app reads what the old one sealed.
    assert Petition.objects.get(pk=petition.pk).content == TEXT
    assert attachment_open(attachment) == FILE

    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    new_id = current_key_id()
    assert new_id != old_id
    assert "密钥轮换完成" in out.getvalue()
    tokens = _raw("inspections_petition", "content")
    tokens += _raw("inspections_petition", "petitioner_contact")
    assert tokens and {key_id_of(t) for t in tokens} == {new_id}
    stored = storage.path_for(attachment.stored_name).read_bytes()
    assert key_id_of_file(stored) == new_id

    # The old key is gone: petitions, files and ID numbers (with their index) still read.
    settings.FIELD_MASTER_KEY_OLD = None
    petition = Petition.objects.get(pk=petition.pk)
    assert (petition.content, petition.petitioner_name) == (TEXT, "张三")
    assert attachment_open(attachment) == FILE
    cadre = Cadre.objects.get(pk=cadre_id)
    assert reveal_id_number(cadre.id_number_sealed) == id18
    assert Cadre.objects.get(id_number_index=id_number_index(id18)) == cadre

    events = AuditEvent.objects.filter(action="files.field_key.rotate")
    tables = {e.after["table"] for e in events}
    assert {"inspections_petition", "registry_cadre", "files_attachment"} <= tables
    assert all(e.after["key_id"] == new_id for e in events)
    # A second run finds nothing left to do.
    call_command("rotate_field_key", stdout=io.StringIO())
    last = AuditEvent.objects.filter(action="files.field_key.rotate").latest("id")
    assert last.after["files"] == 0
    # The audit trail is not keyed with the field key: every event still verifies.
    assert verify_chain(first_checkpoint=True)[1] is None


@pytest.mark.usefixtures("case")
def test_a_value_no_key_opens_leaves_its_table_as_it_was(settings):
    _new_key(settings)
    settings.FIELD_MASTER_KEY_OLD = secrets.token_bytes(16)  # the wrong old key
    before = _raw("inspections_petition", "content")
    with pytest.raises(CommandError, match="无法用当前密钥或 XUNSHI_FIELD_KEY_OLD 解密"):
        call_command("rotate_field_key", stdout=io.StringIO())
    assert _raw("inspections_petition", "content") == before


def test_an_interrupted_run_of_the_files_goes_on_where_it_stopped(case, settings, onsite):
    _petition, first = case
    second = attachment_store(
        actor=SYSTEM, inspection=onsite.inspection1, upload=("b.txt", FILE), audience="team"
    )
    _new_key(settings)
    storage.reseal(first.stored_name)  # as if a run had stopped after the first file
    gone = storage.path_for(second.stored_name)
    kept = gone.read_bytes()
    gone.unlink()
    with pytest.raises(CommandError, match="1个附件文件未能重新加密"):
        call_command("rotate_field_key", stdout=io.StringIO())
    gone.write_bytes(kept)  # restored from the backup
    out = io.StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "重新加密1个，已是新密钥1个" in out.getvalue()
    settings.FIELD_MASTER_KEY_OLD = None
    assert attachment_open(first) == attachment_open(second) == FILE

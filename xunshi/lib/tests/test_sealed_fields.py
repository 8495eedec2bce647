"""Sealed model fields: plain text to the app, SM4-GCM tokens in the column, bound to their
column, readable with the old key during a rotation, and refused in SQL comparisons."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import connection

from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as fieldwork_actions
from xunshi.fieldwork.models import Petition
from xunshi.lib.crypto import CryptoError
from xunshi.lib.sealed_fields import current_key_id, key_id_of, seal_table_in_place

TEXT = "群众反映：某局长违规收受礼金五万元。"


@pytest.fixture
def petition(onsite):  # type: ignore[no-untyped-def]
    return fieldwork_actions.petition_create(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        channel="letter",
        received_on=dt.date(2026, 9, 5),
        content=TEXT,
        real_name=True,
        petitioner_name="张三",
        petitioner_contact="13800000000",
    )


def _raw(pk: int, column: str = "content") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM inspections_petition WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def _write_raw(pk: int, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE inspections_petition SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


def test_the_app_reads_text_and_the_column_holds_a_token(petition):
    assert Petition.objects.get(pk=petition.pk).content == TEXT
    assert list(Petition.objects.values_list("petitioner_name", flat=True)) == ["张三"]
    raw = _raw(petition.pk)
    assert TEXT not in raw and "礼金" not in raw
    assert key_id_of(raw) == current_key_id() and ":sm4gcm1:" in raw
    # A blank stays blank: it says only that nothing was written.
    assert _raw(petition.pk, "reported_persons") == ""


def test_the_same_text_gives_a_new_token_each_time(petition):
    first = _raw(petition.pk)
    petition.save(update_fields=["content"])
    assert _raw(petition.pk) != first
    assert Petition.objects.get(pk=petition.pk).content == TEXT


def test_a_token_moved_to_another_column_or_changed_does_not_open(petition):
    _write_raw(petition.pk, "reply", _raw(petition.pk))  # reply is plain: the token shows
    _write_raw(petition.pk, "petitioner_contact", _raw(petition.pk))
    with pytest.raises(CryptoError):
        Petition.objects.get(pk=petition.pk)
    token = _raw(petition.pk, "petitioner_name")
    _write_raw(
        petition.pk, "petitioner_contact", token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    )
    with pytest.raises(CryptoError):
        Petition.objects.get(pk=petition.pk)


def test_plain_text_written_behind_the_app_s_back_is_not_shown(petition):
    _write_raw(petition.pk, "content", "伪造的内容")
    with pytest.raises(CryptoError):
        Petition.objects.get(pk=petition.pk)


def test_the_old_key_still_reads_during_a_rotation(petition, settings):
    old = settings.FIELD_MASTER_KEY
    settings.FIELD_MASTER_KEY, settings.FIELD_MASTER_KEY_OLD = secrets.token_bytes(16), old
    assert Petition.objects.get(pk=petition.pk).content == TEXT
    settings.FIELD_MASTER_KEY_OLD = None
    with pytest.raises(CryptoError, match="unknown key"):
        Petition.objects.get(pk=petition.pk)


def test_a_search_over_a_sealed_field_is_refused_not_silently_empty(petition):
    with pytest.raises(FieldError):
        Petition.objects.filter(content__icontains="礼金").exists()
    with pytest.raises(FieldError):
        Petition.objects.filter(petitioner_name="张三").exists()
    assert Petition.objects.filter(reported_persons="").count() == 1
    assert not Petition.objects.filter(content__isnull=True).exists()


def test_a_one_line_field_keeps_its_length_and_its_input():
    field = Petition._meta.get_field("petitioner_name")
    assert isinstance(field.formfield().widget, forms.TextInput)
    with pytest.raises(ValidationError):
        field.clean("张" * 51, None)


def test_the_migration_seals_plain_rows_once_and_can_open_them_again(petition):
    _write_raw(petition.pk, "content", TEXT)  # as stored before issue 12
    assert seal_table_in_place(connection, "inspections_petition", ["content"]) == 1
    assert TEXT not in _raw(petition.pk)
    assert seal_table_in_place(connection, "inspections_petition", ["content"]) == 0
    assert Petition.objects.get(pk=petition.pk).content == TEXT
    seal_table_in_place(connection, "inspections_petition", ["content"], unseal=True)
    assert _raw(petition.pk) == TEXT

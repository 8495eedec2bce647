"""Case data sealed at rest: model fields and files stored SM4-GCM-encrypted, read in plain text.

A `SealedTextField` (or `SealedCharField`, the same with a one-line form field) is a TextField
whose value is sealed when it is written (``get_prep_value``) and opened when it is read
(``from_db_value``): the ORM, forms, templates and exports see plain text, the database file
holds only tokens::

    <key id>:sm4gcm1:<base64url(nonce ‖ ciphertext ‖ tag)>

The key is derived from ``settings.FIELD_MASTER_KEY`` (``XUNSHI_FIELD_KEY``) for the purpose
``case-field``; the key id is the first 8 hex digits of the SM3 of a second derived value, so
that a token says which master key sealed it without giving anything of the key away. While a
key is being replaced, ``XUNSHI_FIELD_KEY_OLD`` keeps the old one readable: both ids are known,
writes use the new one, and ``manage.py rotate_field_key`` re-seals what the old one sealed.

The associated data is ``<table>.<column>``: a token cannot be moved into another column or
table. It is not bound to its row, because the primary key is not known when a new row is
written (``get_prep_value`` runs before the INSERT): someone who can write the database can
swap the texts of two petitions, not read them.

An empty string stays empty (it says only that a field was left blank, and keeps
``filter(field="")`` working); a token is never compared in SQL, so every lookup but ``exact``,
``in`` and ``isnull`` is refused (a FieldError) rather than silently matching nothing: search
over a sealed field is done in Python over an already-scoped page, or not at all.

Files use the binary twin (`seal_file`, `open_file`), with the stored name as associated data::

    XSKEY:<key id>\\n ‖ seal_bytes(...)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull, Lookup

from xunshi.lib.crypto import (
    CryptoError,
    derive_key,
    open_sealed,
    open_sealed_bytes,
    seal,
    seal_bytes,
    sm3_hex,
)

__all__ = [
    "FILE_MAGIC",
    "SealedCharField",
    "SealedTextField",
    "current_key_id",
    "key_id_of",
    "key_id_of_file",
    "open_file",
    "open_text",
    "reseal_table",
    "seal_file",
    "seal_table_in_place",
    "seal_text",
    "sealed_columns",
]

FILE_MAGIC = b"XSKEY:"
_PURPOSE = "case-field"
_KEY_ID_LEN = 8


@lru_cache(maxsize=8)
def _derived(master: bytes) -> tuple[str, bytes]:
    """(key id, SM4 key) of a master key; HKDF once per key, not per value."""
    key_id = sm3_hex(derive_key(master, _PURPOSE + "-id"))[:_KEY_ID_LEN]
    return key_id, derive_key(master, _PURPOSE)


def _keyring() -> dict[str, bytes]:
    """Every key that may open a value: the current one and, during a rotation, the old one."""
    ring = dict([_derived(settings.FIELD_MASTER_KEY)])
    old = getattr(settings, "FIELD_MASTER_KEY_OLD", None)
    if old:
        key_id, key = _derived(old)
        ring.setdefault(key_id, key)
    return ring


def current_key_id() -> str:
    """The id of the key every new value is sealed with."""
    return _derived(settings.FIELD_MASTER_KEY)[0]


def _key_for(key_id: str) -> bytes:
    key = _keyring().get(key_id)
    if key is None:
        raise CryptoError(f"sealed with an unknown key ({key_id}): is XUNSHI_FIELD_KEY_OLD set?")
    return key


def seal_text(value: str, *, aad: bytes) -> str:
    """A token for a non-empty text, sealed with the current key."""
    key_id, key = _derived(settings.FIELD_MASTER_KEY)
    return f"{key_id}:{seal(key, value.encode('utf-8'), aad=aad)}"


def key_id_of(token: str) -> str:
    """The id of the key that sealed a token (CryptoError if it is not one)."""
    key_id, sep, _ = token.partition(":")
    if not sep or len(key_id) != _KEY_ID_LEN:
        raise CryptoError("not a sealed field value")
    return key_id


def open_text(token: str, *, aad: bytes) -> str:
    """The text of a token made by `seal_text` with the current or the old key."""
    key_id = key_id_of(token)
    return open_sealed(_key_for(key_id), token[len(key_id) + 1 :], aad=aad).decode("utf-8")


def seal_file(data: bytes, *, aad: bytes) -> bytes:
    """The bytes to store for a file's content, sealed with the current key."""
    key_id, key = _derived(settings.FIELD_MASTER_KEY)
    return FILE_MAGIC + key_id.encode("ascii") + b"\n" + seal_bytes(key, data, aad=aad)


def key_id_of_file(stored: bytes) -> str | None:
    """The id of the key that sealed stored bytes, or None if they are not sealed."""
    head = len(FILE_MAGIC) + _KEY_ID_LEN
    if not stored.startswith(FILE_MAGIC) or stored[head : head + 1] != b"\n":
        return None
    return stored[len(FILE_MAGIC) : head].decode("ascii", errors="replace")


def open_file(stored: bytes, *, aad: bytes) -> bytes:
    """The content of bytes made by `seal_file` with the current or the old key."""
    key_id = key_id_of_file(stored)
    if key_id is None:
        raise CryptoError("not a sealed file")
    return open_sealed_bytes(_key_for(key_id), stored[len(FILE_MAGIC) + _KEY_ID_LEN + 1 :], aad=aad)


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """A TextField stored sealed; reads give the text back (see the module docstring)."""

    def aad(self) -> bytes:
        return f"{self.model._meta.db_table}.{self.column}".encode()

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return seal_text(str(value), aad=self.aad())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return open_text(value, aad=self.aad())

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        # A token matches nothing a user typed: refuse loudly instead of finding nothing.
        return {"exact": _BlankOnly, "isnull": IsNull}.get(lookup_name)


class _BlankOnly(Exact[Any]):
    """``field=""`` (left blank); comparing with a text cannot work on a sealed column."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.name} is sealed: it cannot be compared in SQL")
        return super().get_prep_lookup()


class SealedCharField(SealedTextField):
    """A SealedTextField for one line: max_length checked (the token is longer, so the
    column is text), a one-line form field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Field's form field (a one-line CharField), not TextField's textarea.
        return super(models.TextField, self).formfield(
            form_class, choices_form_class, **{"max_length": self.max_length, **kwargs}
        )


def sealed_columns() -> list[tuple[type[models.Model], list[SealedTextField]]]:
    """Every concrete model with sealed fields, and those fields (for the key rotation)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]
        if fields:
            found.append((model, fields))
    return found


def seal_table_in_place(
    connection: Any, table: str, columns: list[str], *, unseal: bool = False
) -> int:
    """Seal (or, with unseal, open again) every value of some columns of one table by SQL:
    the data migration of plain-text columns turned sealed. Values already sealed (already
    plain, with unseal) are left as they are, so a second run changes nothing. Returns the
    number of values changed."""

    def change(value: str, aad: bytes) -> str | None:
        if unseal:
            return open_text(value, aad=aad) if _is_token(value) else None
        return None if _is_token(value) else seal_text(value, aad=aad)

    return _rewrite_columns(connection, table, columns, change)


def reseal_table(connection: Any, table: str, columns: list[str]) -> int:
    """Seal again with the current key every value of some columns sealed with another key
    (the old one during a rotation); the number of values changed. A plain value, or one that
    does not open, raises CryptoError: the caller's transaction then undoes the table."""
    current = current_key_id()

    def change(value: str, aad: bytes) -> str | None:
        if key_id_of(value) == current:
            return None
        return seal_text(open_text(value, aad=aad), aad=aad)

    return _rewrite_columns(connection, table, columns, change)


def _rewrite_columns(
    connection: Any, table: str, columns: list[str], change: Any, batch: int = 500
) -> int:
    """Apply change(value, aad) -> new value or None to every non-empty value of the columns,
    in batches of rows by id, by SQL (so that neither the ORM nor the fields open anything)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    changed, last = 0, None
    with connection.cursor() as cursor:
        while True:
            params: list[Any] = [] if last is None else [last]
            where = "" if last is None else f" WHERE {quote('id')} > %s"
            cursor.execute(
                f"SELECT {quote('id')}, {names} FROM {quote(table)}{where}"  # noqa: S608
                f" ORDER BY {quote('id')} LIMIT {int(batch)}",
                params,
            )
            rows = cursor.fetchall()
            if not rows:
                return changed
            for pk, *values in rows:
                last = pk
                sets, new = [], []
                for column, value in zip(columns, values, strict=True):
                    replaced = change(value, f"{table}.{column}".encode()) if value else None
                    if replaced is not None:
                        sets.append(column)
                        new.append(replaced)
                if sets:
                    assignments = ", ".join(f"{quote(c)} = %s" for c in sets)
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
                        [*new, pk],
                    )
                    changed += len(sets)


def _is_token(value: str) -> bool:
    try:
        key_id_of(value)
    except CryptoError:
        return False
    return value[_KEY_ID_LEN + 1 :].startswith("sm4gcm1:")

"""Replacing the field key: every sealed value and file sealed again with the new key.

The operator sets the new key in ``XUNSHI_FIELD_KEY`` and the old one in
``XUNSHI_FIELD_KEY_OLD``, restarts the app (which then reads with both and writes with the new
one) and runs ``manage.py rotate_field_key``:

- every table with sealed fields (xunshi/lib/sealed_fields.py `sealed_columns`: petitions,
  talks, clues, working papers, portal follow-ups) is re-sealed in one transaction of its own,
  with its audit event: a table is either wholly under the new key or untouched;
- the cadres' ID numbers (xunshi/registry/sealing.py) likewise, with their blind index;
- every attachment file is re-sealed in place (write under a temporary name, rename), one by
  one: an interrupted run is simply run again, files already under the new key are skipped.
  A file stored before files were sealed is sealed now, if its bytes are the ones uploaded.

Once it has ended without failures, ``XUNSHI_FIELD_KEY_OLD`` is removed and the old key
destroyed. Values under neither key (an unknown key id) make the run fail and say where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from xunshi.accounts.actors import SYSTEM, Actor
from xunshi.audit.actions import record
from xunshi.lib.crypto import CryptoError
from xunshi.lib.sealed_fields import current_key_id, reseal_table, sealed_columns
from xunshi.registry.models import Cadre
from xunshi.registry.sealing import reveal_id_number, seal_id_number

from . import storage
from .models import Attachment

__all__ = ["RotationReport", "field_key_rotate"]


@dataclass
class RotationReport:
    key_id: str
    #: values re-sealed per table (a table already under the new key counts 0)
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    files_current: int = 0
    #: (stored name, why) of the files that could not be re-sealed; run again once fixed
    files_failed: list[tuple[str, str]] = field(default_factory=list)


def field_key_rotate(*, actor: Actor = SYSTEM) -> RotationReport:
    """Seal every sealed field, ID number and attachment again with the current field key;
    each table all-or-nothing with its audit event, the files one by one (resumable)."""
    report = RotationReport(key_id=current_key_id())
    for model, fields in sealed_columns():
        table = model._meta.db_table
        with transaction.atomic():
            count = reseal_table(connection, table, [f.column for f in fields])
            report.tables[table] = count
            _audit(actor, table, {"values": count})
    with transaction.atomic():
        report.tables[Cadre._meta.db_table] = count = _reseal_id_numbers()
        _audit(actor, Cadre._meta.db_table, {"values": count})
    _reseal_files(report)
    with transaction.atomic():
        _audit(
            actor,
            "files_attachment",
            {
                "files": report.files,
                "already": report.files_current,
                "failed": [name for name, _ in report.files_failed],
            },
        )
    return report


def _audit(actor: Actor, table: str, counts: dict[str, object]) -> None:
    record(
        actor=actor,
        action="files.field_key.rotate",
        object_type="files.field_key",
        object_repr=f"{table}：以新密钥重新加密",
        after={"table": table, "key_id": current_key_id(), **counts},
    )


def _reseal_id_numbers() -> int:
    old = getattr(settings, "FIELD_MASTER_KEY_OLD", None)
    count = 0
    rows = Cadre.objects.select_for_update().only("pk", "id_number_sealed").order_by("pk")
    for cadre in rows.iterator(chunk_size=500):
        try:
            reveal_id_number(cadre.id_number_sealed)
            continue  # already under the current key
        except CryptoError:
            if old is None:
                raise
        sealed = seal_id_number(reveal_id_number(cadre.id_number_sealed, master=old))
        Cadre.objects.filter(pk=cadre.pk).update(
            id_number_sealed=sealed.sealed, id_number_index=sealed.index
        )
        count += 1
    return count


def _reseal_files(report: RotationReport) -> None:
    rows = Attachment.objects.values_list("stored_name", "sha256").order_by("pk")
    for stored_name, sha256 in rows.iterator(chunk_size=500):
        try:
            if storage.reseal(stored_name, plain_sha256=sha256):
                report.files += 1
            else:
                report.files_current += 1
        except (OSError, ValueError, CryptoError) as e:
            report.files_failed.append((stored_name, type(e).__name__))

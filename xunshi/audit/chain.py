"""Writing to and verifying the hash chain of the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone, translation

from xunshi.lib.crypto import derive_key, hmac_sm3_hex

from .models import AuditEvent, AuditHead

__all__ = ["SYSTEM", "ChainBreak", "record", "snapshot", "verify_chain"]

GENESIS = "0" * 64


class _System:
    """The actor of writes that no person made (the demo loader, scheduled jobs)."""

    pk = None
    username = "system"
    role = "system"


SYSTEM = _System()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of obj as plain JSON values (foreign keys as ids)."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def _digest(prev_hash: str, row: Mapping[str, Any]) -> str:
    body = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Keyed (HMAC-SM3), so that someone with only database access cannot re-chain forged rows.
    key = derive_key(settings.FIELD_MASTER_KEY, "audit-chain")
    return hmac_sm3_hex(key, (prev_hash + body).encode())


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
    }


def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Chain one audit event on; must run inside the transaction of the change it records."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction of their change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        # The trail is kept in one language, whatever the acting user browses in.
        with translation.override(settings.LANGUAGE_CODE):
            object_repr = object_repr or str(obj)[:200]
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        id=head.last_id + 1,
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_username=getattr(actor, "username", "") or "anonymous",
        actor_role=str(getattr(actor, "role", "") or ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_plain(dict(before)) if before is not None else None,
        after=_plain(dict(after)) if after is not None else None,
        prev_hash=head.last_hash,
    )
    event.hash = _digest(event.prev_hash, _row(event))
    event.save(force_insert=True)
    head.last_id = event.id
    head.last_hash = event.hash
    head.save(update_fields=["last_id", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def _events(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Recompute the chain; return the number of rows checked and the first break, if any."""
    expected_id = 1
    prev = GENESIS
    count = 0
    with transaction.atomic():
        for event in _events():
            if event.id != expected_id:
                return count, ChainBreak(expected_id, f"缺少序号 {expected_id}（记录被删除或插入）")
            if event.prev_hash != prev:
                return count, ChainBreak(event.id, "前序哈希不符（记录被改动、删除或重排）")
            if _digest(prev, _row(event)) != event.hash:
                return count, ChainBreak(event.id, "内容与哈希不符（记录被改动）")
            prev = event.hash
            expected_id += 1
            count += 1
        head = AuditHead.objects.filter(pk=1).first()
        if head is not None and (head.last_id != count or head.last_hash != prev):
            return count, ChainBreak(count + 1, "链尾与记录不符（末尾记录被删除）")
    return count, None

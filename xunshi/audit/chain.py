"""The hash chain of the audit trail: the digest that links each event to the one before
(`event_hash`, which `actions.record` writes) and its verification (`verify_chain`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from xunshi.lib.crypto import derive_key, hmac_sm3_hex

from .models import AuditEvent, AuditHead

__all__ = ["ChainBreak", "check_rows", "event_hash", "verify_chain"]

GENESIS = "0" * 64


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


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """The keyed digest that chains event onto the event whose hash is prev_hash."""
    return _digest(prev_hash, _row(event))


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
            if event_hash(prev, event) != event.hash:
                return count, ChainBreak(event.id, "内容与哈希不符（记录被改动）")
            prev = event.hash
            expected_id += 1
            count += 1
        head = AuditHead.objects.filter(pk=1).first()
        if head is not None and (head.last_id != count or head.last_hash != prev):
            return count, ChainBreak(count + 1, "链尾与记录不符（末尾记录被删除）")
    return count, None


def check_rows(events: list[AuditEvent]) -> dict[int, str | None]:
    """Each of these events (a page of the trail) against its own hash and the hash of the
    event before it: None where it holds, else the reason; the whole chain is `verify_chain`."""
    before = {e.id - 1 for e in events} - {0}
    hashes = dict(AuditEvent.objects.filter(id__in=before).values_list("id", "hash"))
    hashes[0] = GENESIS
    out: dict[int, str | None] = {}
    for event in events:
        if hashes.get(event.id - 1) != event.prev_hash:
            out[event.id] = "前序哈希不符（记录被改动、删除或重排）"
        elif event_hash(event.prev_hash, event) != event.hash:
            out[event.id] = "内容与哈希不符（记录被改动）"
        else:
            out[event.id] = None
    return out

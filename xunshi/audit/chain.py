"""The hash chain of the audit trail: the digest that links each event to the one before
(`event_hash`, which `actions.record` writes), the head's MAC (`head_mac`), and the
verification of the whole (`verify_chain`): the rows, the head, and the newest signed
checkpoints outside the database (`anchor.py`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

from xunshi.lib.crypto import derive_key, hmac_sm3_hex, hmac_sm3_keyed

from .anchor import Checkpoint, CheckpointForged, checkpoint_path, newest_checkpoints
from .models import AuditEvent, AuditHead

__all__ = [
    "ChainBreak",
    "check_rows",
    "event_hash",
    "head_mac",
    "username_digest",
    "verified_mac",
    "verify_chain",
]

GENESIS = "0" * 64


@lru_cache(maxsize=8)
def _derived(master: bytes, purpose: str) -> bytes:
    """derive_key once per key and purpose (HKDF costs more than the HMAC it keys)."""
    return derive_key(master, purpose)


def _digest(prev_hash: str, row: Mapping[str, Any]) -> str:
    body = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # Keyed (HMAC-SM3), so that someone with only database access cannot re-chain forged rows;
    # with the audit key, not the field key, so that replacing the field key (rotate_field_key)
    # leaves every event chained before it verifiable.
    key = _derived(settings.AUDIT_KEY, "audit-chain")
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


def head_mac(last_id: int, last_hash: str, count: int) -> str:
    """HMAC-SM3 of the head with the audit key, which the database does not hold: a head set
    by hand (say, to an earlier row after the rows behind it were deleted) does not carry it."""
    key = _derived(settings.AUDIT_KEY, "audit-head")
    return hmac_sm3_hex(key, f"xunshi-audit-head/v1|{last_id}|{last_hash}|{count}".encode())


def verified_mac(through_id: int, through_hash: str) -> str:
    """HMAC-SM3 with the audit key of the row a verification passed up to: the next one
    starts after it only if the mark carries this (a mark moved forward by hand does not)."""
    key = _derived(settings.AUDIT_KEY, "audit-verified")
    return hmac_sm3_hex(key, f"xunshi-audit-verified/v1|{through_id}|{through_hash}".encode())


def username_digest(username: str) -> str:
    """What a failed sign-in keeps of the user name typed: 16 hex digits of its HMAC-SM3 with
    the audit key. Attempts on one name still group together; a password typed into the
    user name box is not kept, and a guess cannot be checked without the key."""
    key = _derived(settings.AUDIT_KEY, "audit-username")
    return hmac_sm3_hex(key, username.encode())[:16]


@dataclass(frozen=True)
class ChainBreak:
    """Where and why the trail fails verification; seq is None when no one row is to blame
    (the head's MAC, a forged checkpoint)."""

    seq: int | None
    reason: str


# The columns an event is chained over, in the order of `_row`, and its two hashes.
_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "prev_hash",
    "hash",
)
_BATCH = 10_000


def _batches(after: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows after id `after` in id order, as tuples of _COLUMNS, a batch at a time: no
    model objects (building them cost a third of the walk), one index range per batch."""
    last = after
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last, id__lte=last + _BATCH)
            .order_by("id")
            .values_list(*_COLUMNS)
        )
        if not rows:
            # A gap of a whole batch (rows deleted) ends the walk where the next id is missing.
            rows = list(
                AuditEvent.objects.filter(id__gt=last).order_by("id").values_list(*_COLUMNS)[:1]
            )
            if not rows:
                return
        yield rows
        last = rows[-1][0]


def _walk(
    start: int,
    prev: str,
    want: set[int],
    seen: dict[int, str],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, str, ChainBreak | None]:
    """Check the rows after id start (whose hash is prev); return the last id and hash
    reached, and the first break. The hashes of the ids in want are kept in seen; progress
    is told the last id reached after each batch."""
    expected_id = start + 1
    base = hmac_sm3_keyed(_derived(settings.AUDIT_KEY, "audit-chain"))
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    utc = dt.UTC
    for rows in _batches(start):
        for values in rows:
            seq, at, *middle, prev_hash, digest = values
            if seq != expected_id:
                return (
                    expected_id - 1,
                    prev,
                    ChainBreak(expected_id, f"缺少序号 {expected_id}（记录被删除或插入）"),
                )
            if prev_hash != prev:
                return (
                    expected_id - 1,
                    prev,
                    ChainBreak(seq, "前序哈希不符（记录被改动、删除或重排）"),
                )
            row = dict(zip(_COLUMNS[2:11], middle, strict=True))
            row["id"] = seq
            row["at"] = at.astimezone(utc).isoformat(timespec="microseconds")
            mac = base.copy()
            mac.update((prev + dumps(row)).encode())
            if mac.finalize().hex() != digest:
                return expected_id - 1, prev, ChainBreak(seq, "内容与哈希不符（记录被改动）")
            if seq in want:
                seen[seq] = digest
            prev = digest
            expected_id += 1
        if progress is not None:
            progress(expected_id - 1)
    return expected_id - 1, prev, None


def _check_head(count: int, prev: str) -> ChainBreak | None:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or (head.last_id == 0 and not head.mac):
        # No event was ever chained on (a new installation), or the head was wiped: the rows
        # say which, and the checkpoints whether there were rows before.
        if count:
            return ChainBreak(count + 1, "链尾缺失（链尾记录被删除）")
        return None
    if head.last_id != count or head.last_hash != prev:
        return ChainBreak(count + 1, "链尾与记录不符（末尾记录被删除）")
    if head.mac != head_mac(head.last_id, head.last_hash, count):
        return ChainBreak(None, "链尾的校验码不符（链尾被改写）")
    return None


def _check_checkpoints(
    points: list[Checkpoint] | None, count: int, seen: dict[int, str], *, first: bool
) -> ChainBreak | None:
    where = checkpoint_path()
    if points is None:
        if count >= settings.AUDIT_CHECKPOINT_EVENTS and not first:
            return ChainBreak(
                None,
                f"检查点文件缺失：审计日志已有 {count} 条，{where} 却没有任何检查点"
                "（文件被删除或换了位置；首次启用检查点时运行 manage.py verify_audit "
                "--first-checkpoint）",
            )
        return None
    for point in sorted(points, key=lambda p: -p.count):
        if point.count != point.last_id:
            return ChainBreak(None, f"检查点与自身不符：{where} 第 {point.line} 行")
        if point.count > count and not count:
            return ChainBreak(
                1,
                f"记录被全部删除：{point.time} 的检查点记载共 {point.count} 条，数据库中一条也没有",
            )
        if point.count > count:
            return ChainBreak(
                count + 1,
                f"末尾记录被删除：{point.time} 的检查点记载共 {point.count} 条，"
                f"数据库中只有 {count} 条",
            )
        if seen.get(point.last_id) != point.last_hash:
            return ChainBreak(
                point.last_id,
                f"与 {point.time} 的检查点不符（该条之前的记录被替换）",
            )
    return None


def verify_chain(
    *,
    first_checkpoint: bool = False,
    start: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, ChainBreak | None]:
    """Recompute the chain, check the head's MAC and that the newest signed checkpoints are a
    prefix of the chain; return the number of rows of the chain and the first break, if any.
    first_checkpoint: a missing checkpoint file is no break (the first run after upgrading).
    start: (id, hash) of a row a verification already passed: only the rows after it are
    recomputed, the rest is taken as verified but for that row's stored hash (a change before
    it is found by a full run). progress: told the last id reached, batch by batch."""
    try:
        points = newest_checkpoints()
    except CheckpointForged as forged:
        return 0, ChainBreak(
            None, f"检查点被伪造或损坏：{forged.path} 第 {forged.line} 行的签名不符"
        )
    want = {p.last_id for p in points or []}
    seen: dict[int, str] = {}
    count, prev = 0, GENESIS
    # No transaction around the walk: its progress reports are written meanwhile and must be
    # seen by the page that polls them (under READ COMMITTED a transaction held no snapshot).
    if start is not None and start[0] > 0:
        count, prev = start
        stored = AuditEvent.objects.filter(id=count).values_list("hash", flat=True).first()
        if stored != prev:
            return count, ChainBreak(count, "与上次核验通过时的哈希不符（记录被改动、删除或重排）")
        # Checkpoints inside the verified part: the rows' stored hashes, verified then.
        earlier = {i for i in want if i <= count}
        seen.update(AuditEvent.objects.filter(id__in=earlier).values_list("id", "hash"))
    while True:
        count, prev, brk = _walk(count, prev, want, seen, progress)
        if brk is not None:
            return count, brk
        head = AuditHead.objects.filter(pk=1).first()
        # Events committed while the rows were read: the head is read after them, so check
        # those too; no new row behind a longer head means rows were cut off the end.
        if head is None or head.last_id <= count:
            break
        if not AuditEvent.objects.filter(id=count + 1).exists():
            break
    brk = _check_head(count, prev)
    if brk is None:
        brk = _check_checkpoints(points, count, seen, first=first_checkpoint)
    return count, brk


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

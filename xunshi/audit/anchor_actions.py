"""The only writer of the checkpoint file (`anchor.py` says what a checkpoint is).

When: `actions.record` asks for one after the transaction that chains every
AUDIT_CHECKPOINT_EVENTS-th event commits, and after the first event a process records once
AUDIT_CHECKPOINT_MINUTES have passed since its last one (`checkpoint_due`, then
`transaction.on_commit`, so that a checkpoint never names a row that was rolled back and the
signature, about 50 ms, is not paid inside the transaction); `manage.py verify_audit` and the
audit page's 核验 write one after a verification that passed.

A checkpoint is of the head as committed, and only if the head's MAC holds and the newest
checkpoint already written is a prefix of the chain: the app never signs a chain that was cut
short and chained on again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from xunshi.lib.crypto import sm2_sign_hex

from .anchor import CheckpointForged, checkpoint_message, checkpoint_path, newest_checkpoints
from .chain import head_mac
from .models import AuditEvent, AuditHead

__all__ = ["CheckpointRefused", "checkpoint_due", "checkpoint_soon", "checkpoint_write"]

logger = logging.getLogger(__name__)

# When this process next writes a checkpoint whatever the count (time.monotonic); 0: at its
# first event.
_next_due = 0.0


class CheckpointRefused(Exception):
    """No checkpoint was written: the reason, in Chinese."""


def checkpoint_due(last_id: int) -> bool:
    """Whether the event just chained (numbered last_id) calls for a checkpoint."""
    if last_id % settings.AUDIT_CHECKPOINT_EVENTS == 0:
        return True
    return time.monotonic() >= _next_due


def checkpoint_soon() -> None:
    """A checkpoint once the current transaction commits; a failure is logged, never raised
    (the change it follows is committed by then)."""
    global _next_due
    _next_due = time.monotonic() + 60 * settings.AUDIT_CHECKPOINT_MINUTES
    transaction.on_commit(_checkpoint_logged, robust=True)


def _checkpoint_logged() -> None:
    try:
        checkpoint_write()
    except (CheckpointRefused, OSError) as exc:
        logger.error("audit checkpoint not written: %s", exc)


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_APPEND with one write: lines of two processes never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _syslog(line: str) -> None:
    where = settings.AUDIT_CHECKPOINT_SYSLOG
    if not where:
        return
    host, sep, port = where.rpartition(":")
    address: str | tuple[str, int] = (host, int(port)) if sep and port.isdigit() else where
    handler = logging.handlers.SysLogHandler(address=address)
    try:
        handler.emit(
            logging.LogRecord("xunshi.audit", logging.INFO, "", 0, line.strip(), None, None)
        )
    finally:
        handler.close()


def checkpoint_write() -> dict[str, object]:
    """Sign the committed head and append it to the checkpoint file; the values written."""
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.last_id == 0:
        raise CheckpointRefused("审计日志还没有记录，无需检查点")
    if head.mac != head_mac(head.last_id, head.last_hash, head.last_id):
        raise CheckpointRefused("链尾的校验码不符（链尾被改写），不写检查点")
    try:
        points = newest_checkpoints()
    except CheckpointForged as forged:
        raise CheckpointRefused(
            f"检查点被伪造或损坏：{forged.path} 第 {forged.line} 行的签名不符，不写检查点"
        ) from None
    for point in points or []:
        row = AuditEvent.objects.filter(id=point.last_id).values_list("hash", flat=True).first()
        if point.count > head.last_id or row != point.last_hash:
            raise CheckpointRefused(
                f"审计链与 {point.time} 的检查点不符（记录被删除或替换），不写检查点"
            )
    values: dict[str, object] = {
        "count": head.last_id,
        "last_id": head.last_id,
        "last_hash": head.last_hash,
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    signature = sm2_sign_hex(
        settings.AUDIT_SM2_PRIVATE_KEY, settings.AUDIT_SM2_PUBLIC_KEY, checkpoint_message(values)
    )
    line = json.dumps({**values, "sig": signature}, sort_keys=True) + "\n"
    _append(checkpoint_path(), line)
    _syslog(line)
    return values

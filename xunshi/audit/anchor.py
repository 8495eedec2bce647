"""The audit trail's anchor outside the database: signed checkpoints of the chain's end.

Each checkpoint is one line of JSON in ``AUDIT_CHECKPOINT_DIR/checkpoints.jsonl``::

    {"count": 1000, "last_id": 1000, "last_hash": "…", "time": "2026-12-06T18:00:00+00:00",
     "sig": "<SM2 signature, r ‖ s in hex>"}

signed with the audit SM2 key over the other four fields (`checkpoint_message`). The file is
appended to (`anchor_actions.checkpoint_write`) by the app, a place the database user cannot
write; someone who rewrites the database can cut the chain short and copy a head, but cannot
take back what the file already says. This module reads and checks; it writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from xunshi.lib.crypto import sm2_verify_hex

__all__ = [
    "CHECKPOINT_FILE",
    "TAIL",
    "Checkpoint",
    "CheckpointForged",
    "checkpoint_message",
    "checkpoint_path",
    "newest_checkpoints",
]

CHECKPOINT_FILE = "checkpoints.jsonl"
# The last lines whose signatures a verification checks (about 60 ms each with gmalg): lines
# written by two processes at once can land out of order, so the newest is the largest count
# among these, not merely the last line.
TAIL = 4
_FIELDS = ("count", "last_id", "last_hash", "time")


@dataclass(frozen=True)
class Checkpoint:
    count: int
    last_id: int
    last_hash: str
    time: str
    line: int  # its line number in the file, for a message


class CheckpointForged(Exception):
    """A line of the checkpoint file that does not parse or whose signature does not hold."""

    def __init__(self, path: Path, line: int) -> None:
        super().__init__(f"{path}:{line}")
        self.path = path
        self.line = line


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR) / CHECKPOINT_FILE


def checkpoint_message(values: dict[str, Any]) -> bytes:
    """What the signature covers: the four fields as canonical JSON, under a format tag."""
    body = json.dumps({k: values[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"))
    return b"xunshi-audit-checkpoint/v1\n" + body.encode()


def _tail(path: Path, lines: int) -> list[tuple[int, str]]:
    """The last lines of the file with their numbers (the file grows by one line per
    checkpoint: a few a day at the defaults, so reading it whole stays cheap for years)."""
    with path.open(encoding="utf-8") as f:
        numbered = [(n, text) for n, text in enumerate(f, start=1) if text.strip()]
    return numbered[-lines:]


def _parse(path: Path, number: int, text: str) -> Checkpoint:
    try:
        values = json.loads(text)
        point = Checkpoint(
            count=int(values["count"]),
            last_id=int(values["last_id"]),
            last_hash=str(values["last_hash"]),
            time=str(values["time"]),
            line=number,
        )
        signature = str(values["sig"])
    except (ValueError, KeyError, TypeError):
        raise CheckpointForged(path, number) from None
    if not sm2_verify_hex(settings.AUDIT_SM2_PUBLIC_KEY, checkpoint_message(values), signature):
        raise CheckpointForged(path, number)
    return point


def newest_checkpoints(lines: int = TAIL) -> list[Checkpoint] | None:
    """The last checkpoints of the file, each with its signature checked (CheckpointForged
    for the first that fails); None when there is no file or it holds no line."""
    path = checkpoint_path()
    if not path.exists():
        return None
    points = [_parse(path, number, text) for number, text in _tail(path, lines)]
    return points or None

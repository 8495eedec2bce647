"""The records an attachment belongs to, and who reads them: a file's readers are the readers of
its record (a petition's photo is the petition's readers', a ledger item's evidence the ledger's).

Files stands below every app that attaches files (fieldwork, decisions, rectification, intake),
so it may not ask them; each of them tells files instead, from its `AppConfig.ready`, one
`RecordFiles` per kind of record that holds attachments: `held()`, the ids of every attachment
such records hold, and `readable(user)`, the ids of those whose record the user may open by that
app's own access rule. `files.access` gives an attachment held by some record only to a reader
of one of its records; an attachment no record holds keeps the rule of its inspection or body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:  # no model at import time: the apps' configs import this module
    from xunshi.accounts.models import User

__all__ = ["RecordFiles", "record_files", "record_files_register"]


@dataclass(frozen=True)
class RecordFiles:
    """One kind of record that holds attachments, as its app describes it to files."""

    name: str  # the record, for reading and for replacing a registration: "fieldwork.evidence"
    held: Callable[[], QuerySet[Any]]  # one column of attachment ids
    readable: Callable[[User], QuerySet[Any]]  # one column of attachment ids


_REGISTERED: dict[str, RecordFiles] = {}


def record_files_register(kind: RecordFiles) -> None:
    """Tell files about a kind of record holding attachments (from an `AppConfig.ready`;
    registering the same name again replaces it)."""
    _REGISTERED[kind.name] = kind


def record_files() -> tuple[RecordFiles, ...]:
    """Every kind of record that holds attachments, as registered."""
    return tuple(_REGISTERED.values())

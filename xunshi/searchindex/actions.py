"""The writer of the search index: called by the owning apps' actions, inside their
transaction, so that a record and its entry are written (or rolled back) together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .engine import fts_delete, fts_delete_kind, fts_insert, stored_tokens
from .kinds import Entry, SearchKind, search_kinds
from .models import SearchEntry
from .tokens import tokens_of

__all__ = ["search_index", "search_reindex", "search_unindex"]


def _row(kind: SearchKind, entry: Entry) -> tuple[SearchEntry, str]:
    tokens = tokens_of(entry.plain, entry.sealed, entry.keys)
    row = SearchEntry(
        kind=kind.name,
        object_id=entry.object_id,
        body_id=entry.body_id,
        inspection_id=entry.inspection_id,
        restricted=entry.restricted,
        on=entry.on,
        tokens=stored_tokens(tokens),
    )
    return row, tokens


def search_index(kind: SearchKind, obj: Any) -> SearchEntry:
    """Index one record (again): its entry replaces the one it had."""
    new, tokens = _row(kind, kind.entry(obj))
    with transaction.atomic():
        old = (
            SearchEntry.objects.select_for_update()
            .filter(kind=kind.name, object_id=new.object_id)
            .first()
        )
        if old is not None:
            new.pk = old.pk
            fts_delete(old.pk)
        new.save()
        fts_insert([(new.pk, tokens)])
    return new


def search_unindex(kind: SearchKind, object_id: int) -> None:
    """Take a record out of the index (when the record is deleted)."""
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=kind.name, object_id=object_id).first()
        if old is not None:
            fts_delete(old.pk)
            old.delete()


def search_reindex(
    kinds: Iterable[SearchKind] | None = None, *, batch: int = 1000
) -> dict[str, int]:
    """Build the entries of some kinds (all by default) again from their records; the number
    indexed per kind. Entries of records that no longer exist go."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in kinds if kinds is not None else search_kinds():
            fts_delete_kind(kind.name)
            SearchEntry.objects.filter(kind=kind.name).delete()
            counts[kind.name] = 0
            pending: list[tuple[SearchEntry, str]] = []
            for obj in kind.rows().iterator(chunk_size=batch):
                pending.append(_row(kind, kind.entry(obj)))
                if len(pending) >= batch:
                    counts[kind.name] += _write(pending)
                    pending = []
            counts[kind.name] += _write(pending)
    return counts


def _write(pending: list[tuple[SearchEntry, str]]) -> int:
    created = SearchEntry.objects.bulk_create([row for row, _tokens in pending])
    fts_insert([(row.pk, tokens) for row, (_row_, tokens) in zip(created, pending, strict=True)])
    return len(created)

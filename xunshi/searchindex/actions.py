"""The writer of the search index: called by the owning apps' actions, inside their
transaction, so that a record and its entry are written (or rolled back) together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from .engine import fts_delete, fts_replace, is_postgres
from .kinds import Entry, SearchKind, search_kinds
from .models import SearchEntry
from .tokens import tokens_of

__all__ = ["fts_rebuild", "search_index", "search_reindex", "search_unindex"]


def _row(kind: SearchKind, entry: Entry) -> SearchEntry:
    return SearchEntry(
        kind=kind.name,
        object_id=entry.object_id,
        body_id=entry.body_id,
        inspection_id=entry.inspection_id,
        restricted=entry.restricted,
        on=entry.on,
        tokens=tokens_of(entry.plain, entry.sealed, entry.keys),
    )


def search_index(kind: SearchKind, obj: Any) -> SearchEntry:
    """Index one record (again): its entry replaces the one it had."""
    new = _row(kind, kind.entry(obj))
    with transaction.atomic():
        old = (
            SearchEntry.objects.select_for_update()
            .filter(kind=kind.name, object_id=new.object_id)
            .first()
        )
        if old is not None:
            new.pk = old.pk
        new.save()
        fts_replace(new.pk, old.tokens if old is not None else None, new.tokens)
    return new


def search_unindex(kind: SearchKind, object_id: int) -> None:
    """Take a record out of the index (when the record is deleted)."""
    with transaction.atomic():
        old = SearchEntry.objects.filter(kind=kind.name, object_id=object_id).first()
        if old is not None:
            fts_delete(old.pk, old.tokens)
            old.delete()


def fts_rebuild() -> None:
    """Build SQLite's FTS5 table again from every entry (nothing to do on PostgreSQL)."""
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO searchindex_fts(searchindex_fts) VALUES('rebuild')")


def search_reindex(
    kinds: Iterable[SearchKind] | None = None, *, batch: int = 1000
) -> dict[str, int]:
    """Build the entries of some kinds (all by default) again from their records; the number
    indexed per kind. Entries of records that no longer exist go."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        for kind in kinds if kinds is not None else search_kinds():
            SearchEntry.objects.filter(kind=kind.name).delete()
            rows: list[SearchEntry] = []
            counts[kind.name] = 0
            for obj in kind.rows().iterator(chunk_size=batch):
                rows.append(_row(kind, kind.entry(obj)))
                if len(rows) >= batch:
                    SearchEntry.objects.bulk_create(rows)
                    counts[kind.name] += len(rows)
                    rows = []
            SearchEntry.objects.bulk_create(rows)
            counts[kind.name] += len(rows)
        fts_rebuild()
    return counts

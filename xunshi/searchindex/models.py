"""The one index of the full-text search: a row per indexed record, with its scope.

A row says which record it stands for (`kind`, `object_id`), where that record lives (the
body, the inspection, whether it is restricted beyond its inspection's readers, such as a
高密 clue) and the day it is filed under, and holds its search tokens: jieba's words of the
plain fields, the keyed digests of the words of sealed fields (a blind index, `tokens.py`),
and the pinyin keys of names. The scope columns are what the search query filters on
(`xunshi/search/queries.py`), by the owning app's own access rule, so a hit is never counted
for a user who may not read its record.

SQLite matches through the FTS5 table `searchindex_fts`, which keeps the tokens itself (rowid =
this table's id; `tokens` stays empty here, so that a row is narrow); PostgreSQL through a GIN
index on the tsvector of `tokens`. Both are made by the migration, outside the model, so the
model is the same on both. `SearchMatch` names the FTS5 table to the ORM (no table of its own),
so that the search joins it once and reads the match's rank from the same row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Lookup

if TYPE_CHECKING:  # types of the stubs only
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType


class SearchEntry(models.Model):
    """One indexed record: its kind, id, scope, date and tokens."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    body_id = models.PositiveBigIntegerField(null=True)
    inspection_id = models.PositiveBigIntegerField(null=True)
    restricted = models.BooleanField(default=False)
    on = models.DateField(null=True)
    tokens = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_record")
        ]
        indexes = [
            models.Index(fields=["inspection_id", "kind"], name="searchentry_inspection"),
            models.Index(fields=["body_id", "kind"], name="searchentry_body"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id}"


class FullText(models.TextField):  # type: ignore[type-arg]
    """The indexed column of SQLite's FTS5 table: `match` is FTS5's MATCH on it."""


@FullText.register_lookup
class Match(Lookup[str]):
    """`tokens__match=query`: FTS5's own MATCH, the query a bound parameter."""

    lookup_name = "match"

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> _AsSqlType:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


class SearchMatch(models.Model):
    """SQLite's FTS5 table as the search query joins it (made by the migration, on SQLite only;
    never queried on PostgreSQL): its rowid is the entry's id, `rank` FTS5's bm25 of the row
    for the query matched in the same statement (lower is better)."""

    entry = models.OneToOneField(
        SearchEntry,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="fts",
    )
    tokens = FullText()
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "searchindex_fts"

    def __str__(self) -> str:
        return f"fts#{self.pk}"

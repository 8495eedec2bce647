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
index on the tsvector of `tokens`. Both are made by
the migration, outside the model, so the model is the same on both.
"""

from __future__ import annotations

from django.db import models


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

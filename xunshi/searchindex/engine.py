"""The two full-text engines behind one interface: SQLite FTS5 and PostgreSQL's tsvector.

`fts_insert` and `fts_delete` keep SQLite's FTS5 table in step with the rows of `SearchEntry`
(PostgreSQL's GIN index follows the row by itself); `matching` gives the filter and the rank of
a query as ORM expressions over `SearchEntry`, so the caller adds the scope filters of the same
query and the database does the match, the scope, the count and the order in one statement.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

__all__ = [
    "fts_delete",
    "fts_delete_kind",
    "fts_insert",
    "is_postgres",
    "matching",
    "stored_tokens",
]

_TABLE = "searchindex_searchentry"
# The tsvector of a row's tokens, taken as lexemes as they are (no parser: the tokens were cut
# by jieba); the migration's GIN index is on exactly this expression.
PG_VECTOR = f"array_to_tsvector(string_to_array({_TABLE}.tokens, ' '))"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def fts_delete(entry_id: int) -> None:
    """Take a row's tokens out of SQLite's FTS5 table (nothing to do on PostgreSQL)."""
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM searchindex_fts WHERE rowid = %s", [entry_id])


def fts_delete_kind(kind: str) -> None:
    """Take every row of one kind out of SQLite's FTS5 table (before a rebuild of the kind)."""
    if is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM searchindex_fts WHERE rowid IN"
            " (SELECT id FROM searchindex_searchentry WHERE kind = %s)",
            [kind],
        )


def fts_insert(rows: list[tuple[int, str]]) -> None:
    """Put (entry id, tokens) rows into SQLite's FTS5 table (nothing to do on PostgreSQL)."""
    if is_postgres() or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO searchindex_fts(rowid, tokens) VALUES(%s, %s)", rows)


def stored_tokens(tokens: str) -> str:
    """What `SearchEntry.tokens` keeps: the tokens on PostgreSQL (its GIN index reads them),
    nothing on SQLite, whose FTS5 table keeps them itself: a narrow row is what makes the
    scope's look-up of a few thousand matches cheap (measured in BENCHMARKS-search.md)."""
    return tokens if is_postgres() else ""


def _fts5_query(terms: list[tuple[str, ...]]) -> str:
    def alt(a: str) -> str:
        return f'"{a[:-1]}"*' if a.endswith("*") else f'"{a}"'

    return " AND ".join("(" + " OR ".join(alt(a) for a in term) + ")" for term in terms)


def _tsquery(terms: list[tuple[str, ...]]) -> str:
    def alt(a: str) -> str:
        return f"'{a[:-1]}':*" if a.endswith("*") else f"'{a}'"

    return " & ".join("(" + " | ".join(alt(a) for a in term) + ")" for term in terms)


# The SQL of the match and the rank: constant text, the query always a bound parameter.
_PG_FOUND = PG_VECTOR + " @@ %s::tsquery"
_PG_RANK = "-ts_rank(" + PG_VECTOR + ", %s::tsquery)"


def matching(terms: list[tuple[str, ...]]) -> tuple[Any, Any]:
    """(filter, rank) of the rows that hold one alternative of every term; a lower rank is a
    better hit on both engines.

    On SQLite the entries are joined once to the FTS5 table (`SearchMatch`, rowid = id): the
    match drives the statement, and its rank is read from the matched row, where a correlated
    subquery per hit made FTS5 run the whole match again for each (about 30 ms a hit at a
    million entries, BENCHMARKS-search.md)."""
    if is_postgres():
        query = _tsquery(terms)
        found = RawSQL(_PG_FOUND, [query], output_field=BooleanField())  # noqa: S611 (constant SQL)
        rank = RawSQL(_PG_RANK, [query], output_field=FloatField())  # noqa: S611 (constant SQL)
        return found, rank
    return Q(fts__tokens__match=_fts5_query(terms)), F("fts__rank")

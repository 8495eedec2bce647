"""The search: one query over the index, filtered by each kind's scope inside the database.

`search_entries` builds a single statement: the full-text match (FTS5 or tsvector), OR-ed per
kind the scope filter that kind's app gives for the user (`SearchKind.scope`, a subquery of
the same access rule its pages use), the kind and the dates asked for, ordered by rank. The
count, the page and the order come from that statement; nothing is filtered in Python
afterwards, so a record the user may not read is neither counted nor shown. Scope is
evaluated at each search, so a team whose access ended (the inspection closed, its grace
passed) finds nothing of it the next time; the grace is asked once per search
(`grace_asked_once`), not once per kind. `search_page` reads a page and the number of hits
from that one statement (a window count), so the match runs once per page shown. `hits`
then asks each kind's app to present the page's records (title, link, the opened text), and
cuts the snippets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Window
from django.utils.safestring import SafeString

from xunshi.accounts.access import can
from xunshi.accounts.models import User
from xunshi.rounds.access import grace_asked_once
from xunshi.searchindex.engine import matching
from xunshi.searchindex.kinds import SearchKind, Shown, search_kinds
from xunshi.searchindex.models import SearchEntry
from xunshi.searchindex.tokens import match_terms, segment

from .snippets import snippet

__all__ = ["Hit", "hits", "search_entries", "search_page", "searchable_kinds"]


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it."""

    kind: SearchKind
    shown: Shown
    snippet: SafeString


def searchable_kinds(user: User) -> list[SearchKind]:
    """The kinds the user's role may search at all (none for the three admins)."""
    return [kind for kind in search_kinds() if can(user, kind.capability)]


def search_entries(
    user: User,
    *,
    q: str,
    kind: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[SearchEntry]:
    """The entries matching q that the user may read, best first (none for an empty q)."""
    terms = match_terms(q)
    kinds = [k for k in searchable_kinds(user) if not kind or k.name == kind]
    if not terms or not kinds:
        return SearchEntry.objects.none()
    # Kinds that share one access rule (talks, petitions, papers) ask it once.
    by_rule: dict[Any, list[str]] = defaultdict(list)
    for k in kinds:
        by_rule[k.scope].append(k.name)
    with grace_asked_once():
        scope = reduce(or_, (Q(kind__in=names) & rule(user) for rule, names in by_rule.items()))
    found, rank = matching(terms)
    entries = SearchEntry.objects.filter(scope).filter(found)
    if start is not None:
        entries = entries.filter(on__gte=start)
    if end is not None:
        entries = entries.filter(on__lte=end)
    return (
        entries.annotate(rank=rank)
        .order_by("rank", F("on").desc(nulls_last=True), "-pk")
        .only("pk", "kind", "object_id", "on")
    )


class _Counted(Sequence[SearchEntry]):
    """One page's rows with the number of hits the same statement counted, as `Paginator`
    reads them (the length, and the page's slice)."""

    def __init__(self, rows: list[Any], first: int, total: int) -> None:
        self.rows, self.first, self.total = rows, first, total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> SearchEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchEntry]: ...
    def __getitem__(self, index: int | slice) -> SearchEntry | list[SearchEntry]:
        if isinstance(index, slice):  # the page's slice: the rows read
            return self.rows
        return self.rows[index - self.first]  # type: ignore[no-any-return]


def search_page(entries: QuerySet[SearchEntry], number: str | None, size: int) -> Page[SearchEntry]:
    """Page `number` of the entries (the first if it is no number, the last if past the end,
    as `Paginator.get_page`), its rows and the number of hits read in one statement."""
    try:
        n = max(int(number or 1), 1)
    except ValueError:
        n = 1
    counted = entries.annotate(total=Window(Count("pk")))
    rows = list(counted[(n - 1) * size : n * size])
    if not rows and n > 1:  # past the end: the last page, found by a count
        total = entries.count()
        n = max((total + size - 1) // size, 1)
        rows = list(counted[(n - 1) * size : n * size])
    total = rows[0].total if rows else 0
    return Paginator(_Counted(rows, (n - 1) * size, total), size).page(n)


def hits(user: User, entries: Any, q: str) -> list[Hit]:
    """The page's entries as hits, presented by their kinds' apps, in the page's order."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        wanted[entry.kind].append(entry.object_id)
    kinds = {k.name: k for k in search_kinds()}
    shown: dict[tuple[str, int], Shown] = {}
    for name, ids in wanted.items():
        for pk, item in kinds[name].present(user, ids).items():
            shown[(name, pk)] = item
    words = segment(q)
    out = []
    for entry in entries:
        found = shown.get((entry.kind, entry.object_id))
        if found is not None:
            out.append(Hit(kinds[entry.kind], found, snippet(found.text, words)))
    return out

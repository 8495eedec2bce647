"""The kinds of record the search covers, each described by the app that owns it.

The index stands low on the floor plan (its writer is called by the actions of apps on many
floors), so it may not ask those apps anything; each of them tells it instead, from its
`AppConfig.ready`, one `SearchKind` per kind of record: how to make a record's `Entry`, every
record (for `manage.py search_reindex`), who may read which entries (`scope`, a filter on
`SearchEntry` built from the app's own access rule, evaluated inside the search query), and
how a page of hits is shown (`present`, which opens the records the user may read, and only
those). A new kind — the knowledge base's articles, say — is one `SearchKind`, one
`search_kind_register` in its app's `ready` and a `search_index` call in its actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:  # no model at import time: the apps' configs import this module
    from xunshi.accounts.models import User

__all__ = ["Entry", "SearchKind", "Shown", "search_kind", "search_kind_register", "search_kinds"]


@dataclass(frozen=True)
class Entry:
    """What the index keeps of one record: its scope, its date and its texts."""

    object_id: int
    body_id: int | None = None
    inspection_id: int | None = None
    restricted: bool = False
    on: dt.date | None = None
    plain: Sequence[str] = ()  # texts indexed as words (names, titles that are not sealed)
    sealed: Sequence[str] = ()  # texts indexed only as keyed digests of their words
    keys: Sequence[str] = ()  # literal keys (a name's pinyin and initials)


@dataclass(frozen=True)
class Shown:
    """One hit as the results page shows it: the record's title, its page, its date and the
    text the snippet is cut from (opened at query time, only for the page shown)."""

    title: str
    url: str
    on: dt.date | None = None
    text: str = ""


@dataclass(frozen=True)
class SearchKind:
    """One kind of record in the search, as its app describes it."""

    name: str  # stored in SearchEntry.kind: "paper", "talk", "org" …
    label: Any  # the kind as the page names it (lazy translation)
    capability: str  # the function a role needs to search this kind at all
    entry: Callable[[Any], Entry]
    rows: Callable[[], QuerySet[Any]]
    scope: Callable[[User], Q]
    present: Callable[[User, list[int]], dict[int, Shown]]
    order: int = field(default=100)


_REGISTERED: dict[str, SearchKind] = {}


def search_kind_register(kind: SearchKind) -> None:
    """Tell the search about a kind of record (from an `AppConfig.ready`; the same name again
    replaces it)."""
    _REGISTERED[kind.name] = kind


def search_kinds() -> tuple[SearchKind, ...]:
    """Every registered kind, in the order the page lists them."""
    return tuple(sorted(_REGISTERED.values(), key=lambda k: (k.order, k.name)))


def search_kind(name: str) -> SearchKind | None:
    """The registered kind of that name, if any."""
    return _REGISTERED.get(name)

"""Read-side questions of the knowledge base, always through what the user may read.

`readable(user)` is the one answer to "what of the knowledge base does this user read", by
kind (the search index takes it from here); the lists filter by title and page in SQL.
`suggestions` ranks the 定性 statements for what a team types on a working paper.
"""

from __future__ import annotations

import re

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import Http404

from xunshi.accounts.models import User
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.fieldwork.taxonomy_queries import current_taxonomies, taxonomies_of

from .access import cases_visible_to, regulations_visible_to, statements_visible_to
from .models import Article, Regulation, RegulationVersion, Statement, TypicalCase

__all__ = [
    "SUGGEST_LIMIT",
    "article_choices",
    "case_list",
    "item_choices",
    "readable",
    "regulation_list",
    "statement_list",
    "suggestions",
    "version_of",
]

PAGE_SIZE = 30
#: Statements offered under the text box: a screenful; more words narrow them.
SUGGEST_LIMIT = 8
_CANDIDATES = 200
_SPLIT = re.compile(r"[\s,，。；;、：:！!？?“”\"'（）()《》]+")


def readable(
    user: User,
) -> dict[str, QuerySet[Regulation] | QuerySet[TypicalCase] | QuerySet[Statement]]:
    """Everything of the knowledge base the user reads, by kind (none for who reads none)."""
    return {
        "regulation": regulations_visible_to(user),
        "case": cases_visible_to(user),
        "statement": statements_visible_to(user),
    }


def regulation_list(user: User, *, q: str = "", page: str | None = None) -> Page[Regulation]:
    """The regulations the user reads, the shared ones first, filtered by title, paged."""
    qs = regulations_visible_to(user).select_related("current", "body")
    if q.strip():
        qs = qs.filter(current__title__icontains=q.strip())
    qs = qs.order_by(F("body_id").asc(nulls_first=True), "current__title", "pk")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def version_of(regulation: Regulation, number: int | None) -> RegulationVersion:
    """The regulation's version of that number (its current one for None), with articles."""
    qs = regulation.versions.prefetch_related("articles")
    found = qs.filter(number=number).first() if number else qs.order_by("-number").first()
    if found is None:
        raise Http404("没有该版本。")
    return found


def case_list(user: User, *, q: str = "", page: str | None = None) -> Page[TypicalCase]:
    """The typical cases the user reads, newest first, filtered by title, paged."""
    qs = cases_visible_to(user)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return Paginator(qs.order_by("-pk"), PAGE_SIZE).get_page(page)


def statement_list(
    user: User, *, item: int | None = None, q: str = "", page: str | None = None
) -> Page[Statement]:
    """The 定性 statements the user reads, by taxonomy item, filtered, paged."""
    qs = statements_visible_to(user).select_related("item__taxonomy")
    if item:
        qs = qs.filter(item_id=item)
    if q.strip():
        qs = qs.filter(text__icontains=q.strip())
    qs = qs.prefetch_related("articles__version").order_by(
        "item__taxonomy_id", "item__position", "pk"
    )
    return Paginator(qs, PAGE_SIZE).get_page(page)


def article_choices(user: User) -> QuerySet[Article]:
    """The articles a record of the user's body may cite: those of the current versions of
    the regulations the user reads."""
    current = regulations_visible_to(user).values("current_id")
    return (
        Article.objects.filter(version_id__in=current)
        .select_related("version")
        .order_by("version__title", "version_id", "number")
    )


def item_choices(user: User) -> QuerySet[TaxonomyItem]:
    """The taxonomy items the user's body classifies with now."""
    ids = [t.pk for t in current_taxonomies(user.body_id)]
    return TaxonomyItem.objects.filter(taxonomy_id__in=ids).select_related("taxonomy")


def _bigrams(text: str) -> list[str]:
    grams: list[str] = []
    for word in _SPLIT.split(text):
        if len(word) == 1:
            grams.append(word)
        grams.extend(word[i : i + 2] for i in range(len(word) - 1))
    return list(dict.fromkeys(grams))


def suggestions(user: User, *, item_id: int | None, typed: str) -> list[Statement]:
    """The statements that best match the item chosen and the words typed: the item's own
    (or, with no item, those containing a typed word), ranked by the share of the typed
    text's two-character pieces they contain."""
    grams = _bigrams(typed[-200:])
    qs = statements_visible_to(user).select_related("item").prefetch_related("articles__version")
    if item_id:
        if not taxonomies_of(user.body_id).filter(items__pk=item_id).exists():
            return []
        qs = qs.filter(item_id=item_id)
    elif grams:
        match = Q()
        for gram in grams[-8:]:
            match |= Q(text__icontains=gram)
        qs = qs.filter(match)
    else:
        return []
    candidates = list(qs.order_by("pk")[:_CANDIDATES])
    if grams:
        scored = [(sum(g in s.text for g in grams), s) for s in candidates]
        candidates = [s for score, s in sorted(scored, key=lambda p: -p[0]) if score or item_id]
    return candidates[:SUGGEST_LIMIT]

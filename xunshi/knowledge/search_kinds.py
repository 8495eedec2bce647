"""The knowledge base's kinds in the full-text search: the articles of each regulation's current
version, the typical cases and the 定性 statements, read by whoever reads them on the base's
pages (`regulations_visible_to`, `cases_visible_to`, `statements_visible_to`). They are the
rules and the office's own texts, not case data: their words are indexed as they are.

An older version's articles leave the index when a new version is made (`regulation_revise`,
`regulation_import`): a search finds the rule in force, its page shows the history."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.access import can
from xunshi.accounts.models import User
from xunshi.searchindex.kinds import Entry, SearchKind, Shown

from .access import cases_visible_to, regulations_visible_to, statements_visible_to
from .models import Article, Statement, TypicalCase

__all__ = ["ARTICLES", "CASES", "STATEMENTS"]

_NONE = Q(pk__in=[])


def _article_entry(article: Article) -> Entry:
    version = article.version
    return Entry(
        object_id=article.pk,
        body_id=version.regulation.body_id,
        on=version.issued_on,
        plain=(version.title, article.heading, article.chapter, article.text),
    )


def _articles() -> QuerySet[Any]:
    """The articles of every regulation's current version."""
    return (
        Article.objects.filter(version__regulation__current=F("version"))
        .select_related("version__regulation")
        .order_by("pk")
    )


def _article_scope(user: User) -> Q:
    if not can(user, "knowledge.view"):
        return _NONE
    return Q(
        object_id__in=_articles()
        .filter(version__regulation__in=regulations_visible_to(user))
        .values("pk")
    )


def _article_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        a.pk: Shown(
            title=f"《{a.version.title}》{a.heading}",
            url=reverse("regulation_detail", args=[a.version.regulation_id])
            + f"#article-{a.number}",
            on=a.version.issued_on,
            text=a.text,
        )
        for a in Article.objects.filter(pk__in=ids).select_related("version")
    }


def _case_entry(case: TypicalCase) -> Entry:
    return Entry(
        object_id=case.pk,
        body_id=case.body_id,
        on=timezone.localdate(case.updated_at),
        plain=(case.title, case.facts, case.qualification, case.handling),
    )


def _case_scope(user: User) -> Q:
    if not can(user, "knowledge.view"):
        return _NONE
    return Q(object_id__in=cases_visible_to(user).values("pk"))


def _case_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        c.pk: Shown(
            title=c.title,
            url=reverse("case_detail", args=[c.pk]),
            on=timezone.localdate(c.updated_at),
            text="\n".join((c.facts, c.qualification, c.handling)),
        )
        for c in TypicalCase.objects.filter(pk__in=ids)
    }


def _statement_entry(statement: Statement) -> Entry:
    return Entry(
        object_id=statement.pk,
        body_id=statement.body_id,
        on=timezone.localdate(statement.updated_at),
        plain=(statement.item.name, statement.text),
    )


def _statement_scope(user: User) -> Q:
    if not can(user, "knowledge.view"):
        return _NONE
    return Q(object_id__in=statements_visible_to(user).values("pk"))


def _statement_present(user: User, ids: list[int]) -> dict[int, Shown]:
    return {
        s.pk: Shown(
            title=f"{s.item.name}：{s.text[:30]}",
            url=reverse("statement_list") + f"?item={s.item_id}",
            on=timezone.localdate(s.updated_at),
            text=s.text,
        )
        for s in Statement.objects.filter(pk__in=ids).select_related("item")
    }


ARTICLES = SearchKind(
    "article",
    _("法规条文"),
    "knowledge.view",
    _article_entry,
    _articles,
    _article_scope,
    _article_present,
    order=110,
)
CASES = SearchKind(
    "case",
    _("典型案例"),
    "knowledge.view",
    _case_entry,
    lambda: TypicalCase.objects.order_by("pk"),
    _case_scope,
    _case_present,
    order=111,
)
STATEMENTS = SearchKind(
    "statement",
    _("定性表述"),
    "knowledge.view",
    _statement_entry,
    lambda: Statement.objects.select_related("item").order_by("pk"),
    _statement_scope,
    _statement_present,
    order=112,
)

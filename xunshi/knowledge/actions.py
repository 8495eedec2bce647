"""The only code that writes the knowledge base.

A regulation is never edited in place: `regulation_revise` (and `regulation_import`, which
reads the articles from a Word or Excel file) makes a new version with all its articles,
and the older versions stay as they were, with the cases and statements that cite them.
Cases and 定性 statements are edited in place, each change audited with before and after.
Every write is refused in Chinese before anything is written, and the office writes only
what it keeps (`may_keep`: its own body's; the shared public records the top body's office).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record, snapshot
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.fieldwork.taxonomy_queries import taxonomies_of
from xunshi.files.uploads import Upload, check
from xunshi.registry.models import InspectingBody
from xunshi.searchindex.actions import search_index, search_unindex

from .access import may_keep
from .articles import ArticleErrors, ArticleInput, read_docx, read_xlsx
from .models import Article, Regulation, RegulationStatus, RegulationVersion, Statement, TypicalCase
from .search_kinds import ARTICLES, CASES, STATEMENTS

__all__ = [
    "RegulationFacts",
    "case_save",
    "regulation_create",
    "regulation_import",
    "regulation_revise",
    "statement_save",
]

VERSION_FIELDS = ["number", "title", "issuer", "issued_on", "source", "status"]
CASE_FIELDS = ["title", "fictional"]
STATEMENT_FIELDS = ["item", "text", "fictional"]


@dataclass(frozen=True)
class RegulationFacts:
    """What a version says of the regulation besides its articles."""

    title: str
    issuer: str
    issued_on: dt.date | None = None
    source: str = ""
    status: str = RegulationStatus.CURRENT
    note: str = ""


def _keeper(actor: Actor, body: InspectingBody | None) -> None:
    user = person(actor)
    if user is not None and not may_keep(user, body.pk if body else None):
        raise PermissionDenied("此条目由其他党组织的巡视办维护，您只能查阅。")


def _check_facts(facts: RegulationFacts, articles: Sequence[ArticleInput]) -> None:
    problems = []
    if not facts.title.strip():
        problems.append("请填写法规制度的名称。")
    if not facts.issuer.strip():
        problems.append("请填写制定机关。")
    if facts.status not in RegulationStatus.values:
        problems.append("效力状态只能是“现行”或“已废止”。")
    numbers = [a.number for a in articles]
    if len(set(numbers)) != len(numbers):
        problems.append("条号重复。")
    if problems:
        raise ValidationError(problems)


def _write_version(
    *,
    regulation: Regulation,
    number: int,
    facts: RegulationFacts,
    articles: Sequence[ArticleInput],
    actor: Actor,
) -> RegulationVersion:
    version = RegulationVersion.objects.create(
        regulation=regulation,
        number=number,
        title=facts.title.strip(),
        issuer=facts.issuer.strip(),
        issued_on=facts.issued_on,
        source=facts.source.strip(),
        status=facts.status,
        note=facts.note.strip(),
        created_by=person(actor),
    )
    Article.objects.bulk_create(
        Article(version=version, chapter=a.chapter, number=a.number, text=a.text) for a in articles
    )
    # The search finds the rule in force: the old version's articles leave the index.
    if regulation.current_id is not None:
        for old in Article.objects.filter(version_id=regulation.current_id).values_list(
            "pk", flat=True
        ):
            search_unindex(ARTICLES, old)
    regulation.current = version
    regulation.save(update_fields=["current"])
    for article in version.articles.select_related("version__regulation"):
        search_index(ARTICLES, article)
    return version


def regulation_create(
    *,
    actor: Actor,
    body: InspectingBody | None,
    facts: RegulationFacts,
    articles: Sequence[ArticleInput] = (),
    fictional: bool = False,
) -> Regulation:
    """A new regulation of the body (None: shared public), as its first version."""
    _keeper(actor, body)
    _check_facts(facts, articles)
    with transaction.atomic():
        regulation = Regulation.objects.create(body=body, fictional=fictional)
        version = _write_version(
            regulation=regulation, number=1, facts=facts, articles=articles, actor=actor
        )
        record(
            actor=actor,
            action="knowledge.regulation.create",
            obj=version,
            after=snapshot(version, VERSION_FIELDS) | {"articles": len(articles)},
        )
    return regulation


def regulation_revise(
    *,
    actor: Actor,
    regulation: Regulation,
    facts: RegulationFacts,
    articles: Sequence[ArticleInput],
) -> RegulationVersion:
    """A new version of the regulation with these facts and articles; the old one stays."""
    return _revise(
        actor=actor,
        regulation=regulation,
        facts=facts,
        articles=articles,
        action="knowledge.regulation.revise",
    )


def _revise(
    *,
    actor: Actor,
    regulation: Regulation,
    facts: RegulationFacts,
    articles: Sequence[ArticleInput],
    action: str,
) -> RegulationVersion:
    _keeper(actor, regulation.body)
    _check_facts(facts, articles)
    with transaction.atomic():
        locked = (
            # of=self: PostgreSQL locks no row of the outer join's nullable side (current).
            Regulation.objects.select_for_update(of=("self",))
            .select_related("current")
            .get(pk=regulation.pk)
        )
        before = locked.current
        number = (before.number if before else 0) + 1
        version = _write_version(
            regulation=locked, number=number, facts=facts, articles=articles, actor=actor
        )
        record(
            actor=actor,
            action=action,
            obj=version,
            before=(
                snapshot(before, VERSION_FIELDS) | {"articles": before.articles.count()}
                if before
                else None
            ),
            after=snapshot(version, VERSION_FIELDS) | {"articles": len(articles)},
        )
    regulation.current = version
    return version


def regulation_import(*, actor: Actor, regulation: Regulation, upload: Upload) -> RegulationVersion:
    """A new version of the regulation whose articles are those of a Word (.docx) or Excel
    (.xlsx) file; any bad paragraph or row refuses the whole file, naming each one."""
    _keeper(actor, regulation.body)
    checked = check(upload)
    try:
        if checked.detected.kind == "docx":
            articles = read_docx(checked.data)
        elif checked.detected.kind == "xlsx":
            articles = read_xlsx(checked.data)
        else:
            raise ValidationError(
                f"文件“{checked.name}”是{checked.detected.label}，"
                "请上传Word（.docx）或Excel（.xlsx）文件。"
            )
    except ArticleErrors as errors:
        raise ValidationError([f"文件“{checked.name}”{m}" for m in errors.messages]) from errors
    current = regulation.current
    assert current is not None
    facts = RegulationFacts(
        title=current.title,
        issuer=current.issuer,
        issued_on=current.issued_on,
        source=current.source,
        status=current.status,
        note=current.note,
    )
    return _revise(
        actor=actor,
        regulation=regulation,
        facts=facts,
        articles=articles,
        action="knowledge.regulation.import",
    )


def _check_links(
    body: InspectingBody | None, articles: Sequence[Article], items: Sequence[TaxonomyItem]
) -> None:
    body_id = body.pk if body else None
    reach = Q(version__regulation__body__isnull=True)
    if body_id is not None:
        reach |= Q(version__regulation__body_id=body_id)
    ids = {a.pk for a in articles}
    if ids and Article.objects.filter(reach, pk__in=ids).count() != len(ids):
        raise ValidationError("所引条款须是公开法规或本级制度的条款。")
    taxonomy_ids = set(taxonomies_of(body_id).values_list("pk", flat=True))
    for item in items:
        if item.taxonomy_id not in taxonomy_ids:
            raise ValidationError(f"问题分类“{item}”不是本级使用的分类。")


def case_save(
    *,
    actor: Actor,
    body: InspectingBody | None,
    title: str,
    facts: str,
    qualification: str,
    handling: str,
    articles: Sequence[Article] = (),
    items: Sequence[TaxonomyItem] = (),
    fictional: bool = False,
    case: TypicalCase | None = None,
) -> TypicalCase:
    """A typical case of the body written (a new one, or `case` changed)."""
    if case is not None:
        body = case.body
    _keeper(actor, body)
    missing = [
        name
        for name, value in (("标题", title), ("基本案情", facts), ("定性", qualification))
        if not value.strip()
    ] + ([] if handling.strip() else ["处理结果"])
    if missing:
        raise ValidationError(f"请填写典型案例的{'、'.join(missing)}。")
    _check_links(body, articles, items)
    with transaction.atomic():
        before = None
        if case is None:
            case = TypicalCase(body=body)
        else:
            case = TypicalCase.objects.select_for_update().get(pk=case.pk)
            before = snapshot(case, CASE_FIELDS)
        case.title, case.facts, case.qualification = title.strip(), facts.strip(), qualification
        case.handling, case.fictional = handling.strip(), fictional
        case.qualification = qualification.strip()
        case.save()
        case.articles.set(articles)
        case.items.set(items)
        search_index(CASES, case)
        record(
            actor=actor,
            action="knowledge.case.update" if before else "knowledge.case.create",
            obj=case,
            before=before,
            after=snapshot(case, CASE_FIELDS) | {"articles": len(articles)},
        )
    return case


def statement_save(
    *,
    actor: Actor,
    body: InspectingBody | None,
    item: TaxonomyItem,
    text: str,
    articles: Sequence[Article] = (),
    fictional: bool = False,
    statement: Statement | None = None,
) -> Statement:
    """A 定性 statement of the body for a taxonomy item written (new, or `statement`)."""
    if statement is not None:
        body = statement.body
    _keeper(actor, body)
    if not text.strip():
        raise ValidationError("请填写定性表述。")
    _check_links(body, articles, [item])
    with transaction.atomic():
        before = None
        if statement is None:
            statement = Statement(body=body)
        else:
            statement = Statement.objects.select_for_update().get(pk=statement.pk)
            before = snapshot(statement, STATEMENT_FIELDS)
        statement.item, statement.text, statement.fictional = item, text.strip(), fictional
        statement.save()
        statement.articles.set(articles)
        search_index(STATEMENTS, statement)
        record(
            actor=actor,
            action="knowledge.statement.update" if before else "knowledge.statement.create",
            obj=statement,
            before=before,
            after=snapshot(statement, STATEMENT_FIELDS) | {"articles": len(articles)},
        )
    return statement

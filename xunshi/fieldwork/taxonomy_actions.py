"""The only code that writes problem taxonomies: the office's own, and new versions.

A taxonomy is typed as text, one item a line: "1 名称", and "1.1 名称" for an item under
"1". A version is never edited in place, because working papers point at its items; a
change is a new version, which becomes the active one.

Each office writes for its own body (`User.body`): a new taxonomy and every new version are
the body's own, so a county's edit of a shipped taxonomy (系统内置, no body) makes the
county's own next version and leaves the shipped one, and every other body's, as it was
(see `taxonomy_queries`). The system writes shipped versions unless it names a body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from xunshi.accounts.actors import Actor, person
from xunshi.audit.actions import record
from xunshi.registry.models import InspectingBody

from .models import Taxonomy, TaxonomyItem
from .taxonomy_queries import taxonomies_of

__all__ = ["ParsedItem", "items_text", "parse_items", "taxonomy_create", "taxonomy_new_version"]

_LINE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:[\s\u3000]+|、)(\S.*)$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NAME_MAX = TaxonomyItem._meta.get_field("name").max_length or 200
_EXAMPLE = "应为“编号 名称”，如“1 政治纪律”或“1.1 违反政治纪律”"


@dataclass(frozen=True)
class ParsedItem:
    code: str
    name: str
    parent: str  # the parent's code, "" for a top item


def parse_items(text: str) -> list[ParsedItem]:
    """The items of a taxonomy typed one a line; every bad line is named by its number."""
    items: list[ParsedItem] = []
    seen: dict[str, int] = {}
    problems = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        found = _LINE.match(line)
        if found is None:
            problems.append(f"第{n}行“{line[:30]}”格式不对，{_EXAMPLE}。")
            continue
        code, name = found.group(1), found.group(2).strip()
        parent = code.rpartition(".")[0]
        if code in seen:
            problems.append(f"第{n}行的编号“{code}”与第{seen[code]}行重复。")
        elif parent and parent not in seen:
            problems.append(f"第{n}行“{code}”的上级编号“{parent}”须在它之前出现。")
        elif len(name) > _NAME_MAX:
            problems.append(f"第{n}行的名称超过{_NAME_MAX}字。")
        else:
            seen[code] = n
            items.append(ParsedItem(code, name, parent))
    if not problems and not items:
        problems.append("请至少填写一个条目，每行一个，" + _EXAMPLE + "。")
    if problems:
        raise ValidationError(problems)
    return items


def items_text(taxonomy: Taxonomy) -> str:
    """The taxonomy's items as the text `parse_items` reads, to start a new version from."""
    items = sorted(taxonomy.items.all(), key=lambda i: (i.position, i.pk))  # uses a prefetch
    return "\n".join(f"{i.code} {i.name}" for i in items)


def _write_items(taxonomy: Taxonomy, items: list[ParsedItem]) -> None:
    by_code: dict[str, TaxonomyItem] = {}
    for position, item in enumerate(items, start=1):
        by_code[item.code] = TaxonomyItem.objects.create(
            taxonomy=taxonomy,
            code=item.code,
            name=item.name,
            parent=by_code.get(item.parent),
            position=position,
        )


def _body_id(actor: Actor, body: InspectingBody | None) -> int | None:
    """The body the actor writes for: a person's own (any other is refused), the system's
    as it names it (None: a shipped taxonomy)."""
    user = person(actor)
    if user is None:
        return body.pk if body is not None else None
    if user.body_id is None:
        raise ValidationError("您的账号未指定所属党组织，不能修改问题分类。")
    if body is not None and body.pk != user.body_id:
        raise ValidationError(f"只能修改本单位的问题分类，不能修改{body.name}的。")
    return user.body_id


def _event(taxonomy: Taxonomy, items: list[ParsedItem]) -> dict[str, Any]:
    return {
        "body": taxonomy.body_id,
        "code": taxonomy.code,
        "name": taxonomy.name,
        "version": taxonomy.version,
        "items": [f"{i.code} {i.name}" for i in items],
    }


def taxonomy_create(
    *,
    actor: Actor,
    name: str,
    code: str,
    items_text: str,
    body: InspectingBody | None = None,
) -> Taxonomy:
    """Add the body's own taxonomy (version 1) from its items typed one a line."""
    body_id = _body_id(actor, body)
    readable = taxonomies_of(body_id)
    name, code = name.strip(), code.strip()
    problems = []
    if not name:
        problems.append("请填写分类名称。")
    elif len(name) > 100:
        problems.append("分类名称不能超过100字。")
    elif readable.filter(name=name).exists():
        problems.append(f"已有名为“{name}”的分类；如需修改，请在它的基础上另立新版本。")
    if not _CODE.match(code) or len(code) > 40:
        problems.append(
            "代码只能由小写字母、数字、连字符和下划线组成（不超过40个字符），如 jilv-2024。"
        )
    else:
        taken = readable.filter(code=code).first()
        if taken is not None:
            problems.append(f"代码“{code}”已被“{taken.name}”使用。")
    try:
        items = parse_items(items_text)
    except ValidationError as e:
        problems += e.messages
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        taxonomy = Taxonomy.objects.create(
            body_id=body_id, code=code, name=name, version=1, builtin=body_id is None
        )
        _write_items(taxonomy, items)
        record(
            actor=actor,
            action="inspections.taxonomy.create",
            obj=taxonomy,
            after=_event(taxonomy, items),
        )
    return taxonomy


def taxonomy_new_version(
    *,
    actor: Actor,
    taxonomy: Taxonomy,
    items_text: str,
    name: str = "",
    body: InspectingBody | None = None,
) -> Taxonomy:
    """Make the body's next version of a taxonomy from edited items; it replaces the older
    ones for that body (a shipped one stays as it is for every other body)."""
    body_id = _body_id(actor, body)
    line = taxonomies_of(body_id).filter(code=taxonomy.code)
    if taxonomy.body_id not in (None, body_id):
        raise ValidationError(f"“{taxonomy.name}”是其他党组织的问题分类，不能修改。")
    name = name.strip() or taxonomy.name
    latest = line.aggregate(n=Max("version"))["n"]
    if latest != taxonomy.version:
        raise ValidationError(f"“{taxonomy.name}”已有第{latest}版，请在最新版本上修改。")
    if len(name) > 100:
        raise ValidationError("分类名称不能超过100字。")
    items = parse_items(items_text)
    old = [
        ParsedItem(i.code, i.name, i.parent.code if i.parent else "")
        for i in taxonomy.items.select_related("parent").order_by("position", "pk")
    ]
    if items == old and name == taxonomy.name:
        raise ValidationError(f"与第{taxonomy.version}版相同，无需另立新版本。")
    with transaction.atomic():
        # Older versions stay for the papers classified under them, but are no longer
        # offered to this body; the shipped ones still are to the bodies that kept them.
        own = Taxonomy.objects.filter(code=taxonomy.code)
        own = own.filter(body__isnull=True) if body_id is None else own.filter(body_id=body_id)
        own.update(active=False)
        new = Taxonomy.objects.create(
            body_id=body_id,
            code=taxonomy.code,
            name=name,
            version=taxonomy.version + 1,
            builtin=body_id is None,
        )
        _write_items(new, items)
        record(
            actor=actor,
            action="inspections.taxonomy.new_version",
            obj=new,
            before={"version": taxonomy.version, "name": taxonomy.name, "body": taxonomy.body_id},
            after=_event(new, items),
        )
    return new

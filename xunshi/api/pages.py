"""Pagination and the bounds of every parameter: limit/offset, at most `MAX_LIMIT` rows a
page, ids and offsets within what the databases store, texts without NUL (PostgreSQL refuses
it) and bodies without lone surrogates (no database stores them; `StrictJson`), so that no
input reaches the database in a form it cannot take."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

__all__ = [
    "MAX_ID",
    "MAX_LIMIT",
    "MAX_OFFSET",
    "NO_NUL",
    "StrictJson",
    "Utf8Json",
    "page",
    "plausible_day",
]

MAX_LIMIT = 100
MAX_OFFSET = 10_000_000
MAX_ID = 2**31 - 1
NO_NUL = r"^[^\x00]*$"
_EARLIEST, _LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)

M = TypeVar("M", bound=Model)


def page(rows: QuerySet[M], limit: int, offset: int, out: Callable[[M], Any]) -> dict[str, Any]:
    """One page of rows as the list schemas answer it: the count of all, and this slice."""
    return {
        "count": rows.count(),
        "limit": limit,
        "offset": offset,
        "items": [out(r) for r in rows[offset : offset + limit]],
    }


def plausible_day(day: dt.date | None, what: str) -> None:
    """Refuse a date outside 2000–2099 (the work's dates; deadlines are counted from them)."""
    if day is not None and not _EARLIEST <= day <= _LATEST:
        raise ValidationError(_("%(what)s须在2000年至2099年之间。") % {"what": what})


class StrictJson(Parser):
    """JSON bodies whose texts are text: a lone surrogate (\\ud800 alone) is refused with 400."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("a lone surrogate") from None
        return data


class Utf8Json(JSONRenderer):
    """Answers in UTF-8 as written (中文, not \\u4e2d\\u6587): readable in a log or a terminal."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}

"""Pages drawn once and filled per request: the report form's and the lookup's HTML is the
same for every visitor except its challenge (the sum, the signed token, the nonce, the bits),
and the receipt page the same for every report of a day except its code.

A page is rendered with markers in the changing parts' places and kept in this process, keyed
by everything else it shows (the announcement's fields, whether reception has begun, the
limits, the language); each request copies it with its own values put in the markers.
Django's template rendering was about a third of a report's CPU (BENCHMARKS-portal.md), the
markers' replacement costs microseconds. Only pages without anything the visitor typed are
kept: an answer with errors or a 系统繁忙 box is rendered in full.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable, Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape

from .challenge import Challenge

__all__ = ["page_filled", "page_with_challenge", "slot"]

# Letters, digits and dashes only: autoescaping leaves the markers as they are.
_MARK = f"portal-slot-{secrets.token_hex(8)}-"
_MAX_PAGES = 512
_pages: dict[Hashable, str] = {}


def slot(name: str) -> str:
    """The marker that stands for ``name`` in a kept page's context."""
    return _MARK + name


def page_filled(
    template: str, context: dict[str, Any], key: Hashable, values: Mapping[str, object]
) -> str:
    """The page of ``template`` with ``context``, whose every part that can change is in
    ``key`` except the ``slot``s, filled with ``values`` (escaped unless marked safe)."""
    full_key = (template, translation.get_language(), key)
    page = _pages.get(full_key)
    if page is None:
        page = render_to_string(template, context)
        if len(_pages) >= _MAX_PAGES:
            _pages.clear()
        _pages[full_key] = page
    for name, value in values.items():
        text = value if isinstance(value, str) else str(value)
        page = page.replace(_MARK + name, conditional_escape(text))
    return page


def page_with_challenge(
    template: str,
    context: dict[str, Any],
    key: Hashable,
    challenge: Challenge,
    values: Mapping[str, object] | None = None,
) -> str:
    """The page of ``template`` with ``context`` and ``values`` (see page_filled), and
    ``challenge`` in the challenge's place."""
    names = ("question", "token", "nonce", "bits")
    return page_filled(
        template,
        {**context, "challenge": {name: slot(name) for name in names}},
        key,
        {**(values or {}), **{name: getattr(challenge, name) for name in names}},
    )

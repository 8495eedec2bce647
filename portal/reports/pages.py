"""Form pages drawn once and filled per request: the report form's and the lookup's HTML is the
same for every visitor except its challenge (the sum, the signed token, the nonce, the bits).

A page is rendered with markers in the challenge's place and kept in this process, keyed by
everything else it shows (the announcement's fields, whether reception has begun, the limits,
the language); each request copies it with its own fresh challenge put in the markers. Django's
template rendering was about a third of a report's CPU (BENCHMARKS-portal.md), the markers'
replacement costs microseconds. Only pages without anything the visitor typed are kept: an
answer with errors or a 系统繁忙 box is rendered in full.
"""

from __future__ import annotations

import secrets
from collections.abc import Hashable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from .challenge import Challenge

__all__ = ["page_with_challenge"]

# Letters, digits and dashes only: autoescaping leaves the markers as they are.
_MARK = f"portal-slot-{secrets.token_hex(8)}-"
_MARKERS = Challenge(
    question=_MARK + "question", token=_MARK + "token", nonce=_MARK + "nonce", bits=0
)
_BITS = _MARK + "bits"
_MAX_PAGES = 512
_pages: dict[Hashable, str] = {}


def page_with_challenge(
    template: str, context: dict[str, Any], key: Hashable, challenge: Challenge
) -> str:
    """The page of ``template`` with ``context`` (whose every part that can change is in
    ``key``) and ``challenge`` in the challenge's place."""
    full_key = (template, translation.get_language(), key)
    page = _pages.get(full_key)
    if page is None:
        page = render_to_string(
            template, {**context, "challenge": {**vars(_MARKERS), "bits": _BITS}}
        )
        if len(_pages) >= _MAX_PAGES:
            _pages.clear()
        _pages[full_key] = page
    return (
        page.replace(_MARKERS.token, escape(challenge.token))
        .replace(_MARKERS.nonce, escape(challenge.nonce))
        .replace(_MARKERS.question, escape(challenge.question))
        .replace(_BITS, str(challenge.bits))
    )

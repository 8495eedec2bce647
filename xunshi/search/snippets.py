"""The snippet of a hit: a window of the record's text around the first word of the query,
escaped, with every word of the query marked. Made at query time from the text the record's
own app opened (`Shown.text`), for the hits of the page shown only."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["snippet"]

_BEFORE, _AFTER = 30, 90


def snippet(text: str, words: list[str]) -> SafeString:
    """The escaped window of text around the first of the words, the words in <mark>."""
    text = " ".join(text.split())
    usable = sorted({w for w in words if w}, key=len, reverse=True)
    if not text:
        return mark_safe("")
    if not usable:
        return _escaped_window(text, 0, 0)
    pattern = re.compile("|".join(re.escape(w) for w in usable), re.IGNORECASE)
    first = pattern.search(text)
    if first is None:
        return _escaped_window(text, 0, 0)
    start = max(0, first.start() - _BEFORE)
    end = min(len(text), first.end() + _AFTER)
    window = text[start:end]
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(window):
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    # Every piece of the record's text went through escape(); only <mark> is ours.
    return mark_safe(lead + "".join(parts) + tail)  # noqa: S308


def _escaped_window(text: str, start: int, _end: int) -> SafeString:
    end = min(len(text), start + _BEFORE + _AFTER)
    tail = "…" if end < len(text) else ""
    return mark_safe(escape(text[start:end]) + tail)  # noqa: S308 (escaped)

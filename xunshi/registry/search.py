"""Search keys for Chinese names: the name, its full pinyin and its initials.

A user types 兰考, lankao or lk and finds 兰考县. Every reading of the first character is
indexed, since surnames often take a rare one (单 shan, 曾 zeng).
"""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin, pinyin

__all__ = ["normalize_query", "search_key"]


def search_key(*names: str) -> str:
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        full = lazy_pinyin(name, errors="ignore")
        initials = [p[0] for p in full if p]
        parts += [name.lower(), "".join(full), "".join(initials)]
        first = pinyin(name[:1], style=Style.NORMAL, heteronym=True, errors="ignore")
        for reading in first[0] if first else []:
            rest = full[1:]
            parts += [reading + "".join(rest), reading[:1] + "".join(initials[1:])]
    return " ".join(dict.fromkeys(parts))


def normalize_query(q: str) -> str:
    return q.strip().lower().replace(" ", "")

"""Search tokens: jieba's words, their keyed digests for sealed texts, and the match query.

Texts are cut with jieba's search mode (`cut_for_search`: the words and the dictionary words
inside the long ones), lower-cased, with everything but letters and digits dropped, so that
the SQLite tokenizer (FTS5 `unicode61`) and PostgreSQL (`array_to_tsvector`, lexemes taken as
they are) see exactly the tokens written here.

A sealed text (talk records, petition contents, papers' facts …, `xunshi/lib/sealed_fields.py`)
must not come back in plain text through the index, so each of its words is stored as a keyed
digest instead: ``b`` and the first 16 hex digits of HMAC-SM3 under a key derived from the
field key for this purpose alone (`blind`). The same word always gives the same digest, so the
full-text engines still match and rank it; without the key a digest says nothing, and a query
asks for each word in plain and as its digest (`match_terms`). The digests change with the
field key: after `manage.py rotate_field_key`, run `manage.py search_reindex`.

jieba's dictionary loads once per process (about 1.5 s and 80 MB from its cache, measured in
`xunshi/search/README.md`); its cache file is written under ``XUNSHI_SEGMENTER_DIR``
(var/jieba by default), never beside the package.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba
from django.conf import settings

from xunshi.lib.crypto import derive_key, hmac_sm3_keyed

__all__ = ["blind", "match_terms", "segment", "tokens_of", "words"]

_DIGEST_HEX = 16
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    """jieba's tokenizer, its dictionary loaded once (under a lock: two first requests at once
    would load it twice)."""
    with _lock:
        directory = Path(settings.XUNSHI_SEGMENTER_DIR)
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.tmp_dir = str(directory)
        tokenizer.initialize()
        return tokenizer


def _clean(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalnum())


def words(text: str) -> list[str]:
    """The search-mode words of a text, cleaned, in order (duplicates kept: they rank)."""
    if not text:
        return []
    out = []
    for word in _segmenter().cut_for_search(text):
        cleaned = _clean(word)
        if cleaned:
            out.append(cleaned)
    return out


def segment(text: str) -> list[str]:
    """The words of a query (jieba's precise mode, cleaned, each once)."""
    found = (_clean(w) for w in _segmenter().cut(text or ""))
    return list(dict.fromkeys(w for w in found if w))


@lru_cache(maxsize=1)
def _blind_key() -> Any:
    return hmac_sm3_keyed(derive_key(settings.FIELD_MASTER_KEY, "search-blind-index"))


def blind(word: str) -> str:
    """The keyed digest a sealed text's word is indexed as."""
    mac = _blind_key().copy()
    mac.update(word.encode("utf-8"))
    digest: bytes = mac.finalize()
    return "b" + digest.hex()[:_DIGEST_HEX]


def match_terms(query: str) -> list[tuple[str, ...]]:
    """The query as a list of words, each with its alternatives (plain, digest; a word of
    letters also as a prefix, marked by a trailing ``*``): a hit has one alternative of
    every word."""
    terms = []
    for word in segment(query)[:12]:
        alternatives = [word, blind(word)]
        if word.isascii() and word.isalpha():
            alternatives.append(word + "*")
        terms.append(tuple(alternatives))
    return terms


def tokens_of(plain: Iterable[str], sealed: Iterable[str], keys: Iterable[str]) -> str:
    """The token text of one record: plain words, digests of sealed words, literal keys."""
    out: list[str] = []
    for text in plain:
        out += words(text)
    for text in sealed:
        out += [blind(w) for w in words(text)]
    for key in keys:
        out += [k for k in (_clean(part) for part in key.split()) if k]
    return " ".join(out)

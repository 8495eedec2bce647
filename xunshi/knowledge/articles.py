"""A regulation's articles read from text lines, a Word file or an Excel workbook.

All three end in the same list of `ArticleInput` or in `ArticleErrors`: every problem found,
each naming its line, paragraph or row in Chinese, so that an import writes all or nothing.
Text and Word read alike: a paragraph starting 第X章 (or 第X节) is a heading, a paragraph
starting 第X条 begins an article, any other paragraph continues the article before it; what
stands before the first heading or article (the title, a preamble) is left out. In Excel
each row is one article, with the columns 章, 条 and 条文. Articles are numbered 1, 2, 3 …
without gaps or repeats, as 党内法规 are.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import docx
from openpyxl import load_workbook

__all__ = [
    "ArticleErrors",
    "ArticleInput",
    "articles_as_text",
    "chinese_numeral",
    "parse_lines",
    "parse_number",
    "read_docx",
    "read_xlsx",
]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = r"[0-9０-９零〇一二两三四五六七八九十百千]+"
_HEADING = re.compile(rf"^第({_NUMERAL})([章节])\s*(.*)$")
_ARTICLE = re.compile(rf"^第({_NUMERAL})条[\s　]*(.*)$", re.DOTALL)
_MAX_ARTICLES = 2000


@dataclass(frozen=True)
class ArticleInput:
    chapter: str
    number: int
    text: str


class ArticleErrors(ValueError):
    """What is wrong with the articles, one Chinese sentence per line, paragraph or row."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


def parse_number(text: str) -> int | None:
    """第十二 → 12 (Chinese numerals up to 9999, or digits); None if it is no number."""
    text = text.strip().removeprefix("第").removesuffix("条").strip()
    if not text:
        return None
    digits = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if digits.isdigit():
        return int(digits)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def chinese_numeral(n: int) -> str:
    """12 → 十二, 105 → 一百零五 (as articles are numbered in 党内法规)."""
    if n <= 0:
        return str(n)
    names = "零一二三四五六七八九"
    parts: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // unit) % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(names[d] + name)
    out = "".join(parts)
    return out[1:] if out.startswith("一十") else out


def _check_numbers(found: list[tuple[str, ArticleInput]], errors: list[str]) -> None:
    expected = 1
    seen: set[int] = set()
    for where, article in found:
        if article.number in seen:
            errors.append(f"{where}：第{chinese_numeral(article.number)}条重复")
        elif article.number != expected:
            errors.append(
                f"{where}：此处应为第{chinese_numeral(expected)}条，"
                f"却是第{chinese_numeral(article.number)}条（条号须从第一条起连续编排）"
            )
        seen.add(article.number)
        expected = article.number + 1


def parse_lines(lines: Iterable[str], *, unit: str = "行") -> list[ArticleInput]:
    """The articles of text paragraphs (a text box's lines, a Word file's paragraphs)."""
    errors: list[str] = []
    found: list[tuple[str, ArticleInput]] = []
    chapter = ""
    number: int | None = None
    where = ""
    texts: list[str] = []

    def close() -> None:
        if number is None:
            return
        text = "\n".join(texts).strip()
        if not text:
            errors.append(f"{where}：第{chinese_numeral(number)}条没有条文")
        found.append((where, ArticleInput(chapter=chapter, number=number, text=text)))

    for index, raw in enumerate(lines, start=1):
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        article = _ARTICLE.match(line)
        if heading:
            close()
            number, texts = None, []
            label = f"第{heading.group(1)}{heading.group(2)} {heading.group(3).strip()}".strip()
            if heading.group(2) == "章":
                chapter = label
            else:
                chapter = f"{chapter.split(' · ')[0]} · {label}" if chapter else label
        elif article:
            close()
            parsed = parse_number(article.group(1))
            where = f"第{index}{unit}"
            if parsed is None or parsed == 0:
                errors.append(f"{where}：无法识别条号“第{article.group(1)}条”")
                number, texts = None, []
                continue
            number, texts = parsed, [article.group(2)]
        elif number is not None:
            texts.append(line)
    close()
    if not found and not errors:
        errors.append("没有找到以“第X条”开头的条文，请检查文件格式")
    if len(found) > _MAX_ARTICLES:
        errors.append(f"条文超过{_MAX_ARTICLES}条，请检查文件")
    _check_numbers(found, errors)
    if errors:
        raise ArticleErrors(errors)
    return [a for _w, a in found]


def read_docx(data: bytes) -> list[ArticleInput]:
    """The articles of a Word file's paragraphs (errors name the paragraph)."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArticleErrors(["文件不是有效的Word（.docx）文件"]) from exc
    return parse_lines((p.text for p in document.paragraphs), unit="段")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_COLUMNS = {"章": "chapter", "条": "number", "条文": "text"}


def read_xlsx(data: bytes) -> list[ArticleInput]:
    """The articles of a workbook's first sheet, one row each under 章, 条, 条文 (errors
    name the row as Excel shows it)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
        raise ArticleErrors(["文件不是有效的Excel（.xlsx）文件"]) from exc
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [_cell(v).strip("*") for v in next(rows, ())]
        missing = [name for name in ("条", "条文") if name not in header]
        if missing:
            raise ArticleErrors(
                [f"第1行：缺少列“{name}”（表头应为：章、条、条文）" for name in missing]
            )
        positions = {_COLUMNS[h]: i for i, h in enumerate(header) if h in _COLUMNS}
        errors: list[str] = []
        found: list[tuple[str, ArticleInput]] = []
        for index, values in enumerate(rows, start=2):
            cells = {k: _cell(values[i]) if i < len(values) else "" for k, i in positions.items()}
            if not any(cells.values()):
                continue
            where = f"第{index}行"
            number = parse_number(cells["number"])
            if not number:
                errors.append(f"{where}：“条”列的“{cells['number']}”不是条号")
                continue
            if not cells["text"]:
                errors.append(f"{where}：“条文”列为空")
            chapter = cells.get("chapter", "")
            found.append((where, ArticleInput(chapter=chapter, number=number, text=cells["text"])))
            if len(found) > _MAX_ARTICLES:
                errors.append(f"条文超过{_MAX_ARTICLES}条，请检查文件")
                break
    finally:
        book.close()
    if not found and not errors:
        errors.append("工作表中没有条文")
    _check_numbers(found, errors)
    if errors:
        raise ArticleErrors(errors)
    return [a for _w, a in found]


def articles_as_text(articles: Iterable[Any]) -> str:
    """The articles written back as lines that `parse_lines` reads (the edit form's box)."""
    out: list[str] = []
    chapter = None
    for a in articles:
        if a.chapter != chapter:
            before, parts = (chapter or "").split(" · "), a.chapter.split(" · ")
            chapter = a.chapter
            if parts[0] and parts[0] != before[0]:
                out.append(parts[0])
            out.extend(parts[1:])
        out.append(f"第{chinese_numeral(a.number)}条　{a.text}")
    return "\n".join(out)

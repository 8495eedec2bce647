"""Citizen ID numbers (GB 11643) and unified social credit codes (GB 32100).

Both identifiers are 18 characters with a trailing check character: MOD 11-2 for the
居民身份证号码 and MOD 31 for the 统一社会信用代码. The check arithmetic comes from
python-stdnum; this module adds what stdnum does not do for us:

* input cleaning for what people actually paste (full-width characters, spaces,
  zero-width characters, a lower-case ``x``);
* refusal of numbers: an ID typed into an Excel cell without text format arrives as
  ``1.1010519491231e+17`` or as an int whose last digits became zeros, and must be
  sent back to whoever filled the sheet rather than "repaired";
* no birthplace check: stdnum's ``cn.ric.validate`` rejects IDs whose county code was
  retired, and many real IDs carry one;
* letters as the first character of a credit code (N2… for 村集体经济组织, Y…, A…),
  which stdnum's ``cn.uscc.validate`` rejects;
* error messages in Chinese, fit to show to the person who typed the value.

Nothing here imports Django, so import scripts and tests can use it directly.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

__all__ = [
    "USCC_ALPHABET",
    "IdError",
    "id_birth_date",
    "id_gender",
    "make_id_number",
    "make_uscc",
    "mask_id_number",
    "normalize_id_number",
    "normalize_uscc",
]

#: Characters allowed in a credit code: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_EXCEL_NUMBER = "{label}被Excel存成了数字，末几位可能已丢失，请将该列设为文本格式后重新填写"
# What a number looks like after it went through float() and back to text.
_NUMBER_AS_TEXT = re.compile(r"\d+(?:\.\d*)?E[+-]?\d+|\d+\.\d+")
_ID_PATTERN = re.compile(r"\d{17}[\dX]")
_EARLIEST_BIRTH = date(1800, 1, 1)


class IdError(ValueError):
    """Identifier invalid; ``str(error)`` is a Chinese message for users."""


def _clean(value: object, *, label: str) -> str:
    """Return ``value`` as an upper-case string without spaces, or raise IdError."""
    if isinstance(value, bool) or value is None:
        raise IdError(f"{label}不能为空")
    if isinstance(value, (int, float, Decimal)):
        raise IdError(_EXCEL_NUMBER.format(label=label))
    if not isinstance(value, str):
        raise IdError(f"{label}应为文本")
    # NFKC turns full-width digits and letters and the ideographic space into ASCII.
    text = unicodedata.normalize("NFKC", value)
    text = "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf"
    ).upper()
    if not text:
        raise IdError(f"{label}不能为空")
    if _NUMBER_AS_TEXT.fullmatch(text):
        raise IdError(_EXCEL_NUMBER.format(label=label))
    return text


def _bad_characters(text: str, allowed: str) -> str:
    seen: list[str] = []
    for ch in text:
        if ch not in allowed and ch not in seen:
            seen.append(ch)
    return "、".join(f"“{ch}”" for ch in seen)


def _birth_date_or_none(digits8: str) -> date | None:
    try:
        born = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return None
    if born < _EARLIEST_BIRTH or born > date.today():
        return None
    return born


def _ric_check_digit(first17: str) -> str:
    # stdnum's calc_check_digit ignores the last character of what it is given.
    return str(_ric.calc_check_digit(first17 + "0"))


def normalize_id_number(value: object) -> str:
    """Return the 18-character ID number in canonical form, or raise IdError.

    Checks length, characters, birth date (a real day, not in the future) and the check
    digit. The six-digit region code is deliberately not checked.
    """
    label = "身份证号码"
    text = _clean(value, label=label)
    if len(text) != 18:
        message = f"{label}应为18位，实际为{len(text)}位"
        if len(text) == 15 and text.isdigit():
            message += "（15位的旧号码请换成18位号码）"
        raise IdError(message)
    if not _ID_PATTERN.fullmatch(text):
        bad = _bad_characters(text[:17], "0123456789") or _bad_characters(text[17], "0123456789X")
        raise IdError(f"{label}含有不允许的字符{bad}，只能是数字，末位可以是X")
    if _birth_date_or_none(text[6:14]) is None:
        raise IdError(f"{label}中的出生日期{text[6:14]}无效")
    if text[17] != _ric_check_digit(text[:17]):
        raise IdError(f"{label}校验码不正确，请核对")
    return text


def id_birth_date(id18: str) -> date:
    """Return the birth date encoded in a valid ID number."""
    text = normalize_id_number(id18)
    return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))


def id_gender(id18: str) -> str:
    """Return "男" or "女" from the parity of the 17th digit of a valid ID number."""
    text = normalize_id_number(id18)
    return "男" if int(text[16]) % 2 else "女"


def mask_id_number(id18: str) -> str:
    """Return the ID with its middle eight characters hidden: ``410225********123X``.

    Only the length is checked, so a malformed value stored long ago still displays
    masked instead of raising in a template.
    """
    text = "".join(id18.split()).upper()
    if len(text) != 18:
        raise IdError(f"身份证号码应为18位，实际为{len(text)}位")
    return text[:6] + "*" * 8 + text[14:]


def make_id_number(region6: str, birth: date, seq3: int) -> str:
    """Build a valid ID number from region code, birth date and sequence (demo data).

    An odd ``seq3`` makes a man's number, an even one a woman's.
    """
    if len(region6) != 6 or not region6.isascii() or not region6.isdigit():
        raise ValueError(f"region6 must be six ASCII digits, got {region6!r}")
    if not 0 <= seq3 <= 999:
        raise ValueError(f"seq3 must be in 0..999, got {seq3}")
    first17 = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    if len(first17) != 17:
        raise ValueError(f"birth year must have four digits, got {birth.year}")
    return first17 + _ric_check_digit(first17)


def _uscc_check_char(first17: str) -> str:
    return str(_uscc.calc_check_digit(first17))


def normalize_uscc(value: object) -> str:
    """Return the 18-character credit code in canonical form, or raise IdError.

    Checks length, the character set (no I, O, Z, S, V) and the MOD 31 check character.
    Any allowed character may come first, so 村集体经济组织 codes (N2…) pass.
    """
    label = "统一社会信用代码"
    text = _clean(value, label=label)
    if len(text) != 18:
        raise IdError(f"{label}应为18位，实际为{len(text)}位")
    bad = _bad_characters(text, USCC_ALPHABET)
    if bad:
        raise IdError(f"{label}含有不允许的字符{bad}，只能是数字和大写字母（不使用I、O、Z、S、V）")
    if text[17] != _uscc_check_char(text[:17]):
        raise IdError(f"{label}校验码不正确，请核对")
    return text


def make_uscc(prefix17: str) -> str:
    """Append the MOD 31 check character to the first 17 characters of a credit code."""
    if len(prefix17) != 17 or any(ch not in USCC_ALPHABET for ch in prefix17):
        raise ValueError(f"prefix17 must be 17 characters from {USCC_ALPHABET}, got {prefix17!r}")
    return prefix17 + _uscc_check_char(prefix17)

"""The anti-automation challenge of the forms: a sum to compute, carried in a signed token.

The token (django.core.signing, salted, timestamped) holds a nonce and a keyed digest of the
answer, never the answer itself; it expires after PORTAL_CHALLENGE_MAX_AGE seconds. It also
serves as the forms' anti-forgery token: the portal has no session or cookie that a forged
cross-site request could ride on, so a signed challenge is all a form needs.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

__all__ = ["Challenge", "challenge_check", "challenge_new"]

SALT = "portal.challenge"


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def challenge_new() -> Challenge:
    """A fresh sum of two numbers from 1 to 9 and its signed token."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, a + b)}, salt=SALT)
    return Challenge(question=f"{a} + {b}", token=token)


def challenge_check(token: str, answer: str) -> str | None:
    """None when the answer is right and the token is fresh; otherwise what to tell the user."""
    minutes = settings.PORTAL_CHALLENGE_MAX_AGE // 60
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        return f"页面打开已超过{minutes}分钟，验证题已过期，请计算下方的新题目后重新提交。"
    except signing.BadSignature:
        return "验证信息无效，请计算下方的新题目后重新提交。"
    text = unicodedata.normalize("NFKC", answer).strip()
    if not text:
        return "请填写验证题的答案。"
    if not text.isdigit() or len(text) > 3:
        return "验证题的答案应为数字，请计算下方的新题目后重新提交。"
    if not isinstance(data, dict) or not hmac.compare_digest(
        str(data.get("d", "")), _digest(str(data.get("n", "")), int(text))
    ):
        return "验证题的答案不正确，请计算下方的新题目后重新提交。"
    return None

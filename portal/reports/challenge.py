"""The anti-automation challenge of the forms: a single-use nonce with a proof of work, and on
the report and follow-up forms a sum to compute, all carried in a signed token.

The token (django.core.signing, salted, timestamped) holds a nonce, the number of zero bits
the proof of work needs and, for a form with a sum, a keyed digest of the answer (never the
answer itself); it expires after PORTAL_CHALLENGE_MAX_AGE seconds. The proof of work is
hashcash: a counter whose SHA-256("nonce:counter") starts with that many zero bits, found by
the page's script (static/portal/pow.js), so that every attempt costs its sender about a
second of computing while the server checks it with one hash. The view spends the nonce
(throttle.nonce_spend) before it acts, so a token is accepted once: a script cannot replay
one page's work. The token is also the forms' anti-forgery token: the portal has no session
or cookie that a forged cross-site request could ride on, so a signed challenge is all a
form needs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

__all__ = [
    "NO_WORK",
    "REPLAYED",
    "Challenge",
    "Checked",
    "challenge_check",
    "challenge_new",
    "pow_solves",
]

SALT = "portal.challenge"
NO_WORK = (
    "页面的防自动提交计算尚未完成。请确认浏览器已启用JavaScript，"
    "等按钮可以点击后再提交；如无法启用，请按公告的电话、信箱、地址反映。"
)
REPLAYED = "这道验证题已经使用过，每道题只能提交一次。请使用下方的新题目重新提交。"


@dataclass(frozen=True)
class Challenge:
    question: str  # "" on the receipt lookup, which asks only for the proof of work
    token: str
    nonce: str
    bits: int


@dataclass(frozen=True)
class Checked:
    """What a posted challenge came to: what to tell the user (None when it passed) and its
    nonce, given once the token is genuine and its work done, so that the view spends it
    even when the sum is wrong (no guessing the sum again with the same token)."""

    problem: str | None
    nonce: str = ""


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}", algorithm="sha256").hexdigest()


def pow_solves(nonce: str, counter: str, bits: int) -> bool:
    """Whether SHA-256("nonce:counter") starts with ``bits`` zero bits."""
    if not counter.isdigit() or len(counter) > 20:
        return False
    digest = hashlib.sha256(f"{nonce}:{counter}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0 if bits else True


def challenge_new(*, question: bool = True) -> Challenge:
    """A fresh nonce and its signed token; with ``question``, also a sum of two numbers from
    1 to 9 (the receipt lookup asks for none)."""
    nonce = secrets.token_hex(16)
    bits = settings.PORTAL_POW_BITS
    data: dict[str, object] = {"n": nonce, "b": bits}
    text = ""
    if question:
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        data["d"] = _digest(nonce, a + b)
        text = f"{a} + {b}"
    return Challenge(question=text, token=signing.dumps(data, salt=SALT), nonce=nonce, bits=bits)


def challenge_check(token: str, counter: str, answer: str | None = None) -> Checked:
    """Check a posted challenge: the token (genuine and fresh), its proof of work and, unless
    ``answer`` is None (the receipt lookup), the sum. Whether the nonce was already spent is
    the caller's to ask (throttle.nonce_spend), once the whole request is known."""
    minutes = settings.PORTAL_CHALLENGE_MAX_AGE // 60
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PORTAL_CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        return Checked(f"页面打开已超过{minutes}分钟，验证题已过期，请计算下方的新题目后重新提交。")
    except signing.BadSignature:
        return Checked("验证信息无效，请计算下方的新题目后重新提交。")
    if not isinstance(data, dict) or (answer is not None and "d" not in data):
        return Checked("验证信息无效，请计算下方的新题目后重新提交。")
    nonce, bits = str(data.get("n", "")), data.get("b")
    if not isinstance(bits, int) or not pow_solves(nonce, counter.strip(), bits):
        return Checked(NO_WORK)
    if answer is None:
        return Checked(None, nonce)
    text = unicodedata.normalize("NFKC", answer).strip()
    if not text:
        return Checked("请填写验证题的答案。", nonce)
    if not text.isdigit() or len(text) > 3:
        return Checked("验证题的答案应为数字，请计算下方的新题目后重新提交。", nonce)
    if not hmac.compare_digest(str(data.get("d", "")), _digest(nonce, int(text))):
        return Checked("验证题的答案不正确，请计算下方的新题目后重新提交。", nonce)
    return Checked(None, nonce)

"""The second factor (TOTP with single-use recovery codes, django-otp): who must have one,
where a signed-in account stands, and what the enrolment page shows. The writes are in
`actions.py` (`otp_enrolled`, `otp_verified`, `otp_removed`, `otp_reset`).

The three admins, the office and the leading group must have one (`REQUIRED_ROLES`); the
others may enrol one on their own account page. After the password (and the forced password
change) an account that must have one and has none is held on the enrolment page, and an
account with one on the code page, until this session is verified (django-otp's
`OTPMiddleware` keeps the verifying device in the session; `LoginRequiredMiddleware` holds
the account).
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import ADMIN_ROLES, Role, User

__all__ = [
    "RECOVERY_CODES",
    "REQUIRED_ROLES",
    "Step",
    "enrolment_code_matches",
    "enrolment_uri",
    "has_second_factor",
    "new_secret",
    "qr_svg",
    "recovery_codes_left",
    "requires_second_factor",
    "secret_text",
    "step_for",
    "with_second_factor",
    "without_second_factor",
]

REQUIRED_ROLES = frozenset({*ADMIN_ROLES, Role.OFFICE, Role.LEADING_GROUP})
RECOVERY_CODES = 10
SECRET_BYTES = 20  # 160 bits, what RFC 4226 recommends and every authenticator app reads


class Step:
    """Where a signed-in account must go before any other page."""

    ENROL = "otp_enrol"
    VERIFY = "otp_verify"


def requires_second_factor(user: User) -> bool:
    """Whether the account's role must sign in with a second factor."""
    return user.role in REQUIRED_ROLES


def has_second_factor(user: User) -> bool:
    """Whether the account has a confirmed authenticator."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def step_for(user: Any) -> str | None:
    """The page a signed-in account is held on (enrolment or code), or None when this
    session may go on: verified, or an account without a second factor that need not have one."""
    if user.is_verified():
        return None
    if has_second_factor(user):
        return Step.VERIFY
    if requires_second_factor(user):
        return Step.ENROL
    return None


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the account still has."""
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def _confirmed_device() -> Exists:
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def without_second_factor() -> Q:
    """The active accounts whose role needs a second factor and that have none (the admins'
    desk row 未启用双因素认证的账号 and the users list's filter)."""
    return Q(is_active=True, role__in=sorted(REQUIRED_ROLES)) & Q(~_confirmed_device())


def with_second_factor() -> Exists:
    """An annotation: the account has a confirmed authenticator."""
    return _confirmed_device()


# --- enrolment ---------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh TOTP secret, hex as django-otp stores it; kept in the session until confirmed."""
    return secrets.token_hex(SECRET_BYTES)


def secret_text(key: str) -> str:
    """The secret as an authenticator app asks for it by hand: base32, in groups of four."""
    b32 = b32encode(unhexlify(key)).decode()
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def enrolment_uri(user: User, key: str) -> str:
    """The otpauth:// URI the QR code carries (issuer and account name, 30-second codes)."""
    issuer = str(settings.OTP_TOTP_ISSUER)
    label = quote(f"{issuer}:{user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(unhexlify(key)).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (segno: pure Python, no image library)."""
    svg: str = segno.make(uri, error="m").svg_inline(scale=4, title="otpauth")
    return svg


def enrolment_code_matches(key: str, code: str) -> int | None:
    """The time step at which the code typed matches the secret being enrolled (one step
    either way for a phone's clock), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(key), step=30, digits=6)
    if totp.verify(int(code), tolerance=1):
        return int(totp.t())
    return None

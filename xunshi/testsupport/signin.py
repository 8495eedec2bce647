"""Signing in with the second factor, for the tests that are about something else.

`force_login` is the test client's `force_login` (and `login` its `login`) that also passes
the account's second factor, as a person would right after the password: an account whose
role needs one gets a confirmed authenticator (made here without an audit event: it is the
test's setup, not a person's act) and the session is marked verified by it, exactly as
`django_otp.login` does. The top-level conftest puts them in place of `Client.force_login`
and `Client.login` for every test; a test of the second factor itself signs in with
`force_login_password_only`.

`totp_code` computes the code an authenticator would show for a secret (django-otp's own
RFC 6238 code, no other library), at a given Unix time.
"""

from __future__ import annotations

from base64 import b32decode
from binascii import unhexlify
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xunshi.accounts.otp import has_second_factor, requires_second_factor

__all__ = [
    "authenticator_of",
    "force_login",
    "force_login_password_only",
    "login",
    "second_factor_passed",
    "totp_code",
]

_client_force_login = Client.force_login
_client_login = Client.login


def force_login_password_only(client: Client, user: Any, backend: str | None = None) -> None:
    """Django's own force_login: signed in after the password, the second factor still owed."""
    _client_force_login(client, user, backend)


def authenticator_of(user: Any) -> TOTPDevice:
    """The account's confirmed authenticator, made (with a random secret) if it has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)


def second_factor_passed(client: Client, user: Any) -> None:
    """Mark the client's signed-in session as verified by the account's authenticator, where
    the account needs or has one (after a sign-in through the login page, say)."""
    if requires_second_factor(user) or has_second_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
        session.save()


def force_login(client: Client, user: Any, backend: str | None = None) -> None:
    """Sign the client in as user with both factors passed, where the account needs them."""
    _client_force_login(client, user, backend)
    second_factor_passed(client, user)


def _key(secret: str) -> bytes:
    compact = secret.replace(" ", "")
    if len(compact) == 40:  # hex, as django-otp stores 20 bytes
        return unhexlify(compact)
    return b32decode(compact.upper() + "=" * (-len(compact) % 8))


def login(client: Client, **credentials: Any) -> bool:
    """The test client's `login` (user name and password, no page), then the second factor
    passed as by `force_login`."""
    signed_in = bool(_client_login(client, **credentials))
    if signed_in:
        # Read back the account the session holds (a reload, as the next request would do).
        user = get_user_model().objects.get(pk=client.session[SESSION_KEY])
        second_factor_passed(client, user)
    return signed_in


def totp_code(secret: str, at: float, *, step_offset: int = 0) -> str:
    """The 6-digit code for a secret (hex as django-otp stores it, or base32 with or without
    spaces as the enrolment page shows it) at Unix time `at`, moved by whole steps."""
    clock = TOTP(_key(secret), step=30, digits=6, drift=step_offset)
    clock.time = at
    return f"{clock.token():06d}"

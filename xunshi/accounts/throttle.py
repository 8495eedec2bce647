"""How hard a client must try before its next sign-in: the reads behind the login page.

Failures are counted per user name *and* client address (`LoginThrottle`): after
`LOGIN_DELAY_AFTER` failures the client waits 2, 4, 8 … seconds (at most `LOGIN_DELAY_MAX`)
before the next try, and after `LOGIN_CHALLENGE_AFTER` it must also send a proof of work: a
counter whose SHA-256 with a single-use server nonce starts with `LOGIN_CHALLENGE_BITS` zero
bits (hashcash; the login page's script finds it in a fraction of a second, a guessing script
pays it on every try). A stranger elsewhere therefore slows only itself; the account is locked
(django-axes) only after `AXES_FAILURE_LIMIT` failures from everywhere together. The writes
are in `actions.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import LoginThrottle

__all__ = ["Throttle", "client_ip", "client_needs_challenge", "delay_after", "solves", "state"]


def username_digest(username: str) -> str:
    """The user name as a keyed hash: what was typed into the name box is never stored."""
    return salted_hmac("xunshi.accounts.login-throttle", username.strip().lower()).hexdigest()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for this throttle and for django-axes alike (its
    `AXES_CLIENT_IP_CALLABLE`): REMOTE_ADDR, or behind `XUNSHI_TRUSTED_PROXIES` proxies the
    X-Forwarded-For entry the nearest trusted one wrote; a forged entry a client sent itself
    stands further left and is never read. A request that did not come through the proxies
    (a local health check) is known by REMOTE_ADDR."""
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    proxies = settings.XUNSHI_TRUSTED_PROXIES
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if proxies <= 0 or len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


def window_start() -> dt.datetime:
    """Failures older than this are forgotten."""
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)


def delay_after(failures: int) -> int:
    """Seconds to wait after this many failures: none for the first few, then doubling."""
    if failures < settings.LOGIN_DELAY_AFTER:
        return 0
    return int(min(2 ** (failures - settings.LOGIN_DELAY_AFTER + 1), settings.LOGIN_DELAY_MAX))


@dataclass(frozen=True)
class Throttle:
    failures: int
    wait: int  # seconds still to wait before the next try
    challenge: bool  # a proof of work is required with the next try


def state(username: str, ip: str | None) -> Throttle:
    """Where this user name stands from this client."""
    row = LoginThrottle.objects.filter(
        username_digest=username_digest(username),
        ip_address=ip,
        last_failure__gte=window_start(),
    ).first()
    if row is None:
        return Throttle(0, 0, False)
    ready = row.last_failure + dt.timedelta(seconds=delay_after(row.failures))
    wait = max(0, int((ready - timezone.now()).total_seconds() + 0.999))
    return Throttle(row.failures, wait, row.failures >= settings.LOGIN_CHALLENGE_AFTER)


def client_needs_challenge(ip: str | None) -> bool:
    """Whether the login page should hand this client a proof of work (some user name from
    it has failed often; the page does not know yet which name will be typed)."""
    return LoginThrottle.objects.filter(
        ip_address=ip,
        failures__gte=settings.LOGIN_CHALLENGE_AFTER,
        last_failure__gte=window_start(),
    ).exists()


def solves(nonce: str, counter: str, bits: int) -> bool:
    """Whether SHA-256("nonce:counter") starts with `bits` zero bits."""
    if not counter.isdigit() or len(counter) > 20:
        return False
    digest = hashlib.sha256(f"{nonce}:{counter}".encode()).digest()
    return int.from_bytes(digest, "big") >> (256 - bits) == 0 if bits else True

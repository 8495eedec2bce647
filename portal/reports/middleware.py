"""Security headers on every response of the portal, errors and static files included; and the
purge of the limits whose time is over, on every request that reaches a view."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from .throttle import limits_purge

__all__ = ["HEADERS", "LimitsPurgeMiddleware", "PortalHeadersMiddleware"]

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": (
        "accelerometer=(), ambient-light-sensor=(), autoplay=(), camera=(), "
        "display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=()"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class PortalHeadersMiddleware:
    """Outermost middleware: whatever answered, the headers are the same (and no Server)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        for name, value in HEADERS.items():
            response[name] = value
        for name in ("Server", "X-Powered-By", "Expires", "Last-Modified", "ETag"):
            if name in response:
                del response[name]
        return response


class LimitsPurgeMiddleware:
    """Before every request: throttle windows and spent challenge nonces whose time is over
    are deleted, so that no row outlives its use even when no one looks a code up again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limits_purge()
        return self.get_response(request)

"""Security headers on every response of the portal, errors and static files included."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

__all__ = ["HEADERS", "PortalHeadersMiddleware"]

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

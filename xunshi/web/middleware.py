"""Simplified Chinese unless the user chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a browser
set to English would get English pages nobody asked for. The choice is the cookie that the
switch (set_language) writes, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChosenLanguageOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

"""What a developer sees in the console of `make run`: a refused request as one line, no
access-log line per static file, and no 404 for the favicon."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from gunicorn.config import Config

from config.gunicorn_logging import PagesOnlyLogger


def _console() -> logging.Handler:
    """The console handler that config/settings.py's LOGGING puts on the root logger."""
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


def test_it_logs_a_refused_request_as_one_line(world, login):  # type: ignore[no-untyped-def]
    console, out = _console(), io.StringIO()
    stream = console.setStream(out)  # type: ignore[attr-defined]
    try:
        response = login(world.users["bob"]).post(reverse("taxonomy_create"), {})
    finally:
        console.setStream(stream)  # type: ignore[attr-defined]
    assert response.status_code == 403
    path = reverse("taxonomy_create")
    assert out.getvalue().splitlines() == [f"Forbidden (Permission denied): {path}"]


def test_it_keeps_the_traceback_of_an_error() -> None:
    console, out = _console(), io.StringIO()
    stream = console.setStream(out)  # type: ignore[attr-defined]
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("django.request").error("Internal Server Error: /x/", exc_info=True)
    finally:
        console.setStream(stream)  # type: ignore[attr-defined]
    assert "Traceback" in out.getvalue() and "ValueError: boom" in out.getvalue()


def _access_lines(path: str, status: str) -> list[str]:
    config = Config()
    config.set("accesslog", "-")
    logger = PagesOnlyLogger(config)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.handlers = [handler]
    logger.access_log.setLevel(logging.INFO)
    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": "",
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    request = SimpleNamespace(headers=[], method="GET", path=path, query="", version=(1, 1))
    response = SimpleNamespace(status=status, headers=[], sent=10, response_length=10)
    logger.access(response, request, environ, _Elapsed())
    return out.getvalue().splitlines()


class _Elapsed:
    seconds, microseconds = 0, 1200


def test_it_leaves_static_files_out_of_the_access_log() -> None:
    assert _access_lines("/static/css/xunshi.css", "200 OK") == []
    assert _access_lines("/favicon.ico", "200 OK") == []
    assert len(_access_lines("/rounds/", "200 OK")) == 1
    assert len(_access_lines("/static/css/missing.css", "404 Not Found")) == 1


def test_it_names_a_favicon_on_every_page(world, login):  # type: ignore[no-untyped-def]
    html = login(world.users["alice"]).get(reverse("home"), follow=True).content.decode()
    assert f'<link rel="icon" href="{static("favicon.ico")}">' in html
    assert finders.find("favicon.ico")

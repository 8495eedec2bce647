"""The access log of `make run` without the static files: one line per page or download,
not one more per stylesheet, script and icon that whitenoise serves."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

__all__ = ["PagesOnlyLogger"]

QUIET_PREFIXES = ("/static/", "/favicon.ico", "/healthz")


class PagesOnlyLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, its access log leaving out successful static hits."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        path = environ.get("PATH_INFO", "")
        status = str(getattr(resp, "status", "") or "")
        if path.startswith(QUIET_PREFIXES) and status[:1] in ("2", "3"):
            return
        super().access(resp, req, environ, request_time)

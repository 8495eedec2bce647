"""The access log of `make run` without the static files: one line per page or download,
not one more per stylesheet, script and icon that whitenoise serves; in production
(deploy/gunicorn/web.py) the same lines as JSON objects, like the app's own log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from gunicorn.glogging import Logger

__all__ = ["JsonPagesLogger", "PagesOnlyLogger"]

QUIET_PREFIXES = ("/static/", "/favicon.ico", "/healthz")


class PagesOnlyLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, its access log leaving out successful static hits."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        path = environ.get("PATH_INFO", "")
        status = str(getattr(resp, "status", "") or "")
        if path.startswith(QUIET_PREFIXES) and status[:1] in ("2", "3"):
            return
        super().access(resp, req, environ, request_time)


class JsonPagesLogger(PagesOnlyLogger):
    """The access log as one JSON object a line (xunshi/web/jsonlog.py's fields): the method,
    the path without its query string, the status, the bytes, the milliseconds and the request
    id the app answered with; no address, agent or referrer."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.cfg.accesslog:
            return
        path = environ.get("PATH_INFO", "")
        status = str(getattr(resp, "status", "") or "").split(" ", 1)[0]
        if path.startswith(QUIET_PREFIXES) and status[:1] in ("2", "3"):
            return
        headers = dict((k.lower(), v) for k, v in (getattr(resp, "headers", None) or []))
        line = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{environ.get('REQUEST_METHOD', '')} {path} {status}",
            "request_id": headers.get("x-request-id", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": path,
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None) or 0,
            "ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
        self.access_log.info(json.dumps(line, ensure_ascii=False))

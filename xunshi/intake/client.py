"""The portal's API as seen from the internal app: four calls over HTTP (urllib, stdlib only).

Every call carries the bearer token, waits at most `timeout` seconds for an answer and is tried
`attempts` times in all when the portal does not answer or answers 5xx, with a short pause
between tries; a 4xx answer is not tried again. All four calls are idempotent on the portal's
side (a page read, a status set, two sets replaced), so trying again is safe. Every failure is
a `PortalError` whose message is one Chinese sentence for the office; nothing of a request's or
answer's body ever goes into a message or a log.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

__all__ = [
    "PortalClient",
    "PortalError",
    "PortalNotFound",
    "PortalRefused",
    "PortalUnavailable",
    "portal_client",
]


class PortalError(Exception):
    """The portal could not be used; the message says why, in Chinese."""


class PortalUnavailable(PortalError):
    """No answer (refused, timed out) or a server error, after every try."""


class PortalRefused(PortalError):
    """The portal answered 4xx: a wrong token, or a request it does not take."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class PortalNotFound(PortalRefused):
    """The portal does not know the submission (404)."""


@dataclass(frozen=True)
class PortalClient:
    base_url: str
    token: str
    timeout: float = 10.0
    attempts: int = 3
    pause: float = 0.5

    def submissions(self, *, after: int) -> dict[str, Any]:
        """One page of submissions after the sequence number `after`, oldest first."""
        query = urllib.parse.urlencode({"after": after})
        page = self._call("GET", f"/api/v1/submissions/?{query}")
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise PortalUnavailable("门户网站返回的数据格式不正确，本次未拉取任何数据。")
        return page

    def push_status(self, *, ref: str, status: str, reply: str) -> None:
        """Set a submission's status (and the reply the reporter reads with the receipt)."""
        path = f"/api/v1/submissions/{urllib.parse.quote(ref, safe='')}/status/"
        self._call("POST", path, {"status": status, "reply": reply})

    def put_announcements(self, items: list[dict[str, Any]]) -> None:
        """Replace the portal's announcements with these."""
        self._call("PUT", "/api/v1/announcements/", {"items": items})

    def put_disclosures(self, items: list[dict[str, Any]]) -> None:
        """Add or replace these disclosures, by key."""
        self._call("PUT", "/api/v1/disclosures/", {"items": items})

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        url = self.base_url.rstrip("/") + path
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise PortalUnavailable(
                "门户网站地址（XUNSHI_PORTAL_URL）须以 http:// 或 https:// 开头。"
            )
        if not self.token:
            raise PortalRefused("尚未配置门户网站的访问令牌（XUNSHI_PORTAL_TOKEN）。", 401)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        last = ""
        for attempt in range(max(1, self.attempts)):
            if attempt:
                time.sleep(self.pause * 2 ** (attempt - 1))
            request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    raw = response.read()
            except urllib.error.HTTPError as e:
                e.close()
                if e.code == 404:
                    raise PortalNotFound("门户网站上没有这条记录。", 404) from None
                if e.code in (401, 403):
                    raise PortalRefused(
                        "门户网站拒绝了访问令牌，请检查 XUNSHI_PORTAL_TOKEN 的设置。", e.code
                    ) from None
                if e.code < 500:
                    raise PortalRefused(
                        f"门户网站不接受本次请求（HTTP {e.code}）。", e.code
                    ) from None
                last = f"门户网站出错（HTTP {e.code}）"
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                last = "门户网站没有响应"
                continue
            try:
                return json.loads(raw.decode("utf-8")) if raw else None
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise PortalUnavailable("门户网站返回的数据格式不正确。") from None
        raise PortalUnavailable(f"{last}（已尝试{max(1, self.attempts)}次），请稍后重试。")


def portal_client() -> PortalClient:
    """The client for the portal named in the settings."""
    return PortalClient(base_url=settings.XUNSHI_PORTAL_URL, token=settings.XUNSHI_PORTAL_TOKEN)

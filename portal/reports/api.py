"""The internal app's API (see portal/README.md): pull envelopes, push statuses and lists.

Authenticated by a bearer token whose SM3 digest alone is in the settings, compared in
constant time. Exempt from CSRF: no cookie authenticates anything here, the token does.
Errors are JSON ``{"error": "…"}`` in Chinese.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from envelope import sm3_hex

from .actions import (
    announcements_replace,
    disclosures_upsert,
    submission_set_status,
    submissions_mark_pulled,
)
from .models import Status, Submission

PAGE = 20
TOKEN = re.compile(r"[-a-zA-Z0-9_]{4,64}")

View = Callable[[HttpRequest], HttpResponse]


class Invalid(Exception):
    """A request body the API cannot use; the message says why, in Chinese."""


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status)


def _refusal(request: HttpRequest) -> JsonResponse | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        response = _error(401, "缺少访问令牌（Authorization: Bearer …）。")
        response["WWW-Authenticate"] = 'Bearer realm="portal"'
        return response
    digest = sm3_hex(token.strip().encode("utf-8"))
    if not hmac.compare_digest(digest.lower(), settings.PORTAL_API_TOKEN_SM3):
        return _error(403, "访问令牌无效。")
    return None


def api(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Token check, allowed methods and JSON errors around an API view."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refusal = _refusal(request)
            if refusal is not None:
                return refusal
            if request.method not in methods:
                response = _error(405, "不支持该请求方法。")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, *args, **kwargs)
            except Invalid as problem:
                return _error(400, str(problem))

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as bad:
        raise Invalid("请求体应为 UTF-8 编码的 JSON。") from bad
    if not isinstance(data, dict):
        raise Invalid("请求体应为 JSON 对象。")
    return data


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("items")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise Invalid("items 应为对象的列表。")
    return items


def _text(item: dict[str, Any], field: str, n: int, *, limit: int = 300) -> str:
    value = item.get(field)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "、".join(value)
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"第{n}条缺少 {field}，或它不是文字。")
    if len(value) > limit:
        raise Invalid(f"第{n}条的 {field} 超过{limit}个字。")
    return value.strip()


def _date(item: dict[str, Any], field: str, n: int) -> dt.date:
    try:
        return dt.date.fromisoformat(str(item.get(field)))
    except ValueError as bad:
        raise Invalid(f"第{n}条的 {field} 应为 YYYY-MM-DD 格式的日期。") from bad


@api("GET")
def submissions(request: HttpRequest) -> HttpResponse:
    """Envelopes after ``after``, oldest first; asking for them acknowledges the earlier ones."""
    raw = request.GET.get("after", "0")
    if not raw.isdigit():
        raise Invalid("after 应为非负整数。")
    after = int(raw)
    submissions_mark_pulled(up_to=after)
    page = list(
        Submission.objects.filter(seq__gt=after).select_related("parent").order_by("seq")[:PAGE]
    )
    items = [
        {
            "seq": s.seq,
            "ref": s.ref,
            "kind": s.kind,
            "parent": s.parent.ref if s.parent else None,
            "day": s.day.isoformat(),
            "envelope": base64.b64encode(bytes(s.envelope)).decode("ascii"),
        }
        for s in page
    ]
    return _json({"items": items, "next": page[-1].seq if page else after})


@api("POST")
def submission_status(request: HttpRequest, ref: str) -> HttpResponse:
    submission = Submission.objects.filter(ref=ref).first()
    if submission is None:
        return _error(404, "没有这条提交。")
    data = _body(request)
    status = data.get("status")
    allowed = [Status.ACCEPTED, Status.FORWARDED, Status.ANSWERED]
    if status not in allowed:
        raise Invalid("status 应为 accepted、forwarded 或 answered。")
    reply = data.get("reply") or ""
    if not isinstance(reply, str) or len(reply) > settings.PORTAL_MAX_CONTENT_CHARS:
        raise Invalid(f"reply 应为不超过{settings.PORTAL_MAX_CONTENT_CHARS}个字的文字。")
    submission_set_status(submission=submission, status=str(status), reply=reply.strip())
    return _json({"ok": True})


@api("PUT")
def announcements(request: HttpRequest) -> HttpResponse:
    items = []
    for n, item in enumerate(_items(_body(request)), start=1):
        token = item.get("token")
        if not isinstance(token, str) or not TOKEN.fullmatch(token):
            raise Invalid(f"第{n}条的 token 应为4到64个字母、数字、短横线或下划线。")
        start, end = _date(item, "start", n), _date(item, "end", n)
        if end < start:
            raise Invalid(f"第{n}条的 end 早于 start。")
        items.append(
            {
                "token": token,
                "org_code": _text(item, "org_code", n, limit=64),
                "org_name": _text(item, "org_name", n, limit=200),
                "team": _text(item, "team", n, limit=200),
                "start": start,
                "end": end,
                "phone": _text(item, "phone", n, limit=100),
                "mailbox": _text(item, "mailbox", n, limit=200),
                "address": _text(item, "address", n, limit=300),
                "scope": _text(item, "scope", n, limit=2000),
            }
        )
    if len({i["token"] for i in items}) != len(items):
        raise Invalid("items 中有重复的 token。")
    return _json({"ok": True, "count": announcements_replace(items=items)})


@api("PUT")
def disclosures(request: HttpRequest) -> HttpResponse:
    items = []
    for n, item in enumerate(_items(_body(request)), start=1):
        items.append(
            {
                "key": _text(item, "key", n, limit=100),
                "org_name": _text(item, "org_name", n, limit=200),
                "title": _text(item, "title", n, limit=300),
                "published_on": _date(item, "published_on", n),
                "text": _text(item, "text", n, limit=50_000),
            }
        )
    return _json({"ok": True, "count": disclosures_upsert(items=items)})

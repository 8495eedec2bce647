"""The API's answers when it does not answer with data: one JSON shape, a stable code a program
tests and a Chinese message a person reads, and for bad input the Chinese name of each field.

| status | code | when |
|---|---|---|
| 400 | `bad_request` | a body that is not JSON text (or has a lone surrogate) |
| 401 | `unauthorized` | no token, or an unknown, revoked or expired one |
| 403 | `forbidden` | the holder's role has no such function, or a read-only token writes |
| 404 | `not_found` | nothing of that id within the holder's scope (as on the pages) |
| 409 | `refused` | the action refused (a stage that may not follow, a guard in the way) |
| 422 | `invalid` | a parameter or field of the wrong form, each named in `errors` |
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError

__all__ = ["ERRORS", "WRITE_ERRORS", "ErrorOut", "FieldError", "install_handlers"]


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError] = []


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 400: ErrorOut, 409: ErrorOut}


def _field_names() -> dict[str, str]:
    # Built per call: the names follow the language of the request.
    return {
        "pk": _("编号"),
        "limit": _("每页条数"),
        "offset": _("起始位置"),
        "q": _("查询"),
        "stage": _("阶段"),
        "round": _("轮次"),
        "to": _("目标阶段"),
        "reason": _("理由"),
        "on": _("日期"),
        "text": _("进展情况"),
        "reported_on": _("报告日期"),
        "rules_revised": _("建立完善制度（项）"),
        "funds_recovered": _("追缴资金（万元）"),
        "persons_sanctioned": _("问责处理（人）"),
        "item_pk": _("整改事项编号"),
    }


def _field(loc: Sequence[Any]) -> str:
    names = [str(p) for p in loc if not isinstance(p, int)]
    # ("body", "payload", "to") → "to"; ("query", "limit") → "limit"
    key = names[-1] if names else ""
    return _field_names().get(key, key)


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    field = _field(error.get("loc", ()))
    if kind == "missing":
        return _("缺少%(field)s。") % {"field": field}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("%(field)s须为整数。") % {"field": field}
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return _("%(field)s不能小于%(limit)s。") % {"field": field, "limit": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return _("%(field)s不能大于%(limit)s。") % {"field": field, "limit": limit}
    if kind == "enum":
        return _("%(field)s须为以下之一：%(expected)s。") % {
            "field": field,
            "expected": ctx.get("expected", ""),
        }
    if kind.startswith("date"):
        return _("%(field)s须为日期，如 2026-05-01。") % {"field": field}
    if kind == "string_too_long":
        return _("%(field)s不能超过%(n)s个字。") % {"field": field, "n": ctx.get("max_length")}
    if kind in ("string_type", "string_unicode"):
        return _("%(field)s须为文字。") % {"field": field}
    if kind.startswith("decimal") or kind.startswith("float"):
        return _("%(field)s须为数字。") % {"field": field}
    if kind == "json_invalid":
        return _("请求内容不是有效的 JSON。")
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return _("请求内容须为 JSON 对象。")
    return _("%(field)s的值不正确。") % {"field": field}


def _answer(api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, {"errors": [], **body}, status=status)


def install_handlers(api: NinjaAPI) -> None:
    """Answer every refusal in the one shape, in Chinese, with its stable code."""

    @api.exception_handler(InputError)
    def invalid(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        message = "".join(e["message"] for e in errors) or _("请求内容不正确。")
        return _answer(api, request, 422, {"code": "invalid", "message": message, "errors": errors})

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _("请在 Authorization 头中以 Bearer 方式提供有效的接口令牌。")
        return _answer(api, request, 401, {"code": "unauthorized", "message": message})

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("您没有执行此操作的权限。")
        return _answer(api, request, 403, {"code": "forbidden", "message": message})

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) or _("没有找到。")
        return _answer(api, request, 404, {"code": "not_found", "message": message})

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        message = "".join(exc.messages)
        return _answer(api, request, 409, {"code": "refused", "message": message})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own errors are in English; the one it raises for a body is said in Chinese.
        if exc.status_code == 400:
            message = _("请求内容不是有效的 JSON 文本，或含有无效的字符。")
            return _answer(api, request, 400, {"code": "bad_request", "message": message})
        return _answer(api, request, exc.status_code, {"code": "error", "message": str(exc)})

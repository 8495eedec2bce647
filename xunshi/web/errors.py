"""Error pages in Chinese that reveal nothing about what went wrong inside."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    body = render_to_string(
        "error.html", {"title": title, "text": text, "status": status}, request=request
    )
    return HttpResponse(body, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("无权访问"), _("您没有执行此操作的权限。如需办理，请联系巡视办。"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("页面不存在"), _("没有找到您要的页面或记录。"))


def server_error(request: HttpRequest) -> HttpResponse:
    body = render_to_string(
        "error.html",
        {
            "title": _("系统繁忙"),
            "status": 500,
            "text": _("处理时出现错误，数据未作改动。请稍后重试或联系系统管理员。"),
        },
    )
    return HttpResponse(body, status=500)

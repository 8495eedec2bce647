"""Generic error pages: a Chinese sentence, no traceback, no path, no version."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PAGES = {
    400: ("请求无效", "您提交的内容无法处理，请返回上一页重新填写。"),
    403: ("无法处理", "页面已过期或请求无效，请返回上一页刷新后重试。"),
    404: ("页面不存在", "没有找到您要的页面。巡视巡察结束后，对应的反映页面会关闭。"),
    500: ("系统繁忙", "处理时出现错误，请稍后重试，或按公告中的电话、信箱、地址反映。"),
}


def _page(status: int) -> HttpResponse:
    title, text = PAGES[status]
    body = render_to_string("portal/error.html", {"title": title, "text": text})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(403)

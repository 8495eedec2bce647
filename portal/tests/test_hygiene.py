"""Every page: the security headers, no cookie, nothing from another host, error pages that
say nothing, and the QR code and poster that send people to the right form."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from PIL import Image

from portal.conftest import receipt_of
from portal.reports import posters
from portal.reports.middleware import HEADERS

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "action", "srcset", "poster", "data"}:
                self.urls.append(value or "")
            if name == "style" or name.startswith("on"):
                self.inline.append(f"{tag} {name}")
        # A script only from the portal itself (pow.js), never written into the page.
        if tag == "script" and not dict(attrs).get("src"):
            self.inline.append(tag)
        if tag in {"style", "iframe", "object", "embed"}:
            self.inline.append(tag)


def check_page(response: Any) -> None:
    assert response["Content-Security-Policy"] == CSP
    assert response["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response
    assert not response.cookies
    assert "Set-Cookie" not in str(response.serialize_headers())
    if response["Content-Type"].startswith("text/html"):
        links = Links()
        links.feed(response.content.decode())
        foreign = [u for u in links.urls if not u.startswith("/") or u.startswith("//")]
        assert foreign == []
        assert links.inline == []


def test_it_sends_the_headers_and_no_cookie_on_every_url(
    client: Any, announced: Any, citizen: Any
) -> None:
    token = announced.token
    urls = [
        "/",
        f"/a/{token}/",
        f"/a/{token}/qr.svg",
        f"/a/{token}/poster.png",
        f"/r/{token}/",
        "/follow/",
        "/disclosures/",
        "/privacy/",
        "/static/portal/portal.css",
        "/static/portal/pow.js",
        "/api/v1/submissions/",
        "/no-such-page/",
        f"/r/{token}x/",
    ]
    for url in urls:
        response = client.get(url)
        check_page(response)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    sent = citizen.report()
    check_page(sent)
    check_page(citizen.report(content=""))
    check_page(citizen.lookup(receipt_of(sent)))
    check_page(citizen.lookup("2222-3333-4444-5555-6666"))


def test_it_loads_only_its_own_script_and_only_where_a_form_needs_it(
    client: Any, announced: Any
) -> None:
    tag = '<script src="/static/portal/pow.js" defer></script>'
    for url in (f"/r/{announced.token}/", "/follow/"):
        assert client.get(url).content.decode().count(tag) == 1
    for url in ("/", f"/a/{announced.token}/", "/disclosures/", "/privacy/"):
        assert "<script" not in client.get(url).content.decode()


def test_it_sets_no_cookie_on_the_landing_page(client: Any, announced: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "兰考县人民政府" in response.content.decode()
    assert not response.cookies and not client.cookies


def test_it_sends_hsts_only_over_tls(client: Any, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    assert "Strict-Transport-Security" not in client.get("/privacy/")
    secure = client.get("/privacy/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


def test_it_shows_a_page_that_says_nothing_when_something_breaks(
    client: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f"{settings.BASE_DIR}/portal/reports/views.py secret state")

    monkeypatch.setattr("portal.reports.views.render", broken)
    client.raise_request_exception = False
    response = client.get("/privacy/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统繁忙" in html
    for leak in ("Traceback", "RuntimeError", "secret state", str(settings.BASE_DIR), "Django"):
        assert leak not in html
    check_page(response)


def test_it_answers_unknown_pages_and_hosts_generically(client: Any) -> None:
    missing = client.get("/wp-admin/secret-path/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    assert "wp-admin" not in missing.content.decode()
    bad_host = client.get("/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400
    assert "请求无效" in bad_host.content.decode()
    assert "evil.example" not in bad_host.content.decode()


def test_it_shows_the_announcement_with_a_qr_code_of_the_form(client: Any, announced: Any) -> None:
    page = client.get(f"/a/{announced.token}/")
    html = page.content.decode()
    url = f"{settings.PORTAL_BASE_URL}/r/{announced.token}/"
    assert posters.qr_svg_inline(url) in html
    for fact in ("市委第一巡察组", "0371-26123456", "1001号信箱", "中山路1号", "廉洁纪律"):
        assert fact in html
    assert "2026年10月8日至2026年12月8日" in html
    svg = client.get(f"/a/{announced.token}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)  # noqa: S314 (our own output)
    assert root.tag.endswith("svg")
    assert b"<script" not in svg.content


def test_it_draws_a_printable_poster(client: Any, announced: Any) -> None:
    poster = client.get(f"/a/{announced.token}/poster.png")
    assert poster["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(poster.content))
    assert image.size == (1240, 1754)
    # The title band is red and the QR area has both black and white modules.
    assert image.getpixel((20, 20)) == (176, 26, 26)
    middle = image.crop((400, 600, 840, 1000)).getcolors(maxcolors=1 << 16) or []
    assert {(0, 0, 0), (255, 255, 255)} <= {c for _, c in middle}


def test_it_lists_only_inspections_on_site(client: Any, announced: Any) -> None:
    announced.active = False
    announced.save()
    html = client.get("/").content.decode()
    assert "兰考县人民政府" not in html and "目前没有正在进驻的巡视巡察组" in html


def test_it_explains_what_is_and_is_not_recorded(client: Any) -> None:
    html = re.sub(r"<[^>]+>", "", client.get("/privacy/").content.decode())
    for point in (
        "不记录您的IP地址",
        "不使用Cookie",
        "只记到日",
        "保存期限",
        "匿名的限度",
        "回执码",
    ):
        assert point in html


def test_it_lists_the_headers_it_promises() -> None:
    assert HEADERS["Content-Security-Policy"] == CSP

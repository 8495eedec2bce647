"""码上巡察 end to end, in a real browser: the office publishes 兰考县's announcement, a
citizen follows the QR link on the public portal and files an anonymous report with a photo
carrying GPS data, the report arrives in the internal app as a petition of team 1 with the
photo's metadata gone, bob answers it, and the citizen reads the answer with the receipt.

Two servers, each in its own process on its own SQLite file: the portal (portal/, a Django
project of its own) and the internal app. They share one set of keys made here: the office's
SM2 pair (the portal gets the public half only) and the API token (the portal gets its SM3).
Nothing scans the QR code: the test checks that the page's SVG is the code of the report
form's URL and follows the link the page gives beside it.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, serve, serve_portal, shot, sign_in

pytestmark = NEEDS_CHROMIUM

PHONE = "0371-26581234"
MAILBOX = "兰考县2026号邮政信箱"
ADDRESS = "兰考县裕禄大道88号"
PERSONS = "县交通运输局局长"
CONTENT = "反映县交通运输局局长在农村公路养护项目中违规指定施工单位，照片为施工现场。"
REPLY = "您反映的问题已收悉，巡察组已作为问题线索依规办理，感谢您的监督。"
CANARY = "CANARY-CAMERA-7f3a"  # the camera model in the photo's EXIF
SIZE = (64, 48)

# The test world with its inspection of 兰考县 (team 1: bob leads, carol) on site.
SETUP = """
import json
from pathlib import Path

import django

django.setup()
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.world import build_world

w = build_world()
move_on_site(w.inspection1)
Path("__OUT__").write_text(json.dumps({"pk": w.inspection1.pk}))
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000, accept_downloads=True) as p:
        yield p


def _keys() -> tuple[dict[str, str], dict[str, str]]:
    """One matching set: (the portal's variables, the internal app's variables)."""
    from envelope import generate_keypair, sm3_hex

    private, public = generate_keypair()
    token = secrets.token_urlsafe(32)
    portal = {
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(50),
        "PORTAL_OFFICE_PUBLIC_KEY": public,
        "PORTAL_API_TOKEN_SM3": sm3_hex(token.encode()),
        "PORTAL_RECEIPT_KEY": secrets.token_hex(32),
        "PORTAL_RECEIPT_SALT": secrets.token_hex(16),
    }
    internal = {"XUNSHI_OFFICE_SM2_PRIVATE_KEY": private, "XUNSHI_PORTAL_TOKEN": token}
    return portal, internal


def _gps_photo() -> bytes:
    """A JPEG whose EXIF names a camera and holds a position in 兰考县."""
    from PIL import Image

    img = Image.new("RGB", SIZE, (30, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = CANARY  # Model
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 49.0, 12.5), 3: "E", 4: (114.0, 49.0, 3.25)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    data = buf.getvalue()
    # The metadata is really there before it goes up.
    opened = Image.open(io.BytesIO(data)).getexif()
    assert opened[0x0110] == CANARY
    gps = opened.get_ifd(0x8825)
    assert gps[1] == "N" and gps[3] == "E" and float(gps[2][0]) == 34.0, gps
    assert CANARY.encode() in data
    return data


# --- what a person does on every page ---------------------------------------------------------


def _login(page: Any, base: str, username: str) -> None:
    from xunshi.testsupport.world import PASSWORD

    sign_in(page, base, username, PASSWORD)


def _said(page: Any, text: str) -> str:
    """The page reports text, and no error."""
    page.wait_for_load_state()
    messages = page.locator(".messages")
    assert messages.count() == 1, f"no message on {page.url}: {_main(page)[:600]}"
    said = str(messages.inner_text())
    assert text in said, said
    assert page.locator(".messages li.error").count() == 0, said
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()
    return said


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def _pull(page: Any, base: str) -> str:
    """alice presses 立即拉取 on /intake/; the page's message."""
    page.goto(f"{base}/intake/")
    page.get_by_role("button", name="立即拉取").click()
    page.wait_for_url(f"{base}/intake/")
    return _said(page, "")


# --- the walk ---------------------------------------------------------------------------------


def test_a_report_goes_from_the_qr_link_to_a_petition_and_back_with_the_answer(
    tmp_path: Path, page: Any
) -> None:
    portal_env, internal_env = _keys()
    photo = _gps_photo()
    with serve_portal(tmp_path, portal_env) as portal:
        env = internal_env | {
            "XUNSHI_PORTAL_URL": portal,
            "XUNSHI_FILES_ROOT": str(tmp_path / "files"),
        }
        setup = SETUP.replace("__OUT__", str(tmp_path / "world.json"))
        with serve(tmp_path, setup, env=env) as base:
            pk = json.loads((tmp_path / "world.json").read_text())["pk"]
            link = _publish(page, base)
            citizen = page.context.browser.new_context(
                viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
            )
            try:
                phone = citizen.new_page()
                phone.set_default_timeout(20_000)
                receipt = _report(phone, portal, link, photo)
                _arrives(page, base, pk, photo, tmp_path)
                _answer(page, base, photo, tmp_path)
                _reads_answer(phone, portal, receipt)
            finally:
                citizen.close()


def _publish(page: Any, base: str) -> str:
    """alice publishes 兰考县's announcement; the page gives the QR link."""
    _login(page, base, "alice")
    page.goto(f"{base}/intake/announcements/")
    card = page.locator("section.announcement", has_text="兰考县")
    assert card.count() == 1, _main(page)
    card.get_by_label("值班电话").fill(PHONE)
    card.get_by_label("邮政信箱").fill(MAILBOX)
    card.get_by_label("通讯地址").fill(ADDRESS)
    assert card.get_by_label("受理范围").input_value().strip(), "no default scope"
    card.get_by_role("button", name="发布巡视公告").click()
    _said(page, "兰考县巡视公告已保存并发布到门户网站")
    card = page.locator("section.announcement", has_text="兰考县")
    link = str(card.locator("dl.facts a[href*='/r/']").get_attribute("href"))
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/r/[^/]+/", link), link
    assert "尚未发布" not in card.inner_text()
    assert card.get_by_role("button", name="保存并发布").count() == 1
    shot(page, "41-portal-announcement-published")
    return link


def _report(phone: Any, portal: str, link: str, photo: bytes) -> str:
    """The citizen: home page, announcement with its QR code, the report form; the receipt."""
    import segno

    phone.goto(f"{portal}/")
    card = phone.locator("article.card", has_text="兰考县")
    assert card.count() == 1, phone.locator("main").inner_text()
    for text in (PHONE, MAILBOX, ADDRESS):
        assert text in card.inner_text()
    card.get_by_role("link", name="兰考县").click()
    phone.wait_for_load_state()
    assert "巡视兰考县公告" in phone.locator("h1").inner_text()
    # The QR code is the report form's URL, drawn as the portal draws it (byte for byte).
    html = phone.request.get(phone.url).text()
    go = phone.get_by_role("link", name="在线反映")
    form_url = urllib.parse.urljoin(phone.url, str(go.get_attribute("href")))
    assert form_url == link, (form_url, link)  # the office's QR link is the portal's
    qr = segno.make(form_url, error="m", micro=False).svg_inline(
        scale=5, title="扫码进入反映页面", svgclass="qr", lineclass=None
    )
    assert qr in html, "the page's QR code is not the report form's URL"
    assert phone.locator("figure.qr svg.qr").is_visible()
    shot(phone, "42-portal-announcement-qr")

    go.click()
    phone.wait_for_url(form_url)
    assert "兰考县" in phone.locator("p.lead").inner_text()
    phone.locator("#persons").fill(PERSONS)
    phone.locator("#content").fill(CONTENT)
    phone.locator("#files").set_input_files(
        files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    phone.get_by_label(re.compile("匿名反映")).check()
    question = phone.locator("label[for=answer]").inner_text()
    sum_ = re.search(r"(\d+)\s*\+\s*(\d+)\s*=", question)
    assert sum_, question
    phone.locator("#answer").fill(str(int(sum_.group(1)) + int(sum_.group(2))))
    phone.get_by_role("button", name="提交", exact=True).click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "提交成功", phone.locator("main").inner_text()
    assert "含1个附件" in phone.locator("main").inner_text()
    assert phone.url == form_url  # no redirect to an address that gives anything away
    receipt = str(phone.locator("p.code").inner_text()).strip()
    assert len(re.sub(r"[\s-]", "", receipt)) == 20, receipt
    shot(phone, "43-portal-receipt")
    return receipt


def _arrives(page: Any, base: str, pk: int, photo: bytes, folder: Path) -> None:
    """alice pulls; bob finds a 网络举报 petition whose photo has no EXIF left."""
    from PIL import Image

    said = _pull(page, base)
    assert "已拉取1件：1件已转为信访件，0件待巡视办处理" in said, said

    _login(page, base, "bob")
    page.goto(f"{base}/inspections/{pk}/")
    page.locator("nav.tabs a", has_text="信访").first.click()
    page.wait_for_load_state()
    row = page.locator("table.petitions tbody tr", has_text="网络举报")
    assert row.count() == 1, page.locator("table.petitions").inner_text()
    assert "匿名" in row.inner_text() and PERSONS in row.inner_text()
    assert "待处理" in row.inner_text()
    row.get_by_role("link").first.click()
    page.wait_for_load_state()
    petition = page.locator("section.petition").inner_text()
    assert "网络举报" in petition and CONTENT in petition, petition
    assert "已收到" in page.locator(".portal-panel").inner_text()
    shot(page, "44-petition-from-portal")

    with page.expect_download() as download:
        page.locator(".portal-panel ul.files a", has_text="现场照片.jpg").first.click()
    saved = folder / "clean.jpg"
    download.value.save_as(saved)
    data = saved.read_bytes()
    clean = Image.open(io.BytesIO(data))
    assert clean.size == SIZE == Image.open(io.BytesIO(photo)).size
    assert not clean.getexif(), dict(clean.getexif())
    assert "exif" not in clean.info
    assert CANARY.encode() not in data
    # bob is no office member: he gets no link to the original.
    assert page.locator(".portal-panel a", has_text="原件").count() == 0


def _answer(page: Any, base: str, photo: bytes, folder: Path) -> None:
    """bob routes the petition within scope and answers it; alice's next pull pushes it."""
    route = page.locator("#route form")
    route.locator("[name=in_scope][value=yes]").check()
    route.locator("[name=routing]").select_option("clue")
    route.get_by_role("button", name="保存处理意见").click()
    _said(page, "已处理")
    reply = page.locator("#reply form")
    reply.locator("[name=reply]").fill(REPLY)
    reply.get_by_role("button", name="登记答复").click()
    _said(page, "已登记对第1号信访件的答复")
    assert REPLY in page.locator("section.routing").inner_text()
    panel = page.locator(".portal-panel").inner_text()
    assert "下次同步时推送" in panel, panel
    shot(page, "45-petition-answered")
    petition_url = page.url

    _login(page, base, "alice")
    said = _pull(page, base)
    assert "已向门户网站推送1条办理状态" in said, said
    assert "所有办理状态均已推送" in page.locator("#outbox").inner_text()
    page.goto(petition_url)
    panel = page.locator(".portal-panel")
    assert "已答复" in panel.inner_text() and "下次同步时推送" not in panel.inner_text()
    # The office alone may open the sealed original: the evidence, metadata and all.
    with page.expect_download() as download:
        panel.locator("a", has_text="原件").first.click()
    saved = folder / "original.jpg"
    download.value.save_as(saved)
    assert saved.read_bytes() == photo


def _reads_answer(phone: Any, portal: str, receipt: str) -> None:
    """The citizen enters the receipt on /follow/ and reads 已答复 and bob's reply."""
    phone.goto(f"{portal}/")
    phone.get_by_role("link", name="查询进度").click()
    phone.wait_for_url(f"{portal}/follow/")
    phone.locator("#receipt").fill(receipt)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "办理进度", phone.locator("main").inner_text()
    assert phone.locator("dd.status").inner_text().strip() == "已答复"
    assert REPLY in phone.locator("article.reply").inner_text()
    shot(phone, "46-portal-answer")

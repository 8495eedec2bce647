"""The forms' proof of work in a real browser: Debian's chromium runs pow.js, which finds the
counter the server accepts, and a citizen sends a report and looks it up as on a phone."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from portal.conftest import ANNOUNCEMENT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def on_site(transactional_db: None, settings: Any) -> None:
    """The announcement, written before Playwright starts its event loop in this thread."""
    import datetime as dt

    from portal.reports.actions import announcements_replace

    settings.PORTAL_POW_BITS = 12  # a real amount of work: about 4,000 hashes
    item = {
        **ANNOUNCEMENT,
        "start": dt.date.fromisoformat(ANNOUNCEMENT["start"]),
        "end": dt.date.fromisoformat(ANNOUNCEMENT["end"]),
    }
    announcements_replace(items=[item])


@pytest.fixture
def page(live_server: Any, on_site: None) -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        yield context.new_page()
        browser.close()


def test_a_citizen_reports_and_looks_up_with_the_pages_own_work(
    page: Any, live_server: Any
) -> None:
    page.goto(f"{live_server.url}/r/{ANNOUNCEMENT['token']}/")
    page.fill("#content", "村里的扶贫款被挪用。")
    page.check("input[name=identity][value=anonymous]")
    a, b = re.search(r"请计算：(\d+) \+ (\d+)", page.content()).groups()  # type: ignore[union-attr]
    page.fill("#answer", str(int(a) + int(b)))
    page.wait_for_selector("button[type=submit]:enabled")
    assert page.text_content(".pow-status") == "计算完成，可以提交。"
    page.click("button[type=submit]")
    page.wait_for_selector("p.code")
    assert "提交成功" in page.content()
    code = page.text_content("p.code")

    page.goto(f"{live_server.url}/follow/")
    page.fill("#receipt", code)
    page.wait_for_selector("button[type=submit]:enabled")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.click("button[type=submit]")
    # The lookup form has no file field: urlencoded, which the server reads cheaply.
    assert sent.value.headers["content-type"] == "application/x-www-form-urlencoded"
    page.wait_for_selector("dd.status")
    assert page.text_content("dd.status") == "已收到"


def test_a_photo_chosen_arrives_sealed(page: Any, live_server: Any, settings: Any) -> None:
    from django.db import connection

    from portal.conftest import jpeg_with_exif, opened
    from portal.reports.models import Submission

    page.goto(f"{live_server.url}/r/{ANNOUNCEMENT['token']}/")
    page.fill("#content", "村里的扶贫款被挪用，附现场照片。")
    page.check("input[name=identity][value=anonymous]")
    a, b = re.search(r"请计算：(\d+) \+ (\d+)", page.content()).groups()  # type: ignore[union-attr]
    page.fill("#answer", str(int(a) + int(b)))
    photo = jpeg_with_exif("browser")
    chosen = {"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo}
    page.set_input_files("#files", [chosen])
    page.wait_for_selector("button[type=submit]:enabled")
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.click("button[type=submit]")
    assert sent.value.headers["content-type"].startswith("multipart/form-data; boundary=")
    page.wait_for_selector("p.code")
    assert "含1个附件" in page.content()

    # Playwright's loop runs in this thread: the database is read from another one, which
    # closes its connection (or the test database could not be dropped).
    def stored() -> bytes:
        try:
            return bytes(Submission.objects.get().envelope)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as other:
        envelope = other.submit(stored).result()
    sealed = opened(settings.PORTAL_TEST_OFFICE_PRIVATE_KEY, envelope)
    assert [f["name"] for f in sealed["files"]] == ["现场.jpg"]

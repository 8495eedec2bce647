"""A person's first look, in a real browser: Playwright driving Debian's chromium.

Screenshots go to $XUNSHI_SCREENSHOTS (default test-artifacts/screenshots) so that CI can
show them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
    ),
]
SHOTS = Path(os.environ.get("XUNSHI_SCREENSHOTS", "test-artifacts/screenshots"))


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real server process on its own SQLite file, holding the test world.

    A separate process rather than pytest-django's live_server: the audit table refuses the
    DELETE with which live_server's tests would be cleaned up, as it should.
    """
    folder = tmp_path_factory.mktemp("browser")
    env = {
        **os.environ,
        "XUNSHI_ENV": "test",
        "XUNSHI_SECRET_KEY": "browser-test-" + "x" * 40,
        "XUNSHI_FIELD_KEY": "00112233445566778899aabbccddeeff",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [
            python,
            "-c",
            "import django; django.setup(); "
            "from xunshi.testworld import build_world; build_world()",
        ],
        env=env,
        check=True,
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "server.log", "w"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # at most 20 s
            try:
                urllib.request.urlopen(f"{url}/accounts/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start: " + (folder / "server.log").read_text())
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def page() -> Iterator:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_it_walks_the_office_from_coverage_to_an_avoidance_hit(server, page):
    from xunshi.testworld import PASSWORD

    base = server
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/rounds/coverage/**")

    # The coverage page: overall share, the chart drawn by ECharts, the uncovered list.
    assert page.locator("h1").first.inner_text().strip() != ""
    page.wait_for_selector("#coverage-chart canvas")
    assert page.get_by_text("新县").first.is_visible()
    _shot(page, "01-coverage")

    # The organization list, filtered to counties and searched by pinyin initials.
    page.goto(f"{base}/registry/orgs/")
    page.select_option("select[name=sector]", "county")
    page.fill("input[name=q]", "lk")
    page.locator("form.filters button").first.click()
    page.wait_for_load_state()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "兰考县" in rows.first.inner_text()
    _shot(page, "02-org-list-filtered")

    # A cadre born in 兰考县: the origin-place avoidance hit is shown with its sentence.
    page.goto(f"{base}/registry/cadres/")
    page.fill("input[name=q]", "刘红梅")
    page.locator("form.filters button").first.click()
    page.get_by_role("link", name="刘红梅").first.click()
    hit = page.locator(".hit").filter(has_text="兰考县").first
    assert "地域回避" in hit.inner_text()
    assert "410225********" in page.content()
    _shot(page, "03-cadre-avoidance")

"""What the browser tests share: a real server process on its own SQLite file, a chromium
page driven by Playwright, and screenshots into $XUNSHI_SCREENSHOTS.

A separate server process rather than pytest-django's live_server: the audit table refuses
the DELETE with which live_server's tests would be cleaned up, as it should.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from xunshi.testsupport.signin import totp_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does it)",
    ),
]
ROOT = Path(__file__).resolve().parents[3]  # the repository: manage.py, portal/
SHOTS = Path(os.environ.get("XUNSHI_SCREENSHOTS", "test-artifacts/screenshots"))
# The server under time_machine: the clock starts at `when` and ticks on.
_FROZEN_SERVER = """
import datetime as dt, zoneinfo, time_machine
from django.core.management import execute_from_command_line
when = dt.datetime.fromisoformat({when!r})
if when.tzinfo is None:
    when = when.replace(tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
time_machine.travel(when, tick=True).start()
execute_from_command_line({argv!r})
"""


def _variables(folder: Path, env: dict[str, str] | None) -> dict[str, str]:
    """The environment of the server, its setup and `run` on the database in folder."""
    return {
        **os.environ,
        "XUNSHI_ENV": "test",
        "XUNSHI_SECRET_KEY": "browser-test-" + "x" * 40,
        "XUNSHI_FIELD_KEY": "00112233445566778899aabbccddeeff",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **(env or {}),
    }


def run(folder: Path, code: str, *, env: dict[str, str] | None = None) -> None:
    """Run the Python code on the database `serve` made in folder, between two servers: what
    the test does through the actions rather than the pages (time passing, say)."""
    subprocess.run([sys.executable, "-c", code], env=_variables(folder, env), check=True)


@contextmanager
def serve(
    folder: Path,
    setup: str = "",
    *,
    freeze: str | None = None,
    fresh: bool = True,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Migrate a fresh database in folder, run the Python code setup in it, serve it; yields
    the base URL and stops the server afterwards.

    freeze (an ISO datetime, Asia/Shanghai when it has no offset) starts the server's clock
    there, ticking on (time_machine). fresh=False serves the database already in folder as
    it is, without migrating or running setup: a test moves the clock forward by stopping
    the server and serving the same folder at a later date. Sessions live in the server
    process, so log in again after a restart. env adds variables (or overrides the ones
    below) for the migration, the setup and the server alike.
    """
    variables = _variables(folder, env)
    python = sys.executable
    if fresh:
        subprocess.run([python, "manage.py", "migrate", "-v", "0"], env=variables, check=True)
        subprocess.run([python, "-c", setup], env=variables, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    runserver = ["runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"]
    command = [python, "manage.py", *runserver]
    if freeze is not None:
        command = [python, "-c", _FROZEN_SERVER.format(when=freeze, argv=["manage.py", *runserver])]
    log = open(folder / "server.log", "a")  # noqa: SIM115
    proc = subprocess.Popen(command, env=variables, stdout=subprocess.DEVNULL, stderr=log)
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
        log.close()


@contextmanager
def serve_portal(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """Migrate the public portal (portal/, a Django project of its own) on its own SQLite
    file in folder, serve it on a free port; yields its base URL, stops it afterwards.

    env gives the portal's variables (keys, token digest, salt); PORTAL_ENV defaults to test
    and PORTAL_BASE_URL to the portal's own URL, so that its QR codes point at it. Nothing of
    the internal app's environment (XUNSHI_*, DATABASE_URL) reaches the portal.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    variables = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("XUNSHI_", "PORTAL_")) and k != "DATABASE_URL"
    }
    variables |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "test",
        "PORTAL_DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "PORTAL_BASE_URL": url,
        **env,
    }
    manage = [sys.executable, str(ROOT / "portal" / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=variables, check=True, timeout=60)
    log = open(folder / "portal.log", "a")  # noqa: SIM115
    proc = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=variables,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(100):  # at most 20 s
            if proc.poll() is not None:
                pytest.fail("the portal stopped: " + (folder / "portal.log").read_text())
            try:
                urllib.request.urlopen(f"{url}/privacy/", timeout=1).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the portal did not start: " + (folder / "portal.log").read_text())
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


@contextmanager
def chromium_page(timeout_ms: int = 15_000, **context: Any) -> Iterator[Any]:
    """A page in Debian's chromium, headless, with a Chinese locale."""
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
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 900}, locale="zh-CN", **context
        )
        page = ctx.new_page()
        page.set_default_timeout(timeout_ms)
        try:
            yield page
        finally:
            ctx.close()
            browser.close()


def shot(page: Any, name: str) -> None:
    """A full-page screenshot into SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    # After a full-page shot chromium's scroll state is stale until the next scroll: a click
    # then lands its mousedown and mouseup on different elements and is lost.
    page.evaluate("window.scrollTo(0, 0)")


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    """Sign in afresh as username (the previous person's cookies are dropped), passing the
    second factor when the server asks for it (`second_factor`)."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    second_factor(page, base, username)


# What this process learnt of each account's authenticator when `enrol` bound it: the secret,
# the last time step whose code was used (a code is accepted once) and the recovery codes. The
# servers of one test share a database, so a user name's latest enrolment is the one in force.
AUTHENTICATORS: dict[str, dict[str, Any]] = {}


def server_time(base: str) -> float:
    """The server's clock (a frozen server's is not ours), from its Date header."""
    with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:  # noqa: S310
        return parsedate_to_datetime(answer.headers["Date"]).timestamp()


def second_factor(page: Any, base: str, username: str) -> None:
    """After the password: enrol an authenticator where the page asks for one, or type the
    code of the one enrolled earlier (a recovery code when three codes were used within the
    same minute and a half); nothing when the account went straight on."""
    if "/accounts/otp/enrol/" in page.url:
        enrol(page, base, username)
    elif "/accounts/otp/verify/" in page.url:
        page.fill("#id_code", next_code(base, username))
        page.click("#otp-form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/otp/verify/" not in url)


def enrol(page: Any, base: str, username: str) -> list[str]:
    """On the enrolment page: read the secret, type its code as an authenticator app would,
    keep the recovery codes shown once and go on; returns the recovery codes."""
    secret = page.locator("#otp-secret").inner_text()
    now = server_time(base)
    page.fill("#id_code", totp_code(secret, now))
    page.click("#otp-form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    AUTHENTICATORS[username] = {"secret": secret, "last": int(now) // 30, "codes": list(codes)}
    page.get_by_role("link", name="我已保存恢复码，继续").click()
    page.wait_for_url(lambda url: "/accounts/otp/" not in url)
    return codes


def next_code(base: str, username: str) -> str:
    """A code the server will take for username's authenticator now: the server accepts the
    codes of one step either side of its own, each step once."""
    known = AUTHENTICATORS.get(username)
    assert known, f"{username} has an authenticator this test process did not enrol"
    now = server_time(base)
    if int(now) % 30 >= 28:  # too close to the next step: let it come
        time.sleep(3)
        now = server_time(base)
    step = int(now) // 30
    if known["last"] > step + 1:  # a server whose clock is behind the one that enrolled
        known["last"] = step - 2
    use = max(step - 1, known["last"] + 1)
    if use > step + 1:
        if known["codes"]:
            return str(known["codes"].pop())
        time.sleep((use - step - 1) * 30 - int(now) % 30 + 1)
        return next_code(base, username)
    known["last"] = use
    return totp_code(known["secret"], (use * 30) + 1)


def nav_click(page: Any, label: str) -> None:
    """Follow the navigation bar's entry `label`, opening first the group (menu) it is in."""
    nav = page.locator("nav.mainnav")
    exact = re.compile(f"^{re.escape(label)}$")
    group = nav.locator("details.navgroup", has=page.locator("a", has_text=exact))
    if group.count() and not group.evaluate("d => d.open"):
        group.locator("summary").click()
    nav.locator("a", has_text=exact).click()


def main_text(page: Any) -> str:
    """The text of the page's <main>, what the user reads below the navigation."""
    return str(page.locator("main").inner_text())


def stage_button(page: Any, label: str) -> Any:
    """The one stage button `label` of the inspection page the browser is going to.

    A click on a link returns before the next page has loaded; counting at once would count
    the buttons of the page being left. So wait (up to the page's timeout) for the button to
    be on the page, then say what the user sees if it is not there or not alone."""
    button = page.locator("form.transition button", has_text=label)
    page.wait_for_load_state()
    with contextlib.suppress(PlaywrightTimeout):  # the assertion names what the page shows
        button.first.wait_for(state="attached")
    assert button.count() == 1, f"no button “{label}” on {page.url}: {main_text(page)[:800]}"
    return button

"""The second factor in a real browser: the office signs in for the first time, binds an
authenticator by reading the secret off the page and typing its code, keeps the recovery codes
and lands on 我的待办; the next time a wrong code is refused in Chinese, and a recovery code
lets it in once only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.signin import totp_code
from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import (
    NEEDS_CHROMIUM,
    chromium_page,
    main_text,
    next_code,
    serve,
    server_time,
    shot,
)

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django

django.setup()
from xunshi.testsupport.world import build_world

build_world()
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000) as p:
        yield p


def _password(page: Any, base: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _code(page: Any, code: str) -> None:
    page.fill("#id_code", code)
    page.click("#otp-form button[type=submit]")
    page.wait_for_load_state()


def test_the_office_enrols_then_passes_with_a_code_or_a_recovery_code_once(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    from xunshi.web.tests.browser import AUTHENTICATORS

    with serve(tmp_path, SETUP) as base:
        # First sign-in: the enrolment page, whatever was asked for.
        _password(page, base)
        assert "/accounts/otp/enrol/" in page.url
        page.goto(f"{base}/rounds/")
        assert "/accounts/otp/enrol/" in page.url
        assert "您的角色须使用双因素认证" in main_text(page)
        page.goto(f"{base}/accounts/otp/enrol/")  # the same secret for the whole session
        assert page.locator("figure.otp-qr svg").count() == 1
        shot(page, "otp-01-enrol")
        secret = page.locator("#otp-secret").inner_text()
        assert page.locator("#otp-uri").text_content().startswith("otpauth://totp/")
        _code(page, totp_code(secret, server_time(base)))
        codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
        assert len(codes) == 10
        shot(page, "otp-02-recovery-codes")
        page.get_by_role("link", name="我已保存恢复码，继续").click()
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)
        assert page.locator("h1").first.inner_text() == "我的待办"
        AUTHENTICATORS["alice"] = {
            "secret": secret,
            "last": int(server_time(base)) // 30,
            "codes": [],
        }

        # Next sign-in: the code page; a wrong code refused in Chinese.
        _password(page, base)
        assert "/accounts/otp/verify/" in page.url
        _code(page, "123456" if totp_code(secret, server_time(base)) != "123456" else "654321")
        assert "验证码不正确" in main_text(page)
        assert "/accounts/otp/verify/" in page.url
        shot(page, "otp-03-wrong-code")
        time.sleep(1.2)  # a wrong code makes the device wait a second before the next
        # A recovery code lets alice in, once.
        _code(page, codes[0])
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)
        assert "还剩9个" in main_text(page)
        _password(page, base)
        _code(page, codes[0])
        assert "验证码不正确" in main_text(page)
        time.sleep(1.2)
        # Her authenticator's code still works.
        _code(page, next_code(base, "alice"))
        page.wait_for_url(lambda url: "/accounts/otp/" not in url)
        assert page.locator("h1").first.inner_text() == "我的待办"

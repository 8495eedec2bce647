"""The login page in a real browser after repeated failures: the delay said in Chinese, and
the proof of work computed by the page's script before the right password lets bob in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, main_text, serve, shot

pytestmark = NEEDS_CHROMIUM

# The test world, and five failed sign-ins of bob and of dave from this browser's address ten
# minutes ago (long enough for the delay to be over, not for the failures to be forgotten).
SETUP = """
import datetime as dt

import django

django.setup()
from django.utils import timezone

from xunshi.accounts.actions import login_failure_counted
from xunshi.accounts.models import LoginThrottle
from xunshi.testsupport.world import build_world

build_world()
for _ in range(5):
    login_failure_counted(username="bob", ip="127.0.0.1")
    login_failure_counted(username="dave", ip="127.0.0.1")
LoginThrottle.objects.update(last_failure=timezone.now() - dt.timedelta(minutes=10))
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000) as p:
        yield p


def test_the_page_solves_the_proof_of_work_and_states_the_delay(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    with serve(tmp_path, SETUP) as base:
        page.goto(f"{base}/accounts/login/")
        page.wait_for_selector("#pow-status:has-text('登录验证已完成')")
        shot(page, "login-01-proof-of-work-done")
        page.fill("#id_username", "bob")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.wait_for_selector("#pow-status:has-text('登录验证已完成')")
        page.fill("#id_username", "dave")
        page.fill("#id_password", "Wrong-Pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        said = main_text(page)
        assert "用户名或密码错误。" in said and "登录失败次数较多，请在16秒后再试。" in said, said
        shot(page, "login-02-delay-stated")

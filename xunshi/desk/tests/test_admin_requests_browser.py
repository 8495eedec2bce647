"""三员相互制约 in a real browser: the security admin asks to disable the system admin's
account from the account list, nothing changes; the audit admin finds the request on her desk
(待我批准的管理员账号变更), approves it, and the system admin can no longer sign in.

A screenshot of the request and of the desk goes to $XUNSHI_SCREENSHOTS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, serve, shot

from .browser_desk import desk_count, land

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django

django.setup()

from xunshi.testsupport.world import build_world

build_world()
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("admin-requests"), SETUP) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def test_the_audit_admin_approves_the_security_admins_request_from_her_desk(
    server: str, page: Any
) -> None:
    land(page, server, "sue")
    page.goto(f"{server}/accounts/users/?q=sam")
    row = page.locator("table.user-list tbody tr", has_text="sam")
    assert row.locator("select[name=kind]").input_value() == "disable"
    row.get_by_label("申请理由").fill("系统管理员调离")
    row.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/accounts/users/requests/$"))
    assert "已提交申请，待另一名管理员批准后生效。" in page.locator(".messages").inner_text()
    asked = page.locator("table.admin-requests tbody tr", has_text="sam")
    assert "待另一名管理员批准" in asked.inner_text()
    # No approval for the one who asked.
    assert asked.get_by_role("button", name="批准", exact=True).count() == 0
    shot(page, "admin-request-asked")
    # The system admin, whose account it is, has nothing to approve and still works.
    land(page, server, "sam")
    assert desk_count(page, "admin_requests") == 0

    land(page, server, "aud")
    assert desk_count(page, "admin_requests") == 1
    assert "吴刚（sam）：停用账号" in page.locator("[data-rule=admin_requests]").inner_text()
    shot(page, "desk-13-audit-admin-requests")
    page.locator("[data-rule=admin_requests] a", has_text="去办理").click()
    page.wait_for_url(re.compile(r"/accounts/users/requests/$"))
    row = page.locator("table.admin-requests tbody tr", has_text="sam")
    assert "系统管理员调离" in row.inner_text()
    row.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_load_state()
    assert "已批准：停用账号 sam。" in page.locator(".messages").inner_text()
    assert (
        "已批准（冯涛" in page.locator("table.admin-requests tbody tr", has_text="sam").inner_text()
    )
    page.goto(f"{server}/desk/")
    assert desk_count(page, "admin_requests") == 0

    # sam's account is disabled: his right password no longer lets him in.
    page.context.clear_cookies()
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url

"""The three admins (三员) in a real browser: sign in, land on 我的待办, see what waits with
its count, follow it, act, come back and find the count changed.

The server runs on the test world (xunshi/testsupport/world.py), where nobody has signed in
yet. The security admin unlocks an account locked by failed sign-ins; the system admin
follows the accounts without a second factor to the users list and disables one; the audit
admin reads the audit chain's figure and opens the full check on the audit page. The security
admin also grants a role by typing a part of the cadre's name into the grant form's picker. A
screenshot of each desk goes to $XUNSHI_SCREENSHOTS (test-artifacts/screenshots).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

from .browser_desk import desk_count, land

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django

django.setup()

from django.conf import settings
from django.test import Client

from xunshi.testsupport.world import build_world

build_world()
# carol's password is tried wrong from as many clients as lock an account (one client alone is
# only slowed down: xunshi/accounts/throttle.py); a browser has one address, so a client does it.
for n in range(settings.AXES_FAILURE_LIMIT):
    Client().post(
        "/accounts/login/",
        {"username": "carol", "password": "Wrong-Password-1"},
        REMOTE_ADDR=f"10.1.0.{n + 1}",
    )
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("admins"), SETUP) as url:
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def test_the_security_admin_unlocks_a_locked_account_from_her_desk(server: str, page: Any) -> None:
    # carol, locked by failed sign-ins from many clients, is refused with her right password.
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "锁定" in page.locator("main").inner_text()
    land(page, server, "sue")
    assert desk_count(page, "locked_accounts") == 1
    assert "carol" in page.locator("[data-rule=locked_accounts]").inner_text()
    shot(page, "desk-10-security-locked")
    page.locator("[data-rule=locked_accounts] a", has_text="去办理").click()
    page.wait_for_url(re.compile(r"/accounts/lockouts/$"))
    row = page.locator("section[role=alert] tr", has_text="carol")
    row.get_by_role("button", name="解锁").click()
    page.wait_for_load_state()
    assert "已解除 carol 的登录锁定。" in page.locator(".messages").inner_text()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "locked_accounts") == 0
    # And carol is let in again.
    sign_in(page, server, "carol", PASSWORD)
    assert "/accounts/login/" not in page.url


def test_the_system_admin_follows_the_accounts_without_a_second_factor(
    server: str, page: Any
) -> None:
    land(page, server, "sam")  # sam enrols his own authenticator on the way in
    waiting = desk_count(page, "without_second_factor")
    assert waiting >= 3  # the office, the leading group, the other admins not yet signed in
    shot(page, "desk-11-system-without-second-factor")
    page.locator("[data-rule=without_second_factor] h2 a.desk-count").click()
    # The link opens the list under its own filter, which finds the accounts the desk counts.
    page.wait_for_url(re.compile(r"/accounts/users/\?no2fa=1$"))
    assert page.get_by_label("仅未启用双因素认证的账号").is_checked()
    rows = page.locator("table.user-list tbody tr")
    assert rows.count() == waiting
    assert "未启用" in rows.first.locator("td.second-factor").inner_text()
    assert page.locator("table.user-list tbody tr", has_text="sam").count() == 0
    gina = page.locator("table.user-list tbody tr", has_text="gina")
    gina.get_by_role("button", name="停用").click()
    page.wait_for_load_state()
    page.goto(f"{server}/desk/")
    assert desk_count(page, "without_second_factor") == waiting - 1


def test_the_audit_admin_reads_the_chain_and_opens_the_full_check(server: str, page: Any) -> None:
    land(page, server, "aud")
    assert desk_count(page, "audit_chain") == 0  # the row shows only when the chain is broken
    figure = page.locator(".desk-figure", has_text="审计链")
    assert re.search(r"完整（核验最近\d+条）", figure.inner_text())
    assert "green" in (figure.get_attribute("class") or "")
    shot(page, "desk-12-audit-chain")
    figure.click()
    page.wait_for_url(re.compile(r"/audit/\?verify=1$"))
    assert re.search(r"审计链完整：共 \d+ 条记录。", page.locator("#chain-verified").inner_text())


def test_the_security_admin_picks_a_cadre_by_typing_part_of_the_name(
    server: str, page: Any
) -> None:
    land(page, server, "sue")
    page.goto(f"{server}/accounts/users/?q=gina")
    page.get_by_role("link", name="分配角色").click()
    page.wait_for_url(re.compile(r"/accounts/users/\d+/grant/$"))
    form = page.locator("form", has=page.locator("input[name=cadre_code]"))
    form.locator("select[name=role]").select_option("inspector")
    field = form.locator(".picker", has=page.locator("input[name=cadre_code]"))
    field.locator(".picker-q").fill("红梅")
    option = field.locator(".picker-option", has_text="刘红梅")
    option.wait_for()
    shot(page, "picker-grant-cadre")
    option.click()
    assert "刘红梅" in field.locator(".picker-chosen").inner_text()
    assert form.locator("input[name=cadre_code]").input_value() == "C004"
    form.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/accounts/users/$"))
    assert "已为" in page.locator(".messages").inner_text()
    row = page.locator("table.user-list tbody tr", has_text="gina")
    assert "巡视组干部" in row.inner_text()

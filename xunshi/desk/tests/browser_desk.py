"""What the desk's browser walks share: landing on 我的待办 and reading a rule's count."""

from __future__ import annotations

import re
from typing import Any

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import sign_in

__all__ = ["desk_count", "land"]


def desk_count(page: Any, rule: str) -> int:
    """The count on the desk's row of the rule, 0 when the row is not there."""
    row = page.locator(f"[data-rule={rule}] .desk-count")
    if row.count() == 0:
        return 0
    match = re.match(r"\d+", row.inner_text())
    assert match is not None
    return int(match.group())


def land(page: Any, base: str, username: str) -> None:
    """Sign in as username (the world's password) and find oneself on 我的待办."""
    sign_in(page, base, username, PASSWORD)
    assert page.url == f"{base}/desk/", page.url
    assert page.locator("h1").first.inner_text() == "我的待办"

"""In a real browser: a team member writing a working paper chooses the class, types a few
words into 定性依据, sees the knowledge base's statements for them, and one click fills the
box; the paper saved carries the text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xunshi.testsupport.world import PASSWORD
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

SETUP = """
import django; django.setup()
from xunshi.demo.knowledge import demo_knowledge
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.world import build_world
w = build_world()
move_on_site(w.inspection1)
demo_knowledge(w.body)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(tmp_path_factory.mktemp("suggest"), SETUP, freeze="2026-09-30T10:00:00") as url:
        yield url


def test_a_statement_offered_as_the_team_types_fills_the_box_on_a_click(server):
    with chromium_page(timeout_ms=30_000) as page:
        sign_in(page, server, "bob", PASSWORD)
        page.goto(f"{server}/inspections/1/papers/")
        page.fill("input[name=title]", "某局违规发放津贴")
        page.select_option("select[name=category]", label="3 廉洁纪律")
        page.fill("textarea[name=facts]", "2025年以加班补助名义发放津贴。")
        box = page.locator("textarea[name=qualification]")
        box.press_sequentially("津贴", delay=50)
        option = page.locator(".suggestions .suggestion", has_text="违规发放津贴补贴")
        option.wait_for()
        # Only the class chosen: the statements of other classes are not offered.
        assert page.locator(".suggestions", has_text="选人用人").count() == 0
        shot(page, "knowledge-suggest")
        option.click()
        assert box.input_value() == (
            "违反中央八项规定精神，违规发放津贴补贴。"
            "（依据：《示例（虚构）省委巡视工作实施细则》第四条）"
        )
        assert page.locator(".suggestions .suggestion").count() == 0
        page.get_by_role("button", name="保存底稿").click()
        page.wait_for_url("**/inspections/papers/*/")
        assert "违规发放津贴补贴" in page.content()

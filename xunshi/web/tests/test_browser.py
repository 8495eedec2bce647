"""A person's first look, in a real browser: Playwright driving Debian's chromium.

Screenshots go to $XUNSHI_SCREENSHOTS (default test-artifacts/screenshots) so that CI can
show them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

WORLD = (
    "import django; django.setup(); from xunshi.testsupport.world import build_world; build_world()"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A real server process holding the test world."""
    with serve(tmp_path_factory.mktemp("browser"), WORLD) as url:
        yield url


@pytest.fixture
def page() -> Iterator:  # type: ignore[no-untyped-def]
    with chromium_page() as p:
        yield p


def test_it_walks_the_office_from_coverage_to_an_avoidance_hit(server, page):
    from xunshi.testsupport.world import PASSWORD

    base = server
    sign_in(page, base, "alice", PASSWORD)  # the office enrols its authenticator on the way
    page.wait_for_url(f"{base}/desk/")  # the office lands on its desk
    page.goto(f"{base}/rounds/coverage/")

    # The coverage page: overall share, the chart drawn by ECharts, the uncovered list.
    assert page.locator("h1").first.inner_text().strip() != ""
    page.wait_for_selector("#coverage-chart canvas")
    assert page.get_by_text("新县").first.is_visible()
    shot(page, "01-coverage")

    # The organization list, filtered to counties and searched by pinyin initials.
    page.goto(f"{base}/registry/orgs/")
    page.select_option("select[name=sector]", "county")
    page.fill("main form:not(.navsearch) input[name=q]", "lk")
    page.locator("form.filters button").first.click()
    page.wait_for_load_state()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "兰考县" in rows.first.inner_text()
    shot(page, "02-org-list-filtered")

    # A cadre born in 兰考县: the origin-place avoidance hit is shown with its sentence.
    page.goto(f"{base}/registry/cadres/")
    page.fill("main form:not(.navsearch) input[name=q]", "刘红梅")
    page.locator("form.filters button").first.click()
    page.get_by_role("link", name="刘红梅").first.click()
    hit = page.locator(".hit").filter(has_text="兰考县").first
    assert "地域回避" in hit.inner_text()
    assert "410225********" in page.content()
    shot(page, "03-cadre-avoidance")

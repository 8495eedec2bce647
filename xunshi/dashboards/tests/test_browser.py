"""The dashboards in chromium: every chart drawn from the page's own data, with no error in
the console; screenshots into $XUNSHI_SCREENSHOTS (default test-artifacts/screenshots)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xunshi.dashboards.queries import FIGURES
from xunshi.web.tests.browser import NEEDS_CHROMIUM, chromium_page, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

SCENE = (
    "import django; django.setup()\n"
    "from xunshi.testsupport.world import build_world\n"
    "from xunshi.testsupport.dashboards import build_dashboard_scene\n"
    "build_dashboard_scene(build_world())\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(tmp_path_factory.mktemp("dashboards"), SCENE, freeze="2026-12-06T10:00") as url:
        yield url


def test_it_draws_every_chart_with_no_error(server):
    from xunshi.testsupport.world import PASSWORD

    with chromium_page() as page:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(_where(m)) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        sign_in(page, server, "gina", PASSWORD)
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{server}/dashboards/")
        # Every figure with rows has its chart; the scene has no approved year plan, whose
        # panel says so under its empty table.
        drawn = [k for k in FIGURES if page.locator(f"#chart-{k}").count()]
        assert drawn == [k for k in FIGURES if k != "year_plan"]
        assert "没有经领导小组批准的年度计划" in page.locator("#year_plan").inner_text()
        for key in drawn:
            # ECharts draws into a canvas inside each chart's element.
            page.wait_for_selector(f"#chart-{key} canvas")
        assert page.locator("section.dashboard table.figures").count() == len(FIGURES)
        assert "集中整治形式主义、官僚主义问题" in page.locator("#problems_taxonomy").inner_text()
        shot(page, "dashboards-01-all")
        for key in FIGURES:
            page.locator(f"#{key}").screenshot(path=str(_shots() / f"dashboards-{key}.png"))
        # Everything came with the page: no request for data after it (only static files).
        assert [u for u in requests if "/static/" not in u and "/dashboards/" not in u] == []
        assert [e for e in errors if not e.endswith("/favicon.ico")] == []

        # The coverage page's chart prints every sector's name (none left out).
        page.goto(f"{server}/rounds/coverage/")
        page.wait_for_selector("#coverage-chart canvas")
        page.wait_for_timeout(1500)  # the coverage page's chart grows its bars for a second
        page.locator("#coverage-chart").screenshot(path=str(_shots() / "coverage-chart.png"))
        assert [e for e in errors if not e.endswith("/favicon.ico")] == []


def _shots():  # type: ignore[no-untyped-def]
    from xunshi.web.tests.browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def _where(message) -> str:  # type: ignore[no-untyped-def]
    # The site has no icon: chromium's own request for /favicon.ico is the one 404 allowed.
    return f"{message.text} {message.location.get('url', '')}"

"""The audit admin reads the trail in a real browser: filters it, verifies the chain, takes
the Excel file away. Screenshots into $XUNSHI_SCREENSHOTS (audit-trail*.png)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, main_text, serve, shot, sign_in

pytestmark = NEEDS_CHROMIUM

# The test world, 兰考县's feedback given, and erin's plan for its one ledger item.
WORLD = """
import datetime as dt
import django
django.setup()
from xunshi.testsupport.world import build_world
from xunshi.testsupport.lifecycle import give_feedback
from xunshi.rectification import actions as ledger
from xunshi.rectification.models import RectificationItem
w = build_world()
give_feedback(w.inspection1, ["扶贫资金拨付滞后"])
ledger.item_plan(
    actor=w.users["erin"],
    item=RectificationItem.objects.get(inspection=w.inspection1),
    measures="专项整改",
    responsible_leader="县长",
    responsible_department="县财政局",
    deadline=dt.date(2027, 3, 31),
    kind="concentrated",
)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with serve(tmp_path_factory.mktemp("audit"), WORLD) as url:
        yield url


def test_the_audit_admin_filters_verifies_and_exports_the_trail(server):  # type: ignore[no-untyped-def]
    from xunshi.testsupport.world import PASSWORD

    with chromium_page() as page:
        sign_in(page, server, "aud", PASSWORD)
        page.goto(f"{server}/audit/")
        text = main_text(page)
        assert "报送整改方案" in text and "第1项整改事项（兰考县）" in text
        assert "周晓（erin）" in text and "系统" in text
        assert "扶贫资金拨付滞后" not in text
        shot(page, "audit-trail")

        page.select_option("#id_object_type", "rectification.rectificationitem")
        page.click("#audit-filters button:not([name])")
        page.wait_for_url(lambda url: "object_type=" in url)
        rows = page.locator("table.audit-trail tbody tr")
        assert rows.count() == 1
        assert "整改措施" in rows.first.inner_text()

        page.click("button[name=verify]")
        page.wait_for_selector("#chain-verified")
        assert "审计链完整" in page.inner_text("#chain-verified")
        assert "object_type=" in page.url  # the filter stays while verifying
        shot(page, "audit-trail-verified")

        with page.expect_download() as info:
            page.click("text=导出Excel")
        download = info.value
        assert download.suggested_filename.startswith("审计日志")
        sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 2 and values[1][4] == "报送整改方案"
        assert values[1][6] == "第1项整改事项（兰考县）"

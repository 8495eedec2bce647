"""The ledger list (/rectification/) and the supervision page (督办) filtered, paged and taken
to Excel: the export has the page's rows under the same filters, and a wrong filter is named
in Chinese over the unfiltered list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.rectification import actions
from xunshi.testsupport.lifecycle import give_feedback
from xunshi.testsupport.lists import export_cells, export_rows, page_rows

from .conftest import PLAN

TODAY = dt.date(2026, 11, 10)  # the clock fixture's day


@pytest.fixture
def two_ledgers(feedback, clock) -> Any:  # type: ignore[no-untyped-def]
    """兰考县's ledger with deadlines at the end of the year (no warning on 11-10) and the
    finance department's with one item overdue (red) and one due in five days (yellow); its
    second item's leader types =HYPERLINK, which the export keeps as text."""
    give_feedback(feedback.inspection2, ['=HYPERLINK("x")', "三公经费超标"])
    for item in feedback.inspection1.rectification_items.all():
        actions.item_plan(actor=feedback.users["erin"], item=item, **PLAN)
    deadlines = [TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=5)]
    for item, deadline in zip(
        feedback.inspection2.rectification_items.order_by("seq"), deadlines, strict=True
    ):
        actions.item_plan(actor=SYSTEM, item=item, **{**PLAN, "deadline": deadline})
    return feedback


def _units(rows: list[list[str]]) -> list[str]:
    return [row[0] for row in rows]


def test_it_filters_the_ledgers_and_exports_the_same_rows(two_ledgers, login):
    w = two_ledgers
    client = login(w.users["alice"])
    home = reverse("ledger_home")
    everything = page_rows(client.get(home).content, "ledgers")
    assert sorted(_units(everything)) == sorted([w.lankao.name, w.finance.name])
    for query, units in [
        ({"colour": "red"}, [w.finance.name]),
        ({"overdue": "1"}, [w.finance.name]),
        ({"colour": "yellow"}, [w.finance.name]),
        ({"unit": w.lankao.pk}, [w.lankao.name]),
        ({"status": "pending"}, [w.finance.name, w.lankao.name]),
        ({"from": "2026-12-01", "to": "2026-12-31"}, [w.lankao.name]),
        ({"round": w.round.pk, "stage": "feedback_given"}, [w.lankao.name, w.finance.name]),
    ]:
        page = page_rows(client.get(home, query).content, "ledgers")
        assert sorted(_units(page)) == sorted(units), query
        export = client.get(home, {**query, "export": "xlsx"})
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
        assert export_rows(export.content) == page, query
    event = AuditEvent.objects.filter(action="rectification.ledger_list.export").last()
    assert event is not None and event.after["filters"] == {
        "round": w.round.pk,
        "stage": "feedback_given",
    }


def test_it_names_a_wrong_filter_and_shows_everything(two_ledgers, login):
    w = two_ledgers
    client = login(w.users["alice"])
    response = client.get(reverse("ledger_home"), {"colour": "purple", "from": "昨天"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "筛选条件有误，已显示全部" in text and "purple" in text and "昨天" in text
    assert len(page_rows(response.content, "ledgers")) == 2


def test_it_pages_the_ledgers(two_ledgers, login, monkeypatch):
    monkeypatch.setattr("xunshi.rounds.list_filters.PAGE_SIZE", 1)
    client = login(two_ledgers.users["alice"])
    first = client.get(reverse("ledger_home"))
    second = client.get(reverse("ledger_home"), {"page": 2})
    assert "第 1 / 2 页" in first.content.decode() and "第 2 / 2 页" in second.content.decode()
    rows = page_rows(first.content, "ledgers") + page_rows(second.content, "ledgers")
    assert sorted(_units(rows)) == sorted([two_ledgers.lankao.name, two_ledgers.finance.name])


def test_a_liaison_exports_only_the_own_ledger(two_ledgers, login):
    client = login(two_ledgers.users["erin"])
    # Another unit's id is no choice of erin's: named, and erin's own list shown.
    response = client.get(reverse("ledger_home"), {"unit": two_ledgers.finance.pk})
    assert "筛选条件有误" in response.content.decode()
    export = client.get(reverse("ledger_home"), {"export": "xlsx"})
    assert _units(export_rows(export.content)) == [two_ledgers.lankao.name]


def test_the_supervision_page_filters_and_exports_formulas_as_text(two_ledgers, login):
    w = two_ledgers
    client = login(w.users["alice"])
    url = reverse("supervision")
    page = client.get(url)
    assert "红色预警 1 项" in page.content.decode()
    # The leader's cell spans the leader's rows: the item's five cells end each row.
    rows = [r[-5:] for r in page_rows(page.content, "warned")]
    assert [r[0] for r in rows] == ['1. =HYPERLINK("x")', "2. 三公经费超标"]
    export = client.get(url, {"export": "xlsx"})
    cells = export_cells(export.content)
    assert [c.value for c in cells[1][4:6]] == [1, '=HYPERLINK("x")']
    assert cells[1][5].data_type == "s"
    assert [[f"{r[4]}. {r[5]}", *r[6:]] for r in export_rows(export.content)] == rows
    red = client.get(url, {"colour": "red"})
    assert [r[-5] for r in page_rows(red.content, "warned")] == ['1. =HYPERLINK("x")']
    assert len(export_rows(client.get(url, {"colour": "red", "export": "xlsx"}).content)) == 1
    none = client.get(url, {"unit": w.lankao.pk})
    assert "没有符合条件的预警整改事项" in none.content.decode()


def test_the_supervision_page_reads_the_notices_of_all_its_units_at_once(two_ledgers, login):
    """One more warned unit on the page costs no further query (the 督办函 of each unit were read
    one unit at a time: 50 queries a page at the size of a province)."""
    w = two_ledgers
    client = login(w.users["alice"])
    url = reverse("supervision")
    client.get(url)  # sessions and caches warm

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as seen:
            page = client.get(url)
        return len(seen), page.content.decode()

    one, html = queries()
    assert f'id="unit-{w.inspection2.pk}"' in html and f'id="unit-{w.inspection1.pk}"' not in html
    for item in w.inspection1.rectification_items.all():
        actions.item_plan(
            actor=SYSTEM, item=item, **{**PLAN, "deadline": TODAY - dt.timedelta(days=1)}
        )
    two, html = queries()
    assert f'id="unit-{w.inspection1.pk}"' in html
    assert two == one

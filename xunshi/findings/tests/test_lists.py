"""The clue lists and the problem list filtered, paged and taken to Excel: the export has the
page's rows under the same filters, a 高密 clue stays out of a member's export, and a text
typed as a formula comes back as text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.findings.tests import test_clues_views
from xunshi.rounds import list_filters
from xunshi.testsupport.lifecycle import move_on_site, problems_for
from xunshi.testsupport.lists import export_cells, export_rows, page_rows

# The clue pages' worlds: team 1's ordinary and 高密 clues, a transferred and a waiting one.
clues = test_clues_views.clues
transferred = test_clues_views.transferred


def _at(day: dt.date) -> Any:
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False
    )


def test_a_member_s_clue_export_is_the_page_without_the_highly_confidential(clues, login):
    url = reverse("clue_list", args=[clues.inspection1.pk])
    carol = login(clues.users["carol"])
    page = page_rows(carol.get(url).content, "clues")
    export = export_rows(carol.get(url, {"export": "xlsx"}).content)
    assert [r[0] for r in page] == ["第1号线索"]
    assert [[r[0], r[2]] for r in export] == [[r[0], r[1]] for r in page]
    bob = login(clues.users["bob"])
    page = page_rows(bob.get(url).content, "clues")
    assert [r[0] for r in page] == ["第1号线索", "第2号线索 高密"]
    export = export_rows(bob.get(url, {"export": "xlsx"}).content)
    assert [[r[0], r[1]] for r in export] == [["第1号线索", "否"], ["第2号线索", "是"]]
    only = {"status": "untransferred", "from": "2026-09-25", "to": "2026-09-25"}
    assert len(page_rows(bob.get(url, only).content, "clues")) == 2
    assert page_rows(bob.get(url, {"status": "reported"}).content, "clues") == []
    assert "没有符合条件的问题线索" in bob.get(url, {"status": "reported"}).content.decode()


def test_the_office_filters_the_overdue_clues_and_exports_both_tables(transferred, login):
    w = transferred
    url = reverse("clue_overdue")
    with _at(dt.date(2026, 12, 2)):
        client = login(w.users["alice"])
        page = client.get(url, {"unit": w.lankao.pk, "round": w.round.pk})
        overdue = page_rows(page.content, "overdue")
        waiting = page_rows(page.content, "waiting")
        assert [r[1] for r in overdue] == ["第1号线索"] and [r[1] for r in waiting] == ["第2号线索"]
        export = client.get(url, {"unit": w.lankao.pk, "round": w.round.pk, "export": "xlsx"})
        sheet1, sheet2 = export_rows(export.content, 0), export_rows(export.content, 1)
        assert [[r[0], r[3], r[4], r[5], r[6]] for r in sheet1] == [
            ["兰考县", "第1号线索", "县纪委监委", "2026-09-01", "2026-12-01"]
        ]
        assert [r[3] for r in sheet2] == ["第2号线索"]
        assert export_cells(export.content, 0)[0][0].value == "被巡视单位"
        # 新县's inspection has no clue, so it is no choice: named, and the whole list shown.
        wrong = client.get(url, {"unit": w.xinxian.pk})
        assert "筛选条件有误" in wrong.content.decode()
        assert len(page_rows(wrong.content, "overdue")) == 1
        none = client.get(url, {"stage": "closed"})
        assert page_rows(none.content, "overdue") == [] == page_rows(none.content, "waiting")
    event = AuditEvent.objects.filter(action="inspections.clue_overdue.export").get()
    assert event.after == {"rows": 2, "filters": {"round": w.round.pk, "unit": w.lankao.pk}}


def test_the_problem_export_keeps_a_formula_as_text(world, login):
    move_on_site(world.inspection1)
    problems_for(world.inspection1, ['=HYPERLINK("x")', "违规发放津贴补贴"])
    client = login(world.users["alice"])
    url = reverse("problem_list", args=[world.inspection1.pk])
    page = client.get(url).content.decode()
    assert "=HYPERLINK(&quot;x&quot;)" in page and "违规发放津贴补贴" in page
    cells = export_cells(client.get(url, {"export": "xlsx"}).content)
    titles = [row[2] for row in cells[1:]]
    assert [c.value for c in titles] == ['=HYPERLINK("x")', "违规发放津贴补贴"]
    assert titles[0].data_type == "s"
    later = client.get(url, {"from": "2099-01-01"}).content.decode()
    assert "违规发放津贴补贴" not in later and "没有符合条件的问题" in later


def _more_clues(world: Any, n: int) -> None:
    """n more clues on team 1's inspection, every other one transferred the same day."""
    with time_machine.travel(test_clues_views.NOW, tick=False):
        paper = test_clues_views.new_paper(world)
        for k in range(n):
            clue = test_clues_views.new_clue(world, source="paper", record=paper, persons=f"某{k}")
            if k % 2:
                test_clues_views.clue_actions.clue_transfer(
                    actor=world.users["alice"],
                    clue=clue,
                    transferred_on=test_clues_views.NOW.date(),
                    receiving_body="县纪委监委",
                    receiver="孙某",
                )


def _overdue_queries(world: Any, login: Any) -> int:
    with _at(dt.date(2026, 12, 10)):
        client = login(world.users["alice"])
        client.get(reverse("clue_overdue"))
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("clue_overdue")).status_code == 200
    return len(q)


def test_the_overdue_clues_cost_the_same_queries_for_more_clues(transferred, login):
    few = _overdue_queries(transferred, login)
    _more_clues(transferred, 60)  # more than a page of each list
    assert _overdue_queries(transferred, login) == few


def _clue_on_the_second_unit(transferred: Any) -> None:
    with time_machine.travel(test_clues_views.NOW, tick=False):
        move_on_site(transferred.inspection2)
        paper = test_clues_views.new_paper(
            transferred, actor="dave", inspection=transferred.inspection2
        )
        test_clues_views.new_clue(
            transferred,
            actor="dave",
            inspection=transferred.inspection2,
            source="paper",
            record=paper,
        )


def test_the_unit_filter_offers_the_chosen_rounds_units_when_there_are_many(
    transferred, login, monkeypatch
):
    # Two inspected units with clues; with room for one only, the select waits for a round.
    _clue_on_the_second_unit(transferred)
    monkeypatch.setattr(list_filters, "UNIT_CHOICES", 1)
    client = login(transferred.users["alice"])
    bare = client.get(reverse("clue_overdue")).content.decode()
    assert "单位较多，请先选择轮次再选单位" in bare and '">兰考县</option>' not in bare
    picked = client.get(reverse("clue_overdue"), {"round": transferred.round.pk}).content.decode()
    assert '">兰考县</option>' in picked
    # A link from a figure names the unit alone: it is offered, chosen and filters the list.
    unit = client.get(reverse("clue_overdue"), {"unit": transferred.lankao.pk})
    assert "筛选条件有误" not in unit.content.decode()
    assert "selected>兰考县</option>" in unit.content.decode()


def test_the_unit_filter_lists_a_few_units_by_code(transferred, login):
    # Both inspected units have a clue; while they are few, the select offers them all, by
    # code, whatever order the database found them in.
    _clue_on_the_second_unit(transferred)
    html = login(transferred.users["alice"]).get(reverse("clue_overdue")).content.decode()
    select = html[html.index('name="unit"') :]
    select = select[: select.index("</select>")]
    units = sorted(
        (transferred.inspection1.target, transferred.inspection2.target), key=lambda o: o.code
    )
    assert len(units) == 2 and units[0].code != units[1].code
    at = [select.index(f'value="{u.pk}">{u.name}</option>') for u in units]
    assert at == sorted(at)

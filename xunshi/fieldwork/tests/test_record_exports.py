"""The on-site lists taken to Excel (talks, document requests, immediate fixes, working
papers): the workbook has the rows and columns the page shows that user, no case content
beyond them, a text typed as a formula comes back as text, the other team gets 404 as for the
page, and the export is on the audit trail with its row count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions
from xunshi.fieldwork.tests.test_onsite_talks import NOW, at
from xunshi.fieldwork.tests.test_papers import category, new_paper
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.lists import export_cells, page_rows

D = dt.date
FORMULA = '=HYPERLINK("x")'
# url name → (the page's table class, the export's object type, the page's columns exported)
LISTS = {
    "talk_list": ("talks", "inspections.talk", 8),
    "docrequest_list": ("docrequests", "inspections.documentrequest", 6),
    "fix_list": ("fixes", "inspections.immediatefix", 4),
    "paper_list": ("papers", "inspections.workingpaper", 5),
}


@pytest.fixture
def scene(world):  # type: ignore[no-untyped-def]
    """Both inspections on site; team 1 has two records of each kind, one of them typed as a
    formula; team 2 one document request, one fix and one paper of its own."""
    with time_machine.travel(NOW, tick=False):
        for inspection in (world.inspection1, world.inspection2):
            move_on_site(inspection)
            inspection.refresh_from_db()
        w, i1 = world, world.inspection1
        bob, carol, dave = w.users["bob"], w.users["carol"], w.users["dave"]
        team = [w.cadres["bob"], w.cadres["carol"]]
        for who, day, hour in [(FORMULA, 10, 9), ("钱某", 11, 15)]:
            talk = actions.talk_create(
                actor=bob,
                inspection=i1,
                interviewee=who,
                interviewee_post="县委书记",
                category="required",
                interviewers=team,
                recorder=team[1],
                held_at=at(day, hour),
                place="会议室",
            )
        actions.talk_update(actor=carol, talk=talk, outline="提纲", record="谈话记录机密内容")
        actions.talk_sign_off(actor=carol, talk=talk)
        req = actions.docrequest_create(
            actor=carol,
            inspection=i1,
            documents="县委常委会会议记录\n扶贫资金台账",
            provider=FORMULA,
            requested_on=D(2026, 9, 3),
        )
        actions.docrequest_handover(
            actor=carol,
            request=req,
            handed_over_on=D(2026, 9, 4),
            handed_over_by="孙某",
            received_by=w.cadres["carol"],
        )
        actions.docrequest_create(
            actor=carol,
            inspection=i1,
            documents="财务凭证",
            provider="县财政局",
            requested_on=D(2026, 9, 5),
        )
        actions.fix_create(
            actor=carol,
            inspection=i1,
            issue=FORMULA,
            measure="补登",
            responsible_unit="县委办公室",
            done_on=D(2026, 9, 12),
        )
        actions.fix_create(
            actor=carol,
            inspection=i1,
            issue="公车私用",
            measure="收回",
            responsible_unit="县机关事务中心",
        )
        new_paper(w, title=FORMULA)
        new_paper(w, title="违规发放津贴", facts="底稿事实机密内容")
        w2 = world.inspection2
        actions.docrequest_create(
            actor=dave,
            inspection=w2,
            documents="财务凭证",
            provider="办公室",
            requested_on=D(2026, 9, 3),
        )
        actions.fix_create(
            actor=dave, inspection=w2, issue="财政厅问题", measure="措施", responsible_unit="处室"
        )
        new_paper(w, actor="dave", inspection=w2, title="财政厅底稿", category=category())
        yield w


def _text(cell: Any) -> str:
    """A cell as the page prints it: a date cell as YYYY-MM-DD, a time as YYYY-MM-DD HH:MM."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if "h" in cell.number_format else f"{value:%Y-%m-%d}"
    return str(value)


def _same(rows: list[list[str]]) -> list[list[str]]:
    # The page breaks lines into list items and <br>; the cell keeps them as newlines.
    return [["".join(c.split()) for c in row] for row in rows]


def _export(client: Any, url: str) -> tuple[list[str], list[list[str]], list[list[Any]]]:
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    cells = export_cells(response.content)
    head = [c.value for c in cells[0]]
    return head, [[_text(c) for c in row] for row in cells[1:]], cells[1:]


@pytest.mark.parametrize("name", LISTS)
def test_it_exports_the_rows_and_columns_the_page_shows(scene, login, name):
    table, object_type, width = LISTS[name]
    client = login(scene.users["alice"])
    url = reverse(name, args=[scene.inspection1.pk])
    page = client.get(url)
    assert "导出Excel" in page.content.decode() and "?export=xlsx" in page.content.decode()
    shown = page_rows(page.content, table)
    head, rows, cells = _export(client, url)
    assert len(rows) == len(shown) == 2
    assert _same(rows) == _same([r[:width] for r in shown])
    assert len(head) == width
    # The cell typed as a formula is a text cell with the characters typed.
    typed = [c for row in cells for c in row if c.value == FORMULA]
    assert len(typed) == 1 and typed[0].data_type == "s"
    event = AuditEvent.objects.filter(action=f"{object_type}.export").get()
    assert event.after["rows"] == 2
    assert event.after["filters"] == {"inspection": scene.inspection1.pk}
    assert event.actor_id == scene.users["alice"].pk


@pytest.mark.parametrize("name", LISTS)
def test_a_team_exports_its_own_rows_and_no_other(scene, login, name):
    table, _type, width = LISTS[name]
    alice = login(scene.users["alice"])
    own = reverse(name, args=[scene.inspection1.pk])
    other = reverse(name, args=[scene.inspection2.pk])
    _, office_rows, _ = _export(alice, own)
    carol = login(scene.users["carol"])
    assert _export(carol, own)[1] == office_rows
    # Team 1's cadres get 404 for team 2's list and for its export, the leading group 403.
    assert carol.get(other).status_code == 404
    assert carol.get(other, {"export": "xlsx"}).status_code == 404
    gina = login(scene.users["gina"])
    assert gina.get(own, {"export": "xlsx"}).status_code == 403
    # Team 2 exports its own records only, as the office's page shows them (the team's page
    # adds its forms to the rows); team 2 has one cadre and so no talk.
    dave = login(scene.users["dave"])
    assert dave.get(own, {"export": "xlsx"}).status_code == 404
    page = page_rows(login(scene.users["alice"]).get(other).content, table)
    _, rows, _ = _export(login(scene.users["dave"]), other)
    assert _same(rows) == _same([r[:width] for r in page])
    assert len(rows) == (0 if name == "talk_list" else 1)


def test_the_talks_and_papers_export_keeps_the_case_content_out(scene, login):
    client = login(scene.users["alice"])
    for name in ["talk_list", "paper_list"]:
        _, rows, _ = _export(client, reverse(name, args=[scene.inspection1.pk]))
        text = repr(rows)
        assert "机密内容" not in text and "提纲" not in text
    _, talks, _ = _export(client, reverse("talk_list", args=[scene.inspection1.pk]))
    # The page's times, in Beijing time, and the sign-off as the page words it.
    assert [(r[0], r[1], r[4], r[7]) for r in talks] == [
        ("2026-09-10 09:30", FORMULA, "王建国、李秀英", "未签认"),
        ("2026-09-11 15:30", "钱某", "王建国、李秀英", "已签认"),
    ]


@pytest.mark.parametrize("name", LISTS)
def test_an_export_asks_the_database_the_same_number_of_times_for_more_rows(scene, login, name):
    client = login(scene.users["alice"])
    url = reverse(name, args=[scene.inspection1.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"export": "xlsx"})
    w, carol = scene, scene.users["carol"]
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            team = [w.cadres["bob"], w.cadres["carol"]]
            actions.talk_create(
                actor=carol,
                inspection=w.inspection1,
                interviewee=f"干部{n}",
                interviewee_post="局长",
                category="required",
                interviewers=team,
                recorder=team[1],
                held_at=at(12, 8 + n),
                place="会议室",
            )
            req = actions.docrequest_create(
                actor=carol,
                inspection=w.inspection1,
                documents="账册",
                provider=f"局{n}",
                requested_on=D(2026, 9, 6),
            )
            actions.docrequest_handover(
                actor=carol,
                request=req,
                handed_over_on=D(2026, 9, 7),
                handed_over_by="孙某",
                received_by=team[1],
            )
            actions.fix_create(
                actor=carol,
                inspection=w.inspection1,
                issue=f"问题{n}",
                measure="改",
                responsible_unit="局",
            )
            new_paper(w, title=f"底稿{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"export": "xlsx"})
    assert len(export_cells(response.content)) == 1 + 2 + 5
    assert len(many) == len(few)

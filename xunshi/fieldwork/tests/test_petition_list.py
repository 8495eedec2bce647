"""The petition list filtered by routing and date, paged and taken to Excel: the export has
the page's rows, and a petition's text typed as a formula comes back as text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions
from xunshi.testsupport.lists import export_cells, export_rows, page_rows


@pytest.fixture
def petitions(onsite):  # type: ignore[no-untyped-def]
    """Three petitions of 兰考县: one in September typed as a formula, two in October, the
    last kept on file (留存备查)."""
    w = onsite
    carol = w.users["carol"]
    for day, content in [
        (dt.date(2026, 9, 5), '=HYPERLINK("x")'),
        (dt.date(2026, 10, 8), "反映扶贫资金被截留。"),
        (dt.date(2026, 10, 9), "反映违规发放津贴。"),
    ]:
        last = actions.petition_create(
            actor=carol,
            inspection=w.inspection1,
            channel="letter",
            received_on=day,
            content=content,
            real_name=False,
            reported_persons="钱某",
        )
    actions.petition_route(
        actor=carol, petition=last, in_scope=True, routing="noted", routing_note="已存档。"
    )
    return w


def test_it_filters_the_petitions_and_exports_the_same_rows(petitions, login):
    client = login(petitions.users["alice"])
    url = reverse("petition_list", args=[petitions.inspection1.pk])
    for query, numbers in [
        ({}, ["第1号", "第2号", "第3号"]),
        ({"status": "noted"}, ["第3号"]),
        ({"status": "pending", "from": "2026-10-01"}, ["第2号"]),
        ({"to": "2026-09-30"}, ["第1号"]),
    ]:
        page = page_rows(client.get(url, query).content, "petitions")
        assert [r[0] for r in page] == numbers, query
        export = export_rows(client.get(url, {**query, "export": "xlsx"}).content)
        assert [r[:7] for r in export] == page, query
    cells = export_cells(client.get(url, {"export": "xlsx"}).content)
    assert cells[1][7].value == '=HYPERLINK("x")' and cells[1][7].data_type == "s"
    event = AuditEvent.objects.filter(action="inspections.petition.export").last()
    assert event is not None and event.after["rows"] == 3


def test_a_wrong_date_is_named_and_everything_shown(petitions, login, monkeypatch):
    monkeypatch.setattr("xunshi.rounds.list_filters.PAGE_SIZE", 2)
    client = login(petitions.users["carol"])
    url = reverse("petition_list", args=[petitions.inspection1.pk])
    response = client.get(url, {"from": "2026-10-10", "to": "2026-10-01"})
    text = response.content.decode()
    assert "筛选条件有误" in text and "截止日期早于起始日期" in text
    assert len(page_rows(response.content, "petitions")) == 2 and "第 1 / 2 页" in text
    assert "（共3件）" in text

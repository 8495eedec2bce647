"""The announcements taken to Excel: one row per inspection the page shows the office, with
what is saved for it (nothing for an inspection without an announcement yet), an address
typed as a formula comes back as text, nobody but the office gets it, and the export is on the
audit trail with its row count."""

from __future__ import annotations

from typing import Any

import lxml.html
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.intake import actions
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.lists import export_cells, export_rows

from .test_views import OTHERS

FORMULA = '=HYPERLINK("x")'


def _cards(html: bytes) -> list[str]:
    """The heading of each inspection's card: team · unit and the stage."""
    doc = lxml.html.fromstring(html)
    return [" ".join(h.text_content().split()) for h in doc.xpath("//section[@id]/h2")]


def _both(announced: Any) -> Any:
    w = announced
    move_on_site(w.inspection2)
    actions.announcement_save(
        actor=SYSTEM,
        inspection=w.inspection1,
        phone="0371-12345678",
        mailbox="兰考县邮政信箱1号",
        address=FORMULA,
        scope="受理反映兰考县委领导班子及其成员问题的来信来电来访。",
    )
    return w


def test_it_exports_the_announcements_the_page_shows(announced, login):
    w = _both(announced)
    client = login(w.users["alice"])
    url = reverse("announcement_list")
    page = client.get(url)
    assert "导出Excel" in page.content.decode()
    cards = _cards(page.content)
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    rows = export_rows(response.content)
    assert [f"{r[0]} · {r[1]} {r[2]}" for r in rows] == cards and len(rows) == 2
    lankao = next(r for r in rows if r[1] == "兰考县")
    assert lankao[3:7] == [
        "0371-12345678",
        "兰考县邮政信箱1号",
        FORMULA,
        "受理反映兰考县委领导班子及其成员问题的来信来电来访。",
    ]
    assert lankao[7].startswith("http") and lankao[7] in page.content.decode()
    assert lankao[8] == "尚未发布"
    # An inspection with no announcement yet: nothing saved, not the form's suggestions.
    other = next(r for r in rows if r[1] != "兰考县")
    assert other[3:] == ["", "", "", "", "", "尚未发布"]
    typed = [c for row in export_cells(response.content)[1:] for c in row if c.value == FORMULA]
    assert len(typed) == 1 and typed[0].data_type == "s"
    event = AuditEvent.objects.filter(action="intake.portalannouncement.export").get()
    assert event.after["rows"] == 2 and event.actor_id == w.users["alice"].pk


def test_nobody_but_the_office_gets_the_export(announced, login, client):
    url = reverse("announcement_list")
    for who in OTHERS:
        response = login(announced.users[who]).get(url, {"export": "xlsx"})
        assert response.status_code == 403, who
    client.logout()
    assert client.get(url, {"export": "xlsx"}).status_code == 302
    assert not AuditEvent.objects.filter(action="intake.portalannouncement.export").exists()

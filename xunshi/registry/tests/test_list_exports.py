"""The organization list and the cadre pool taken to Excel as the page shows them, with the
same filters and scope (the re-import workbook is another download, test_excel_export)."""

from __future__ import annotations

import lxml.html
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.testsupport.lists import export_rows


def _page_table(content: bytes) -> list[list[str]]:
    doc = lxml.html.fromstring(content)
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in doc.xpath("//table/tbody/tr")
    ]


def test_the_org_export_has_the_page_s_organizations(world, login):
    client = login(world.users["alice"])
    url = reverse("org_list")
    for query in [{}, {"q": "兰考"}, {"sector": "department"}]:
        page = [r[0] for r in _page_table(client.get(url, query).content) if len(r) > 1]
        export = export_rows(client.get(url, {**query, "export": "xlsx"}).content)
        assert [r[0] for r in export] == page and page, query
    event = AuditEvent.objects.filter(action="registry.org_list.export").last()
    assert event is not None and event.after["filters"] == {"sector": "department"}


def test_the_cadre_export_has_the_page_s_cadres(world, login):
    client = login(world.users["alice"])
    url = reverse("cadre_list")
    page = [r[0] for r in _page_table(client.get(url).content) if len(r) > 1]
    export = export_rows(client.get(url, {"export": "xlsx"}).content)
    assert [r[0] for r in export] == page and len(page) >= 3
    one = export_rows(client.get(url, {"q": world.cadres["carol"].name, "export": "xlsx"}).content)
    assert [r[1] for r in one] == [world.cadres["carol"].name]

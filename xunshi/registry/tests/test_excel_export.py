"""Exports: the import layout, masked IDs, safe text, an audit event, and a clean round trip."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.registry import actions as reg
from xunshi.registry.models import Cadre, ExportJob, ImportJob, OrgUnit
from xunshi.registry.sealing import reveal_id_number

FULL_ID = re.compile(r"\d{17}[\dX]")


def _data_events() -> int:
    """Audit events of data changes (the import job's own steps are audited too, by design)."""
    return AuditEvent.objects.exclude(action__startswith="registry.import.").count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _export(client, kind):  # type: ignore[no-untyped-def]
    """Start the export (the suite's task backend runs it at once), read its page, download."""
    started = client.post(reverse("export", args=[kind]))
    assert started.status_code == 302
    page = client.get(started["Location"]).content.decode()
    assert "导出完成" in page
    job = ExportJob.objects.latest("id")
    response = client.get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return b"".join(response.streaming_content)


def _reimport(client, kind, content):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("导出.xlsx", content)
    client.post(reverse("import_upload"), {"kind": kind, "file": upload})
    return ImportJob.objects.latest("id")


def _cells(content):  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return wb, [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_it_exports_orgs_that_reimport_unchanged(world, login):
    client = login(world.users["alice"])
    content = _export(client, "orgs")
    wb, _all = _cells(content)
    rows = list(wb["单位"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == OrgUnit.objects.count()
    lankao = next(r for r in rows if r[0] == "410225")
    assert lankao[:7] == (
        "410225",
        "兰考县",
        None,
        "县（市、区）",
        "410225",
        "410200",
        "贫困县；国家级",
    )
    events = _data_events()
    job = _reimport(client, "orgs", content)
    assert job.summary == {"created": 0, "updated": 0, "unchanged": OrgUnit.objects.count()}
    assert _data_events() == events


def test_it_exports_cadres_masked_and_they_reimport_unchanged(world, login):
    client = login(world.users["alice"])
    content = _export(client, "cadres")
    wb, cells = _cells(content)
    full_ids = {reveal_id_number(c.id_number_sealed) for c in Cadre.objects.all()}
    texts = [str(c.value) for c in cells if c.value is not None]
    assert not any(FULL_ID.search(t) for t in texts)
    assert not any(i in t for i in full_ids for t in texts)
    assert world.cadres["bob"].id_number_masked in texts
    assert ("C004", "郑州大学", "U001", "本科", "1993-09", "1997-07") in set(
        wb["学习经历"].iter_rows(min_row=2, values_only=True)
    )
    assert ("C005", "周丽", "配偶", "D014", "河南省财政厅", "科长") in set(
        wb["亲属"].iter_rows(min_row=2, values_only=True)
    )
    events = _data_events()
    job = _reimport(client, "cadres", content)
    assert job.summary == {"created": 0, "updated": 0, "unchanged": Cadre.objects.count()}
    assert _data_events() == events


def test_it_neutralizes_text_that_excel_would_run_as_a_formula(world, login):
    reg.org_upsert(
        actor=SYSTEM,
        body=world.body,
        data=reg.OrgInput(
            code="X1",
            name='=HYPERLINK("http://evil.example","点我")',
            sector="other",
            short_name="+1",
            principal_name="@SUM(A1)",
            principal_post="-2+3",
        ),
    )
    client = login(world.users["alice"])
    content = _export(client, "orgs")
    wb, _all = _cells(content)
    row = next(r for r in wb["单位"].iter_rows(min_row=2) if r[0].value == "X1")
    for cell in (row[1], row[2], row[9], row[10]):
        assert cell.data_type == "s" and cell.value.startswith(" ")
        assert cell.quotePrefix
    job = _reimport(client, "orgs", content)
    assert job.summary["unchanged"] == OrgUnit.objects.count()
    assert OrgUnit.objects.get(code="X1").name.startswith("=HYPERLINK")


def test_it_records_every_export_in_the_audit_trail(world, login):
    gina = login(world.users["gina"])
    before = AuditEvent.objects.filter(action="registry.export").count()
    _export(gina, "orgs")
    _export(gina, "cadres")
    events = AuditEvent.objects.filter(action="registry.export").order_by("id")
    assert events.count() == before + 2
    last = events.last()
    assert last.actor_username == "gina"
    assert last.after == {"kind": "cadres", "rows": Cadre.objects.count()}


@pytest.mark.parametrize("who", ["bob", "erin", "sam", "aud"])
def test_it_refuses_the_export_to_those_who_do_not_see_the_whole_registry(world, login, who):
    client = login(world.users[who])
    before = AuditEvent.objects.filter(action="registry.export").count()
    assert client.get(reverse("export", args=["orgs"])).status_code == 403
    assert client.get(reverse("export", args=["cadres"])).status_code == 403
    assert client.post(reverse("export", args=["orgs"])).status_code == 403
    assert AuditEvent.objects.filter(action="registry.export").count() == before
    assert not ExportJob.objects.exists()

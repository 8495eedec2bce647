"""The registry's export as a background job: its progress, its file for its requester alone,
each download audited, and the file's end."""

from __future__ import annotations

import datetime as dt
import io
import stat

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.jobs.models import JobStatus
from xunshi.registry import export_actions, tasks
from xunshi.registry.export_actions import export_job_create, export_path
from xunshi.registry.models import ExportJob, OrgUnit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_reports_progress_while_it_writes_and_ends_done_with_the_count(world, monkeypatch):
    seen: list[tuple[int, int]] = []
    report = export_actions.export_job_progress

    def watched(*, job, done, total=None):  # type: ignore[no-untyped-def]
        report(job=job, done=done, total=total)
        job.refresh_from_db()
        seen.append((job.done, job.total))

    # Report after every row instead of every 500th (the world has a few dozen).
    monkeypatch.setattr(tasks, "export_job_progress", watched)
    monkeypatch.setattr(tasks._Written, "__init__", _every_row)
    job = export_job_create(actor=world.users["alice"], kind="orgs")
    tasks.run_export.enqueue(job.pk)
    job.refresh_from_db()
    total = OrgUnit.objects.count()
    assert job.status == JobStatus.DONE and job.percent == 100
    assert job.rows == total and job.total == total and job.size > 0
    assert seen[0] == (0, total) and [d for d, _t in seen] == list(range(0, total + 1))
    wb = openpyxl.load_workbook(io.BytesIO(export_path(job.stored_name).read_bytes()))
    assert wb["单位"].max_row == total + 1
    assert stat.S_IMODE(export_path(job.stored_name).stat().st_mode) == 0o600


def _every_row(self, job, total):  # type: ignore[no-untyped-def]
    self.job, self.total, self.done, self.saved, self.step = job, total, 0, 0, 1


def test_its_page_shows_progress_until_done_then_the_download(world, login):
    alice = login(world.users["alice"])
    job = export_job_create(actor=world.users["alice"], kind="cadres")
    queued = alice.get(reverse("export_job", args=[job.pk])).content.decode()
    assert "排队等候处理" in queued and "hx-get" in queued
    tasks.run_export.enqueue(job.pk)
    done = alice.get(reverse("export_job_progress", args=[job.pk])).content.decode()
    assert "导出完成" in done and reverse("export_download", args=[job.pk]) in done


def test_only_its_requester_downloads_it_and_each_download_is_audited(world, login):
    job = export_job_create(actor=world.users["alice"], kind="orgs")
    tasks.run_export.enqueue(job.pk)
    url = reverse("export_download", args=[job.pk])
    before = AuditEvent.objects.filter(action="registry.export").count()
    # The leading group may export too, but not download the office's file.
    gina = login(world.users["gina"])
    assert gina.get(url).status_code == 404
    assert gina.get(reverse("export_job", args=[job.pk])).status_code == 404
    for who in ("bob", "erin", "aud"):
        assert login(world.users[who]).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="registry.export").count() == before
    alice = login(world.users["alice"])
    for _ in range(2):
        response = alice.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content)
    events = AuditEvent.objects.filter(action="registry.export").order_by("id")
    assert events.count() == before + 2
    assert events.last().after == {"kind": "orgs", "rows": OrgUnit.objects.count()}
    start = AuditEvent.objects.get(action="registry.export.start")
    assert start.actor_username == "alice" and start.object_id == str(job.pk)


def test_a_file_is_removed_a_day_after_and_its_page_says_export_again(world, login):
    old = export_job_create(actor=world.users["alice"], kind="orgs")
    tasks.run_export.enqueue(old.pk)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=export_actions.KEEP_FOR + 1)
    with time_machine.travel(later):
        fresh = export_job_create(actor=world.users["alice"], kind="orgs")
        tasks.run_export.enqueue(fresh.pk)
    assert not export_path(old.stored_name).exists() and export_path(fresh.stored_name).exists()
    alice = login(world.users["alice"])
    assert alice.get(reverse("export_download", args=[old.pk])).status_code == 404
    page = alice.get(reverse("export_job", args=[old.pk])).content.decode()
    assert "文件已过期删除" in page and reverse("export_download", args=[old.pk]) not in page


def test_a_failed_export_keeps_no_file_and_says_so(world, monkeypatch, login):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "export_write", broken)
    job = export_job_create(actor=world.users["alice"], kind="orgs")
    tasks.run_export.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not export_path(job.stored_name).exists()
    page = login(world.users["alice"]).get(reverse("export_job", args=[job.pk])).content.decode()
    assert "未导出" in page and "导出时系统出现错误" in page
    assert ExportJob.objects.count() == 1

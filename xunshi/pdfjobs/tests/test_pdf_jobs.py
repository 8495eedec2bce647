"""Every document also as PDF: asked for next to its .docx, built by a real worker run with
LibreOffice, opened back and read; for exactly the .docx's readers, and then for its
requester alone; failing in Chinese when LibreOffice is missing or too slow."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as fieldwork_actions
from xunshi.fieldwork.tests.test_onsite_talks import NOW
from xunshi.findings.tests.test_report import AFTER_FEEDBACK
from xunshi.jobs.models import JobStatus
from xunshi.lib.documentkinds import document_kind
from xunshi.pdfjobs import tasks
from xunshi.pdfjobs.actions import pdf_job_create
from xunshi.pdfjobs.models import PdfJob
from xunshi.rounds.tests.test_planning_views import two_team_job
from xunshi.testsupport.lifecycle import move_on_site

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is missing (apt-get install libreoffice-writer-nogui)",
)


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.XUNSHI_FILES_ROOT = tmp_path / "files"
    return tmp_path / "files"


@pytest.fixture
def fed(feedback):  # type: ignore[no-untyped-def]
    """兰考县 after the feedback (2026-11-02), with its two problems."""
    with time_machine.travel(AFTER_FEEDBACK, tick=False):
        yield feedback


def pdf_text(content: bytes) -> str:
    """The PDF's text, whitespace removed (the layout breaks lines anywhere)."""
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join(page.extract_text() or "" for page in reader.pages).split())


def ask(client: Any, kind: str, pk: int) -> Any:
    return client.post(reverse("pdf_request", args=[kind, pk]))


def only_job() -> PdfJob:
    return PdfJob.objects.select_related("job", "attachment").get()


def download(client: Any, job: PdfJob) -> Any:
    return client.get(reverse("pdf_download", args=[job.pk]))


def test_it_builds_the_feedback_in_the_worker_and_the_pdf_says_what_the_docx_says(fed, login):
    alice = login(fed.users["alice"])
    insp = fed.inspection1
    page = alice.get(reverse("report_page", args=[insp.pk])).content.decode()
    assert reverse("pdf_request", args=["findings.feedback", insp.pk]) in page

    response = ask(alice, "findings.feedback", insp.pk)
    job = only_job()
    assert response.status_code == 302 and response["Location"] == reverse("pdf_job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.percent == 100
    done = alice.get(reverse("pdf_job", args=[job.pk])).content.decode()
    assert "PDF已生成" in done and reverse("pdf_download", args=[job.pk]) in done
    assert "hx-get" not in done

    got = download(alice, job)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert got.content.startswith(b"%PDF")
    assert (
        "filename*=utf-8''" in got["Content-Disposition"] and ".pdf" in got["Content-Disposition"]
    )
    text = pdf_text(got.content)
    assert "关于巡视兰考县的反馈意见" in text
    assert "扶贫资金拨付滞后" in text and "违规发放津贴补贴" in text

    actions = list(
        AuditEvent.objects.filter(actor_username="alice")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "documents.pdf.create",
        "inspections.document.export",
        "files.attachment.store",
        "files.attachment.download",
    ]


def test_the_stored_pdf_is_sealed_on_disk(fed, login, files_root):
    alice = login(fed.users["alice"])
    ask(alice, "findings.notice", fed.inspection1.pk)
    job = only_job()
    files = [p for p in files_root.rglob("*") if p.is_file()]
    assert len(files) == 1 and not files[0].read_bytes().startswith(b"%PDF")
    assert pdf_text(download(alice, job).content).count("扶贫资金拨付滞后") == 1


def test_its_page_shows_progress_until_done_then_the_download(fed, login):
    alice = login(fed.users["alice"])
    kind = document_kind("findings.report")
    assert kind is not None
    job = pdf_job_create(actor=fed.users["alice"], kind=kind, document=fed.inspection1)
    queued = alice.get(reverse("pdf_job", args=[job.pk])).content.decode()
    assert "排队等候处理" in queued and reverse("pdf_job_progress", args=[job.pk]) in queued
    assert alice.get(reverse("pdf_download", args=[job.pk])).status_code == 404
    tasks.run_pdf_job.enqueue(job.pk)
    done = alice.get(reverse("pdf_job_progress", args=[job.pk])).content.decode()
    assert "PDF已生成" in done and reverse("pdf_download", args=[job.pk]) in done
    assert "关于巡视兰考县党委的情况报告" in pdf_text(download(alice, job).content)


# The .docx's answers (xunshi/findings/tests/test_report_views.py): whoever gets the .docx may
# ask for its PDF; everyone else gets the same 403 or 404, and no job.
REPORT = {"alice": 302, "gina": 302, "bob": 302, "carol": 302, "dave": 404, "erin": 403}
FEEDBACK = REPORT | {"erin": 302}
ADMINS = {"sam": 403, "sue": 403, "aud": 403}


@pytest.mark.parametrize("who", ["dave", "erin", "sam", "aud"])
def test_who_may_not_download_the_docx_gets_no_job(fed, login, who):
    client = login(fed.users[who])
    insp = fed.inspection1
    docx = client.get(reverse("report_docx", args=[insp.pk])).status_code
    assert ask(client, "findings.report", insp.pk).status_code == docx == (REPORT | ADMINS)[who]
    if who != "erin":
        feedback_docx = client.get(reverse("feedback_docx", args=[insp.pk])).status_code
        assert ask(client, "findings.feedback", insp.pk).status_code == feedback_docx
    assert not PdfJob.objects.exists()
    assert ask(client, "no.such", insp.pk).status_code == 404


def test_the_liaison_gets_the_feedback_as_pdf_but_not_the_report(fed, login):
    erin = login(fed.users["erin"])
    insp = fed.inspection1
    assert ask(erin, "findings.report", insp.pk).status_code == 403
    assert ask(erin, "findings.notice", insp.pk).status_code == 302
    assert "需要整改的问题" in pdf_text(download(erin, only_job()).content)


def test_a_pdf_is_its_requesters_alone(fed, login):
    alice = login(fed.users["alice"])
    ask(alice, "findings.report", fed.inspection1.pk)
    job = only_job()
    file_url = reverse("attachment_download", args=[job.attachment.pk])
    # gina and bob may download the report's .docx, and ask for their own PDF, not alice's.
    for who in ("gina", "bob", "carol", "dave", "erin"):
        client = login(fed.users[who])
        for name in ("pdf_job", "pdf_job_progress", "pdf_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (who, name)
        assert client.get(file_url).status_code in (403, 404), who
    assert not AuditEvent.objects.filter(action="files.attachment.download").exists()
    assert download(login(fed.users["alice"]), job).status_code == 200


def test_the_requester_who_lost_the_document_loses_its_pdf(fed, login, settings):
    bob = login(fed.users["bob"])
    ask(bob, "findings.report", fed.inspection1.pk)
    job = only_job()
    assert download(bob, job).status_code == 200
    # Team 1's access ends with the inspection's grace after it closed: here, bob leaves it.
    fed.team1.memberships.filter(cadre=fed.cadres["bob"]).delete()
    assert download(bob, job).status_code == 404


def test_without_libreoffice_the_job_fails_saying_so(fed, login, settings):
    settings.XUNSHI_SOFFICE = "no-such-soffice"
    alice = login(fed.users["alice"])
    ask(alice, "findings.report", fed.inspection1.pk)
    job = only_job()
    assert job.status == JobStatus.FAILED and job.attachment is None
    page = alice.get(reverse("pdf_job", args=[job.pk])).content.decode()
    assert "未生成PDF" in page and "没有找到LibreOffice（no-such-soffice）" in page
    assert download(alice, job).status_code == 404
    assert AuditEvent.objects.filter(action="documents.pdf.fail").count() == 1


def test_a_conversion_that_hangs_is_stopped_and_the_job_fails(fed, login, settings, tmp_path):
    hang = tmp_path / "soffice-hangs"
    hang.write_text("#!/bin/sh\nsleep 60\n")
    hang.chmod(0o755)
    settings.XUNSHI_SOFFICE, settings.XUNSHI_PDF_TIMEOUT = str(hang), 1
    alice = login(fed.users["alice"])
    started = dt.datetime.now()
    ask(alice, "findings.report", fed.inspection1.pk)
    job = only_job()
    assert job.status == JobStatus.FAILED and "转换为PDF超过1秒仍未完成，已停止" in job.message
    assert dt.datetime.now() - started < dt.timedelta(seconds=30)


@pytest.fixture
def slip(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        req = fieldwork_actions.docrequest_create(
            actor=world.users["carol"],
            inspection=world.inspection1,
            documents="2025年度县委常委会会议记录\n扶贫资金拨付台账",
            provider="县委办公室",
            requested_on=dt.date(2026, 9, 3),
        )
        yield world, req


def test_the_rectification_report_comes_as_pdf_too(fed, login):
    erin = login(fed.users["erin"])
    assert ask(erin, "rectification.report", fed.inspection1.pk).status_code == 302
    text = pdf_text(download(erin, only_job()).content)
    assert "整改情况" in text and "扶贫资金拨付滞后" in text


def test_the_handover_slip_comes_as_pdf_too(slip, login):
    world, req = slip
    carol = login(world.users["carol"])
    page = carol.get(reverse("docrequest_list", args=[world.inspection1.pk])).content.decode()
    assert reverse("pdf_request", args=["fieldwork.slip", req.pk]) in page
    assert ask(carol, "fieldwork.slip", req.pk).status_code == 302
    text = pdf_text(download(carol, only_job()).content)
    assert "调阅资料交接单" in text and "扶贫资金拨付台账" in text
    assert ask(login(world.users["erin"]), "fieldwork.slip", req.pk).status_code == 403


def test_the_decision_on_the_teams_comes_as_pdf_once_the_plan_is_applied(world, login):
    job = two_team_job(world)
    alice = login(world.users["alice"])
    assert ask(alice, "rounds.decision", job.pk).status_code == 404
    alice.post(reverse("plan_accept", args=[job.pk]), {"plan": ""})
    page = alice.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert reverse("pdf_request", args=["rounds.decision", job.pk]) in page
    gina = login(world.users["gina"])
    docx = gina.get(reverse("plan_export_docx", args=[job.pk])).status_code
    assert ask(gina, "rounds.decision", job.pk).status_code == docx == 403
    alice = login(world.users["alice"])  # one client, signed in again
    assert ask(alice, "rounds.decision", job.pk).status_code == 302
    text = pdf_text(download(alice, only_job()).content)
    assert "郭宏伟" in text and "授权" in text

"""Every download of the platform, fetched the way a user fetches it: saved under its Chinese
name, kept by no cache, never sniffed, its length told, and exactly one audit event each.

Each scene builds what one download needs through the actions and says who downloads it, the
file name the browser must save, and the audit action the download leaves.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from envelope import seal
from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as fieldwork
from xunshi.files.actions import attachment_store
from xunshi.files.tests import samples
from xunshi.intake import actions as intake
from xunshi.intake.models import PortalSubmission
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions as ledger
from xunshi.registry.export_actions import export_job_create
from xunshi.registry.tasks import run_export
from xunshi.rounds import actions as rounds
from xunshi.rounds.planning import RoundParams
from xunshi.testsupport.lifecycle import give_feedback, move_on_site


@dataclass(frozen=True)
class Download:
    who: str
    url: str
    name: str
    action: str
    sandbox: bool = False


def _beijing(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC)


def attachment(world: Any) -> Download:
    stored = attachment_store(
        actor=world.users["bob"],
        inspection=world.inspection1,
        upload=("谈话记录.pdf", samples.pdf()),
        audience="team",
    )
    url = reverse("attachment_download", args=[stored.pk])
    return Download("carol", url, "谈话记录.pdf", "files.attachment.download", sandbox=True)


def _rectifying(world: Any) -> None:
    give_feedback(world.inspection1, ["扶贫资金拨付滞后", "违规发放津贴补贴"])
    with time_machine.travel(_beijing(dt.date(2026, 11, 10)), tick=False):
        for item in world.inspection1.rectification_items.all():
            ledger.item_plan(
                actor=world.users["erin"],
                item=item,
                measures="制定资金拨付台账，逐笔核查。",
                responsible_leader="县长 李明",
                responsible_department="县财政局",
                deadline=dt.date(2026, 12, 31),
                kind="concentrated",
            )
        inspection_transition(
            actor=world.users["erin"], inspection=world.inspection1, to="rectifying"
        )


def rectification_report(world: Any) -> Download:
    _rectifying(world)
    url = reverse("rect_report_docx", args=[world.inspection1.pk])
    return Download(
        "erin", url, "兰考县关于巡视反馈意见整改情况的报告.docx", "rectification.report.export"
    )


def supervision_notice(world: Any) -> Download:
    _rectifying(world)
    with time_machine.travel(_beijing(dt.date(2026, 12, 22)), tick=False):
        notice = ledger.notice_issue(
            actor=world.users["alice"], inspection=world.inspection1, on=dt.date(2026, 12, 22)
        )
    url = reverse("notice_docx_download", args=[notice.pk])
    return Download("alice", url, "督办函豫巡办督〔2026〕1号.docx", "rectification.notice.export")


def _fed_back(world: Any, view: str) -> str:
    give_feedback(world.inspection1, ["扶贫资金拨付滞后", "违规发放津贴补贴"])
    return reverse(view, args=[world.inspection1.pk])


def report(world: Any) -> Download:
    url = _fed_back(world, "report_docx")
    return Download(
        "alice", url, "关于巡视兰考县党委的情况报告.docx", "inspections.document.export"
    )


def feedback(world: Any) -> Download:
    url = _fed_back(world, "feedback_docx")
    return Download(
        "erin", url, "省委第一巡视组关于巡视兰考县的反馈意见.docx", "inspections.document.export"
    )


def rectification_notice(world: Any) -> Download:
    url = _fed_back(world, "notice_docx")
    return Download("gina", url, "兰考县整改通知书.docx", "inspections.document.export")


def docrequest_slip(world: Any) -> Download:
    move_on_site(world.inspection1)
    req = fieldwork.docrequest_create(
        actor=world.users["carol"],
        inspection=world.inspection1,
        documents="2025年度县委常委会会议记录",
        provider="县委办公室",
        requested_on=dt.date(2026, 9, 3),
    )
    url = reverse("docrequest_slip", args=[req.pk])
    return Download(
        "carol",
        url,
        "调阅资料交接单（第一巡视组调阅〔2026〕1号）.docx",
        "inspections.docrequest.slip",
    )


def import_template(world: Any) -> Download:
    url = reverse("import_template", args=["cadres"])
    return Download("alice", url, "干部库导入模板.xlsx", "registry.template.download")


def registry_export(world: Any) -> Download:
    job = export_job_create(actor=world.users["gina"], kind="orgs")
    run_export.enqueue(job.pk)  # the suite's task backend runs it at once
    url = reverse("export_download", args=[job.pk])
    return Download("gina", url, f"单位名录-{timezone.localdate():%Y%m%d}.xlsx", "registry.export")


def _plan_job(world: Any) -> Any:
    rnd = rounds.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=1,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )
    # The test settings run the solver at once.
    return rounds.planning_job_create(
        actor=world.users["alice"],
        round=rnd,
        params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=10),
        targets=[world.xinxian],
    )


def plan_workbook(world: Any) -> Download:
    url = reverse("plan_export_xlsx", args=[_plan_job(world).pk])
    return Download("alice", url, "十一届省委第二轮巡视方案.xlsx", "rounds.plan.export")


def plan_decision(world: Any) -> Download:
    url = reverse("plan_export_docx", args=[_plan_job(world).pk])
    return Download(
        "alice", url, "关于十一届省委第二轮巡视组组成人员及授权的决定.docx", "rounds.plan.export"
    )


def portal_original(world: Any) -> Download:
    photo = base64.b64encode(samples.png()).decode()
    payload = {
        "announcement": "unknown",  # so it waits for the office, unrouted
        "content": "反映内容。",
        "real_name": False,
        "files": [{"name": "现场照片.png", "kind": "image", "original": photo, "clean": photo}],
    }
    blob = seal(settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY, json.dumps(payload).encode())
    item = {"seq": 1, "ref": "R0001", "kind": "report", "day": "2026-09-10"}
    intake.submission_store(actor=SYSTEM, item=item | {"envelope": base64.b64encode(blob).decode()})
    url = reverse("submission_file", args=[PortalSubmission.objects.get().pk, 1])
    return Download("alice", url, "现场照片.png", "intake.submission.open", sandbox=True)


def audit_trail(w: Any) -> Download:
    name = f"审计日志{timezone.localdate():%Y%m%d}.xlsx"
    return Download("aud", reverse("audit_export"), name, "audit.auditevent.export")


SCENES: list[Callable[[Any], Download]] = [
    attachment,
    rectification_report,
    supervision_notice,
    report,
    feedback,
    rectification_notice,
    docrequest_slip,
    import_template,
    registry_export,
    plan_workbook,
    plan_decision,
    portal_original,
    audit_trail,
]


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "files"
    settings.XUNSHI_FILES_ROOT = root
    return root


def _saved_name(disposition: str) -> tuple[str, str]:
    """The ASCII fallback and the name a browser saves (filename*, percent-decoded)."""
    match = re.fullmatch(r"attachment; filename=\"([ -~]+)\"; filename\*=utf-8''(\S+)", disposition)
    assert match, disposition
    return match.group(1), unquote(match.group(2))


@pytest.mark.parametrize("scene", SCENES, ids=lambda scene: scene.__name__)
def test_each_download_is_a_named_uncached_file_with_one_audit_event(world, login, scene):
    download = scene(world)
    user = world.users[download.who]
    client = login(user)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client.get(download.url)

    assert response.status_code == 200
    fallback, name = _saved_name(response["Content-Disposition"])
    assert name == download.name
    assert fallback.isascii() and fallback.endswith(Path(download.name).suffix)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Length"] == str(len(body)) != "0"
    if download.sandbox:
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [(e.action, e.actor_username) for e in events] == [(download.action, user.username)]

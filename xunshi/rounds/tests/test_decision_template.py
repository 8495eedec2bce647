"""The decision on the teams is worded by the office's template (the 授权 paragraphs are the
office's to adapt). It is made when it is downloaded, so the download's audit row keeps the
version: an edit words the next download, never one made before."""

from __future__ import annotations

import io
import zipfile

from docx import Document

from xunshi.audit.models import AuditEvent
from xunshi.doctemplates.actions import template_upload
from xunshi.doctemplates.queries import shipped
from xunshi.doctemplates.tests.edits import edited
from xunshi.rounds.documents import decision_docx, decision_template_docx, plan_export
from xunshi.rounds.plan_sheet import plan_sheet
from xunshi.rounds.tests.test_planning_views import two_team_job

KIND = "decision"


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_it_ships_the_template_the_layout_helper_writes():
    # After changing decision_template_docx, write its bytes to
    # xunshi/doctemplates/shipped/decision.docx.
    body = zipfile.ZipFile(io.BytesIO(shipped(KIND))).read("word/document.xml")
    assert body == zipfile.ZipFile(io.BytesIO(decision_template_docx())).read("word/document.xml")


def test_an_edit_words_the_next_download_and_the_audit_row_keeps_each_version(world):
    alice, job = world.users["alice"], two_team_job(world)
    first, _ = plan_export(actor=alice, job=job, kind="docx")
    assert "组长对本组巡视工作负总责。" in _text(first) and "特此决定。" in _text(first)

    changed = edited(shipped(KIND), "组长对本组", "组长对本组全部")
    template_upload(actor=alice, body=job.round.body, kind=KIND, content=changed)
    second, _ = plan_export(actor=alice, job=job, kind="docx")
    assert "组长对本组全部巡视工作负总责。" in _text(second)
    assert "组　长：" in _text(second)
    rows = AuditEvent.objects.filter(action="rounds.plan.export").order_by("id")
    assert [row.after["template_version"] for row in rows] == [1, 2]
    again = decision_docx(plan_sheet(job), version=rows[0].after["template_version"])
    assert _text(again) == _text(first)

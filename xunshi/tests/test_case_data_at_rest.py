"""Case data at rest: what a copy of the database and of the file store would give away.

A unique marker goes into every sealed field (a talk's outline and record; a petition's
content, petitioner, contact and reported persons, by hand and from the portal; a portal
follow-up; a clue's persons and summary; a working paper's facts, qualification and three
responsibilities) and into an attachment, each through its real action. Then the database
(every row of every table read raw; on SQLite the database file, its WAL, or the image of an
in-memory database as it would be written to disk), the attachment store, the media directory
and var/ are searched as bytes for each marker in UTF-8, GBK, UTF-16, hex and base64: no hit.

A control marker in a field that is not sealed (the interviewee's name) must be found, so that
the search is shown to reach the rows; and the app must still read every marker back.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from envelope import seal as envelope_seal
from portal.tests.haystack import forms_of, haystacks, now
from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import actions as fieldwork_actions
from xunshi.fieldwork import paper_actions
from xunshi.fieldwork.models import Petition, TaxonomyItem
from xunshi.files.actions import attachment_open, attachment_store
from xunshi.findings import actions as findings_actions
from xunshi.intake import actions as intake_actions
from xunshi.intake.models import PortalSubmission

SEALED = [
    "talk.outline",
    "talk.record",
    "petition.petitioner_name",
    "petition.petitioner_contact",
    "petition.content",
    "petition.reported_persons",
    "portal.content",
    "portal.name",
    "portal.phone",
    "followup.content",
    "clue.persons",
    "clue.summary",
    "paper.facts",
    "paper.qualification",
    "paper.responsibility_main",
    "paper.responsibility_first",
    "paper.responsibility_supervision",
    "attachment",
]


@pytest.fixture
def markers() -> dict[str, str]:
    # Chinese and ASCII, so that the GBK and UTF-16 forms differ from the UTF-8 one.
    return {name: f"标记{uuid.uuid4().hex[:14]}" for name in [*SEALED, "control"]}


@pytest.fixture
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "files"
    settings.XUNSHI_FILES_ROOT = root
    return root


def _portal_item(seq: int, payload: dict[str, object], **extra: object) -> dict[str, object]:
    blob = envelope_seal(settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY, json.dumps(payload).encode())
    return {
        "seq": seq,
        "ref": f"R{seq:04d}{uuid.uuid4().hex[:8]}",
        "day": "2026-09-10",
        "envelope": base64.b64encode(blob).decode(),
        **extra,
    }


def _fill(world, m: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    inspection, bob, carol = world.inspection1, world.users["bob"], world.users["carol"]
    fieldwork_actions.talk_create(
        actor=bob,
        inspection=inspection,
        interviewee=m["control"],
        interviewee_post="县财政局局长",
        category="required",
        interviewers=[world.cadres["bob"], world.cadres["carol"]],
        recorder=world.cadres["carol"],
        held_at=timezone.make_aware(dt.datetime(2026, 9, 10, 9, 30)),
        place="县委招待所",
        outline=f"谈话提纲：{m['talk.outline']}",
        record=f"谈话记录：{m['talk.record']}",
    )
    petition = fieldwork_actions.petition_create(
        actor=carol,
        inspection=inspection,
        channel="letter",
        received_on=dt.date(2026, 9, 8),
        content=f"反映内容：{m['petition.content']}",
        real_name=True,
        petitioner_name=m["petition.petitioner_name"],
        petitioner_contact=m["petition.petitioner_contact"],
        reported_persons=m["petition.reported_persons"],
    )
    findings_actions.clue_create(
        actor=bob,
        inspection=inspection,
        source="petition",
        record=petition,
        persons=m["clue.persons"],
        summary=f"线索摘要：{m['clue.summary']}",
        recipient="discipline",
    )
    paper_actions.paper_create(
        actor=carol,
        inspection=inspection,
        title="扶贫资金拨付滞后",
        facts=f"事实：{m['paper.facts']}",
        qualification=f"依据：{m['paper.qualification']}",
        category=TaxonomyItem.objects.order_by("taxonomy__code", "position", "pk").first(),
        responsibility_main=m["paper.responsibility_main"],
        responsibility_first=m["paper.responsibility_first"],
        responsibility_supervision=m["paper.responsibility_supervision"],
    )
    attachment_store(
        actor=carol,
        inspection=inspection,
        upload=("谈话笔记.txt", f"谈话笔记 {m['attachment']}\n".encode()),
        audience="team",
    )
    token = intake_actions.announcement_save(
        actor=SYSTEM,
        inspection=inspection,
        phone="0371-12345678",
        mailbox="兰考县邮政信箱1号",
        address="兰考县裕禄大道1号",
        scope="受理反映兰考县委领导班子及其成员问题的来信来电来访。",
    ).token
    report = _portal_item(
        1,
        {
            "announcement": token,
            "org_code": "410225",
            "org_name": "兰考县",
            "reported_persons": "某局长",
            "content": f"网络举报：{m['portal.content']}",
            "real_name": True,
            "name": m["portal.name"],
            "phone": m["portal.phone"],
            "id_number": "",
            "files": [],
        },
        kind="report",
    )
    assert intake_actions.submission_store(actor=SYSTEM, item=report) == "routed"
    followup = _portal_item(
        2, {"content": f"补充：{m['followup.content']}", "files": []}, kind="followup"
    )
    followup["parent"] = report["ref"]
    assert intake_actions.submission_store(actor=SYSTEM, item=followup) == "routed"


def _database_image() -> list[tuple[str, bytes]]:
    """On SQLite with the suite's in-memory database: its bytes as they would be on disk (the
    file and WAL of a database on disk are read by `haystacks`)."""
    if connection.vendor != "sqlite" or Path(str(connection.settings_dict["NAME"])).is_file():
        return []
    connection.ensure_connection()
    return [("database image", connection.connection.serialize())]


def _variants(secret: str) -> list[bytes]:
    return [*forms_of(secret), secret.encode("gb18030"), secret.encode("utf-16-be")]


def test_no_case_text_and_no_file_content_is_stored_readable(onsite, markers, files_root, tmp_path):
    since = now()
    _fill(onsite, markers)

    # The app reads every marker back (the fields open transparently).
    petitions = list(Petition.objects.order_by("pk"))
    assert petitions[0].petitioner_contact == markers["petition.petitioner_contact"]
    assert markers["portal.phone"] in petitions[1].petitioner_contact
    assert markers["portal.content"] in petitions[1].content
    assert markers["followup.content"] in PortalSubmission.objects.get(seq=2).content
    talk = onsite.inspection1.talks.get()
    assert markers["talk.record"] in talk.record
    clue = onsite.inspection1.clues.get()
    assert clue.persons == markers["clue.persons"]
    paper = onsite.inspection1.working_papers.get()
    assert paper.responsibility_supervision == markers["paper.responsibility_supervision"]
    attachment = onsite.inspection1.attachments.get()
    assert markers["attachment"].encode() in attachment_open(attachment)

    places = haystacks(since=since, captured="", temporary=tmp_path) + _database_image()
    assert any(where == "rows" for where, _ in places)
    assert any(str(files_root) in where for where, _ in places), "the file store was searched"
    # The control is in a plain column: the search does reach the rows and the image.
    for where in ["rows", *(w for w, _ in _database_image())]:
        data = dict(places)[where]
        assert markers["control"].encode() in data, where
    for name in SEALED:
        for form in _variants(markers[name]):
            hits = [where for where, data in places if form in data]
            assert not hits, f"{name} ({markers[name]!r}) found as {form!r} in {hits}"

"""A file's readers are the readers of the record it belongs to (issue 12): the leading group,
which reads no petition and no working paper, walks every /files/<pk>/ id and gets no photo a
citizen sent with a report and no paper's evidence, while it still gets the inspection's other
files; the office and the team get them all."""

from __future__ import annotations

import base64
import json

import pytest
from django.conf import settings
from django.urls import reverse

from envelope import seal
from xunshi.accounts.actors import SYSTEM
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.files.actions import attachment_store
from xunshi.files.models import Attachment
from xunshi.intake.actions import announcement_save, submission_store
from xunshi.intake.models import PortalSubmission

from . import samples


def _portal_photo(world) -> Attachment:  # type: ignore[no-untyped-def]
    """A citizen's report with a photo through 兰考县's announcement: a portal petition."""
    ann = announcement_save(
        actor=SYSTEM,
        inspection=world.inspection1,
        phone="0371-12345678",
        mailbox="兰考县邮政信箱1号",
        address="兰考县裕禄大道1号",
        scope="受理反映兰考县委领导班子及其成员问题的来信来电来访。",
    )
    photo = base64.b64encode(samples.png()).decode()
    report = {
        "announcement": ann.token,
        "org_code": "410225",
        "org_name": "兰考县",
        "reported_persons": "某局长",
        "content": "某局长违规收受礼金，附现场照片。",
        "real_name": False,
        "name": "",
        "phone": "",
        "id_number": "",
        "files": [{"name": "现场.png", "kind": "image", "original": photo, "clean": photo}],
    }
    blob = seal(settings.XUNSHI_OFFICE_SM2_PUBLIC_KEY, json.dumps(report).encode())
    item = {
        "seq": 1,
        "ref": "R0001photo",
        "kind": "report",
        "parent": None,
        "day": "2026-09-10",
        "envelope": base64.b64encode(blob).decode(),
    }
    assert submission_store(actor=SYSTEM, item=item) == "routed"
    sub = PortalSubmission.objects.get(ref="R0001photo")
    assert sub.petition is not None
    return sub.attachments.get()


def _paper_evidence(world) -> Attachment:  # type: ignore[no-untyped-def]
    paper = papers.paper_create(
        actor=SYSTEM,
        inspection=world.inspection1,
        title="违规发放津贴补贴",
        facts="2025年违规发放津贴补贴。",
        qualification="违反《中国共产党纪律处分条例》有关规定。",
        category=TaxonomyItem.objects.order_by("taxonomy__code", "position", "pk").first(),
    )
    scan = attachment_store(
        actor=SYSTEM,
        inspection=world.inspection1,
        upload=("工资表.pdf", samples.pdf()),
        audience="team",
    )
    papers.paper_add_evidence(actor=SYSTEM, paper=paper, kind="attachment", record_obj=scan)
    return scan


@pytest.fixture
def case_files(onsite):  # type: ignore[no-untyped-def]
    plain = attachment_store(
        actor=SYSTEM,
        inspection=onsite.inspection1,
        upload=("工作方案.txt", samples.text()),
        audience="team",
    )
    return {"plain": plain, "photo": _portal_photo(onsite), "paper": _paper_evidence(onsite)}


def _readable(client) -> set[int]:  # type: ignore[no-untyped-def]
    """Every id from 1 to past the last one, as a script walking /files/<pk>/ would."""
    last = Attachment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {
        pk
        for pk in range(1, last + 3)
        if client.get(reverse("attachment_download", args=[pk])).status_code == 200
    }


def test_the_leading_group_walking_every_id_gets_no_case_file(onsite, case_files, login):
    got = _readable(login(onsite.users["gina"]))
    assert case_files["plain"].pk in got
    assert case_files["photo"].pk not in got
    assert case_files["paper"].pk not in got


@pytest.mark.parametrize("who", ["alice", "bob", "carol"])
def test_the_office_and_the_team_read_every_file_of_the_record(onsite, case_files, login, who):
    got = _readable(login(onsite.users[who]))
    assert {f.pk for f in case_files.values()} <= got


def test_the_leading_group_is_told_not_found_for_the_photo(onsite, case_files, login):
    client = login(onsite.users["gina"])
    response = client.get(reverse("attachment_download", args=[case_files["photo"].pk]))
    assert response.status_code == 404
    # The petition itself was already closed to it: the file follows the record.
    assert client.get(reverse("petition_list", args=[onsite.inspection1.pk])).status_code == 403


def test_the_team_reads_the_photo_on_its_petition_page(onsite, case_files, login):
    petition = PortalSubmission.objects.get(ref="R0001photo").petition
    assert petition is not None
    page = login(onsite.users["carol"]).get(reverse("petition_detail", args=[petition.pk]))
    assert page.status_code == 200
    assert reverse("attachment_download", args=[case_files["photo"].pk]) in page.content.decode()


def test_an_attachment_of_no_record_keeps_the_rule_of_its_inspection(onsite, login):
    other = attachment_store(
        actor=SYSTEM,
        inspection=onsite.inspection2,
        upload=("材料.txt", samples.text()),
        audience="team",
    )
    url = reverse("attachment_download", args=[other.pk])
    assert login(onsite.users["gina"]).get(url).status_code == 200
    assert login(onsite.users["carol"]).get(url).status_code == 404

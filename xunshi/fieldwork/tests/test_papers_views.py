"""The working-paper and problem pages per role, and what the team sees when it works
through them: the office reads, the team writes, the leader reviews; anyone else outside
the team gets 404, a role without the function 403, a stranger the login page."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as onsite_actions
from xunshi.fieldwork import paper_actions as papers
from xunshi.fieldwork.models import WorkingPaper
from xunshi.fieldwork.tests.test_papers import (
    NOW,
    approved_paper,
    category,
    new_paper,
    new_petition,
)
from xunshi.files.tests import samples
from xunshi.lifecycle.actions import inspection_transition
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]
ADMINS = {"sam": 403, "sue": 403, "aud": 403}
OWN_READ = {"alice": 200, "gina": 403, "bob": 200, "carol": 200, "dave": 404, "erin": 403}
OTHER_READ = OWN_READ | {"bob": 404, "carol": 404, "dave": 200}
OWN_WRITE = OWN_READ | {"alice": 403}
OTHER_WRITE = OTHER_READ | {"alice": 403}
REPORT_READ = {"alice": 200, "gina": 200, "bob": 200, "carol": 200, "dave": 404, "erin": 403}


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.XUNSHI_FILES_ROOT = tmp_path / "files"
    return tmp_path / "files"


@pytest.fixture
def site(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        world.inspection1.refresh_from_db()
        yield world


@pytest.fixture
def both(site):  # type: ignore[no-untyped-def]
    """Both inspections on site, each with a paper of its own team."""
    move_on_site(site.inspection2)
    site.paper1 = new_paper(site)
    site.paper2 = new_paper(site, actor="dave", inspection=site.inspection2, title="财政厅问题")
    return site


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def status(client: Any, method: str, url: str) -> int:
    return int((client.get(url) if method == "get" else client.post(url, {})).status_code)


# --- access -----------------------------------------------------------------------------------

GETS = {
    "paper_list": (lambda w: w.inspection1.pk, lambda w: w.inspection2.pk, OWN_READ, OTHER_READ),
    "paper_detail": (lambda w: w.paper1.pk, lambda w: w.paper2.pk, OWN_READ, OTHER_READ),
    "problem_list": (
        lambda w: w.inspection1.pk,
        lambda w: w.inspection2.pk,
        REPORT_READ,
        REPORT_READ | {"bob": 404, "carol": 404, "dave": 200},
    ),
}
POSTS = {
    name: (lambda w: w.paper1.pk, lambda w: w.paper2.pk, OWN_WRITE, OTHER_WRITE)
    for name in (
        "paper_update",
        "paper_evidence_add",
        "paper_submit",
        "paper_group_review",
        "paper_leader_review",
        "problem_create",
    )
} | {
    "paper_create": (lambda w: w.inspection1.pk, lambda w: w.inspection2.pk, OWN_WRITE, OTHER_WRITE)
}


@pytest.mark.parametrize("who", ROLES)
def test_it_gives_each_role_its_paper_pages(both, login, who):
    client = login(both.users[who])
    for name, (own, other, own_expected, other_expected) in GETS.items():
        for pk, expected in ((own, own_expected), (other, other_expected)):
            url = reverse(name, args=[pk(both)])
            assert status(client, "get", url) == (expected | ADMINS)[who], (name, url)


@pytest.mark.parametrize("who", ROLES)
def test_it_refuses_paper_writes_outside_the_team_and_changes_nothing(both, login, who):
    client = login(both.users[who])
    papers_before = list(WorkingPaper.objects.values_list("pk", "status", "title"))
    events_before = AuditEvent.objects.count()
    for name, (own, other, own_expected, other_expected) in POSTS.items():
        for pk, expected in ((own, own_expected), (other, other_expected)):
            want = (expected | ADMINS)[who]
            got = status(client, "post", reverse(name, args=[pk(both)]))
            # The team's own empty post is a form with errors (200) or a refusal (302).
            assert got in ((200, 302) if want == 200 else (want,)), (name, got)
    assert list(WorkingPaper.objects.values_list("pk", "status", "title")) == papers_before
    assert AuditEvent.objects.filter(action__startswith="inspections.").count() <= events_before


def test_it_sends_a_stranger_to_the_login_page(both, client):
    for name, (own, _other, _e, _o) in {**GETS, **POSTS}.items():
        url = reverse(name, args=[own(both)])
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302 and response["Location"].startswith(
                "/accounts/login/"
            )


def test_it_refuses_a_get_on_a_write_endpoint(both, login):
    client = login(both.users["carol"])
    assert client.get(reverse("paper_submit", args=[both.paper1.pk])).status_code == 405


# --- the list and a new paper -----------------------------------------------------------------


def test_it_lists_the_papers_and_offers_the_team_a_grouped_class(both, login):
    page = text(login(both.users["carol"]).get(reverse("paper_list", args=[both.inspection1.pk])))
    assert "豫巡1组〔2026〕1号" in page
    assert "扶贫资金拨付滞后" in page and "围绕党的纪律建设" in page and "起草中" in page
    assert "财政厅问题" not in page
    assert re.search(r'<optgroup label="六围绕一加强（第1版）">', page)
    assert 'name="facts"' in page
    office = text(login(both.users["alice"]).get(reverse("paper_list", args=[both.inspection1.pk])))
    assert "扶贫资金拨付滞后" in office and 'name="facts"' not in office


def _paper_post(**kw: Any) -> dict[str, Any]:
    return {
        "title": "违规发放津贴补贴",
        "category": category("围绕党的作风建设").pk,
        "facts": "2025年违规发放津贴86万元。",
        "qualification": "违反中央八项规定精神。",
        "responsibility_main": "县委负主体责任。",
    } | kw


def test_it_creates_a_paper_with_the_next_number(both, login):
    client = login(both.users["carol"])
    response = client.post(reverse("paper_create", args=[both.inspection1.pk]), _paper_post())
    paper = WorkingPaper.objects.get(title="违规发放津贴补贴")
    assert response["Location"] == reverse("paper_detail", args=[paper.pk])
    assert paper.number == "豫巡1组〔2026〕2号" and paper.created_by == both.users["carol"]
    page = text(client.get(response["Location"]))
    assert "违规发放津贴补贴" in page and "围绕党的作风建设" in page


def test_it_shows_the_refusal_of_a_paper_and_keeps_what_was_typed(both, login):
    inspection_transition(actor=SYSTEM, inspection=both.inspection1, to="suspended", reason="暂停")
    client = login(both.users["carol"])
    response = client.post(reverse("paper_create", args=[both.inspection1.pk]), _paper_post())
    assert response.status_code == 200
    assert "巡视当前处于“暂停”阶段，不能新建问题底稿。" in text(response)
    assert not WorkingPaper.objects.filter(title="违规发放津贴补贴").exists()


# --- one paper through its review -------------------------------------------------------------


def _petition_evidence(w: Any) -> tuple[Any, str]:
    petition = new_petition(w, content="群众反映补贴问题。")
    return petition, f"petition:{petition.pk}"


def test_it_walks_a_paper_through_evidence_review_and_problem(both, login):
    carol, bob = login(both.users["carol"]), None
    url = reverse("paper_detail", args=[both.paper1.pk])
    petition, value = _petition_evidence(both)
    page = text(carol.get(url))
    assert "第1号信访件" in page and "提交组务会审议" in page
    carol.post(
        reverse("paper_evidence_add", args=[both.paper1.pk]), {"record": value, "note": "佐证"}
    )
    page = text(carol.get(url))
    assert f'href="{reverse("petition_detail", args=[petition.pk])}"' in page and "佐证" in page
    carol.post(reverse("paper_submit", args=[both.paper1.pk]))
    page = text(carol.get(url))
    assert "待组务会审议" in page and 'name="facts"' not in page and "登记审议意见" not in page
    bob = login(both.users["bob"])
    assert "登记审议意见" in text(bob.get(url))
    bob.post(
        reverse("paper_group_review", args=[both.paper1.pk]),
        {"approve": "yes", "meeting_on": "2026-09-24", "opinion": "同意报组长审定。"},
    )
    bob.post(reverse("paper_leader_review", args=[both.paper1.pk]), {"approve": "yes"})
    page = text(bob.get(url))
    assert "已审定" in page and "问题表述" in page
    response = bob.post(
        reverse("problem_create", args=[both.paper1.pk]), {"summary": "扶贫资金滞拨"}
    )
    assert response.status_code == 302
    problems = text(bob.get(reverse("problem_list", args=[both.inspection1.pk])))
    assert "扶贫资金拨付滞后" in problems and "2025年县财政局滞拨扶贫资金1200万元。" in problems
    assert "县委负主体责任。" in problems and both.paper1.number in problems
    gina = text(login(both.users["gina"]).get(reverse("problem_list", args=[both.inspection1.pk])))
    assert "扶贫资金滞拨" in gina


def test_it_tells_a_member_that_the_group_meeting_is_the_leaders(both, login):
    petition, _value = _petition_evidence(both)
    papers.paper_add_evidence(
        actor=both.users["carol"], paper=both.paper1, kind="petition", record_obj=petition
    )
    papers.paper_submit(actor=both.users["carol"], paper=both.paper1)
    response = login(both.users["carol"]).post(
        reverse("paper_group_review", args=[both.paper1.pk]),
        {"approve": "yes", "meeting_on": "2026-09-24", "opinion": "同意"},
    )
    assert response.status_code == 200 and "登记组务会审议意见须由组长操作。" in text(response)
    both.paper1.refresh_from_db()
    assert both.paper1.status == "group_review" and both.paper1.group_opinion == ""


def test_it_shows_why_a_paper_cannot_be_submitted(both, login):
    client = login(both.users["carol"])
    response = client.post(reverse("paper_submit", args=[both.paper1.pk]), follow=True)
    assert "还没有证据材料，不能提交组务会审议。" in text(response)
    both.paper1.refresh_from_db()
    assert both.paper1.status == "draft"


def test_it_edits_a_draft_and_refuses_an_emptied_text(both, login):
    client = login(both.users["carol"])
    url = reverse("paper_update", args=[both.paper1.pk])
    client.post(url, _paper_post(title="改过的标题"))
    both.paper1.refresh_from_db()
    assert both.paper1.title == "改过的标题" and both.paper1.category.name == "围绕党的作风建设"
    response = client.post(url, _paper_post(facts="  "))
    assert response.status_code == 200
    both.paper1.refresh_from_db()
    assert both.paper1.facts == "2025年违规发放津贴86万元。"


def test_it_offers_only_the_inspections_own_records_as_evidence(both, login):
    other = onsite_actions.petition_create(
        actor=both.users["dave"],
        inspection=both.inspection2,
        channel="call",
        received_on=D(2026, 9, 5),
        content="财政厅的信访。",
        real_name=False,
    )
    client = login(both.users["carol"])
    page = text(client.get(reverse("paper_detail", args=[both.paper1.pk])))
    assert f"petition:{other.pk}" not in page
    response = client.post(
        reverse("paper_evidence_add", args=[both.paper1.pk]), {"record": f"petition:{other.pk}"}
    )
    assert response.status_code == 200 and not both.paper1.evidence.exists()


def test_it_stores_an_uploaded_evidence_for_the_team(both, login, files_root):
    client = login(both.users["carol"])
    url = reverse("paper_evidence_add", args=[both.paper1.pk])
    client.post(url, {"file": SimpleUploadedFile("账目.pdf", samples.pdf()), "note": "账目"})
    item = both.paper1.evidence.get()
    assert item.kind == "attachment" and item.attachment.audience == "team"
    page = text(client.get(reverse("paper_detail", args=[both.paper1.pk])))
    assert reverse("attachment_download", args=[item.attachment.pk]) in page
    response = client.post(url, {"file": SimpleUploadedFile("宏.docm", samples.docm())})
    assert response.status_code == 200 and both.paper1.evidence.count() == 1


def test_it_shows_an_approved_paper_read_only_to_the_office(both, login):
    paper = approved_paper(both, title="已审定的问题")
    page = text(login(both.users["alice"]).get(reverse("paper_detail", args=[paper.pk])))
    assert "已审定的问题" in page and "已审定" in page
    for form in ('name="facts"', "形成问题</button>", "登记审议意见"):
        assert form not in page

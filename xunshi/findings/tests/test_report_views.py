"""The report page and the document downloads per role: the office, the leading group and
the team read the report; the feedback and the notice exist after the feedback and reach
the inspected organization's liaison too, for its own inspection only."""

from __future__ import annotations

import html as htmllib
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.tests.test_papers import NOW
from xunshi.findings.models import ReportText
from xunshi.findings.tests.test_report import AFTER_FEEDBACK
from xunshi.testsupport.lifecycle import move_on_site

ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]
ADMINS = {"sam": 403, "sue": 403, "aud": 403}
REPORT_OWN = {"alice": 200, "gina": 200, "bob": 200, "carol": 200, "dave": 404, "erin": 403}
REPORT_OTHER = REPORT_OWN | {"bob": 404, "carol": 404, "dave": 200}
FEEDBACK_OWN = REPORT_OWN | {"erin": 200, "sam": 404, "sue": 404, "aud": 404}
NOT_YET = dict.fromkeys(ROLES, 404)


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def fed(feedback):  # type: ignore[no-untyped-def]
    """兰考县 after the feedback (2026-11-02); the finance department's inspection on site."""
    move_on_site(feedback.inspection2)
    with time_machine.travel(AFTER_FEEDBACK, tick=False):
        yield feedback


def got(client: Any, name: str, pk: int) -> int:
    return int(client.get(reverse(name, args=[pk])).status_code)


@pytest.mark.parametrize("who", ROLES)
def test_it_gives_each_role_the_report_and_its_documents(fed, login, who):
    client = login(fed.users[who])
    own, other = fed.inspection1.pk, fed.inspection2.pk
    for name in ("report_page", "report_docx"):
        assert got(client, name, own) == (REPORT_OWN | ADMINS)[who], name
        assert got(client, name, other) == (REPORT_OTHER | ADMINS)[who], name
    for name in ("feedback_docx", "notice_docx"):
        assert got(client, name, own) == FEEDBACK_OWN[who], name
        # The other inspection has no feedback yet: nobody gets it, not even its team.
        assert got(client, name, other) == NOT_YET[who], name
    exports = AuditEvent.objects.filter(action="inspections.document.export")
    assert exports.count() == sum(
        1
        for ok in (
            (REPORT_OWN | ADMINS)[who] == 200,
            (REPORT_OTHER | ADMINS)[who] == 200,
            FEEDBACK_OWN[who] == 200,
            FEEDBACK_OWN[who] == 200,
        )
        if ok
    )


def test_it_sends_a_stranger_to_the_login_page(fed, client):
    for name in ("report_page", "report_docx", "feedback_docx", "notice_docx", "report_text_save"):
        url = reverse(name, args=[fed.inspection1.pk])
        response = client.post(url) if name == "report_text_save" else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_gives_the_liaison_nothing_of_another_organizations_feedback(fed, login):
    # erin is the liaison of 兰考县; the finance department's liaison would be someone else.
    client = login(fed.users["erin"])
    assert got(client, "feedback_docx", fed.inspection2.pk) == 404
    assert got(client, "report_page", fed.inspection1.pk) == 403
    assert got(client, "report_docx", fed.inspection1.pk) == 403


@pytest.fixture
def withdrawn(world):  # type: ignore[no-untyped-def]
    from xunshi.lifecycle.actions import inspection_transition

    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        move_on_site(world.inspection2)
        inspection_transition(
            actor=world.users["bob"], inspection=world.inspection1, to="withdrawn"
        )
        world.inspection1.refresh_from_db()
        yield world


@pytest.mark.parametrize("who", ROLES)
def test_it_lets_only_the_team_post_the_reports_text(withdrawn, login, who):
    client = login(withdrawn.users[who])
    data = {"overview": "总体良好。", "suggestions": "加强监管。"}
    own = client.post(reverse("report_text_save", args=[withdrawn.inspection1.pk]), data)
    other = client.post(reverse("report_text_save", args=[withdrawn.inspection2.pk]), data)
    expected_own = {"alice": 403, "gina": 403, "bob": 302, "carol": 200, "dave": 404, "erin": 403}
    expected_other = expected_own | {"bob": 404, "carol": 404, "dave": 200}
    assert own.status_code == (expected_own | ADMINS)[who]
    assert other.status_code == (expected_other | ADMINS)[who]
    saved = ReportText.objects.filter(inspection=withdrawn.inspection1, overview="总体良好。")
    assert saved.exists() == (who == "bob")
    assert not ReportText.objects.filter(inspection=withdrawn.inspection2).exists()


def test_it_shows_the_leader_the_form_and_the_stage_button(withdrawn, login):
    url = reverse("report_page", args=[withdrawn.inspection1.pk])
    page = text(login(withdrawn.users["bob"]).get(url))
    assert 'name="overview"' in page and "报送巡视报告" in page
    assert "巡视报告的“基本情况”尚未填写。" in page
    assert reverse("report_docx", args=[withdrawn.inspection1.pk]) in page
    assert reverse("feedback_docx", args=[withdrawn.inspection1.pk]) not in page
    member = login(withdrawn.users["carol"])
    page = text(member.get(url))
    assert 'name="overview"' not in page and "报送巡视报告" not in page
    response = member.post(
        reverse("report_text_save", args=[withdrawn.inspection1.pk]),
        {"overview": "组员写的", "suggestions": ""},
    )
    assert "巡视报告的基本情况和意见建议须由组长撰写。" in text(response)


def test_it_saves_the_reports_text_and_clears_the_blocker(withdrawn, login):
    client = login(withdrawn.users["bob"])
    url = reverse("report_page", args=[withdrawn.inspection1.pk])
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("report_text_save", args=[withdrawn.inspection1.pk]),
            {"overview": "兰考县委总体情况良好。", "suggestions": "一是加强监管。"},
        )
    assert response["Location"] == url
    page = text(client.get(url))
    assert "兰考县委总体情况良好。" in page and "巡视报告的“基本情况”尚未填写。" not in page


def test_it_offers_the_feedback_documents_once_given(fed, login):
    page = text(login(fed.users["gina"]).get(reverse("report_page", args=[fed.inspection1.pk])))
    assert reverse("feedback_docx", args=[fed.inspection1.pk]) in page
    assert reverse("notice_docx", args=[fed.inspection1.pk]) in page
    assert "2026-11-02" in page and 'name="overview"' not in page

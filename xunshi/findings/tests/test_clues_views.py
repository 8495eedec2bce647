"""The clue pages per role: the team records, the office transfers and follows the
feedback; 高密 clues stay with the office and the leader, without a hint to the others."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.tests.test_papers import NOW, new_paper, new_petition
from xunshi.findings import actions as clue_actions
from xunshi.findings.models import Clue
from xunshi.findings.tests.test_clues import new_clue
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud"]
ADMINS = {"sam": 403, "sue": 403, "aud": 403}
OWN_READ = {"alice": 200, "gina": 403, "bob": 200, "carol": 200, "dave": 404, "erin": 403}
OTHER_READ = OWN_READ | {"bob": 404, "carol": 404, "dave": 200}
OWN_CREATE = OWN_READ | {"alice": 403}
OTHER_CREATE = OTHER_READ | {"alice": 403}
OWN_MANAGE = OWN_READ | {"bob": 403, "carol": 403}
OTHER_MANAGE = OTHER_READ | {"bob": 404, "carol": 404, "dave": 403}
OFFICE_ONLY = {"alice": 200, "gina": 403, "bob": 403, "carol": 403, "dave": 403, "erin": 403}


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def clues(world):  # type: ignore[no-untyped-def]
    """Both inspections on site; team 1 has an ordinary and a 高密 clue, team 2 one."""
    with time_machine.travel(NOW, tick=False):
        move_on_site(world.inspection1)
        move_on_site(world.inspection2)
        world.clue1 = new_clue(world)
        world.secret = new_clue(
            world, persons="县委副书记孙某", summary="高密线索内容", highly_confidential=True
        )
        paper = new_paper(world, actor="dave", inspection=world.inspection2)
        world.clue2 = new_clue(
            world, actor="dave", inspection=world.inspection2, source="paper", record=paper
        )
        yield world


PAGES = {
    "clue_list": (
        "get",
        lambda w: w.inspection1.pk,
        lambda w: w.inspection2.pk,
        OWN_READ,
        OTHER_READ,
    ),
    "clue_detail": ("get", lambda w: w.clue1.pk, lambda w: w.clue2.pk, OWN_READ, OTHER_READ),
    "clue_create": (
        "post",
        lambda w: w.inspection1.pk,
        lambda w: w.inspection2.pk,
        OWN_CREATE,
        OTHER_CREATE,
    ),
    "clue_transfer": ("post", lambda w: w.clue1.pk, lambda w: w.clue2.pk, OWN_MANAGE, OTHER_MANAGE),
    "clue_dispose": ("post", lambda w: w.clue1.pk, lambda w: w.clue2.pk, OWN_MANAGE, OTHER_MANAGE),
}


@pytest.mark.parametrize("who", ROLES)
def test_it_gives_each_role_its_clue_pages_and_changes_nothing_on_a_refusal(clues, login, who):
    client = login(clues.users[who])
    before = list(Clue.objects.values_list("pk", "transferred_on", "disposal"))
    events = AuditEvent.objects.count()
    for name, (method, own, other, own_expected, other_expected) in PAGES.items():
        for pk, expected in ((own, own_expected), (other, other_expected)):
            url = reverse(name, args=[pk(clues)])
            response = client.get(url) if method == "get" else client.post(url, {})
            assert response.status_code == (expected | ADMINS)[who], (name, url)
    overdue = client.get(reverse("clue_overdue")).status_code
    assert overdue == (OFFICE_ONLY | ADMINS)[who]
    assert list(Clue.objects.values_list("pk", "transferred_on", "disposal")) == before
    assert AuditEvent.objects.count() == events


def test_it_sends_a_stranger_to_the_login_page(clues, client):
    urls = [reverse(n, args=[p[1](clues)]) for n, p in PAGES.items()] + [reverse("clue_overdue")]
    for url in urls:
        response = (
            client.post(url, {})
            if url.endswith(("new/", "transfer/", "dispose/"))
            else client.get(url)
        )
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_hides_a_highly_confidential_clue_from_members_without_a_trace(clues, login):
    url = reverse("clue_list", args=[clues.inspection1.pk])
    leader = text(login(clues.users["bob"]).get(url))
    assert "县委副书记孙某" in leader and "第2号线索" in leader and "高密" in leader
    office = text(login(clues.users["alice"]).get(url))
    assert "县委副书记孙某" in office
    member = login(clues.users["carol"])
    page = text(member.get(url))
    assert "县交通局局长钱某" in page
    assert "县委副书记孙某" not in page and "第2号线索" not in page
    # Neither a count nor a hidden row: the page reads as if there were one clue.
    assert page.count("号线索</a>") == 1
    assert "隐藏" not in page and "2条" not in page and "2 条" not in page
    assert member.get(reverse("clue_detail", args=[clues.secret.pk])).status_code == 404
    response = login(clues.users["bob"]).get(reverse("clue_detail", args=[clues.secret.pk]))
    assert "高密线索内容" in text(response)


def test_it_records_a_clue_from_the_list(clues, login):
    client = login(clues.users["carol"])
    with time_machine.travel(NOW, tick=False):
        talk_free_record = new_petition(clues, content="另一件信访。")
        response = client.post(
            reverse("clue_create", args=[clues.inspection1.pk]),
            {
                "record": f"petition:{talk_free_record.pk}",
                "persons": "某乡乡长",
                "summary": "违规发放补贴。",
                "recipient": "organization",
            },
        )
    # persons is sealed: compared in Python.
    (clue,) = [c for c in Clue.objects.all() if c.persons == "某乡乡长"]
    assert response["Location"] == reverse("clue_detail", args=[clue.pk])
    assert (clue.seq, clue.source, clue.petition_id) == (3, "petition", talk_free_record.pk)
    page = text(client.get(response["Location"]))
    assert "违规发放补贴。" in page and "组织部" in page and "登记移交" not in page


def test_it_shows_the_refusal_of_a_clue_with_what_was_typed(clues, login):
    client = login(clues.users["carol"])
    with time_machine.travel(NOW, tick=False):
        petition = new_petition(clues, content="另一件信访。")
        response = client.post(
            reverse("clue_create", args=[clues.inspection1.pk]),
            {
                "record": f"petition:{petition.pk}",
                "persons": "某人",
                "summary": "摘要",
                "recipient": "other",
            },
        )
    assert response.status_code == 200
    assert "拟移交“其他”单位时须写明单位名称。" in text(response)
    assert not [c for c in Clue.objects.all() if c.persons == "某人"]


def test_it_lets_the_office_transfer_and_enter_the_disposal(clues, login):
    client = login(clues.users["alice"])
    detail = reverse("clue_detail", args=[clues.clue1.pk])
    assert "登记移交" in text(client.get(detail))
    with time_machine.travel(dt.datetime(2026, 10, 8, 10, tzinfo=dt.UTC), tick=False):
        client = login(clues.users["alice"])  # sessions last 30 minutes
        response = client.post(
            reverse("clue_transfer", args=[clues.clue1.pk]),
            {"transferred_on": "2026-10-09", "receiving_body": "县纪委监委", "receiver": "孙某"},
        )
        assert response.status_code == 200 and "不能晚于今天" in text(response)
        client.post(
            reverse("clue_transfer", args=[clues.clue1.pk]),
            {"transferred_on": "2026-10-08", "receiving_body": "县纪委监委", "receiver": "孙某"},
        )
        page = text(client.get(detail))
    assert "2027-01-08" in page and "3个月（期限规则第1版）" in page and "登记处置情况" in page
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC), tick=False):
        client = login(clues.users["alice"])
        client.post(
            reverse("clue_dispose", args=[clues.clue1.pk]),
            {"disposal": "talk_inquiry", "outcome": "已谈话函询。", "reported_on": "2026-11-30"},
        )
    clues.clue1.refresh_from_db()
    assert clues.clue1.disposal == "talk_inquiry"
    member_view = text(login(clues.users["carol"]).get(detail))
    assert "谈话函询" in member_view and "登记处置情况</h3>" not in member_view


# --- the office's overdue list ----------------------------------------------------------------


@pytest.fixture
def transferred(world):  # type: ignore[no-untyped-def]
    """A clue of team 1 transferred on 2026-09-01, and one never transferred."""
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC), tick=False):
        move_on_site(world.inspection1)
        paper = new_paper(world)
        world.late = new_clue(world, source="paper", record=paper, persons="钱某")
        world.waiting = new_clue(world, source="paper", record=paper, persons="赵某")
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        clue_actions.clue_transfer(
            actor=world.users["alice"],
            clue=world.late,
            transferred_on=D(2026, 9, 1),
            receiving_body="县纪委监委",
            receiver="孙某",
        )
    return world


def overdue_page(w: Any, login: Any, day: dt.date) -> str:
    with time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC), tick=False
    ):
        return text(login(w.users["alice"]).get(reverse("clue_overdue")))


def _overdue_table(page: str) -> str:
    return page.split('<table class="overdue">')[1].split("</table>")[0]


def test_it_lists_a_feedback_overdue_the_day_after_its_due_date(transferred, login):
    assert transferred.late.disposal_due == D(2026, 12, 1)
    assert "第1号线索" not in _overdue_table(overdue_page(transferred, login, D(2026, 11, 30)))
    assert "第1号线索" not in _overdue_table(overdue_page(transferred, login, D(2026, 12, 1)))
    page = overdue_page(transferred, login, D(2026, 12, 2))
    table = _overdue_table(page)
    assert "第1号线索" in table and "兰考县" in table and "县纪委监委" in table and "1天" in table
    assert "第2号线索" not in table
    assert "第2号线索" in page.split('<table class="waiting">')[1]


def test_it_drops_a_clue_from_the_overdue_list_once_the_disposal_is_in(transferred, login):
    with time_machine.travel(dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC), tick=False):
        clue_actions.clue_dispose(
            actor=transferred.users["alice"],
            clue=transferred.late,
            disposal="closed",
            outcome="予以了结。",
            reported_on=D(2026, 12, 5),
        )
    assert "第1号线索" not in _overdue_table(overdue_page(transferred, login, D(2026, 12, 6)))


def test_it_marks_clues_waiting_for_transfer_for_more_than_30_days(transferred, login):
    waiting = overdue_page(transferred, login, D(2026, 10, 1)).split('<table class="waiting">')[1]
    assert "30天" in waiting and 'class="tag red"' not in waiting
    waiting = overdue_page(transferred, login, D(2026, 10, 2)).split('<table class="waiting">')[1]
    assert "31天" in waiting and 'class="tag red"' in waiting

"""Team access ends when the inspection closes plus the grace the office sets (issue 12): a
member still reads the talks, petitions, clues and files during the grace, gets 404 after it,
while the office reads on and the leading group keeps what it read; the office sets the grace
on 本级设置, audited, and a wrong number is refused in Chinese with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as onsite_actions
from xunshi.files.actions import attachment_store
from xunshi.files.tests import samples
from xunshi.lifecycle.actions import inspection_transition
from xunshi.registry.models import InspectingBody
from xunshi.rounds.access import team_inspections
from xunshi.testsupport.lifecycle import set_stage


@pytest.fixture(autouse=True)
def files_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.XUNSHI_FILES_ROOT = tmp_path / "files"


@pytest.fixture
def closed(onsite):  # type: ignore[no-untyped-def]
    """兰考县's inspection with a talk, a petition and a file, closed today (its day)."""
    w = onsite
    talk = onsite_actions.talk_create(
        actor=SYSTEM,
        inspection=w.inspection1,
        interviewee="县委书记",
        interviewee_post="县委书记",
        category="required",
        interviewers=[w.cadres["bob"], w.cadres["carol"]],
        recorder=w.cadres["carol"],
        held_at=timezone.now(),
        place="驻地",
        record="谈话记录",
    )
    petition = onsite_actions.petition_create(
        actor=SYSTEM,
        inspection=w.inspection1,
        channel="letter",
        received_on=timezone.localdate(),
        content="群众来信",
        real_name=False,
    )
    onsite_actions.petition_route(
        actor=SYSTEM, petition=petition, in_scope=True, routing="noted", routing_note="留存备查"
    )
    file = attachment_store(
        actor=SYSTEM, inspection=w.inspection1, upload=("材料.txt", samples.text()), audience="team"
    )
    set_stage(inspection=w.inspection1, stage="monitoring")
    w.closed_on = timezone.localdate()
    inspection_transition(actor=SYSTEM, inspection=w.inspection1, to="closed", on=w.closed_on)
    w.urls = {
        "talk": reverse("talk_detail", args=[talk.pk]),
        "talks": reverse("talk_list", args=[w.inspection1.pk]),
        "petition": reverse("petition_detail", args=[petition.pk]),
        "clues": reverse("clue_list", args=[w.inspection1.pk]),
        "file": reverse("attachment_download", args=[file.pk]),
        "inspection": reverse("inspection_detail", args=[w.inspection1.pk]),
    }
    return w


def _on(day: dt.date):  # type: ignore[no-untyped-def]
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC))


def _codes(w, login, who):  # type: ignore[no-untyped-def]
    client = login(w.users[who])
    return {key: client.get(url).status_code for key, url in w.urls.items()}


def test_a_member_still_reads_during_the_grace(closed, login):
    with _on(closed.closed_on + dt.timedelta(days=30)):
        for who in ("bob", "carol"):
            assert set(_codes(closed, login, who).values()) == {200}, who


def test_after_the_grace_only_the_office_reads_the_case_records(closed, login):
    with _on(closed.closed_on + dt.timedelta(days=31)):
        for who in ("bob", "carol"):
            assert set(_codes(closed, login, who).values()) == {404}, who
        assert set(_codes(closed, login, "alice").values()) == {200}
        gina = _codes(closed, login, "gina")
        # The leading group keeps what it read: the inspection and its files, no case record.
        assert gina == {
            "talk": 403,
            "talks": 403,
            "petition": 403,
            "clues": 403,
            "file": 200,
            "inspection": 200,
        }


def test_the_team_and_its_roster_stay_visible_after_the_grace(closed, login):
    with _on(closed.closed_on + dt.timedelta(days=400)):
        client = login(closed.users["carol"])
        assert client.get(reverse("team_detail", args=[closed.team1.pk])).status_code == 200
        assert not team_inspections(closed.users["carol"]).exists()


def test_the_office_sets_the_grace_and_the_team_follows(closed, login):
    office = login(closed.users["alice"])
    response = office.post(reverse("body_settings"), {"days": "90"}, follow=True)
    assert "已保存办结后巡视组查阅期限。" in response.content.decode()
    closed.body.refresh_from_db()
    assert closed.body.team_access_grace_days == 90
    event = AuditEvent.objects.get(action="registry.body.team_access_grace")
    assert event.before == {"team_access_grace_days": 30}
    assert event.after == {"team_access_grace_days": 90}
    with _on(closed.closed_on + dt.timedelta(days=60)):
        assert set(_codes(closed, login, "carol").values()) == {200}
    with _on(closed.closed_on + dt.timedelta(days=91)):
        assert set(_codes(closed, login, "carol").values()) == {404}


@pytest.mark.parametrize("days", ["-1", "366", "三十", ""])
def test_a_wrong_grace_is_refused_and_nothing_is_written(closed, login, days):
    response = login(closed.users["alice"]).post(reverse("body_settings"), {"days": days})
    assert response.status_code == 200
    assert "办结后巡视组查阅期限（天）" in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert InspectingBody.objects.get(pk=closed.body.pk).team_access_grace_days == 30
    assert not AuditEvent.objects.filter(action="registry.body.team_access_grace").exists()


def test_only_the_office_opens_its_body_settings(closed, login):
    for who in ("gina", "bob", "erin", "sam", "sue", "aud"):
        assert login(closed.users[who]).get(reverse("body_settings")).status_code == 403, who
    page = login(closed.users["alice"]).get(reverse("body_settings"))
    assert page.status_code == 200
    assert closed.body.name in page.content.decode()


def test_an_inspection_closed_without_a_recorded_day_is_past_every_grace(onsite):
    # The demo's history puts past rounds' inspections at 已办结 directly.
    set_stage(inspection=onsite.inspection1, stage="closed")
    assert not team_inspections(onsite.users["carol"]).exists()

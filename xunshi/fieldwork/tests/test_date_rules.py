"""The inspection's date rules (xunshi/rounds/date_rules.py) as a team meets them: no entry on
site before its 进驻日期 (or its round's start), a talk dated from that day to today (today
included, a day to come refused), a warning for a second talk with the same person on the
same day, and each date field saying what it accepts."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.demo.group import approve_round
from xunshi.fieldwork.models import Talk
from xunshi.fieldwork.tests.test_onsite_talks import SHANGHAI, new_talk
from xunshi.lifecycle.actions import available, inspection_transition
from xunshi.rounds import actions as rnd
from xunshi.testsupport.lifecycle import move_on_site

D = dt.date
TODAY = dt.datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI)


def _html(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def site(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        move_on_site(world.inspection1)
        world.inspection1.refresh_from_db()
        yield world


def test_it_keeps_the_team_off_site_before_its_entry_day(world):
    insp = world.inspection1
    with time_machine.travel(dt.datetime(2026, 8, 28, 10, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError) as e:
            move_on_site(insp)
        assert "进驻日期（2026年8月28日）早于本次巡视进驻日期（2026年9月1日）。" in e.value.messages
        insp.refresh_from_db()
        assert insp.stage == "notified"
        bob = world.users["bob"]
        [blockers] = [b for t, b in available(bob, insp) if t.target == "on_site"]
        assert blockers == ["进驻日期（2026年8月28日）早于本次巡视进驻日期（2026年9月1日）。"]


def test_it_refuses_an_entry_day_given_before_its_entry_day(world):
    insp = world.inspection1
    with time_machine.travel(TODAY, tick=False):
        for m in insp.team.memberships.all():
            rnd.pledge_sign(actor=SYSTEM, membership=m)
        approve_round(insp.round, TODAY.date())
        for stage in ["authorized", "notified"]:
            inspection_transition(actor=SYSTEM, inspection=insp, to=stage)
        with pytest.raises(ValidationError) as e:
            inspection_transition(actor=SYSTEM, inspection=insp, to="on_site", on=D(2026, 8, 31))
        assert e.value.messages == [
            "进驻日期（2026年8月31日）早于本次巡视进驻日期（2026年9月1日）。"
        ]
        inspection_transition(actor=SYSTEM, inspection=insp, to="on_site", on=D(2026, 9, 1))
        insp.refresh_from_db()
        assert insp.stage == "on_site"


def test_it_takes_a_talk_of_today_and_refuses_one_to_come(site):
    with time_machine.travel(TODAY, tick=False):
        today = new_talk(site, held_at=TODAY.replace(hour=9))
        assert today.pk
        with pytest.raises(ValidationError) as e:
            new_talk(site, held_at=dt.datetime(2026, 12, 15, 9, tzinfo=SHANGHAI))
        assert e.value.messages == ["谈话时间（2026年12月15日）不能晚于今天。"]
    assert Talk.objects.count() == 1


def test_it_warns_of_a_second_talk_with_the_same_person_on_the_same_day(site, login):
    data = {
        "interviewee": "钱进",
        "interviewee_post": "县长",
        "category": "optional",
        "interviewers": [site.cadres["bob"].pk, site.cadres["carol"].pk],
        "recorder": site.cadres["carol"].pk,
        "place": "县政府",
    }
    url = reverse("talk_create", args=[site.inspection1.pk])
    client = login(site.users["carol"])
    with time_machine.travel(TODAY, tick=False):
        first = _html(client.post(url, data | {"held_at": "2026-09-12T09:00"}, follow=True))
        assert "已登记与钱进的谈话。" in first and "重复登记" not in first
        other_day = _html(client.post(url, data | {"held_at": "2026-09-13T09:00"}, follow=True))
        assert "重复登记" not in other_day
        again = _html(client.post(url, data | {"held_at": "2026-09-12T15:00"}, follow=True))
    assert "同一天已有与钱进的谈话记录（09:00），请核对是否重复登记。" in again
    assert Talk.objects.count() == 3


def test_it_says_under_each_date_field_what_it_accepts(site, login):
    client = login(site.users["carol"])
    pk = site.inspection1.pk
    with time_machine.travel(TODAY, tick=False):
        talks = _html(client.get(reverse("talk_list", args=[pk])))
        petitions = _html(client.get(reverse("petition_list", args=[pk])))
    assert "可填2026年9月1日（进驻日期）至今天。" in talks
    assert "不能晚于今天。" in petitions

"""The ledger of a 提级巡察: the city's inspection of 兰考县财政局 is the city's to verify and
supervise; 兰考's office and leading group read it as the unit's liaison does, and nothing of
it may be written by them. Other bodies (杞县, the province) do not reach it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xunshi.rectification import actions as rect
from xunshi.rectification.access import get_item_for, ledger_inspections_for
from xunshi.rectification.models import ItemStatus, RectificationItem, SupervisionNotice
from xunshi.rounds.models import Inspection
from xunshi.rounds.tests.kaifeng import PROBLEMS, build_kaifeng, elevated_with_feedback


@pytest.fixture
def kf(world):
    return build_kaifeng(world)


@pytest.fixture
def elevated(kf) -> Inspection:
    return elevated_with_feedback(kf)


def test_the_county_reads_the_elevated_ledger_as_its_liaison_does(world, kf, elevated, login):
    url = reverse("ledger", args=[elevated.pk])
    for who in ["lkoffice", "lkgroup"]:
        assert list(ledger_inspections_for(kf.users[who])) == [elevated], who
        client = login(kf.users[who])
        page = client.get(url).content.decode()
        assert all(title in page for title in PROBLEMS), who
        assert "这是中共开封市委组织的提级巡察" in page
        # The liaison's one tab, and none of the city's buttons.
        tabs = page.split('<nav class="tabs">', 1)[1].split("</nav>", 1)[0]
        assert tabs == f'<a href="{url}" aria-current="page">整改台账</a>', who
        for name in ["inspection_stage", "notice_issue", "lookback_create"]:
            assert reverse(name, args=[elevated.pk]) not in page, (who, name)
        assert reverse("feedback_docx", args=[elevated.pk]) in page
        home = client.get(reverse("ledger_home")).content.decode()
        assert url in home, who
        for name in ["rect_report_docx", "disclosure_page"]:
            assert client.get(reverse(name, args=[elevated.pk])).status_code == 200, name


def test_the_city_keeps_its_buttons_on_the_same_ledger(world, kf, elevated, login):
    page = login(kf.users["kfoffice"]).get(reverse("ledger", args=[elevated.pk])).content.decode()
    assert reverse("notice_issue", args=[elevated.pk]) in page
    assert reverse("inspection_stage", args=[elevated.pk]) in page
    assert "只供查阅" not in page


def test_the_county_may_not_verify_supervise_or_look_back(world, kf, elevated, login):
    item = RectificationItem.objects.filter(inspection=elevated).order_by("seq").first()
    assert item is not None
    client = login(kf.users["lkoffice"])
    verify = client.post(
        reverse("item_verify", args=[item.pk]),
        {f"verify-{item.pk}-decision": "close", f"verify-{item.pk}-on": "2026-11-20"},
    )
    assert verify.status_code == 403
    with pytest.raises(PermissionDenied) as refused:
        get_item_for(kf.users["lkoffice"], item.pk, verify=True)
    assert str(refused.value) == (
        "对兰考县财政局的提级巡察由中共开封市委组织，中共兰考县委只能查阅其整改台账；"
        "核验销号、督办和安排“回头看”由中共开封市委负责。"
    )
    notice = client.post(reverse("notice_issue", args=[elevated.pk]), {"notice-on": "2026-11-20"})
    assert notice.status_code == 403
    assert client.post(reverse("lookback_create", args=[elevated.pk])).status_code == 403
    stage = client.post(reverse("inspection_stage", args=[elevated.pk]), {"to": "rectifying"})
    assert stage.status_code == 404
    item.refresh_from_db()
    elevated.refresh_from_db()
    assert item.status == ItemStatus.PENDING and elevated.stage == "feedback_given"
    assert not SupervisionNotice.objects.exists()


def test_other_bodies_do_not_reach_the_elevated_ledger(world, kf, elevated, login):
    url = reverse("ledger", args=[elevated.pk])
    for user in [kf.users["qxoffice"], world.users["alice"], world.users["gina"]]:
        assert login(user).get(url).status_code == 404, user.username
        assert not ledger_inspections_for(user).filter(pk=elevated.pk).exists()


def test_the_county_s_supervision_page_offers_no_notice_on_the_elevated_ledger(
    world, kf, elevated, login
):
    liaison = kf.users["lkliaison"]
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, 0), tick=False):
        for item in RectificationItem.objects.filter(inspection=elevated):
            rect.item_plan(
                actor=liaison,
                item=item,
                measures="逐笔核查拨付台账。",
                responsible_leader="局长",
                responsible_department="县财政局",
                deadline=dt.date(2026, 11, 20),
                kind="concentrated",
            )
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0), tick=False):
        county = login(kf.users["lkoffice"]).get(reverse("supervision")).content.decode()
        assert "兰考县财政局" in county and "红色预警 2 项" in county
        assert reverse("notice_issue", args=[elevated.pk]) not in county
        city = login(kf.users["kfoffice"]).get(reverse("supervision")).content.decode()
        assert reverse("notice_issue", args=[elevated.pk]) in city

"""驻村安排: each team's villages laid on the round's working days, in sequence or in batches,
skipping weekends and holidays and taking the make-up working days; a schedule that does not
fit is refused in Chinese and nothing is written."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions as rnd
from xunshi.rounds.village_actions import round_schedule_villages
from xunshi.testsupport.lifecycle import set_stage

from .lankao_villages import County, build_county, village_team

D = dt.date
CHENGGUAN = ["城关镇张庄村", "城关镇李寨村", "城关镇王屯村", "城关镇东街社区"]


@pytest.fixture
def county(world) -> County:  # type: ignore[no-untyped-def]
    return build_county(world)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return htmllib.unescape(response.content.decode())


def _dates(inspections) -> list[tuple[dt.date | None, dt.date | None, int]]:  # type: ignore[no-untyped-def]
    for i in inspections:
        i.refresh_from_db()
    return [(i.start, i.end, i.batch) for i in inspections]


def test_it_lays_a_team_s_villages_one_after_another_on_working_days(world, county):
    _team, inspections = village_team(world, county, 1, CHENGGUAN)
    round_schedule_villages(actor=SYSTEM, round=county.round, mode="sequence", days_per_village=3)
    # 2026-09-01 is a Tuesday; the weekend of 5–6 September is not on site.
    assert _dates(inspections) == [
        (D(2026, 9, 1), D(2026, 9, 3), 1),
        (D(2026, 9, 4), D(2026, 9, 8), 2),
        (D(2026, 9, 9), D(2026, 9, 11), 3),
        (D(2026, 9, 14), D(2026, 9, 16), 4),
    ]
    event = AuditEvent.objects.get(action="rounds.round.schedule_villages")
    assert event.after["mode"] == "sequence" and len(event.after["inspections"]) == 4


def test_it_skips_the_national_day_holidays_and_takes_the_make_up_saturday(world, county):
    _team, inspections = village_team(world, county, 1, CHENGGUAN[:3])
    round_schedule_villages(
        actor=SYSTEM,
        round=county.round,
        mode="sequence",
        days_per_village=3,
        first=D(2026, 9, 28),
    )
    # 1–7 October are off (国庆节); Saturday 10 October is a make-up working day (调休上班).
    assert _dates(inspections) == [
        (D(2026, 9, 28), D(2026, 9, 30), 1),
        (D(2026, 10, 8), D(2026, 10, 10), 2),
        (D(2026, 10, 12), D(2026, 10, 14), 3),
    ]


def test_it_sends_a_team_to_villages_in_batches(world, county):
    _team, inspections = village_team(world, county, 1, CHENGGUAN[:3])
    round_schedule_villages(
        actor=SYSTEM, round=county.round, mode="batch", batch_size=2, days_per_village=5
    )
    assert _dates(inspections) == [
        (D(2026, 9, 1), D(2026, 9, 7), 1),
        (D(2026, 9, 1), D(2026, 9, 7), 1),
        (D(2026, 9, 8), D(2026, 9, 14), 2),
    ]


@pytest.mark.parametrize(
    ("grouped", "order"),
    [(False, ["张庄村", "杨庄村", "李寨村"]), (True, ["张庄村", "李寨村", "杨庄村"])],
)
def test_it_keeps_a_township_s_villages_together_when_asked(world, county, grouped, order):
    team, _none = village_team(world, county, 1, [])
    # Batches set by hand: 张庄村 (城关镇), then 杨庄村 (东坝头镇), then 李寨村 (城关镇).
    for batch, key in enumerate(["城关镇张庄村", "东坝头镇杨庄村", "城关镇李寨村"], start=1):
        rnd.inspection_create(
            actor=SYSTEM, team=team, target=county.villages[key], kind="village", batch=batch
        )
    round_schedule_villages(
        actor=SYSTEM,
        round=county.round,
        mode="sequence",
        days_per_village=2,
        group_by_township=grouped,
    )
    visits = team.inspections.select_related("target").order_by("start")
    assert [i.target.name.removesuffix("党支部") for i in visits] == order
    assert [i.batch for i in visits] == [1, 2, 3]


def test_it_refuses_what_does_not_fit_and_writes_nothing(world, county):
    _team, inspections = village_team(world, county, 1, CHENGGUAN)
    _team2, others = village_team(world, county, 2, ["东坝头镇杨庄村"], leader=1)
    before = _dates(inspections + others)
    with pytest.raises(ValidationError) as e:
        round_schedule_villages(
            actor=SYSTEM, round=county.round, mode="sequence", days_per_village=15
        )
    (message,) = e.value.messages
    assert message.startswith("第一巡察组：") and "工作日" in message
    assert _dates(inspections + others) == before
    assert not AuditEvent.objects.filter(action="rounds.round.schedule_villages").exists()


def test_it_refuses_once_a_village_has_had_its_entry_notice(world, county):
    _team, inspections = village_team(world, county, 1, CHENGGUAN[:2])
    set_stage(inspection=inspections[0], stage="notified")
    with pytest.raises(ValidationError, match="张庄村党支部（已通知）已发出进驻通知"):
        round_schedule_villages(
            actor=SYSTEM, round=county.round, mode="sequence", days_per_village=2
        )
    assert _dates(inspections)[1] == (D(2026, 9, 1), D(2026, 10, 30), 1)


def test_the_office_schedules_from_the_page_and_the_team_page_lists_the_villages_in_order(
    world, county, login
):
    team, _inspections = village_team(world, county, 1, CHENGGUAN[:3])
    client = login(county.office)
    page = _text(client.get(reverse("round_schedule", args=[county.round.pk])))
    assert 'value="2026-09-01"' in page and 'value="2026-10-30"' in page
    data = {
        "first": "2026-09-01",
        "last": "2026-10-30",
        "mode": "batch",
        "batch_size": "2",
        "days_per_village": "4",
        "group_by_township": "on",
    }
    response = client.post(reverse("round_schedule", args=[county.round.pk]), data, follow=True)
    assert "已排定3个村（社区）的驻村时间。" in _text(response)
    team_page = _text(client.get(reverse("team_detail", args=[team.pk])))
    table = team_page.split('<table class="targets">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr><td>(第\d批)</td>\s*<td>(\S+)</td>\s*<td><a [^>]+>(\S+)</a></td>", table
    )
    assert [(b, v) for b, _t, v in rows] == [
        ("第1批", "张庄村党支部"),
        ("第1批", "李寨村党支部"),
        ("第2批", "王屯村党支部"),
    ]
    assert {t for _b, t, _v in rows} == {"城关镇党委"}
    assert "2026-09-01 — 2026-09-04" in table and "2026-09-07 — 2026-09-10" in table


def test_the_page_shows_the_refusal_and_changes_nothing(world, county, login):
    _team, inspections = village_team(world, county, 1, CHENGGUAN)
    before = _dates(inspections)
    data = {
        "first": "2026-10-20",
        "last": "2026-10-30",
        "mode": "sequence",
        "days_per_village": "5",
    }
    response = login(county.office).post(reverse("round_schedule", args=[county.round.pk]), data)
    assert response.status_code == 200
    assert "第一巡察组：" in _text(response) and "工作日" in _text(response)
    assert _dates(inspections) == before


def test_a_date_outside_the_round_or_a_batch_of_one_is_refused(world, county):
    village_team(world, county, 1, CHENGGUAN[:2])
    with pytest.raises(ValidationError) as e:
        round_schedule_villages(
            actor=SYSTEM,
            round=county.round,
            mode="batch",
            batch_size=1,
            days_per_village=2,
            first=D(2026, 8, 20),
        )
    assert e.value.messages == [
        "驻村开始日期（2026年8月20日）早于本轮进驻日期（2026年9月1日）。",
        "分批进驻时每批至少2个村（社区）；每次1个请选择依次进驻。",
    ]


def test_only_the_own_body_s_office_reaches_the_schedule_of_a_village_round(world, county, login):
    url = reverse("round_schedule", args=[county.round.pk])
    assert login(world.users["alice"]).get(url).status_code == 404
    assert login(county.office).get(url).status_code == 200
    province_round = reverse("round_schedule", args=[world.round.pk])
    assert login(world.users["alice"]).get(province_round).status_code == 404

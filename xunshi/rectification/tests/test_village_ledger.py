"""乡镇跟踪村级整改: a township's liaison reads and fills in the ledgers of the villages under
its township (the villages have no accounts), never another township's villages and never a
talk, petition, paper or clue; the village ledger page (村级整改台账) lists one row per item."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.files.actions import attachment_store
from xunshi.rectification import actions, views
from xunshi.rounds.tests.lankao_villages import County, build_county, village_team
from xunshi.testsupport.lifecycle import give_feedback
from xunshi.testsupport.lists import export_rows, page_rows

from .conftest import PLAN

TITLES = {
    "城关镇张庄村": ["集体土地发包未经村民代表会议讨论", "低保评定优亲厚友"],
    "城关镇李寨村": ["村集体收入坐收坐支"],
    "东坝头镇杨庄村": ["惠农补贴发放不及时"],
}


@pytest.fixture
def county(world) -> County:  # type: ignore[no-untyped-def]
    return build_county(world)


@pytest.fixture
def fed(world, county) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The village inspections of 张庄村, 李寨村 (城关镇) and 杨庄村 (东坝头镇) past the
    feedback (2026-11-02), their problems in each ledger, one rectification file each."""
    _team, inspections = village_team(world, county, 1, list(TITLES))
    out = {}
    for name, inspection in zip(TITLES, inspections, strict=True):
        give_feedback(inspection, TITLES[name])
        attachment_store(
            actor=SYSTEM,
            inspection=inspection,
            upload=(f"{name}整改材料.txt", "整改材料".encode()),
            audience="rectification",
        )
        out[name] = inspection
    return out


@pytest.fixture
def clock() -> Iterator[Any]:
    """Frozen at 2026-11-25 10:00 (Beijing time), after the feedback."""
    with time_machine.travel(dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def test_a_township_s_liaison_reads_and_fills_its_villages_ledgers(county, fed, login, clock):
    client = login(county.chengguan)
    zhang = fed["城关镇张庄村"]
    page = _text(client.get(reverse("ledger", args=[zhang.pk])))
    assert "集体土地发包未经村民代表会议讨论" in page and "低保评定优亲厚友" in page
    item = zhang.rectification_items.order_by("seq").first()
    data = {f"plan-{item.pk}-{k}": v for k, v in PLAN.items()}
    data[f"plan-{item.pk}-deadline"] = "2026-12-31"
    response = client.post(reverse("item_plan", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.measures == PLAN["measures"] and item.deadline == dt.date(2026, 12, 31)
    # The rectification file of the village is the township's to open.
    attachment = zhang.attachments.get()
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200


def test_a_township_s_liaison_gets_404_on_another_township_s_villages(county, fed, login):
    client = login(county.chengguan)
    yang = fed["东坝头镇杨庄村"]
    item = yang.rectification_items.get()
    assert client.get(reverse("ledger", args=[yang.pk])).status_code == 404
    data = {f"plan-{item.pk}-{k}": v for k, v in PLAN.items()}
    assert client.post(reverse("item_plan", args=[item.pk]), data).status_code == 404
    attachment = yang.attachments.get()
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    item.refresh_from_db()
    assert item.measures == ""
    # 东坝头镇's own liaison does reach it.
    other = login(county.dongbatou)
    assert "惠农补贴发放不及时" in _text(other.get(reverse("ledger", args=[yang.pk])))


def test_the_action_refuses_a_liaison_of_another_township(county, fed):
    item = fed["东坝头镇杨庄村"].rectification_items.get()
    with pytest.raises(ValidationError, match="只有杨庄村党支部所在乡镇（街道）的联络员"):
        actions.item_plan(actor=county.chengguan, item=item, **PLAN)
    item.refresh_from_db()
    assert item.measures == ""


def test_a_township_s_liaison_never_opens_a_village_s_talks_papers_or_clues(county, fed, login):
    client = login(county.chengguan)
    zhang = fed["城关镇张庄村"]
    paper = zhang.working_papers.first()
    petition = zhang.petitions.first()
    for name, pk in [
        ("talk_list", zhang.pk),
        ("petition_list", zhang.pk),
        ("paper_list", zhang.pk),
        ("clue_list", zhang.pk),
        ("paper_detail", paper.pk),
        ("petition_detail", petition.pk),
    ]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code in (403, 404), name
        assert "群众反映" not in _text(response) and "具体事实" not in _text(response), name
    # Nor the team's own files.
    team_file = attachment_store(
        actor=SYSTEM, inspection=zhang, upload=("谈话提纲.txt", b"x"), audience="team"
    )
    assert client.get(reverse("attachment_download", args=[team_file.pk])).status_code == 404


def test_the_village_ledger_lists_the_items_of_the_township_s_villages(county, fed, login):
    page = _text(login(county.chengguan).get(reverse("village_ledger")))
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr>") == 3
    for title in ["集体土地发包未经村民代表会议讨论", "低保评定优亲厚友", "村集体收入坐收坐支"]:
        assert title in rows
    assert "张庄村党支部" in rows and "李寨村党支部" in rows and "城关镇党委" in rows
    assert "惠农补贴发放不及时" not in page and "杨庄村" not in page
    assert 'name="township"' not in page  # its own township only


def test_the_county_office_filters_the_village_ledger_by_township(county, fed, login):
    client = login(county.office)
    page = _text(client.get(reverse("village_ledger")))
    assert page.count("<tr>") - 1 == 4  # the header row, then one row per item
    dongbatou = county.townships["东坝头镇"]
    page = _text(client.get(reverse("village_ledger"), {"township": dongbatou.pk}))
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "惠农补贴发放不及时" in rows and "杨庄村党支部" in rows
    assert "张庄村党支部" not in rows
    assert f'<option value="{dongbatou.pk}" selected>东坝头镇党委</option>' in page


def test_the_village_ledger_shows_each_item_s_deadline_status_and_colour(county, fed, login, clock):
    zhang = fed["城关镇张庄村"]
    late, later = zhang.rectification_items.order_by("seq")
    for item, deadline in [(late, dt.date(2026, 11, 20)), (later, dt.date(2027, 3, 31))]:
        actions.item_plan(actor=county.chengguan, item=item, **{**PLAN, "deadline": deadline})
    client = login(county.office)
    page = _text(client.get(reverse("village_ledger")))
    row = page.split("集体土地发包未经村民代表会议讨论", 1)[1].split("</tr>", 1)[0]
    assert "2026-11-20" in row and "待制定措施" in row and "tag red" in row
    red = _text(client.get(reverse("village_ledger"), {"level": "red"}))
    assert "集体土地发包未经村民代表会议讨论" in red and "低保评定优亲厚友" not in red
    bad = client.get(reverse("village_ledger"), {"level": "purple"})
    assert bad.status_code == 200 and "预警：" in _text(bad)


def test_the_province_s_office_sees_none_of_the_county_s_villages(world, county, fed, login):
    page = _text(login(world.users["alice"]).get(reverse("village_ledger")))
    assert "张庄村" not in page and "没有符合条件的村级整改事项。" in page


def test_the_village_ledger_pages_by_50_in_a_fixed_number_of_queries(
    county, fed, login, monkeypatch
):
    client = login(county.office)

    def count(**params: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("village_ledger"), params).status_code == 200
        return len(ctx.captured_queries)

    one = count(township=county.townships["东坝头镇"].pk)
    assert count() == one  # four items across three villages, as many queries as one item
    assert views.VILLAGE_ITEMS_PER_PAGE == 50
    monkeypatch.setattr(views, "VILLAGE_ITEMS_PER_PAGE", 3)
    second = _text(client.get(reverse("village_ledger"), {"page": 2}))
    assert "第 2 / 2 页，共 4 条" in second and second.count("<tr>") - 1 == 1


def test_a_township_s_liaison_submits_a_village_s_plan_and_reads_its_feedback(
    county, fed, login, clock
):
    """The township answers for its villages: it presses 报送整改方案 for 张庄村 and downloads
    the feedback opinion; 东坝头镇's liaison can do neither."""
    zhang = fed["城关镇张庄村"]
    for item in zhang.rectification_items.all():
        actions.item_plan(
            actor=SYSTEM,
            item=item,
            measures="建立村级集体资产台账",
            responsible_leader="村党支部书记",
            responsible_department="城关镇党委",
            deadline=dt.date(2026, 12, 31),
            kind="concentrated",
        )
    feedback_url = reverse("feedback_docx", args=[zhang.pk])
    stage_url = reverse("inspection_stage", args=[zhang.pk])
    other = login(county.dongbatou)
    assert other.get(feedback_url).status_code == 404
    assert other.post(stage_url, {"to": "rectifying"}).status_code == 404
    zhang.refresh_from_db()
    assert zhang.stage == "feedback_given"

    client = login(county.chengguan)
    response = client.get(feedback_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    ledger = _text(client.get(reverse("ledger", args=[zhang.pk])))
    assert "报送整改方案" in ledger
    client.post(stage_url, {"to": "rectifying"})
    zhang.refresh_from_db()
    assert zhang.stage == "rectifying"


def test_the_village_ledger_export_has_the_page_s_rows_under_its_filters(county, fed, login):
    client = login(county.office)
    url = reverse("village_ledger")
    for query in [{}, {"township": county.townships["东坝头镇"].pk}]:
        page = page_rows(client.get(url, query).content, "village-items")
        export = export_rows(client.get(url, {**query, "export": "xlsx"}).content)
        assert [[r[0], r[1], f"{r[2]}. {r[3]}", r[4] or "—", *r[5:]] for r in export] == page
        assert page
    mine = export_rows(login(county.chengguan).get(url, {"export": "xlsx"}).content)
    assert {r[1] for r in mine} == {"张庄村党支部", "李寨村党支部"}

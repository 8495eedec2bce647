"""Deadline warnings under frozen time, the supervision page (督办) and the notice (督办函)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from xunshi.audit.models import AuditEvent
from xunshi.deadlines.rules import warning_thresholds
from xunshi.lifecycle.actions import inspection_transition
from xunshi.rectification import actions
from xunshi.rectification.queries import item_warnings, warned_items

from .conftest import DEADLINE, items_of, plan_all


def _beijing(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("days_before", "level"), [("green", "green"), ("yellow", "yellow"), (-1, "red"), (None, "")]
)
def test_it_warns_green_then_yellow_then_red(rectifying, clock, login, days_before, level):
    green, yellow = warning_thresholds()
    assert (green, yellow) == (20, 10)
    left = {"green": green, "yellow": yellow, None: green + 1}.get(days_before, days_before)
    today = DEADLINE - dt.timedelta(days=left)
    clock.move_to(_beijing(today))
    items = items_of(rectifying)
    assert set(item_warnings(items, today).values()) == {level}
    ledger = reverse("ledger", args=[rectifying.inspection1.pk])
    html = login(rectifying.users["erin"]).get(ledger).content.decode()
    home = login(rectifying.users["alice"]).get(reverse("ledger_home")).content.decode()
    if level:
        assert f'class="tag {level}"' in html
        word = {"green": "绿色", "yellow": "黄色", "red": "红色"}[level]
        assert f'<span class="tag {level}">{word} 2</span>' in home
    else:
        assert 'class="tag red"' not in html and 'class="tag yellow"' not in html


def test_it_dates_the_examples_of_the_issue(rectifying, clock):
    items = items_of(rectifying)
    for day, level in [
        (dt.date(2026, 12, 11), "green"),
        (dt.date(2026, 12, 21), "yellow"),
        (dt.date(2027, 1, 1), "red"),
    ]:
        assert set(item_warnings(items, day).values()) == {level}, day


def test_it_lists_no_warning_for_a_closed_item(rectifying, clock):
    from .conftest import report

    erin, alice = rectifying.users["erin"], rectifying.users["alice"]
    first = items_of(rectifying)[0]
    report(rectifying, first)
    actions.item_claim(actor=erin, item=first, on=dt.date(2026, 11, 10))
    actions.item_verify(actor=alice, item=first, close=True, on=dt.date(2026, 11, 10))
    warned = warned_items(dt.date(2027, 1, 1))
    assert [w.item.title for w in warned] == ["违规发放津贴补贴"]


def test_it_shows_the_office_red_and_yellow_items_by_unit_and_leader(feedback, clock, login):
    first = plan_all(feedback)[0]
    actions.item_plan(
        actor=feedback.users["erin"],
        item=first,
        measures=first.measures,
        responsible_leader=first.responsible_leader,
        responsible_department=first.responsible_department,
        deadline=dt.date(2026, 12, 20),
        kind=first.kind,
    )
    inspection_transition(
        actor=feedback.users["erin"], inspection=feedback.inspection1, to="rectifying"
    )
    rectifying = feedback
    clock.move_to(_beijing(dt.date(2026, 12, 22)))
    html = login(rectifying.users["gina"]).get(reverse("supervision")).content.decode()
    assert "兰考县" in html
    assert "红色预警 1 项" in html and "黄色预警 1 项" in html
    assert html.index("县长 李明") < html.index("扶贫资金拨付滞后")
    assert html.index("副县长 王芳") < html.index("违规发放津贴补贴")
    assert "逾期2天" in html and "剩余9天" in html
    assert "发出督办函" not in html  # the leading group reads, the office issues


def test_it_issues_numbered_notices_that_name_the_items(rectifying, clock, login):
    clock.move_to(_beijing(dt.date(2026, 12, 22)))
    alice = rectifying.users["alice"]
    client = login(alice)
    page = client.get(reverse("supervision")).content.decode()
    assert "向兰考县发出督办函" in page
    url = reverse("notice_issue", args=[rectifying.inspection1.pk])
    assert client.post(url, {"notice-on": "2026-12-22"}).status_code == 302
    second = actions.notice_issue(
        actor=alice, inspection=rectifying.inspection1, on=dt.date(2026, 12, 22)
    )
    notices = list(rectifying.inspection1.supervision_notices.order_by("pk"))
    assert [n.number for n in notices] == ["豫巡办督〔2026〕1号", "豫巡办督〔2026〕2号"]
    assert second.items.count() == 2

    response = client.get(reverse("notice_docx_download", args=[notices[0].pk]))
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "豫巡办督〔2026〕1号" in text and "兰考县：" in text
    assert "1. 扶贫资金拨付滞后" in text and "2. 违规发放津贴补贴" in text
    assert "责任领导：县长 李明" in text and "整改时限：2026年12月31日（距整改时限9天）" in text
    assert "于2027年1月6日前" in text
    assert AuditEvent.objects.filter(action="rectification.notice.export").count() == 1
    # The liaison reads the notice sent to her unit.
    erin = login(rectifying.users["erin"])
    assert erin.get(reverse("notice_docx_download", args=[notices[0].pk])).status_code == 200


def test_it_refuses_a_notice_when_nothing_is_warned(rectifying, clock):
    with pytest.raises(ValidationError, match="没有黄色或红色预警事项，无需督办"):
        actions.notice_issue(
            actor=rectifying.users["alice"],
            inspection=rectifying.inspection1,
            on=dt.date(2026, 11, 10),
        )
    assert rectifying.inspection1.supervision_notices.count() == 0

"""Both pages against every role, the text a user sees, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.deadlines.models import CalendarYear, DeadlineRuleSet, Holiday

GETS = ["deadline_rules", "calendar_years"]
POSTS = ["deadline_rules_new", "calendar_year_enter"]
EXPECTED_GET = {
    "alice": 200,
    "gina": 200,
    "sam": 200,
    "bob": 403,
    "carol": 403,
    "erin": 403,
    "sue": 403,
    "aud": 403,
}
MAY_POST = {"deadline_rules_new": {"alice"}, "calendar_year_enter": {"sam"}}
NOW = dt.datetime(2026, 11, 27, 2, tzinfo=dt.UTC)

RULES_FORM = {
    "rectification_plan_amount": "20",
    "rectification_plan_unit": "working_days",
    "rectification_report_amount": "2",
    "rectification_report_unit": "months",
    "clue_feedback_amount": "3",
    "clue_feedback_unit": "months",
    "warning_green_amount": "20",
    "warning_green_unit": "calendar_days",
    "warning_yellow_amount": "10",
    "warning_yellow_unit": "calendar_days",
    "note": "整改方案报送期限延长为20个工作日",
}
YEAR_FORM = {"year": "2027", "text": "2027-01-01 元旦 休\n2027-02-06 春节调休 班"}


def _state():
    return (
        list(DeadlineRuleSet.objects.values_list("version", "active")),
        CalendarYear.objects.count(),
        Holiday.objects.count(),
        AuditEvent.objects.filter(action__startswith="deadlines.").count(),
    )


@pytest.mark.parametrize("user", sorted(EXPECTED_GET))
def test_it_opens_each_page_only_to_the_roles_that_may_see_it(world, login, user):
    client = login(world.users[user])
    for name in GETS:
        assert client.get(reverse(name)).status_code == EXPECTED_GET[user], name


@pytest.mark.parametrize("user", sorted(EXPECTED_GET))
def test_it_refuses_a_write_to_everyone_else_and_changes_nothing(world, login, user):
    client = login(world.users[user])
    before = _state()
    for name, data in zip(POSTS, [RULES_FORM, YEAR_FORM], strict=True):
        if user in MAY_POST[name]:
            continue
        assert client.post(reverse(name), data).status_code == 403, name
    assert _state() == before


def test_it_sends_a_stranger_to_the_login_page(client, db):
    for name in GETS + POSTS:
        response = client.get(reverse(name)) if name in GETS else client.post(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_the_rules_in_force_and_their_history(world, login):
    html = login(world.users["gina"]).get(reverse("deadline_rules")).content.decode()
    assert "现行：期限规则第1版" in html
    for text in [
        "<td>整改方案报送</td>",
        "<td>15个工作日</td>",
        "<td>整改情况报告报送</td>",
        "<td>2个月</td>",
        "<td>问题线索处置情况反馈</td>",
        "<td>3个月</td>",
        "<td>整改事项提醒</td>",
        "<td>提前20天</td>",
        "<td>提前10天</td>",
        "整改事项红色预警",
        "不会改变已经确定的日期",
        "历史版本",
    ]:
        assert text in html, text
    assert "修订期限规则" not in html  # the leading group only reads


def test_it_lets_the_office_issue_a_new_version(world, login):
    client = login(world.users["alice"])
    html = client.get(reverse("deadline_rules")).content.decode()
    assert "修订期限规则" in html and 'name="rectification_plan_amount"' in html
    response = client.post(reverse("deadline_rules_new"), RULES_FORM, follow=True)
    html = response.content.decode()
    assert "已启用期限规则第2版；此前已确定的截止日期不变。" in html
    assert "现行：期限规则第2版" in html and "<td>20个工作日</td>" in html
    assert '<strong title="与上一版不同">20个工作日</strong>' in html
    assert "整改方案报送期限延长为20个工作日" in html and "赵敏" in html
    # The office's version is its own body's; the deployment's first version stays in force
    # for the bodies that issued none.
    assert list(DeadlineRuleSet.objects.values_list("version", "active", "body")) == [
        (2, True, world.body.pk),
        (1, True, None),
    ]


def test_it_shows_the_office_why_a_version_was_refused(world, login):
    client = login(world.users["alice"])
    before = _state()
    same = RULES_FORM | {"rectification_plan_amount": "15"}
    html = client.post(reverse("deadline_rules_new"), same).content.decode()
    assert "与现行的第1版相同，无需新建版本。" in html
    crossed = RULES_FORM | {"warning_yellow_amount": "30"}
    html = client.post(reverse("deadline_rules_new"), crossed).content.decode()
    assert "黄色预警（到期前30天）须晚于提醒（到期前20天）开始。" in html
    assert 'value="30"' in html  # the form keeps what was typed
    html = client.post(reverse("deadline_rules_new"), RULES_FORM | {"note": ""}).content.decode()
    assert "请检查填写的期限和单位。" in html
    assert _state() == before


@time_machine.travel(NOW, tick=False)
def test_it_shows_a_years_holidays_and_make_up_days(world, login):
    html = login(world.users["gina"]).get(reverse("calendar_years") + "?year=2026").content.decode()
    assert "2026年节假日和调休安排" in html
    assert "<td>2026-02-14</td><td>星期六</td>" in html
    assert "调休上班" in html and "<td>春节</td>" in html and "<td>中秋节</td>" in html
    assert "2027年的法定节假日和调休安排尚未录入" in html
    assert 'href="?year=2004"' in html and 'href="?year=2027"' not in html
    assert "录入新一年的安排" not in html
    html = login(world.users["gina"]).get(reverse("calendar_years")).content.decode()
    assert "2026年节假日和调休安排" in html  # this year by default
    html = login(world.users["gina"]).get(reverse("calendar_years") + "?year=2030").content.decode()
    assert "2030年的安排尚未录入。" in html


@time_machine.travel(NOW, tick=False)
def test_it_lets_the_system_admin_enter_next_year(world, login):
    client = login(world.users["sam"])
    html = client.get(reverse("calendar_years")).content.decode()
    assert "录入新一年的安排" in html and 'name="year" value="2027"' in html
    response = client.post(reverse("calendar_year_enter"), YEAR_FORM, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("calendar_years") + "?year=2027"
    assert "已录入2027年的节假日和调休安排。" in html
    assert "<td>2027-02-06</td><td>星期六</td>" in html and "春节调休" in html
    assert "2027年的法定节假日和调休安排尚未录入" not in html
    assert "管理员录入（吴刚，2026-11-27）" in html


def test_it_shows_the_system_admin_every_bad_line_and_keeps_the_text(world, login):
    client = login(world.users["sam"])
    before = _state()
    text = "2027-13-01 元旦 休\n2027-01-04 调休 班"
    html = client.post(reverse("calendar_year_enter"), {"year": "2027", "text": text})
    html = html.content.decode()
    assert "第1行：日期“2027-13-01”无效。" in html
    assert "第2行：2027-01-04是星期一，本来就上班，无需录入。" in html
    assert "2027-13-01 元旦 休" in html.split("<textarea", 1)[1]
    html = client.post(
        reverse("calendar_year_enter"), {"year": "2026", "text": "2026-01-05 元旦 休"}
    )
    assert "2026年的安排来自chinesecalendar软件包，不能修改。" in html.content.decode()
    assert _state() == before

"""Due dates from the versioned rules, warning levels, and new versions of the rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xunshi.audit.models import AuditEvent
from xunshi.deadlines.actions import ruleset_create_version
from xunshi.deadlines.calendar import UnknownYear
from xunshi.deadlines.models import DeadlineRule, DeadlineRuleSet
from xunshi.deadlines.rules import (
    DEFAULTS,
    Due,
    active_rule_set,
    due_date,
    rules_of,
    warning_level,
    warning_thresholds,
)

D = dt.date


def test_it_starts_with_version_1_holding_the_defaults(db):
    rs = active_rule_set()
    assert rs.version == 1 and DeadlineRuleSet.objects.count() == 1
    assert {k: (r.amount, r.unit) for k, r in rules_of(rs).items()} == DEFAULTS
    assert DEFAULTS["rectification_plan"] == (15, "working_days")
    assert DEFAULTS["warning_yellow"] == (10, "calendar_days")


def test_it_gives_each_due_date_with_its_rule_in_words(db):
    feedback = D(2025, 9, 26)
    assert due_date("rectification_plan", feedback) == Due(
        "rectification_plan", D(2025, 10, 23), "15个工作日（期限规则第1版）", 1
    )
    assert due_date("rectification_report", feedback) == Due(
        "rectification_report", D(2025, 11, 26), "2个月（期限规则第1版）", 1
    )
    assert due_date("clue_feedback", D(2025, 11, 30)) == Due(
        "clue_feedback", D(2026, 2, 28), "3个月（期限规则第1版）", 1
    )


def test_it_says_so_when_a_working_day_deadline_falls_in_an_unknown_year(db):
    with pytest.raises(UnknownYear, match="2027年的法定节假日和调休安排尚未录入"):
        due_date("rectification_plan", D(2026, 12, 21))
    # A calendar-month rule needs no holiday schedule.
    assert due_date("rectification_report", D(2026, 12, 21)).date == D(2027, 2, 21)


def test_it_refuses_a_warning_key_as_a_due_date(db):
    with pytest.raises(ValueError, match="warning_green"):
        due_date("warning_green", D(2026, 3, 2))


@pytest.mark.parametrize(
    ("today", "level"),
    [
        (D(2026, 4, 1), "red"),
        (D(2026, 3, 31), "yellow"),
        (D(2026, 3, 21), "yellow"),
        (D(2026, 3, 20), "green"),
        (D(2026, 3, 11), "green"),
        (D(2026, 3, 10), ""),
    ],
)
def test_it_turns_green_then_yellow_then_red(db, today, level):
    assert warning_thresholds() == (20, 10)
    assert warning_level(D(2026, 3, 31), today) == level


def test_it_takes_thresholds_read_once_for_a_list(db, django_assert_num_queries):
    thresholds = warning_thresholds()
    with django_assert_num_queries(0):
        levels = [
            warning_level(D(2026, 3, 31), D(2026, 3, d), thresholds=thresholds) for d in (1, 15, 25)
        ]
    assert levels == ["", "green", "yellow"]


def test_it_creates_a_new_version_and_keeps_the_old_one(alice):
    rs = ruleset_create_version(
        actor=alice,
        changes={
            "rectification_plan": (20, "working_days"),
            "warning_yellow": (7, "calendar_days"),
        },
        note="依据新规定调整",
    )
    v1 = DeadlineRuleSet.objects.get(version=1)
    assert rs.version == 2 and rs.active and rs.created_by == alice and not v1.active
    assert active_rule_set() == rs
    assert rules_of(v1)["rectification_plan"].amount == 15  # the old version is untouched
    assert {k: (r.amount, r.unit) for k, r in rules_of(rs).items()} == DEFAULTS | {
        "rectification_plan": (20, "working_days"),
        "warning_yellow": (7, "calendar_days"),
    }
    assert warning_thresholds() == (20, 7)
    event = AuditEvent.objects.get(action="deadlines.ruleset.create")
    assert event.actor_username == "alice"
    assert event.before["rules"]["rectification_plan"] == {"amount": 15, "unit": "working_days"}
    assert event.after["rules"]["rectification_plan"] == {"amount": 20, "unit": "working_days"}


def test_a_new_version_never_moves_a_date_already_set(alice):
    feedback = D(2026, 3, 2)
    stored = due_date("rectification_plan", feedback)  # what a caller keeps on its own row
    kept = dataclasses.replace(stored)
    ruleset_create_version(
        actor=alice, changes={"rectification_plan": (1, "months")}, note="改按月计算"
    )
    again = due_date("rectification_plan", feedback)
    assert again == Due("rectification_plan", D(2026, 4, 2), "1个月（期限规则第2版）", 2)
    assert (
        stored
        == kept
        == Due("rectification_plan", D(2026, 3, 23), "15个工作日（期限规则第1版）", 1)
    )
    # The old version still computes the old way when asked for explicitly.
    v1 = DeadlineRuleSet.objects.get(version=1)
    assert due_date("rectification_plan", feedback, rule_set=v1) == stored


@pytest.mark.parametrize(
    ("changes", "note", "message"),
    [
        ({}, "无变化", "与现行的第1版相同，无需新建版本。"),
        (
            {"rectification_plan": (15, "working_days")},
            "无变化",
            "与现行的第1版相同，无需新建版本。",
        ),
        ({"rectification_plan": (0, "working_days")}, "x", "“整改方案报送”的期限须在1至400之间。"),
        ({"clue_feedback": (401, "months")}, "x", "“问题线索处置情况反馈”的期限须在1至400之间。"),
        ({"rectification_report": (2, "weeks")}, "x", "“整改情况报告报送”的单位“weeks”无效。"),
        (
            {"warning_green": (1, "months")},
            "x",
            "“整改事项提醒”按到期前的自然日计算，单位只能是“天”。",
        ),
        (
            {"warning_yellow": (20, "calendar_days")},
            "x",
            "黄色预警（到期前20天）须晚于提醒（到期前20天）开始。",
        ),
        ({"deadline_x": (5, "months")}, "x", "没有期限规则“deadline_x”。"),
        ({"rectification_plan": (10, "working_days")}, "  ", "请填写修订说明。"),
    ],
)
def test_it_refuses_a_bad_version_and_writes_nothing(alice, changes, note, message):
    with pytest.raises(ValidationError) as e:
        ruleset_create_version(actor=alice, changes=changes, note=note)
    assert message in e.value.messages
    assert list(DeadlineRuleSet.objects.values_list("version", "active")) == [(1, True)]
    assert DeadlineRule.objects.count() == 5
    assert not AuditEvent.objects.filter(action__startswith="deadlines.").exists()


def test_a_body_s_own_version_holds_for_that_body_only(alice):
    from xunshi.accounts.actors import SYSTEM
    from xunshi.registry.actions import body_create

    province = alice.body
    county = body_create(actor=SYSTEM, name="中共兰考县委", level="county", parent=None)
    rs = ruleset_create_version(
        actor=alice,
        changes={"rectification_plan": (20, "working_days")},
        note="省委巡视办调整整改方案报送期限",
        body_id=province.pk,
    )
    assert rs.version == 2 and rs.body == province
    feedback = D(2025, 9, 26)
    assert due_date("rectification_plan", feedback, body_id=province.pk).rule_text == (
        "20个工作日（期限规则第2版）"
    )
    # The county has no version of its own: the deployment's first version still holds.
    assert due_date("rectification_plan", feedback, body_id=county.pk).rule_text == (
        "15个工作日（期限规则第1版）"
    )
    assert due_date("rectification_plan", feedback).version == 1
    assert DeadlineRuleSet.objects.get(version=1, body__isnull=True).active

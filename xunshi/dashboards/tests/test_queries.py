"""The numbers of each dashboard table for the scene's known data (testsupport/dashboards)."""

from __future__ import annotations

import datetime as dt

from xunshi.dashboards.access import dashboard_scope
from xunshi.dashboards.queries import FIGURES
from xunshi.deadlines.rules import warning_level
from xunshi.testsupport.dashboards import DASH_TODAY


def _rows(scene, key, user="gina", **filters):  # type: ignore[no-untyped-def]
    chosen = {"round": None, "year": None} | filters
    scope = dashboard_scope(scene.world.users[user], today=DASH_TODAY, **chosen)
    return FIGURES[key](scope).rows


def test_it_counts_coverage_by_sector(scene):
    assert _rows(scene, "coverage") == [
        ["市级党委", 1, 0, 1, 0.0],
        ["县（市、区）", 2, 1, 1, 50.0],
        ["省直单位", 1, 0, 1, 0.0],
        ["省管企业", 1, 0, 1, 0.0],
        ["高校", 1, 0, 1, 0.0],
        ["金融机构", 1, 0, 1, 0.0],
        ["医院", 1, 0, 1, 0.0],
        ["群团组织", 1, 0, 1, 0.0],
    ]


def test_it_counts_problems_by_first_level_and_by_sector(scene):
    focus = "十届省委第六轮巡视监督重点"
    assert _rows(scene, "problems_taxonomy") == [
        ["集中整治形式主义、官僚主义问题", focus, 2],
        ["解决关系群众切身利益实际问题情况", focus, 2],
    ]
    assert _rows(scene, "problems_sector") == [["县（市、区）", 1, 4], ["省直单位", 1, 0]]


def test_it_follows_the_ledger_month_by_month_with_the_colours_of_warning_level(scene):
    rows = {r[0]: r[1:] for r in _rows(scene, "rectification")}
    assert list(rows) == [f"2026年{m}月" for m in range(1, 13)]
    assert rows["2026年10月"] == [0, 0, 0, 0, 0, 0, 0]
    # opened, closed, open at the month's end, red, yellow, green, no warning
    assert rows["2026年11月"] == [4, 1, 3, 1, 0, 1, 1]
    assert rows["2026年12月"] == [0, 0, 3, 1, 1, 0, 1]
    # The same colours as warning_level gives each open item on those days.
    for day, month in [(dt.date(2026, 11, 30), "2026年11月"), (DASH_TODAY, "2026年12月")]:
        levels = [warning_level(i.deadline, day) for i in scene.items if i.closed_on is None]
        assert [levels.count(c) for c in ("red", "yellow", "green", "")] == rows[month][3:]


def test_it_ages_the_clues_by_recipient(scene):
    assert _rows(scene, "clue_disposal") == [["纪委监委", 3, 1, 1, 0, 1], ["组织部", 1, 0, 0, 1, 0]]
    assert _rows(scene, "clue_ageing") == [["纪委监委", 1, 0, 1, 0, 0], ["组织部", 1, 1, 0, 0, 0]]


def test_it_counts_petitions_by_channel_and_category(scene):
    assert _rows(scene, "petitions_channel") == [
        ["来信", 5],
        ["来电", 1],
        ["来访", 1],
        ["意见箱", 0],
        ["网络举报", 0],
        ["转交", 0],
    ]
    assert _rows(scene, "petitions_category") == [
        ["反映领导干部问题", 0],
        ["选人用人问题", 1],
        ["违反中央八项规定精神问题", 1],
        ["形式主义、官僚主义问题", 0],
        ["侵害群众利益问题", 1],
        ["意识形态问题", 0],
        ["其他问题", 0],
        ["未分类", 4],
    ]


def test_it_counts_each_teams_work_in_the_round(scene):
    assert _rows(scene, "workloads", round=scene.world.round) == [
        ["第一巡视组", "王建国", 1, 1, 4, 4],
        ["第二巡视组", "张志强", 1, 0, 3, 0],
    ]


def test_a_year_without_rounds_counts_nothing(scene):
    assert _rows(scene, "problems_sector", year=2025) == []
    assert _rows(scene, "workloads", year=2025) == []
    assert len(_rows(scene, "rectification", year=2025)) == 12
    assert _rows(scene, "problems_sector", year=2026) == [
        ["县（市、区）", 1, 4],
        ["省直单位", 1, 0],
    ]

"""The coverage page, its forecast and the round page cost the same number of queries whatever
the size of the registry or the round: counts and pages in SQL, no query per row."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.registry import actions as reg
from xunshi.rounds import actions
from xunshi.testsupport.lifecycle import set_stage


def _grow_registry(world, n: int, start: int) -> None:
    """n townships, each with two villages, and n departments; every other department
    inspected and closed in an earlier term's round, so both parts of the uncovered list fill."""
    term = reg.term_create(
        actor=SYSTEM,
        body=world.body,
        name=f"旧届{start}",
        start=dt.date(2012, 1, 1) + dt.timedelta(days=start),
        end=dt.date(2016, 12, 31) + dt.timedelta(days=start),
    )
    rnd = actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=term,
        ordinal=1,
        name=f"旧届{start}第一轮",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=50,
    )
    team = actions.team_create(actor=SYSTEM, round=rnd, number=1, rule_set=world.team1.rule_set)

    def org(code: str, name: str, sector: str, **kw):  # type: ignore[no-untyped-def]
        data = reg.OrgInput(code=code, name=name, sector=sector, **kw)
        return reg.org_upsert(actor=SYSTEM, body=world.body, data=data)[0]

    for k in range(start, start + n):
        org(f"T{k:04d}", f"第{k}镇", "township")
        for v in range(2):
            org(f"V{k:04d}{v}", f"第{k}镇{v}村", "village", parent_code=f"T{k:04d}")
        dept = org(f"D{k:04d}", f"第{k}厅", "department")
        if k % 2:
            insp = actions.inspection_create(actor=SYSTEM, team=team, target=dept, kind="regular")
            set_stage(inspection=insp, stage="closed")


def _queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # warm: the session, the menu's caches
    with CaptureQueriesContext(connection) as q:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(q)


def _two_sizes(world, login, url_of, params=None, small=3, large=30):  # type: ignore[no-untyped-def]
    client = login(world.users["alice"])
    _grow_registry(world, small, 0)
    few = _queries(client, url_of(), params)
    _grow_registry(world, large, 1000)
    return few, _queries(client, url_of(), params)


def test_it_counts_coverage_in_the_same_queries_for_a_larger_registry(world, login):
    few, many = _two_sizes(world, login, lambda: reverse("coverage"))
    assert few == many


def test_it_pages_the_coverage_lists_with_the_other_list_kept(world, login):
    _grow_registry(world, 60, 0)
    client = login(world.users["alice"])
    html = client.get(reverse("coverage"), {"page": 2, "township_page": 2}).content.decode()
    # 60 townships, 50 a page: the second page of townships keeps the uncovered list's page.
    assert "第 2 / 2 页，共 60 条" in html
    assert f"term={world.term.pk}&amp;page=2&township_page=1" in html
    # The second page of the uncovered: 60 departments + 120 villages + 60 townships + 5.
    assert "第 2 / 5 页，共 245 条" in html


def test_it_forecasts_in_the_same_queries_for_a_larger_registry(world, login):
    params = {"term": world.term.pk, "capacity": 5, "rounds_per_year": 2, "round": "overflow"}
    few, many = _two_sizes(world, login, lambda: reverse("coverage_forecast"), params)
    assert few == many


def test_it_shows_a_round_in_the_same_queries_for_more_teams(world, login):
    client = login(world.users["alice"])
    url = reverse("round_detail", args=[world.round.pk])
    few = _queries(client, url)
    for number in range(3, 13):
        rules = actions.ruleset_create(actor=SYSTEM, name=f"纪律规定{number}", items=["不准"])
        actions.team_create(actor=SYSTEM, round=world.round, number=number, rule_set=rules)
    assert _queries(client, url) == few


def test_it_solves_a_forecast_in_the_same_queries_for_a_larger_registry(world, login):
    """The first reader of new inputs solves the term and keeps it, in the same queries
    whatever the registry's size (the next readers read it kept, the test above)."""
    client = login(world.users["alice"])
    url = reverse("coverage_forecast")
    client.get(url)  # warm: the session, the menu's caches
    counts = []
    for n, start in ((3, 0), (30, 1000)):
        _grow_registry(world, n, start)
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, {"term": world.term.pk, "capacity": 5 + n}).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1]

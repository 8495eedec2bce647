"""The ledger's pages cost the same number of queries for 3 rows as for 30: the list of ledgers,
督办, one unit's ledger (with its look-back dropdown) and an item's forms. At national size
(20,000 ledgers, a million items) a query per row was what made them take seconds.

The rows come from a quick generator (the feedback world's round, more units, items and
progress written in bulk): what is measured is how the pages read, not how rows are made.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.rectification.ledger_views import ITEMS_PER_PAGE
from xunshi.rectification.models import (
    ItemStatus,
    ProgressReport,
    RectificationItem,
    SupervisionNotice,
)
from xunshi.registry import actions as reg
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Stage

from .conftest import PLAN, item_forms

TODAY = dt.date(2026, 11, 10)  # the clock fixture's day
# Overdue (red), due in five days (yellow), at the end of the year (no warning), closed.
_DEADLINES = [TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=5), dt.date(2026, 12, 31)]


def _items(inspection: Inspection, n: int, first: int = 1) -> list[RectificationItem]:
    items = [
        RectificationItem(
            inspection=inspection,
            seq=seq,
            title=f"问题{seq}",
            measures="逐项核查。",
            responsible_leader=["县长 李明", "副县长 王芳"][seq % 2],
            deadline=_DEADLINES[seq % 3],
            status=ItemStatus.CLOSED if seq % 4 == 0 else ItemStatus.IN_PROGRESS,
        )
        for seq in range(first, first + n)
    ]
    made = RectificationItem.objects.bulk_create(items)
    ProgressReport.objects.bulk_create(
        ProgressReport(item=item, reported_on=TODAY, text="已推进。") for item in made
    )
    return made


def _ledgers(world: Any, n: int, first: int = 0) -> None:
    """n more ledgers at the feedback, each with three items and a 督办函, on teams 1 and 2."""
    for k in range(first, first + n):
        org = reg.org_upsert(
            actor=SYSTEM,
            body=world.body,
            data=reg.OrgInput(code=f"G{k:03}", name=f"测试单位{k}", sector="department"),
        )[0]
        team = world.team1 if k % 2 else world.team2
        inspection = Inspection.objects.create(
            round=world.round, team=team, target=org, kind="regular", stage=Stage.FEEDBACK_GIVEN
        )
        items = _items(inspection, 3)
        notice = SupervisionNotice.objects.create(
            inspection=inspection, number=f"测督字第{k}号", issued_on=TODAY
        )
        notice.items.set(items)


def _queries(client: Any, url: str, marker: str) -> tuple[int, int]:
    """The number of queries of a page, and how many times the marker shows on it."""
    client.get(url)  # sessions and caches warm
    with CaptureQueriesContext(connection) as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen), response.content.decode().count(marker)


@pytest.mark.parametrize(
    ("user", "page", "marker"),
    [
        ("alice", "ledger_home", 'href="/rectification/'),
        ("bob", "ledger_home", 'href="/rectification/'),
        ("alice", "supervision", 'class="card unit"'),
        ("gina", "supervision", 'class="card unit"'),
    ],
)
def test_the_lists_cost_the_same_queries_for_3_and_30_ledgers(
    feedback, clock, login, user, page, marker
):
    client = login(feedback.users[user])
    url = reverse(page)
    _ledgers(feedback, 3)
    few, shown_few = _queries(client, url, marker)
    _ledgers(feedback, 27, first=3)
    many, shown_many = _queries(client, url, marker)
    assert shown_many > shown_few
    assert many == few


def _later_teams(world: Any, n: int, first: int = 2) -> None:
    """Rounds after the world's, one team each: the look-back dropdown's choices."""
    for ordinal in range(first, first + n):
        later = rnd.round_create(
            actor=SYSTEM,
            body=world.body,
            term=world.term,
            ordinal=ordinal,
            name=f"十一届省委第{ordinal}轮巡视",
            kind="regular",
            sector_mode="mixed",
            start=dt.date(2027, 1, 1) + dt.timedelta(days=30 * ordinal),
            end=dt.date(2027, 1, 20) + dt.timedelta(days=30 * ordinal),
        )
        rnd.team_create(actor=SYSTEM, round=later, number=1, rule_set=world.team1.rule_set)


@pytest.mark.parametrize("user", ["alice", "erin"])
def test_a_units_ledger_costs_the_same_queries_for_3_and_30_items(feedback, clock, login, user):
    """The office's ledger with its look-back dropdown (a team a choice), the liaison's with
    every item's forms to fetch: 3 items and 1 later team, then 30 items (20 on the first page)
    and 5 later teams."""
    w = feedback
    client = login(w.users[user])
    inspection = w.inspection1
    inspection.rectification_items.all().delete()
    _items(inspection, 3)
    _later_teams(w, 1)
    url = reverse("ledger", args=[inspection.pk])
    marker = 'class="card item"'
    few, shown_few = _queries(client, url, marker)
    _items(inspection, 27, first=4)
    _later_teams(w, 4, first=3)
    many, shown_many = _queries(client, url, marker)
    assert (shown_few, shown_many) == (3, ITEMS_PER_PAGE)
    assert many == few
    if user == "alice":
        html = client.get(url).content.decode()
        assert len(re.findall(r'<option value="\d', html)) == 5  # the later rounds' teams
    else:
        # The second page shows the rest; an item's forms, fetched, carry its plan.
        html = client.get(url, {"page": 2}).content.decode()
        assert html.count(marker) == 30 - ITEMS_PER_PAGE
        assert "保存整改措施" not in html and "hx-get" in html
        last = inspection.rectification_items.get(seq=30)
        assert "保存整改措施" in item_forms(client, last)
        # Without htmx the forms are a page of their own, which leads back to the item.
        alone = client.get(reverse("item_forms", args=[last.pk])).content.decode()
        assert "保存整改措施" in alone and 'href="/rectification/' in alone
        assert f"{url}?page=2#item-30" in alone
        # A saved plan goes back to the item on its page.
        plan = {f"plan-{last.pk}-{k}": v for k, v in PLAN.items()}
        response = client.post(reverse("item_plan", args=[last.pk]), plan)
        assert response["Location"] == f"{url}?page=2#item-30"

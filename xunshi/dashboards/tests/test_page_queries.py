"""The dashboards page costs the same number of queries for the scene as for ten times its
rows: every figure is one aggregate query (GROUP BY or filtered counts), two charts that read
the same rows share one. At national size (a million problems and ledger items) a loop over
rows, or a query per row, is what made the page take tens of seconds.

The page's figures are kept in the cache for a few minutes (`counted_figures`); the suite's
cache is DummyCache, so every request here counts afresh.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.fieldwork.models import Petition, WorkingPaper
from xunshi.findings.models import Clue, Problem
from xunshi.rectification.models import RectificationItem

URL = reverse("dashboard_home")


def _more(scene: Any, times: int) -> None:
    """Copies of the scene's problems (with their papers), ledger items, clues and petitions,
    with other days, channels and deadlines: more rows, more groups, the same charts."""
    for k in range(1, times + 1):
        for problem in scene.problems:
            paper = WorkingPaper.objects.get(pk=problem.paper_id)
            paper.pk = None
            paper.seq += 100 * k
            paper.number = f"{paper.number}-{k}"
            paper.save()
            problem.pk, problem.paper, problem.seq = None, paper, problem.seq + 100 * k
            problem.save()
        items = []
        for item in scene.items:
            item.pk, item.seq = None, item.seq + 100 * k
            if item.deadline:
                item.deadline += dt.timedelta(days=7 * k)
            items.append(item)
        RectificationItem.objects.bulk_create(items)
        clues = []
        for clue in scene.clues:
            clue.pk, clue.seq = None, clue.seq + 100 * k
            clue.transferred_on = dt.date(2026, 1 + k % 11, 1)
            clues.append(clue)
        Clue.objects.bulk_create(clues)
        petitions = []
        for petition in scene.petitions:
            petition.pk, petition.seq = None, petition.seq + 100 * k
            petition.channel = ["visit", "call", "letter", "email"][k % 4]
            petitions.append(petition)
        Petition.objects.bulk_create(petitions)


def _tables(html: str) -> list[str]:
    return re.findall(r'<table class="figures">.*?</table>', html, re.S)


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_queries_for_ten_times_the_rows(scene, login):
    client = login(scene.world.users["gina"])
    client.get(URL)  # the session's first read and write
    few = _queries(client)
    _more(scene, 9)
    assert Problem.objects.count() >= 10 * len(scene.problems)
    assert _queries(client) == few


def test_the_figures_are_counted_once_while_the_cache_keeps_them(scene, login, settings):
    caches = settings.CACHES
    settings.CACHES = {
        **caches,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    client = login(scene.world.users["gina"])
    first = client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(URL).content.decode()
    settings.CACHES = caches
    assert len(captured.captured_queries) < _queries(client) - 5
    # The same tables, and the time they were counted, on both.
    assert _tables(again) == _tables(first)
    assert _tables(first)
    assert "数据统计于" in first

"""The timing half of the province benchmark (`bench/province.py`): each page × role through
Django's test client, in one process, DEBUG off, on the database the generator filled.

Per case: sign in (a session like any other), one warm-up request, then `REQUESTS` timed ones
(wall time of `client.get`, middleware, view, queries and template included, and this
process's CPU time, which other work on the machine does not lengthen), then one more inside
`CaptureQueriesContext` for the number of queries and their summed database time. A
case whose answer is not 200, or lists nothing, stops the run: a fast error page would be a
false figure. Django must be set up before this module is imported.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.accounts.models import User
from xunshi.findings.models import Clue
from xunshi.lifecycle.models import StageChange
from xunshi.oversight.actions import figures_refresh
from xunshi.oversight.models import BodyFigures, Filing
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.registry.models import InspectingBody, OrgUnit, Sector, Term
from xunshi.rounds.models import Inspection, Round
from xunshi.testsupport.signin import force_login

from .province_data import LOGINS

__all__ = ["CASES", "Case", "Result", "as_dicts", "profile", "run", "sizes"]

REQUESTS = 20


@dataclass(frozen=True)
class Case:
    page: str  # what the table calls it
    url_name: str
    role: str  # a key of LOGINS
    query: str = ""  # built from the signed-in user by `_query`
    marker: str = ""  # a regular expression counting the page's rows
    kept: bool = False  # the oversight figures as the background count kept them


KEPT = ", figures kept by the background count"
BODIES, BEHIND = r'id="body-\d+"', r'id="behind-\d+"'
CHARTS = r'<section class="card dashboard"'
LEDGER_ROWS = r'href="/rectification/\d+/"'
DESK_ROWS, DESK_FIGURES = r'data-rule="', r'class="desk-figure'
CASES = [
    Case(
        "reference: the password form (no data)", "password_change", "county office", marker="<form"
    ),
    Case("/oversight/", "oversight_home", "province office", marker=BODIES),
    Case("/oversight/behind/", "oversight_behind", "province office", marker=BEHIND),
    Case("/oversight/", "oversight_home", "city office", marker=BODIES),
    Case("/oversight/behind/", "oversight_behind", "city office", marker=BEHIND),
    Case("village ledger", "village_ledger", "county office", marker=r"#item-\d+"),
    Case(
        "village ledger, one township, red",
        "village_ledger",
        "county office",
        query="township",
        marker=r"#item-\d+",
    ),
    Case("village ledger, last page", "village_ledger", "county office", "last", r"#item-\d+"),
    Case("village ledger", "village_ledger", "township liaison", marker=r"#item-\d+"),
    # dashboards: every chart of the own body's work, counted on the request (no kept figures)
    Case("/dashboards/", "dashboard_home", "province office", marker=CHARTS),
    Case("/dashboards/", "dashboard_home", "city office", marker=CHARTS),
    Case("/dashboards/", "dashboard_home", "county office", marker=CHARTS),
    Case("/oversight/" + KEPT, "oversight_home", "province office", marker=BODIES, kept=True),
    Case("/oversight/behind/" + KEPT, "oversight_behind", "province office", "", BEHIND, True),
    Case("/oversight/" + KEPT, "oversight_home", "city office", marker=BODIES, kept=True),
    Case("/oversight/behind/" + KEPT, "oversight_behind", "city office", "", BEHIND, True),
    # the rectification ledger's list and 督办 (issue 11's filters): all, then the red ones
    Case("/rectification/", "ledger_home", "province office", marker=LEDGER_ROWS),
    Case("/rectification/, red", "ledger_home", "province office", "?colour=red", LEDGER_ROWS),
    Case("/rectification/", "ledger_home", "county office", marker=LEDGER_ROWS),
    Case("/rectification/supervision/", "supervision", "province office", marker=LEDGER_ROWS),
    Case("/rectification/supervision/", "supervision", "county office", marker=LEDGER_ROWS),
    # desk: each person's home page (the rows of what waits, the strip of key figures)
    Case("/desk/", "desk_home", "province office", marker=DESK_ROWS),
    Case("/desk/", "desk_home", "city office", marker=DESK_ROWS),
    Case("/desk/", "desk_home", "county office", marker=DESK_ROWS),
    Case("/desk/", "desk_home", "township liaison", marker=DESK_FIGURES),
]


@dataclass
class Result:
    page: str
    role: str
    url: str
    rows: int
    median_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms: float  # the median CPU time of this process (Python, not the database server)
    queries: int
    sql_ms: float


def _query(case: Case) -> str:
    if case.query == "township":
        # The liaison's township (the county's with the most villages), its red items.
        town = User.objects.get(username=LOGINS["township liaison"]).org_id
        return f"?township={town}&level=red"
    if case.query == "last":
        return "?page=last"
    if case.query.startswith("?"):
        return case.query
    return ""


def _p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile (the 19th of 20)."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def run(
    requests: int = REQUESTS, *, only: str = "", log: Any = print
) -> tuple[list[Result], float | None]:
    """Time every case (those whose page or role contains `only`), in the order of CASES: the
    pages counting their figures themselves (no kept figures), then, after one background
    count (`figures_refresh`, its seconds returned), the oversight pages reading them."""
    out = []
    BodyFigures.objects.all().delete()
    refresh: float | None = None
    for case in CASES:
        if only not in f"{case.page} as {case.role}":
            continue
        if case.kept and refresh is None:
            started = time.perf_counter()
            n = figures_refresh()
            refresh = round(time.perf_counter() - started, 2)
            log(f"  background count of {n} bodies' figures: {refresh} s")
        user = User.objects.get(username=LOGINS[case.role])
        client = Client()
        force_login(client, user)
        url = reverse(case.url_name) + _query(case)
        first = client.get(url)
        if first.status_code != 200:
            raise SystemExit(f"{case.page} as {case.role}: HTTP {first.status_code}")
        rows = len(re.findall(case.marker, first.content.decode()))
        if not rows:
            raise SystemExit(f"{case.page} as {case.role}: the page lists nothing")
        times, cpu = [], []
        for _ in range(requests):
            started, used = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        result = Result(
            page=case.page,
            role=case.role,
            url=url,
            rows=rows,
            median_ms=round(statistics.median(times), 1),
            p95_ms=round(_p95(times), 1),
            max_ms=round(max(times), 1),
            cpu_ms=round(statistics.median(cpu), 1),
            queries=len(captured),
            sql_ms=round(sql, 1),
        )
        log(
            f"  {case.page} as {case.role}: median {result.median_ms} ms, p95 {result.p95_ms} ms,"
            f" {result.queries} queries ({result.sql_ms} ms in SQL), {rows} rows"
        )
        out.append(result)
    return out, refresh


def profile(top: int = 25, *, only: str = "") -> str:
    """Each case's slowest queries and the Python functions with the most own time, for the
    developer (`python -m bench.province profile`)."""
    report = io.StringIO()
    BodyFigures.objects.all().delete()
    for case in CASES:
        if only not in f"{case.page} as {case.role}":
            continue
        if case.kept and not BodyFigures.objects.exists():
            figures_refresh()
        user = User.objects.get(username=LOGINS[case.role])
        client = Client()
        force_login(client, user)
        url = reverse(case.url_name) + _query(case)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        report.write(f"\n=== {case.page} as {case.role} ({url})\n")
        for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]:
            report.write(f"{float(q['time']) * 1000:8.1f} ms  {q['sql'][:600]}\n")
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler, stream=report)
        stats.sort_stats("tottime").print_stats(top)
    return report.getvalue()


def sizes() -> dict[str, int]:
    """The rows of the province as the database holds them."""
    bodies = InspectingBody.objects
    return {
        "bodies": bodies.count(),
        "cities": bodies.filter(level="city").count(),
        "counties": bodies.filter(level="county").count(),
        "townships": OrgUnit.objects.filter(sector=Sector.TOWNSHIP).count(),
        "villages": OrgUnit.objects.filter(sector=Sector.VILLAGE).count(),
        "organizations": OrgUnit.objects.count(),
        "terms": Term.objects.count(),
        "rounds": Round.objects.count(),
        "inspections": Inspection.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "ledger_items": RectificationItem.objects.count(),
        "open_items": RectificationItem.objects.exclude(status=ItemStatus.CLOSED).count(),
        "clues": Clue.objects.count(),
        "filings": Filing.objects.count(),
    }


def as_dicts(results: list[Result]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]

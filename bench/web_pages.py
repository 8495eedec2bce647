"""The timing half of the pages' benchmark (`bench/web.py`): every main page, for every role
that may open it, through Django's test client in one process, DEBUG off, on the database
`bench/web_data.py` filled.

Which roles may open a page is read from the role matrix (`xunshi/web/tests/role_matrix.tsv`,
the row of the page inside the person's own scope): a role whose answer there is 200. Per
case: sign in with both factors passed (`xunshi/testsupport/signin.py`), one warm-up request
inside `CaptureQueriesContext` (the number of queries, their time in the database and the
slowest of them), then `requests` timed ones (the wall time of the whole `client.get`, and
this process's CPU time). A page whose warm-up takes longer than `SLOW_S` is timed
`SLOW_REQUESTS` times only, and one slower than `VERY_SLOW_S` once (said in its row), so that
a run of the national size on the shared machine stays within the hour. The slowest queries
of the whole run are then explained (EXPLAIN ANALYZE, BUFFERS). A case answering anything
but 200 (302 for a sign-in) is kept with its status and not timed: a fast error page would be
a false figure, and one broken page should not cost the run of the others. Django must be set
up before this module is imported.
"""

from __future__ import annotations

import csv
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xunshi.accounts.models import User
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.models import Petition, WorkingPaper
from xunshi.findings.models import Clue, Problem
from xunshi.lifecycle.models import StageChange
from xunshi.rectification.models import ItemStatus, RectificationItem
from xunshi.registry.models import Cadre, OrgUnit
from xunshi.rounds.models import Inspection, Round, Team
from xunshi.testsupport.signin import force_login

from .province_pages import _p95
from .web_data import LOGINS, PASSWORD
from .web_report import shape

__all__ = ["CASES", "Case", "Result", "cases", "explain", "run", "sizes"]

MATRIX = Path(__file__).resolve().parent.parent / "xunshi" / "web" / "tests" / "role_matrix.tsv"
# The test world's person in each role (the matrix's columns).
PEOPLE = {
    "alice": "office",
    "gina": "leading group",
    "bob": "team leader",
    "carol": "member",
    "erin": "liaison",
    "sam": "system admin",
    "sue": "security admin",
    "aud": "audit admin",
}
SLOW_S, SLOW_REQUESTS = 1.0, 2
VERY_SLOW_S = 10.0  # timed once only
EXPLAINED = 10


@dataclass(frozen=True)
class Case:
    page: str  # what the table calls it
    url_name: str
    on: str = ""  # "round", "team" or "inspection": the generated one the page is about
    query: str = ""
    method: str = "GET"
    only: str = ""  # one role instead of every role that may


CASES = [
    Case("reference: the password form (no data)", "password_change", only="office"),
    Case("desk 我的待办", "desk_home"),
    Case("coverage 全覆盖", "coverage"),
    Case("coverage forecast", "coverage_forecast"),
    Case("registry: organizations", "org_list"),
    Case("registry: organizations, searched", "org_list", query="?q=第1镇"),
    Case("registry: cadres", "cadre_list"),
    Case("rounds", "round_list"),
    Case("a round", "round_detail", on="round"),
    Case("a team", "team_detail", on="team"),
    Case("an inspection", "inspection_detail", on="inspection"),
    Case("an inspection's problems", "problem_list", on="inspection"),
    Case("an inspection's clues", "clue_list", on="inspection"),
    Case("an inspection's petitions", "petition_list", on="inspection"),
    Case("an inspection's working papers", "paper_list", on="inspection"),
    Case("an inspection's report", "report_page", on="inspection"),
    Case("ledger home 整改台账", "ledger_home"),
    Case("ledger home, red", "ledger_home", query="?colour=red"),
    Case("a unit's ledger", "ledger", on="inspection"),
    Case("supervision 督办", "supervision"),
    Case("overdue clues", "clue_overdue"),
    Case("oversight", "oversight_home"),
    Case("oversight: behind pace", "oversight_behind"),
    Case("dashboards 统计分析", "dashboard_home"),
    Case("audit trail", "audit_list"),
    Case("audit trail, one action", "audit_list", query="?action=inspections.stage"),
    Case("audit trail, one user", "audit_list", query="?actor=web_office"),
    Case("sign-in (POST)", "login", method="POST"),
]


def _allowed() -> dict[str, list[str]]:
    """Each URL name's roles that may open it in their own scope, from the role matrix."""
    out: dict[str, list[str]] = {}
    with MATRIX.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["method"] != "GET" or row["scope"] not in ("-", "own"):
                continue
            roles = [role for person, role in PEOPLE.items() if row[person] == "200"]
            out.setdefault(row["url_name"], roles)
    return out


def cases(only: str = "", shard: tuple[int, int] = (0, 1)) -> list[tuple[Case, str]]:
    """Every (case, role) to time, in the order of CASES; the sign-in as a person of a role
    with a second factor and as one without."""
    allowed = _allowed()
    out = []
    for case in CASES:
        if case.method == "POST":
            roles = ["office", "liaison"]
        else:
            roles = [case.only] if case.only else allowed.get(case.url_name, [])
        out += [(case, role) for role in roles if only in f"{case.page} as {role}"]
    k, n = shard
    return out[k::n]


@dataclass
class Result:
    page: str
    role: str
    url: str
    requests: int
    bytes: int
    median_ms: float
    p95_ms: float
    max_ms: float
    cpu_ms: float  # the median CPU time of this process (Python, not the database server)
    queries: int
    sql_ms: float
    status: int = 200
    slowest: list[tuple[float, str]] = field(default_factory=list)


def _url(case: Case, world: dict[str, int]) -> str:
    if case.on:
        return reverse(case.url_name, args=[world[case.on]]) + case.query
    return reverse(case.url_name) + case.query


def _signed_in(role: str) -> Client:
    client = Client(raise_request_exception=False)
    force_login(client, User.objects.get(username=LOGINS[role]))
    return client


# The sign-in's client: its handler (the middleware, whitenoise's file list) is loaded once, as
# a server's process loads it once; its cookies are cleared before each sign-in.
_SIGN_IN_CLIENT: list[Client] = []


def _sign_in(role: str, url: str) -> tuple[int, int]:
    """One sign-in through the login page, without cookies each time (as a person's browser
    would come); its status and size."""
    if not _SIGN_IN_CLIENT:
        _SIGN_IN_CLIENT.append(Client(raise_request_exception=False))
    client = _SIGN_IN_CLIENT[0]
    client.cookies.clear()
    answer = client.post(url, {"username": LOGINS[role], "password": PASSWORD})
    return answer.status_code, len(answer.content)


def _one(case: Case, role: str, url: str, client: Client) -> tuple[int, int]:
    if case.method == "POST":
        return _sign_in(role, url)
    answer = client.get(url)
    return answer.status_code, len(answer.content)


def run(
    world: dict[str, int],
    requests: int,
    *,
    only: str = "",
    shard: tuple[int, int] = (0, 1),
    log: Any = print,
) -> list[Result]:
    """Time every case (those whose page or role contains `only`)."""
    out = []
    for case, role in cases(only, shard):
        url = _url(case, world)
        client = _signed_in(role)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            status, size = _one(case, role, url, client)
        warm = time.perf_counter() - started
        # Read now: the next request empties the connection's log.
        timed = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        expected = 302 if case.method == "POST" else 200
        if status != expected:
            log(f"  {case.page} as {role} ({url}): HTTP {status}, not timed")
            out.append(Result(case.page, role, url, 0, size, 0, 0, 0, 0, 0, 0, status=status))
            continue
        n = min(requests, SLOW_REQUESTS) if warm > SLOW_S else requests
        n = min(n, 1) if warm > VERY_SLOW_S else n
        times, cpu = [], []
        for _ in range(n):
            started, used = time.perf_counter(), time.process_time()
            _one(case, role, url, client)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
        result = Result(
            page=case.page,
            role=role,
            url=url,
            requests=n,
            bytes=size,
            median_ms=round(statistics.median(times), 1),
            p95_ms=round(_p95(times), 1),
            max_ms=round(max(times), 1),
            cpu_ms=round(statistics.median(cpu), 1),
            queries=len(timed),
            sql_ms=round(sum(t for t, _ in timed), 1),
            slowest=sorted(timed, key=lambda q: -q[0])[:3],
        )
        log(
            f"  {case.page} as {role}: median {result.median_ms} ms, p95 {result.p95_ms} ms"
            f" ({n} requests), {result.queries} queries ({result.sql_ms} ms in SQL),"
            f" {size:,} bytes"
        )
        out.append(result)
    return out


def explain(results: list[Result], top: int = EXPLAINED) -> list[dict[str, Any]]:
    """The slowest distinct SELECTs of the run with where they came from and their plans."""
    seen, picked = set(), []
    every = [(ms, sql, r) for r in results for ms, sql in r.slowest]
    for ms, sql, r in sorted(every, key=lambda x: -x[0]):
        if not sql.lstrip().upper().startswith("SELECT") or shape(sql) in seen:
            continue
        seen.add(shape(sql))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        picked.append(
            {"ms": round(ms, 1), "case": f"{r.page} as {r.role}", "sql": sql, "plan": plan}
        )
        if len(picked) == top:
            break
    return picked


def as_dicts(results: list[Result]) -> list[dict[str, Any]]:
    return [{k: v for k, v in asdict(r).items() if k != "slowest"} for r in results]


def sizes() -> dict[str, int]:
    """The rows of the generated deployment as the database holds them."""
    today = timezone.localdate()
    items = RectificationItem.objects
    return {
        "organizations": OrgUnit.objects.count(),
        "cadres": Cadre.objects.count(),
        "rounds": Round.objects.count(),
        "teams": Team.objects.count(),
        "inspections": Inspection.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "working_papers": WorkingPaper.objects.count(),
        "problems": Problem.objects.count(),
        "ledger_items": items.count(),
        "red_items": items.exclude(status=ItemStatus.CLOSED).filter(deadline__lt=today).count(),
        "petitions": Petition.objects.count(),
        "clues": Clue.objects.count(),
        "overdue_clues": Clue.objects.filter(disposal="", disposal_due__lt=today).count(),
        "audit_events": AuditEvent.objects.count(),
    }

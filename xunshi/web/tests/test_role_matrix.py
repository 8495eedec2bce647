"""Every role against every URL and method, compared with the table kept in role_matrix.tsv.

Each URL with an object in it is tried on an object inside the user's scope ("own": team 1's
target 兰考县, its members, erin's organization) and one outside it ("other": 新县, team 2 …).
A URL missing from the table, or from OBJECTS below, fails the test. After a deliberate
change of the rules, regenerate the table with XUNSHI_WRITE_MATRIX=1 and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

TABLE = Path(__file__).with_name("role_matrix.tsv")
ROLES = ["alice", "gina", "bob", "carol", "dave", "erin", "sam", "sue", "aud", "anon"]
METHODS = ["GET", "POST"]
SKIP_PREFIXES = ("i18n/",)

W = Any
# url name → {scope: function(world) → kwargs}
OBJECTS: dict[str, dict[str, Callable[[W], dict[str, Any]]]] = {
    "org_detail": {"own": lambda w: {"pk": w.lankao.pk}, "other": lambda w: {"pk": w.xinxian.pk}},
    "org_edit": {"own": lambda w: {"pk": w.lankao.pk}, "other": lambda w: {"pk": w.xinxian.pk}},
    "cadre_detail": {
        "own": lambda w: {"pk": w.cadres["carol"].pk},
        "other": lambda w: {"pk": w.cadres["hong"].pk},
    },
    "cadre_edit": {
        "own": lambda w: {"pk": w.cadres["carol"].pk},
        "other": lambda w: {"pk": w.cadres["hong"].pk},
    },
    "round_detail": {"own": lambda w: {"pk": w.round.pk}},
    "team_create": {"own": lambda w: {"pk": w.round.pk}},
    "team_detail": {"own": lambda w: {"pk": w.team1.pk}, "other": lambda w: {"pk": w.team2.pk}},
    "membership_add": {"own": lambda w: {"pk": w.team1.pk}, "other": lambda w: {"pk": w.team2.pk}},
    "inspection_create": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "branch_establish": {
        "own": lambda w: {"pk": w.team1.pk},
        "other": lambda w: {"pk": w.team2.pk},
    },
    "inspection_detail": {
        "own": lambda w: {"pk": w.inspection1.pk},
        "other": lambda w: {"pk": w.inspection2.pk},
    },
    "pledge_sign": {
        "own": lambda w: {"pk": w.team1.memberships.get(cadre__code="C002").pk},
        "other": lambda w: {"pk": w.team2.memberships.get(cadre__code="C003").pk},
    },
    "user_toggle": {"-": lambda w: {"pk": w.users["gina"].pk}},
    "user_grant": {"-": lambda w: {"pk": w.users["gina"].pk}},
    "import_template": {"-": lambda w: {"kind": "orgs"}},
    "export": {"-": lambda w: {"kind": "orgs"}},
    "import_job": {"-": lambda w: {"pk": _job(w).pk}},
    "import_job_progress": {"-": lambda w: {"pk": _job(w).pk}},
    "round_plan": {"own": lambda w: {"pk": w.round.pk}},
    **{
        name: {"-": lambda w: {"pk": _plan(w).pk}}
        for name in [
            "plan_job",
            "plan_job_progress",
            "plan_job_stop",
            "plan_check",
            "plan_accept",
            "plan_export_xlsx",
            "plan_export_docx",
        ]
    },
}


def _job(w: W) -> Any:
    from xunshi.registry.models import ImportJob

    job = ImportJob.objects.order_by("pk").first()
    assert job is not None, "the world fixture of this test makes one import job"
    return job


def _plan(w: W) -> Any:
    """A solved plan of one team for 新县 in a second round, made on first use (it runs the
    solver, which only the planning URLs need)."""
    import datetime as dt

    from xunshi.audit.chain import SYSTEM
    from xunshi.rounds import actions
    from xunshi.rounds.models import PlanningJob
    from xunshi.rounds.planning import RoundParams

    job = PlanningJob.objects.order_by("pk").first()
    if job is None:
        rnd = actions.round_create(
            actor=SYSTEM,
            body=w.body,
            term=w.term,
            ordinal=2,
            name="十一届省委第二轮巡视",
            kind="regular",
            sector_mode="mixed",
            start=dt.date(2027, 3, 1),
            end=dt.date(2027, 4, 30),
        )
        job = actions.planning_job_create(
            actor=w.users["alice"],
            round=rnd,
            params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=10),
            targets=[w.xinxian],
        )
    return job


def _names(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            if not route.startswith(SKIP_PREFIXES):
                yield p.name, route


def url_names() -> list[str]:
    return sorted({name for name, _ in _names(get_resolver().url_patterns)})


def _read_table() -> dict[tuple[str, str, str], list[str]]:
    table = {}
    for line in TABLE.read_text().splitlines()[1:]:
        if line.strip():
            name, scope, method, *codes = line.split("\t")
            table[(name, scope, method)] = codes
    return table


def _observe(world: W, name: str) -> dict[tuple[str, str, str], list[str]]:
    rows = {}
    for scope, make in OBJECTS.get(name, {"-": lambda w: {}}).items():
        url = reverse(name, kwargs=make(world))
        for method in METHODS:
            codes = []
            for role in ROLES:
                client = Client()
                if role != "anon":
                    client.force_login(
                        world.users[role], backend="django.contrib.auth.backends.ModelBackend"
                    )
                response = client.get(url) if method == "GET" else client.post(url, {})
                codes.append(str(response.status_code))
            rows[(name, scope, method)] = codes
    return rows


@pytest.fixture
def matrix_world(world: W) -> W:
    from xunshi.registry.models import ImportJob

    # One finished import job made by the office, for the job pages.
    ImportJob.objects.create(
        kind="orgs", original_name="单位.xlsx", created_by=world.users["alice"], status="succeeded"
    )
    return world


@pytest.mark.parametrize("name", url_names())
def test_it_gives_every_role_the_expected_status(matrix_world: W, name: str) -> None:
    observed = _observe(matrix_world, name)
    if os.environ.get("XUNSHI_WRITE_MATRIX"):
        out = Path(os.environ.get("XUNSHI_MATRIX_DIR", "/tmp")) / f"matrix-{name}.tsv"
        out.write_text("".join("\t".join([*k, *v]) + "\n" for k, v in observed.items()))
        return
    table = _read_table()
    for key, codes in observed.items():
        assert key in table, f"{key} is missing from role_matrix.tsv"
        expected = dict(zip(ROLES, table[key], strict=True))
        got = dict(zip(ROLES, codes, strict=True))
        wrong = {r: (expected[r], got[r]) for r in ROLES if expected[r] != got[r]}
        assert not wrong, f"{key}: role → (expected, got) {wrong}"


def test_it_lists_every_url_in_the_table() -> None:
    listed = {name for name, _, _ in _read_table()}
    missing = set(url_names()) - listed
    assert not missing, f"URLs missing from role_matrix.tsv: {sorted(missing)}"

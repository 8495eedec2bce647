"""The role matrix's body dimension: every URL with a record in it, tried by the office and the
leading group of the record's own body, of the bodies above it, and of a sibling body, compared
with the table kept in body_matrix.tsv.

The test world's body becomes county A (中共兰考县委) under 开封市委 under a province, as in
the body crawl (`_bodies` of test_body_crawl.py); its records are the "own" objects of the role
matrix (team 1's inspection of 兰考县 and everything recorded in it). The columns:

- own: alice (A's office), gina (A's leading group);
- lower (the record is a lower body's): the city's office and leading group, the province's
  office;
- other (a sibling body's record): county B's (杞县) office and leading group.

A higher body reads a lower body's work only as the summaries reported up (the oversight
pages, tested in xunshi/oversight/tests), so "lower" must read as "other" here: 404 on every
record, 403 where the capability itself is missing. The oversight URLs are left out: their
records are filings and bodies, whose "own" is a body above, not the record's own body. After a
deliberate change of the rules, regenerate with XUNSHI_WRITE_MATRIX=1 (the rows land in
XUNSHI_MATRIX_DIR, /tmp by default, one file per URL) and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from xunshi.accounts.models import Role

from .test_body_crawl import _bodies, _office
from .test_role_matrix import OBJECTS, matrix_world, url_names

__all__ = ["matrix_world"]  # the role matrix's world, used as a fixture here

TABLE = Path(__file__).with_name("body_matrix.tsv")
COLUMNS = [
    ("own", "alice"),
    ("own", "gina"),
    ("lower", "city"),
    ("lower", "city_lead"),
    ("lower", "province"),
    ("other", "county_b"),
    ("other", "county_b_lead"),
]
METHODS = ["GET", "POST"]
NAMES = [
    name
    for name in url_names()
    if "own" in OBJECTS.get(name, {}) and not name.startswith(("oversight_", "filing_", "point_"))
]


@pytest.fixture
def body_world(matrix_world: Any) -> dict[str, Any]:
    linked = _bodies(matrix_world)
    users = dict(linked["users"])
    county_b = linked["round_b"].body
    users["county_b_lead"] = _office("qixian_ld", county_b, Role.LEADING_GROUP)
    users["alice"] = matrix_world.users["alice"]
    users["gina"] = matrix_world.users["gina"]
    return {"world": matrix_world, "users": users}


def _observe(bw: dict[str, Any], name: str) -> dict[tuple[str, str], list[str]]:
    url = reverse(name, kwargs=OBJECTS[name]["own"](bw["world"]))
    rows = {}
    for method in METHODS:
        codes = []
        for _, who in COLUMNS:
            client = Client()
            client.force_login(
                bw["users"][who], backend="django.contrib.auth.backends.ModelBackend"
            )
            response = client.get(url) if method == "GET" else client.post(url, {})
            codes.append(str(response.status_code))
        rows[(name, method)] = codes
    return rows


def _read_table() -> dict[tuple[str, str], list[str]]:
    table = {}
    for line in TABLE.read_text().splitlines()[1:]:
        if line.strip():
            name, method, *codes = line.split("\t")
            table[(name, method)] = codes
    return table


@pytest.mark.parametrize("name", NAMES)
def test_a_body_reads_only_its_own_records(body_world: dict[str, Any], name: str) -> None:
    observed = _observe(body_world, name)
    if os.environ.get("XUNSHI_WRITE_MATRIX"):
        out = Path(os.environ.get("XUNSHI_MATRIX_DIR", "/tmp")) / f"bodymatrix-{name}.tsv"
        out.write_text("".join("\t".join([*k, *v]) + "\n" for k, v in observed.items()))
        return
    table = _read_table()
    heads = [f"{dim}:{who}" for dim, who in COLUMNS]
    for key, codes in observed.items():
        assert key in table, f"{key} is missing from body_matrix.tsv"
        wrong = {h: (e, g) for h, e, g in zip(heads, table[key], codes, strict=True) if e != g}
        assert not wrong, f"{key}: column → (expected, got) {wrong}"


def test_no_lower_or_other_body_reads_a_record() -> None:
    """The table itself: wherever A's own office or leading group reads a record (200), the
    bodies above and the sibling get 404 or 403, never the record."""
    leaks = [
        (name, method, f"{dim}:{who}={code}")
        for (name, method), codes in _read_table().items()
        for (dim, who), code in zip(COLUMNS, codes, strict=True)
        if dim != "own" and code not in ("403", "404", "405")
    ]
    assert not leaks, f"a body reads another body's record: {leaks}"


def test_it_lists_every_url_with_a_record_in_the_table() -> None:
    listed = {name for name, _ in _read_table()}
    missing = set(NAMES) - listed
    assert not missing, f"URLs missing from body_matrix.tsv: {sorted(missing)}"

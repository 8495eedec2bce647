"""The liaison's crawl, through the API: with erin's token every read operation is called on
every id of the case's records (the world of the pages' crawl, its markers planted in talks,
petitions, papers, clues, the report and a team's file); no answer carries a marker, and the
crawl did reach her ledger and its problem's wording, which she may read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine

from xunshi.api.actions import token_create
from xunshi.api.api import api
from xunshi.web.tests.test_liaison_crawl import MARKERS, PROBLEM, _ids, _plant


def _read_paths() -> list[str]:
    """Every GET path of the document, `{pk}` still in it."""
    document = api.get_openapi_schema(path_prefix="/api/v1")
    return [path for path, ops in document["paths"].items() if "get" in ops]


def test_it_shows_the_liaison_nothing_confidential_through_the_api(world: Any, client: Any) -> None:
    _plant(world)
    _token, secret = token_create(actor=world.users["erin"], name="爬取", scope="read", days=1)
    ids = _ids()
    paths = _read_paths()
    assert len(paths) >= 12
    answers: dict[str, tuple[int, bytes]] = {}
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0), tick=False):
        for path in paths:
            urls = [path.replace("{pk}", str(i)) for i in ids] if "{pk}" in path else [path]
            for url in urls:
                answer = client.get(url + "?limit=100", HTTP_AUTHORIZATION=f"Bearer {secret}")
                answers[url] = (answer.status_code, answer.content)
    for url, (status, body) in answers.items():
        assert status < 500, url
        for name, marker in MARKERS.items():
            assert marker.encode() not in body, f"{name} marker on {url} ({status})"
    ok = {url for url, (status, _) in answers.items() if status == 200}
    ledger = f"/api/v1/inspections/{world.inspection1.pk}/ledger"
    assert ledger in ok and PROBLEM in answers[ledger][1].decode()  # as written, not \\u-escaped
    assert f"/api/v1/inspections/{world.inspection1.pk}/problems" not in ok
    assert f"/api/v1/orgs/{world.lankao.pk}" in ok

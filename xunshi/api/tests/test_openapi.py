"""The OpenAPI document validates, and schemathesis finds no 5xx and no answer outside the
document: every operation, with generated requests (a bounded number), for a token of the
office and of a team member in a world past the feedback (problems and a ledger to read)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate

from xunshi.api.actions import token_create
from xunshi.rectification.models import RectificationItem

W = Any
# Each operation's examples per token and pass: 15 operations × 2 passes × 2 tokens × this.
EXAMPLES = 5


def test_it_serves_a_valid_openapi_document(client: Any) -> None:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "/api/v1/inspections/{pk}/stage" in document["paths"]


def test_it_serves_the_docs_page_without_a_cdn(client: Any) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def _on_the_world(world: W, document: dict[str, Any]) -> dict[str, Any]:
    """The document with each path's id narrowed to one record of the world (generated ids
    are mostly outside it, 404): the second pass tries every operation on data it may read."""
    item = RectificationItem.objects.filter(inspection=world.inspection1).order_by("seq").first()
    assert item is not None
    ids = {
        "/api/v1/orgs/": world.lankao.pk,
        "/api/v1/cadres/": world.cadres["carol"].pk,
        "/api/v1/rounds/": world.round.pk,
        "/api/v1/inspections/": world.inspection1.pk,
        "/api/v1/ledger/items/": item.pk,
    }
    narrowed = copy.deepcopy(document)
    for path, operations in narrowed["paths"].items():
        pk = next((v for prefix, v in ids.items() if path.startswith(prefix)), None)
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "pk" and pk is not None:
                    parameter["schema"] = {"type": "integer", "enum": [pk]}
    return narrowed


def _run(operation: Any, headers: dict[str, str], counts: dict[int, int], label: str) -> None:
    """Generated requests for one operation, each answer checked against the document."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        response = case.call_and_validate(headers=headers)
        counts[response.status_code] = counts.get(response.status_code, 0) + 1

    try:
        call()
    except Exception as exc:  # name the operation and the token with the failure
        raise AssertionError(f"{label}: {exc}") from exc


@contextmanager
def wsgi_in_the_test_transaction() -> Iterator[WSGIHandler]:
    """Django's WSGI app answering inside the test's transaction: like Django's test client,
    it keeps the connection open between requests (the test client connects the signal again
    after each of its own requests, so nothing else may run a request meanwhile)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    feedback: W, client: Any
) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = [document, _on_the_world(feedback, document)]
    with wsgi_in_the_test_transaction() as app:
        statuses = _generated_requests(schemas, app, feedback)
    # The run reached data for both (not only refusals), and refused what it had to.
    assert statuses["alice"].get(200, 0) > 20 and statuses["carol"].get(200, 0) > 20, statuses
    assert statuses["carol"].get(403, 0) > 0, statuses  # a team member files no ledger progress


def _generated_requests(
    documents: list[dict[str, Any]], app: WSGIHandler, world: W
) -> dict[str, dict[int, int]]:
    operations = []
    for document in documents:
        schema = schemathesis.openapi.from_dict(document)
        schema.app = app
        operations += [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    started = time.monotonic()
    statuses: dict[str, dict[int, int]] = {"alice": {}, "carol": {}}
    for who in ("alice", "carol"):
        _token, secret = token_create(
            actor=world.users[who], name="schemathesis", scope="write", days=1
        )
        headers = {"Authorization": f"Bearer {secret}"}
        for operation in operations:
            _run(operation, headers, statuses[who], label=f"{who}: {operation.label}")
    # Not a timing test: the figure is shown with -s, for the report.
    elapsed = round(time.monotonic() - started, 1)
    print(json.dumps({"operations": len(operations), "seconds": elapsed, "statuses": statuses}))
    return statuses

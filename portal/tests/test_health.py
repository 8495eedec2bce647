"""The portal's `/healthz` (issue 12, item 11): database and disk, no cookie, no figures."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_answers_200_with_nothing_but_the_verdict() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "failed": []}
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_it_answers_503_naming_the_disk_below_its_threshold(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_HEALTH_DISK_MIN_MB = 2**40
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "fail", "failed": ["disk"]}

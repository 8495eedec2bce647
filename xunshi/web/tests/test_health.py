"""`/healthz` (issue 12, item 11): what a load balancer asks, with no login, no case data, no
write; 503 naming the check that failed (a stale worker heartbeat, an unreachable portal, a
full disk)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.intake.actions import portal_pull
from xunshi.intake.models import PortalCursor
from xunshi.jobs.heartbeat_actions import heartbeat_beat

pytestmark = pytest.mark.django_db


def _health(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/healthz")
    assert response["Content-Type"] == "application/json"
    if client is None:  # a monitor gets no session
        assert not response.cookies
    return response.status_code, json.loads(response.content)


def _all_well() -> None:
    """The worker beat just now and the puller reached the portal just now."""
    heartbeat_beat(name="worker")
    # The pull's own row, as a successful round leaves it (the real pull needs a portal).
    PortalCursor.objects.update_or_create(
        pk=1, defaults={"pulled_at": timezone.now(), "pull_error": ""}
    )


def test_it_answers_200_when_all_is_well_without_a_login_or_an_audit_event():
    _all_well()
    events = AuditEvent.objects.count()
    status, body = _health()
    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "worker", "portal", "disk"}
    assert AuditEvent.objects.count() == events


def test_it_answers_503_naming_the_worker_when_its_heartbeat_is_stale(settings):
    _all_well()
    later = timezone.now() + dt.timedelta(seconds=settings.XUNSHI_HEALTH_WORKER_SECONDS + 60)
    PortalCursor.objects.filter(pk=1).update(pulled_at=later)
    with time_machine.travel(later, tick=False):
        status, body = _health()
    assert status == 503
    assert body["failed"] == ["worker"]
    assert "心跳已停止" in body["checks"]["worker"]["detail"]


def test_it_answers_503_when_the_worker_never_ran():
    PortalCursor.objects.update_or_create(
        pk=1, defaults={"pulled_at": timezone.now(), "pull_error": ""}
    )
    status, body = _health()
    assert (status, body["failed"]) == (503, ["worker"])


def test_it_answers_503_naming_the_portal_when_the_puller_cannot_reach_it(settings):
    _all_well()
    settings.XUNSHI_PORTAL_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    result = portal_pull(actor=SYSTEM)
    assert result.error
    status, body = _health()
    assert (status, body["failed"]) == (503, ["portal"])
    # The portal's address and the error's text stay out of the answer.
    assert "127.0.0.1" not in json.dumps(body)


def test_it_answers_503_when_the_puller_stopped(settings):
    _all_well()
    later = timezone.now() + dt.timedelta(seconds=settings.XUNSHI_HEALTH_PORTAL_SECONDS + 60)
    with time_machine.travel(later, tick=False):
        heartbeat_beat(name="worker")
        status, body = _health()
    assert (status, body["failed"]) == (503, ["portal"])


def test_it_answers_503_naming_the_disk_below_its_threshold(settings):
    _all_well()
    settings.XUNSHI_HEALTH_DISK_MIN_MB = 2**40  # more than any disk here
    status, body = _health()
    assert (status, body["failed"]) == (503, ["disk"])


def test_it_is_open_to_anyone_signed_in_or_not_and_refuses_a_post(world, login):
    _all_well()
    assert _health(login(world.users["aud"]))[0] == 200
    assert Client().post("/healthz").status_code == 405

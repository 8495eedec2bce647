"""The task worker's heartbeat, which `/healthz` reads (issue 12, item 11)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xunshi.jobs.queries import heartbeat_at


@pytest.mark.django_db(transaction=True)
def test_it_beats_while_the_worker_runs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    assert heartbeat_at("worker") is None
    # --batch: the worker stops once no task is left (here at once).
    call_command("jobs_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    assert heartbeat_at("worker") is not None

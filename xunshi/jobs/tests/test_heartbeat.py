"""The task worker's heartbeat, which `/healthz` reads (issue 12, item 11)."""

from __future__ import annotations

from django.core.management import call_command

from xunshi.jobs.queries import heartbeat_at


# Committed data: the worker closes its database connection when it stops.
def test_it_beats_when_the_worker_starts(committed, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    assert heartbeat_at("worker") is None
    # --batch: the worker stops once no task is left (here at once).
    call_command("jobs_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
    assert heartbeat_at("worker") is not None

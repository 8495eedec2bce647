"""The reminder round on the task worker (django-tasks): `manage.py reminders --every` runs it
beside the worker; only counts go to the log, never what a reminder is about."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from xunshi.accounts.actors import SYSTEM

from .actions import reminders_run

__all__ = ["reminders_task"]


@task()
def reminders_task() -> dict[str, Any]:
    """One round of reminders as the system; returns the counts."""
    run = reminders_run(actor=SYSTEM)
    return {
        "people": run.people,
        "created": run.created,
        "resolved": run.resolved,
        "mailed": run.mailed,
    }

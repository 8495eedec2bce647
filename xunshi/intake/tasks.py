"""The background round with the portal (django-tasks): pull, push, publish.

`manage.py portal_pull --every 60` runs it once a minute beside the worker; the office's
立即拉取 runs the same action in the request. Only counts and the Chinese error go to the log,
never anything a reporter wrote.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from xunshi.accounts.actors import SYSTEM

from .actions import portal_sync

__all__ = ["portal_sync_task"]

logger = logging.getLogger(__name__)


@task()
def portal_sync_task() -> dict[str, Any]:
    """One round with the portal as the system; returns the counts."""
    result = portal_sync(actor=SYSTEM)
    for error in result.errors:
        logger.warning("portal sync: %s", error)
    return {
        "pulled": result.pull.pulled,
        "routed": result.pull.routed,
        "unrouted": result.pull.unrouted,
        "unreadable": result.pull.unreadable,
        "pushed": result.push.pushed,
        "announcements": result.publish.announcements,
        "disclosures": result.publish.disclosures,
        "errors": result.errors,
    }

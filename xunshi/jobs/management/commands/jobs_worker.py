"""``manage.py jobs_worker``: django-tasks' ``db_worker`` (same arguments) with a heartbeat.

Beside the worker's loop a thread records the ``worker`` heartbeat every
`XUNSHI_HEARTBEAT_SECONDS`, which `/healthz` reads: a worker that died, hung or lost its
database shows as stale there, before an import or a planning run waits in vain. The beat runs
in a thread of its own so that a long task (an import holds its transaction for a while) does
not silence it; on SQLite a beat that waits too long for the writer's lock is skipped.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from xunshi.jobs.heartbeat_actions import heartbeat_beat

logger = logging.getLogger(__name__)

HEARTBEAT_NAME = "worker"


def beat_once() -> None:
    """One heartbeat; a database that refuses it (busy, locked) is logged, not fatal."""
    try:
        heartbeat_beat(name=HEARTBEAT_NAME)
    except DatabaseError as error:
        logger.warning("worker heartbeat not written: %s", type(error).__name__)


def beat_until(stop: threading.Event, every: float) -> None:
    """Beat every `every` seconds until `stop` is set (the heartbeat thread)."""
    try:
        while not stop.wait(every):
            beat_once()
    finally:
        connection.close()  # the thread's own connection


class Command(DBWorkerCommand):
    help = "运行后台任务进程（导入、方案计算），并定时写入心跳供健康检查（/healthz）读取。"

    def handle(self, *args: Any, **options: Any) -> None:
        # The first beat before any task, in this thread: /healthz sees the worker as soon as
        # it starts, and no task's transaction can hold the database against it yet.
        beat_once()
        stop = threading.Event()
        beat = threading.Thread(
            target=beat_until,
            args=(stop, settings.XUNSHI_HEARTBEAT_SECONDS),
            name="heartbeat",
            daemon=True,
        )
        beat.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            beat.join(timeout=5)

"""``manage.py jobs_worker``: the task worker of either queue (XUNSHI_TASKS), with a heartbeat.

On the database queue it is django-tasks-db's ``db_worker`` (same arguments); on Redis
(django-tasks-rq) an RQ worker on the backend's queues, which forks a child per task: the same
arguments mean the same there (``--batch`` stops once the queue is empty, ``--max-tasks``,
``--worker-id``, ``--queue-name``; ``--interval`` does not apply, RQ waits on Redis).

Beside the worker's loop a thread records the ``worker`` heartbeat every
`XUNSHI_HEARTBEAT_SECONDS`, which `/healthz` reads: a worker that died, hung or lost its
database shows as stale there, before an import or a planning run waits in vain. The beat runs
in a thread of its own so that a long task (an import holds its transaction for a while) does
not silence it; on SQLite a beat that waits too long for the writer's lock is skipped.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections
from django_rq.workers import get_worker
from django_tasks import task_backends
from django_tasks.exceptions import InvalidTaskBackendError
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand
from django_tasks_rq import Job as RQJob
from django_tasks_rq import RQBackend
from redis.exceptions import ConnectionError as RedisConnectionError

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


def queue_backend(alias: str) -> str:
    """The --backend argument: a task backend that a worker serves (the database or RQ)."""
    try:
        backend = task_backends[alias]
    except InvalidTaskBackendError as error:
        raise ArgumentTypeError(error.args[0]) from error
    if not isinstance(backend, DatabaseBackend | RQBackend):
        raise ArgumentTypeError(f"Backend '{alias}' is not a database or Redis backend")
    return alias


def rq_work(backend: RQBackend, options: dict[str, Any]) -> None:
    """Serve the Redis queues until stopped (or, with --batch, until they are empty)."""
    asked = str(options["queue_name"])
    queues = sorted(backend.queues) if asked == "*" else asked.split(",")
    level = {0: "WARNING", 1: "INFO"}.get(int(options["verbosity"]), "DEBUG")
    try:
        worker = get_worker(*queues, job_class=RQJob, name=options["worker_id"])
        # RQ forks a child per task: no database connection of this thread may go with it.
        connections.close_all()
        worker.work(burst=options["batch"], max_jobs=options["max_tasks"], logging_level=level)
    except RedisConnectionError as error:
        raise CommandError(f"无法连接任务队列（Redis）：{error}") from error


class Command(DBWorkerCommand):
    help = "运行后台任务进程（导入、方案计算），并定时写入心跳供健康检查（/healthz）读取。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # db_worker's --backend takes database backends only; this worker serves RQ too.
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = queue_backend

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
            backend = task_backends[options["backend_name"]]
            if isinstance(backend, RQBackend):
                rq_work(backend, options)
            else:
                super().handle(*args, **options)
        finally:
            stop.set()
            beat.join(timeout=5)

"""The task queue on Redis (XUNSHI_TASKS=redis, django-tasks-rq): a task waits in Redis until a
worker takes it, and `jobs_worker` serves that queue with its heartbeat. Against the real Redis
server `.ci/run` starts; the whole way from a page to a worker is in
xunshi/web/tests/test_two_processes.py."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tasks.base import TaskResultStatus
from django_tasks_rq import RQBackend

from xunshi.desk.tasks import reminders_task
from xunshi.jobs.queries import heartbeat_at
from xunshi.web.tests.twoprocesses import redis_url


@pytest.fixture
def on_redis(settings):  # type: ignore[no-untyped-def]
    url = redis_url(4)
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return url


def test_a_task_waits_in_redis_until_a_worker_takes_it(db, on_redis):
    result = reminders_task.enqueue()
    assert isinstance(reminders_task.get_backend(), RQBackend)
    # Read back from Redis, as another process would.
    again = reminders_task.get_backend().get_result(result.id)
    assert again.status == TaskResultStatus.READY
    assert again.task.module_path == "xunshi.desk.tasks.reminders_task"


# Committed data: the worker closes its database connections before it forks.
def test_it_beats_when_the_redis_worker_starts(committed, on_redis):
    assert heartbeat_at("worker") is None
    # --batch: RQ's burst mode, the worker stops once the queue is empty (here at once).
    call_command("jobs_worker", "--batch", verbosity=0)
    assert heartbeat_at("worker") is not None


def test_it_says_so_when_redis_cannot_be_reached(committed, settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0", "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with pytest.raises(CommandError, match="无法连接任务队列（Redis）"):
        call_command("jobs_worker", "--batch", verbosity=0)

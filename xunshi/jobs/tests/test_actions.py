"""The life of a background job: queued, claimed, reported, ended or stopped, and reaped when
its worker falls silent; each change of status one audit event named after the job's kind."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.jobs.actions import (
    STALE_AFTER,
    job_create,
    job_fail,
    job_finish,
    job_progress,
    job_start,
    job_stop,
    jobs_reap,
)
from xunshi.jobs.models import Job, JobKind, JobStatus
from xunshi.jobs.queries import job_should_stop

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _queued(world: Any, kind: str = JobKind.PLANNING) -> Job:
    with time_machine.travel(T0, tick=False), transaction.atomic():
        return job_create(actor=world.users["alice"], kind=kind)


def _actions(job: Job) -> list[str]:
    events = AuditEvent.objects.filter(object_type="jobs.job", object_id=str(job.pk))
    return list(events.order_by("id").values_list("action", flat=True))


def test_it_runs_a_job_from_the_queue_to_done(world):
    job = _queued(world)
    assert (job.status, job.created_at, job.created_by) == ("queued", T0, world.users["alice"])
    assert job.get_status_display() == "排队中" and job.percent == 0

    with time_machine.travel(T0 + dt.timedelta(seconds=5), tick=False):
        assert job_start(actor=SYSTEM, job=job, message="正在计算…")
    assert not job_start(actor=SYSTEM, job=job)  # a task run twice claims nothing
    with time_machine.travel(T0 + dt.timedelta(seconds=9), tick=False):
        job_progress(job=job, progress=0.42)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.message == "正在计算…"
    assert job.started_at == T0 + dt.timedelta(seconds=5)
    assert job.heartbeat_at == T0 + dt.timedelta(seconds=9)
    assert job.percent == 42 and not job.finished and not job_should_stop(job)

    assert job_finish(actor=SYSTEM, job=job, message="已求得最优方案")
    assert not job_fail(actor=SYSTEM, job=job, message="太迟了")  # it has ended
    assert (job.status, job.percent, job.message) == ("done", 100, "已求得最优方案")
    assert job.get_status_display() == "已完成"
    assert _actions(job) == ["rounds.planning.run", "rounds.planning.finish"]


def test_it_fails_a_job_with_its_message(world):
    job = _queued(world, JobKind.IMPORT)
    job_start(actor=SYSTEM, job=job)

    assert job_fail(actor=SYSTEM, job=job, message="导入时系统出现错误")
    assert job.status == JobStatus.FAILED and job.get_status_display() == "出错"
    assert job.finished and job.message == "导入时系统出现错误"
    assert _actions(job) == ["registry.import.run", "registry.import.fail"]


def test_it_stops_a_queued_job_at_once_and_asks_a_running_one(world):
    alice = world.users["alice"]
    queued = _queued(world)
    assert job_stop(actor=alice, job=queued, message="已在开始前停止")
    assert queued.status == JobStatus.STOPPED and queued.message == "已在开始前停止"
    assert not job_start(actor=SYSTEM, job=queued)  # the worker gets to it later

    running = _queued(world)
    job_start(actor=SYSTEM, job=running)
    assert job_stop(actor=alice, job=running, message="")
    assert running.stopping and job_should_stop(running)
    assert not job_stop(actor=alice, job=running, message="")  # asked already
    job_progress(job=running, progress=0.3)  # the worker's last report, then it stops
    assert job_finish(actor=SYSTEM, job=running, status=JobStatus.STOPPED, message="已停止计算")
    assert (running.status, running.get_status_display()) == ("stopped", "已停止")
    assert _actions(running) == [
        "rounds.planning.run",
        "rounds.planning.stop",
        "rounds.planning.finish",
    ]
    with pytest.raises(ValueError):
        job_finish(actor=SYSTEM, job=running, status=JobStatus.FAILED)


def test_it_reaps_only_running_jobs_silent_for_longer_than_the_limit(world):
    silent, reporting, queued = _queued(world), _queued(world), _queued(world)
    with time_machine.travel(T0, tick=False):
        job_start(actor=SYSTEM, job=silent)
        job_start(actor=SYSTEM, job=reporting)
    with time_machine.travel(T0 + STALE_AFTER, tick=False):
        job_progress(job=reporting, progress=0.9)

    with time_machine.travel(T0 + STALE_AFTER + dt.timedelta(seconds=1), tick=False):
        assert jobs_reap() == 1
    for job in (silent, reporting, queued):
        job.refresh_from_db()
    assert silent.status == JobStatus.FAILED
    assert silent.message.startswith("求解进程已中断")
    assert reporting.status == JobStatus.RUNNING and queued.status == JobStatus.QUEUED
    assert not job_finish(actor=SYSTEM, job=silent)  # a worker come back too late changes nothing
    assert _actions(silent) == ["rounds.planning.run", "rounds.planning.reap"]


def test_it_reaps_from_the_command_in_the_office_language(world):
    job = _queued(world)  # its message has an English translation, left unused
    with time_machine.travel(T0, tick=False):
        job_start(actor=SYSTEM, job=job)
    out = StringIO()

    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False), translation.override("en"):
        call_command("jobs_reap", stdout=out)

    assert out.getvalue() == "已将1个中断的后台任务标记为出错。\n"
    job.refresh_from_db()
    assert job.message == "求解进程已中断（可能因服务重启），请重新计算。"
    assert job.finished_at == T0 + dt.timedelta(hours=1)

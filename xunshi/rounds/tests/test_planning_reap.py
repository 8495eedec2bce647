"""Planning jobs whose worker died: left running with a heartbeat that stops, they are failed by
`manage.py jobs_reap` or by the next task to start, never by a page that shows them.

The worker's death is played by a `_solve` that reports once (its heartbeat at CLAIMED) and
then escapes the task's error handling, as a killed worker would: the job stays running.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.jobs.actions import STALE_AFTER, job_progress
from xunshi.jobs.models import JobStatus
from xunshi.rounds import actions, tasks
from xunshi.rounds.models import PlanningJob
from xunshi.rounds.planning import RoundParams

CLAIMED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
INTERRUPTED = "求解进程已中断（可能因服务重启），请重新计算。"


class _WorkerKilled(BaseException):
    pass


def _round(world: Any) -> Any:
    return actions.round_create(
        actor=SYSTEM,
        body=world.body,
        term=world.term,
        ordinal=2,
        name="十一届省委第二轮巡视",
        kind="regular",
        sector_mode="mixed",
        targets_per_team=1,
        start=dt.date(2027, 3, 1),
        end=dt.date(2027, 4, 30),
    )


def _job(world: Any, rnd: Any) -> PlanningJob:
    return actions.planning_job_create(
        actor=world.users["alice"],
        round=rnd,
        params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=10),
        targets=[world.xinxian],
    )


def _stuck_job(world: Any) -> PlanningJob:
    """A job claimed at CLAIMED whose worker reported once and then died."""

    def dies(job: Any, *args: Any) -> None:
        job_progress(job=job, progress=0.1)
        raise _WorkerKilled

    with pytest.MonkeyPatch.context() as patched, time_machine.travel(CLAIMED, tick=False):
        patched.setattr(actions, "run_planning_job", SimpleNamespace(enqueue=lambda *a: None))
        job = _job(world, _round(world))
        patched.setattr(tasks, "_solve", dies)
        with pytest.raises(_WorkerKilled):
            tasks.run_planning_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.job.heartbeat_at == CLAIMED
    return job


def _reap() -> str:
    out = StringIO()
    call_command("jobs_reap", stdout=out)
    return out.getvalue()


def test_it_never_writes_when_a_page_shows_a_dead_job(world, login):
    job = _stuck_job(world)
    client = login(world.users["alice"])
    events = AuditEvent.objects.count()

    with time_machine.travel(CLAIMED + dt.timedelta(days=1), tick=False):
        for name in ("plan_job", "plan_job_progress"):
            html = client.get(reverse(name, args=[job.pk])).content.decode()
            assert 'hx-trigger="every 1s"' in html and "正在计算" in html, name

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.finished_at is None
    assert AuditEvent.objects.count() == events


def test_it_fails_a_job_whose_worker_fell_silent_by_the_command(world, login):
    job = _stuck_job(world)
    client = login(world.users["alice"])
    progress = reverse("plan_job_progress", args=[job.pk])

    with time_machine.travel(CLAIMED + STALE_AFTER - dt.timedelta(seconds=1), tick=False):
        assert _reap() == "已将0个中断的后台任务标记为出错。\n"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    reaped_at = CLAIMED + STALE_AFTER + dt.timedelta(seconds=1)
    with time_machine.travel(reaped_at, tick=False):
        assert _reap() == "已将1个中断的后台任务标记为出错。\n"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at == reaped_at
    assert job.message == INTERRUPTED
    event = AuditEvent.objects.get(action="rounds.planning.reap")
    assert event.actor_username == "system"
    assert (event.object_type, event.object_id) == ("jobs.job", str(job.job_id))
    assert event.before["status"] == "running" and event.after["status"] == "failed"
    assert event.before["heartbeat_at"] == CLAIMED.isoformat()

    html = client.get(progress).content.decode()
    assert INTERRUPTED in html and "出错" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: the page stops polling
    html = client.get(reverse("round_plan", args=[job.round_id])).content.decode()
    assert "<td>出错</td>" in html

    assert _reap() == "已将0个中断的后台任务标记为出错。\n"
    assert AuditEvent.objects.filter(action="rounds.planning.reap").count() == 1


def test_it_leaves_a_job_whose_worker_still_reports(world):
    job = _stuck_job(world)
    later = CLAIMED + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        job_progress(job=job.job, progress=0.5)  # a long solve, but its worker is alive

    with time_machine.travel(later + STALE_AFTER - dt.timedelta(seconds=1), tick=False):
        assert _reap() == "已将0个中断的后台任务标记为出错。\n"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.progress == 0.5


def test_it_reaps_stuck_jobs_when_the_next_task_starts(world):
    stuck = _stuck_job(world)

    # Real time is long after CLAIMED; the next job runs (and is solved) at once.
    fresh = _job(world, stuck.round)

    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and stuck.message == INTERRUPTED
    assert fresh.status == JobStatus.DONE

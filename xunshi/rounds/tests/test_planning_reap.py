"""Planning jobs whose worker died: left "running" by a solver process that is gone, they are
failed once their time limit is well past, by the job's page or by the next task to start.

The worker's death is played by a `_solve` that records a solver process id no process can have
(above Linux's largest, 2**22) and then escapes the task's error handling, as a killed worker
would: the job stays "running" with that process id.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from xunshi.audit.actions import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions, tasks
from xunshi.rounds.models import PlanningJob, PlanningStatus
from xunshi.rounds.planning import RoundParams

NO_SUCH_PID = 2**22 + 1
CLAIMED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LIMIT_S = 10


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
        params=RoundParams(1, 1, (1, 3), (), (), time_limit_s=LIMIT_S),
        targets=[world.xinxian],
    )


def _stuck_job(world: Any, pid: int = NO_SUCH_PID) -> PlanningJob:
    """A job claimed at CLAIMED whose worker then died with its solver process `pid`."""

    def dies(job_id: int, *args: Any) -> None:
        tasks._record_solver(job_id, pid)
        raise _WorkerKilled

    with pytest.MonkeyPatch.context() as patched, time_machine.travel(CLAIMED, tick=False):
        patched.setattr(actions, "run_planning_job", SimpleNamespace(enqueue=lambda *a: None))
        job = _job(world, _round(world))
        patched.setattr(tasks, "_solve", dies)
        with pytest.raises(_WorkerKilled):
            tasks.run_planning_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == PlanningStatus.RUNNING and job.started_at == CLAIMED
    return job


def _after(seconds: float) -> dt.datetime:
    return CLAIMED + dt.timedelta(seconds=LIMIT_S + seconds)


def test_it_fails_a_job_whose_solver_died_once_its_time_is_well_past(world, login):
    job = _stuck_job(world)
    client = login(world.users["alice"])
    progress = reverse("plan_job_progress", args=[job.pk])

    with time_machine.travel(_after(tasks.REAP_GRACE_SECONDS - 1), tick=False):
        html = client.get(progress).content.decode()
    assert 'hx-trigger="every 1s"' in html and "正在计算" in html
    job.refresh_from_db()
    assert job.status == PlanningStatus.RUNNING

    with time_machine.travel(_after(tasks.REAP_GRACE_SECONDS + 1), tick=False):
        html = client.get(progress).content.decode()
    assert "求解进程已中断（可能因服务重启），请重新计算。" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: the page stops polling
    job.refresh_from_db()
    assert job.status == PlanningStatus.FAILED
    assert job.finished_at == _after(tasks.REAP_GRACE_SECONDS + 1)
    event = AuditEvent.objects.get(action="rounds.planning.reap")
    assert event.actor_username == "system" and event.object_id == str(job.pk)
    assert event.before["status"] == "running" and event.after["status"] == "failed"
    assert event.after["solver_process"]["pid"] == NO_SUCH_PID

    with time_machine.travel(_after(tasks.REAP_GRACE_SECONDS + 60), tick=False):
        html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert "求解进程已中断" in html
    assert AuditEvent.objects.filter(action="rounds.planning.reap").count() == 1


def test_it_leaves_a_job_whose_solver_is_still_alive(world, login):
    job = _stuck_job(world, pid=os.getpid())
    client = login(world.users["alice"])

    with time_machine.travel(_after(3600), tick=False):
        html = client.get(reverse("plan_job", args=[job.pk])).content.decode()
    assert "求解进程已中断" not in html and 'hx-trigger="every 1s"' in html
    job.refresh_from_db()
    assert job.status == PlanningStatus.RUNNING
    assert not AuditEvent.objects.filter(action="rounds.planning.reap").exists()


def test_it_leaves_a_job_whose_solver_ran_on_another_machine(world):
    job = _stuck_job(world)
    solver = job.params[tasks.SOLVER_PROCESS] | {"host": "another-host"}
    PlanningJob.objects.filter(pk=job.pk).update(params=job.params | {tasks.SOLVER_PROCESS: solver})
    job.refresh_from_db()

    with time_machine.travel(_after(3600), tick=False):
        assert tasks.planning_job_reap(job=job).status == PlanningStatus.RUNNING


def test_it_reaps_stuck_jobs_when_the_next_task_starts(world):
    stuck = _stuck_job(world)

    # Real time is long after CLAIMED; the next job runs (and is solved) at once.
    fresh = _job(world, stuck.round)

    stuck.refresh_from_db()
    assert stuck.status == PlanningStatus.FAILED and stuck.message == str(tasks.INTERRUPTED_MESSAGE)
    assert fresh.status == PlanningStatus.DONE


def test_it_records_the_solver_process_of_a_job(world):
    job = _job(world, _round(world))

    assert job.status == PlanningStatus.DONE
    solver = job.params[tasks.SOLVER_PROCESS]
    assert isinstance(solver["pid"], int) and solver["pid"] != os.getpid()
    assert solver["host"] == socket.gethostname()
    assert RoundParams.from_json(job.params).time_limit_s == LIMIT_S

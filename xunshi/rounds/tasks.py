"""The background run of the planning engine on a stored round problem (django-tasks).

The solver runs in a child process (multiprocessing's "spawn" context: a fresh interpreter that
imports only ``planner``, never Django, and shares no database connection or thread with the
worker). CP-SAT and HiGHS cannot be interrupted from another thread, but a process can be
terminated, so a stop request ends the computation at once; and a crash inside a native solver
fails the job instead of the worker. Meanwhile the task polls the job row every
``POLL_SECONDS``: it writes the progress (elapsed time over the time limit, at most 0.99) and
stops the child when the office has asked for it (status ``stopping``, set by
``actions.planning_job_stop``). The plan is stored as FORMAT.md's output object, with the
solver's versions, parameters and seed under ``"solver"``.

The child's process id is kept with the job (with the host and, on Linux, the boot it ran on),
so that a job left in "running" by a worker or machine that died can be told from a slow one:
``planning_job_reap`` fails a job whose time limit is ``REAP_GRACE_SECONDS`` past and whose
solver process is gone. The job pages reap the job they show, and every task reaps all such jobs
before it starts (a worker starting is when its predecessor's jobs are orphaned).

Under the ImmediateBackend (the test settings) ``enqueue`` runs the task at once, in the
caller's thread, and the child process is started all the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import socket
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from planner.round import RoundPlan, RoundProblem, solve_round
from xunshi.audit.actions import SYSTEM, record, snapshot

from .models import PlanningJob, PlanningStatus
from .planning import MAX_TIME_LIMIT_S, RoundParams, plan_to_dict, problem_from_dict

__all__ = [
    "GENERIC_FAILURE",
    "INTERRUPTED_MESSAGE",
    "POLL_SECONDS",
    "REAP_GRACE_SECONDS",
    "SOLVER_PROCESS",
    "plan_message",
    "planning_job_reap",
    "planning_jobs_reap",
    "run_planning_job",
]

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
# Beyond the time limit: starting the child, importing the solvers, and explaining an
# infeasible round (the engine gives that at least 2 s). After it the child is given up.
GRACE_SECONDS = 60.0
GENERIC_FAILURE = "计算时系统出现错误，未生成方案。请稍后重试；如仍不成功，请联系系统管理员。"
STOPPED_MESSAGE = "已按要求停止计算，未生成方案。"
# Beyond the time limit before a job whose solver process is gone counts as orphaned: more than
# GRACE_SECONDS, after which a live worker has failed the job itself.
REAP_GRACE_SECONDS = 120.0
INTERRUPTED_MESSAGE = gettext_lazy("求解进程已中断（可能因服务重启），请重新计算。")
# The key of job.params under which the solver's process is kept: {"pid", "host", "boot"}.
SOLVER_PROCESS = "solver_process"
# The statuses in which a job's solver process should be alive.
_UNDER_WAY = (PlanningStatus.RUNNING, PlanningStatus.STOPPING)


class _Overdue(Exception):
    pass


@task()
def run_planning_job(job_id: int) -> None:
    """Solve the job's stored problem; every outcome is recorded on the job row."""
    planning_jobs_reap()
    job = PlanningJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    claimed = PlanningJob.objects.filter(pk=job_id, status=PlanningStatus.PENDING).update(
        status=PlanningStatus.RUNNING, started_at=timezone.now(), progress=0.0, message="正在计算…"
    )
    if not claimed:  # stopped before it started, or run twice
        return
    try:
        params = RoundParams.from_json(job.params)
        plan = _solve(job_id, problem_from_dict(job.problem), params)
    except Exception:
        logger.exception("planning job %s failed", job_id)
        _finish(job_id, PlanningStatus.FAILED, message=GENERIC_FAILURE)
        return
    if plan is None:
        _finish(job_id, PlanningStatus.STOPPED, message=STOPPED_MESSAGE)
    else:
        message = plan_message(plan, params.time_limit_s)
        _finish(job_id, PlanningStatus.DONE, plan=plan_to_dict(plan), message=message)


def _solve(job_id: int, problem: RoundProblem, params: RoundParams) -> RoundPlan | None:
    """The solver's plan, or None when a stop was asked for before it came."""
    limit = params.time_limit_s
    pool = multiprocessing.get_context("spawn").Pool(processes=1)
    try:
        # One worker, so its process id comes back before the solve begins.
        child = pool.apply_async(os.getpid)
        result = pool.apply_async(
            solve_round, (problem,), {"time_limit_s": limit, "seed": params.seed}
        )
        started = time.monotonic()
        recorded = False
        while True:
            result.wait(POLL_SECONDS)
            if not recorded and child.ready():
                _record_solver(job_id, child.get())
                recorded = True
            if result.ready():
                plan: RoundPlan = result.get()
                return plan
            elapsed = time.monotonic() - started
            if _poll(job_id, min(0.99, elapsed / limit)) != PlanningStatus.RUNNING:
                return None
            if elapsed > limit + GRACE_SECONDS:
                raise _Overdue(f"the solver ran {elapsed:.0f} s with a time limit of {limit:g} s")
    finally:
        pool.terminate()
        pool.join()


def _poll(job_id: int, progress: float) -> str:
    """Write the progress; the job's status now ("" if the row is gone)."""
    PlanningJob.objects.filter(pk=job_id, status=PlanningStatus.RUNNING).update(progress=progress)
    status = PlanningJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
    return status or ""


def _record_solver(job_id: int, pid: int) -> None:
    params = PlanningJob.objects.filter(pk=job_id).values_list("params", flat=True).first()
    if params is None:
        return
    host, boot = _machine()
    params = {**params, SOLVER_PROCESS: {"pid": pid, "host": host, "boot": boot}}
    PlanningJob.objects.filter(pk=job_id, status__in=_UNDER_WAY).update(params=params)


def _finish(job_id: int, status: str, **fields: Any) -> None:
    if status == PlanningStatus.DONE:
        fields["progress"] = 1.0
    PlanningJob.objects.filter(
        pk=job_id, status__in=[PlanningStatus.RUNNING, PlanningStatus.STOPPING]
    ).update(status=status, finished_at=timezone.now(), **fields)


def plan_message(plan: RoundPlan, time_limit_s: float) -> str:
    """One sentence on the outcome, for the job's progress page."""
    took = f"用时 {plan.seconds:.1f} 秒"
    if plan.status == "optimal":
        return f"已求得最优方案：目标值 {plan.objective}，等于下界，{took}。"
    if plan.status == "feasible":
        return (
            f"在时限内求得方案：目标值 {plan.objective}，下界 {plan.bound}，尚未证明最优；"
            f"延长计算时限可能得到更好的方案。{took}。"
        )
    if plan.status == "infeasible":
        return f"不存在满足全部约束的方案，原因见说明；{took}。"
    return f"在 {time_limit_s:g} 秒的时限内未找到方案，请延长计算时限后重试。"


# --- orphaned jobs ----------------------------------------------------------------------------


def _machine() -> tuple[str, str]:
    """This host's name and, on Linux, its boot: a process id means nothing after a restart."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        boot = ""
    return socket.gethostname(), boot


def _process_alive(pid: int) -> bool:
    if pid <= 0:  # 0 and -1 would ask about whole process groups
        return False
    try:
        os.kill(pid, 0)  # signal 0: no signal, only the question whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _solver_of(job: PlanningJob) -> dict[str, Any] | None:
    solver = job.params.get(SOLVER_PROCESS) if isinstance(job.params, dict) else None
    return solver if isinstance(solver, dict) and isinstance(solver.get("pid"), int) else None


def _solver_gone(job: PlanningJob) -> bool:
    """Whether the job's solver process is known to be gone (no record counts as gone: a job
    whose worker died before its child started has none)."""
    solver = _solver_of(job)
    if solver is None:
        return True
    host, boot = _machine()
    if solver.get("host") != host:
        return False  # another machine's process cannot be looked up from here
    if solver.get("boot") != boot:
        return True
    return not _process_alive(solver["pid"])


def _overdue(job: PlanningJob, now: dt.datetime) -> bool:
    limit = job.params.get("time_limit_s") if isinstance(job.params, dict) else None
    if not isinstance(limit, int | float) or isinstance(limit, bool):
        limit = MAX_TIME_LIMIT_S
    began = job.started_at or job.created_at
    return now - began > dt.timedelta(seconds=float(limit) + REAP_GRACE_SECONDS)


def _orphaned(job: PlanningJob, now: dt.datetime) -> bool:
    return job.status in _UNDER_WAY and _overdue(job, now) and _solver_gone(job)


def planning_job_reap(*, job: PlanningJob) -> PlanningJob:
    """Fail a job left under way by a solver process that is gone, once well past its time."""
    if not _orphaned(job, timezone.now()):
        return job
    with transaction.atomic():
        locked = PlanningJob.objects.select_for_update().get(pk=job.pk)
        now = timezone.now()
        if not _orphaned(locked, now):  # its worker finished it, or another page reaped it
            job.refresh_from_db(fields=["status", "finished_at", "message"])
            return job
        before = snapshot(locked, ["status", "started_at"])
        locked.status = PlanningStatus.FAILED
        locked.finished_at = now
        # Stored in the office's language, whoever's page view noticed the job.
        with translation.override(settings.LANGUAGE_CODE):
            locked.message = str(INTERRUPTED_MESSAGE)
        locked.save(update_fields=["status", "finished_at", "message"])
        record(
            actor=SYSTEM,
            action="rounds.planning.reap",
            obj=locked,
            before=before,
            after={
                **snapshot(locked, ["status", "finished_at"]),
                SOLVER_PROCESS: _solver_of(locked),
            },
        )
    job.status, job.finished_at, job.message = locked.status, locked.finished_at, locked.message
    return job


def planning_jobs_reap() -> int:
    """Reap every orphaned job; how many there were."""
    cutoff = timezone.now() - dt.timedelta(seconds=REAP_GRACE_SECONDS)
    under_way = PlanningJob.objects.filter(status__in=_UNDER_WAY, started_at__lt=cutoff)
    return sum(planning_job_reap(job=job).status == PlanningStatus.FAILED for job in under_way)

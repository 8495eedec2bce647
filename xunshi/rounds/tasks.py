"""The background run of the planning engine on a stored round problem (django-tasks).

The solver runs in a child process (multiprocessing's "spawn" context: a fresh interpreter that
imports only ``planner``, never Django, and shares no database connection or thread with the
worker). CP-SAT and HiGHS cannot be interrupted from another thread, but a process can be
terminated, so a stop request ends the computation at once; and a crash inside a native solver
fails the job instead of the worker. Meanwhile the task reports to the job every
``POLL_SECONDS`` (``job_progress``: elapsed time over the time limit, at most 0.99, which is
also the worker's heartbeat) and stops the child when the office has asked for it
(``actions.planning_job_stop``). The plan is stored as the output object of
docs/planning-format.md, with the solver's versions, parameters and seed under ``"solver"``.

A job left running by a worker or machine that died stops reporting; ``jobs_reap``
(xunshi.jobs) fails it once its heartbeat is stale. Every task reaps before it starts (a worker
starting is when its predecessor's jobs are orphaned), and so does ``manage.py jobs_reap``.

Under the ImmediateBackend (the test settings) ``enqueue`` runs the task at once, in the
caller's thread, and the child process is started all the same.
"""

from __future__ import annotations

import logging
import multiprocessing
import time

from django_tasks import task

from planner.round import RoundPlan, RoundProblem, solve_round
from xunshi.accounts.actors import SYSTEM
from xunshi.jobs.actions import job_fail, job_finish, job_progress, job_start, jobs_reap
from xunshi.jobs.models import Job, JobStatus
from xunshi.jobs.queries import job_should_stop

from .models import PlanningJob
from .planning import RoundParams, plan_to_dict, problem_from_dict
from .planning_actions import planning_job_solved

__all__ = [
    "GENERIC_FAILURE",
    "POLL_SECONDS",
    "STOPPED_MESSAGE",
    "plan_message",
    "run_planning_job",
]

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
# Beyond the time limit: starting the child, importing the solvers, and explaining an
# infeasible round (the engine gives that at least 2 s). After it the child is given up.
GRACE_SECONDS = 60.0
GENERIC_FAILURE = "计算时系统出现错误，未生成方案。请稍后重试；如仍不成功，请联系系统管理员。"
STOPPED_MESSAGE = "已按要求停止计算，未生成方案。"


class _Overdue(Exception):
    pass


@task()
def run_planning_job(job_id: int) -> None:
    """Solve the job's stored problem; every outcome is recorded on the job row."""
    jobs_reap()
    job = PlanningJob.objects.select_related("job").filter(pk=job_id).first()
    if job is None or not job_start(actor=SYSTEM, job=job.job, message="正在计算…"):
        return  # stopped before it started, or run twice
    try:
        params = RoundParams.from_json(job.params)
        plan = _solve(job.job, problem_from_dict(job.problem), params)
    except Exception:
        logger.exception("planning job %s failed", job_id)
        job_fail(actor=SYSTEM, job=job.job, message=GENERIC_FAILURE)
        return
    if plan is None:
        job_finish(actor=SYSTEM, job=job.job, status=JobStatus.STOPPED, message=STOPPED_MESSAGE)
    else:
        message = plan_message(plan, params.time_limit_s)
        planning_job_solved(job=job, plan=plan_to_dict(plan), message=message)


def _solve(job: Job, problem: RoundProblem, params: RoundParams) -> RoundPlan | None:
    """The solver's plan, or None when a stop was asked for before it came."""
    limit = params.time_limit_s
    pool = multiprocessing.get_context("spawn").Pool(processes=1)
    try:
        result = pool.apply_async(
            solve_round, (problem,), {"time_limit_s": limit, "seed": params.seed}
        )
        started = time.monotonic()
        while True:
            result.wait(POLL_SECONDS)
            if result.ready():
                plan: RoundPlan = result.get()
                return plan
            elapsed = time.monotonic() - started
            if not _poll(job, min(0.99, elapsed / limit)):
                return None
            if elapsed > limit + GRACE_SECONDS:
                raise _Overdue(f"the solver ran {elapsed:.0f} s with a time limit of {limit:g} s")
    finally:
        pool.terminate()
        pool.join()


def _poll(job: Job, progress: float) -> bool:
    """Report the progress (the heartbeat); whether to go on (no stop asked, not reaped)."""
    job_progress(job=job, progress=progress)
    return not job_should_stop(job)


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

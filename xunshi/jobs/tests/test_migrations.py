"""The imports and planning runs made before the jobs app keep their ids, submitters, times and
statuses (in the one vocabulary of jobs) through migrations registry 0004 and rounds 0004, and
get them back when the migrations are reversed.

The migrations run in a child process on a database file of their own: the test database is
migrated already, and on SQLite its schema cannot change inside the test's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import django

BEFORE = [("registry", "0003_body_abbreviation"), ("rounds", "0003_inspection_parent")]
AFTER = [("registry", "0004_importjob_job"), ("rounds", "0004_planningjob_job")]
AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
IMPORTS = {"pending": "queued", "running": "running", "failed": "failed", "succeeded": "done"}
PLANS = {
    "pending": "queued",
    "running": "running",
    "stopping": "running",
    "stopped": "stopped",
    "failed": "failed",
    "done": "done",
}


def _migrate(targets: list[tuple[str, str]]) -> Any:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_rows(apps: Any) -> tuple[int, dict[str, int], dict[str, int]]:
    """One import and one planning run in every old status, made with the old models."""
    user = apps.get_model("accounts", "User").objects.create(username="alice", full_name="王芳")
    body = apps.get_model("registry", "InspectingBody").objects.create(name="中共河南省委")
    term = apps.get_model("registry", "Term").objects.create(
        body=body, name="十一届", start=dt.date(2022, 1, 1), end=dt.date(2026, 12, 31)
    )
    rnd = apps.get_model("rounds", "Round").objects.create(
        body=body, term=term, ordinal=1, name="第一轮", kind="regular", sector_mode="mixed"
    )
    OldImport = apps.get_model("registry", "ImportJob")
    OldPlan = apps.get_model("rounds", "PlanningJob")
    imports, plans = {}, {}
    for status in IMPORTS:
        row = OldImport.objects.create(
            kind="orgs", original_name=f"{status}.xlsx", stored_name="x.xlsx", status=status,
            total=10, done=5, created_by=user,
        )  # fmt: skip
        OldImport.objects.filter(pk=row.pk).update(created_at=AT, started_at=AT)
        imports[status] = row.pk
    for status in PLANS:
        row = OldPlan.objects.create(
            round=rnd, created_by=user, status=status, progress=0.25, message=f"{status}的说明"
        )
        OldPlan.objects.filter(pk=row.pk).update(created_at=AT)
        plans[status] = row.pk
    return user.pk, imports, plans


def child() -> None:
    """Run in the child process: migrate there and back, print what each row became."""
    django.setup()
    from xunshi.registry.models import ImportJob
    from xunshi.rounds.models import PlanningJob

    user, imports, plans = _old_rows(_migrate(BEFORE))
    _migrate(AFTER)
    out: dict[str, Any] = {"user": user, "imports": {}, "plans": {}}
    for old, pk in imports.items():
        imp = ImportJob.objects.select_related("job").get(pk=pk)
        out["imports"][old] = [
            imp.status, imp.get_status_display(), imp.job.kind, imp.job.created_by_id,
            imp.created_at.isoformat(), imp.original_name, imp.job.progress,
        ]  # fmt: skip
    for old, pk in plans.items():
        plan = PlanningJob.objects.select_related("job").get(pk=pk)
        out["plans"][old] = [
            plan.status, plan.get_status_display(), plan.job.kind, plan.job.created_by_id,
            plan.created_at.isoformat(), plan.message, plan.progress,
        ]  # fmt: skip
    back = _migrate(BEFORE)
    out["back"] = {
        "imports": {s: back.get_model("registry", "ImportJob").objects.get(pk=pk).status
                    for s, pk in imports.items()},
        "plans": {s: back.get_model("rounds", "PlanningJob").objects.get(pk=pk).status
                  for s, pk in plans.items()},
    }  # fmt: skip
    print(json.dumps(out, ensure_ascii=False))


def test_it_moves_the_old_jobs_to_jobs_and_back(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    env = os.environ | {"XUNSHI_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    run = subprocess.run(
        [sys.executable, "-c", "from xunshi.jobs.tests.test_migrations import child; child()"],
        cwd=root,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])

    at = AT.isoformat()
    labels = {"pending": "排队中", "running": "进行中", "failed": "未导入", "succeeded": "已导入"}
    for old, new in IMPORTS.items():
        progress = 1.0 if new == "done" else 0.5
        assert out["imports"][old] == [
            new, labels[old], "registry.import", out["user"], at, f"{old}.xlsx", progress,
        ], old  # fmt: skip
    labels = {"pending": "排队中", "running": "计算中", "stopping": "正在停止"}
    labels |= {"stopped": "已停止", "failed": "出错", "done": "已完成"}
    for old, new in PLANS.items():
        assert out["plans"][old] == [
            new, labels[old], "rounds.planning", out["user"], at, f"{old}的说明", 0.25,
        ], old  # fmt: skip
    assert out["back"] == {"imports": {s: s for s in IMPORTS}, "plans": {s: s for s in PLANS}}

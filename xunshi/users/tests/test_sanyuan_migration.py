"""Migration accounts 0004 remembers the roles held when it runs: an admin of today can never
be given a role of the work, an account of the work never become an admin.

The migrations run in a child process on a database file of their own (as in
xunshi/jobs/tests/test_migrations.py): on SQLite a schema cannot change inside the test's
transaction.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import django

BEFORE = [("accounts", "0003_password_history_login_throttle")]
AFTER = [("accounts", "0004_sanyuan_admin_request")]
ROLES = {"sam": "system_admin", "aud": "audit_admin", "alice": "office", "gina": "leading_group"}


def _migrate(targets: list[tuple[str, str]]) -> Any:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def child() -> None:
    """Run in the child process: accounts made before 0004, what 0004 made of them."""
    django.setup()
    apps = _migrate(BEFORE)
    old = apps.get_model("accounts", "User")
    body = apps.get_model("registry", "InspectingBody").objects.create(name="中共河南省委")
    for username, role in ROLES.items():
        old.objects.create(username=username, full_name=username, role=role, body=body)
    old.objects.create(username="fresh", full_name="fresh", role="")
    new = _migrate(AFTER).get_model("accounts", "User")
    out = {u.username: [u.admin_role_once, u.case_role_once] for u in new.objects.all()}
    print(json.dumps(out))


def test_it_remembers_the_roles_held_when_it_runs(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    env = os.environ | {"XUNSHI_ENV": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from xunshi.users.tests.test_sanyuan_migration import child; child()",
        ],
        cwd=root,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out == {
        "sam": ["system_admin", False],
        "aud": ["audit_admin", False],
        "alice": ["", True],
        "gina": ["", True],
        "fresh": ["", False],
    }

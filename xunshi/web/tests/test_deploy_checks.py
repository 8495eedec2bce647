"""`manage.py check --deploy` is clean for the internal app in production (issue 12, item 11;
the portal's twin is portal/tests/test_boundaries.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .production import production_env

ROOT = Path(__file__).resolve().parents[3]


def test_it_passes_the_deploy_checks_in_production():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        capture_output=True,
        text=True,
        env=production_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_it_refuses_to_start_in_production_without_its_keys():
    env = production_env()
    del env["XUNSHI_AUDIT_KEY"]
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode != 0
    assert "XUNSHI_AUDIT_KEY is not set" in done.stderr

"""The offline bundle (issue 12, item 11): installed into a fresh directory inside a network
namespace of its own (no network at all; PIP_NO_INDEX as well), the internal app and the
portal import and pass `check --deploy` in production.

Building the bundle downloads every wheel (about 110 MB, a minute or two), so this is not part
of `make test`: `make bundle-check` builds it and runs this test with XUNSHI_BUNDLE set, and
CI runs that target. Without XUNSHI_BUNDLE the test is skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile

import pytest

from portal.keys import env_lines

from .production import production_env

BUNDLE = os.environ.get("XUNSHI_BUNDLE", "")

pytestmark = pytest.mark.skipif(
    not BUNDLE, reason="XUNSHI_BUNDLE names no bundle (make bundle-check)"
)


def _offline(args: list[str], **kwargs):  # type: ignore[no-untyped-def]
    """Run without any network: a new user and network namespace where unshare can make one."""
    prefix = ["unshare", "-rn"] if shutil.which("unshare") and _can_unshare() else []
    return subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=900, **kwargs)


def _can_unshare() -> bool:
    return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


def test_it_installs_with_no_network_and_passes_the_deploy_checks(tmp_path):
    with tarfile.open(BUNDLE) as archive:
        archive.extractall(tmp_path, filter="data")
    (bundle,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    dest = tmp_path / "opt-xunshi"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PIP_NO_INDEX": "1"}
    done = _offline(["sh", str(bundle / "install.sh"), str(dest)], env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert oct((dest / "var").stat().st_mode & 0o777) == "0o700"
    assert (dest / "node_modules" / "htmx.org" / "dist" / "htmx.min.js").exists()
    assert (dest / "node_modules" / "echarts" / "dist" / "echarts.min.js").exists()

    python = str(dest / ".venv" / "bin" / "python")
    done = _offline([python, "-c", "import django, ortools, gunicorn; print(django.VERSION[:2])"])
    assert done.returncode == 0 and done.stdout.strip() == "(5, 2)", done.stderr

    check = ["check", "--deploy", "--fail-level", "DEBUG"]
    done = _offline([python, "manage.py", *check], env=production_env(), cwd=dest)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout

    # The portal's keys as `portal/keys.py` writes them for a real install (docs/deploy.md).
    portal_lines, _internal = env_lines(
        private_key_var="XUNSHI_OFFICE_SM2_PRIVATE_KEY", token_var="XUNSHI_PORTAL_TOKEN"
    )
    portal_env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PORTAL_ENV": "production",
        "PORTAL_ENV_FILE": "/nonexistent/portal.env",
        **dict(line.split("=", 1) for line in portal_lines),
        "PORTAL_ALLOWED_HOSTS": "jubao.example.gov.cn",
        "PORTAL_BASE_URL": "https://jubao.example.gov.cn",
    }
    done = _offline([python, "portal/manage.py", *check], env=portal_env, cwd=dest)
    assert done.returncode == 0, done.stdout + done.stderr
    # collectstatic finds the vendored front-end libraries the pages load.
    done = _offline(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=production_env(),
        cwd=dest,
    )
    assert done.returncode == 0, done.stderr
    assert (dest / "var" / "static" / "vendor" / "htmx" / "htmx.min.js").exists()

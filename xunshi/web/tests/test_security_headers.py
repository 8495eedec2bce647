"""The internal app's security headers and production settings.

Every page carries a Content-Security-Policy that lets scripts run only from our own static
files, so no template may hold an inline script or an on* handler (they would not run); the
production settings pass Django's deployment checks.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from xunshi.lib.crypto import sm2_generate_keypair

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_it_sends_the_policy_on_pages_and_to_strangers(world, login) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    for response in [
        Client().get("/accounts/login/"),
        login(world.users["alice"]).get("/rounds/coverage/"),
    ]:
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert response["Referrer-Policy"] == "same-origin"
        assert "geolocation=()" in response["Permissions-Policy"]


def test_it_keeps_every_script_in_a_static_file() -> None:
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        offenders += [f"{path.name}: inline script" for _ in INLINE_SCRIPT.findall(text)]
        offenders += [f"{path.name}: event handler" for _ in HANDLER.findall(text)]
    assert not offenders, offenders


def test_it_passes_the_deployment_checks_in_production(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "XUNSHI_ENV": "production",
        "XUNSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "XUNSHI_FIELD_KEY": secrets.token_hex(16),
        "XUNSHI_AUDIT_KEY": secrets.token_hex(16),
        **dict(
            zip(
                ["XUNSHI_AUDIT_SM2_PRIVATE_KEY", "XUNSHI_AUDIT_SM2_PUBLIC_KEY"],
                sm2_generate_keypair(),
                strict=True,
            )
        ),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "XUNSHI_OFFICE_SM2_PRIVATE_KEY": "",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout

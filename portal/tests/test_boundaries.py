"""The portal is its own deployable: what it imports, which URLs it has, what its production
settings hold, and that Django's deploy checks find nothing to complain about."""

from __future__ import annotations

import ast
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from envelope import generate_keypair, sm3_hex

PORTAL = Path(__file__).resolve().parent.parent
ROOT = PORTAL.parent
# Third-party packages the portal may use, beside the stdlib and Django.
THIRD_PARTY = {"environ", "segno", "PIL", "stdnum", "pytest", "time_machine", "playwright"}
SHARED = {"envelope", "uploadscan"}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append("portal" if node.level else str(node.module))
    return found


def test_it_imports_nothing_of_the_internal_app() -> None:
    allowed = set(sys.stdlib_module_names) | {"django", "portal"} | THIRD_PARTY | SHARED
    files = sorted(PORTAL.rglob("*.py"))
    assert len(files) > 20
    refused = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] not in allowed
    ]
    assert refused == []
    every = {name.split(".")[0] for path in files for name in imported_modules(path)}
    assert not every & {"xunshi", "config"}


def routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found.extend(routes(entry.url_patterns, prefix + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            found.append(f"{entry.name}\t{prefix}{entry.pattern}")
    return found


def test_it_has_exactly_the_urls_of_the_allowlist() -> None:
    lines = (PORTAL / "tests" / "routes.txt").read_text(encoding="utf-8").splitlines()
    allowlist = [line for line in lines if line and not line.startswith("#")]
    assert routes(get_resolver().url_patterns) == allowlist


def test_it_installs_no_accounts_sessions_or_admin() -> None:
    assert settings.INSTALLED_APPS == ["django.contrib.staticfiles", "portal.reports"]
    middleware = " ".join(settings.MIDDLEWARE)
    assert "session" not in middleware.lower() and "auth" not in middleware.lower()


def production_env(**changes: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "PORTAL_ENV": "production",
        "PORTAL_ENV_FILE": "/nonexistent/portal.env",
        "PORTAL_SECRET_KEY": secrets.token_urlsafe(50),
        "PORTAL_OFFICE_PUBLIC_KEY": generate_keypair()[1],
        "PORTAL_API_TOKEN_SM3": sm3_hex(secrets.token_bytes(32)),
        "PORTAL_RECEIPT_KEY": secrets.token_hex(32),
        "PORTAL_RECEIPT_SALT": secrets.token_hex(16),
        "PORTAL_THROTTLE_KEY": secrets.token_hex(32),
        "PORTAL_ALLOWED_HOSTS": "jubao.example.gov.cn",
        "PORTAL_BASE_URL": "https://jubao.example.gov.cn",
    }
    env.update(changes)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_it_passes_the_deploy_checks_in_production() -> None:
    done = run(["portal/manage.py", "check", "--deploy", "--fail-level", "DEBUG"], production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stderr + done.stdout


def test_it_holds_no_private_key_and_its_own_database_in_production() -> None:
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'portal.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print([n for n in dir(s) if 'PRIVATE' in n.upper()]); "
        "print(s.DATABASES['default']['NAME']); print(s.DEBUG, s.SECURE_HSTS_SECONDS)"
    )
    done = run(["-c", script], production_env())
    assert done.returncode == 0, done.stderr
    names, database, flags = done.stdout.splitlines()
    assert names == "[]"
    assert database.endswith("var/portal.sqlite3")
    assert flags == "False 31536000"


def test_it_refuses_to_start_in_production_without_the_office_key() -> None:
    env = production_env()
    del env["PORTAL_OFFICE_PUBLIC_KEY"]
    done = run(["portal/manage.py", "check"], env)
    assert done.returncode != 0
    assert "PORTAL_OFFICE_PUBLIC_KEY is not set" in done.stderr


def test_it_refuses_to_start_in_production_without_a_throttle_key_of_its_own() -> None:
    env = production_env()
    del env["PORTAL_THROTTLE_KEY"]
    done = run(["portal/manage.py", "check"], env)
    assert done.returncode != 0
    assert "PORTAL_THROTTLE_KEY is not set" in done.stderr


def test_it_refuses_to_start_in_production_without_a_receipt_key() -> None:
    env = production_env()
    del env["PORTAL_RECEIPT_KEY"]
    done = run(["portal/manage.py", "check"], env)
    assert done.returncode != 0
    assert "PORTAL_RECEIPT_KEY is not set" in done.stderr


def test_it_makes_a_matching_set_of_keys(tmp_path: Path) -> None:
    portal_file = tmp_path / "portal.env"
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    done = run(["-m", "portal.keys", "--portal-file", str(portal_file)], env)
    assert done.returncode == 0, done.stderr
    internal = dict(line.split("=", 1) for line in done.stdout.splitlines())
    portal = dict(line.split("=", 1) for line in portal_file.read_text().splitlines())
    assert oct(portal_file.stat().st_mode & 0o777) == "0o600"
    assert not any("PRIVATE" in name for name in portal)
    from envelope import open_envelope, public_key_of, seal

    private = internal["XUNSHI_OFFICE_SM2_PRIVATE_KEY"]
    assert public_key_of(private) == portal["PORTAL_OFFICE_PUBLIC_KEY"]
    assert open_envelope(private, seal(portal["PORTAL_OFFICE_PUBLIC_KEY"], b"ok")) == b"ok"
    assert sm3_hex(internal["XUNSHI_PORTAL_TOKEN"].encode()) == portal["PORTAL_API_TOKEN_SM3"]
    assert len(bytes.fromhex(portal["PORTAL_THROTTLE_KEY"])) == 32
    assert portal["PORTAL_THROTTLE_KEY"] != portal["PORTAL_RECEIPT_SALT"]
    assert len(bytes.fromhex(portal["PORTAL_RECEIPT_KEY"])) == 32
    assert portal["PORTAL_RECEIPT_KEY"] != portal["PORTAL_THROTTLE_KEY"]
    checked = run(["portal/manage.py", "check"], {**env, "PORTAL_ENV_FILE": str(portal_file)})
    assert checked.returncode == 0, checked.stderr


def test_make_run_serves_the_portal_with_debug_off() -> None:
    """`make run` starts the portal from var/portal.env (PORTAL_ENV=dev, where DEBUG would be
    on by default): its gunicorn line must switch DEBUG off (issue 12)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^run:.*?(?=^\S)", makefile, re.S | re.M)
    assert target, "no run target in the Makefile"
    portal = [line for line in target.group(0).splitlines() if "portal.wsgi" in line]
    assert portal and all("PORTAL_DEBUG=false" in line for line in portal)

"""What backup and restore share: the archive's member names, the PostgreSQL client tools and
the facts the manifest records (read-only; the writes are `backup_actions` / `restore_actions`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess  # nosec B404: the PostgreSQL client tools, with argument lists
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from xunshi.lib.crypto import derive_key, hmac_sm3_hex, sm3_hex

__all__ = [
    "CHECKPOINTS_MEMBER",
    "MANIFEST_MEMBER",
    "BackupFailed",
    "database_member",
    "facts",
    "file_members",
    "key_fingerprints",
    "pg_program",
    "pg_run",
    "safe_member",
    "sqlite_tables",
]

MANIFEST_MEMBER = "manifest.json"
CHECKPOINTS_MEMBER = "audit/checkpoints.jsonl"
FILES_PREFIX = "files/"
FORMAT = "xunshi-backup/1"
_MEMBER = re.compile(r"^[A-Za-z0-9._-]+$")


class BackupFailed(Exception):
    """A backup or restore that cannot go on; the message says why and where, in Chinese."""


def database_member(vendor: str) -> str:
    if vendor == "postgresql":
        return "database/postgresql.dump"
    if vendor == "sqlite":
        return "database/sqlite3.db"
    raise BackupFailed(
        _("不支持备份这种数据库：%(vendor)s（只支持 PostgreSQL 和 SQLite）。") % {"vendor": vendor}
    )


def safe_member(name: str) -> bool:
    """Whether an archive member's name stays inside the staging folder."""
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and bool(path.parts)
        and all(part not in {".", ".."} and _MEMBER.match(part) for part in path.parts)
    )


def pg_program(tool: str) -> str:
    """The path of pg_dump or pg_restore, or BackupFailed saying what to install."""
    program = shutil.which(tool)
    if program is None:
        raise BackupFailed(
            _(
                "找不到 %(tool)s：请在本机安装与数据库服务器版本相同的 PostgreSQL 客户端"
                "（Debian：apt-get install postgresql-client-15）。"
            )
            % {"tool": tool}
        )
    return program


def pg_run(tool: str, args: list[str]) -> None:
    """Run pg_dump or pg_restore against the default database (password in the environment,
    never on the command line); BackupFailed with the tool's own words when it fails."""
    program = pg_program(tool)
    db: dict[str, Any] = connection.settings_dict
    argv = [program, "--no-password"]
    if db.get("HOST"):
        argv += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        argv += ["--port", str(db["PORT"])]
    if db.get("USER"):
        argv += ["--username", str(db["USER"])]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    done = subprocess.run(  # noqa: S603  # nosec B603: a fixed program, an argument list
        [*argv, *args, "--dbname", str(db["NAME"])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        said = done.stderr.strip().splitlines()
        raise BackupFailed(
            _("%(tool)s 失败（退出码 %(code)s）：%(said)s")
            % {"tool": tool, "code": done.returncode, "said": " / ".join(said[-5:]) or "-"}
        )


def sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in cursor.fetchall()]


def facts(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """The manifest's account of a database: rows per table, the audit trail's head, the
    migrations applied (all read through one cursor, inside the dump's snapshot)."""
    quote = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608  # nosec B608
        counts[table] = int(cursor.fetchone()[0])
    head: dict[str, Any] = {"last_id": 0, "last_hash": "", "mac": ""}
    if "audit_audithead" in counts:
        cursor.execute("SELECT last_id, last_hash, mac FROM audit_audithead WHERE id = 1")
        row = cursor.fetchone()
        if row is not None:
            head = {"last_id": int(row[0]), "last_hash": row[1], "mac": row[2]}
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, name] for app, name in cursor.fetchall()]
    return {"tables": counts, "audit_head": head, "migrations": migrations}


def file_members(root: Path) -> list[tuple[str, Path]]:
    """Every stored file under the attachments folder, as (member name, path), sorted;
    a half-written upload (`.part-…`) is left out."""
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".part-"):
            out.append((FILES_PREFIX + path.relative_to(root).as_posix(), path))
    return out


def key_fingerprints() -> dict[str, str]:
    """Short fingerprints of the keys the data depends on (the field key opens encrypted
    columns and files and keys the audit chain; the audit key MACs its head; the SM2 public key
    verifies its checkpoints), so that a restore under other keys is refused before it writes.
    A fingerprint is a keyed hash cut to 16 hex digits: it tells keys apart, and gives none away."""
    out = {}
    for variable, key in (
        ("XUNSHI_FIELD_KEY", settings.FIELD_MASTER_KEY),
        ("XUNSHI_AUDIT_KEY", settings.AUDIT_KEY),
    ):
        out[variable] = hmac_sm3_hex(derive_key(key, "backup-fingerprint"), b"xunshi")[:16]
    public = str(settings.AUDIT_SM2_PUBLIC_KEY)
    out["XUNSHI_AUDIT_SM2_PUBLIC_KEY"] = sm3_hex(public.encode())[:16] if public else ""
    return out

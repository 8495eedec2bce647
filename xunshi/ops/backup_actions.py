"""`backup_make`: the database, the stored files and the audit checkpoints in one sealed archive.

The archive (`archive.py`) is a tar stream sealed chunk by chunk with the backup key; its
members are the database (PostgreSQL: ``pg_dump --format=custom`` of a snapshot; SQLite: a copy
by the online backup API), every file under ``XUNSHI_FILES_ROOT``, the audit checkpoints, and
last ``manifest.json``: rows per table and the audit head read in the dump's own snapshot, the
applied migrations, the app's version, the time and the SHA-256 of every other member. The
plaintext dump lives only in a private temporary folder (0700) while it is sealed.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import secrets
import sqlite3
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.actions import record
from xunshi.audit.anchor import checkpoint_path
from xunshi.ops.archive import SealedWriter
from xunshi.ops.database import (
    CHECKPOINTS_MEMBER,
    FORMAT,
    MANIFEST_MEMBER,
    BackupFailed,
    database_member,
    facts,
    file_members,
    key_fingerprints,
    pg_program,
    pg_run,
    sqlite_tables,
)

__all__ = ["BackupDone", "backup_make"]

SUFFIX = ".xsbk"


@dataclass(frozen=True)
class BackupDone:
    path: Path
    manifest: dict[str, Any]
    size: int


class _Hashing:
    """A reader that hashes what tar reads through it."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.sha256.update(data)
        return data


def _version() -> str:
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


def _dump_postgresql(path: Path) -> dict[str, Any]:
    """pg_dump of a snapshot exported by a repeatable-read transaction, in which the manifest's
    counts are taken too: what the manifest says is what the dump holds."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        told = facts(cursor, connection.introspection.table_names(cursor))
        pg_run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={path}"])
    return told


def _dump_sqlite(path: Path) -> dict[str, Any]:
    """A copy through SQLite's online backup API (consistent while others write), counted in
    the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        return facts(copy.cursor(), sqlite_tables(copy.cursor()))
    except sqlite3.Error as exc:  # "database or disk is full" among them
        raise BackupFailed(
            _("复制 SQLite 数据库到 %(path)s 失败：%(error)s") % {"path": path, "error": exc}
        ) from None
    finally:
        copy.close()


def _checkpoints(head_last_id: int) -> bytes:
    """The checkpoint file as far as the dumped chain goes: a line another process signed after
    the snapshot names events the archive does not hold, and would fail the restored trail."""
    try:
        text = checkpoint_path().read_text(encoding="utf-8")
    except FileNotFoundError:
        return b""
    kept = []
    for line in text.splitlines(keepends=True):
        try:
            beyond = int(json.loads(line)["count"]) > head_last_id
        except (ValueError, KeyError, TypeError):
            beyond = False  # kept as it is: the verification names a damaged line
        if line.strip() and not beyond:
            kept.append(line)
    return "".join(kept).encode("utf-8")


def _add(tar: tarfile.TarFile, name: str, source: BinaryIO, size: int) -> str:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    hashing = _Hashing(source)
    tar.addfile(info, hashing)  # type: ignore[arg-type]
    return hashing.sha256.hexdigest()


def _record_backup(name: str) -> None:
    with transaction.atomic():
        record(
            actor=SYSTEM,
            action="system.backup",
            object_type="ops.backup",
            object_id=name,
            object_repr=name,
            after={"file": name, "vendor": connection.vendor},
        )


def backup_make(*, out_dir: Path, backup_key: bytes) -> BackupDone:
    """Write one sealed archive of the database, the files and the checkpoints into out_dir
    (audited as `system.backup` first, so the archive holds its own event)."""
    if len(backup_key) != 16:
        raise BackupFailed(
            _("未设置备份密钥：请在环境变量 XUNSHI_BACKUP_KEY 中给出 32 位十六进制密钥。")
        )
    member = database_member(connection.vendor)
    if connection.vendor == "postgresql":
        pg_program("pg_dump")  # refused before anything is written or audited
    now = dt.datetime.now(dt.UTC)
    name = f"xunshi-backup-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}{SUFFIX}"
    final = out_dir / name
    part = out_dir / (name + ".part")
    try:
        out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(
            _("无法创建备份目录 %(path)s：%(error)s") % {"path": out_dir, "error": exc}
        ) from None
    _record_backup(name)
    try:
        with tempfile.TemporaryDirectory(prefix="xunshi-backup-") as work:
            dump = Path(work) / "database"
            if connection.vendor == "postgresql":
                told = _dump_postgresql(dump)
            else:
                told = _dump_sqlite(dump)
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw:
                writer = SealedWriter(raw, backup_key, secrets.token_bytes(16))
                manifest = _write_members(writer, member, dump, told, now)
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
        os.replace(part, final)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupFailed(
                _("磁盘空间不足：写入 %(path)s 时失败，备份未完成，未写完的文件已删除。")
                % {"path": exc.filename or out_dir}
            ) from None
        raise BackupFailed(
            _("备份未完成：%(error)s（未写完的文件已删除）") % {"error": exc}
        ) from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return BackupDone(path=final, manifest=manifest, size=final.stat().st_size)


def _write_members(
    writer: SealedWriter, member: str, dump: Path, told: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    hashes: dict[str, str] = {}
    with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
        with dump.open("rb") as f:
            hashes[member] = _add(tar, member, f, dump.stat().st_size)
        for name, path in file_members(Path(settings.XUNSHI_FILES_ROOT)):
            try:
                f = path.open("rb")
            except FileNotFoundError:  # swept as an orphan meanwhile: its row is gone too
                continue
            with f:
                hashes[name] = _add(tar, name, f, os.fstat(f.fileno()).st_size)
        lines = _checkpoints(int(told["audit_head"]["last_id"]))
        hashes[CHECKPOINTS_MEMBER] = _add(tar, CHECKPOINTS_MEMBER, io.BytesIO(lines), len(lines))
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(timespec="seconds"),
            "app_version": _version(),
            "vendor": connection.vendor,
            "database": member,
            "keys": key_fingerprints(),
            **told,
            "files": hashes,
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        _add(tar, MANIFEST_MEMBER, io.BytesIO(body), len(body))
    return manifest

"""`backup_restore`: an archive of `backup_make` back into this installation.

In order, so that a refused archive leaves everything as it was: every chunk is opened and
every member written to a private staging folder and checked against the manifest's SHA-256;
the manifest's migrations must all be known to this code; the target (database, files folder,
checkpoint file) must be empty unless `force`. Only then are the database (pg_restore into it,
or SQLite's backup API onto its file), the files and the checkpoints written, and the restored
database counted against the manifest. The command runs the migrations check and
`verify_audit` after it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.actions import record
from xunshi.audit.anchor import checkpoint_path
from xunshi.ops.archive import ArchiveRefused, SealedReader
from xunshi.ops.database import (
    CHECKPOINTS_MEMBER,
    FILES_PREFIX,
    FORMAT,
    MANIFEST_MEMBER,
    BackupFailed,
    facts,
    file_members,
    key_fingerprints,
    pg_program,
    pg_run,
    safe_member,
    sqlite_tables,
)

__all__ = ["RestoreDone", "backup_restore", "restore_record", "target_is_empty"]


@dataclass(frozen=True)
class RestoreDone:
    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    checkpoints: int


def _stage(archive: Path, backup_key: bytes, staging: Path) -> dict[str, Any]:
    """Open every chunk into the staging folder and check it against the manifest."""
    hashes: dict[str, str] = {}
    try:
        with archive.open("rb") as raw:
            reader = SealedReader(raw, backup_key)
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                for member in tar:
                    source = tar.extractfile(member) if member.isfile() else None
                    if source is None or not safe_member(member.name):
                        raise BackupFailed(
                            _("备份中有不允许的条目：%(name)s，未恢复任何内容。")
                            % {"name": repr(member.name)}
                        )
                    target = staging / member.name
                    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    digest = hashlib.sha256()
                    with target.open("xb") as out:
                        while block := source.read(1 << 20):
                            digest.update(block)
                            out.write(block)
                    hashes[member.name] = digest.hexdigest()
            reader.drain()
    except ArchiveRefused as refused:
        raise BackupFailed(str(refused)) from None
    except (tarfile.TarError, EOFError) as exc:
        raise BackupFailed(
            _("备份内容无法读出（%(error)s）：文件已损坏，未恢复任何内容。") % {"error": exc}
        ) from None
    except FileNotFoundError:
        raise BackupFailed(_("找不到备份文件：%(path)s") % {"path": archive}) from None
    except FileExistsError as exc:
        raise BackupFailed(
            _("备份中的条目重复：%(name)s，未恢复任何内容。") % {"name": exc.filename}
        ) from None
    return _checked_manifest(staging, hashes)


def _checked_manifest(staging: Path, hashes: dict[str, str]) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((staging / MANIFEST_MEMBER).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        raise BackupFailed(
            _("备份中缺少清单 manifest.json 或清单无法读取，未恢复任何内容。")
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupFailed(
            _("备份格式 %(found)s 不是本版本能恢复的 %(format)s。")
            % {"found": repr(manifest.get("format")), "format": FORMAT}
        )
    listed = dict(manifest.get("files") or {})
    hashes.pop(MANIFEST_MEMBER, None)
    if listed != hashes:
        wrong = sorted(set(listed) | set(hashes), key=lambda k: listed.get(k) == hashes.get(k))
        raise BackupFailed(
            _("备份内容与清单不符：%(names)s，未恢复任何内容。") % {"names": ", ".join(wrong[:5])}
        )
    if manifest.get("vendor") != connection.vendor:
        raise BackupFailed(
            _("这份备份来自 %(theirs)s 数据库，当前配置的是 %(ours)s：请用同一种数据库恢复。")
            % {"theirs": manifest.get("vendor"), "ours": connection.vendor}
        )
    theirs = dict(manifest.get("keys") or {})
    ours = key_fingerprints()
    other = sorted(k for k in theirs if k in ours and theirs[k] != ours[k])
    if other:
        raise BackupFailed(
            _(
                "本机的密钥与做备份时不同：%(names)s。恢复后加密的内容将无法读出、审计链将无法核验，"
                "已拒绝恢复：请用 --keys-to 导出的密钥文件设置环境变量后再恢复。"
            )
            % {"names": ", ".join(other)}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.get("migrations", []) if (a, n) not in known]
    # Django's own apps' migrations are known too; an unknown one is a newer version's.
    if unknown:
        raise BackupFailed(
            _(
                "这份备份来自较新的版本（%(version)s），本版本不认识其迁移：%(names)s。"
                "请先升级到该版本再恢复。"
            )
            % {"version": manifest.get("app_version"), "names": ", ".join(unknown[:5])}
        )
    return manifest


def target_is_empty() -> list[str]:
    """What the restore would overwrite: the database's tables, stored files, checkpoints."""
    found = []
    tables = connection.introspection.table_names()
    if tables:
        found.append(_("数据库已有 %(n)s 张表") % {"n": len(tables)})
    stored = file_members(Path(settings.XUNSHI_FILES_ROOT))
    if stored:
        found.append(
            _("附件目录 %(path)s 已有 %(n)s 个文件")
            % {"path": settings.XUNSHI_FILES_ROOT, "n": len(stored)}
        )
    path = checkpoint_path()
    if path.exists() and path.stat().st_size:
        found.append(_("审计检查点文件 %(path)s 已有内容") % {"path": path})
    return found


def _restore_database(dump: Path, *, force: bool) -> None:
    if connection.vendor == "postgresql":
        args = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            args += ["--clean", "--if-exists"]
        pg_run("pg_restore", [*args, str(dump)])
        return
    target = str(connection.settings_dict["NAME"])
    connection.close()
    source = sqlite3.connect(dump)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    except sqlite3.Error as exc:  # "database or disk is full" among them
        raise BackupFailed(
            _("写入 SQLite 数据库 %(path)s 失败：%(error)s") % {"path": target, "error": exc}
        ) from None
    finally:
        dest.close()
        source.close()
    os.chmod(target, 0o600)


def _restore_files(staging: Path) -> int:
    root = Path(settings.XUNSHI_FILES_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    count = 0
    for name, path in file_members(staging / FILES_PREFIX.rstrip("/")):
        target = root / name.removeprefix(FILES_PREFIX)
        for folder in reversed(target.relative_to(root).parents):
            (root / folder).mkdir(mode=0o700, exist_ok=True)
        temp = target.with_name(".part-restore-" + target.name)
        shutil.copyfile(path, temp)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
        count += 1
    return count


def _restore_checkpoints(staging: Path) -> int:
    data = (staging / CHECKPOINTS_MEMBER).read_bytes()
    path = checkpoint_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():  # only with force: the old trail's anchor is kept beside, not lost
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        os.replace(path, path.with_name(f"{path.name}.before-restore-{stamp}"))
    if not data:  # the backed-up trail had no checkpoint yet: nor has the restored one
        return 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        os.fsync(out.fileno())
    return len([line for line in data.splitlines() if line.strip()])


def backup_restore(*, archive: Path, backup_key: bytes, force: bool) -> RestoreDone:
    """Restore database, files and checkpoints from an archive, checked whole before anything
    is written; a non-empty target is refused unless force."""
    if len(backup_key) != 16:
        raise BackupFailed(
            _("未设置备份密钥：请在环境变量 XUNSHI_BACKUP_KEY 中给出做备份时所用的密钥。")
        )
    if connection.vendor == "postgresql":
        pg_program("pg_restore")
    try:
        with tempfile.TemporaryDirectory(prefix="xunshi-restore-") as work:
            staging = Path(work)
            manifest = _stage(archive, backup_key, staging)
            occupied = target_is_empty()
            if occupied and not force:
                raise BackupFailed(
                    _(
                        "恢复目标不是空的（%(what)s）：为免覆盖现有数据，已拒绝恢复。"
                        "确需覆盖时加 --force。"
                    )
                    % {"what": "；".join(occupied)}
                )
            _restore_database(staging / manifest["database"], force=force)
            files = _restore_files(staging)
            checkpoints = _restore_checkpoints(staging)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise BackupFailed(
                _("磁盘空间不足：写入 %(path)s 时失败，恢复未完成。") % {"path": exc.filename or ""}
            ) from None
        raise BackupFailed(_("恢复未完成：%(error)s") % {"error": exc}) from None
    with connection.cursor() as cursor:
        restored = facts(
            cursor,
            sqlite_tables(cursor)
            if connection.vendor == "sqlite"
            else connection.introspection.table_names(cursor),
        )
    if restored["tables"] != manifest["tables"]:
        differ = sorted(
            t
            for t in set(restored["tables"]) | set(manifest["tables"])
            if restored["tables"].get(t) != manifest["tables"].get(t)
        )
        raise BackupFailed(
            _("恢复后的数据库与清单不符，这些表的行数不同：%(names)s")
            % {"names": ", ".join(differ[:8])}
        )
    return RestoreDone(
        manifest=manifest,
        tables=len(restored["tables"]),
        rows=sum(restored["tables"].values()),
        files=files,
        checkpoints=checkpoints,
    )


def restore_record(*, archive: Path, manifest: dict[str, Any]) -> None:
    """Chain the restore onto the restored trail (`system.restore`): the audit admin sees when
    the data went back to which backup. Only once the schema is this version's."""
    with transaction.atomic():
        record(
            actor=SYSTEM,
            action="system.restore",
            object_type="ops.backup",
            object_id=archive.name,
            object_repr=archive.name,
            after={
                "file": archive.name,
                "created": manifest.get("created"),
                "audit_last_id": (manifest.get("audit_head") or {}).get("last_id"),
            },
        )

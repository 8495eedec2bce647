"""What `backup` and `restore` refuse, in Chinese, writing nothing: no backup key, no pg_dump,
an archive that is changed, cut short, sealed with another key, or whose contents do not
match its manifest; a restore into a database that is not empty; a full disk."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess  # nosec B404: mount(8), for a real full disk
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xunshi.audit.models import AuditEvent
from xunshi.ops.archive import SealedWriter
from xunshi.testsupport.world import build_world


@pytest.fixture
def target(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Where a restore would write files and checkpoints: empty folders to watch."""
    settings.XUNSHI_FILES_ROOT = tmp_path / "restored-files"
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "restored-audit"
    return tmp_path


def _archive(
    path: Path, members: dict[str, bytes], manifest: dict[str, object] | None = None
) -> Path:
    """An archive as `backup` writes one, with these members and a manifest listing them."""
    listed = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    body = {
        "format": "xunshi-backup/1",
        "vendor": connection.vendor,
        "database": "database/x",
        "migrations": [],
        "tables": {},
        "files": listed,
        **(manifest or {}),
    }
    members = {**members, "manifest.json": json.dumps(body).encode()}
    with path.open("wb") as raw:
        writer = SealedWriter(raw, settings.XUNSHI_BACKUP_KEY, b"0123456789abcdef")
        with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        writer.close()
    return path


def _untouched(target: Path, events: int) -> None:
    assert not (target / "restored-files").exists()
    assert not (target / "restored-audit").exists()
    assert AuditEvent.objects.count() == events


def _refused(archive: Path, match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_changed_or_truncated_archive_is_refused_before_anything_is_written(world, target):
    events = AuditEvent.objects.count()
    good = _archive(target / "a.xsbk", {"files/ab/" + "ab" * 16: b"x" * 10_000})
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    (target / "changed.xsbk").write_bytes(bytes(data))
    _refused(target / "changed.xsbk", "块校验失败：文件已损坏或被篡改")
    (target / "cut.xsbk").write_bytes(good.read_bytes()[:-40])
    _refused(target / "cut.xsbk", "文件被截短")
    _untouched(target, events)


def test_an_archive_sealed_with_another_key_is_refused(world, target, settings):
    events = AuditEvent.objects.count()
    archive = _archive(target / "a.xsbk", {"files/ab/" + "ab" * 16: b"x"})
    settings.XUNSHI_BACKUP_KEY = bytes(16)
    _refused(archive, "备份密钥与此备份不符")
    settings.XUNSHI_BACKUP_KEY = b""
    _refused(archive, "未设置备份密钥")
    _untouched(target, events)


def test_contents_that_differ_from_the_manifest_or_leave_the_folder_are_refused(world, target):
    events = AuditEvent.objects.count()
    name = "files/ab/" + "ab" * 16
    other = _archive(target / "b.xsbk", {name: b"x"}, {"files": {name: "0" * 64}})
    _refused(other, f"备份内容与清单不符：{name}")
    escaping = _archive(target / "c.xsbk", {"../../etc/cron.d/x": b"x"})
    _refused(escaping, "备份中有不允许的条目")
    other_keys = _archive(target / "e.xsbk", {}, {"keys": {"XUNSHI_FIELD_KEY": "0" * 16}})
    _refused(other_keys, "本机的密钥与做备份时不同：XUNSHI_FIELD_KEY")
    newer = _archive(target / "d.xsbk", {}, {"migrations": [["audit", "9999_future"]]})
    _refused(newer, "来自较新的版本.*audit.9999_future")
    _untouched(target, events)


def test_a_database_that_is_not_empty_is_refused_without_force(world, target):
    events = AuditEvent.objects.count()
    archive = _archive(target / "a.xsbk", {"database/x": b"-"})
    _refused(archive, "恢复目标不是空的（数据库已有 .* 张表）.*--force")
    _untouched(target, events)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump serves PostgreSQL only")
def test_a_backup_without_pg_dump_says_what_to_install_and_writes_nothing(
    world, tmp_path, monkeypatch
):
    events = AuditEvent.objects.count()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(CommandError, match="找不到 pg_dump：请在本机安装"):
        call_command("backup", "--out", str(tmp_path / "out"), stdout=io.StringIO())
    assert AuditEvent.objects.count() == events
    assert not (tmp_path / "out").exists()


def test_a_backup_without_a_backup_key_is_refused(world, tmp_path, settings):
    settings.XUNSHI_BACKUP_KEY = b""
    with pytest.raises(CommandError, match="未设置备份密钥：请在环境变量 XUNSHI_BACKUP_KEY"):
        call_command("backup", "--out", str(tmp_path / "out"), stdout=io.StringIO())
    assert not (tmp_path / "out").exists()


@pytest.fixture
def full_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real file system of 64 KiB (tmpfs), where root may mount one; else the test skips."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(  # nosec B603 B607: mount(8) with fixed arguments
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)  # nosec B603 B607


def test_a_full_disk_is_said_in_chinese_and_leaves_no_half_archive(committed, full_disk):
    build_world()
    with pytest.raises(CommandError, match=r"磁盘空间不足：写入 .* 时失败，备份未完成"):
        call_command("backup", "--out", str(full_disk), stdout=io.StringIO())
    assert list(full_disk.iterdir()) == []

"""The backup drill (issue 12, item 11): a world backed up, restored into an empty database by
`manage.py restore` in another process with a fresh var/, and compared there: every table's
rows, every file's bytes, and `verify_audit` saying 审计链完整. On PostgreSQL (CI's second run)
through pg_dump / pg_restore; on SQLite through the online backup API."""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import shutil
import sqlite3
import subprocess  # nosec B404: the drill runs manage.py as an operator would
import sys
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.anchor import checkpoint_path
from xunshi.audit.models import AuditEvent
from xunshi.fieldwork import actions as onsite
from xunshi.files.actions import attachment_store
from xunshi.files.tests import samples
from xunshi.ops.archive import SealedReader
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.world import build_world

ROOT = Path(settings.BASE_DIR)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PASSPHRASE = "演练口令 drill passphrase 2026"
POSTGRES = connection.vendor == "postgresql"


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{name}"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The DATABASE_URL of a new, empty database (the CI role has CREATEDB)."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"xunshi_drill_{secrets.token_hex(4)}"
    with connection.cursor() as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with connection.cursor() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _world() -> None:
    """Records of every kind the office keeps, with files, and an audit trail anchored."""
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=SHANGHAI), tick=False):
        world = build_world()
        move_on_site(world.inspection1)
        onsite.talk_create(
            actor=world.users["bob"],
            inspection=world.inspection1,
            interviewee="赵有才",
            interviewee_post="兰考县委书记",
            category="required",
            interviewers=[world.cadres["bob"], world.cadres["carol"]],
            recorder=world.cadres["carol"],
            held_at=dt.datetime(2026, 9, 10, 9, 30, tzinfo=SHANGHAI),
            place="县委小会议室",
            outline="一、落实党中央决策部署情况",
            record="谈话内容：扶贫资金拨付滞后。",
        )
        onsite.petition_create(
            actor=SYSTEM,
            inspection=world.inspection1,
            channel="letter",
            received_on=dt.date(2026, 9, 12),
            content="反映某局违规发放津贴补贴。",
            real_name=True,
            petitioner_name="李四",
            petitioner_contact="13800000000",
        )
        for name, data in [("谈话提纲.docx", samples.docx()), ("现场照片.png", samples.png())]:
            attachment_store(
                actor=world.users["carol"],
                inspection=world.inspection1,
                upload=(name, data),
                audience="team",
            )
    call_command("verify_audit", stdout=io.StringIO())


def _manage(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # nosec B603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _rows(cursor: Any, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  # nosec B608
        out[table] = sorted(cursor.fetchall(), key=repr)
    return out


def _tables(cursor: Any) -> list[str]:
    if POSTGRES:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def _restored_rows(url: str) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    if POSTGRES:
        with psycopg.connect(url) as other, other.cursor() as cursor:
            tables = _tables(cursor)
            return tables, _rows(cursor, tables)
    # With the converters the suite's own connection applies (bool, datetime, decimal).
    other_db = sqlite3.connect(
        url.removeprefix("sqlite:///"),
        detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
    )
    try:
        tables = _tables(other_db.cursor())
        return tables, _rows(other_db.cursor(), tables)
    finally:
        other_db.close()


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.skipif(
    POSTGRES and not shutil.which("pg_dump"),
    reason="pg_dump is not installed (CI installs the postgresql package)",
)
def test_the_drill_restores_every_row_every_file_and_an_intact_audit_chain(
    committed, empty_database, tmp_path, settings, monkeypatch
):
    settings.XUNSHI_FILES_ROOT = tmp_path / "files"
    _world()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSPHRASE + "\n"))
    said = io.StringIO()
    call_command(
        "backup", "--out", str(tmp_path / "out"), "--keys-to", str(tmp_path / "keys"), stdout=said
    )
    assert "备份完成" in said.getvalue() and "密钥已另行导出" in said.getvalue()
    (archive,) = (tmp_path / "out").glob("*.xsbk")
    with archive.open("rb") as raw:
        plaintext = SealedReader(raw, settings.XUNSHI_BACKUP_KEY).read()
    for key in (settings.FIELD_MASTER_KEY.hex(), settings.XUNSHI_BACKUP_KEY.hex()):
        assert key.encode() not in plaintext  # the keys travel apart, never with the data
    assert settings.AUDIT_SM2_PRIVATE_KEY.encode() not in plaintext
    assert "赵有才".encode() not in archive.read_bytes()
    assert AuditEvent.objects.order_by("-id").first().action == "system.backup"  # type: ignore[union-attr]

    # A new host: the keys from the exported file (the passphrase on stdin), a fresh var/.
    opened = subprocess.run(  # nosec B603
        [
            sys.executable,
            "-m",
            "xunshi.ops.keyfile",
            str(tmp_path / "keys"),
            "--out",
            str(tmp_path / "env"),
        ],
        cwd=ROOT,
        input=PASSPHRASE + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert opened.returncode == 0, opened.stderr
    keys = dict(line.split("=", 1) for line in (tmp_path / "env").read_text().splitlines())
    assert keys["XUNSHI_FIELD_KEY"] == settings.FIELD_MASTER_KEY.hex()
    new = {
        **{k: v for k, v in os.environ.items() if not k.startswith("XUNSHI_")},
        **keys,
        "XUNSHI_ENV": "test",
        "DATABASE_URL": empty_database,
        "XUNSHI_FILES_ROOT": str(tmp_path / "new" / "files"),
        "XUNSHI_AUDIT_CHECKPOINT_DIR": str(tmp_path / "new" / "audit"),
    }

    # A wrong key and a changed byte are refused before anything is written.
    wrong = _manage({**new, "XUNSHI_BACKUP_KEY": secrets.token_hex(16)}, "restore", str(archive))
    assert wrong.returncode != 0 and "备份密钥与此备份不符" in wrong.stderr
    tampered = tmp_path / "tampered.xsbk"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    refused = _manage(new, "restore", str(tampered))
    assert refused.returncode != 0 and "校验失败" in refused.stderr
    assert _restored_rows(empty_database)[0] == []
    assert not (tmp_path / "new").exists()

    restored = _manage(new, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert "已恢复" in restored.stdout and "审计链完整" in restored.stdout

    if POSTGRES:  # both read by the same driver, the same way
        tables, rows = _restored_rows(_url(connection.settings_dict["NAME"]))
    else:
        with connection.cursor() as cursor:
            tables = _tables(cursor)
            rows = _rows(cursor, tables)
    their_tables, their_rows = _restored_rows(empty_database)
    assert their_tables == tables
    # The restore chained one event on (system.restore), and the head moved with it.
    last = max(row[0] for row in rows["audit_auditevent"])
    assert [r for r in their_rows["audit_auditevent"] if r[0] <= last] == rows["audit_auditevent"]
    (restore_event,) = [r for r in their_rows["audit_auditevent"] if r[0] > last]
    assert restore_event[0] == last + 1 and "system.restore" in restore_event
    # The restore's own verification is kept after the ones restored (a row of its own).
    grown = {"audit_auditevent", "audit_audithead", "audit_chainverification"}
    for table in set(tables) - grown:
        assert their_rows[table] == rows[table], table
    restored_checks = sorted(their_rows["audit_chainverification"])
    assert restored_checks[: len(rows["audit_chainverification"])] == sorted(
        rows["audit_chainverification"]
    )
    assert rows["inspections_talk"] and rows["files_attachment"] and rows["audit_auditevent"]
    files = _files(tmp_path / "files")
    assert len(files) == 2 and _files(tmp_path / "new" / "files") == files
    restored_checkpoints = (tmp_path / "new" / "audit" / "checkpoints.jsonl").read_text()
    assert restored_checkpoints.startswith(checkpoint_path().read_text())

    verified = _manage(new, "verify_audit")
    assert verified.returncode == 0 and "审计链完整" in verified.stdout, verified.stderr
    again = _manage(new, "restore", str(archive))
    assert again.returncode != 0 and "恢复目标不是空的" in again.stderr
    forced = _manage(new, "restore", "--force", str(archive))
    assert forced.returncode == 0 and "审计链完整" in forced.stdout, forced.stderr
    again_rows = _restored_rows(empty_database)[1]
    for table in set(tables) - grown:
        assert again_rows[table] == rows[table], table
    assert [r[0] for r in sorted(again_rows["audit_auditevent"])][-1] == last + 1
    assert list((tmp_path / "new" / "audit").glob("checkpoints.jsonl.before-restore-*"))

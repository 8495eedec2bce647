"""The processes we start create their files for the app user alone: the SQLite database and
its WAL 0600, whatever the umask of the shell or service manager (issue 12)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TOUCH_DB = (
    "from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute('CREATE TABLE t (x text)'); cursor.execute(\"INSERT INTO t VALUES ('a')\")"
)


def _run(args: list[str], database: Path) -> str:
    env = {
        **os.environ,
        "XUNSHI_ENV": "test",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),  # a lax umask, as a shell would have
    )
    return done.stdout


def test_manage_py_creates_the_database_and_its_wal_for_the_app_user_alone(tmp_path):
    database = tmp_path / "xunshi.sqlite3"
    _run([str(ROOT / "manage.py"), "shell", "-c", TOUCH_DB], database)
    made = [p for p in tmp_path.iterdir() if p.name.startswith("xunshi.sqlite3")]
    assert database in made
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_the_web_process_creates_its_files_for_the_app_user_alone(tmp_path):
    database = tmp_path / "web.sqlite3"
    out = _run(
        ["-c", f"import config.wsgi; {TOUCH_DB}; import os; print(oct(os.umask(0)))"], database
    )
    assert out.strip() == "0o77"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_text_replaced_leaves_no_copy_in_the_database_file_or_its_wal(tmp_path):
    database = tmp_path / "xunshi.sqlite3"
    marker = "旧的谈话记录MARKER-0b7c1e"
    script = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('CREATE TABLE t (id integer primary key, x text)'); "
        'c.execute("INSERT INTO t (x) VALUES '
        "('旧的谈话记录MARKER-0b7c1e' || hex(randomblob(200)))\"); "
        "c.execute(\"UPDATE t SET x = 'sealed'\"); "
        "c.execute('PRAGMA wal_checkpoint(PASSIVE)')"
    )
    _run([str(ROOT / "manage.py"), "shell", "-c", script], database)
    for path in tmp_path.iterdir():
        assert marker.encode() not in path.read_bytes(), path.name

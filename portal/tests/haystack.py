"""Everywhere the portal could have left a trace, as bytes, and the forms a secret takes.

The database file (and its WAL) on SQLite, `pg_dump` on PostgreSQL when it is on PATH, every
row of every table either way, the media directory if one is set, files written during the
test under the portal's ``var/`` and in the temporary directory the test gave the portal
(``tempfile`` and Django's uploads write there), the log files of configured handlers, and
the captured log records and console output.

Only the directories the portal writes are searched, never the whole system temporary
directory: other processes create and remove folders there, and a search of it was slow and
failed when one vanished under it.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

__all__ = ["forms_of", "haystacks"]


def forms_of(secret: str) -> list[bytes]:
    """The secret in UTF-8, UTF-16-LE, hex and base64 (at each of the three alignments)."""
    raw = secret.encode("utf-8")
    found = [raw, secret.encode("utf-16-le"), raw.hex().encode(), raw.hex().upper().encode()]
    for shift in range(3):
        encoded = base64.b64encode(b"\x00" * shift + raw)
        # Drop the characters that mix the padding or the neighbours' bits.
        start = {0: 0, 1: 4, 2: 4}[shift]
        core = encoded[start : len(encoded) - 4]
        if len(core) >= 8:
            found.append(core)
            found.append(core.replace(b"+", b"-").replace(b"/", b"_"))
    return found


def _files(root: Path, since: float | None = None) -> Iterator[tuple[str, bytes]]:
    """The files under root (or root itself), those changed since `since` if it is given.

    A file or folder that disappears while we look is skipped (os.walk ignores errors)."""
    if root.is_file():
        paths = [root]
    else:
        paths = [Path(top) / name for top, _, names in os.walk(root) for name in names]
    for path in paths:
        try:
            if not path.is_file() or path.is_symlink():
                continue
            stat = path.stat()
            if since is not None and stat.st_mtime < since:
                continue
            if stat.st_size > 200 * 1024 * 1024:
                continue
            yield str(path), path.read_bytes()
        except OSError:
            continue


def _database() -> Iterator[tuple[str, bytes]]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        for suffix in ("", "-wal", "-journal", "-shm"):
            yield from _files(Path(name + suffix))
    elif connection.vendor == "postgresql" and shutil.which("pg_dump"):
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = ["pg_dump", "--no-owner", "-d", str(db["NAME"])]
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if db.get(key):
                command += [flag, str(db[key])]
        dump = subprocess.run(command, capture_output=True, env=env, check=True, timeout=120)
        yield "pg_dump", dump.stdout
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        rows.append(bytes(value))
                    else:
                        rows.append(str(value).encode("utf-8"))
    yield "rows", b"\n".join(rows)


def _log_files() -> Iterator[tuple[str, bytes]]:
    seen = set()
    loggers = [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            name = getattr(handler, "baseFilename", None)
            if name and name not in seen:
                seen.add(name)
                yield from _files(Path(name))


def haystacks(*, since: float, captured: str, temporary: Path) -> list[tuple[str, bytes]]:
    """(where, bytes) of every place searched; `captured` is the caught logs and output,
    `temporary` the temporary directory the test gave the portal (searched whole)."""
    places = [*_database(), *_log_files(), ("captured logs and output", captured.encode())]
    media = getattr(settings, "MEDIA_ROOT", "")
    if media:
        places.extend(_files(Path(media)))
    places.extend(_files(Path(settings.BASE_DIR) / "var", since=since - 1))
    uploads = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    for folder in {temporary, *([Path(uploads)] if uploads else [])}:
        places.extend(_files(folder))
    return places


def now() -> float:
    return time.time()

"""The bytes of attachments on disk: ``XUNSHI_FILES_ROOT/<2 characters>/<token>``.

Files are 0600 and folders 0700, whatever the process umask; a file is written under a
temporary name in its final folder, flushed to disk, then renamed, so a reader never sees
half a file. Only `actions.py` calls `write` and `remove`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

__all__ = ["TOKEN", "path_for", "read", "remove", "stored_tokens", "write"]

TOKEN = re.compile(r"^[0-9a-f]{32}$")
_TEMP_PREFIX = ".part-"


def _root() -> Path:
    return Path(settings.XUNSHI_FILES_ROOT)


def path_for(token: str) -> Path:
    if not TOKEN.match(token):
        raise ValueError("not an attachment token")
    return _root() / token[:2] / token


def _folder(path: Path) -> None:
    for folder in (path.parent.parent, path.parent):
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)


def write(data: bytes) -> str:
    """Store the bytes under a new random token and return the token."""
    token = secrets.token_hex(16)
    path = path_for(token)
    _folder(path)
    temp = path.with_name(_TEMP_PREFIX + secrets.token_hex(8))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return token


def read(token: str) -> bytes:
    return path_for(token).read_bytes()


def remove(token: str) -> None:
    path_for(token).unlink(missing_ok=True)


def stored_tokens(*, older_than_seconds: float) -> Iterator[tuple[str, Path]]:
    """Every stored file (and left-over temporary file) not touched for the given time."""
    root = _root()
    if not root.is_dir():
        return
    cutoff = time.time() - older_than_seconds
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    yield path.name, path

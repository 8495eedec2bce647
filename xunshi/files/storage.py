"""The bytes of attachments on disk: ``XUNSHI_FILES_ROOT/<2 characters>/<token>``.

Every file is sealed (SM4-GCM with the field key, the token as associated data: see
xunshi/lib/sealed_fields.py): `write` takes the checked plain bytes and stores them sealed,
`read` opens them; a file that is not sealed, was sealed for another name, or was changed
does not open (CryptoError). Files are 0600 and folders 0700, whatever the process umask; a
file is written under a temporary name in its final folder, flushed to disk, then renamed, so
a reader never sees half a file. Only `actions.py` calls `write`, `reseal` and `remove`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from xunshi.lib.crypto import CryptoError
from xunshi.lib.sealed_fields import current_key_id, key_id_of_file, open_file, seal_file

__all__ = ["TOKEN", "path_for", "read", "remove", "reseal", "stored_tokens", "write"]

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
    """Store the bytes sealed under a new random token and return the token."""
    token = secrets.token_hex(16)
    _put(path_for(token), seal_file(data, aad=token.encode()))
    return token


def _put(path: Path, data: bytes) -> None:
    """Write data at path: temporary name, fsync, rename, fsync of the folder."""
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


def read(token: str) -> bytes:
    """The plain bytes of a stored file (CryptoError if they do not open)."""
    return open_file(path_for(token).read_bytes(), aad=token.encode())


def reseal(token: str, *, plain_sha256: str | None = None) -> bool:
    """Seal a stored file again with the current key, in place (write and rename): a file
    sealed with the old key during a rotation, or one stored before files were sealed (then
    only if its SHA-256 is `plain_sha256`, the row's). False if it already was current."""
    path = path_for(token)
    stored = path.read_bytes()
    key_id = key_id_of_file(stored)
    if key_id == current_key_id():
        return False
    if key_id is None:
        if plain_sha256 is None or hashlib.sha256(stored).hexdigest() != plain_sha256:
            raise CryptoError("not a sealed file, nor the file uploaded under this name")
        data = stored
    else:
        data = open_file(stored, aad=token.encode())
    _put(path, seal_file(data, aad=token.encode()))
    return True


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

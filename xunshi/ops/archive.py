"""The sealed backup archive: a tar stream cut into chunks, each sealed with SM4-GCM.

Layout of a ``.xsbk`` file::

    MAGIC ‖ archive id (16 random bytes) ‖ key check (32 bytes)
    then records: length (4 bytes, big-endian) ‖ seal_bytes(chunk)

Each chunk holds at most :data:`CHUNK` bytes of the tar stream and is sealed
(:func:`xunshi.lib.crypto.seal_bytes`) with a key derived from the backup key, its additional
data binding it to this archive, to its place and to whether it is the last one::

    b"xunshi-backup/v1|" ‖ archive id ‖ index (8 bytes) ‖ b"F" (final) or b"M" (more)

so a chunk changed, dropped, swapped, copied from another archive, or an archive cut short
after any chunk, fails to open. The key check (HMAC-SM3 of the archive id with another derived
key) tells a wrong key from a damaged archive before any chunk is tried. The writer and the
reader are file objects for :mod:`tarfile`'s stream modes.
"""

from __future__ import annotations

import hmac
import struct
from typing import BinaryIO

from django.utils.translation import gettext as _

from xunshi.lib.crypto import (
    CryptoError,
    derive_key,
    hmac_sm3_hex,
    open_sealed_bytes,
    seal_bytes,
)

__all__ = [
    "CHUNK",
    "MAGIC",
    "ArchiveDamaged",
    "ArchiveRefused",
    "ArchiveWrongKey",
    "SealedReader",
    "SealedWriter",
]

MAGIC = b"XUNSHI-BACKUP/1\n"
#: Plaintext bytes per chunk: big enough that the 35 bytes a chunk costs do not matter, small
#: enough that a reader holds only one in memory.
CHUNK = 4 * 1024 * 1024
_ID_SIZE = 16
_CHECK_SIZE = 32
_LENGTH = struct.Struct(">I")
# A record is never longer than a chunk plus the seal's magic, nonce and tag.
_MAX_RECORD = CHUNK + 64


class ArchiveRefused(Exception):
    """The archive cannot be opened; the message says why, in Chinese."""


class ArchiveWrongKey(ArchiveRefused):
    pass


class ArchiveDamaged(ArchiveRefused):
    pass


def _keys(backup_key: bytes) -> tuple[bytes, bytes]:
    return derive_key(backup_key, "backup-archive/v1"), derive_key(backup_key, "backup-check/v1")


def _check(check_key: bytes, archive_id: bytes) -> bytes:
    return bytes.fromhex(hmac_sm3_hex(check_key, b"xunshi-backup-check/v1|" + archive_id))


def _aad(archive_id: bytes, index: int, final: bool) -> bytes:
    return b"xunshi-backup/v1|" + archive_id + index.to_bytes(8, "big") + (b"F" if final else b"M")


class SealedWriter:
    """A write-only file object that seals what is written into ``out`` chunk by chunk;
    :meth:`close` seals the last chunk (flagged final) and must be called for a whole archive."""

    def __init__(self, out: BinaryIO, backup_key: bytes, archive_id: bytes) -> None:
        if len(archive_id) != _ID_SIZE:
            raise ValueError("archive id must be 16 bytes")
        self._out = out
        self._key, check_key = _keys(backup_key)
        self._id = archive_id
        self._index = 0
        self._buffer = bytearray()
        self._closed = False
        out.write(MAGIC + archive_id + _check(check_key, archive_id))

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buffer += data
        # A chunk goes out only once more bytes follow it, so that the last one is known.
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        sealed = seal_bytes(self._key, chunk, aad=_aad(self._id, self._index, final))
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self._closed = True

    @property
    def chunks(self) -> int:
        return self._index


class SealedReader:
    """A read-only file object over a sealed archive: :meth:`read` returns the tar stream and
    raises :class:`ArchiveRefused` on a wrong key, a changed chunk or an archive cut short."""

    def __init__(self, source: BinaryIO, backup_key: bytes) -> None:
        self._in = source
        self._key, check_key = _keys(backup_key)
        head = source.read(len(MAGIC) + _ID_SIZE + _CHECK_SIZE)
        if len(head) < len(MAGIC) + _ID_SIZE + _CHECK_SIZE or not head.startswith(MAGIC):
            raise ArchiveDamaged(_("这不是巡视平台的备份文件（文件头不符），或文件已损坏。"))
        self._id = head[len(MAGIC) : len(MAGIC) + _ID_SIZE]
        if not hmac.compare_digest(head[-_CHECK_SIZE:], _check(check_key, self._id)):
            raise ArchiveWrongKey(
                _("备份密钥与此备份不符：请确认 XUNSHI_BACKUP_KEY 是做这份备份时所用的密钥。")
            )
        self._index = 0
        self._chunk = b""
        self._pos = 0
        self._done = False

    def _next(self) -> None:
        raw = self._in.read(_LENGTH.size)
        if len(raw) < _LENGTH.size:
            raise ArchiveDamaged(
                _("备份文件不完整：第 %(n)s 块之前就已结束（文件被截短或未写完）。")
                % {"n": self._index + 1}
            )
        (length,) = _LENGTH.unpack(raw)
        sealed = self._in.read(length) if length <= _MAX_RECORD else b""
        if len(sealed) != length or not sealed:
            raise ArchiveDamaged(
                _("备份文件第 %(n)s 块长度不符：文件被截短或被改动。") % {"n": self._index + 1}
            )
        for final in (False, True):
            try:
                chunk = open_sealed_bytes(self._key, sealed, aad=_aad(self._id, self._index, final))
            except CryptoError:
                continue
            self._index += 1
            self._chunk, self._pos = chunk, 0
            if final:
                self._done = True
                if self._in.read(1):
                    raise ArchiveDamaged(_("备份文件在最后一块之后还有多余的内容：文件被改动。"))
            return
        raise ArchiveDamaged(
            _("备份文件第 %(n)s 块校验失败：文件已损坏或被篡改，未恢复任何内容。")
            % {"n": self._index + 1}
        )

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while size < 0 or len(out) < size:
            if self._pos >= len(self._chunk):
                if self._done:
                    break
                self._next()
                continue
            left = len(self._chunk) - self._pos
            take = left if size < 0 else min(size - len(out), left)
            out += self._chunk[self._pos : self._pos + take]
            self._pos += take
        return bytes(out)

    def drain(self) -> None:
        """Read and check to the final chunk (what tar left unread, its end padding)."""
        while not self._done:
            self._next()
        self._chunk, self._pos = b"", 0

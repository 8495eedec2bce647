"""The sealed archive's format and the exported keys: what is changed, cut short, swapped or
opened with the wrong key or passphrase is refused, saying which."""

from __future__ import annotations

import io
import secrets
import struct

import pytest

from xunshi.ops import archive
from xunshi.ops.archive import ArchiveDamaged, ArchiveWrongKey, SealedReader, SealedWriter
from xunshi.ops.keyfile import KeyfileRefused, open_keys, seal_keys

KEY = bytes(range(16))


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(archive, "CHUNK", 1000)


def _sealed(data: bytes, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, key, secrets.token_bytes(16))
    writer.write(data)
    writer.close()
    return out.getvalue()


def _records(blob: bytes) -> tuple[bytes, list[bytes]]:
    """The header and the records (length prefix included) of an archive."""
    pos = len(archive.MAGIC) + 16 + 32
    head, records = blob[:pos], []
    while pos < len(blob):
        (length,) = struct.unpack(">I", blob[pos : pos + 4])
        records.append(blob[pos : pos + 4 + length])
        pos += 4 + length
    return head, records


def _open(blob: bytes, key: bytes = KEY) -> bytes:
    reader = SealedReader(io.BytesIO(blob), key)
    data = reader.read()
    reader.drain()
    return data


def test_it_round_trips_many_chunks_and_an_empty_stream():
    data = secrets.token_bytes(4321)
    blob = _sealed(data)
    assert len(_records(blob)[1]) == 5
    assert _open(blob) == data
    assert _open(_sealed(b"")) == b""


def test_it_tells_a_wrong_key_from_damage():
    with pytest.raises(ArchiveWrongKey, match="备份密钥与此备份不符"):
        _open(_sealed(b"x" * 3000), key=bytes(16))


def test_it_refuses_a_changed_byte_naming_the_chunk():
    blob = bytearray(_sealed(b"x" * 3000))
    blob[-1500] ^= 1
    with pytest.raises(ArchiveDamaged, match="第 2 块校验失败"):
        _open(bytes(blob))


def test_it_refuses_an_archive_cut_after_a_whole_chunk():
    head, records = _records(_sealed(b"x" * 3000))
    with pytest.raises(ArchiveDamaged, match="不完整"):
        _open(head + b"".join(records[:-1]))


def test_it_refuses_swapped_chunks_and_a_chunk_from_another_archive():
    head, records = _records(_sealed(b"a" * 1000 + b"b" * 1000 + b"c"))
    with pytest.raises(ArchiveDamaged, match="第 1 块校验失败"):
        _open(head + records[1] + records[0] + records[2])
    _, others = _records(_sealed(b"z" * 3000))
    with pytest.raises(ArchiveDamaged, match="第 1 块校验失败"):
        _open(head + others[0] + records[1] + records[2])


def test_it_refuses_bytes_after_the_final_chunk_and_a_foreign_file():
    with pytest.raises(ArchiveDamaged, match="多余的内容"):
        _open(_sealed(b"x" * 10) + b"\0")
    with pytest.raises(ArchiveDamaged, match="不是巡视平台的备份文件"):
        _open(b"PK\x03\x04" + bytes(100))


def test_the_key_file_opens_with_its_passphrase_only():
    sealed = seal_keys({"XUNSHI_FIELD_KEY": "ab" * 16}, "正确的口令 correct horse")
    assert open_keys(sealed, "正确的口令 correct horse") == {"XUNSHI_FIELD_KEY": "ab" * 16}
    assert b"abab" not in sealed
    with pytest.raises(KeyfileRefused, match="口令不对"):
        open_keys(sealed, "错误的口令 wrong horse")
    with pytest.raises(KeyfileRefused, match="口令太短"):
        seal_keys({"XUNSHI_FIELD_KEY": "ab" * 16}, "short")

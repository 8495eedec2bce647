"""ZIP archives, the Office Open XML container (docx, xlsx, pptx) and old Office (OLE) files:
archive bombs, nested archives, macros, ActiveX, embedded objects, external templates."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

import filetype
import olefile

from .policy import (
    ACCEPTED_TEXT,
    ARCHIVE_SUFFIXES,
    ARCHIVES,
    EXECUTABLES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    RATIO_FLOOR_BYTES,
    RISKY_SUFFIXES,
    XML_PART_MAX_BYTES,
    Budget,
    Refused,
    bomb,
    extension,
    not_accepted,
    size_text,
)


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Refused("已损坏，无法打开，请检查后重新上传。", "damaged") from None
    if len(infos) > MAX_MEMBERS:
        raise bomb(f"包含{len(infos)}个文件，超过{MAX_MEMBERS}个的上限")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise bomb(f"解压后共{size_text(total)}，超过{size_text(MAX_UNPACKED_BYTES)}的上限")
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("已加密，无法检查其中的内容，请去除密码后再上传。")
        if _too_compressed(info.file_size, info.compress_size):
            raise bomb(f"其中“{info.filename}”的压缩比超过{MAX_RATIO}:1")
    return archive, infos


def _too_compressed(size: int, compressed: int) -> bool:
    return size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(compressed, 1)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, *, keep_up_to: int
) -> bytes | None:
    """The member's bytes (None beyond keep_up_to), inflating no more than the budget allows."""
    kept: list[bytes] = []
    keeping = True
    n = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(64 * 1024):
                n += len(chunk)
                budget.take(len(chunk))
                if _too_compressed(n, info.compress_size):
                    raise bomb(f"其中“{info.filename}”的压缩比超过{MAX_RATIO}:1")
                if keeping and n <= keep_up_to:
                    kept.append(chunk)
                elif keeping:
                    keeping, kept = False, []
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise Refused(
            f"已损坏（“{info.filename}”无法读取），请检查后重新上传。", "damaged"
        ) from None
    return b"".join(kept) if keeping else None


Inspect = Callable[..., str]


def check_zip(
    data: bytes, *, budget: Budget, nested: bool, max_bytes: int, inspect: Inspect
) -> str:
    """A plain archive ("zip") or an Office package (its kind); `inspect` checks a member,
    which may be up to max_bytes."""
    archive, infos = _open_zip(data)
    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names:
        return _check_ooxml(archive, infos, budget)
    if "mimetype" in names:
        raise Refused(
            "是 OpenDocument（ODF）格式的文件，请另存为 Word、Excel 或 PDF 后再上传。", "unknown"
        )
    if nested:
        raise Refused("是压缩包，不接收嵌套的压缩包，请解压后分别上传。", "nested")
    _check_plain_zip(archive, infos, budget, inspect, max_bytes)
    return "zip"


def _check_plain_zip(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    budget: Budget,
    inspect: Inspect,
    limit: int,
) -> None:
    for info in infos:
        member = info.filename
        if member.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", member):
            raise Refused(f"中的“{member}”路径不安全（指向压缩包以外），不予接收。")
        if info.is_dir():
            continue
        ext = extension(member)
        if ext in ARCHIVE_SUFFIXES:
            raise Refused(
                f"中的“{member}”是压缩包，不接收嵌套的压缩包，请解压后分别上传。", "nested"
            )
        if ext in RISKY_SUFFIXES:
            raise Refused(f"中的“{member}”是程序、脚本、网页或含宏文档，出于安全原因不予接收。")
        content = _read_member(archive, info, budget, keep_up_to=limit)
        if content is None:
            raise Refused(f"中的“{member}”超过{size_text(limit)}，无法完成安全检查，请单独上传。")
        try:
            _inspect_member(content, budget=budget, inspect=inspect, max_bytes=limit)
        except Refused as e:
            raise Refused(f"中的“{member}”{e.text}", e.code) from None


def _inspect_member(content: bytes, *, budget: Budget, inspect: Inspect, max_bytes: int) -> None:
    """A member of a plain ZIP: documents are checked like uploads, other types are let be
    (scripts and programs were refused by their names already)."""
    if content.startswith((b"%PDF-", OLE_MAGIC, b"PK\x03\x04", b"PK\x05\x06")):
        try:
            inspect(content, budget=budget, nested=True, max_bytes=max_bytes)
        except Refused as e:
            if e.code not in ("unknown", "damaged"):
                raise
        return
    guess = filetype.guess(content)
    if guess is not None and (guess.extension in EXECUTABLES or guess.extension in ARCHIVES):
        raise Refused(not_accepted(guess.extension, guess.mime))


_CONTENT_TYPE = re.compile(rb'ContentType\s*=\s*"([^"]*)"', re.I)
_MAIN_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.I)
_EXTERNAL_RISKY = re.compile(rb"/(attachedTemplate|oleObject|frame|subDocument)\"", re.I)

MACRO = "含有宏代码，出于安全原因不予接收，请另存为不含宏的文档后再上传。"


def _check_ooxml(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], budget: Budget) -> str:
    by_name = {i.filename: i for i in infos}
    types = _read_member(
        archive, by_name["[Content_Types].xml"], budget, keep_up_to=XML_PART_MAX_BYTES
    )
    if types is None:
        raise Refused("的内部结构异常（内容类型清单过大），不予接收。")
    declared = {t.lower() for t in _CONTENT_TYPE.findall(types)}
    lowered = [n.lower() for n in by_name]
    if any(b"macroenabled" in t or b"vbaproject" in t or b"macrosheet" in t for t in declared):
        raise Refused(MACRO)
    if any(n.endswith(("vbaproject.bin", "vbadata.xml")) or "/macrosheets/" in n for n in lowered):
        raise Refused(MACRO)
    if any("/activex/" in n for n in lowered):
        raise Refused("含有 ActiveX 控件，出于安全原因不予接收，请删除控件后再上传。")
    embedded_ole = b"application/vnd.openxmlformats-officedocument.oleobject" in declared
    if embedded_ole or any(
        "/embeddings/" in n and (n.endswith(".bin") or n.endswith(RISKY_SUFFIXES)) for n in lowered
    ):
        raise Refused(
            "含有嵌入的 OLE 对象（可能携带程序），出于安全原因不予接收，请删除嵌入对象后再上传。"
        )
    for name, info in by_name.items():
        if name.lower().endswith(".rels"):
            rels = _read_member(archive, info, budget, keep_up_to=XML_PART_MAX_BYTES) or b""
            for rel in _RELATIONSHIP.findall(rels):
                if b'targetmode="external"' in rel.lower() and _EXTERNAL_RISKY.search(rel):
                    raise Refused("引用了外部模板或外部对象，打开时会从网络加载内容，不予接收。")
    kinds = {_MAIN_TYPES[t] for t in _MAIN_TYPES if t.lower() in declared}
    if len(kinds) != 1:
        raise Refused(f"是本系统不接收的 Office 文件类型。系统接收{ACCEPTED_TEXT}。", "unknown")
    return kinds.pop()


# --- old Office (OLE compound files) ----------------------------------------------------------

_MACRO_STORAGES = {"_vba_project_cur", "_vba_project", "vba", "macros"}


def check_ole(data: bytes) -> str:
    try:
        ole = olefile.OleFileIO(data)
    except Exception:  # olefile raises a variety of errors on a malformed file
        raise Refused("已损坏，无法打开，请检查后重新上传。", "damaged") from None
    try:
        entries = ole.listdir(streams=True, storages=True)
        parts = {p.lower() for path in entries for p in path}
        if parts & _MACRO_STORAGES:
            raise Refused(MACRO)
        if parts & {"encryptedpackage", "encryptioninfo"}:
            raise Refused("已加密，无法检查其中的内容，请去除密码后再上传。")
        if "\x01ole10native" in parts:
            raise Refused("含有嵌入的程序包对象，出于安全原因不予接收，请删除嵌入对象后再上传。")
        top = {path[0].lower() for path in entries}
        if "worddocument" in top:
            return "doc"
        if "powerpoint document" in top:
            return "ppt"
        for stream in ("Workbook", "Book"):
            if ole.exists(stream):
                _check_biff_globals(ole.openstream(stream).read())
                return "xls"
        raise Refused(f"是本系统不接收的文件类型。系统接收{ACCEPTED_TEXT}。", "unknown")
    finally:
        ole.close()


def _biff_records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        yield rtype, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length


def _check_biff_globals(stream: bytes) -> None:
    """Excel 4.0 macro sheets and password encryption live in the workbook's global records."""
    for rtype, body in _biff_records(stream):
        if rtype == 0x002F:  # FILEPASS
            raise Refused("已加密，无法检查其中的内容，请去除密码后再上传。")
        if rtype == 0x0085 and len(body) >= 6 and body[5] in (0x01, 0x06):  # BOUNDSHEET
            raise Refused(MACRO)
        if rtype == 0x000A:  # EOF of the globals
            return

"""ZIP archives, the Office Open XML container (docx, xlsx, pptx) and old Office (OLE) files:
archive bombs, nested archives, macros, ActiveX, embedded objects, external templates, DDE."""

from __future__ import annotations

import codecs
import html
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
    for info in infos:
        info.filename = member_name(info)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise bomb(f"解压后共{size_text(total)}，超过{size_text(MAX_UNPACKED_BYTES)}的上限")
    for info in infos:
        if info.flag_bits & 0x1:
            raise Refused("已加密，无法检查其中的内容，请去除密码后再上传。")
        if _too_compressed(info.file_size, info.compress_size):
            raise bomb(f"其中“{info.filename}”的压缩比超过{MAX_RATIO}:1")
    return archive, infos


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it.

    Without the UTF-8 flag (bit 11) zipfile decodes a name as CP437, which is what old tools
    meant, but Chinese Windows (Explorer, WinRAR, 360压缩) writes GBK there, and some tools
    UTF-8 without the flag: the bytes are taken back and decoded as UTF-8, else GB18030 (a
    superset of GBK), else left as CP437. Reading still uses the original name (zipfile
    compares it with the local header)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # a name that zipfile itself did not decode as CP437
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding).replace("\x00", "")
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe_path(info: zipfile.ZipInfo) -> bool:
    """A path that leaves the archive, read as CP437 or as decoded (a GBK character's second
    byte may be a backslash)."""
    for name in (info.filename, info.orig_filename):
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
            return True
        if ".." in re.split(r"[/\\]", name):
            return True
    return False


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
    if "OFD.xml" in names:
        _check_members(archive, infos, budget, inspect, max_bytes, ofd=True)
        return "ofd"
    if "mimetype" in names:
        raise Refused(
            "是 OpenDocument（ODF）格式的文件，请另存为 Word、Excel 或 PDF 后再上传。", "unknown"
        )
    if nested:
        raise Refused("是压缩包，不接收嵌套的压缩包，请解压后分别上传。", "nested")
    _check_members(archive, infos, budget, inspect, max_bytes, ofd=False)
    return "zip"


def _check_members(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    budget: Budget,
    inspect: Inspect,
    limit: int,
    *,
    ofd: bool,
) -> None:
    """The members of a plain ZIP, or of an OFD (whose XML parts are searched for scripts and
    automatic actions; its attachments are members like any other)."""
    if ofd:
        root = next(i for i in infos if i.filename == "OFD.xml")
        _check_ofd_root(_read_member(archive, root, budget, keep_up_to=XML_PART_MAX_BYTES))
    for info in infos:
        member = info.filename
        if _unsafe_path(info):
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
        if ofd:
            # Every part that is XML, whatever its name: Document.xml names the pages' parts.
            try:
                _check_ofd_part(_xml_text(archive, info, budget))
            except Refused as e:
                raise Refused(f"中的“{member}”{e.text}", e.code) from None
            if ext == ".xml":
                continue
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
_RELATIONSHIP = re.compile(r"<(?:[\w.-]+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# Relationship types that load content from elsewhere when the document opens.
_EXTERNAL_RISKY = {"attachedtemplate", "oleobject", "frame", "subdocument"}

MACRO = "含有宏代码，出于安全原因不予接收，请另存为不含宏的文档后再上传。"
DDE = "含有 DDE 字段（打开时可能运行外部程序），出于安全原因不予接收，请删除该字段后再上传。"


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
            _check_relationships(_read_member(archive, info, budget, keep_up_to=XML_PART_MAX_BYTES))
    for info in by_name.values():  # every part that is XML, whatever its name
        _check_fields(_xml_text(archive, info, budget))
    kinds = {_MAIN_TYPES[t] for t in _MAIN_TYPES if t.lower() in declared}
    if len(kinds) != 1:
        raise Refused(f"是本系统不接收的 Office 文件类型。系统接收{ACCEPTED_TEXT}。", "unknown")
    return kinds.pop()


def _check_relationships(rels: bytes | None) -> None:
    """External templates, frames, sub-documents and OLE links; altChunk (a part in another
    format, HTML or RTF, that Word converts on opening, unchecked by us)."""
    if rels is None:
        raise Refused("的内部结构异常（关系清单过大），不予接收。")
    for rel in _RELATIONSHIP.findall(_as_text(rels)):
        attributes = {
            name.lower(): html.unescape(double or single)
            for name, double, single in _ATTRIBUTE.findall(rel)
        }
        kind = attributes.get("type", "").strip().rstrip("/").rpartition("/")[2].lower()
        external = attributes.get("targetmode", "").strip().lower() == "external"
        if external and kind in _EXTERNAL_RISKY:
            raise Refused("引用了外部模板或外部对象，打开时会从网络加载内容，不予接收。")
        if kind == "afchunk":
            raise Refused(
                "嵌有其他格式的文档片段（altChunk），无法检查其中的内容，"
                "请用 Word 或 WPS 另存后再上传。"
            )


def _as_text(xml: bytes) -> str:
    """An XML part as text: UTF-8, or UTF-16 when it says so by its first bytes."""
    return xml.decode(_xml_encoding(xml[:4]), "replace")


def _looks_like_xml(head: bytes) -> bool:
    head = head.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    return head.replace(b"\x00", b"").lstrip()[:1] == b"<"


def _xml_encoding(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"<\x00")):
        return "utf-16-le"
    if head.startswith((b"\xfe\xff", b"\x00<")):
        return "utf-16-be"
    return "utf-8"


# A field's instruction is in w:instrText runs between fldChar begin and separate (one word may
# be split over several runs: they are joined), or in the instr attribute of w:fldSimple.
_FIELD_TOKEN = re.compile(
    r"<(?:[\w.-]+:)?fldChar\b[^>]*?\bfldCharType\s*=\s*[\"'](begin|separate|end)[\"']"
    r"|<(?:[\w.-]+:)?(?:instrText|delInstrText)\b[^>]*>([^<]*)<"
    r"|<(?:[\w.-]+:)?fldSimple\b[^>]*?\binstr\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"
    r"|<(?:[\w.-]+:)?(ddeLink)\b"
)
# XML names are case-sensitive: a piece without these holds no token (a worksheet, say).
_FIELD_WORDS = ("nstrText", "fldSimple", "fldChar", "ddeLink")
_DDE = re.compile(r"\bDDE(?:AUTO)?\b", re.I)
_CARRY_MAX = 16 * 1024 * 1024  # text without a "<" in it, longer than any real part has


def _xml_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> Iterator[str]:
    """The member's text in pieces that end just before a "<", so that no tag is cut in two,
    inflating no more than the budget allows; nothing if the member does not start like XML
    (a picture, a font)."""
    decoder = None
    carry = ""
    n = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1024 * 1024):
                n += len(chunk)
                budget.take(len(chunk))
                if _too_compressed(n, info.compress_size):
                    raise bomb(f"其中“{info.filename}”的压缩比超过{MAX_RATIO}:1")
                if decoder is None:
                    if not _looks_like_xml(chunk[:64]):
                        return
                    decoder = codecs.getincrementaldecoder(_xml_encoding(chunk[:4]))("replace")
                text = carry + decoder.decode(chunk)
                cut = text.rfind("<")
                if cut <= 0:
                    if len(text) > _CARRY_MAX:
                        raise Refused(f"的内部结构异常（“{info.filename}”无法解析），不予接收。")
                    carry = text
                    continue
                yield text[: cut + 1]
                carry = text[cut:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise Refused(
            f"已损坏（“{info.filename}”无法读取），请检查后重新上传。", "damaged"
        ) from None
    yield carry + (decoder.decode(b"", final=True) if decoder else "")


def _check_fields(pieces: Iterator[str]) -> None:
    """Refuse DDE and DDEAUTO fields (Word) and DDE links (Excel's external links)."""
    open_fields: list[list[str]] = []
    for piece in pieces:
        if not any(word in piece for word in _FIELD_WORDS):
            continue
        for m in _FIELD_TOKEN.finditer(piece):
            mark, run, double, single, dde_link = m.groups()
            if dde_link:
                raise Refused(
                    "含有 DDE 外部链接（打开时可能运行外部程序），出于安全原因不予接收，"
                    "请删除该链接后再上传。"
                )
            if double is not None or single is not None:
                _check_instruction(double if double is not None else single)
            elif run is not None:
                if open_fields:
                    open_fields[-1].append(run)
                else:
                    _check_instruction(run)
            elif mark == "begin":
                open_fields.append([])
            elif open_fields:
                _check_instruction("".join(open_fields[-1]))
                if mark == "end":
                    open_fields.pop()
                else:
                    open_fields[-1] = []
    for parts in open_fields:
        _check_instruction("".join(parts))


def _check_instruction(instruction: str) -> None:
    if _DDE.search(html.unescape(instruction)):
        raise Refused(DDE)


# --- OFD (GB/T 33190): a ZIP of XML parts, fonts, pictures and attachments -------------------

_OFD_ROOT = re.compile(r"<(?:[\w.-]+:)?OFD\b[^>]*>.*?<(?:[\w.-]+:)?DocBody\b", re.S)
# An action is an ofd:Action element with an Event: DO (the document opens), PO (a page
# opens) or CLICK; its kind is the element inside it: Goto, URI, GotoA (an attachment),
# Sound, Movie. Only Goto may run by itself.
_OFD_TOKEN = re.compile(
    r"<(?:[\w.-]+:)?Action\b[^>]*?\bEvent\s*=\s*[\"']\s*(\w+)"
    r"|<(/?)(?:[\w.-]+:)?(Action|URI|GotoA|Sound|Movie)\b"
    r"|(<\s*script\b|javascript\s*:)",
    re.I,
)


def _check_ofd_root(entry: bytes | None) -> None:
    if entry is None or not _OFD_ROOT.search(_as_text(entry)):
        raise Refused(
            "不是有效的 OFD 文件（缺少文档入口 OFD.xml 的内容），请检查后重新上传。", "damaged"
        )


def _check_ofd_part(pieces: Iterator[str]) -> None:
    """Scripts, and actions other than going to a page that run when the document or a page
    opens (a web address, an attachment, a sound or a film)."""
    event = ""
    for piece in pieces:
        for m in _OFD_TOKEN.finditer(piece):
            opened, slash, element, script = m.groups()
            if script:
                raise Refused("含有脚本，出于安全原因不予接收。")
            if opened is not None:
                event = opened.upper()
            elif element.lower() == "action":
                if slash:
                    event = ""
            elif not slash and event in ("DO", "PO"):
                raise Refused("含有打开文档时自动执行的动作，出于安全原因不予接收。")


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
            _check_word_fields(ole.openstream("WordDocument").read())
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


_WORD_FIELD = re.compile("\x13([^\x13\x14\x15]{0,4096})")


def _check_word_fields(stream: bytes) -> None:
    """DDE fields of an old Word file: a field's instruction follows the character 0x13 in the
    text, stored as single bytes or as UTF-16 (either alignment, the stream is not parsed)."""
    for text in (
        stream.decode("latin-1"),
        stream.decode("utf-16-le", "replace"),
        stream[1:].decode("utf-16-le", "replace"),
    ):
        for m in _WORD_FIELD.finditer(text):
            _check_instruction(m.group(1))


def _biff_records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack_from("<HH", stream, pos)
        yield rtype, stream[pos + 4 : pos + 4 + length]
        pos += 4 + length


def _links_a_program(supbook: bytes) -> bool:
    """Whether a SUPBOOK record links to another program (DDE or OLE): no sheets and a path
    (MS-XLS 2.4.271; the rule oletools' msodde follows)."""
    if len(supbook) < 5:
        return False
    sheets, length = struct.unpack_from("<HH", supbook)
    if sheets != 0 or length in (0x0401, 0x3A01):  # this workbook, add-in functions
        return False
    wide = supbook[4] & 0x01
    raw = supbook[5 : 5 + length * (2 if wide else 1)]
    path = raw.decode("utf-16-le" if wide else "latin-1", "replace")
    return path not in ("", " ", "\x00")  # " " unused, "\x00" the same sheet


def _check_biff_globals(stream: bytes) -> None:
    """Excel 4.0 macro sheets, password encryption and links to other programs (a SUPBOOK of
    no sheets: DDE or OLE) live in the workbook's global records."""
    for rtype, body in _biff_records(stream):
        if rtype == 0x002F:  # FILEPASS
            raise Refused("已加密，无法检查其中的内容，请去除密码后再上传。")
        if rtype == 0x0085 and len(body) >= 6 and body[5] in (0x01, 0x06):  # BOUNDSHEET
            raise Refused(MACRO)
        if rtype == 0x01AE and _links_a_program(body):
            raise Refused(
                "含有 DDE 或 OLE 外部链接（打开时可能运行外部程序），出于安全原因不予接收，"
                "请删除该链接后再上传。"
            )
        if rtype == 0x000A:  # EOF of the globals
            return

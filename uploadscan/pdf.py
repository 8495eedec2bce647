"""PDF: scripts, launch actions, embedded files, rich media, XFA forms, automatic actions.

Three looks, so that no object escapes because one reader skipped it:

1. pypdf reads every object the cross-reference lists outside object streams (the newest
   version of each; decrypted when the file only has a permissions password), every dictionary
   and array in it walked: a dangerous name as a key or a value, or an /OpenAction that is
   an action other than going to a page, is refused. pypdf finds these objects by their
   offsets, so a stream that lies about where it ends cannot hide one from it.
2. Every object stream, listed or not, is decoded by pypdf (any filter it knows, none
   included; decrypted; at most `PDF_STREAMS_MAX_BYTES` in all) and its text searched for
   the same names; an /OpenAction in it is resolved by pypdf and judged as in 1. An object
   stream holds no stream, so its text is all objects.
3. The bytes outside stream bodies are searched the same way, for objects the
   cross-reference does not list but a forgiving reader would find.

Names are decoded before matching (/J#61vaScript is /JavaScript) and end where PDF says they
end (NUL is white space). Page content and pictures are not searched: their bytes may hold
"/JS" by chance. pypdf parses a few thousand objects a second (50,000 took 17 s on the
loaded 2-core machine), so a file of more than `PDF_MAX_OBJECTS` objects outside object
streams is refused rather than waited for; object streams cost little (100,000 packed
objects: 3.6 s).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    read_object,
)

from .policy import PDF_MAX_OBJECTS, PDF_STREAMS_MAX_BYTES, Refused

_WHITE = rb"\x00\t\n\x0c\r "  # PDF's white space
_PDF_NAME = re.compile(rb"/([^" + _WHITE + rb"/\[\]()<>{}%]*)")
_OPEN_ACTION = re.compile(rb"/OpenAction[" + _WHITE + rb"]*(?:(<<)|(\d+)\s+(\d+)\s+R)")
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJECT_HEAD = re.compile(rb"(?<!\d)(\d+)\s+(\d+)\s+obj$")
_DANGERS = {
    "JavaScript": "含有 JavaScript 脚本",
    "JS": "含有 JavaScript 脚本",
    "Launch": "含有启动外部程序的动作",
    "EmbeddedFile": "含有嵌入的附件",
    "EmbeddedFiles": "含有嵌入的附件",
    "RichMedia": "含有富媒体（Flash 等）内容",
    "XFA": "含有 XFA 动态表单",
    "AA": "含有在打开或浏览时自动执行的动作",
}
_RAW_DANGERS = {name.encode(): reason for name, reason in _DANGERS.items()}
_MAX_DEPTH = 64  # nesting of dictionaries and arrays inside one object
_MAX_CHAIN = 32  # actions chained by /Next after an /OpenAction


def _pdf_refusal(reason: str) -> Refused:
    return Refused(f"{reason}，出于安全原因不予接收，请用“打印为 PDF”另存后再上传。")


_UNREADABLE = "的内部对象无法读取（已加密或已损坏），无法检查其中是否含有脚本，请另存后再上传。"


def check_pdf(data: bytes) -> None:
    """Refuse scripts, launch actions, embedded files, rich media, XFA and automatic actions."""
    outside, object_streams = _pdf_split(data)
    outside = _decode_names(outside)
    _check_raw_names(outside)
    reader = _open(data)
    try:
        for obj in _listed_objects(reader):
            _walk(obj, reader, depth=0)
        _check_open_actions(outside, reader)
        inflated = 0
        for number, generation, start in object_streams:
            decoded = _object_stream_data(data, reader, number, generation, start)
            inflated += len(decoded)
            if inflated > PDF_STREAMS_MAX_BYTES:
                raise Refused("的内部结构异常（压缩对象过大），不予接收。")
            decoded = _decode_names(decoded)
            _check_raw_names(decoded)
            _check_open_actions(decoded, reader)
    except Refused:
        raise
    except RecursionError:
        raise Refused("的内部结构异常（对象嵌套过深），不予接收。") from None
    except Exception:  # pypdf raises a variety of errors on a malformed object
        raise Refused(_UNREADABLE, "damaged") from None


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused("已设置打开密码，无法检查其中的内容，请去除密码后再上传。")
        reader.trailer  # noqa: B018  (reads the cross-reference now, inside the try)
    except Refused:
        raise
    except Exception:  # pypdf raises a variety of errors on a damaged file
        raise Refused(_UNREADABLE, "damaged") from None
    return reader


def _listed_objects(reader: PdfReader) -> Iterator[PdfObject]:
    """Every object the cross-reference lists outside object streams (and the trailer)."""
    yield reader.trailer
    seen: set[tuple[int, int]] = set()
    refs = [(n, g) for g, numbers in reader.xref.items() for n in numbers]
    if len(refs) > PDF_MAX_OBJECTS:
        raise Refused(
            f"的内部结构过于复杂（超过{PDF_MAX_OBJECTS}个对象），无法完成安全检查，"
            "请用“打印为 PDF”另存后再上传。"
        )
    for number, generation in refs:
        if (number, generation) in seen or number == 0:
            continue
        seen.add((number, generation))
        try:
            obj = IndirectObject(number, generation, reader).get_object()
        except PyPdfError:
            # An entry pointing at nothing: the bytes are searched by pattern all the same.
            continue
        if obj is not None:
            yield obj


def _walk(obj: PdfObject | None, reader: PdfReader, *, depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise Refused("的内部结构异常（对象嵌套过深），不予接收。")
    if isinstance(obj, NameObject):
        _check_name(str(obj))
    elif isinstance(obj, DictionaryObject):  # a stream is a dictionary too: its data is not read
        for key, value in obj.items():
            _check_name(str(key))
            if key == "/OpenAction":
                _check_open_action(value, reader)
            _walk(value, reader, depth=depth + 1)
    elif isinstance(obj, ArrayObject):
        for item in obj:
            _walk(item, reader, depth=depth + 1)


def _check_name(name: str) -> None:
    reason = _DANGERS.get(name[1:])
    if reason:
        raise _pdf_refusal(reason)


def _check_open_actions(text: bytes, reader: PdfReader) -> None:
    """Every /OpenAction in text (names decoded), its value read or resolved by pypdf."""
    for m in _OPEN_ACTION.finditer(text):
        if m.group(1):
            stream = io.BytesIO(text)
            stream.seek(m.start(1))
            value = read_object(stream, reader)
        else:
            value = IndirectObject(int(m.group(2)), int(m.group(3)), reader)
        _check_open_action(value, reader)


def _check_open_action(value: PdfObject, reader: PdfReader) -> None:
    """A destination (an array) only opens the document at a page; an action (a dictionary
    with /S) other than /GoTo, or followed by one through /Next, runs by itself."""
    action = value.get_object() if isinstance(value, IndirectObject) else value
    for _ in range(_MAX_CHAIN):
        if not isinstance(action, DictionaryObject):
            return
        kind = action.get("/S")
        if kind is not None and kind != "/GoTo":
            raise _pdf_refusal("含有打开文档时自动执行的动作")
        following = action.get("/Next")
        if isinstance(following, ArrayObject):
            for item in following:
                _check_open_action(item, reader)
            return
        action = following.get_object() if isinstance(following, IndirectObject) else following
    raise Refused("的内部结构异常（动作链过长），不予接收。")


def _object_stream_data(
    data: bytes, reader: PdfReader, number: int, generation: int, start: int
) -> bytes:
    """The decoded bytes of the object stream whose dictionary starts at start: the one pypdf
    read through the cross-reference (decrypted) if it is that one, else read where it lies."""
    try:
        listed = IndirectObject(number, generation, reader).get_object()
    except PyPdfError:
        listed = None
    if isinstance(listed, StreamObject) and listed.get("/Type") == "/ObjStm":
        return listed.get_data()
    stream = io.BytesIO(data)
    stream.seek(start)
    found = read_object(stream, reader)
    if not isinstance(found, StreamObject):
        raise Refused(_UNREADABLE, "damaged")
    return found.get_data()


def _check_raw_names(text: bytes) -> None:
    """The dangerous names in text, whose names are decoded already."""
    for raw in _PDF_NAME.findall(text):
        reason = _RAW_DANGERS.get(raw)
        if reason:
            raise _pdf_refusal(reason)


def _pdf_split(data: bytes) -> tuple[bytes, list[tuple[int, int, int]]]:
    """The PDF without its stream bodies, and (number, generation, offset of the dictionary)
    of every object stream found in its bytes.

    Names are looked for outside stream bodies only: compressed page content would match
    ``/JS`` by chance now and then.
    """
    outside: list[bytes] = []
    object_streams: list[tuple[int, int, int]] = []
    pos = 0
    for m in _STREAM_START.finditer(data):
        if m.start() < pos or not data[max(0, m.start() - 64) : m.start()].rstrip().endswith(b">>"):
            continue
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        obj = data.rfind(b"obj", 0, m.start())
        head = _decode_names(data[max(obj, pos) : m.start()])
        outside.append(data[pos : m.start()])
        if re.search(rb"/Type\s*/ObjStm", head):
            numbers = _OBJECT_HEAD.search(data[max(0, obj - 24) : obj + 3])
            if numbers is None:
                raise Refused(_UNREADABLE, "damaged")
            dictionary = data.find(b"<<", obj, m.start())
            object_streams.append((int(numbers.group(1)), int(numbers.group(2)), dictionary))
        pos = end
    outside.append(data[pos:])
    return b"".join(outside), object_streams


def _decode_names(text: bytes) -> bytes:
    """/J#61vaScript → /JavaScript; only inside names, where # escapes exist."""
    return _PDF_NAME.sub(
        lambda m: b"/" + _HEX_ESCAPE.sub(lambda h: bytes([int(h.group(1), 16)]), m.group(1)), text
    )

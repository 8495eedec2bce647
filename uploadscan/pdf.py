"""PDF: scripts, launch actions, embedded files, rich media, XFA forms, automatic actions."""

from __future__ import annotations

import re
import zlib

from .policy import PDF_STREAMS_MAX_BYTES, Refused

# --- PDF --------------------------------------------------------------------------------------

_PDF_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]*)")
_STREAM_START = re.compile(rb"stream(?:\r\n|\n|\r)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OPEN_ACTION = re.compile(rb"/OpenAction\s*(?:(<<)|(\d+)\s+(\d+)\s+R)")
_ACTION_TYPE = re.compile(rb"/S\s*/([^\s/\[\]()<>{}%]+)")
_PDF_DANGERS = {
    b"JavaScript": "含有 JavaScript 脚本",
    b"JS": "含有 JavaScript 脚本",
    b"Launch": "含有启动外部程序的动作",
    b"EmbeddedFile": "含有嵌入的附件",
    b"EmbeddedFiles": "含有嵌入的附件",
    b"RichMedia": "含有富媒体（Flash 等）内容",
    b"XFA": "含有 XFA 动态表单",
    b"AA": "含有在打开或浏览时自动执行的动作",
}


def _pdf_refusal(reason: str) -> Refused:
    return Refused(f"{reason}，出于安全原因不予接收，请用“打印为 PDF”另存后再上传。")


def check_pdf(data: bytes) -> None:
    """Refuse scripts, launch actions, embedded files, rich media, XFA and automatic actions.

    Names are decoded first (/J#61vaScript is /JavaScript) and compressed object streams are
    inflated (at most `PDF_STREAMS_MAX_BYTES` in all), where PDF 1.5 writers put most dicts.
    """
    outside, object_streams = _pdf_split(data)
    texts = [_decode_names(outside)]
    packed: dict[int, bytes] = {}
    inflated = 0
    for head, stream in object_streams:
        try:
            text = zlib.decompressobj().decompress(stream, PDF_STREAMS_MAX_BYTES - inflated + 1)
        except zlib.error:
            raise Refused(
                "的内部对象无法读取（已加密或已损坏），无法检查其中是否含有脚本，请另存后再上传。"
            ) from None
        inflated += len(text)
        if inflated > PDF_STREAMS_MAX_BYTES:
            raise Refused("的内部结构异常（压缩对象过大），不予接收。")
        text = _decode_names(text)
        texts.append(text)
        packed.update(_packed_objects(head, text))
    for text in texts:
        for raw in _PDF_NAME.findall(text):
            reason = _PDF_DANGERS.get(raw)
            if reason:
                raise _pdf_refusal(reason)
    for text in texts:
        for m in _OPEN_ACTION.finditer(text):
            if m.group(1):
                action = text[m.start(1) : m.start(1) + 4096]
            else:
                action = _pdf_object(texts[0], packed, int(m.group(2)), m.group(3))
            if _is_automatic_action(action):
                raise _pdf_refusal("含有打开文档时自动执行的动作")


def _pdf_split(data: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The PDF without its stream bodies, and the (dict, body) of its compressed object streams.

    Names are looked for outside stream bodies only: compressed page content would match
    ``/JS`` by chance now and then.
    """
    outside: list[bytes] = []
    object_streams: list[tuple[bytes, bytes]] = []
    pos = 0
    for m in _STREAM_START.finditer(data):
        if m.start() < pos or not data[max(0, m.start() - 64) : m.start()].rstrip().endswith(b">>"):
            continue
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        head = _decode_names(data[max(data.rfind(b"obj", 0, m.start()), pos) : m.start()])
        outside.append(data[pos : m.start()])
        if re.search(rb"/Type\s*/ObjStm", head) and b"/FlateDecode" in head:
            object_streams.append((head, data[m.end() : end]))
        pos = end
    outside.append(data[pos:])
    return b"".join(outside), object_streams


def _decode_names(text: bytes) -> bytes:
    """/J#61vaScript → /JavaScript; only inside names, where # escapes exist."""
    return _PDF_NAME.sub(
        lambda m: b"/" + _HEX_ESCAPE.sub(lambda h: bytes([int(h.group(1), 16)]), m.group(1)), text
    )


def _packed_objects(head: bytes, text: bytes) -> dict[int, bytes]:
    """The objects of one object stream by number (its header is pairs of number and offset)."""
    first = re.search(rb"/First\s+(\d+)", head)
    if first is None:
        return {}
    start = int(first.group(1))
    numbers = [int(n) for n in text[:start].split() if n.isdigit()]
    pairs = list(zip(numbers[::2], numbers[1::2], strict=False))
    out = {}
    for i, (number, offset) in enumerate(pairs):
        end = pairs[i + 1][1] if i + 1 < len(pairs) else len(text) - start
        out[number] = text[start + offset : start + end]
    return out


def _pdf_object(outside: bytes, packed: dict[int, bytes], number: int, generation: bytes) -> bytes:
    if number in packed:
        return packed[number]
    m = re.search(rb"(?<!\d)%d\s+%s\s+obj\b" % (number, generation), outside)
    return outside[m.end() : m.end() + 4096] if m else b""


def _is_automatic_action(obj: bytes) -> bool:
    """Whether an /OpenAction target is an action other than going to a page of the file.

    A destination (an array) only opens the document at a page; an action has /S.
    """
    body = obj.lstrip()
    if not body.startswith(b"<<"):
        return False
    action = _ACTION_TYPE.search(body[: body.find(b">>") + 2 if b">>" in body else 4096])
    return action is not None and action.group(1) != b"GoTo"

"""`check_upload`: the kind of an uploaded file, judged by content, or why it is refused."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import filetype

from .office import check_ole, check_zip
from .policy import (
    ACCEPTED_TEXT,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    OLE_MAGIC,
    Budget,
    Refused,
    UploadRefused,
    extension,
    not_accepted,
    size_text,
)

__all__ = [
    "ACCEPTED_TEXT",
    "KINDS",
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_UNPACKED_BYTES",
    "Detected",
    "check_upload",
    "clean_name",
    "size_text",
]


@dataclass(frozen=True)
class Detected:
    kind: str
    mime: str
    label: str


@dataclass(frozen=True)
class _Kind:
    mime: str
    label: str
    extensions: tuple[str, ...]


KINDS: dict[str, _Kind] = {
    "pdf": _Kind("application/pdf", "PDF 文档", (".pdf",)),
    "jpg": _Kind("image/jpeg", "JPEG 图片", (".jpg", ".jpeg")),
    "png": _Kind("image/png", "PNG 图片", (".png",)),
    "gif": _Kind("image/gif", "GIF 图片", (".gif",)),
    "webp": _Kind("image/webp", "WebP 图片", (".webp",)),
    "docx": _Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word 文档",
        (".docx",),
    ),
    "xlsx": _Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel 工作簿",
        (".xlsx",),
    ),
    "pptx": _Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint 演示文稿",
        (".pptx",),
    ),
    # WPS Office saves its own extensions in the same binary formats.
    "doc": _Kind("application/msword", "Word 97-2003 文档", (".doc", ".wps")),
    "xls": _Kind("application/vnd.ms-excel", "Excel 97-2003 工作簿", (".xls", ".et")),
    "ppt": _Kind("application/vnd.ms-powerpoint", "PowerPoint 97-2003 演示文稿", (".ppt", ".dps")),
    # GB/T 33190, the fixed-layout format of electronic official documents.
    "ofd": _Kind("application/ofd", "OFD 版式文档", (".ofd",)),
    "txt": _Kind("text/plain", "纯文本", (".txt",)),
    "zip": _Kind("application/zip", "ZIP 压缩包", (".zip",)),
}


# --- names and sizes --------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The file's own name: no folder, no control characters, at most 200 characters."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().strip(".")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = stem[: 200 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else base[:200]
    return base or "未命名文件"


def _who(name: str) -> str:
    return f"文件“{name}”"


# --- the entry point --------------------------------------------------------------------------


def check_upload(name: str, data: bytes, *, max_bytes: int) -> Detected:
    """What the file is, or UploadRefused with a Chinese sentence saying why it is refused.

    max_bytes is the largest file taken (the caller's setting); it also bounds each member
    of a ZIP that is checked as if uploaded alone.
    """
    name = clean_name(name)
    who = _who(name)
    if not data:
        raise UploadRefused(f"{who}是空文件，请检查后重新上传。", code="empty")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"{who}大小为{size_text(len(data))}，超过{size_text(max_bytes)}的上限。",
            code="too_large",
        )
    try:
        kind = _inspect(data, budget=Budget(MAX_UNPACKED_BYTES), nested=False, max_bytes=max_bytes)
    except Refused as e:
        raise UploadRefused(f"{who}{e.text}", code="refused") from None
    spec = KINDS[kind]
    ext = extension(name)
    if ext not in spec.extensions:
        right = "”或“".join(spec.extensions)
        if ext:
            text = (
                f"{who}的扩展名是“{ext}”，但内容实际是{spec.label}，"
                f"请将扩展名改为“{right}”后再上传。"
            )
        else:
            text = f"{who}没有扩展名，其内容是{spec.label}，请加上扩展名“{right}”后再上传。"
        raise UploadRefused(text, code="mismatch")
    mime = spec.mime
    if kind == "txt":
        mime += "; charset=utf-8" if _text_encoding(data) == "utf-8" else "; charset=gb18030"
    return Detected(kind=kind, mime=mime, label=spec.label)


def _inspect(data: bytes, *, budget: Budget, nested: bool, max_bytes: int) -> str:
    """The kind of data, after its type's dangers were looked for; raises Refused."""
    if data.startswith(b"%PDF-"):
        # Imported here: pypdf (and the Pillow it loads) only once a PDF comes, so that
        # importing uploadscan stays light for the portal and the commands.
        from .pdf import check_pdf

        check_pdf(data)
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return check_zip(data, budget=budget, nested=nested, max_bytes=max_bytes, inspect=_inspect)
    if data.startswith(OLE_MAGIC):
        return check_ole(data)
    guess = filetype.guess(data)
    if (
        guess is not None
        and guess.extension in {"jpg", "png", "gif", "webp"}
        and _image_signature(data)
    ):
        kind: str = guess.extension
        if b"%PDF-" in data[:1024]:
            raise Refused("同时带有图片和 PDF 的特征，疑似伪装文件，不予接收。")
        return kind
    encoding = _text_encoding(data)
    if encoding:
        _check_text(data.decode(encoding))
        return "txt"
    if guess is not None:
        raise Refused(not_accepted(guess.extension, guess.mime), "unknown")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused("是 UTF-16 编码的文本，请另存为 UTF-8 编码后再上传。", "unknown")
    raise Refused(f"的类型无法识别，不予接收。系统接收{ACCEPTED_TEXT}。", "unknown")


def _image_signature(data: bytes) -> bool:
    # filetype looks at three bytes only; "GIF report.txt" must stay text.
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    )


# --- text -------------------------------------------------------------------------------------


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # Cc but tab, newlines, form feed


def _text_encoding(data: bytes) -> str:
    """utf-8 or gb18030 when data is plain text in that encoding, else ''."""
    if b"\x00" in data:
        return ""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROLS.findall(text))
        return encoding if controls <= len(text) // 100 else ""
    return ""


_MARKUP = re.compile(r"^\ufeff?\s*(<!doctype\s+html|<html|<svg|<\?xml|<script|<!--|#!)", re.I)
_SCRIPT_TAG = re.compile(r"<\s*script\b|<\s*svg\b|<\s*iframe\b|javascript:", re.I)


def _check_text(text: str) -> None:
    head = text[:4096]
    if _MARKUP.match(head) or _SCRIPT_TAG.search(head):
        raise Refused(
            "是网页、矢量图或脚本（可能含有可执行的代码），不予接收；请另存为 PDF 后再上传。"
        )
    if "%PDF-" in text[:1024]:
        raise Refused("同时带有文本和 PDF 的特征，疑似伪装文件，不予接收。")

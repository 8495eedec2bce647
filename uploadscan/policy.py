"""The limits of the checks, the kinds of files refused by name or by type, and the two
refusals: `Refused`, a reason without the file's name that the checks raise inside, and
`UploadRefused`, the whole Chinese sentence that `check_upload` and `strip_metadata` raise to
their caller."""

from __future__ import annotations

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024  # a member below this size may compress as well as it likes
PDF_STREAMS_MAX_BYTES = 64 * 1024 * 1024
PDF_MAX_OBJECTS = 50_000  # outside object streams, each parsed by pypdf
XML_PART_MAX_BYTES = 2 * 1024 * 1024

ACCEPTED_TEXT = (
    "PDF、OFD、Word、Excel、PowerPoint、图片（JPG、PNG、GIF、WebP）、纯文本（TXT）和 ZIP 压缩包"
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ARCHIVES = {
    "rar", "7z", "gz", "bz2", "xz", "tar", "zst", "lz", "lz4", "Z", "cab", "ar", "rpm", "br",
}  # fmt: skip
EXECUTABLES = {"exe", "elf", "dex", "swf", "crx", "msi", "nes", "deb", "rpm"}
ARCHIVE_SUFFIXES = (
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".zst", ".cab", ".iso",
    ".arj", ".lzh", ".z", ".jar", ".apk", ".war",
)  # fmt: skip
RISKY_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".bat", ".cmd", ".ps1",
    ".psm1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".lnk", ".reg", ".sh",
    ".py", ".pl", ".jar", ".html", ".htm", ".xhtml", ".svg", ".mht", ".mhtml", ".chm",
    ".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm", ".potm", ".ppam", ".ppsm",
)  # fmt: skip


def size_text(n: int) -> str:
    """25.3 MB, 20 MB, 512 KB, 300 字节: one decimal, none when it is zero."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            text = f"{n / scale:.1f}"
            return (text[:-2] if text.endswith(".0") else text) + " " + unit
    return f"{n} 字节"


def extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return "." + ext.lower() if dot and ext else ""


class Refused(Exception):
    """A reason without the file's name (`check_upload` adds it).

    code: "danger" (refused for safety), "bomb", "nested", "unknown" (a type we do not take),
    "damaged".
    """

    def __init__(self, text: str, code: str = "danger") -> None:
        super().__init__(text)
        self.text = text
        self.code = code


class UploadRefused(Exception):
    """Why a file is refused or cannot be cleaned: one Chinese sentence the user reads.

    The caller turns it into its own kind of error (a form's ``ValidationError``, a list of
    messages). code: "empty", "too_large", "refused", "mismatch" (from `check_upload`);
    "damaged", "encrypted", "too_large" (from `strip_metadata`).
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Budget:
    """How many more bytes we are willing to decompress for this upload."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise bomb(f"解压后超过{size_text(MAX_UNPACKED_BYTES)}的上限")


def bomb(reason: str) -> Refused:
    return Refused(f"疑似“压缩炸弹”（{reason}），不予接收。", "bomb")


def not_accepted(extension: str, mime: str) -> str:
    if extension in EXECUTABLES:
        return "是可执行程序，出于安全原因不予接收。"
    if extension in ARCHIVES:
        return "是 ZIP 以外的压缩格式，无法检查其中的内容，请改用 ZIP 格式压缩后再上传。"
    return f"的类型（{mime}）不在接收范围内。系统接收{ACCEPTED_TEXT}。"

"""`strip_metadata`: a copy of an accepted file without what identifies its author or device.

The copy is what the team reads; the original is kept elsewhere as evidence. Call it with
the kind `check_upload` detected, after the file was accepted.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import TYPE_CHECKING, Any

from .ofd import strip_ofd
from .ooxml import strip_ooxml
from .policy import UploadRefused
from .segments import strip_jpeg_segments

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from pypdf.generic import DictionaryObject

__all__ = ["MAX_IMAGE_PIXELS", "UNCHANGED_KINDS", "strip_metadata"]

# 8000 × 8000: every phone's normal photo; a picture beyond it is refused, not decoded.
MAX_IMAGE_PIXELS = 64_000_000
JPEG_QUALITY = 90
UNCHANGED_KINDS = frozenset({"txt", "zip", "doc", "xls", "ppt"})

_IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
# What a re-encoded picture keeps of Pillow's `info`: how it is drawn, nothing about it.
_DRAWING_INFO = ("transparency", "duration", "loop", "background")
_IDENTIFYING_INFO = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment")


def strip_metadata(kind: str, data: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """A copy of data (of the given `check_upload` kind) without identifying metadata.

    - jpg, png, gif, webp: decoded and encoded again with Pillow (JPEG at quality 90), the
      EXIF orientation applied to the pixels; EXIF (GPS, camera, times), XMP, comments, PNG
      text chunks and ICC profiles do not survive (a picture with a profile is converted to
      sRGB first so that its colours stay). Animations keep their frames and timing. A
      picture of more than max_pixels pixels (all frames together) is refused.
    - docx, xlsx, pptx: core, extended and custom properties, the thumbnail, Excel's saved
      folder, and the metadata of embedded JPEG and PNG pictures go; every other part keeps
      its bytes (see `uploadscan.ooxml` for what stays).
    - ofd: the author, the creating software and its version, the dates and the custom data
      of OFD.xml's DocInfo go, and the metadata of JPEG and PNG pictures; every other member
      keeps its bytes (see `uploadscan.ofd`).
    - pdf: rewritten with pypdf from its catalog down, so the /Info dictionary, the /ID,
      earlier revisions kept by incremental saves and unreferenced objects are gone; XMP
      /Metadata streams and /PieceInfo are removed from every object, annotation authors
      and dates from comments, and APPn segments (EXIF) from JPEG images.
    - txt, zip, doc, xls, ppt: returned as they are. Old Office (OLE) files keep their
      summary information (author, company, times) and ZIP members their own metadata;
      nothing here can clean them.

    In a damaged file, metadata whose own keys or markers are damaged may be missed.

    Raises UploadRefused (a Chinese sentence; code "damaged", "encrypted" or "too_large")
    when the file cannot be cleaned, and ValueError for a kind it does not know. The input
    is never modified.
    """
    if kind in UNCHANGED_KINDS:
        return data
    if kind in _IMAGE_FORMATS:
        return _strip_image(_IMAGE_FORMATS[kind], data, max_pixels)
    if kind in {"docx", "xlsx", "pptx"}:
        try:
            return strip_ooxml(data)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
            raise UploadRefused(
                "Office 文件无法读取（可能已损坏），无法去除其中的作者等信息。", code="damaged"
            ) from None
    if kind == "ofd":
        try:
            return strip_ofd(data)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
            raise UploadRefused(
                "OFD 文件无法读取（可能已损坏），无法去除其中的作者等信息。", code="damaged"
            ) from None
    if kind == "pdf":
        return _strip_pdf(data)
    raise ValueError(f"strip_metadata does not know the kind {kind!r}")


# --- pictures ---------------------------------------------------------------------------------


def _strip_image(image_format: str, data: bytes, max_pixels: int) -> bytes:
    from PIL import Image, ImageSequence

    damaged = UploadRefused(
        "图片无法读取（可能已损坏），无法去除其中的拍摄信息（位置、相机型号、时间等）。",
        code="damaged",
    )
    try:
        source = Image.open(io.BytesIO(data), formats=[image_format])
    except Image.DecompressionBombError:
        raise UploadRefused("图片像素过多，无法处理，请缩小后再上传。", code="too_large") from None
    except Exception:  # Pillow raises many kinds of errors on a malformed picture
        raise damaged from None
    with source:
        width, height = source.size
        try:
            frames = getattr(source, "n_frames", 1)  # GIF counts them by reading them all
        except Exception:
            raise damaged from None
        if width * height * frames > max_pixels:
            raise UploadRefused(
                f"图片有{width}×{height}像素{f'、{frames}帧' if frames > 1 else ''}，"
                f"超过{_pixels_text(max_pixels)}的上限，无法处理，请缩小后再上传。",
                code="too_large",
            )
        try:
            if frames > 1:
                pictures = [_bare(f.copy()) for f in ImageSequence.Iterator(source)]
            else:
                source.load()
                pictures = [_bare(_in_srgb(_upright(source)))]
        except Exception:  # decoding errors surface here, after the header was read
            raise damaged from None
        loop = source.info.get("loop")
    try:
        clean = _encode(image_format, pictures, loop=loop, lossless=_lossless_webp(data))
    except (OSError, ValueError):
        raise damaged from None
    _check_image_is_bare(clean, image_format)
    return clean


def _encode(
    image_format: str, pictures: list[PILImage.Image], *, loop: int | None, lossless: bool
) -> bytes:
    out = io.BytesIO()
    options: dict[str, Any] = {"format": image_format}
    first = pictures[0]
    if image_format == "JPEG":
        if first.mode not in ("L", "RGB", "CMYK"):
            first = first.convert("RGB")
        options["quality"] = JPEG_QUALITY
    elif image_format == "WEBP":
        options.update(lossless=lossless, quality=100 if lossless else JPEG_QUALITY)
    if "transparency" in first.info:
        options["transparency"] = first.info["transparency"]
    if len(pictures) > 1:
        durations = [p.info.get("duration", 100) for p in pictures]
        options.update(save_all=True, append_images=pictures[1:], duration=durations)
        if loop is not None:
            options["loop"] = loop
    first.save(out, **options)
    return out.getvalue()


def _lossless_webp(data: bytes) -> bool:
    """Whether a WebP is stored losslessly (VP8L), so that its copy is too."""
    head = data[12:4096]
    return b"VP8L" in head and b"VP8 " not in head


def _upright(picture: PILImage.Image) -> PILImage.Image:
    """A copy turned as its EXIF orientation says; as it is if the EXIF cannot be read."""
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(picture)
    except Exception:  # a malformed EXIF block: Pillow's errors vary
        return picture.copy()


def _pixels_text(n: int) -> str:
    """6400万像素, 5万像素, 900像素."""
    return f"{n / 10_000:g}万像素" if n >= 10_000 else f"{n}像素"


def _bare(picture: PILImage.Image) -> PILImage.Image:
    picture.info = {k: v for k, v in picture.info.items() if k in _DRAWING_INFO}
    return picture


def _in_srgb(picture: PILImage.Image) -> PILImage.Image:
    """The picture converted from its embedded ICC profile to sRGB, which then goes unsaid."""
    from PIL import ImageCms

    icc = picture.info.get("icc_profile")
    if not icc or picture.mode not in ("RGB", "RGBA", "CMYK"):
        return picture
    try:
        converted = ImageCms.profileToProfile(
            picture,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if picture.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture  # an unreadable profile: the colours stay as they are, untagged
    assert converted is not None  # not in place
    return converted


def _check_image_is_bare(data: bytes, image_format: str) -> None:
    """Fail closed if a newer Pillow ever carried something over."""
    from PIL import Image

    with Image.open(io.BytesIO(data), formats=[image_format]) as picture:
        left = [k for k in _IDENTIFYING_INFO if picture.info.get(k)]
        if left or len(picture.getexif()) or getattr(picture, "text", None):
            raise UploadRefused("无法去除图片中的拍摄信息，请截图或另存后再上传。", code="damaged")


# --- PDF --------------------------------------------------------------------------------------


def _strip_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    damaged = UploadRefused(
        "PDF 文件无法读取（可能已损坏），无法去除其中的作者等信息。", code="damaged"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRefused(
                "PDF 文件设有打开密码，无法去除其中的作者等信息，请去除密码后再上传。",
                code="encrypted",
            )
        writer = PdfWriter()
        writer.clone_reader_document_root(reader)  # the catalog down: no /Info, no /ID
        writer.pdf_header = reader.pdf_header
        writer.metadata = None
        # Every object the writer holds, not only those reachable from the catalog: a
        # damaged page tree leaves pages that pypdf writes all the same.
        for obj in _pdf_dictionaries([writer.root_object, *writer._objects]):
            for key in ("/Metadata", "/PieceInfo", "/LastModified"):
                obj.pop(NameObject(key), None)
            if obj.get("/Subtype") not in (None, "/Widget", "/Link") and "/FT" not in obj:
                for key in ("/T", "/M", "/CreationDate"):  # a comment's author and times
                    obj.pop(NameObject(key), None)
            if isinstance(obj, StreamObject) and obj._data.startswith(b"\xff\xd8\xff"):
                obj._data = strip_jpeg_segments(obj._data)  # a JPEG image (/DCTDecode)
        # What was only reachable through a removed key (the XMP streams) is not written.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        clean = out.getvalue()
        check = PdfReader(io.BytesIO(clean))
        if check.metadata is not None or "/Metadata" in check.root_object:
            raise UploadRefused("无法去除 PDF 文件中的作者等信息。", code="damaged")
        len(check.pages)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds of errors on a malformed file
        raise damaged from None
    return clean


def _pdf_dictionaries(roots: list[Any]) -> list[DictionaryObject]:
    """Every dictionary (streams included) reachable from the roots, each once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    found: list[DictionaryObject] = []
    seen: set[int] = set()
    stack: list[object] = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found

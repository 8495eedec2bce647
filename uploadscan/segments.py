"""Lossless removal of metadata segments from JPEG and PNG bytes, for pictures inside Office
packages and PDFs, where re-encoding would change what the document shows."""

from __future__ import annotations

import struct

__all__ = ["PNG_SIGNATURE", "strip_jpeg_segments", "strip_png_chunks"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# APP14 ("Adobe") says how to read CMYK and YCCK colours, so it stays; every other APPn
# (JFIF, EXIF and XMP, ICC, Photoshop/IPTC, maker notes, multi-picture) and COM goes.
_JPEG_KEEP_APP = {0xEE}
_PNG_KEEP = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def strip_jpeg_segments(data: bytes) -> bytes:
    """The JPEG without its APPn (but APP14) and COM segments, and nothing after its end.

    The compressed picture is copied byte for byte. Raises ValueError when a segment's
    length runs past the end of the data.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:  # stray bytes between segments, which decoders skip too
            pos = data.find(b"\xff", pos)
            if pos < 0:
                break
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            break
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI: whatever follows (appended pictures, trailers) is dropped
            out += b"\xff\xd9"
            return bytes(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            out += bytes((0xFF, marker))
            continue
        if pos + 2 > end:
            raise ValueError("JPEG segment cut off")
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > end:
            raise ValueError("JPEG segment length out of range")
        segment = data[pos - 2 : pos + length]
        pos += length
        if (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE:
            continue
        out += b"\xff" + bytes((marker,)) + segment[2:]
        if marker == 0xDA:  # start of scan: copy the entropy-coded data up to the next marker
            scan_end = _entropy_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    return bytes(out)


def _entropy_end(data: bytes, pos: int) -> int:
    """Where the entropy-coded data starting at pos ends: at the first real marker (an FF
    not followed by a stuffed 00 or a restart marker), or at the end of the data."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
            continue
        return pos


def strip_png_chunks(data: bytes) -> bytes:
    """The PNG with only the chunks that draw it (text, EXIF, time and ICC profiles go).

    Raises ValueError when the chunk structure cannot be read.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        chunk_end = pos + 12 + length
        if chunk_end > len(data):
            raise ValueError("PNG chunk cut off")
        if kind in _PNG_KEEP:
            out += data[pos:chunk_end]
        pos = chunk_end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("PNG without IEND")

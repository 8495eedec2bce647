"""The QR code of an announcement's report form: inline SVG, SVG file and a printable poster."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from .models import Announcement

__all__ = ["poster_png", "poster_title", "qr_svg", "qr_svg_inline"]

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
WIDTH, HEIGHT, MARGIN = 1240, 1754, 100  # A4 at 150 dpi


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg_inline(url: str) -> str:
    """An <svg> element to put straight into a page (no style attribute, CSP-safe)."""
    return str(
        _qr(url).svg_inline(scale=5, title="扫码进入反映页面", svgclass="qr", lineclass=None)
    )


def poster_title(item: Announcement) -> str:
    """码上巡视 for a 巡视组, 码上巡察 for a 巡察组: the poster speaks its team's word."""
    return f"码上{item.work_word}"


def qr_svg(url: str, title: str = "码上巡察") -> bytes:
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="svg", scale=10, border=4, title=title)
    return buffer.getvalue()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if draw.textlength(line + ch, font=font) > width and line:  # type: ignore[arg-type]
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def _day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def poster_png(item: Announcement, url: str) -> bytes:
    """A4 poster: the title (码上巡察 or 码上巡视), the organization and team, the contacts,
    the QR code."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    red = (176, 26, 26)
    draw.rectangle([0, 0, WIDTH, 230], fill=red)
    title = _font(110)
    draw.text((WIDTH // 2, 115), poster_title(item), font=title, fill="white", anchor="mm")
    y = 290
    for text, size in ((item.org_name, 56), (item.team, 44)):
        font = _font(size)
        for line in _wrap(draw, text, font, WIDTH - 2 * MARGIN):
            draw.text((WIDTH // 2, y), line, font=font, fill="black", anchor="mt")
            y += int(size * 1.35)
    period = f"受理时间：{_day(item.start)}至{_day(item.end)}"
    draw.text((WIDTH // 2, y + 10), period, font=_font(36), fill="black", anchor="mt")
    y += 90
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=16, border=2)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = min(720, WIDTH - 2 * MARGIN)
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    image.paste(qr, ((WIDTH - side) // 2, y))
    y += side + 20
    font = _font(34)
    draw.text((WIDTH // 2, y), "手机扫码，在线反映问题", font=font, fill=red, anchor="mt")
    y += 70
    for label, value in (
        ("电话", item.phone),
        ("信箱", item.mailbox),
        ("地址", item.address),
    ):
        for line in _wrap(draw, f"{label}：{value}", font, WIDTH - 2 * MARGIN):
            draw.text((MARGIN, y), line, font=font, fill="black")
            y += 48
    small = _font(26)
    note = "可实名，也可匿名。提交后请妥善保存回执码，凭回执码查询办理进展。"
    for line in _wrap(draw, note, small, WIDTH - 2 * MARGIN):
        draw.text((MARGIN, min(y + 20, HEIGHT - 80)), line, font=small, fill=(80, 80, 80))
        y += 38
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

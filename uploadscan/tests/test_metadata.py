"""strip_metadata: no canary survives, the copy still opens and looks the same, the original
is left alone, and what cannot be cleaned is refused rather than passed through."""

from __future__ import annotations

import io
import posixpath
import re
import subprocess
import sys
import zipfile

import pytest
from PIL import Image

from envelope import sm3_hex
from uploadscan import UploadRefused, check_upload, strip_metadata
from uploadscan.segments import strip_jpeg_segments, strip_png_chunks

from . import metadata_samples as tagged
from . import samples

CANARIES = set(tagged.CANARIES.values())
NAMES = {"jpg": "a.jpg", "png": "a.png", "gif": "a.gif", "webp": "a.webp", "pdf": "a.pdf"}
NAMES |= {k: f"a.{k}" for k in ("docx", "xlsx", "pptx", "ofd")}

FIXTURES = {
    "jpg": (tagged.jpeg_with_exif, {"camera", "make", "artist", "gps", "xmp", "comment"}),
    "png": (tagged.png_with_text, {"camera", "gps", "xmp", "text"}),
    "gif": (tagged.gif_with_comment, {"comment"}),
    "webp": (tagged.webp_with_exif, {"camera", "gps", "xmp"}),
    "docx": (
        tagged.docx_with_author,
        {"author", "editor", "title", "company", "manager", "template", "custom", "camera", "gps"},
    ),
    "xlsx": (
        tagged.xlsx_with_creator,
        {"author", "editor", "title", "company", "manager", "custom", "user"},
    ),
    "pptx": (tagged.pptx_with_author, {"author", "editor", "title", "company", "custom"}),
    "ofd": (tagged.ofd_with_author, {"author", "company", "user", "text", "camera", "gps"}),
    "pdf": (
        tagged.pdf_with_author,
        {"author", "old_author", "title", "company", "xmp", "annotation", "camera", "gps"},
    ),
}


def canaries_in(data: bytes) -> set[str]:
    """The canaries found in the bytes (also as UTF-16), in every ZIP member, and in every
    string and decoded stream of a PDF."""
    texts = [data]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            texts += [package.read(name) for name in package.namelist()]
    if data.startswith(b"%PDF"):
        texts += _pdf_texts(data)
    found = set()
    for canary in CANARIES:
        for text in texts:
            if canary.encode() in text or canary.encode("utf-16-le") in text:
                found.add(canary)
    return found


def _pdf_texts(data: bytes) -> list[bytes]:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    texts = []
    for number in range(1, int(reader.trailer["/Size"])):
        stack = [reader.get_object(number)]
        while stack:
            item = stack.pop()
            if isinstance(item, StreamObject):
                texts.append(item.get_data())
            if isinstance(item, DictionaryObject):
                stack += [v for v in item.values() if not hasattr(v, "idnum")]
            elif isinstance(item, ArrayObject):
                stack += [v for v in item if not hasattr(v, "idnum")]
            elif isinstance(item, str):
                texts.append(item.encode("utf-8"))
    if reader.trailer.get("/Info") is not None:
        texts += [str(v).encode() for v in reader.trailer["/Info"].get_object().values()]
    return texts


@pytest.mark.parametrize("kind", FIXTURES)
def test_no_canary_survives(kind):
    build, expected = FIXTURES[kind]
    original = build()
    assert {tagged.CANARIES[k] for k in expected} <= canaries_in(original)
    digest = sm3_hex(original)
    clean = strip_metadata(kind, original)
    assert canaries_in(clean) == set()
    # The original is what the evidence copy keeps: untouched.
    assert sm3_hex(original) == digest
    assert {tagged.CANARIES[k] for k in expected} <= canaries_in(original)


@pytest.mark.parametrize("kind", FIXTURES)
def test_the_clean_copy_is_accepted_again_as_the_same_kind(kind):
    clean = strip_metadata(kind, FIXTURES[kind][0]())
    assert check_upload(NAMES[kind], clean, max_bytes=20 * 1024 * 1024).kind == kind


# --- pictures ---------------------------------------------------------------------------------


def open_picture(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize("kind", ["jpg", "png", "gif", "webp"])
def test_a_picture_keeps_its_size_and_format_and_loses_its_exif(kind):
    original = FIXTURES[kind][0]()
    before, after = open_picture(original), open_picture(strip_metadata(kind, original))
    assert after.size == before.size
    assert after.format == before.format
    assert len(after.getexif()) == 0
    assert not after.getexif().get_ifd(0x8825)  # GPS
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(after.info)
    assert not getattr(after, "text", {})


def _colour(picture: Image.Image, x: float, y: float) -> tuple[int, ...]:
    rgb = picture.convert("RGB")
    return rgb.getpixel((int(x * (rgb.width - 1)), int(y * (rgb.height - 1))))  # type: ignore[return-value]


def is_red(colour: tuple[int, ...]) -> bool:
    return colour[0] > 150 and colour[2] < 90


def is_blue(colour: tuple[int, ...]) -> bool:
    return colour[2] > 150 and colour[0] < 90


@pytest.mark.parametrize("kind", ["jpg", "png", "webp"])
def test_a_picture_looks_the_same(kind):
    after = open_picture(strip_metadata(kind, FIXTURES[kind][0]()))
    assert is_red(_colour(after, 0.1, 0.5)) and is_blue(_colour(after, 0.9, 0.5))


def test_the_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera was turned; a viewer turns the picture 90° clockwise, so the
    # red left half ends up on top.
    original = tagged.jpeg_with_exif(64, 48, orientation=6)
    after = open_picture(strip_metadata("jpg", original))
    assert after.size == (48, 64)
    assert 0x0112 not in after.getexif()
    assert is_red(_colour(after, 0.5, 0.1)) and is_blue(_colour(after, 0.5, 0.9))


def test_a_jpeg_is_encoded_at_quality_90():
    from PIL import JpegImagePlugin

    after = open_picture(strip_metadata("jpg", tagged.jpeg_with_exif(256, 256)))
    assert isinstance(after, JpegImagePlugin.JpegImageFile)
    # libjpeg's quality 90 luminance table starts with 3.
    assert after.quantization[0][0] == 3


def test_a_profile_that_cannot_be_read_is_dropped_with_the_rest():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(out, "JPEG", icc_profile=b"CANARYICC" * 20)
    clean = strip_metadata("jpg", out.getvalue())
    assert b"CANARYICC" not in clean
    assert "icc_profile" not in open_picture(clean).info


def test_a_cmyk_jpeg_with_a_profile_is_converted_to_rgb():
    from PIL import ImageCms

    out = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(out, "JPEG")
    plain = open_picture(strip_metadata("jpg", out.getvalue()))
    assert plain.mode == "CMYK"  # no profile: kept as it is
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG", icc_profile=srgb)
    tagged_rgb = open_picture(strip_metadata("jpg", out.getvalue()))
    assert tagged_rgb.mode == "RGB" and "icc_profile" not in tagged_rgb.info
    assert is_red(_colour(tagged_rgb, 0.5, 0.5))


def test_an_animation_keeps_its_frames_and_timing():
    frames = [Image.new("RGB", (20, 10), c) for c in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"CANARYCOMMENT",
    )
    assert Image.open(out).n_frames == 3
    clean = strip_metadata("gif", out.getvalue())
    assert b"CANARYCOMMENT" not in clean
    after = Image.open(io.BytesIO(clean))
    assert after.n_frames == 3
    durations = []
    for i in range(3):
        after.seek(i)
        durations.append(after.info["duration"])
    assert durations == [100, 200, 300]
    assert after.info.get("loop") == 0


def test_a_lossless_webp_stays_lossless_and_a_lossy_one_lossy():
    picture = Image.new("RGB", (16, 16), (1, 2, 3))
    for lossless, chunk in ((True, b"VP8L"), (False, b"VP8 ")):
        out = io.BytesIO()
        picture.save(out, "WEBP", lossless=lossless, exif=tagged._exif())
        clean = strip_metadata("webp", out.getvalue())
        assert chunk in clean[12:64]
        assert b"CANARYCAMERA" not in clean


def test_a_transparent_png_stays_transparent():
    out = io.BytesIO()
    Image.new("RGBA", (4, 4), (255, 0, 0, 0)).save(out, "PNG")
    after = open_picture(strip_metadata("png", out.getvalue()))
    assert after.mode == "RGBA" and after.getpixel((0, 0))[3] == 0  # type: ignore[index]


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded():
    with pytest.raises(UploadRefused) as e:
        strip_metadata("png", samples.png(300, 200), max_pixels=50_000)
    assert e.value.code == "too_large"
    assert e.value.message == "图片有300×200像素，超过5万像素的上限，无法处理，请缩小后再上传。"
    big = samples.png(9000, 8000)  # a few KB of grey that would decode to 72 million pixels
    assert len(big) < 200_000
    with pytest.raises(UploadRefused, match="9000×8000像素，超过6400万像素的上限"):
        strip_metadata("png", big)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40),
        ("jpg", tagged.jpeg_with_exif()[:600]),
        ("png", samples.png()[:30]),
        ("jpg", samples.png()),  # not the kind it is said to be
        ("gif", b"GIF89a" + b"\x00" * 5),
    ],
)
def test_a_damaged_picture_is_refused_not_passed_through(kind, data):
    with pytest.raises(UploadRefused) as e:
        strip_metadata(kind, data)
    assert e.value.code == "damaged"
    assert "无法去除其中的拍摄信息" in e.value.message


# --- Office Open XML --------------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def assert_package_is_whole(data: bytes) -> None:
    """Every relationship of the package points at a part that is there, and every Override
    names one: what mat2's docx lacked."""
    parts = members(data)
    for name, body in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = name.rsplit("_rels/", 1)[0]
        for element in re.findall(rb"<Relationship\b[^>]*>", body):
            if b'TargetMode="External"' in element:
                continue
            target = re.search(rb'Target="([^"]*)"', element).group(1).decode()
            path = posixpath.normpath(target.lstrip("/") if target[0] == "/" else folder + target)
            assert path in parts, f"{name} points at {path}, which is missing"
    for part in re.findall(rb'PartName="/([^"]*)"', parts["[Content_Types].xml"]):
        assert part.decode() in parts, f"[Content_Types].xml names {part}, which is missing"


CHANGED = {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml"}


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_an_office_package_keeps_every_other_part_byte_for_byte(kind):
    original = FIXTURES[kind][0]()
    before, after = members(original), members(strip_metadata(kind, original))
    assert_package_is_whole(strip_metadata(kind, original))
    assert set(before) - set(after) <= {"docProps/custom.xml", "docProps/thumbnail.jpeg"}
    assert "docProps/custom.xml" not in after
    unchanged = set(after) - CHANGED - {"xl/workbook.xml"} - {n for n in after if "/media/" in n}
    assert unchanged and all(after[name] == before[name] for name in unchanged)
    assert b"custom.xml" not in after["_rels/.rels"] + after["[Content_Types].xml"]
    assert after["docProps/core.xml"].endswith(b"/>")
    assert b"<dc:" not in after["docProps/core.xml"]
    assert b"<Company>" not in after["docProps/app.xml"]


def test_a_package_loses_its_timestamps():
    with zipfile.ZipFile(io.BytesIO(strip_metadata("docx", tagged.docx_with_author()))) as p:
        assert {i.date_time for i in p.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert all(not i.extra and not i.comment for i in p.infolist())


def test_a_docx_reopens_with_its_text_and_picture_and_no_author():
    import docx

    clean = strip_metadata("docx", tagged.docx_with_author())
    document = docx.Document(io.BytesIO(clean))
    assert document.paragraphs[0].text == "关于县财政局违规发放津贴的情况反映"
    assert len(document.inline_shapes) == 1
    properties = document.core_properties
    assert (properties.author, properties.last_modified_by, properties.title) == ("", "", "")
    assert properties.created is None and properties.revision == 0
    assert "docProps/thumbnail.jpeg" not in members(clean)
    # The embedded photo lost its EXIF without being encoded again.
    photo = members(clean)["word/media/image1.jpg"]
    original_photo = members(tagged.docx_with_author())["word/media/image1.jpg"]
    assert open_picture(photo).tobytes() == open_picture(original_photo).tobytes()
    assert len(open_picture(photo).getexif()) == 0
    # And saves again: python-docx can work with it.
    out = io.BytesIO()
    document.save(out)
    assert docx.Document(out).paragraphs[0].text.startswith("关于")


def test_an_xlsx_reopens_with_its_cells_and_no_creator_or_folder():
    from openpyxl import load_workbook

    clean = strip_metadata("xlsx", tagged.xlsx_with_creator())
    book = load_workbook(io.BytesIO(clean))
    assert [c.value for c in book.active[1]] == ["整改事项", "责任单位"]
    assert book.properties.creator == "openpyxl"  # its default when there is none
    assert book.properties.lastModifiedBy in (None, "")
    assert len(book.custom_doc_props) == 0
    assert b'absPath url=""' in members(clean)["xl/workbook.xml"]


def test_a_package_that_is_not_one_is_refused():
    with pytest.raises(UploadRefused) as e:
        strip_metadata("docx", b"PK\x03\x04 not really a zip")
    assert e.value.code == "damaged"
    assert e.value.message == "Office 文件无法读取（可能已损坏），无法去除其中的作者等信息。"


# --- PDF --------------------------------------------------------------------------------------


def test_a_pdf_reopens_with_its_page_picture_and_comment_but_no_metadata():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(strip_metadata("pdf", tagged.pdf_with_author())))
    assert len(reader.pages) == 1
    assert reader.metadata is None
    assert reader.xmp_metadata is None
    assert "/Metadata" not in reader.root_object
    assert "/ID" not in reader.trailer
    page = reader.pages[0]
    picture = page.images[0].image
    assert picture is not None and picture.size == (64, 48)
    note = page["/Annots"][0].get_object()
    assert note["/Subtype"] == "/Text" and "/T" not in note
    assert note["/Contents"] == "此处金额有误"


def test_a_pdf_keeps_its_version_and_reads_like_before():
    from pypdf import PdfReader

    original = samples.pdf()
    clean = strip_metadata("pdf", original)
    assert clean.startswith(b"%PDF-1.7")
    text = PdfReader(io.BytesIO(clean)).pages[0].extract_text()
    assert text == PdfReader(io.BytesIO(original)).pages[0].extract_text() == "Xunshi"


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(samples.pdf()))
    writer.add_metadata({"/Author": "CANARYAUTHOR"})
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_opens_without_a_password_comes_back_unencrypted_and_clean():
    from pypdf import PdfReader

    clean = strip_metadata("pdf", _encrypted_pdf(""))
    reader = PdfReader(io.BytesIO(clean))
    assert not reader.is_encrypted and reader.metadata is None
    assert canaries_in(clean) == set()


def test_a_pdf_with_an_opening_password_is_refused():
    with pytest.raises(UploadRefused) as e:
        strip_metadata("pdf", _encrypted_pdf("secret"))
    assert e.value.code == "encrypted"


def test_a_damaged_pdf_is_refused():
    with pytest.raises(UploadRefused) as e:
        strip_metadata("pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF")
    assert e.value.code == "damaged"


# --- the rest ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "build"),
    [
        ("txt", samples.text),
        ("zip", lambda: samples.zip_of({"a.jpg": tagged.jpeg_with_exif()})),
        ("doc", samples.doc),
        ("xls", samples.xls),
        ("ppt", lambda: samples.cfb({"PowerPoint Document": b"\x00" * 8})),
    ],
)
def test_other_kinds_come_back_as_they_are(kind, build):
    data = build()
    assert strip_metadata(kind, data) is data


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="does not know the kind 'exe'"):
        strip_metadata("exe", b"MZ")


def test_segments_go_and_the_picture_stays_the_same():
    jpeg = tagged.jpeg_with_exif() + b"TRAILER-CANARYMAKE"
    stripped = strip_jpeg_segments(jpeg)
    assert canaries_in(stripped) == set() and b"TRAILER" not in stripped
    assert open_picture(stripped).tobytes() == open_picture(jpeg).tobytes()
    png = tagged.png_with_text()
    stripped = strip_png_chunks(png)
    assert canaries_in(stripped) == set()
    assert open_picture(stripped).tobytes() == open_picture(png).tobytes()
    with pytest.raises(ValueError):
        strip_jpeg_segments(b"\xff\xd8\xff\xe1\xff\xff")


def test_importing_uploadscan_loads_neither_pillow_nor_pypdf():
    code = (
        "import sys, uploadscan; bad = [m for m in ('PIL', 'pypdf') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

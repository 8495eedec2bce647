"""Sample files that carry identifying metadata, each field holding a canary string.

The canaries are letters only, so that no writer escapes them (pypdf writes "-" as \\055).

For the tests of `strip_metadata` here and of the portal: every canary below is in the file
(the tests check it before cleaning) and must be nowhere in the cleaned copy.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from . import samples

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "CANARIES",
    "docx_with_author",
    "gif_with_comment",
    "jpeg_with_exif",
    "ofd_with_author",
    "pdf_with_author",
    "png_with_text",
    "pptx_with_author",
    "webp_with_exif",
    "xlsx_with_creator",
]

CANARIES = {
    "camera": "CANARYCAMERA",
    "make": "CANARYMAKE",
    "artist": "CANARYARTIST",
    "gps": "CANARYGPS",
    "xmp": "CANARYXMP",
    "comment": "CANARYCOMMENT",
    "text": "CANARYPNGTEXT",
    "author": "CANARYAUTHOR",
    "editor": "CANARYEDITOR",
    "title": "CANARYTITLE",
    "company": "CANARYCOMPANY",
    "manager": "CANARYMANAGER",
    "template": "CANARYTEMPLATE",
    "custom": "CANARYCUSTOM",
    "user": "CANARYUSER",
    "old_author": "CANARYOLDAUTHOR",
    "annotation": "CANARYANNOTATION",
}

_XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    f"{CANARIES['xmp']}</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _exif(orientation: int | None = None) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = CANARIES["make"]
    exif[0x0110] = CANARIES["camera"]
    exif[0x013B] = CANARIES["artist"]
    exif[0x0132] = "2026:03:01 09:30:00"
    if orientation:
        exif[0x0112] = orientation
    exif[0x8825] = {  # the GPS IFD: Tian'anmen, and a processing method naming the canary
        1: "N",
        2: (39.0, 54.0, 27.0),
        3: "E",
        4: (116.0, 23.0, 29.0),
        27: b"ASCII\x00\x00\x00" + CANARIES["gps"].encode(),
    }
    return exif.tobytes()


def _picture(width: int, height: int) -> Image.Image:
    """A picture whose left half is red and right half blue, to see a rotation."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), (200, 30, 30))
    ImageDraw.Draw(picture).rectangle((width // 2, 0, width, height), fill=(30, 30, 200))
    return picture


def jpeg_with_exif(width: int = 64, height: int = 48, *, orientation: int | None = None) -> bytes:
    """A JPEG with EXIF (make, model, artist, time, GPS), XMP, a comment and an ICC profile.

    orientation sets the EXIF Orientation tag (6: the viewer turns it 90° clockwise).
    """
    from PIL import ImageCms

    out = io.BytesIO()
    _picture(width, height).save(
        out,
        "JPEG",
        exif=_exif(orientation),
        xmp=_XMP.encode(),
        comment=CANARIES["comment"],
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return out.getvalue()


def png_with_text(width: int = 40, height: int = 30) -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks, an eXIf chunk and XMP."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", CANARIES["text"])
    info.add_text("Comment", CANARIES["comment"], zip=True)
    info.add_itxt("Description", "巡视 " + CANARIES["text"], lang="zh", tkey="说明")
    info.add_itxt("XML:com.adobe.xmp", _XMP)
    out = io.BytesIO()
    _picture(width, height).save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def gif_with_comment() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (16, 12), 3).save(out, "GIF", comment=CANARIES["comment"].encode())
    return out.getvalue()


def webp_with_exif() -> bytes:
    out = io.BytesIO()
    _picture(32, 24).save(out, "WEBP", exif=_exif(), xmp=_XMP.encode())
    return out.getvalue()


# --- Office Open XML --------------------------------------------------------------------------


def _rewrite(data: bytes, edit: dict[str, bytes | None], add: dict[str, bytes]) -> bytes:
    """The package with members replaced (None removes one) and added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = edit.get(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info, body)
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas'
    '.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.open'
    'xmlformats.org/officeDocument/2006/docPropsVTypes"><Template>{template}.dotm</Template>'
    "<TotalTime>42</TotalTime><Pages>1</Pages><Application>WPS Office_11.1.0.11365_F1E327BC-269C"
    "-435d-A152-05C5408002CA</Application><Manager>{manager}</Manager><Company>{company}"
    "</Company><AppVersion>16.0000</AppVersion></Properties>"
).format(**CANARIES)
_CUSTOM = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas'
    '.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxml'
    'formats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{{D5CDD505-2E9C-101B-9397-'
    '08002B2CF9AE}}" pid="2" name="ICV"><vt:lpwstr>{custom}</vt:lpwstr></property></Properties>'
).format(**CANARIES)
_CUSTOM_REL = (
    '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/custom-properties" Target="docProps/custom.xml"/>'
)
_CUSTOM_TYPE = (
    '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.custom-properties+xml"/>'
)


def _with_office_properties(data: bytes) -> bytes:
    """The package with WPS-like extended properties and a custom properties part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = package.read("_rels/.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        has_custom = "docProps/custom.xml" in package.namelist()
    edit: dict[str, bytes | None] = {"docProps/app.xml": _APP.encode()}
    add: dict[str, bytes] = {}
    if not has_custom:
        edit["_rels/.rels"] = rels.replace(
            "</Relationships>", _CUSTOM_REL + "</Relationships>"
        ).encode()
        edit["[Content_Types].xml"] = types.replace("</Types>", _CUSTOM_TYPE + "</Types>").encode()
        add["docProps/custom.xml"] = _CUSTOM.encode()
    return _rewrite(data, edit, add)


def docx_with_author() -> bytes:
    """A python-docx document: author, editor, title … canaries, WPS-like company, manager
    and template, a custom property, the template's thumbnail, and a photo with EXIF."""
    import docx

    document = docx.Document()
    properties = document.core_properties
    properties.author = CANARIES["author"]
    properties.last_modified_by = CANARIES["editor"]
    properties.title = CANARIES["title"]
    properties.subject = CANARIES["title"] + "-SUBJECT"
    properties.keywords = CANARIES["title"] + "-KEYWORDS"
    properties.comments = CANARIES["title"] + "-DESCRIPTION"
    properties.category = CANARIES["title"] + "-CATEGORY"
    properties.revision = 7
    document.add_paragraph("关于县财政局违规发放津贴的情况反映")
    document.add_picture(io.BytesIO(jpeg_with_exif()))
    out = io.BytesIO()
    document.save(out)
    return _with_office_properties(out.getvalue())


_ABS_PATH = (
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\{user}\\Desktop\\" xmlns:x15ac='
    '"http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice>'
    "</mc:AlternateContent>"
).format(**CANARIES)


def xlsx_with_creator() -> bytes:
    """An openpyxl workbook: creator and editor canaries, a custom property, company in the
    extended properties, and the folder it was saved in as Excel writes it."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    book = Workbook()
    book.properties.creator = CANARIES["author"]
    book.properties.lastModifiedBy = CANARIES["editor"]
    book.properties.title = CANARIES["title"]
    book.custom_doc_props.append(StringProperty(name="ICV", value=CANARIES["custom"]))
    sheet = book.active
    assert sheet is not None
    sheet.append(["整改事项", "责任单位"])
    out = io.BytesIO()
    book.save(out)
    data = _with_office_properties(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        workbook = package.read("xl/workbook.xml").decode()
    head_end = workbook.index(">", workbook.index("<workbook")) + 1
    workbook = workbook[:head_end] + _ABS_PATH + workbook[head_end:]
    return _rewrite(data, {"xl/workbook.xml": workbook.encode()}, {})


def pptx_with_author() -> bytes:
    """The smallest package PowerPoint calls a presentation (no slides), with the same
    properties as `docx_with_author`. No library here reopens it; the tests check its parts."""
    ns = "http://schemas.openxmlformats.org"
    types = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{ns}/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.presentationml.presentation.main+xml"/><Override PartName="/docProps/'
        'core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.extended-properties+xml"/></Types>'
    )
    rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{ns}/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{ns}/officeDocument/2006/'
        'relationships/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" '
        f'Type="{ns}/package/2006/relationships/metadata/core-properties" Target="docProps/core.'
        f'xml"/><Relationship Id="rId3" Type="{ns}/officeDocument/2006/relationships/extended-'
        'properties" Target="docProps/app.xml"/></Relationships>'
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp='
        f'"{ns}/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
        f'instance"><dc:title>{CANARIES["title"]}</dc:title><dc:creator>{CANARIES["author"]}'
        f"</dc:creator><cp:lastModifiedBy>{CANARIES['editor']}</cp:lastModifiedBy><cp:revision>3"
        '</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2026-03-01T09:30:00Z'
        "</dcterms:created></cp:coreProperties>"
    )
    presentation = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:presentation xmlns:p="'
        f'{ns}/presentationml/2006/main"><p:sldSz cx="9144000" cy="6858000"/><p:notesSz '
        'cx="6858000" cy="9144000"/></p:presentation>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", rels)
        package.writestr("docProps/core.xml", core)
        package.writestr("docProps/app.xml", _APP)
        package.writestr("ppt/presentation.xml", presentation)
    return _with_office_properties(out.getvalue())


# --- PDF --------------------------------------------------------------------------------------


def pdf_with_author() -> bytes:
    """A one-page PDF saved twice: the first /Info (old author) survives in the file as an
    earlier revision, the second names the author; with an XMP stream, a comment by a named
    author and a JPEG photo carrying EXIF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Text
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    photo = DecodedStreamObject()
    photo.set_data(jpeg_with_exif())
    photo.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(64),
            NameObject("/Height"): NumberObject(48),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/DCTDecode"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(photo)})}
    )
    content = DecodedStreamObject()
    content.set_data(b"q 128 0 0 96 36 52 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Author": CANARIES["old_author"], "/Title": CANARIES["title"]})
    xmp = DecodedStreamObject()
    xmp.set_data(_XMP.encode())
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    note = Text(rect=(20, 150, 40, 170), text="此处金额有误")
    note[NameObject("/T")] = TextStringObject(CANARIES["annotation"])
    writer.add_annotation(page_number=0, annotation=note)
    first = io.BytesIO()
    writer.write(first)

    again = PdfWriter(PdfReader(io.BytesIO(first.getvalue())), incremental=True)
    again.add_metadata({"/Author": CANARIES["author"], "/Creator": CANARIES["company"]})
    out = io.BytesIO()
    again.write(out)
    return out.getvalue()


def ofd_with_author() -> bytes:
    """An OFD whose DocInfo names an author, a creator, a terminal in its custom data, and
    whose page picture carries a camera and GPS position."""
    data = samples.ofd(author=CANARIES["author"], picture=png_with_text())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        members = {i.filename: package.read(i) for i in package.infolist()}
    members["OFD.xml"] = (
        members["OFD.xml"]
        .replace("数科OFD版式办公套件".encode(), CANARIES["company"].encode())
        .replace(b"PC-ZHANG-01", CANARIES["user"].encode())
    )
    return samples.zip_of(members)

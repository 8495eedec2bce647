"""check_upload: what is accepted, and every refusal with the Chinese sentence the user reads."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

import uploadscan
from uploadscan import UploadRefused, clean_name, office, policy

from . import samples

LIMIT = 20 * 1024 * 1024  # what xunshi passes (XUNSHI_UPLOAD_MAX_BYTES)


def check_upload(name: str, data: bytes) -> uploadscan.Detected:
    return uploadscan.check_upload(name, data, max_bytes=LIMIT)


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UploadRefused) as e:
        check_upload(name, data)
    return e.value.message


@pytest.mark.parametrize(
    ("name", "build", "kind", "mime"),
    [
        ("报告.pdf", samples.pdf, "pdf", "application/pdf"),
        ("现场照片.jpg", samples.jpeg, "jpg", "image/jpeg"),
        ("现场照片.JPEG", samples.jpeg, "jpg", "image/jpeg"),
        ("截图.png", samples.png, "png", "image/png"),
        ("动图.gif", samples.gif, "gif", "image/gif"),
        (
            "底稿.docx",
            samples.docx,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "台账.xlsx",
            samples.xlsx,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("台账.xls", samples.xls, "xls", "application/vnd.ms-excel"),
        ("台账.et", samples.xls, "xls", "application/vnd.ms-excel"),
        ("底稿.doc", samples.doc, "doc", "application/msword"),
        ("记录.txt", samples.text, "txt", "text/plain; charset=utf-8"),
        (
            "记录.txt",
            lambda: samples.text(encoding="gb18030"),
            "txt",
            "text/plain; charset=gb18030",
        ),
        ("GIF 说明.txt", lambda: b"GIF is a picture format", "txt", "text/plain; charset=utf-8"),
        (
            "材料.zip",
            lambda: samples.zip_of(
                {"底稿.docx": samples.docx(), "报告.pdf": samples.pdf(), "说明.txt": samples.text()}
            ),
            "zip",
            "application/zip",
        ),
    ],
)
def test_it_accepts_real_files_by_their_content(name, build, kind, mime):
    detected = check_upload(name, build())
    assert (detected.kind, detected.mime) == (kind, mime)
    assert detected.label == uploadscan.KINDS[kind].label


def test_it_refuses_an_empty_file():
    assert refusal("空.txt", b"") == "文件“空.txt”是空文件，请检查后重新上传。"


def test_it_refuses_a_file_over_the_limit_with_its_size():
    data = b"%PDF-1.7\n" + b" " * int(25.3 * 1024 * 1024)
    assert refusal("大文件.pdf", data) == "文件“大文件.pdf”大小为25.3 MB，超过20 MB的上限。"


def test_it_knows_a_pdf_renamed_to_jpg_and_says_what_it_really_is():
    assert refusal("照片.jpg", samples.pdf()) == (
        "文件“照片.jpg”的扩展名是“.jpg”，但内容实际是PDF 文档，请将扩展名改为“.pdf”后再上传。"
    )
    assert "内容是PDF 文档，请加上扩展名“.pdf”" in refusal("照片", samples.pdf())


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        (
            "报告.docm",
            samples.docm,
            "文件“报告.docm”含有宏代码，出于安全原因不予接收，请另存为不含宏的文档后再上传。",
        ),
        ("报告.docx", samples.docm, "文件“报告.docx”含有宏代码"),
        ("控件.docx", samples.docx_with_activex, "文件“控件.docx”含有 ActiveX 控件"),
        ("台账.xls", samples.xls_with_macros, "文件“台账.xls”含有宏代码"),
        ("台账.xls", samples.xls_with_macro_sheet, "文件“台账.xls”含有宏代码"),
        (
            "报告.pdf",
            samples.pdf_with_javascript,
            "文件“报告.pdf”含有 JavaScript 脚本，出于安全原因不予接收",
        ),
        (
            "报告.pdf",
            lambda: samples.pdf_with_javascript(True),
            "文件“报告.pdf”含有 JavaScript 脚本",
        ),
        (
            "报告.pdf",
            lambda: samples.pdf_with_javascript(True, in_object_stream=True),
            "文件“报告.pdf”含有 JavaScript 脚本",
        ),
        (
            "炸弹.zip",
            samples.zip_bomb,
            "文件“炸弹.zip”疑似“压缩炸弹”（解压后共210 MB，超过200 MB的上限），不予接收。",
        ),
        (
            "炸弹.zip",
            samples.zip_ratio_bomb,
            "文件“炸弹.zip”疑似“压缩炸弹”（其中“zeros.txt”的压缩比超过100:1），不予接收。",
        ),
        (
            "多.zip",
            samples.zip_many_members,
            "文件“多.zip”疑似“压缩炸弹”（包含5001个文件，超过5000个的上限），不予接收。",
        ),
        (
            "套.zip",
            samples.zip_nested,
            "文件“套.zip”中的“inner.zip”是压缩包，不接收嵌套的压缩包，请解压后分别上传。",
        ),
        ("谎.zip", samples.zip_lying_about_size, "文件“谎.zip”已损坏（“a.txt”无法读取）"),
        ("程序.exe", samples.exe, "文件“程序.exe”是可执行程序，出于安全原因不予接收。"),
        ("程序.txt", samples.exe, "文件“程序.txt”是可执行程序"),
        ("页面.html", samples.html, "文件“页面.html”是网页、矢量图或脚本"),
        ("页面.txt", samples.html, "文件“页面.txt”是网页、矢量图或脚本"),
        (
            "图.svg",
            lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "是网页、矢量图或脚本",
        ),
        ("脚本.txt", lambda: b"#!/bin/sh\nrm -rf ~\n", "是网页、矢量图或脚本"),
        ("a.rar", lambda: b"Rar!\x1a\x07\x00" + b"\x00" * 64, "是 ZIP 以外的压缩格式"),
        ("a.7z", lambda: b"7z\xbc\xaf\x27\x1c" + b"\x00" * 64, "是 ZIP 以外的压缩格式"),
        (
            "a.bin",
            lambda: bytes(range(256)) * 4,
            "的类型无法识别，不予接收。系统接收PDF、OFD、Word",
        ),
        (
            "u16.txt",
            lambda: "巡视".encode("utf-16"),
            "是 UTF-16 编码的文本，请另存为 UTF-8 编码后再上传。",
        ),
        ("a.msg", lambda: samples.cfb({"__substg1.0_0037001F": b"x"}), "是本系统不接收的文件类型"),
        (
            "宏.zip",
            lambda: samples.zip_of({"a.docx": samples.docm()}),
            "文件“宏.zip”中的“a.docx”含有宏代码",
        ),
        (
            "宏.zip",
            lambda: samples.zip_of({"run.bat": b"@echo off"}),
            "中的“run.bat”是程序、脚本、网页或含宏文档",
        ),
        (
            "脚本.zip",
            lambda: samples.zip_of({"a.pdf": samples.pdf_with_javascript()}),
            "中的“a.pdf”含有 JavaScript 脚本",
        ),
        ("程序.zip", lambda: samples.zip_of({"readme": samples.exe()}), "中的“readme”是可执行程序"),
        ("越界.zip", lambda: samples.zip_of({"../../etc/x.txt": b"x"}), "路径不安全"),
    ],
)
def test_it_refuses_dangerous_files_with_a_clear_message(name, build, message):
    assert message in refusal(name, build())


@pytest.mark.parametrize(
    ("action", "refused"),
    [
        (b"<< /S /JavaScript /JS (app.alert(1)) >>", True),
        (b"<< /S /Launch /F (cmd.exe) >>", True),
        (b"<< /S /URI /URI (http://example.com) >>", True),
        (b"<< /S /GoTo /D [3 0 R /Fit] >>", False),
        (b"[3 0 R /Fit]", False),
        (b"6 0 R", True),
    ],
)
def test_it_refuses_an_automatic_open_action_but_not_a_start_page(action, refused):
    data = samples.pdf_with_open_action(action)
    if refused:
        assert "出于安全原因不予接收" in refusal("a.pdf", data)
    else:
        assert check_upload("a.pdf", data).kind == "pdf"


@pytest.mark.parametrize("name", ["Launch", "EmbeddedFile", "RichMedia", "XFA", "AA"])
def test_it_refuses_the_other_dangerous_pdf_names_also_hex_escaped(name):
    escaped = "".join(f"#{ord(c):02X}" if i % 2 else c for i, c in enumerate(name))
    for spelled in (name, escaped):
        data = samples.pdf_with_catalog_entry(f"/{spelled} << >>".encode())
        assert "出于安全原因不予接收" in refusal("a.pdf", data), spelled


def test_it_does_not_read_names_inside_compressed_page_content():
    # Page content may contain any bytes; "/JS " in it is not a script.
    data = samples.pdf_with_page_content(b"/JS 1 Tf /AA gs")
    assert check_upload("a.pdf", data).kind == "pdf"


def test_it_stops_inflating_at_the_budget_whatever_the_directory_says():
    archive = zipfile.ZipFile(io.BytesIO(samples.zip_of({"a.txt": bytes(range(256)) * 400})))
    with pytest.raises(policy.Refused) as e:
        office._read_member(archive, archive.infolist()[0], policy.Budget(50_000), keep_up_to=10**9)
    assert "压缩炸弹" in e.value.text


def test_it_keeps_only_the_files_own_name():
    assert clean_name("C:\\fakepath\\报告.pdf") == "报告.pdf"
    assert clean_name("../../etc/passwd\x00") == "passwd"
    assert clean_name("") == "未命名文件"
    assert len(clean_name("长" * 300 + ".pdf")) == 200
    assert clean_name("长" * 300 + ".pdf").endswith(".pdf")


def test_the_limit_is_the_callers():
    assert uploadscan.check_upload("a.txt", b"x" * 300, max_bytes=300).kind == "txt"
    with pytest.raises(UploadRefused) as e:
        uploadscan.check_upload("a.txt", b"x" * 301, max_bytes=300)
    assert e.value.message == "文件“a.txt”大小为301 字节，超过300 字节的上限。"


def test_a_zip_member_over_the_callers_limit_cannot_be_checked():
    data = samples.zip_of({"报告.pdf": samples.pdf() + b"%" + b" " * 5000})
    assert len(data) < 5000
    with pytest.raises(UploadRefused) as e:
        uploadscan.check_upload("材料.zip", data, max_bytes=5000)
    assert e.value.message == (
        "文件“材料.zip”中的“报告.pdf”超过4.9 KB，无法完成安全检查，请单独上传。"
    )
    assert uploadscan.check_upload("材料.zip", data, max_bytes=6000).kind == "zip"


def test_it_imports_no_django_and_no_project_code():
    code = (
        "import sys, uploadscan; from uploadscan.tests import samples; "
        "assert uploadscan.check_upload('a.pdf', samples.pdf(), max_bytes=10**6).kind == 'pdf'; "
        "assert uploadscan.strip_metadata('png', samples.png())[:4] == b'\\x89PNG'; "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'xunshi', 'config', 'portal', 'envelope'}]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- PDF: every object, whatever the stream it is packed in -----------------------------------


@pytest.mark.parametrize("stream_filter", ["none", "flate", "hex", "a85+flate"])
@pytest.mark.parametrize("listed", [True, False], ids=["listed", "unlisted"])
def test_it_refuses_javascript_run_on_opening_from_any_object_stream(stream_filter, listed):
    # Issue 12: the script in an object stream without a filter was accepted.
    data = samples.pdf_opening_with_javascript(stream_filter, listed=listed)
    assert "出于安全原因不予接收" in refusal("报告.pdf", data)


@pytest.mark.parametrize("stream_filter", ["none", "hex"])
def test_it_refuses_a_document_script_in_a_plain_object_stream(stream_filter):
    data = samples.pdf_with_javascript(True, in_object_stream=True, stream_filter=stream_filter)
    assert "文件“报告.pdf”含有 JavaScript 脚本" in refusal("报告.pdf", data)


def test_it_refuses_an_automatic_action_chained_after_a_start_page():
    action = b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI (http://example.com/) >> >>"
    data = samples.pdf_with_open_action(action)
    assert "含有打开文档时自动执行的动作" in refusal("a.pdf", data)


def _encrypted(data: bytes, *, user: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_it_checks_a_pdf_that_only_has_a_permissions_password():
    assert check_upload("公文.pdf", _encrypted(samples.pdf(), user="")).kind == "pdf"
    refused = refusal("公文.pdf", _encrypted(samples.pdf_with_javascript(), user=""))
    assert "含有 JavaScript 脚本" in refused


def test_it_refuses_a_pdf_with_an_opening_password():
    assert refusal("公文.pdf", _encrypted(samples.pdf(), user="1234")) == (
        "文件“公文.pdf”已设置打开密码，无法检查其中的内容，请去除密码后再上传。"
    )


def test_it_refuses_a_pdf_it_cannot_read():
    data = samples.pdf_with_javascript(in_object_stream=True)
    data = data.replace(b"/FlateDecode", b"/LZWDecode")
    assert "内部对象无法读取" in refusal("a.pdf", data)


# --- Office: DDE, external templates, parts in other formats ----------------------------------

DDE_REFUSED = (
    "含有 DDE 字段（打开时可能运行外部程序），出于安全原因不予接收，请删除该字段后再上传。"
)


@pytest.mark.parametrize(
    ("simple", "pieces"), [(True, 1), (False, 1), (False, 9)], ids=["fldSimple", "run", "runs"]
)
def test_it_refuses_a_word_document_with_a_dde_field(simple, pieces):
    # Issue 12: a .docx with a DDEAUTO field was accepted.
    data = samples.docx_with_field(samples.DDE_INSTRUCTION, simple=simple, pieces=pieces)
    assert refusal("通知.docx", data) == f"文件“通知.docx”{DDE_REFUSED}"


@pytest.mark.parametrize("instruction", [" dde cmd.exe /c calc ", "DDE&#65;UTO calc", "DDE"])
def test_it_refuses_dde_in_any_spelling(instruction):
    # Field codes are case-blind, and XML may spell a letter as a character reference.
    data = samples.docx_with_field(instruction, simple=True)
    data = data.replace(b"&amp;#65;", b"&#65;")
    assert DDE_REFUSED in refusal("a.docx", data)


@pytest.mark.parametrize(
    "instruction",
    [" PAGE \\* MERGEFORMAT ", ' TOC \\o "1-3" \\h \\z \\u ', " HYPERLINK \\l _Toc1 "],
)
def test_it_accepts_the_fields_of_ordinary_documents(instruction):
    for simple in (True, False):
        assert check_upload("底稿.docx", samples.docx_with_field(instruction, simple=simple))


@pytest.mark.parametrize("wide", [True, False], ids=["utf16", "bytes"])
def test_it_refuses_an_old_word_file_with_a_dde_field(wide):
    assert refusal("通知.doc", samples.doc_with_dde(wide=wide)) == f"文件“通知.doc”{DDE_REFUSED}"


def test_it_refuses_excel_links_to_other_programs_but_not_to_other_workbooks():
    dde_link = "含有 DDE 外部链接（打开时可能运行外部程序），出于安全原因不予接收"
    assert dde_link in refusal("台账.xlsx", samples.xlsx_with_dde_link())
    assert "含有 DDE 或 OLE 外部链接" in refusal("台账.xls", samples.xls_with_dde_link())
    assert check_upload("台账.xls", samples.xls_with_workbook_link()).kind == "xls"


@pytest.mark.parametrize("quote", ['"', "'"])
def test_it_refuses_a_template_attached_from_the_network(quote):
    assert refusal("通知.docx", samples.docx_with_external_template(quote=quote)) == (
        "文件“通知.docx”引用了外部模板或外部对象，打开时会从网络加载内容，不予接收。"
    )


def test_it_refuses_a_part_in_another_format_that_word_converts_on_opening():
    assert "altChunk" in refusal("通知.docx", samples.docx_with_alt_chunk())


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_it_reads_relationships_written_in_utf16():
    members = _members(samples.docx_with_external_template())
    rels = members["word/_rels/settings.xml.rels"].decode().replace("UTF-8", "UTF-16")
    members["word/_rels/settings.xml.rels"] = "\ufeff".encode("utf-16-le") + rels.encode(
        "utf-16-le"
    )
    assert "引用了外部模板" in refusal("通知.docx", samples.zip_of(members))


def test_it_refuses_relationships_too_large_to_read():
    members = _members(samples.docx())
    members["word/_rels/document.xml.rels"] += b"<!-- " + b"0" * (3 * 1024 * 1024) + b" -->"
    data = samples.zip_of(members, method=zipfile.ZIP_STORED)
    assert "关系清单过大" in refusal("通知.docx", data)


# --- OFD (GB/T 33190) -------------------------------------------------------------------------


def test_it_accepts_an_ofd_as_what_it_is():
    # Issue 12: OFD was refused with advice to rename it .zip.
    for data in (samples.ofd(), samples.ofd(picture=samples.png())):
        detected = check_upload("关于开展巡视工作的通知.ofd", data)
        assert (detected.kind, detected.mime, detected.label) == (
            "ofd",
            "application/ofd",
            "OFD 版式文档",
        )
    assert check_upload("材料.zip", samples.zip_of({"通知.ofd": samples.ofd()})).kind == "zip"
    assert refusal("通知.zip", samples.ofd()) == (
        "文件“通知.zip”的扩展名是“.zip”，但内容实际是OFD 版式文档，请将扩展名改为“.ofd”后再上传。"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            samples.ofd_opening_a_web_page,
            "文件“通知.ofd”中的“Doc_0/Document.xml”含有打开文档时自动执行的动作，"
            "出于安全原因不予接收。",
        ),
        (
            lambda: samples.ofd(extra={"../../etc/cron.d/x": b"x"}),
            "文件“通知.ofd”中的“../../etc/cron.d/x”路径不安全（指向压缩包以外），不予接收。",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Attachs/说明.exe": samples.exe()}),
            "文件“通知.ofd”中的“Doc_0/Attachs/说明.exe”是程序、脚本、网页或含宏文档，"
            "出于安全原因不予接收。",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Attachs/readme": samples.exe()}),
            "文件“通知.ofd”中的“Doc_0/Attachs/readme”是可执行程序，出于安全原因不予接收。",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Attachs/附件.docx": samples.docm()}),
            "文件“通知.ofd”中的“Doc_0/Attachs/附件.docx”含有宏代码",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Attachs/附件.pdf": samples.pdf_with_javascript()}),
            "文件“通知.ofd”中的“Doc_0/Attachs/附件.pdf”含有 JavaScript 脚本",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Tags/x.xml": b'<a href="javascript:go()"/>'}),
            "文件“通知.ofd”中的“Doc_0/Tags/x.xml”含有脚本，出于安全原因不予接收。",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Attachs/a.zip": samples.zip_of({"a.txt": b"x"})}),
            "文件“通知.ofd”中的“Doc_0/Attachs/a.zip”是压缩包，不接收嵌套的压缩包",
        ),
        (
            lambda: samples.zip_of({"OFD.xml": b"<html/>"}),
            "文件“通知.ofd”不是有效的 OFD 文件（缺少文档入口 OFD.xml 的内容），请检查后重新上传。",
        ),
        (
            lambda: samples.ofd(extra={"Doc_0/Res/zeros.bin": b"\x00" * (5 * 1024 * 1024)}),
            "文件“通知.ofd”疑似“压缩炸弹”（其中“Doc_0/Res/zeros.bin”的压缩比超过100:1），不予接收。",
        ),
    ],
)
def test_it_refuses_an_ofd_carrying_something_dangerous(build, message):
    assert message in refusal("通知.ofd", build())


@pytest.mark.parametrize("event", ["CLICK", "DO"])
def test_it_lets_an_ofd_go_to_a_page_or_open_a_link_when_clicked(event):
    action = (
        '<ofd:Goto><ofd:Dest Type="Fit" PageID="1"/></ofd:Goto>'
        if event == "DO"
        else '<ofd:URI URI="http://www.ccdi.gov.cn/"/>'
    )
    data = samples.ofd(
        actions=f'<ofd:Actions><ofd:Action Event="{event}">{action}</ofd:Action></ofd:Actions>'
    )
    assert check_upload("通知.ofd", data).kind == "ofd"


# --- Chinese names in ZIPs written without the UTF-8 flag ---------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8"])
def test_it_names_a_zip_member_in_chinese_whatever_the_writer(encoding):
    # Issue 12: names written by Chinese Windows showed garbled (zipfile reads them as CP437).
    data = samples.zip_with_legacy_names(
        {"说明.txt": samples.text(), "巡视材料/整改台账.rar": b"Rar!\x1a\x07\x00"},
        encoding=encoding,
    )
    assert refusal("材料.zip", data) == (
        "文件“材料.zip”中的“巡视材料/整改台账.rar”是压缩包，不接收嵌套的压缩包，请解压后分别上传。"
    )
    names = samples.zip_with_legacy_names({"巡视组谈话记录.txt": samples.text()})
    assert check_upload("材料.zip", names).kind == "zip"


def test_a_name_in_an_unknown_encoding_is_left_as_zipfile_reads_it():
    info = zipfile.ZipInfo(b"\x80.txt".decode("cp437"))  # neither UTF-8 nor GB18030
    assert office.member_name(info) == "Ç.txt"


def test_a_name_ends_where_pdf_says_it_ends():
    # NUL is white space in PDF: "/JS\x00(" is the name /JS.
    data = samples.pdf(extra=(b"<< /S /JavaScript\x00/JS\x00(app.alert\\(1\\);) >>",))
    assert "含有 JavaScript 脚本" in refusal("a.pdf", data)


def test_a_stream_that_hides_an_object_from_the_byte_search_does_not_hide_it_from_pypdf():
    # Object 6 is a stream without "endstream": a search of the bytes takes everything up to
    # object 8's "endstream" for its content, object 7 included; the cross-reference lists
    # object 7 where it is, and a reader opens it from there.
    data = samples.pdf(
        extra=(
            b"<< /Length 5 >>\nstream\nhello",
            b"<< /Type /Action /S /Launch /F (cmd.exe) >>",
            b"<< /Length 2 >>\nstream\nxx\nendstream",
        )
    )
    assert "含有启动外部程序的动作" in refusal("a.pdf", data)


def test_a_pdf_too_complex_to_check_in_time_is_refused(monkeypatch):
    monkeypatch.setattr(uploadscan.pdf, "PDF_MAX_OBJECTS", 5)
    assert refusal("a.pdf", samples.pdf(extra=(b"<< >>",))) == (
        "文件“a.pdf”的内部结构过于复杂（超过5个对象），无法完成安全检查，"
        "请用“打印为 PDF”另存后再上传。"
    )


def test_a_part_is_searched_whatever_its_name():
    # The package says where its main part is: a DDE field in "word/body.dat" is found.
    members = _members(samples.docx_with_field(samples.DDE_INSTRUCTION, simple=True))
    members["word/body.dat"] = members.pop("word/document.xml")
    for name in ("[Content_Types].xml", "_rels/.rels"):
        members[name] = members[name].replace(b"/word/document.xml", b"/word/body.dat")
        members[name] = members[name].replace(b"word/document.xml", b"word/body.dat")
    assert DDE_REFUSED in refusal("通知.docx", samples.zip_of(members))
    action = '<ofd:Actions><ofd:Action Event="DO"><ofd:Sound ResourceID="9"/></ofd:Action>'
    page = f'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016">{action}</ofd:Actions></ofd:Page>'
    data = samples.ofd(extra={"Doc_0/Pages/Page_1/Content.dat": page.encode()})
    assert "含有打开文档时自动执行的动作" in refusal("通知.ofd", data)

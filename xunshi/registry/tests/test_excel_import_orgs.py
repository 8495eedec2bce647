"""Importing the organization list: counts, idempotence, every error at once, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_uscc
from xunshi.registry import import_actions, tasks
from xunshi.registry.models import ImportJob, OrgUnit

HEADER = [
    "单位编码*",
    "单位名称*",
    "简称",
    "板块*",
    "行政区划代码",
    "上级单位编码",
    "标签",
    "人数",
    "统一社会信用代码",
    "主要负责人",
    "主要负责人职务",
    "主要负责人干部编号",
    "纳入巡视范围",
]


def _data_events() -> int:
    """Audit events of data changes (the import job's own steps are audited too, by design)."""
    return AuditEvent.objects.exclude(action__startswith="registry.import.").count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _xlsx(path, rows, sheet="单位"):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(HEADER)
    for row in rows:
        ws.append(row + [None] * (len(HEADER) - len(row)))
    wb.save(path)
    return path


def _upload(client, path, name="单位名录.xlsx"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, path.read_bytes())
    return client.post(reverse("import_upload"), {"kind": "orgs", "file": upload}, follow=True)


def _errors(job):  # type: ignore[no-untyped-def]
    return {(e["sheet"], e["row"], e["column"], e["message"]) for e in job.errors}


ROWS = [
    # 中原区 comes before its parent 郑州市, which is new in the same file.
    [
        "410102",
        "郑州市中原区",
        "中原区",
        "县（市、区）",
        "410102",
        "410100",
        "城区；省会",
        120,
        make_uscc("11410102MB0000000"),
        "张三",
        "区委书记",
        None,
        "是",
    ],
    [
        "410100",
        "郑州市",
        None,
        "市级党委",
        "410100",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "否",
    ],
    ["D014", "河南省财政厅", "财政厅", "省直单位"],  # exists: short name changes
]


def test_it_imports_a_valid_file_and_reimporting_it_changes_nothing(world, login, tmp_path, media):
    client = login(world.users["alice"])
    path = _xlsx(tmp_path / "orgs.xlsx", ROWS)
    response = _upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == "done", job.errors
    assert job.summary == {"created": 2, "updated": 1, "unchanged": 0}
    assert job.total == job.done == 3
    html = response.content.decode()
    assert "导入完成" in html and "hx-trigger" not in html
    zhongyuan = OrgUnit.objects.get(code="410102")
    assert zhongyuan.parent == OrgUnit.objects.get(code="410100")
    assert zhongyuan.tags == ["城区", "省会"] and zhongyuan.headcount == 120
    assert OrgUnit.objects.get(code="410100").in_scope is False
    assert OrgUnit.objects.get(code="D014").short_name == "财政厅"
    assert list(media.joinpath("imports").iterdir()) == []  # the upload is gone

    events = _data_events()
    _upload(client, path)
    again = ImportJob.objects.latest("id")
    assert again.summary == {"created": 0, "updated": 0, "unchanged": 3}
    assert _data_events() == events
    assert (
        AuditEvent.objects.filter(action="registry.org.create", actor_username="alice").count() == 2
    )


def test_it_lists_every_error_with_row_and_column_and_imports_nothing(world, login, tmp_path):
    client = login(world.users["alice"])
    rows = [
        ["A1", "甲单位", None, "xx"],
        ["A2", None, None, "省直单位"],
        ["A1", "乙单位", None, "省直单位"],
        ["A4", "丁单位", None, "省直单位", None, "X9"],
        ["A5", "戊单位", None, "省直单位", "999999", None, None, "很多"],
        [
            "A6",
            "己单位",
            None,
            "省直单位",
            None,
            None,
            None,
            None,
            "91410000MA00000000",
            None,
            None,
            "C404",
            "也许",
        ],
        ["A7", "庚单位", None, "省直单位", None, None, None, None, None, None, None, None, None],
    ]
    path = _xlsx(tmp_path / "bad.xlsx", rows)
    orgs, events = OrgUnit.objects.count(), _data_events()
    response = _upload(client, path)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    errors = _errors(job)
    assert {
        ("单位", 2, "板块", "板块“xx”不在可选范围内"),
        ("单位", 3, "单位名称", "必填"),
        ("单位", 4, "单位编码", "单位编码重复（与第2行相同）"),
        ("单位", 5, "上级单位编码", "上级单位编码“X9”既不在名录中也不在本文件中"),
        ("单位", 6, "行政区划代码", "行政区划代码“999999”不存在"),
        ("单位", 6, "人数", "人数“很多”应为不小于0的整数"),
        ("单位", 7, "主要负责人干部编号", "主要负责人干部编号“C404”不在干部库中"),
        ("单位", 7, "纳入巡视范围", "纳入巡视范围应填“是”或“否”，不能是“也许”"),
    } <= errors
    assert any(e[1] == 7 and e[2] == "统一社会信用代码" for e in errors)
    assert len(errors) == 9
    assert [e["row"] for e in job.errors] == [2, 3, 4, 5, 6, 6, 7, 7, 7]  # as read
    assert OrgUnit.objects.count() == orgs and _data_events() == events
    html = response.content.decode()
    for text in ("工作表", "问题", "上级单位编码“X9”既不在名录中也不在本文件中", "9 个问题"):
        assert text in html


def test_it_finds_a_loop_of_parents(world, login, tmp_path):
    rows = [
        ["B1", "甲", None, "其他", None, "B2"],
        ["B2", "乙", None, "其他", None, "B1"],
        ["410225", "兰考县", None, "县（市、区）", "410225", "B3"],
        ["B3", "丙", None, "其他", None, "410225"],
    ]
    _upload(login(world.users["alice"]), _xlsx(tmp_path / "loop.xlsx", rows))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (2, "上级单位形成循环：B1 → B2 → B1") in messages
    assert (3, "上级单位形成循环：B2 → B1 → B2") in messages or len(messages) == 4
    assert {row for row, _m in messages} == {2, 3, 4, 5}


def test_it_names_a_missing_sheet_and_a_missing_column(world, login, tmp_path):
    client = login(world.users["alice"])
    _upload(client, _xlsx(tmp_path / "wrong.xlsx", ROWS, sheet="Sheet1"))
    assert ImportJob.objects.latest("id").errors[0]["message"].startswith("缺少工作表“单位”")
    wb = Workbook()
    wb.active.title = "单位"
    wb.active.append([*HEADER[:6], "备注"])
    wb.save(tmp_path / "cols.xlsx")
    _upload(client, tmp_path / "cols.xlsx")
    messages = {e["message"] for e in ImportJob.objects.latest("id").errors}
    assert "无法识别的列“备注”，请使用模板中的列名" in messages
    assert "缺少列“标签”，请使用系统提供的模板" in messages


def test_it_refuses_a_renamed_text_file(world, login, tmp_path, media):
    client = login(world.users["alice"])
    upload = SimpleUploadedFile("名录.xlsx", "单位编码,单位名称\nA1,甲\n".encode())
    response = client.post(reverse("import_upload"), {"kind": "orgs", "file": upload}, follow=True)
    assert "文件不是有效的Excel（.xlsx）文件" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not media.joinpath("imports").exists()


def test_it_refuses_a_corrupt_xlsx(world, login, tmp_path):
    data = _xlsx(tmp_path / "ok.xlsx", ROWS).read_bytes()
    upload = SimpleUploadedFile("名录.xlsx", data[: len(data) // 2])
    response = login(world.users["alice"]).post(
        reverse("import_upload"), {"kind": "orgs", "file": upload}, follow=True
    )
    assert "文件不是有效的Excel（.xlsx）文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_refuses_a_file_over_the_limit(world, login, tmp_path, settings):
    settings.XUNSHI_IMPORT_MAX_BYTES = 1000
    path = _xlsx(tmp_path / "big.xlsx", ROWS)
    assert path.stat().st_size > 1000
    response = _upload(login(world.users["alice"]), path)
    assert "的上限，请拆分后分批导入" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_it_fails_with_a_plain_message_when_something_unexpected_breaks(
    world, login, tmp_path, monkeypatch, caplog
):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(import_actions, "org_upsert", broken)
    orgs = OrgUnit.objects.count()
    response = _upload(login(world.users["alice"]), _xlsx(tmp_path / "orgs.xlsx", ROWS))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors[0]["message"] == tasks.GENERIC_FAILURE
    html = response.content.decode()
    assert tasks.GENERIC_FAILURE in html and "disk on fire" not in html
    assert "disk on fire" in caplog.text
    assert OrgUnit.objects.count() == orgs


def test_it_imports_three_thousand_organizations(world, login, tmp_path):
    rows = []
    for t in range(300):
        rows.append([f"T{t:03d}", f"第{t}乡镇", None, "乡镇（街道）", None, "410225"])
        rows += [
            [f"T{t:03d}V{v}", f"第{t}乡镇第{v}村", None, "村（社区）", None, f"T{t:03d}", "脱贫村"]
            for v in range(9)
        ]
    rows.reverse()  # every village comes before its township
    _upload(login(world.users["alice"]), _xlsx(tmp_path / "many.xlsx", rows))
    job = ImportJob.objects.get()
    assert job.status == "done", job.errors[:3]
    assert job.summary["created"] == 3000
    assert OrgUnit.objects.get(code="T007V3").parent.code == "T007"

"""Importing the cadre pool: histories and kin, ID numbers Excel mangled, cross-sheet checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from xunshi.audit.models import AuditEvent
from xunshi.lib.ids import make_id_number
from xunshi.registry.models import Cadre, CadreWork, ImportJob
from xunshi.rounds.avoidance import hits_between

HEADERS = {
    "干部": [
        "人员编号*",
        "姓名*",
        "性别*",
        "身份证号码*",
        "职级",
        "所在单位编码",
        "单位名称*",
        "职务",
        "专业类别",
        "可任组长",
        "籍贯区划代码",
        "在库",
    ],
    "工作经历": ["人员编号*", "单位名称*", "单位编码", "职务", "起始年月", "截止年月", "领导职务"],
    "学习经历": ["人员编号*", "学校*", "学校单位编码", "学历学位", "入学年月", "毕业年月"],
    "亲属": ["人员编号*", "姓名*", "关系*", "单位编码", "工作单位", "职务"],
}
EXCEL_NUMBER = "身份证号码被Excel存成了数字，末几位可能已丢失，请将该列设为文本格式后重新填写"


def _data_events() -> int:
    """Audit events of data changes (the import job's own steps are audited too, by design)."""
    return AuditEvent.objects.exclude(action__startswith="registry.import.").count()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(path, sheets):  # type: ignore[no-untyped-def]
    wb = Workbook()
    wb.remove(wb.active)
    for name, header in HEADERS.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for row in sheets.get(name, []):
            ws.append(row)
    wb.save(path)
    return path


def _import(client, path):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("干部库.xlsx", path.read_bytes())
    response = client.post(
        reverse("import_upload"), {"kind": "cadres", "file": upload}, follow=True
    )
    return ImportJob.objects.latest("id"), response


ID_NEW = make_id_number("410225", dt.date(1980, 5, 6), 11)
ID_OTHER = make_id_number("410102", dt.date(1982, 1, 2), 22)


def _cadre_row(code="C100", id_number=ID_NEW, **kw):  # type: ignore[no-untyped-def]
    row = [
        code,
        kw.get("name", "杨帆"),
        "男",
        id_number,
        "二级调研员",
        "",
        "省审计厅",
        "处长",
        "财务审计；工程审计",
        "否",
        "410225",
        "是",
    ]
    return row


def test_it_imports_histories_and_kin_and_the_kin_makes_an_avoidance_hit(world, login, tmp_path):
    client = login(world.users["alice"])
    path = _xlsx(
        tmp_path / "cadres.xlsx",
        {
            "干部": [_cadre_row()],
            "工作经历": [
                ["C100", "兰考县人民政府", "410225", "副县长", "2019.03", None, "是"],
                [
                    "C100",
                    "开封市审计局",
                    "410200",
                    "科员",
                    dt.datetime(2005, 7, 1),
                    "2019年2月",
                    "否",
                ],
            ],
            "学习经历": [["C100", "郑州大学", "U001", "本科", "1998-09", "2002-07-15"]],
            "亲属": [["C100", "周静", "配偶", "D014", "河南省财政厅", "科员"]],
        },
    )
    job, _response = _import(client, path)
    assert job.status == "done", job.errors
    assert job.summary == {"created": 1, "updated": 0, "unchanged": 0}
    assert job.total == 5
    cadre = Cadre.objects.get(code="C100")
    assert cadre.id_number_masked == ID_NEW[:6] + "*" * 8 + ID_NEW[14:]
    assert cadre.skills == ["财务审计", "工程审计"] and cadre.origin_id == "410225"
    work = list(CadreWork.objects.filter(cadre=cadre).order_by("start"))
    assert [(w.start, w.end, w.is_leader) for w in work] == [
        (dt.date(2005, 7, 1), dt.date(2019, 2, 1), False),
        (dt.date(2019, 3, 1), None, True),
    ]
    assert cadre.study.get().end == dt.date(2002, 7, 15)
    hits = hits_between([cadre], [world.finance])
    assert [h.rule for h in hits] == ["kin"] and "周静" in hits[0].evidence

    events = _data_events()
    again, _response = _import(client, path)
    assert again.summary == {"created": 0, "updated": 0, "unchanged": 1}
    assert _data_events() == events


def test_it_catches_id_numbers_excel_stored_as_numbers(world, login, tmp_path):
    path = _xlsx(
        tmp_path / "ids.xlsx",
        {
            "干部": [
                _cadre_row("C101", 1.1010519491231e17),
                _cadre_row("C102", 110105194912310021),
                _cadre_row("C103", ID_NEW),
            ]
        },
    )
    job, response = _import(login(world.users["alice"]), path)
    assert job.status == "failed"
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [
        (2, "身份证号码", EXCEL_NUMBER),
        (3, "身份证号码", EXCEL_NUMBER),
    ]
    assert EXCEL_NUMBER in response.content.decode()
    assert not Cadre.objects.filter(code__in=["C101", "C102", "C103"]).exists()


def test_it_checks_ids_against_the_file_and_the_pool(world, login, tmp_path):
    bob = world.cadres["bob"]
    path = _xlsx(
        tmp_path / "ids.xlsx",
        {
            "干部": [
                _cadre_row("C101", ID_OTHER),
                _cadre_row("C102", ID_OTHER),
                _cadre_row("C103", bob.id_number_masked),  # a masked ID only fits its own cadre
                _cadre_row("C001", "410102********9999", name="王建国"),
                _cadre_row("C104", ID_NEW[:-1] + ("0" if ID_NEW[-1] != "0" else "1")),
            ]
        },
    )
    job, _response = _import(login(world.users["alice"]), path)
    messages = {(e["row"], e["message"]) for e in job.errors}
    masked = "身份证号码是脱敏号码（含*），只能用于库中已有且号码一致的干部；新增干部请填写完整号码"
    assert messages == {
        (3, "身份证号码重复（与第2行相同）"),
        (4, masked),
        (5, masked),
        (6, "身份证号码校验码不正确，请核对"),
    }


def test_it_refuses_an_id_already_registered_to_another_cadre(world, login, tmp_path):
    hong = make_id_number("410225", dt.date(1975, 3, 4), 8)  # 刘红梅's number in the test world
    path = _xlsx(tmp_path / "dup.xlsx", {"干部": [_cadre_row("C200", hong)]})
    job, _response = _import(login(world.users["alice"]), path)
    assert job.errors[0]["message"] == "该身份证号码已登记在人员编号“C004”名下"


def test_it_rejects_histories_of_cadres_not_in_the_file_and_bad_months(world, login, tmp_path):
    path = _xlsx(
        tmp_path / "hist.xlsx",
        {
            "干部": [_cadre_row()],
            "工作经历": [
                ["C9", "某单位", None, None, "2019-03"],
                ["C100", "某单位", "NOPE", None, "2019-13", "2018-01"],
                ["C100", "某单位", None, None, 2019.1],
                ["C100", "某单位", None, None, "2020-01", "2019-12"],
            ],
            "学习经历": [["C8", "某大学"]],
            "亲属": [["C100", "周静", "表舅", None]],
        },
    )
    cadres = Cadre.objects.count()
    job, _response = _import(login(world.users["alice"]), path)
    errors = {(e["sheet"], e["row"], e["column"], e["message"]) for e in job.errors}
    assert errors == {
        ("工作经历", 2, "人员编号", "工作经历中的人员编号“C9”在“干部”表中不存在"),
        ("工作经历", 3, "单位编码", "单位编码“NOPE”不在单位名录中"),
        ("工作经历", 3, "起始年月", "起始年月“2019-13”无法识别，请写成2019-03、2019.03或2019年3月"),
        (
            "工作经历",
            4,
            "起始年月",
            "起始年月“2019.1”被Excel存成了数字，分不清是1月还是10月，请将该列设为文本格式后重新填写",
        ),
        ("工作经历", 5, "截止年月", "截止年月早于起始年月"),
        ("学习经历", 2, "人员编号", "学习经历中的人员编号“C8”在“干部”表中不存在"),
        ("亲属", 2, "关系", "关系“表舅”不在可选范围内"),
    }
    assert Cadre.objects.count() == cadres


def test_it_replaces_the_histories_with_the_file(world, login, tmp_path):
    wei = world.cadres["wei"]
    row = [
        wei.code,
        wei.name,
        wei.gender,
        wei.id_number_masked,
        wei.rank,
        "",
        wei.unit_name,
        wei.post,
        "",
        "否",
        "",
        "是",
    ]
    job, _response = _import(
        login(world.users["alice"]), _xlsx(tmp_path / "wei.xlsx", {"干部": [row]})
    )
    assert job.summary == {"created": 0, "updated": 1, "unchanged": 0}
    assert not wei.kin.exists()
    assert hits_between([wei], [world.finance]) == []

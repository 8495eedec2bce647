"""The import page, the downloadable templates, and who may open the import pages."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.jobs.actions import STALE_AFTER, job_finish, job_start
from xunshi.registry.import_actions import import_job_create, import_job_progress, import_path
from xunshi.registry.models import ImportJob

ORG_HEADER = [
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
CADRE_HEADER = [
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
]


def _download(client, kind):  # type: ignore[no-untyped-def]
    response = client.get(reverse("import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _validation_lists(ws):  # type: ignore[no-untyped-def]
    return {
        str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }


def test_it_offers_the_org_template_with_headers_text_codes_and_sector_list(world, login):
    wb = _download(login(world.users["alice"]), "orgs")
    assert wb.sheetnames == ["单位", "说明"]
    ws = wb["单位"]
    assert [c.value for c in ws[1]] == ORG_HEADER
    assert ws.max_row == 1
    for letter in "AEFIL":  # 单位编码, 行政区划代码, 上级单位编码, 统一社会信用代码, 干部编号
        assert ws.column_dimensions[letter].number_format == "@", letter
    lists = _validation_lists(ws)
    assert "省直单位" in lists["D"] and "县（市、区）" in lists["D"]
    assert lists["M"] == '"是,否"'
    notes = [row for row in wb["说明"].iter_rows(values_only=True)]
    assert ("单位", "上级单位编码", None, "须已在单位名录中，或在本文件中（顺序不限）") in notes


def test_it_offers_the_cadre_template_with_four_sheets_and_a_text_id_column(world, login):
    wb = _download(login(world.users["alice"]), "cadres")
    assert wb.sheetnames == ["干部", "工作经历", "学习经历", "亲属", "说明"]
    ws = wb["干部"]
    assert [c.value for c in ws[1]] == CADRE_HEADER
    assert ws.column_dimensions["D"].number_format == "@"  # 身份证号码
    assert _validation_lists(ws)["C"] == '"男,女"'
    assert [c.value for c in wb["工作经历"][1]] == [
        "人员编号*",
        "单位名称*",
        "单位编码",
        "职务",
        "起始年月",
        "截止年月",
        "领导职务",
    ]
    assert [c.value for c in wb["学习经历"][1]] == [
        "人员编号*",
        "学校*",
        "学校单位编码",
        "学历学位",
        "入学年月",
        "毕业年月",
    ]
    kin = wb["亲属"]
    assert [c.value for c in kin[1]] == [
        "人员编号*",
        "姓名*",
        "关系*",
        "单位编码",
        "工作单位",
        "职务",
    ]
    assert "配偶" in _validation_lists(kin)["C"]


def test_it_shows_templates_upload_forms_and_exports_to_the_office(world, login):
    response = login(world.users["alice"]).get(reverse("import_list"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("orgs", "cadres"):
        assert reverse("import_template", args=[kind]) in html
        assert f'name="kind" value="{kind}"' in html
        assert reverse("export", args=[kind]) in html
    assert f'action="{reverse("import_upload")}"' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.parametrize("who", ["gina", "erin", "sam", "bob"])
def test_it_refuses_the_import_pages_to_everyone_but_the_office(world, login, who):
    client = login(world.users[who])
    assert client.get(reverse("import_list")).status_code == 403
    assert client.get(reverse("import_template", args=["orgs"])).status_code == 403
    assert client.post(reverse("import_upload"), {"kind": "orgs"}).status_code == 403
    assert client.get(reverse("import_job", args=[1])).status_code == 403
    assert client.get(reverse("import_job_progress", args=[1])).status_code == 403


def test_it_answers_404_for_an_unknown_kind(world, login):
    client = login(world.users["alice"])
    assert client.get(reverse("import_template", args=["villages"])).status_code == 404
    assert client.get(reverse("export", args=["villages"])).status_code == 404


def test_it_keeps_the_upload_private_and_polls_until_the_job_finishes(
    world, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = import_job_create(
        actor=world.users["alice"],
        kind="orgs",
        upload=SimpleUploadedFile("单位.xlsx", b"PK..."),
        body=world.body,
    )
    stored = import_path(job.stored_name)
    assert stored.stat().st_mode & 0o777 == 0o600
    assert stored.parent.stat().st_mode & 0o777 == 0o700
    assert "单位" not in stored.name and job.original_name == "单位.xlsx"

    client = login(world.users["alice"])
    progress = reverse("import_job_progress", args=[job.pk])
    html = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert f'hx-get="{progress}"' in html and 'hx-trigger="every 1s"' in html
    assert "排队等候处理" in html

    job_start(actor=SYSTEM, job=job.job)
    import_job_progress(job=job, done=50, total=200)
    html = client.get(progress).content.decode()
    assert 'style="width: 25%"' in html and "正在校验：50 / 200 行" in html
    assert 'hx-trigger="every 1s"' in html

    import_job_progress(job=job, done=200)
    assert "正在写入…" in client.get(progress).content.decode()

    ImportJob.objects.filter(pk=job.pk).update(summary={"created": 7, "updated": 2, "unchanged": 1})
    job_finish(actor=SYSTEM, job=job.job)
    html = client.get(progress).content.decode()
    assert "hx-trigger" not in html and "导入完成" in html
    assert "<td>7</td><td>2</td><td>1</td>" in html


def test_it_sends_an_upload_without_a_file_back_to_the_list(world, login):
    response = login(world.users["alice"]).post(
        reverse("import_upload"), {"kind": "orgs"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("import_list")
    assert "请选择要导入的Excel文件。" in response.content.decode()


def test_it_shows_an_import_whose_worker_died_as_not_imported_once_reaped(
    world, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    claimed = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    job = import_job_create(
        actor=world.users["alice"],
        kind="orgs",
        upload=SimpleUploadedFile("单位.xlsx", b"PK..."),
        body=world.body,
    )
    with time_machine.travel(claimed, tick=False):
        job_start(actor=SYSTEM, job=job.job)  # and then its worker was killed
    client = login(world.users["alice"])
    progress = reverse("import_job_progress", args=[job.pk])
    assert "正在读取文件…" in client.get(progress).content.decode()  # a page never reaps

    with time_machine.travel(claimed + STALE_AFTER + dt.timedelta(minutes=1), tick=False):
        call_command("jobs_reap", stdout=StringIO())

    html = client.get(progress).content.decode()
    assert "hx-trigger" not in html and "未导入" in html
    assert "导入进程已中断（可能因服务重启），数据未作任何改动。请重新上传。" in html
    html = client.get(reverse("import_list")).content.decode()
    assert '<span class="tag red">未导入</span>' in html and "见详情" in html

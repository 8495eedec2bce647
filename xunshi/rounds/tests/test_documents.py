"""The plan's two documents, opened the way the office opens them: Word and Excel."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from xunshi.registry.models import Cadre
from xunshi.rounds.documents import decision_docx, plan_xlsx
from xunshi.rounds.plan_sheet import Member, plan_sheet
from xunshi.rounds.tests.test_planning_views import two_team_job, working

TITLE = "关于十一届省委第二轮巡视组组成人员及授权的决定"


def _east_asia(run) -> str | None:  # type: ignore[no-untyped-def]
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_it_writes_the_decision_in_the_official_layout(world):
    job = two_team_job(world)
    sheet = plan_sheet(job)
    doc = Document(io.BytesIO(decision_docx(sheet, today=dt.date(2027, 2, 20))))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "中共河南省委巡视工作领导小组文件"  # the red head
    title = paragraphs[1]
    assert title.text == TITLE
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    texts = [p.text for p in paragraphs]
    assert "第一巡视组" in texts and "第二巡视组" in texts
    assert texts[2].startswith("根据《中国共产党巡视工作条例》")
    assert "十一届省委第二轮巡视定于2027年3月1日至4月30日进行，派出2个巡视组" in texts[2]
    assert "按照“一托一”方式，对2个地方、单位党组织开展常规巡视" in texts[2]
    # 郭宏伟 leads the team of 新县, with his unit and post.
    team = next(t for t in sheet.teams if t.leader and t.leader.code == "C006")
    at = texts.index(team.name)
    assert texts[at + 1] == "组　长：郭宏伟（省纪委监委室主任）"
    assert texts[at + 2] == "巡视对象：新县"
    assert any(t.startswith("授权各巡视组按照《中国共产党巡视工作条例》开展巡视") for t in texts)
    assert texts[-2:] == ["中共河南省委巡视工作领导小组", "2027年2月20日"]
    body = paragraphs[2].runs[0]
    assert _east_asia(body) == "仿宋_GB2312" and body.font.size == Pt(16)
    assert _east_asia(paragraphs[at].runs[0]) == "黑体"
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]
    assert "PAGE" in section.footer._element.xml
    fonts = next(p for p in doc.part.package.iter_parts() if p.partname.endswith("fontTable.xml"))
    assert 'w:name="仿宋_GB2312"' in fonts.blob.decode() and 'w:val="仿宋"' in fonts.blob.decode()


def test_it_writes_the_workbook_of_the_plan(world):
    job = two_team_job(world)
    wb = load_workbook(io.BytesIO(plan_xlsx(plan_sheet(job))))
    assert wb.sheetnames == ["方案", "回避审查", "求解记录"]
    rows = list(wb["方案"].iter_rows(values_only=True))
    assert rows[0][:5] == ("巡视组", "职责", "姓名", "人员编号", "单位")
    guo = next(r for r in rows if r[2] == "郭宏伟")
    assert guo[1] == "组长" and guo[4] == "省纪委监委" and guo[5] == "室主任"
    assert guo[7:10] == ("新县", "县（市、区）", 3)
    assert {r[0] for r in rows[1:]} == {"第一巡视组", "第二巡视组"}
    checks = list(wb["回避审查"].iter_rows(values_only=True))
    assert [r[2] for r in checks[1:]] == ["未发现回避情形", "未发现回避情形"]
    record = dict(wb["求解记录"].iter_rows(min_row=2, values_only=True))
    assert record["求解状态"] == "最优（已证明）" and record["随机种子"] == 0
    assert record["人工调整"] == "否" and "ortools" in " ".join(record)
    assert record["专长要求"] == "纪检监察≥1"


def test_it_exports_the_edited_plan_with_its_avoidance_finding(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    teams = working(client.get(reverse("plan_job", args=[job.pk])).content.decode())
    # Swap the two targets: 郭宏伟, born in 兰考县, now leads the team that inspects it.
    teams[0]["targets"], teams[1]["targets"] = teams[1]["targets"], teams[0]["targets"]
    response = client.post(reverse("plan_export_xlsx", args=[job.pk]), {"plan": json.dumps(teams)})
    wb = load_workbook(io.BytesIO(response.content))
    checks = [r for r in wb["回避审查"].iter_rows(min_row=2, values_only=True)]
    assert any("兰考县" in r[2] and "地域回避" in r[2] for r in checks)
    record = dict(wb["求解记录"].iter_rows(min_row=2, values_only=True))
    assert record["人工调整"] == "是" and "约束7" in str(record.get("违反约束"))


def test_it_exports_the_teams_as_accepted(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    client.post(reverse("plan_accept", args=[job.pk]), {"plan": ""})
    assert job.round.teams.count() == 2
    response = client.get(reverse("plan_export_docx", args=[job.pk]))
    doc = Document(io.BytesIO(response.content))
    assert [p.text for p in doc.paragraphs if p.text][1] == TITLE
    assert "郭宏伟" in "\n".join(p.text for p in doc.paragraphs)


def test_it_writes_the_documents_in_chinese_for_an_english_user(world, login):
    job = two_team_job(world)
    client = login(world.users["alice"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(reverse("plan_export_xlsx", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(response.content))["方案"].iter_rows(values_only=True))
    assert rows[1][8] == "县（市、区）"
    record = load_workbook(io.BytesIO(response.content))["求解记录"]
    assert ("求解状态", "最优（已证明）") in set(record.iter_rows(values_only=True))


def test_it_writes_a_post_that_names_its_unit_once() -> None:
    def title(unit: str, post: str) -> str:
        return Member("C1", "王某", unit, post, (), True).title

    assert title("省委巡视办", "省委巡视办主任") == "省委巡视办主任"
    assert title("省委巡视办", "巡视办副主任") == "省委巡视办副主任"
    assert title("省审计厅", "副厅长") == "省审计厅副厅长"
    assert title("省纪委监委第一监督检查室", "主任") == "省纪委监委第一监督检查室主任"
    assert title("省委组织部", "") == "省委组织部"


def test_a_post_typed_as_a_formula_comes_back_as_text_in_the_plan_workbook(world):
    # Issue 12: plan.xlsx wrote =HYPERLINK(...) live; a registry text is never a formula.
    job = two_team_job(world)
    typed = '=HYPERLINK("http://127.0.0.1/","点此查看")'
    Cadre.objects.filter(code="C006").update(post=typed)
    wb = load_workbook(io.BytesIO(plan_xlsx(plan_sheet(job))))
    row = next(r for r in wb["方案"].iter_rows() if r[2].value == "郭宏伟")
    assert row[5].value == typed and row[5].data_type == "s"
    assert all(cell.data_type != "f" for r in wb["方案"].iter_rows() for cell in r)

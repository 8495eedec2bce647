"""The two documents of a round's plan: the Excel workbook of the plan (方案, 回避审查,
求解记录) and the Word decision on the teams' composition and authorization (巡视组组成人员及
授权的决定) in the official-document layout of GB/T 9704. Both read `plan_sheet.PlanSheet`, the
plan as the page showed it. `plan_export` is the small action that writes a document and
records the export (rounds.plan.export).

The decision goes out under the leading group's red 发文机关标志 (中共河南省委巡视工作领导小组
文件), without a 发文字号 (the body keeps no series of decisions: the office writes the
number by hand, as it does on the decision's record), printed by the office and copied to the
body's discipline commission and organization department.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.lib.officedoc import (
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    Colophon,
    Head,
    cn_date,
    cn_number,
    colophon,
    docx_bytes,
    new_document,
    paragraph,
    signature,
    title_line,
)
from xunshi.lib.sheets import Table, workbook_bytes
from xunshi.registry.letterheads import group_name, office_name, usual_copies

from .models import PlanningJob, Round
from .plan_sheet import STATUS_WORDS, Member, PlanSheet, plan_sheet, sector_label

__all__ = [
    "DOCX_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "decision_docx",
    "decision_title",
    "plan_export",
    "plan_xlsx",
]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


PLAN_COLUMNS = ["巡视组", "职责", "姓名", "人员编号", "单位", "职务", "专长"]
PLAN_COLUMNS += ["巡视对象", "对象板块", "工作量", "地区"]


# --- Excel ------------------------------------------------------------------------------------


def _plan_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    for team in sheet.teams:
        targets = "、".join(g.name for g in team.targets)
        sectors = "、".join(dict.fromkeys(g.sector for g in team.targets))
        for person in team.people:
            role = "组长" if person is team.leader else "组员"
            yield [
                team.name,
                role,
                person.name,
                person.code,
                person.unit,
                person.post,
                "、".join(person.skills),
                targets,
                sectors,
                team.workload,
                "、".join(team.regions),
            ]


def _avoidance_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    for team in sheet.teams:
        targets = "、".join(g.name for g in team.targets)
        if not team.avoidance:
            yield [team.name, targets, "未发现回避情形"]
        for sentence in team.avoidance:
            yield [team.name, targets, sentence]


def _record_rows(sheet: PlanSheet) -> Iterable[list[Any]]:
    job, review = sheet.job, sheet.review
    params = job.params
    yield ["轮次", sheet.round.name]
    yield ["方案编号", job.pk]
    yield ["提交人", str(job.created_by)]
    yield ["提交时间", timezone.localtime(job.created_at).strftime("%Y-%m-%d %H:%M:%S")]
    yield ["求解状态", STATUS_WORDS.get(review.status, review.status)]
    yield ["目标值", review.objective]
    yield ["下界", review.bound]
    yield ["求解结果目标值", sheet.solver_objective]
    yield ["人工调整", "是" if sheet.edited else "否"]
    yield ["用时（秒）", review.seconds]
    yield ["巡视组数", params.get("teams")]
    yield ["一托N", params.get("targets_per_team")]
    yield ["每组人数", "–".join(str(n) for n in params.get("team_size", []))]
    skills = params.get("team_skills") or {}
    yield ["专长要求", "；".join(f"{k}≥{v}" for k, v in skills.items()) or "无"]
    limits = params.get("max_per_team") or {}
    yield ["板块上限", "；".join(f"{sector_label(k)}≤{v}" for k, v in limits.items()) or "无"]
    yield ["计算时限（秒）", params.get("time_limit_s")]
    yield ["随机种子", params.get("seed")]
    yield ["巡视对象数", len(job.problem.get("targets", []))]
    yield ["干部库人数", len(job.problem.get("cadres", []))]
    yield ["回避关系数", len(job.problem.get("conflicts", []))]
    for key, value in review.solver:
        yield [f"求解器：{key}", value]
    for line in review.violations:
        yield ["违反约束", line]
    for line in review.explanation:
        yield ["无解原因", line]


def plan_xlsx(sheet: PlanSheet) -> bytes:
    """The workbook: 方案 (a row per member), 回避审查, 求解记录; no cell is a formula."""
    return workbook_bytes(
        [
            Table("方案", PLAN_COLUMNS, _plan_rows(sheet)),
            Table("回避审查", ["巡视组", "巡视对象", "审查结果"], _avoidance_rows(sheet)),
            Table("求解记录", ["项目", "内容"], _record_rows(sheet)),
        ]
    )


def decision_title(rnd: Round) -> str:
    """关于十一届省委第十轮巡视组组成人员及授权的决定."""
    word = rnd.body.work_word
    name = rnd.name if rnd.name.endswith(word) else rnd.name + word
    return f"关于{name}组组成人员及授权的决定"


def _signer(rnd: Round) -> str:
    return group_name(rnd.body)


def _opening(sheet: PlanSheet) -> str:
    rnd = sheet.round
    body = rnd.body.name.removeprefix("中共")
    word = rnd.body.work_word
    period = ""
    if rnd.start and rnd.end:
        end = cn_date(rnd.end)
        if rnd.end.year == rnd.start.year:
            end = end.removeprefix(f"{rnd.start.year}年")
        period = f"定于{cn_date(rnd.start)}至{end}进行，"
    theme = f"，监督重点为{rnd.theme}" if rnd.theme else ""
    n = sheet.job.params.get("targets_per_team") or rnd.targets_per_team
    return (
        f"根据《中国共产党{word}工作条例》和{body}{word}工作规划，经{body}同意，"
        f"{rnd.name}{period}派出{len(sheet.teams)}个{word}组，按照“一托{cn_number(n)}”方式，"
        f"对{sheet.target_count}个地方、单位党组织开展{rnd.get_kind_display()}{theme}。"
        f"现将各{word}组组成人员及{word}对象决定如下："
    )


def _authorization(rnd: Round) -> list[str]:
    word = rnd.body.work_word
    return [
        f"授权各{word}组按照《中国共产党{word}工作条例》开展{word}，"
        "坚守政治监督定位，聚焦被"
        f"{word}党组织贯彻落实党的理论和路线方针政策及党中央重大决策部署、"
        "全面从严治党、领导班子和干部队伍建设等情况，依规依纪依法履行监督职责，"
        "发现问题、形成震慑、推动改革、促进发展。",
        f"{word}组实行组长负责制，组长对本组{word}工作负总责。各{word}组要严格执行"
        f"{word}工作纪律和回避制度，不干预被{word}单位正常工作，不履行执纪审查职责，"
        f"{word}结束后按规定向{word}工作领导小组报告。",
        "特此决定。",
    ]


def _names(people: Iterable[Member]) -> str:
    return "、".join(f"{p.name}（{p.title}）" if p.title else p.name for p in people)


def decision_docx(sheet: PlanSheet, *, today: dt.date | None = None) -> bytes:
    """The decision on the teams' composition and authorization, GB/T 9704 layout."""
    rnd = sheet.round
    title = decision_title(rnd)
    on = today or timezone.localdate()
    group = group_name(rnd.body)
    doc = new_document(title, author=group, on=on, head=Head(issuer=f"{group}文件"))
    title_line(doc, title)
    paragraph(doc)
    paragraph(doc, _opening(sheet))
    for team in sheet.teams:
        paragraph(doc, team.name, font=HEADING_FONT)
        if team.leader:
            paragraph(doc, f"组　长：{_names([team.leader])}")
        if team.members:
            paragraph(doc, f"成　员：{_names(team.members)}")
        paragraph(doc, f"{rnd.body.work_word}对象：" + "、".join(g.name for g in team.targets))
    for text in _authorization(rnd):
        paragraph(doc, text)
    signature(doc, _signer(rnd), on)
    copies = usual_copies(rnd.body)
    colophon(doc, Colophon(printer=office_name(rnd.body), printed_on=on, copies_to=copies))
    return docx_bytes(doc)


# --- the export action ------------------------------------------------------------------------


def plan_export(
    *, actor: Actor, job: PlanningJob, kind: str, teams: Sequence[Mapping[str, Any]] | None = None
) -> tuple[bytes, str]:
    """The plan's workbook ("xlsx") or decision ("docx") and its file name; records the export.
    The documents are Chinese whatever language the user browses in."""
    with override(None):
        sheet = plan_sheet(job, teams)
        if kind == "xlsx":
            content, name = plan_xlsx(sheet), f"{sheet.round.name}方案.xlsx"
        elif kind == "docx":
            content, name = decision_docx(sheet), f"{decision_title(sheet.round)}.docx"
        else:
            raise ValueError(kind)
    with transaction.atomic():
        record(
            actor=actor,
            action="rounds.plan.export",
            obj=job,
            after={
                "format": kind,
                "edited": sheet.edited,
                "teams": len(sheet.teams),
                "objective": sheet.review.objective,
            },
        )
    return content, name

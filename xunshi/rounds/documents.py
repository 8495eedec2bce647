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
from xunshi.doctemplates.models import TemplateKind
from xunshi.doctemplates.queries import current_version, template_bytes
from xunshi.doctemplates.wording import KINDS, document
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
    "decision_template_docx",
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


def _period(rnd: Round) -> str:
    if not (rnd.start and rnd.end):
        return ""
    end = cn_date(rnd.end)
    if rnd.end.year == rnd.start.year:
        end = end.removeprefix(f"{rnd.start.year}年")
    return f"定于{cn_date(rnd.start)}至{end}进行，"


def _names(people: Iterable[Member]) -> str:
    return "、".join(f"{p.name}（{p.title}）" if p.title else p.name for p in people)


def decision_docx(
    sheet: PlanSheet, *, today: dt.date | None = None, version: int | None = None
) -> bytes:
    """The decision on the teams' composition and authorization, GB/T 9704 layout, worded
    by the template `version` (the current one by default: it is made when downloaded)."""
    rnd = sheet.round
    group = group_name(rnd.body)
    on = today or timezone.localdate()
    n = sheet.job.params.get("targets_per_team") or rnd.targets_per_team
    context = {
        "issuer": f"{group}文件",
        "title": decision_title(rnd),
        "word": rnd.body.work_word,
        "body_name": rnd.body.name.removeprefix("中共"),
        "round_name": rnd.name,
        "period": _period(rnd),
        "team_count": len(sheet.teams),
        "per_team": cn_number(n),
        "target_count": sheet.target_count,
        "round_kind": rnd.get_kind_display(),
        "theme": f"，监督重点为{rnd.theme}" if rnd.theme else "",
        "teams": [
            {
                "name": team.name,
                "leader": _names([team.leader]) if team.leader else "",
                "members": _names(team.members),
                "targets": "、".join(g.name for g in team.targets),
            }
            for team in sheet.teams
        ],
        "copies": "，".join(usual_copies(rnd.body)),
        "signer": _signer(rnd),
        "date": cn_date(on),
        "printer": office_name(rnd.body),
    }
    kind = TemplateKind.DECISION
    content = template_bytes(rnd.body, kind, version or current_version(rnd.body, kind))
    return document(content, context, title=decision_title(rnd), author=group, on=on)


_TEMPLATE_DAY = dt.date(2026, 12, 1)  # the shipped templates' file date


def decision_template_docx() -> bytes:
    """Version 1 of the decision's template, shipped as
    `xunshi/doctemplates/shipped/decision.docx`: the 授权 wording the office may adapt."""
    sample = KINDS[TemplateKind.DECISION].sample
    head = Head(issuer="{{ issuer }}", sized_for=sample["issuer"])
    doc = new_document("决定模板", author="巡视巡察工作平台", on=_TEMPLATE_DAY, head=head)
    title_line(doc, "{{ title }}")
    paragraph(doc)
    paragraph(
        doc,
        "根据《中国共产党{{ word }}工作条例》和{{ body_name }}{{ word }}工作规划，"
        "经{{ body_name }}同意，{{ round_name }}{{ period }}派出{{ team_count }}个"
        "{{ word }}组，按照“一托{{ per_team }}”方式，对{{ target_count }}个地方、单位党组织"
        "开展{{ round_kind }}{{ theme }}。现将各{{ word }}组组成人员及{{ word }}对象决定如下：",
    )
    paragraph(doc, "{%p for team in teams %}", indent=None)
    paragraph(doc, "{{ team.name }}", font=HEADING_FONT)
    paragraph(doc, "{%p if team.leader %}", indent=None)
    paragraph(doc, "组　长：{{ team.leader }}")
    paragraph(doc, "{%p endif %}", indent=None)
    paragraph(doc, "{%p if team.members %}", indent=None)
    paragraph(doc, "成　员：{{ team.members }}")
    paragraph(doc, "{%p endif %}", indent=None)
    paragraph(doc, "{{ word }}对象：{{ team.targets }}")
    paragraph(doc, "{%p endfor %}", indent=None)
    paragraph(
        doc,
        "授权各{{ word }}组按照《中国共产党{{ word }}工作条例》开展{{ word }}，"
        "坚守政治监督定位，聚焦被{{ word }}党组织贯彻落实党的理论和路线方针政策及党中央"
        "重大决策部署、全面从严治党、领导班子和干部队伍建设等情况，依规依纪依法履行监督"
        "职责，发现问题、形成震慑、推动改革、促进发展。",
    )
    paragraph(
        doc,
        "{{ word }}组实行组长负责制，组长对本组{{ word }}工作负总责。各{{ word }}组要严格"
        "执行{{ word }}工作纪律和回避制度，不干预被{{ word }}单位正常工作，不履行执纪审查"
        "职责，{{ word }}结束后按规定向{{ word }}工作领导小组报告。",
    )
    paragraph(doc, "特此决定。")
    signature(doc, sample["signer"], _TEMPLATE_DAY, printed=("{{ signer }}", "{{ date }}"))
    colophon(
        doc, Colophon(printer="{{ printer }}", printed_on="{{ date }}", copies_to=["{{ copies }}"])
    )
    return docx_bytes(doc)


# --- the export action ------------------------------------------------------------------------


def plan_export(
    *, actor: Actor, job: PlanningJob, kind: str, teams: Sequence[Mapping[str, Any]] | None = None
) -> tuple[bytes, str]:
    """The plan's workbook ("xlsx") or decision ("docx") and its file name; records the export.
    The documents are Chinese whatever language the user browses in."""
    with override(None):
        sheet = plan_sheet(job, teams)
        version = None
        if kind == "xlsx":
            content, name = plan_xlsx(sheet), f"{sheet.round.name}方案.xlsx"
        elif kind == "docx":
            version = current_version(sheet.round.body, TemplateKind.DECISION)
            content = decision_docx(sheet, version=version)
            name = f"{decision_title(sheet.round)}.docx"
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
                # The decision is made when downloaded: the version that worded it.
                **({"template_version": version} if version else {}),
            },
        )
    return content, name

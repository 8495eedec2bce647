"""The three Word documents of an inspection's report stage, in the GB/T 9704 layout of
`xunshi.lib.officedoc` (A4, margins 37/35/28/26 mm, 方正小标宋简体 title, 仿宋_GB2312
body on a 28-point line, 一、 in 黑体 and （一） in 楷体, page numbers):

- the report (情况报告), internal: each problem with the paper's facts, qualification and
  responsibility; the clues only counted by recipient, never described;
- the feedback (反馈意见) to the inspected organization, and
- the rectification notice (整改通知书): these two use nothing but each problem's summary
  (问题表述), the suggestions and the due dates, so no fact, evidence, clue or petition
  behind a paper ever reaches the organization.

Their heads and ends (GB/T 9704): the report and the feedback go out under the team's red
发文机关标志 (中共河南省委第一巡视组), the notice under the office's; the report is marked
机密 by default (it holds the facts, the responsibilities and the count of clues), the
feedback and the notice carry no marking (their text is what the organization receives and
may in part disclose). None has a 发文字号: the body keeps no series for them (the
supervision notice and the working papers have one). The 版记 of each names the office as
印发机关 on the document's date; the feedback and the notice are copied to the body's
discipline commission and organization department (`registry.letterheads.usual_copies`).

`document_export` is the action that builds one and records the export
(inspections.document.export). The documents are Chinese whatever the user's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record
from xunshi.doctemplates.models import TemplateKind
from xunshi.doctemplates.queries import template_bytes, version_at
from xunshi.doctemplates.wording import KINDS as WORDING
from xunshi.doctemplates.wording import document
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
from xunshi.registry.letterheads import office_name, team_issuer, usual_copies
from xunshi.registry.models import Sector
from xunshi.rounds.access import is_team_leader, is_team_member
from xunshi.rounds.models import Inspection, Stage

from .models import Clue, ClueRecipient, DueKey, Problem, ReportText
from .queries import feedback_date, report_date

__all__ = [
    "DOCX_CONTENT_TYPE",
    "KINDS",
    "TEMPLATES",
    "document_export",
    "feedback_docx",
    "feedback_template_docx",
    "feedback_title",
    "notice_docx",
    "notice_template_docx",
    "notice_title",
    "report_docx",
    "report_template_docx",
    "report_title",
    "target_org",
]

SUBHEADING_FONT = "楷体"
KINDS = ("report", "feedback", "notice")
REPORT_SECRECY = "机密"
# Each document's kind of template (doctemplates).
TEMPLATE_KINDS = {
    "report": TemplateKind.INSPECTION_REPORT,
    "feedback": TemplateKind.FEEDBACK,
    "notice": TemplateKind.RECTIFICATION_NOTICE,
}
# Organizations led by a leading Party group (党组) rather than a Party committee (党委).
_PARTY_GROUP_SECTORS = {Sector.DEPARTMENT, Sector.PEOPLE_ORG}


# --- names ------------------------------------------------------------------------------------


def target_org(insp: Inspection) -> str:
    """兰考县党委 / 河南省财政厅党组."""
    suffix = "党组" if insp.target.sector in _PARTY_GROUP_SECTORS else "党委"
    return f"{insp.target.name}{suffix}"


def report_title(insp: Inspection) -> str:
    """关于巡视兰考县党委的情况报告."""
    return f"关于{insp.round.body.work_word}{target_org(insp)}的情况报告"


def feedback_title(insp: Inspection) -> str:
    """省委第一巡视组关于巡视兰考县的反馈意见."""
    word = insp.round.body.work_word
    return f"{insp.round.body.short_title}{insp.team.name}关于{word}{insp.target.name}的反馈意见"


def notice_title(insp: Inspection) -> str:
    """整改通知书 (the organization is named in the salutation below it)."""
    return "整改通知书"


# --- content ----------------------------------------------------------------------------------


def _period(insp: Inspection) -> str:
    start, end = insp.start or insp.round.start, insp.end or insp.round.end
    if start and end:
        return f"{cn_date(start)}至{cn_date(end)}，"
    return ""


def _groups(insp: Inspection) -> list[tuple[str, list[Problem]]]:
    rows = insp.problems.select_related("paper__category").order_by(
        "paper__category__taxonomy__code",
        "paper__category__position",
        "paper__category__code",
        "seq",
    )
    groups: dict[int, tuple[str, list[Problem]]] = {}
    for problem in rows:
        category = problem.paper.category
        groups.setdefault(category.pk, (category.name, []))[1].append(problem)
    return list(groups.values())


def _report_text(insp: Inspection) -> ReportText:
    return ReportText.objects.filter(inspection=insp).first() or ReportText(inspection=insp)


# What a responsibility's text may end with; the sentence puts its own 。 and ；.
_END_PUNCTUATION = "。；;，,、.． \n"


def _responsibility(problem: Problem) -> str:
    paper = problem.paper
    parts = [
        (label, text.strip().rstrip(_END_PUNCTUATION))
        for label, text in (
            ("主体责任", paper.responsibility_main),
            ("第一责任人责任", paper.responsibility_first),
            ("监督责任", paper.responsibility_supervision),
        )
    ]
    return "；".join(f"{label}：{text or '未认定'}" for label, text in parts) + "。"


def _clue_sentence(clues: Iterable[Clue]) -> str:
    rows = list(clues)
    if not rows:
        return "巡视期间未发现需要移交的问题线索。"
    counts: dict[str, int] = {}
    for clue in rows:
        name = (
            clue.recipient_other
            if clue.recipient == ClueRecipient.OTHER
            else ClueRecipient(clue.recipient).label
        )
        counts[str(name)] = counts.get(str(name), 0) + 1
    parts = "、".join(f"拟移交{name}{n}件" for name, n in counts.items())
    return f"巡视期间共发现问题线索{len(rows)}件，其中{parts}，已另行报送。"


def _paragraphs(text: str, empty: str = "") -> list[str]:
    """A text as the paragraphs it prints, one per line (one empty paragraph for none)."""
    return [p.strip() for p in text.splitlines() if p.strip()] or [empty]


def _issued_at(insp: Inspection, stage: str) -> dt.datetime | None:
    """When the document issued by the last move into `stage` was issued (None before)."""
    change = insp.stage_changes.filter(to_stage=stage).order_by("-on", "-id").first()
    return change.at if change else None


def _version(insp: Inspection, kind: str) -> int:
    """The template version a document of the inspection is worded by: the one in force when
    it was issued (the report when the leader sent it up, the feedback and the notice when
    the feedback was given), the current one for a draft."""
    if kind == TemplateKind.INSPECTION_REPORT:
        sent = insp.stage != Stage.WITHDRAWN
        at = _issued_at(insp, Stage.REPORT_DRAFTED) if sent else None
    else:
        at = _issued_at(insp, Stage.FEEDBACK_GIVEN)
    return version_at(insp.round.body, kind, at)


def _common(insp: Inspection) -> dict[str, Any]:
    body = insp.round.body
    return {
        "body": body.short_title,
        "word": body.work_word,
        "team": insp.team.name,
        "unit_org": target_org(insp),
        "period": _period(insp),
        "inspection_kind": insp.get_kind_display(),
        "printer": office_name(body),
        "copies": "，".join(usual_copies(body)),
    }


def _worded(insp: Inspection, kind: str, context: dict[str, Any], *, author: str) -> bytes:
    on: dt.date = context.pop("on")
    context["date"] = cn_date(on)
    content = template_bytes(insp.round.body, kind, _version(insp, kind))
    return document(content, context, title=context["title"], author=author, on=on)


def report_docx(
    insp: Inspection, *, include_confidential: bool = True, today: dt.date | None = None
) -> bytes:
    """The report to the leading group: overview, problems with facts, qualification and
    responsibility, the clues counted, the suggestions; dated the day it was sent up (or
    last saved while drafting), `today` only for a report without any text yet."""
    text = _report_text(insp)
    clues = insp.clues.all()
    if not include_confidential:
        clues = clues.filter(highly_confidential=False)
    issuer = team_issuer(insp.round.body, insp.team.name)
    context = _common(insp) | {
        "issuer": issuer,
        "secrecy": REPORT_SECRECY,
        "title": report_title(insp),
        "overview": _paragraphs(text.overview, "（未填写）"),
        "groups": [
            {
                "number": cn_number(i),
                "name": category,
                "problems": [
                    {
                        "number": j,
                        "title": problem.paper.title,
                        "paper": problem.paper.number,
                        "facts": _paragraphs(problem.paper.facts),
                        "qualification": _paragraphs(problem.paper.qualification),
                        "responsibility": _responsibility(problem),
                    }
                    for j, problem in enumerate(problems, 1)
                ],
            }
            for i, (category, problems) in enumerate(_groups(insp), 1)
        ],
        "clues": _clue_sentence(clues.only("recipient", "recipient_other")),
        "suggestions": _paragraphs(text.suggestions, "（未填写）"),
        "signer": insp.team.name,
        "on": report_date(insp) or today or timezone.localdate(),
    }
    return _worded(insp, TemplateKind.INSPECTION_REPORT, context, author=issuer)


def _dues(insp: Inspection) -> list[dict[str, str]]:
    dues = {d.key: d for d in insp.dues.all()}
    out = []
    for key, what in (
        (DueKey.RECTIFICATION_PLAN, "报送整改方案"),
        (DueKey.RECTIFICATION_REPORT, "报送整改情况报告"),
    ):
        due = dues.get(key)
        if due is not None:
            out.append({"date": cn_date(due.due), "what": what, "rule": due.rule_text})
    return out


def feedback_docx(insp: Inspection) -> bytes:
    """The feedback to the inspected organization: problem summaries only, by class, the
    suggestions and the rectification requirements with their due dates."""
    text = _report_text(insp)
    issuer = team_issuer(insp.round.body, insp.team.name)
    context = _common(insp) | {
        "issuer": issuer,
        "title": feedback_title(insp),
        "groups": [
            {
                "number": cn_number(i),
                "name": category,
                "problems": [
                    {"number": j, "summary": _paragraphs(problem.summary)}
                    for j, problem in enumerate(problems, 1)
                ],
            }
            for i, (category, problems) in enumerate(_groups(insp), 1)
        ],
        "suggestions": _paragraphs(text.suggestions, "请对照反馈问题认真整改。"),
        "dues": _dues(insp),
        "signer": f"{insp.round.body.short_title}{insp.team.name}",
        "on": feedback_date(insp) or timezone.localdate(),
    }
    return _worded(insp, TemplateKind.FEEDBACK, context, author=issuer)


def notice_docx(insp: Inspection) -> bytes:
    """The rectification notice: the problems to rectify (summaries) and the due dates."""
    body = insp.round.body
    office = office_name(body)
    context = _common(insp) | {
        "issuer": office,
        "title": notice_title(insp),
        "problems": [
            {"number": n, "summary": _paragraphs(problem.summary)}
            for n, problem in enumerate(insp.problems.order_by("seq"), 1)
        ],
        "dues": _dues(insp),
        "signer": f"{body.name.removeprefix('中共')}{body.work_word}工作领导小组办公室",
        "on": feedback_date(insp) or timezone.localdate(),
    }
    return _worded(insp, TemplateKind.RECTIFICATION_NOTICE, context, author=office)


# --- the templates (version 1, shipped in xunshi/doctemplates/shipped/) -------------------------

_TEMPLATE_DAY = dt.date(2026, 12, 1)  # the shipped templates' file date


def _template(kind: str, head: Head) -> Any:
    sample = WORDING[kind].sample
    with override(None):
        name = f"{TemplateKind(kind).label}模板"
    head = replace(head, sized_for=sample["issuer"])
    doc = new_document(name, author="巡视巡察工作平台", on=_TEMPLATE_DAY, head=head)
    title_line(doc, "{{ title }}")
    paragraph(doc)
    return doc


def _tag(doc: Any, tag: str) -> None:
    paragraph(doc, f"{{%p {tag} %}}", indent=None)


def _each(doc: Any, name: str, lead: str = "") -> None:
    """A list of paragraphs; `lead` starts the first."""
    _tag(doc, f"for line in {name}")
    first = f"{{% if loop.first %}}{lead}{{% endif %}}" if lead else ""
    paragraph(doc, f"{first}{{{{ line }}}}")
    _tag(doc, "endfor")


def _template_end(doc: Any, kind: str, *, copies: bool = True) -> bytes:
    sample = WORDING[kind].sample
    signature(doc, sample["signer"], _TEMPLATE_DAY, printed=("{{ signer }}", "{{ date }}"))
    colophon(
        doc,
        Colophon(
            printer="{{ printer }}",
            printed_on="{{ date }}",
            copies_to=["{{ copies }}"] if copies else [],
        ),
    )
    return docx_bytes(doc)


_OPENING = "根据{{ body }}统一部署，{{ period }}"


def report_template_docx() -> bytes:
    """Version 1 of the report's template."""
    kind = TemplateKind.INSPECTION_REPORT
    doc = _template(kind, Head(issuer="{{ issuer }}", secrecy="{{ secrecy }}"))
    paragraph(doc, "{{ body }}{{ word }}工作领导小组：", indent=None)
    paragraph(
        doc,
        _OPENING + "{{ team }}对{{ unit_org }}进行了{{ inspection_kind }}。现将有关情况报告如下：",
    )
    paragraph(doc, "一、基本情况", font=HEADING_FONT)
    _each(doc, "overview")
    paragraph(doc, "二、发现的主要问题", font=HEADING_FONT)
    _tag(doc, "if not groups")
    paragraph(doc, "本次巡视未形成问题。")
    _tag(doc, "endif")
    _tag(doc, "for group in groups")
    paragraph(doc, "（{{ group.number }}）{{ group.name }}", font=SUBHEADING_FONT)
    _tag(doc, "for problem in group.problems")
    paragraph(
        doc, "{{ problem.number }}. {{ problem.title }}（底稿{{ problem.paper }}）", bold=True
    )
    _each(doc, "problem.facts")
    _each(doc, "problem.qualification", lead="定性：")
    paragraph(doc, "责任：{{ problem.responsibility }}")
    _tag(doc, "endfor")
    _tag(doc, "endfor")
    paragraph(doc, "三、问题线索", font=HEADING_FONT)
    paragraph(doc, "{{ clues }}")
    paragraph(doc, "四、意见建议", font=HEADING_FONT)
    _each(doc, "suggestions")
    return _template_end(doc, kind, copies=False)


def _dues_template(doc: Any) -> None:
    _tag(doc, "for due in dues")
    paragraph(doc, "请于{{ due.date }}前{{ due.what }}（期限依据：{{ due.rule }}）。")
    _tag(doc, "endfor")


def _summary(doc: Any, name: str) -> None:
    _tag(doc, f"for problem in {name}")
    _each(doc, "problem.summary", lead="{{ problem.number }}. ")
    _tag(doc, "endfor")


def feedback_template_docx() -> bytes:
    """Version 1 of the feedback's template."""
    kind = TemplateKind.FEEDBACK
    doc = _template(kind, Head(issuer="{{ issuer }}"))
    paragraph(doc, "{{ unit_org }}：", indent=None)
    paragraph(
        doc,
        _OPENING + "{{ body }}{{ team }}对{{ unit_org }}进行了{{ inspection_kind }}。"
        "经{{ body }}同意，现将{{ word }}发现的主要问题和整改意见反馈如下：",
    )
    paragraph(doc, "一、{{ word }}发现的主要问题", font=HEADING_FONT)
    _tag(doc, "for group in groups")
    paragraph(doc, "（{{ group.number }}）{{ group.name }}", font=SUBHEADING_FONT)
    _summary(doc, "group.problems")
    _tag(doc, "endfor")
    paragraph(doc, "二、意见建议", font=HEADING_FONT)
    _each(doc, "suggestions")
    paragraph(doc, "三、整改要求", font=HEADING_FONT)
    paragraph(
        doc,
        "{{ unit_org }}要切实履行整改主体责任，党组织主要负责人履行第一责任人责任，"
        "对反馈问题逐项制定整改措施，明确责任领导、责任部门和整改时限。",
    )
    _dues_template(doc)
    return _template_end(doc, kind)


def notice_template_docx() -> bytes:
    """Version 1 of the rectification notice's template."""
    kind = TemplateKind.RECTIFICATION_NOTICE
    doc = _template(kind, Head(issuer="{{ issuer }}"))
    paragraph(doc, "{{ unit_org }}：", indent=None)
    paragraph(
        doc,
        "{{ body }}{{ team }}已于{{ date }}向你单位反馈{{ word }}意见。"
        "现将需要整改的问题通知如下，请认真组织整改：",
    )
    paragraph(doc, "一、需要整改的问题", font=HEADING_FONT)
    _summary(doc, "problems")
    paragraph(doc, "二、整改时限", font=HEADING_FONT)
    _dues_template(doc)
    return _template_end(doc, kind)


TEMPLATES = {
    TemplateKind.INSPECTION_REPORT: report_template_docx,
    TemplateKind.FEEDBACK: feedback_template_docx,
    TemplateKind.RECTIFICATION_NOTICE: notice_template_docx,
}


# --- the export action ------------------------------------------------------------------------


def document_export(*, actor: Actor, inspection: Inspection, kind: str) -> tuple[bytes, str]:
    """One of the documents ("report", "feedback", "notice") and its file name; records the
    export. Callers check access and availability first."""
    with override(None):
        if kind == "report":
            # A member who may not see 高密 clues does not learn their number from the report.
            hide = is_team_member(actor, inspection) and not is_team_leader(actor, inspection)
            content = report_docx(inspection, include_confidential=not hide)
            name = report_title(inspection)
        elif kind == "feedback":
            content, name = feedback_docx(inspection), feedback_title(inspection)
        elif kind == "notice":
            content = notice_docx(inspection)
            name = f"{inspection.target.name}{notice_title(inspection)}"
        else:
            raise ValueError(kind)
    with transaction.atomic():
        record(
            actor=actor,
            action="inspections.document.export",
            obj=inspection,
            after={
                "kind": kind,
                "problems": inspection.problems.count(),
                "template_version": _version(inspection, TEMPLATE_KINDS[kind]),
            },
        )
    return content, f"{name}.docx"

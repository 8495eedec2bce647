"""Reading and rendering the templates: the placeholders each kind may use, the sample the
office's upload must render with, the current version and the bytes of any version.

A template is a .docx whose text holds Jinja placeholders (`{{ unit }}`, a paragraph
`{%p for item in items %}` … `{%p endfor %}`), rendered by docxtpl. What the office may
change is the wording around the placeholders and the layout; what it may not is the set of
names: an unknown one would print nothing, so an upload naming one is refused.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from xunshi.lib.officedoc import docx_bytes, set_properties

from .models import TemplateKind

__all__ = [
    "KINDS",
    "Wording",
    "check_template",
    "document",
    "render",
]


@dataclass(frozen=True)
class Wording:
    """A kind's placeholders (name → what it prints) and a sample of them to render."""

    placeholders: Mapping[str, str]
    sample: Mapping[str, Any]


_NOTICE_ITEM = {
    "title": "扶贫资金拨付滞后",
    "leader": "县长 李明",
    "department": "县财政局",
    "deadline": "2026年12月31日",
    "overdue": "距整改时限9天",
}

_TEAM = "中共河南省委第一巡视组"
_OFFICE = "中共河南省委巡视工作领导小组办公室"
# What the report stage's three documents share: who inspected whom, when, and how.
_INSPECTION = {
    "body": "所属党委简称（省委）",
    "word": "工作用语（巡视、巡察）",
    "team": "巡视组（第一巡视组）",
    "unit_org": "被巡视党组织（兰考县党委）",
    "period": "巡视期间（“2026年9月1日至2026年10月31日，”，未定时为空）",
    "inspection_kind": "巡视方式（常规巡视）",
}
_INSPECTION_SAMPLE = {
    "body": "省委",
    "word": "巡视",
    "team": "第一巡视组",
    "unit_org": "兰考县党委",
    "period": "2026年9月1日至2026年10月31日，",
    "inspection_kind": "常规巡视",
}
_ENDING = {"signer": "落款", "date": "成文日期", "printer": "印发机关"}
_DUES = "整改时限（date 日期, what 报送事项, rule 期限依据）"
_DUES_SAMPLE = [
    {"date": "2026年12月1日", "what": "报送整改方案", "rule": "反馈后1个月内"},
    {"date": "2027年2月1日", "what": "报送整改情况报告", "rule": "反馈后3个月内"},
]
_GROUP_SAMPLE = {
    "number": "一",
    "name": "贯彻落实党的理论和路线方针政策方面",
    "problems": [
        {
            "number": 1,
            "title": "扶贫资金拨付滞后",
            "paper": "一组-01",
            "facts": ["2025年扶贫资金3笔共120万元拨付超过规定时限。"],
            "qualification": ["违反《中央财政衔接推进乡村振兴补助资金管理办法》。"],
            "responsibility": "主体责任：县政府；第一责任人责任：县长；监督责任：未认定。",
            "summary": ["扶贫资金拨付滞后，影响项目实施。"],
        }
    ],
}

KINDS: dict[str, Wording] = {
    TemplateKind.SUPERVISION_NOTICE: Wording(
        placeholders={
            "issuer": "发文机关标志（领导小组办公室）",
            "number": "发文字号",
            "title": "标题",
            "unit": "被巡视单位",
            "as_of": "核查截至日期",
            "round_name": "巡视轮次",
            "count": "督办事项数",
            "items": "督办事项（title 事项, leader 责任领导, department 责任部门,"
            " deadline 整改时限, overdue 逾期或剩余天数）",
            "reply_by": "书面报送期限",
            "office_short": "报送对象（省委巡视办）",
            "signer": "落款",
            "date": "成文日期",
            "printer": "印发机关",
        },
        sample={
            "issuer": "中共河南省委巡视工作领导小组办公室",
            "number": "豫巡办督〔2026〕1号",
            "title": "关于督促加快巡视整改进度的函",
            "unit": "兰考县",
            "as_of": "2026年12月22日",
            "round_name": "十一届省委第一轮巡视",
            "count": 1,
            "items": [_NOTICE_ITEM],
            "reply_by": "2027年1月6日",
            "office_short": "省委巡视办",
            "signer": "省委巡视工作领导小组办公室",
            "date": "2026年12月22日",
            "printer": "中共河南省委巡视工作领导小组办公室",
        },
    ),
    TemplateKind.INSPECTION_REPORT: Wording(
        placeholders={
            "issuer": "发文机关标志（巡视组）",
            "secrecy": "密级（机密）",
            "title": "标题",
            **_INSPECTION,
            "overview": "基本情况（逐段）",
            "groups": "问题分类（number 序号, name 类别, problems 问题：number 序号, title 标题,"
            " paper 底稿编号, facts 事实（逐段）, qualification 定性（逐段）,"
            " responsibility 责任）",
            "clues": "问题线索（一句话，只计件数）",
            "suggestions": "意见建议（逐段）",
            **_ENDING,
        },
        sample={
            "issuer": _TEAM,
            "secrecy": "机密",
            "title": "关于巡视兰考县党委的情况报告",
            **_INSPECTION_SAMPLE,
            "overview": ["兰考县党委领导班子基本情况。"],
            "groups": [_GROUP_SAMPLE],
            "clues": "巡视期间未发现需要移交的问题线索。",
            "suggestions": ["建议兰考县党委加强资金管理。"],
            "signer": "第一巡视组",
            "date": "2026年11月2日",
            "printer": _OFFICE,
        },
    ),
    TemplateKind.FEEDBACK: Wording(
        placeholders={
            "issuer": "发文机关标志（巡视组）",
            "title": "标题",
            **_INSPECTION,
            "groups": "问题分类（number 序号, name 类别, problems 问题：number 序号,"
            " summary 问题表述（逐段））",
            "suggestions": "意见建议（逐段）",
            "dues": _DUES,
            "copies": "抄送",
            **_ENDING,
        },
        sample={
            "issuer": _TEAM,
            "title": "省委第一巡视组关于巡视兰考县的反馈意见",
            **_INSPECTION_SAMPLE,
            "groups": [_GROUP_SAMPLE],
            "suggestions": ["请对照反馈问题认真整改。"],
            "dues": _DUES_SAMPLE,
            "copies": "省纪委监委，省委组织部",
            "signer": "省委第一巡视组",
            "date": "2026年11月2日",
            "printer": _OFFICE,
        },
    ),
    TemplateKind.RECTIFICATION_NOTICE: Wording(
        placeholders={
            "issuer": "发文机关标志（领导小组办公室）",
            "title": "标题",
            **_INSPECTION,
            "problems": "需要整改的问题（number 序号, summary 问题表述（逐段））",
            "dues": _DUES,
            "copies": "抄送",
            **_ENDING,
        },
        sample={
            "issuer": _OFFICE,
            "title": "整改通知书",
            **_INSPECTION_SAMPLE,
            "problems": _GROUP_SAMPLE["problems"],
            "dues": _DUES_SAMPLE,
            "copies": "省纪委监委，省委组织部",
            "signer": "河南省委巡视工作领导小组办公室",
            "date": "2026年11月2日",
            "printer": _OFFICE,
        },
    ),
    TemplateKind.RECTIFICATION_REPORT: Wording(
        placeholders={
            "issuer": "发文机关标志（被巡视党组织）",
            "title": "标题",
            "leading_group": "报送对象（河南省委巡视工作领导小组）",
            "body": _INSPECTION["body"],
            "word": _INSPECTION["word"],
            "team": _INSPECTION["team"],
            "unit": "被巡视单位（兰考县）",
            "period": "巡视期间（“于2026年9月1日至10月31日”，未定时为空）",
            "inspection_kind": _INSPECTION["inspection_kind"],
            "feedback_on": "反馈日期（未反馈时为空）",
            "problems": "反馈问题数",
            "done": "已完成整改数",
            "in_progress": "正在推进数",
            "rules": "建立完善制度项数",
            "funds": "挽回或追缴资金（万元）",
            "sanctioned": "问责处理人数",
            "items": "整改事项（number 序号（一）, title 问题, lines 措施、进展和状态（逐段））",
            "copies": "抄送",
            **_ENDING,
        },
        sample={
            "issuer": "兰考县党委",
            "title": "关于巡视反馈意见整改情况的报告",
            "leading_group": "河南省委巡视工作领导小组",
            "body": "省委",
            "word": "巡视",
            "team": "第一巡视组",
            "unit": "兰考县",
            "period": "于2026年9月1日至10月31日",
            "inspection_kind": "常规巡视",
            "feedback_on": "2026年11月2日",
            "problems": 2,
            "done": 1,
            "in_progress": 1,
            "rules": 3,
            "funds": "120.00",
            "sanctioned": 2,
            "items": [
                {
                    "number": "一",
                    "title": "扶贫资金拨付滞后",
                    "lines": ["整改措施：建立资金拨付台账。", "整改状态：已完成整改。"],
                }
            ],
            "copies": "省纪委监委，省委组织部",
            "signer": "兰考县",
            "date": "2026年11月10日",
            "printer": "兰考县党委办公室",
        },
    ),
    TemplateKind.DECISION: Wording(
        placeholders={
            "issuer": "发文机关标志（领导小组文件）",
            "title": "标题",
            "word": _INSPECTION["word"],
            "body_name": "所属党委（河南省委）",
            "round_name": "巡视轮次",
            "period": "巡视期间（“定于2027年3月1日至5月31日进行，”，未定时为空）",
            "team_count": "巡视组数",
            "per_team": "一托几（一、二）",
            "target_count": "巡视对象数",
            "round_kind": "巡视方式（常规巡视）",
            "theme": "监督重点（“，监督重点为……”，未定时为空）",
            "teams": "巡视组（name 组名, leader 组长, members 成员, targets 巡视对象）",
            "copies": "抄送",
            **_ENDING,
        },
        sample={
            "issuer": "中共河南省委巡视工作领导小组文件",
            "title": "关于十一届省委第十轮巡视组组成人员及授权的决定",
            "word": "巡视",
            "body_name": "河南省委",
            "round_name": "十一届省委第十轮巡视",
            "period": "定于2027年3月1日至5月31日进行，",
            "team_count": 1,
            "per_team": "二",
            "target_count": 2,
            "round_kind": "常规巡视",
            "theme": "",
            "teams": [
                {
                    "name": "第一巡视组",
                    "leader": "张三（正厅级巡视专员）",
                    "members": "李四、王五",
                    "targets": "兰考县、河南省财政厅",
                }
            ],
            "copies": "省纪委监委，省委组织部",
            "signer": "中共河南省委巡视工作领导小组",
            "date": "2027年2月20日",
            "printer": _OFFICE,
        },
    ),
    TemplateKind.DOCREQUEST_SLIP: Wording(
        placeholders={
            "number": "编号（第一巡视组调阅〔2026〕3号）",
            "unit": "被巡视单位",
            "provider": "提供部门",
            "requested_on": "调阅日期",
            "documents": "调阅资料（number 序号, name 资料名称）",
            "handed_on": "移交日期（未移交时为空线）",
            "handed_by": "移交人（未移交时为空线）",
            "received_by": "接收人（未接收时为空线）",
            "returned_on": "归还日期（未归还时为空线）",
            "blank": "空线（手填处）",
        },
        sample={
            "number": "第一巡视组调阅〔2026〕3号",
            "unit": "兰考县",
            "provider": "县财政局",
            "requested_on": "2026年9月3日",
            "documents": [{"number": 1, "name": "2025年度县委常委会会议记录"}],
            "handed_on": "2026年9月4日",
            "handed_by": "王五",
            "received_by": "李四",
            "returned_on": "＿＿＿＿＿＿＿＿",
            "blank": "＿＿＿＿＿＿＿＿",
        },
    ),
}


def _environment() -> SandboxedEnvironment:
    # Sandboxed: a template uploaded by the office reaches no Python attribute it should not.
    return SandboxedEnvironment(autoescape=True)


def render(content: bytes, context: Mapping[str, Any]) -> bytes:
    """The template's bytes rendered with `context`, as the bytes of a .docx."""
    template = DocxTemplate(io.BytesIO(content))
    template.render(dict(context), jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def document(
    content: bytes, context: Mapping[str, Any], *, title: str, author: str, on: dt.date
) -> bytes:
    """A document: the template rendered with `context`, its file properties naming its
    title, the body that writes it and its day (not the template's)."""
    doc = Document(io.BytesIO(render(content, context)))
    set_properties(doc, title, author=author, on=on)
    return docx_bytes(doc)


def check_template(kind: str, content: bytes) -> None:
    """Refuse a file that is not a template of the kind: not a .docx, a Jinja syntax error,
    a placeholder the kind does not know (named), or one that fails with the sample."""
    wording = KINDS[kind]
    try:
        template = DocxTemplate(io.BytesIO(content))
        used = template.get_undeclared_template_variables(jinja_env=_environment())
    except TemplateSyntaxError as e:
        raise ValidationError(f"模板第{e.lineno}行的占位符写法有误：{e.message}。") from e
    except Exception as e:  # a zip that is not Word, or Word without a document part
        raise ValidationError("上传的文件不是Word文档（.docx），请另存为.docx后再上传。") from e
    unknown = sorted(set(used) - set(wording.placeholders))
    if unknown:
        names = "、".join(f"{{{{ {name} }}}}" for name in unknown)
        raise ValidationError(
            f"模板中有未知的占位符：{names}。可用的占位符："
            + "、".join(f"{{{{ {n} }}}}（{label}）" for n, label in wording.placeholders.items())
            + "。"
        )
    try:
        render(content, wording.sample)
    except Exception as e:  # whatever a template does wrong with real data
        raise ValidationError(f"模板用示例数据生成时出错：{e}。") from e

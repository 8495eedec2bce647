"""Reading and rendering the templates: the placeholders each kind may use, the sample the
office's upload must render with, the current version and the bytes of any version.

A template is a .docx whose text holds Jinja placeholders (`{{ unit }}`, a paragraph
`{%p for item in items %}` … `{%p endfor %}`), rendered by docxtpl. What the office may
change is the wording around the placeholders and the layout; what it may not is the set of
names: an unknown one would print nothing, so an upload naming one is refused.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from .models import TemplateKind

__all__ = [
    "KINDS",
    "Wording",
    "check_template",
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

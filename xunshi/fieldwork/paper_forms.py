"""Forms of the working-paper pages: they parse and look up, the actions in `papers` decide.

The record choices of a form are the inspection's own talks, petitions and document
requests, and the classification choices the items of the taxonomies its body classifies
with now (the village list first in a village inspection), so a form never offers (or
reveals) anything outside the page it is on.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from xunshi.files.forms import UploadField
from xunshi.registry.models import Sector
from xunshi.rounds.models import Inspection, InspectionKind

from .models import DocumentRequest, Petition, Talk, TaxonomyItem, WorkingPaper
from .taxonomy_queries import VILLAGE_TAXONOMY_CODE, offered_items

__all__ = [
    "EvidenceForm",
    "EvidenceUploadForm",
    "GroupReviewForm",
    "LeaderReviewForm",
    "PaperForm",
    "ProblemForm",
    "category_choices",
    "record_choices",
]


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def category_choices(
    inspection: Inspection, current: TaxonomyItem | None = None
) -> list[tuple[str, list[Any]]]:
    """The items of the taxonomies the inspection's body classifies with now, grouped by
    taxonomy, the village list first in a village inspection (plus a paper's own class,
    even if its taxonomy has since been retired, so that the paper's form still shows it)."""
    village = (
        inspection.kind == InspectionKind.VILLAGE or inspection.target.sector == Sector.VILLAGE
    )
    groups = offered_items(
        inspection.round.body_id, first=VILLAGE_TAXONOMY_CODE if village else "", also=current
    )
    return [
        (str(taxonomy), [(i.pk, f"{i.code} {i.name}") for i in items]) for taxonomy, items in groups
    ]


class SuggestingTextarea(forms.Textarea):
    """The 定性依据 box, under which the knowledge base (URL `statement_suggest`, by name:
    knowledge stands above fieldwork) offers standard statements for the class chosen and
    the words typed, a moment after typing stops; a click fills the box (static/js/suggest.js).
    The typed words go in a POST body, never in a URL: they are the case's text."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = (attrs or {}) | {
            "hx-post": str(reverse_lazy("statement_suggest")),
            "hx-trigger": "input changed delay:400ms, change from:[name='category']",
            "hx-include": "[name='category']",
            "hx-target": "next .suggestions",
            "hx-swap": "innerHTML",
        }
        box = super().render(name, value, attrs, renderer)
        return format_html('{box}<div class="suggestions" aria-live="polite"></div>', box=box)


class PaperForm(forms.Form):
    title = forms.CharField(label=_("问题标题"), max_length=200)
    category = forms.TypedChoiceField(label=_("问题分类"), coerce=int)
    facts = forms.CharField(label=_("事实"), widget=_text(6))
    qualification = forms.CharField(
        label=_("定性依据"),
        widget=SuggestingTextarea(attrs={"rows": 3}),
        help_text=_("选择问题分类并输入几个字，下方列出知识库中的参考定性表述，点击即可填入。"),
    )
    responsibility_main = forms.CharField(label=_("主体责任"), required=False, widget=_text(2))
    responsibility_first = forms.CharField(
        label=_("第一责任人责任"), required=False, widget=_text(2)
    )
    responsibility_supervision = forms.CharField(
        label=_("监督责任"), required=False, widget=_text(2)
    )

    def __init__(
        self,
        *args: Any,
        inspection: Inspection,
        paper: WorkingPaper | None = None,
        **kwargs: Any,
    ) -> None:
        if paper is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(paper, name) for name in self.base_fields if name != "category"
            } | {"category": paper.category_id}
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        current = paper.category if paper else None
        field.choices = [("", "---------"), *category_choices(inspection, current)]

    def clean_category(self) -> TaxonomyItem:
        return TaxonomyItem.objects.select_related("taxonomy").get(pk=self.cleaned_data["category"])


_KINDS: list[tuple[str, type[Model], str]] = [
    ("talk", Talk, "谈话记录"),
    ("petition", Petition, "信访件"),
    ("document", DocumentRequest, "调阅资料"),
]


def _record_label(obj: Model) -> str:
    if isinstance(obj, Talk):
        return f"{obj}（{timezone.localtime(obj.held_at):%Y-%m-%d}）"
    if isinstance(obj, DocumentRequest):
        return f"{obj}：{obj.provider}"
    if isinstance(obj, WorkingPaper):
        return f"{obj.number} {obj.title}"
    return str(obj)


def record_choices(
    inspection: Inspection, kinds: list[tuple[str, type[Model], str]] | None = None
) -> tuple[list[tuple[str, list[tuple[str, str]]]], dict[str, tuple[str, Model]]]:
    """The inspection's records as grouped choices ("talk:12") and the objects by value."""
    groups, objects = [], {}
    for kind, model, label in kinds or _KINDS:
        options = []
        for obj in model.objects.filter(inspection=inspection):  # type: ignore[attr-defined]
            value = f"{kind}:{obj.pk}"
            objects[value] = (kind, obj)
            options.append((value, _record_label(obj)))
        if options:
            groups.append((label, options))
    return groups, objects


class EvidenceForm(forms.Form):
    record = forms.ChoiceField(label=_("证据材料"))
    note = forms.CharField(label=_("证明内容"), max_length=200, required=False)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups, self.objects = record_choices(inspection)
        field = self.fields["record"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *groups]

    def clean_record(self) -> tuple[str, Model]:
        return self.objects[self.cleaned_data["record"]]


class EvidenceUploadForm(forms.Form):
    file = UploadField(label=_("上传证据文件"))
    note = forms.CharField(label=_("证明内容"), max_length=200, required=False)


class GroupReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审议结果"),
        choices=[("yes", _("同意报组长审定")), ("no", _("退回修改"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    meeting_on = forms.DateField(
        label=_("组务会日期"), widget=_date_input(), initial=timezone.localdate
    )
    opinion = forms.CharField(label=_("组务会意见"), widget=_text(3))


class LeaderReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审定结果"),
        choices=[("yes", _("审定通过")), ("no", _("退回修改"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("退回理由"), required=False, widget=_text(3))


class ProblemForm(forms.Form):
    summary = forms.CharField(
        label=_("问题表述"),
        required=False,
        widget=_text(3),
        help_text=_("反馈意见和整改台账只使用问题表述；不填则使用底稿标题。"),
    )

"""Forms of the knowledge base: they parse and offer what the user's body may cite; the
actions decide. A regulation's articles are typed as the Word import reads them (第X章
headings, 第X条 starting each article), so the box and the file take the same text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.models import User
from xunshi.fieldwork.models import TaxonomyItem
from xunshi.files.forms import UploadField

from .articles import ArticleErrors, ArticleInput, parse_lines
from .models import Article, RegulationStatus
from .queries import article_choices, item_choices

__all__ = ["ArticleImportForm", "CaseForm", "RegulationForm", "StatementForm"]


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class _ArticleField(forms.ModelMultipleChoiceField[Article]):
    def label_from_instance(self, obj: Article) -> str:  # type: ignore[override]
        return f"{obj.version.title} {obj.heading}"


class _ItemField(forms.ModelChoiceField[TaxonomyItem]):
    def label_from_instance(self, obj: TaxonomyItem) -> str:  # type: ignore[override]
        return f"{obj.taxonomy.name}：{obj.code} {obj.name}"


class _ItemsField(forms.ModelMultipleChoiceField[TaxonomyItem]):
    def label_from_instance(self, obj: TaxonomyItem) -> str:  # type: ignore[override]
        return f"{obj.taxonomy.name}：{obj.code} {obj.name}"


class RegulationForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    issuer = forms.CharField(label=_("制定机关"), max_length=100)
    issued_on = forms.DateField(
        label=_("发布日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.CharField(
        label=_("来源"), max_length=300, required=False, help_text=_("网址或出版物")
    )
    status = forms.ChoiceField(label=_("效力状态"), choices=RegulationStatus.choices)
    note = forms.CharField(label=_("说明"), required=False, widget=_text(2))
    articles_text = forms.CharField(
        label=_("条文"),
        required=False,
        widget=_text(16),
        help_text=_("每段一行：“第一章 总则”为章标题，“第一条 ……”开始一条，其他行接续上一条。"),
    )

    def __init__(self, *args: Any, offer_shared: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offer_shared:
            self.fields["shared"] = forms.BooleanField(
                label=_("公开共享"),
                required=False,
                help_text=_("公开的党内法规，供本级及以下各级党组织查阅，由本级巡视办维护。"),
            )

    def clean_articles_text(self) -> list[ArticleInput]:
        text = self.cleaned_data["articles_text"]
        if not text.strip():
            return []
        try:
            return parse_lines(text.splitlines())
        except ArticleErrors as errors:
            raise forms.ValidationError(errors.messages) from errors


class ArticleImportForm(forms.Form):
    file = UploadField(
        label=_("条文文件"),
        help_text=_(
            "Word（.docx）：以“第X章”开头的段落为章标题，以“第X条”开头的段落开始一条；"
            "Excel（.xlsx）：第一个工作表，表头为“章、条、条文”，每行一条。"
            "任何一段或一行有误，整个文件不导入。"
        ),
    )


class CaseForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    facts = forms.CharField(label=_("基本案情"), widget=_text(6))
    qualification = forms.CharField(label=_("定性"), widget=_text(3))
    handling = forms.CharField(label=_("处理结果"), widget=_text(3))
    articles = _ArticleField(label=_("依据条款"), queryset=Article.objects.none(), required=False)
    items = _ItemsField(label=_("问题分类"), queryset=TaxonomyItem.objects.none(), required=False)
    fictional = forms.BooleanField(label=_("示例（虚构）"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = article_choices(user)  # type: ignore[attr-defined]
        self.fields["items"].queryset = item_choices(user)  # type: ignore[attr-defined]


class StatementForm(forms.Form):
    item = _ItemField(label=_("问题分类"), queryset=TaxonomyItem.objects.none())
    text = forms.CharField(label=_("定性表述"), widget=_text(4))
    articles = _ArticleField(label=_("依据条款"), queryset=Article.objects.none(), required=False)
    fictional = forms.BooleanField(label=_("示例（虚构）"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = article_choices(user)  # type: ignore[attr-defined]
        self.fields["item"].queryset = item_choices(user)  # type: ignore[attr-defined]

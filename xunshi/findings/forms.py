"""Forms of the clue pages: they parse and look up, `clue_actions` decides.

The record a clue comes from is chosen among the inspection's own talks, petitions,
document requests and working papers, so the form never offers anything else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.fieldwork.models import DocumentRequest, Petition, Talk, WorkingPaper
from xunshi.fieldwork.paper_forms import record_choices
from xunshi.rounds.date_rules import PAST_DAY_HELP
from xunshi.rounds.models import Inspection

from .models import ClueDisposal, ClueRecipient, ClueSource

__all__ = ["ClueDisposeForm", "ClueForm", "ClueTransferForm"]

_SOURCES: list[tuple[str, type[Model], str]] = [
    (ClueSource.TALK, Talk, "个别谈话"),
    (ClueSource.PETITION, Petition, "信访"),
    (ClueSource.DOCUMENT, DocumentRequest, "调阅资料"),
    (ClueSource.PAPER, WorkingPaper, "问题底稿"),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClueForm(forms.Form):
    record = forms.ChoiceField(label=_("线索来源"))
    persons = forms.CharField(label=_("涉及人员"), max_length=200)
    summary = forms.CharField(label=_("线索摘要"), widget=forms.Textarea(attrs={"rows": 4}))
    recipient = forms.ChoiceField(label=_("拟移交"), choices=ClueRecipient.choices)
    recipient_other = forms.CharField(label=_("其他移交单位"), max_length=100, required=False)
    highly_confidential = forms.BooleanField(
        label=_("高密"),
        required=False,
        help_text=_("高密线索只有组长和巡视办可见。"),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups, self.objects = record_choices(inspection, _SOURCES)
        field = self.fields["record"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "---------"), *groups]

    def clean_record(self) -> tuple[str, Model]:
        return self.objects[self.cleaned_data["record"]]

    def action_args(self) -> dict[str, Any]:
        """The cleaned data as `clue_create` takes it."""
        data = dict(self.cleaned_data)
        data["source"], data["record"] = data.pop("record")
        return data


class ClueTransferForm(forms.Form):
    transferred_on = forms.DateField(
        label=_("移交日期"),
        widget=_date_input(),
        initial=timezone.localdate,
        help_text=PAST_DAY_HELP,
    )
    receiving_body = forms.CharField(label=_("接收单位"), max_length=100)
    receiver = forms.CharField(label=_("接收人"), max_length=50)


class ClueDisposeForm(forms.Form):
    disposal = forms.ChoiceField(label=_("处置方式"), choices=ClueDisposal.choices)
    outcome = forms.CharField(label=_("处置结果"), widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(
        label=_("反馈日期"),
        widget=_date_input(),
        initial=timezone.localdate,
        help_text=PAST_DAY_HELP,
    )

"""Forms of the oversight pages: they parse, the actions decide (an empty reason or point is
refused by the action, in the same words as anywhere else)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xunshi.rounds.models import Round

__all__ = ["PointForm", "ReturnForm"]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class PointForm(forms.Form):
    text = forms.CharField(
        label=_("督导要点"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
    )
    due = forms.DateField(
        label=_("完成时限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“2026-12-31”的格式填写日期。")},
    )
    round = forms.ModelChoiceField(
        label=_("针对轮次（可不选）"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=_("（不针对具体轮次）"),
    )

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["round"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rounds

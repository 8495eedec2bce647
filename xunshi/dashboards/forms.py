"""The dashboards' filters: a round of the user's body and a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xunshi.rounds.models import Round


class DashboardFilterForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("轮次"),
        queryset=Round.objects.none(),
        required=False,
        empty_label=_("全部轮次"),
    )
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, rounds: QuerySet[Round], years: list[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["year"].choices = [("", _("全部年度"))] + [  # type: ignore[attr-defined]
            (y, _("%(y)s年") % {"y": y}) for y in years
        ]

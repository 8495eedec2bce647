"""The new-version form of the deadline rules and the year-entry form of the calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import MAX_AMOUNT, MAX_YEAR, MIN_AMOUNT, MIN_YEAR
from .models import DeadlineKey, DeadlineRule, Unit
from .rules import WARNING_KEYS

SAMPLE = "2027-01-01 元旦 休\n2027-02-10~2027-02-16 春节 休\n2027-02-07 春节调休 班"


class RuleSetForm(forms.Form):
    """One amount and unit per rule, filled with the active version, and a note."""

    note = forms.CharField(label=_("修订说明"), max_length=500)

    def __init__(self, *args: Any, rules: dict[str, DeadlineRule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in DeadlineKey:
            rule = rules[key]
            units = (
                [(Unit.CALENDAR_DAYS, Unit.CALENDAR_DAYS.label)]
                if key in WARNING_KEYS
                else Unit.choices
            )
            self.fields[f"{key}_amount"] = forms.IntegerField(
                label=key.label, min_value=MIN_AMOUNT, max_value=MAX_AMOUNT, initial=rule.amount
            )
            self.fields[f"{key}_unit"] = forms.ChoiceField(
                label=_("单位"), choices=units, initial=rule.unit
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(amount, unit) per rule, in the order of the keys."""
        return [(self[f"{k}_amount"], self[f"{k}_unit"]) for k in DeadlineKey.values]

    def changes(self) -> dict[str, tuple[int, str]]:
        """The posted rules as the action takes them."""
        data = self.cleaned_data
        return {k: (data[f"{k}_amount"], data[f"{k}_unit"]) for k in DeadlineKey.values}


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    text = forms.CharField(
        label=_("节假日和调休安排"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 48, "placeholder": SAMPLE}),
        max_length=20000,
    )

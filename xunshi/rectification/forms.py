"""Forms of the ledger pages: they parse, the actions decide.

The plan form lets every field be empty so that the action names all the missing ones in
one sentence. Evidence files are checked by content as they are parsed (files.forms), and
checked again by `attachment_store`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.files.forms import UploadField
from xunshi.files.uploads import CheckedUpload
from xunshi.registry.models import OrgUnit
from xunshi.rounds.models import Team

from .models import ItemStatus, RectificationKind

__all__ = [
    "ClaimForm",
    "LookbackForm",
    "NoticeForm",
    "PlanForm",
    "ProgressForm",
    "VerifyForm",
    "VillageLedgerFilterForm",
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _DayForm(forms.Form):
    """A form with an optional day that defaults to today and cannot be later."""

    on = forms.DateField(label=_("日期"), required=False, widget=_date_input())

    def clean_on(self) -> dt.date:
        on: dt.date | None = self.cleaned_data.get("on")
        today = timezone.localdate()
        if on and on > today:
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return on or today


class PlanForm(forms.Form):
    measures = forms.CharField(
        label=_("整改措施"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_leader = forms.CharField(label=_("责任领导"), required=False, max_length=50)
    responsible_department = forms.CharField(label=_("责任部门"), required=False, max_length=100)
    deadline = forms.DateField(label=_("整改时限"), required=False, widget=_date_input())
    kind = forms.ChoiceField(
        label=_("整改类型"),
        required=False,
        choices=[("", "—"), *RectificationKind.choices],
    )


class _MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(UploadField):
    """Several evidence files in one input; each is checked like `UploadField`'s one."""

    widget = _MultipleFiles

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:  # type: ignore[override]
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        out = []
        for upload in uploads:
            checked = super().clean(upload, initial)
            if checked is not None:
                out.append(checked)
        return out


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("进展情况"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_on = forms.DateField(label=_("报告日期"), required=False, widget=_date_input())
    evidence = EvidenceField(label=_("佐证材料"), required=False)
    rules_revised = forms.IntegerField(
        label=_("建立完善制度（项）"), min_value=0, max_value=10000, initial=0, required=False
    )
    funds_recovered = forms.DecimalField(
        label=_("挽回或追缴资金（万元）"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        required=False,
    )
    persons_sanctioned = forms.IntegerField(
        label=_("问责处理（人）"), min_value=0, max_value=100000, initial=0, required=False
    )

    def clean_reported_on(self) -> dt.date:
        return self.cleaned_data.get("reported_on") or timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("rules_revised", "funds_recovered", "persons_sanctioned"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class ClaimForm(_DayForm):
    pass


class VerifyForm(_DayForm):
    decision = forms.ChoiceField(
        label=_("核验结果"), choices=[("close", _("同意销号")), ("return", _("退回"))]
    )
    reason = forms.CharField(
        label=_("退回理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoticeForm(_DayForm):
    pass


class LookbackForm(forms.Form):
    team = forms.ModelChoiceField(label=_("承担“回头看”的巡视组"), queryset=Team.objects.none())

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


_ANY = [("", _("全部"))]


class VillageLedgerFilterForm(forms.Form):
    """The filters of the village ledger (村级整改台账): township, status, warning level."""

    township = forms.TypedChoiceField(label=_("乡镇（街道）"), required=False, coerce=int)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[*_ANY, ("open", _("未销号")), *ItemStatus.choices],
    )
    level = forms.ChoiceField(
        label=_("预警"),
        required=False,
        choices=[
            *_ANY,
            ("red", _("红色（已逾期）")),
            ("yellow", _("黄色（临近时限）")),
            ("green", _("绿色（即将到期）")),
        ],
    )

    def __init__(self, data: Any, *, townships: list[OrgUnit]) -> None:
        super().__init__(data)
        self.townships = {t.pk: t for t in townships}
        field = self.fields["township"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [*_ANY, *((t.pk, t.name) for t in townships)]
        if len(townships) < 2:
            del self.fields["township"]  # a township's liaison sees its own villages only

    def filters(self) -> dict[str, Any]:
        """The valid filters (`village_items`' keywords); a wrong value is shown and left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "township": self.townships.get(data.get("township") or 0),
            "status": data.get("status") or "",
            "level": data.get("level") or "",
        }

    def query(self) -> str:
        """The valid filters as a query string for the pagination links."""
        self.is_valid()
        return urlencode({k: v for k, v in self.data.items() if k in self.cleaned_data and v})

"""Forms of the year's plan: they parse and look up in the own body's registry; the actions
decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xunshi.registry.models import InspectingBody, OrgUnit

from .models import InspectionKind, Round


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    theme = forms.CharField(label=_("年度工作重点"), max_length=200, required=False)
    min_targets = forms.IntegerField(
        label=_("年度巡视对象不少于"), min_value=0, max_value=5000, initial=70
    )
    min_rounds = forms.IntegerField(label=_("年度轮次不少于"), min_value=0, max_value=12, initial=2)


class YearPlanRoundForm(forms.Form):
    position = forms.IntegerField(label=_("年度第几轮"), min_value=1, max_value=12)
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(
        label=_("类型"), choices=InspectionKind.choices, initial=InspectionKind.REGULAR
    )
    theme = forms.CharField(label=_("监督重点"), max_length=200, required=False)
    theme_tags = forms.CharField(
        label=_("重点标签"),
        max_length=200,
        required=False,
        help_text=_("单位名录中的标签，用逗号或顿号分隔，如：贫困县、有扶贫资金的部门。"),
    )
    start = forms.DateField(label=_("进驻日期"), widget=_date_input())
    end = forms.DateField(label=_("结束日期"), widget=_date_input())
    target_codes = forms.CharField(
        label=_("计划巡视对象（单位代码）"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行或以逗号分隔一个单位代码。"),
    )

    def __init__(self, *args: Any, body: InspectingBody, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body = body

    def clean_target_codes(self) -> list[OrgUnit]:
        codes = [c for c in re.split(r"[\s,，、;；]+", self.cleaned_data["target_codes"]) if c]
        found = {o.code: o for o in OrgUnit.objects.filter(body=self.body, code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("以下单位代码不在%(body)s的名录中：%(codes)s。")
                % {"body": self.body.name, "codes": "、".join(unknown)}
            )
        return list(dict.fromkeys(found[c] for c in codes))


class LinkPlanRoundForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("实施轮次"), queryset=Round.objects.none(), required=False
    )

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]

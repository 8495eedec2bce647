"""Forms of the rounds pages: they parse and look up, the actions decide.

Cadre and organization codes are looked up in what the round may draw on (`queries.round_pool`,
`queries.round_registry`: the own body's pool and registry, and for the kinds that cross bodies
those of the bodies below), so a form never reveals a record outside the round's reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xunshi.lib.pickers import PickerInput
from xunshi.registry.models import Cadre, OrgUnit, Term

from .bodies import DECISION_REF_MAX
from .models import DisciplineRuleSet, InspectionKind, Round, SectorMode, TeamRole, YearPlanRound
from .yearplan_queries import plan_round_matching

# The new-round form's default for the year plan: the planned round with the same dates (or
# the same theme that year), if exactly one matches.
MATCH = "match"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _TermsForm(forms.Form):
    """A form whose term is one of the user's own body's (`terms_visible_to`)."""

    def __init__(self, *args: Any, terms: QuerySet[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms  # type: ignore[attr-defined]


class TermChoiceForm(_TermsForm):
    term = forms.ModelChoiceField(
        label=_("届次"), queryset=Term.objects.none(), required=False, empty_label=None
    )


class ForecastForm(_TermsForm):
    term = forms.ModelChoiceField(Term.objects.none(), label=_("届次"), required=False)
    rounds_per_year = forms.IntegerField(label=_("每年轮次"), min_value=1, max_value=6, initial=2)
    capacity = forms.IntegerField(label=_("每轮对象数"), min_value=1, max_value=5000, initial=39)
    max_sectors = forms.IntegerField(
        label=_("每轮最多板块数"),
        min_value=1,
        required=False,
        help_text=_("留空为板块混动；1为板块轮动。"),
    )
    year_minimum = forms.IntegerField(
        label=_("每年最少巡视对象数"), min_value=0, initial=0, required=False
    )


class RoundForm(_TermsForm):
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.none(), empty_label=None)
    ordinal = forms.IntegerField(label=_("轮次（第几轮）"), min_value=1, max_value=99)
    name = forms.CharField(
        label=_("名称"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("如 十一届省委第二轮巡视、十四届县委第一轮巡察")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("巡视类型"), choices=InspectionKind.choices, initial=InspectionKind.REGULAR
    )
    sector_mode = forms.ChoiceField(
        label=_("对象确定方式"), choices=SectorMode.choices, initial=SectorMode.MIXED
    )
    theme = forms.CharField(label=_("监督重点"), max_length=200, required=False)
    theme_tags = forms.CharField(
        label=_("重点标签"),
        max_length=200,
        required=False,
        help_text=_("单位名录中的标签，用逗号或顿号分隔；建议对象时带这些标签的单位排在前面。"),
    )
    targets_per_team = forms.IntegerField(
        label=_("一托N（每组对象数）"),
        min_value=1,
        max_value=40,
        initial=3,
        help_text=_("对村巡察每组可达40个村（社区）。"),
    )
    start = forms.DateField(
        label=_("进驻日期"),
        required=False,
        widget=_date_input(),
        help_text=_("各组最早于该日进驻，谈话等现场记录也从该日起。"),
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=_date_input(), help_text=_("须晚于进驻日期。")
    )
    decision_ref = forms.CharField(
        label=_("决定文号"),
        max_length=DECISION_REF_MAX,
        required=False,
        help_text=_("提级巡察、交叉巡察须录入本级党委的决定，也可建轮后再录入。"),
        widget=forms.TextInput(attrs={"placeholder": _("如 汴巡组〔2026〕3号")}),
    )
    decided_on = forms.DateField(label=_("决定日期"), required=False, widget=_date_input())
    plan_round = forms.ChoiceField(
        label=_("实施年度计划中的轮次"),
        required=False,
        help_text=_("新建的轮次记为年度计划中该轮的实施轮次；也可在年度计划页面关联或更正。"),
    )

    def __init__(
        self,
        *args: Any,
        terms: QuerySet[Term],
        plan_rounds: Sequence[YearPlanRound] = (),
        **kwargs: Any,
    ) -> None:
        """`plan_rounds`: the planned rounds not yet carried out (`plan_rounds_to_open`); the
        choice is left out without them."""
        super().__init__(*args, terms=terms, **kwargs)
        self.plan_rounds = {str(r.pk): r for r in plan_rounds}
        if not self.plan_rounds:
            del self.fields["plan_round"]
            return
        field = self.fields["plan_round"]
        field.choices = [  # type: ignore[attr-defined]
            (MATCH, _("按进驻和结束日期（或监督重点）自动匹配")),
            ("", _("不关联年度计划")),
            *((pk, _plan_round_label(r)) for pk, r in self.plan_rounds.items()),
        ]
        field.initial = self.initial.get("plan_round", MATCH)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "plan_round" in self.fields:
            chosen = data.get("plan_round") or ""
            data["plan_round"] = (
                plan_round_matching(
                    self.plan_rounds.values(),
                    start=data.get("start"),
                    end=data.get("end"),
                    theme=data.get("theme") or "",
                )
                if chosen == MATCH
                else self.plan_rounds.get(chosen)
            )
        return data


def _plan_round_label(r: YearPlanRound) -> str:
    return _("%(year)s年度计划第%(n)s轮：%(name)s（%(start)s至%(end)s）") % {
        "year": r.plan.year,
        "n": r.position,
        "name": r.name,
        "start": r.start.isoformat(),
        "end": r.end.isoformat(),
    }


class DecisionForm(forms.Form):
    """The organising body's decision on a 提级巡察 or 交叉巡察 round."""

    decision_ref = forms.CharField(
        label=_("决定文号"),
        max_length=DECISION_REF_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("如 汴巡组〔2026〕3号")}),
    )
    decided_on = forms.DateField(label=_("决定日期"), widget=_date_input())


class LinkForm(forms.Form):
    """A 联动 round of a body above, to run the round in step with."""

    to = forms.ModelChoiceField(
        label=_("联动的上级轮次"),
        queryset=Round.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("所选轮次不是可联动的上级轮次。")},
    )

    def __init__(self, *args: Any, rounds: QuerySet[Round], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["to"].label_from_instance = _linkable_label  # type: ignore[attr-defined]


def _linkable_label(rnd: Round) -> str:
    dates = f"{rnd.start:%Y-%m-%d}至{rnd.end:%Y-%m-%d}" if rnd.start and rnd.end else "时间未定"
    return f"{rnd.body.name} · {rnd.name}（{dates}）"


class TeamForm(forms.Form):
    number = forms.IntegerField(label=_("组号"), min_value=1, max_value=99)
    rule_set = forms.ModelChoiceField(
        label=_("纪律规定"),
        queryset=DisciplineRuleSet.objects.order_by("name", "-version"),
        empty_label=None,
    )


class MembershipForm(forms.Form):
    cadre_code = forms.CharField(
        label=_("干部人员编号"),
        max_length=32,
        widget=PickerInput(attrs={"placeholder": _("如 C004")}),
    )
    role = forms.ChoiceField(label=_("组内职责"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(
        self, *args: Any, pool: QuerySet[Cadre], search_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pool = pool
        # The search of the round's pool (team_pick_cadre); the code is checked here all the same.
        self.fields["cadre_code"].widget = PickerInput(
            url=search_url, attrs={"placeholder": _("如 C004")}
        )

    def clean_cadre_code(self) -> Cadre:
        code = self.cleaned_data["cadre_code"].strip()
        cadre = self.pool.filter(code=code).first()
        if cadre is None:
            raise forms.ValidationError(
                _("干部库中没有人员编号“%(code)s”。"), params={"code": code}
            )
        return cadre


class InspectionForm(forms.Form):
    org_code = forms.CharField(
        label=_("被巡视单位编码"),
        max_length=32,
        widget=PickerInput(attrs={"placeholder": _("如 410225")}),
    )
    kind = forms.ChoiceField(label=_("巡视类型"), choices=InspectionKind.choices)
    counts_for_coverage = forms.BooleanField(label=_("计入全覆盖"), required=False, initial=True)
    batch = forms.IntegerField(label=_("批次"), min_value=1, max_value=40, initial=1)

    def __init__(
        self, *args: Any, registry: QuerySet[OrgUnit], search_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.registry = registry
        # The search of the round's registry (team_pick_unit); the code is checked here.
        self.fields["org_code"].widget = PickerInput(
            url=search_url,
            search_label=_("搜索单位名称、拼音首字母或编码"),
            attrs={"placeholder": _("如 410225")},
        )

    def clean_org_code(self) -> OrgUnit:
        code = self.cleaned_data["org_code"].strip()
        org = self.registry.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(
                _("单位名录中没有单位编码“%(code)s”。"), params={"code": code}
            )
        return org


class BranchForm(forms.Form):
    secretary = forms.TypedChoiceField(label=_("支部书记"), coerce=int)
    established_on = forms.DateField(label=_("成立日期"), widget=_date_input())

    def __init__(self, *args: Any, members: list[Cadre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {c.pk: c for c in members}
        self.fields["secretary"].choices = [(c.pk, c.name) for c in members]  # type: ignore[attr-defined]

    def clean_secretary(self) -> Cadre:
        return self.members[self.cleaned_data["secretary"]]

"""Forms of the planning pages: the round's parameters with its targets, the counts for
proposing targets, and the edits of a plan's working copy. They parse; `planning.RoundParams`
and the actions decide.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xunshi.registry.models import Cadre, InspectingBody, OrgUnit, Sector

from .planning import MAX_TIME_LIMIT_S, RoundParams

__all__ = [
    "EDIT_OPS",
    "MAX_TARGETS_PER_TEAM",
    "PlanEditForm",
    "ProposeForm",
    "RoundParamsForm",
    "ScheduleForm",
    "WorkingPlanForm",
    "pool_skills",
]

# Sectors whose number per team the office may cap (县 are the bulk of a round, never capped).
CAPPED_SECTORS = [Sector.DEPARTMENT, Sector.SOE, Sector.UNIVERSITY, Sector.CITY, Sector.FINANCIAL]
MAX_PLAN_BYTES = 200_000
# 一托N: a county's village round sends a team to up to 40 villages (对村巡察).
MAX_TARGETS_PER_TEAM = 40


def pool_skills(body_ids: Sequence[int]) -> list[str]:
    """The skills (专业类别) found in the bodies' active cadre pools, in a stable order."""
    found: dict[str, int] = {}
    for skills in Cadre.objects.filter(active=True, body_id__in=list(body_ids)).values_list(
        "skills", flat=True
    ):
        for s in skills or []:
            found[s] = found.get(s, 0) + 1
    return sorted(found, key=lambda s: (-found[s], s))


def _number(label: Any, lo: int, hi: int, **kw: Any) -> forms.IntegerField:
    attrs = {"min": lo, "max": hi, "class": "narrow"}
    return forms.IntegerField(
        label=label, min_value=lo, max_value=hi, widget=forms.NumberInput(attrs=attrs), **kw
    )


class ProposeForm(forms.Form):
    """How many targets of each kind to propose from the term's coverage; a village round
    (对村巡察) asks for villages and communities only."""

    counties = _number(_("县（市、区）"), 0, 500, initial=30)
    departments = _number(_("省直单位"), 0, 200, initial=6)
    soes = _number(_("省管企业"), 0, 200, initial=3)
    villages = _number(_("村（社区）"), 0, 2000, initial=40)

    def __init__(self, *args: Any, village: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drop = ["counties", "departments", "soes"] if village else ["villages"]
        for name in drop:
            del self.fields[name]

    def counts(self) -> dict[str, int]:
        """The counts asked for (none of a kind the form does not ask), the defaults for any
        left blank or invalid."""
        out = {name: 0 for name in ("counties", "departments", "soes", "villages")}
        out |= {name: int(f.initial) for name, f in self.fields.items()}
        if self.is_bound and self.is_valid():
            out |= {k: v for k, v in self.cleaned_data.items() if v is not None}
        return out


class RoundParamsForm(forms.Form):
    teams = _number(_("巡视组数"), 1, 99)
    targets_per_team = _number(_("一托N（每组对象数）"), 1, MAX_TARGETS_PER_TEAM)
    size_lo = _number(_("每组人数下限"), 1, 50, initial=5)
    size_hi = _number(_("每组人数上限"), 1, 50, initial=9)
    time_limit_s = forms.FloatField(
        label=_("计算时限（秒）"),
        min_value=1,
        max_value=MAX_TIME_LIMIT_S,
        initial=30,
        widget=forms.NumberInput(attrs={"class": "narrow", "step": "any"}),
    )
    seed = _number(_("随机种子"), 0, 2**31 - 1, initial=0)
    targets = forms.ModelMultipleChoiceField(
        label=_("巡视对象"),
        queryset=OrgUnit.objects.none(),
        error_messages={
            "required": _("请至少选择一个巡视对象。"),
            "invalid_choice": _("所选对象不在可选范围内。"),
            "invalid_pk_value": _("所选对象不在可选范围内。"),
        },
    )

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[OrgUnit],
        skills: Sequence[str],
        body: InspectingBody,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = candidates  # type: ignore[attr-defined]
        for name in ("teams", "targets"):  # 巡察组数, 巡察对象 below the province
            self.fields[name].label = body.own_words(str(self.fields[name].label))
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"skill_{skill}"] = _number(skill, 0, 20, initial=0, required=False)
        self.sectors = [s for s in CAPPED_SECTORS if candidates.filter(sector=s).exists()]
        for sector in self.sectors:
            self.fields[f"max_{sector}"] = _number(
                sector.label, 0, 20, required=False, help_text=_("留空为不限")
            )

    def skill_fields(self) -> list[forms.BoundField]:
        return [self[f"skill_{s}"] for s in self.skills]

    def sector_fields(self) -> list[forms.BoundField]:
        return [self[f"max_{s}"] for s in self.sectors]

    def main_fields(self) -> list[forms.BoundField]:
        names = ["teams", "targets_per_team", "size_lo", "size_hi", "time_limit_s", "seed"]
        return [self[n] for n in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["params"] = RoundParams(
                teams=data["teams"],
                targets_per_team=data["targets_per_team"],
                team_size=(data["size_lo"], data["size_hi"]),
                team_skills=tuple(
                    (s, n) for s in self.skills if (n := data.get(f"skill_{s}")) and n > 0
                ),
                max_per_team=tuple(
                    (str(s), n) for s in self.sectors if (n := data.get(f"max_{s}")) is not None
                ),
                time_limit_s=float(data["time_limit_s"]),
                seed=data["seed"],
            )
        except ValidationError as e:
            raise forms.ValidationError(e.messages) from e
        return data


class ScheduleForm(forms.Form):
    """驻村安排: how a village round's teams go through their villages."""

    first = forms.DateField(
        label=_("驻村开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label=_("驻村结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mode = forms.ChoiceField(
        label=_("进驻方式"),
        choices=[("sequence", _("依次进驻（每次一个村）")), ("batch", _("分批进驻（每批几个村）"))],
        initial="sequence",
        widget=forms.RadioSelect,
    )
    batch_size = _number(
        _("每批村（社区）数"),
        1,
        MAX_TARGETS_PER_TEAM,
        initial=2,
        required=False,
        help_text=_("仅分批进驻时填写。"),
    )
    days_per_village = _number(
        _("每村（每批）进驻工作日"), 1, 60, initial=3, help_text=_("不含周末和法定节假日。")
    )
    group_by_township = forms.BooleanField(
        label=_("同一乡镇的村连续安排"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "batch" and not data.get("batch_size"):
            self.add_error("batch_size", _("分批进驻时请填写每批村（社区）数。"))
        data["batch_size"] = data.get("batch_size") or 1
        return data


# --- the working copy of a plan ----------------------------------------------------------------


def parse_teams(
    raw: str, *, count: int, cadres: Iterable[str], targets: Iterable[str]
) -> list[dict[str, Any]]:
    """The `count` teams of a posted working copy, checked for shape and for ids of the problem."""
    if len(raw.encode()) > MAX_PLAN_BYTES:
        raise ValidationError(_("方案数据过大。"))
    try:
        data = json.loads(raw)
    except ValueError as e:
        raise ValidationError(_("方案数据格式有误。")) from e
    if not isinstance(data, list) or len(data) != count:
        raise ValidationError(_("方案数据格式有误。"))
    known_cadres, known_targets = set(cadres), set(targets)
    teams = []
    for team in data:
        if not isinstance(team, dict) or set(team) != {"leader", "members", "targets"}:
            raise ValidationError(_("方案数据格式有误。"))
        leader, members, places = team["leader"], team["members"], team["targets"]
        ok = (
            isinstance(leader, str)
            and isinstance(members, list)
            and isinstance(places, list)
            and all(isinstance(c, str) for c in members + places)
        )
        if not ok:
            raise ValidationError(_("方案数据格式有误。"))
        if not {leader, *members} <= known_cadres | {""} or not set(places) <= known_targets:
            raise ValidationError(_("方案中有本次计算以外的干部或对象。"))
        teams.append({"leader": leader, "members": list(members), "targets": list(places)})
    return teams


class WorkingPlanForm(forms.Form):
    """The working copy of the plan's teams, carried by the page as JSON."""

    plan = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, problem: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problem = problem

    def clean_plan(self) -> list[dict[str, Any]] | None:
        raw = self.cleaned_data["plan"].strip()
        if not raw:
            return None
        return parse_teams(
            raw,
            count=self.problem.get("teams", 0),
            cadres=(c["id"] for c in self.problem.get("cadres", [])),
            targets=(t["id"] for t in self.problem.get("targets", [])),
        )


EDIT_OPS = ("open", "swap_target", "replace_member", "move_member", "reset")


class PlanEditForm(WorkingPlanForm):
    """One edit of the working copy, made on a team's card."""

    op = forms.ChoiceField(choices=[(op, op) for op in EDIT_OPS])
    team = forms.IntegerField(min_value=1, required=False)
    target = forms.CharField(required=False, max_length=32)
    other = forms.CharField(required=False, max_length=32)
    member = forms.CharField(required=False, max_length=32)
    replacement = forms.CharField(required=False, max_length=32)
    to_team = forms.IntegerField(min_value=1, required=False)

    def apply(self, teams: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The teams after the edit; ValidationError (Chinese) if it does not fit them."""
        data = self.cleaned_data
        op = data["op"]
        if op in ("open", "reset"):
            return teams
        index = (data.get("team") or 0) - 1
        if not 0 <= index < len(teams):
            raise ValidationError(_("没有这个巡视组。"))
        teams = [dict(t, members=list(t["members"]), targets=list(t["targets"])) for t in teams]
        team = teams[index]
        if op == "swap_target":
            _swap_target(teams, team, data["target"], data["other"])
        elif op == "replace_member":
            _replace_member(teams, team, data["member"], data["replacement"])
        else:
            _move_member(teams, team, data["member"], (data.get("to_team") or 0) - 1)
        return teams


def _swap_target(teams: list[dict[str, Any]], team: dict[str, Any], mine: str, other: str) -> None:
    if mine not in team["targets"]:
        raise ValidationError(_("请选择本组的一个巡视对象。"))
    holder = next((t for t in teams if other in t["targets"]), None)
    if holder is None or holder is team:
        raise ValidationError(_("请选择其他组的一个巡视对象。"))
    team["targets"][team["targets"].index(mine)] = other
    holder["targets"][holder["targets"].index(other)] = mine


def _replace_member(teams: list[dict[str, Any]], team: dict[str, Any], old: str, new: str) -> None:
    if old not in team["members"]:
        raise ValidationError(_("请选择本组的一名成员。"))
    if not new:
        raise ValidationError(_("请选择替换的干部。"))
    if any(new in t["members"] for t in teams):
        raise ValidationError(_("该干部已在方案的某个组中，请改用“调至他组”。"))
    team["members"][team["members"].index(old)] = new
    if team["leader"] == old:
        team["leader"] = new


def _move_member(teams: list[dict[str, Any]], team: dict[str, Any], who: str, to: int) -> None:
    if who not in team["members"]:
        raise ValidationError(_("请选择本组的一名成员。"))
    if who == team["leader"]:
        raise ValidationError(_("组长不能调至他组，请改用“替换”。"))
    if not 0 <= to < len(teams) or teams[to] is team:
        raise ValidationError(_("请选择要调往的其他组。"))
    team["members"].remove(who)
    teams[to]["members"].append(who)

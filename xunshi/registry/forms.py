"""Forms of the registry pages: list filters, the organization and cadre editors, a waiver.

The editors check what a person can get wrong in a field (a credit code's check character, a
region or unit code that does not exist) and say so under the field; the actions check again.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from planner.avoidance import RULES
from xunshi.lib.ids import IdError, normalize_uscc
from xunshi.lib.pickers import PickerInput

from .actions import CadreInput, KinInput, OrgInput, StudyInput, WorkInput
from .models import Cadre, InspectingBody, OrgUnit, Region, Sector

__all__ = ["CadreFilterForm", "CadreForm", "OrgFilterForm", "OrgForm", "WaiverForm"]

_ANY = [("", _("全部"))]
_YES_NO = [*_ANY, ("1", _("是")), ("0", _("否"))]
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def _split(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in _LIST_SEPARATORS.split(text) if p))


class _Filters(forms.Form):
    """A GET filter form: values that do not validate are simply ignored."""

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return self.cleaned_data

    def query(self) -> str:
        """The filters as a query string for the pagination links."""
        self.is_valid()
        return urlencode({k: v for k, v in self.data.items() if k in self.cleaned_data and v})


class OrgFilterForm(_Filters):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    sector = forms.ChoiceField(label=_("板块"), required=False, choices=[*_ANY, *Sector.choices])
    tag = forms.ChoiceField(label=_("标签"), required=False)
    city = forms.ChoiceField(label=_("所属地市"), required=False)
    in_scope = forms.ChoiceField(label=_("纳入巡视范围"), required=False, choices=_YES_NO)

    def __init__(self, data: Any, *, tags: list[str], cities: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["tag"].choices = [*_ANY, *((t, t) for t in tags)]  # type: ignore[attr-defined]
        self.fields["city"].choices = [*_ANY, *cities]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = super().filters()
        return {
            "q": data.get("q", ""),
            "sector": data.get("sector", ""),
            "tag": data.get("tag", ""),
            "city": data.get("city", ""),
            "in_scope": _yes_no(data.get("in_scope")),
        }


class CadreFilterForm(_Filters):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    skill = forms.ChoiceField(label=_("专业类别"), required=False)
    can_lead = forms.ChoiceField(label=_("可任组长"), required=False, choices=_YES_NO)
    active = forms.ChoiceField(label=_("在库"), required=False, choices=_YES_NO)

    def __init__(self, data: Any, *, skills: list[str]) -> None:
        super().__init__(data)
        self.fields["skill"].choices = [*_ANY, *((s, s) for s in skills)]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = super().filters()
        return {
            "q": data.get("q", ""),
            "skill": data.get("skill", ""),
            "can_lead": _yes_no(data.get("can_lead")),
            "active": _yes_no(data.get("active")),
        }


_ORG_SEARCH = _("搜索单位名称、拼音首字母或编码")


def _region_code(value: str) -> str:
    code = value.strip()
    if code and not Region.objects.filter(code=code).exists():
        raise forms.ValidationError(_("行政区划代码“%(code)s”不存在。"), params={"code": code})
    return code


def _org_code(value: str, what: str | Promise) -> str:
    code = value.strip()
    if code and not OrgUnit.objects.filter(code=code).exists():
        raise forms.ValidationError(
            _("%(what)s“%(code)s”不在单位名录中。"), params={"what": what, "code": code}
        )
    return code


class TeamAccessGraceForm(forms.Form):
    """How long a team still reads an inspection's case records after it closes."""

    days = forms.IntegerField(
        label=_("办结后巡视组查阅期限（天）"),
        min_value=0,
        max_value=365,
        help_text=_(
            "巡视办结后，巡视组成员在此天数内仍可查阅谈话、信访、线索、底稿和附件；"
            "期满后仅巡视办可查阅。"
        ),
    )


class OrgForm(forms.Form):
    """An organization's facts; on edit the code is fixed, since upserts are keyed by it."""

    body = forms.ModelChoiceField(
        label=_("派出巡视的党组织"), queryset=InspectingBody.objects.none(), empty_label=None
    )
    code = forms.CharField(label=_("单位编码"), max_length=32)
    name = forms.CharField(label=_("单位名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    sector = forms.ChoiceField(label=_("板块"), choices=Sector.choices)
    region_code = forms.CharField(
        label=_("行政区划代码"),
        max_length=12,
        required=False,
        help_text=_("GB/T 2260 代码，如 410225"),
    )
    parent_code = forms.CharField(
        label=_("上级单位编码"),
        max_length=32,
        required=False,
        widget=PickerInput(url=reverse_lazy("pick_org"), search_label=_ORG_SEARCH),
    )
    tags = forms.CharField(
        label=_("标签"), max_length=200, required=False, help_text=_("多个标签用顿号或逗号分隔")
    )
    headcount = forms.IntegerField(label=_("党员/职工人数"), min_value=0, required=False)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40, required=False)
    principal_name = forms.CharField(label=_("主要负责人"), max_length=50, required=False)
    principal_post = forms.CharField(label=_("主要负责人职务"), max_length=50, required=False)
    principal_code = forms.CharField(
        label=_("主要负责人干部编号"),
        max_length=32,
        required=False,
        help_text=_("主要负责人在干部库中时填写，用于上下级关系回避"),
        widget=PickerInput(url=reverse_lazy("pick_cadre")),
    )
    in_scope = forms.BooleanField(label=_("纳入巡视范围"), required=False, initial=True)

    def __init__(
        self,
        data: Any = None,
        *,
        org: OrgUnit | None = None,
        bodies: QuerySet[InspectingBody] | None = None,
    ) -> None:
        initial = None
        if org is not None:
            initial = {
                "code": org.code,
                "name": org.name,
                "short_name": org.short_name,
                "sector": org.sector,
                "region_code": org.region_id or "",
                "parent_code": org.parent.code if org.parent else "",
                "tags": "、".join(org.tags),
                "headcount": org.headcount,
                "uscc": org.uscc,
                "principal_name": org.principal_name,
                "principal_post": org.principal_post,
                "principal_code": org.principal.code if org.principal else "",
                "in_scope": org.in_scope,
            }
        super().__init__(data, initial=initial)
        self.org = org
        self.bodies = list(bodies) if bodies is not None else []
        if org is not None:
            self.fields["code"].disabled = True
        if org is not None or len(self.bodies) <= 1:
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip()
        if self.org is None and OrgUnit.objects.filter(code=code).exists():
            raise forms.ValidationError(_("单位编码“%(code)s”已被使用。"), params={"code": code})
        return code

    def clean_uscc(self) -> str:
        value: str = self.cleaned_data["uscc"]
        if not value.strip():
            return ""
        try:
            return normalize_uscc(value)
        except IdError as e:
            raise forms.ValidationError(str(e)) from e

    def clean_region_code(self) -> str:
        return _region_code(self.cleaned_data["region_code"])

    def clean_parent_code(self) -> str:
        code = _org_code(self.cleaned_data["parent_code"], _("上级单位编码"))
        if code and self.org is not None:
            # Walk up from the new parent: meeting this organization would close a loop.
            seen: set[str] = set()
            node = OrgUnit.objects.select_related("parent").filter(code=code).first()
            while node is not None and node.code not in seen:
                if node.pk == self.org.pk:
                    raise forms.ValidationError(_("上级单位不能是本单位或其下属单位。"))
                seen.add(node.code)
                node = node.parent
        return code

    def clean_principal_code(self) -> str:
        code: str = self.cleaned_data["principal_code"].strip()
        if code and not Cadre.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("干部库中没有人员编号“%(code)s”。"), params={"code": code}
            )
        return code

    def body_for_save(self) -> InspectingBody:
        if self.org is not None:
            return self.org.body
        if "body" in self.fields:
            body: InspectingBody = self.cleaned_data["body"]
            return body
        if not self.bodies:
            raise forms.ValidationError(_("尚未登记派出巡视的党组织。"))
        return self.bodies[0]

    def to_input(self) -> OrgInput:
        d = self.cleaned_data
        return OrgInput(
            code=d["code"],
            name=d["name"].strip(),
            sector=d["sector"],
            short_name=d["short_name"].strip(),
            region_code=d["region_code"],
            parent_code=d["parent_code"],
            tags=_split(d["tags"]),
            headcount=d["headcount"],
            uscc=d["uscc"],
            principal_name=d["principal_name"].strip(),
            principal_post=d["principal_post"].strip(),
            principal_code=d["principal_code"],
            in_scope=d["in_scope"],
        )


class CadreForm(forms.Form):
    """A cadre's basic fields; the histories come by Excel import and are kept as they are."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    rank = forms.CharField(label=_("职级"), max_length=30, required=False)
    unit_code = forms.CharField(
        label=_("所在单位编码"),
        max_length=32,
        required=False,
        help_text=_("所在单位在单位名录中时填写"),
        widget=PickerInput(url=reverse_lazy("pick_org"), search_label=_ORG_SEARCH),
    )
    unit_name = forms.CharField(
        label=_("单位名称"),
        max_length=100,
        required=False,
        help_text=_("不填时取所在单位编码对应的单位名称"),
    )
    post = forms.CharField(label=_("职务"), max_length=100, required=False)
    skills = forms.CharField(
        label=_("专业类别"),
        max_length=200,
        required=False,
        help_text=_("多个类别用顿号或逗号分隔"),
    )
    can_lead = forms.BooleanField(label=_("可任组长"), required=False)
    origin_code = forms.CharField(
        label=_("籍贯（行政区划代码）"),
        max_length=12,
        required=False,
        help_text=_("用于地域回避，如 410225"),
    )
    active = forms.BooleanField(label=_("在库"), required=False)

    def __init__(self, data: Any = None, *, cadre: Cadre) -> None:
        super().__init__(
            data,
            initial={
                "name": cadre.name,
                "rank": cadre.rank,
                "unit_code": cadre.unit.code if cadre.unit else "",
                "unit_name": cadre.unit_name,
                "post": cadre.post,
                "skills": "、".join(cadre.skills),
                "can_lead": cadre.can_lead,
                "origin_code": cadre.origin_id or "",
                "active": cadre.active,
            },
        )
        self.cadre = cadre

    def clean_unit_code(self) -> str:
        return _org_code(self.cleaned_data["unit_code"], _("所在单位编码"))

    def clean_origin_code(self) -> str:
        return _region_code(self.cleaned_data["origin_code"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit_name", "").strip() and "unit_code" in data:
            code = data["unit_code"]
            unit = OrgUnit.objects.filter(code=code).first() if code else None
            if unit is None:
                self.add_error("unit_name", _("请填写单位名称或所在单位编码。"))
            else:
                data["unit_name"] = unit.name
        return data

    def to_input(
        self,
        histories: tuple[tuple[WorkInput, ...], tuple[StudyInput, ...], tuple[KinInput, ...]],
    ) -> CadreInput:
        d, c = self.cleaned_data, self.cadre
        work, study, kin = histories
        return CadreInput(
            code=c.code,
            name=d["name"].strip(),
            gender=c.gender,
            # The masked copy tells cadre_upsert to keep the sealed number as it is.
            id_number=c.id_number_masked,
            unit_name=d["unit_name"].strip(),
            rank=d["rank"].strip(),
            unit_code=d["unit_code"],
            post=d["post"].strip(),
            skills=_split(d["skills"]),
            can_lead=d["can_lead"],
            origin_code=d["origin_code"],
            active=d["active"],
            work=work,
            study=study,
            kin=kin,
        )


class WaiverForm(forms.Form):
    cadre = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.ChoiceField(
        label=_("回避规则"), choices=sorted(RULES.items()), widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("豁免理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    approver = forms.CharField(label=_("批准人"), max_length=50)

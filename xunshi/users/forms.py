"""Opening an account and granting a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.models import AdminRequestKind, Role
from xunshi.lib.pickers import PickerInput
from xunshi.registry.models import InspectingBody

from .access import grantable_cadres, grantable_orgs


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    password = forms.CharField(
        label=_("初始密码"),
        widget=forms.PasswordInput,
        help_text=_("至少10位，含大小写字母、数字、符号中的三类；首次登录须修改。"),
    )


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    cadre_code = forms.CharField(
        label=_("干部人员编号（巡视组干部）"),
        required=False,
        widget=PickerInput(url=reverse_lazy("user_pick_cadre")),
    )
    org_code = forms.CharField(
        label=_("单位编码（联络员）"),
        required=False,
        widget=PickerInput(
            url=reverse_lazy("user_pick_org"), search_label=_("搜索单位名称、拼音首字母或编码")
        ),
    )
    body = forms.ModelChoiceField(
        label=_("所属党组织（巡视办工作人员、领导小组成员）"),
        queryset=InspectingBody.objects.order_by("pk"),
        required=False,
    )
    reason = forms.CharField(
        label=_("申请理由（授予管理员角色须经另一名管理员批准）"),
        max_length=500,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["cadre"] = None
        data["org"] = None
        if data.get("cadre_code"):
            data["cadre"] = grantable_cadres().filter(code=data["cadre_code"].strip()).first()
            if data["cadre"] is None:
                self.add_error("cadre_code", _("干部库中没有这个人员编号。"))
        if data.get("org_code"):
            data["org"] = grantable_orgs().filter(code=data["org_code"].strip()).first()
            if data["org"] is None:
                self.add_error("org_code", _("单位名录中没有这个单位编码。"))
        return data


class AdminRequestForm(forms.Form):
    """A change to an admin's account, asked from the account list."""

    kind = forms.ChoiceField(
        label=_("变更事项"),
        choices=[
            (k.value, k.label)
            for k in (AdminRequestKind.DISABLE, AdminRequestKind.ENABLE, AdminRequestKind.UNLOCK)
        ],
    )
    reason = forms.CharField(label=_("申请理由"), max_length=500)


class DecisionForm(forms.Form):
    """A second admin's decision: the note is the reason when it refuses."""

    note = forms.CharField(label=_("处理意见"), max_length=200, required=False)

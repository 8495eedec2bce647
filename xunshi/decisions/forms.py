"""Forms of the leading group's records: they parse, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xunshi.files.forms import UploadField


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DecisionForm(forms.Form):
    meeting_number = forms.IntegerField(label=_("领导小组第几次会议"), min_value=1, max_value=999)
    held_on = forms.DateField(label=_("会议日期"), widget=_date_input())
    opinion = forms.CharField(
        label=_("会议意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minutes = UploadField(
        label=_("会议纪要"),
        required=False,
        help_text=_("代为记录纸面决定时必须上传；领导小组成员记录时可不上传。"),
    )

    def __init__(self, *args: Any, committee: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if committee:
            self.fields["meeting_number"].label = _("党委常委会第几次会议")


class PaperPledgeForm(forms.Form):
    signed_on = forms.DateField(label=_("签署日期"), widget=_date_input())
    scan = UploadField(label=_("承诺书扫描件"))

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_DAYS, TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=50, help_text=_("如“督查系统同步台账”"))
    scope = forms.ChoiceField(label=_("权限范围"), choices=TokenScope.choices)
    days = forms.IntegerField(
        label=_("有效期（天）"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=30,
        help_text=_("最长%(days)s天，到期后须另建。") % {"days": MAX_DAYS},
    )

"""Forms of the inspection's own pages: they parse, the actions decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.rounds.models import Stage


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("转入阶段"), choices=Stage.choices)
    on = forms.DateField(label=_("日期"), required=False)
    reason = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def clean_on(self) -> object:
        on = self.cleaned_data.get("on")
        today = timezone.localdate()
        if on and on > today:
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return on or today

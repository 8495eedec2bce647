"""The trail's filters: a date range, the user, the kind of action, the type of object and its
id; each matched exactly (the trail is two million rows: a part of a name is no index's range)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .names import ACTION_NAMES, OBJECT_TYPE_NAMES
from .queries import TrailFilter


def _choices(names: dict[str, Any], everything: str) -> list[tuple[str, str]]:
    # In the order of the codes, so that the actions of one area of the work stand together.
    return [("", everything), *((code, str(names[code])) for code in sorted(names))]


def _action_choices() -> list[tuple[str, str]]:
    return _choices(ACTION_NAMES, str(_("全部操作")))


def _type_choices() -> list[tuple[str, str]]:
    return _choices(OBJECT_TYPE_NAMES, str(_("全部类型")))


class TrailFilterForm(forms.Form):
    start = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.CharField(label=_("用户（完整姓名或用户名）"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=_action_choices)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False, choices=_type_choices)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    # Where a page starts: below the id before (older), above the id after (newer); the
    # pages' links set them, so they are not shown.
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].error_messages["invalid"] = _("起始日期格式不对，请按“年-月-日”填写。")
        self.fields["end"].error_messages["invalid"] = _("截止日期格式不对，请按“年-月-日”填写。")
        for name in ("before", "after"):
            self.fields[name].label = _("翻页位置")
            self.fields[name].error_messages["invalid"] = _("翻页位置不对，请从第一页重新翻页。")
            self.fields[name].error_messages["min_value"] = _("翻页位置不对，请从第一页重新翻页。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data

    def trail_filter(self) -> TrailFilter:
        """The filter the valid form describes."""
        data = self.cleaned_data
        return TrailFilter(
            start=data.get("start"),
            end=data.get("end"),
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
        )

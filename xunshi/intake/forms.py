"""Forms of the portal pages: they parse, the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xunshi.rounds.models import Inspection

__all__ = ["AnnouncementForm", "RouteForm"]


class AnnouncementForm(forms.Form):
    phone = forms.CharField(label=_("值班电话"), max_length=50)
    mailbox = forms.CharField(label=_("邮政信箱"), max_length=100, required=False)
    address = forms.CharField(label=_("通讯地址"), max_length=200, required=False)
    scope = forms.CharField(label=_("受理范围"), widget=forms.Textarea(attrs={"rows": 4}))


class _InspectionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.team.name}（{obj.target.name}）"


class RouteForm(forms.Form):
    """Which inspection taking petitions an unrouted report goes to."""

    inspection = _InspectionChoice(label=_("分送至"), queryset=Inspection.objects.none())

    def __init__(
        self, *args: Any, inspections: Any, choices: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = inspections.select_related("target", "team")
        if choices is not None:
            # The options drawn once for every form of the page, not one query a form.
            field.widget.choices = choices  # type: ignore[attr-defined]

    def drawn_choices(self) -> list[Any]:
        """The options of the select, to hand to the page's other forms (`choices`)."""
        return list(self.fields["inspection"].choices)  # type: ignore[attr-defined]

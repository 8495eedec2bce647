from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xunshi.searchindex.kinds import SearchKind

__all__ = ["SearchForm"]


def _day(label: Any, name: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("%(label)s（%(name)s）不是有效日期，请按 2026-01-31 的格式填写。")
            % {"label": label, "name": name}
        },
    )


class SearchForm(forms.Form):
    """The page's query: words, a kind, dates (in the URL as q, kind, from and to)."""

    q = forms.CharField(label=_("检索词"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类别"), required=False)
    start = _day(_("起始日期"), "from")
    end = _day(_("截止日期"), "to")

    def __init__(self, params: Any, *, kinds: list[SearchKind]) -> None:
        data = {
            "q": params.get("q", ""),
            "kind": params.get("kind", ""),
            "start": params.get("from", ""),
            "end": params.get("to", ""),
        }
        super().__init__(data)
        choices = [("", _("全部类别")), *((k.name, k.label) for k in kinds)]
        self.fields["kind"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

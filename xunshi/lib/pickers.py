"""A search box for a person or a unit beside the field that takes its code.

Forms that ask for a cadre's or an organization's code (team membership, an inspection's
target, a unit's parent, a cadre's unit) keep their code field and their checks: the
action and its refusals are unchanged. `PickerInput` draws that field with a search box
under it. Typing a part of a name, its pinyin initials or a code asks the form's search URL
(htmx, GET ``?q=``) for at most a screenful of options, each a button that carries the code;
a click (static/js/picker.js) writes the code into the field and shows the name chosen.
Without a URL, or without scripts, the field is the plain code input it was.

The search URL is a view of the room that scopes the choices (the round's pool and registry,
the body's registry), returning `templates/_pick_options.html`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

__all__ = ["PICK_LIMIT", "PickerInput"]

# The options a search returns: a screenful; a longer part of the name narrows them.
PICK_LIMIT = 20


class PickerInput(forms.TextInput):
    """A code input with a search box (name, pinyin initials, code) that fills it."""

    def __init__(self, *, url: str | Promise = "", search_label: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url = url
        self.search_label = search_label or _("搜索姓名、拼音首字母或编号")

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        field = super().render(name, value, attrs, renderer)
        if not self.url:
            return field
        return format_html(
            '<div class="picker">{field}'
            '<input type="search" class="picker-q" name="q" autocomplete="off"'
            ' placeholder="{label}" aria-label="{label}" hx-get="{url}"'
            ' hx-trigger="input changed delay:250ms, search" hx-target="next .picker-options"'
            ' hx-swap="innerHTML">'
            '<div class="picker-options" role="listbox" aria-label="{label}"></div>'
            '<div class="picker-chosen muted" aria-live="polite"></div></div>',
            field=field,
            label=self.search_label,
            url=self.url,
        )

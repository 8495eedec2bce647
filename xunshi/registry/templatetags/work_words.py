"""`{{ _("巡视组")|own_words:round.body }}`: a page's label in the words of the body whose work
it shows, 巡视 at the province and 巡察 below (`InspectingBody.own_words`).

The label stays a msgid of its own, so the English catalogue keeps translating it; the filter
changes only the Chinese, and keeps a translation marked safe (a `blocktranslate … asvar`)
safe.
"""

from __future__ import annotations

from django import template

from ..models import InspectingBody

register = template.Library()


@register.filter(is_safe=True)
def own_words(text: str, body: InspectingBody) -> str:
    return body.own_words(str(text))

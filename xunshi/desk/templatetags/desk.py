"""The header's reminder badge, loaded by templates/base.html: `{% reminder_badge %}`."""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.desk.queries import unread_count

register = template.Library()


@register.inclusion_tag("desk/_badge.html", takes_context=True)
def reminder_badge(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user) if user is not None else 0, "shown": user is not None}

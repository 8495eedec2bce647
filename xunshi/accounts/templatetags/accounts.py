"""The header's alert of locked accounts for the security admin, loaded by
templates/base.html: `{% lockout_badge %}`."""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.accounts.queries import open_lockout_count

register = template.Library()


@register.inclusion_tag("accounts/_lockout_badge.html", takes_context=True)
def lockout_badge(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"locked": open_lockout_count(user) if user is not None else 0}

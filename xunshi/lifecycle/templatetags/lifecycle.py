"""`{% stage_buttons inspection back %}`: the stage buttons on any page of an inspection.

The ledger (rectification) and the report page (findings) sit below the lifecycle and
cannot import it; they show its buttons through this tag, resolved by name when the
page renders, the way they link to its URLs by name.
"""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.rounds.models import Inspection

from ..views import transition_context

register = template.Library()


@register.inclusion_tag("lifecycle/_stage_buttons.html", takes_context=True)
def stage_buttons(context: Any, inspection: Inspection, back: str = "") -> dict[str, Any]:
    """What the user may press next on this inspection, with what blocks each button."""
    request = context["request"]
    return {
        "inspection": inspection,
        "csrf_token": context.get("csrf_token"),
        **transition_context(request.user, inspection, back or request.path),
    }

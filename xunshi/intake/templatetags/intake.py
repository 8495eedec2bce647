"""``{% portal_panel petition %}``: what a portal petition adds to its page (the status the
reporter reads, the files' clean copies, the follow-ups), for whoever may read the petition."""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.accounts.access import can
from xunshi.fieldwork.models import Petition

from ..access import petition_portal_files
from ..models import PortalSubmission
from ..push import is_pending
from ..queries import petition_followups, petition_report

register = template.Library()


def _files(sub: PortalSubmission, visible: set[int]) -> list[dict[str, Any]]:
    return [
        {
            "n": n,
            "name": f.get("name", ""),
            "attachment": f.get("attachment") if f.get("attachment") in visible else None,
            "refused": f.get("refused", ""),
        }
        for n, f in enumerate(sub.files, 1)
    ]


@register.inclusion_tag("intake/_petition_portal.html", takes_context=True)
def portal_panel(context: template.Context, petition: Petition) -> dict[str, Any]:
    user = context["request"].user
    report = petition_report(petition)
    if report is None:
        return {"report": None}
    visible = set(petition_portal_files(user, petition).values_list("pk", flat=True))
    return {
        "report": report,
        "files": _files(report, visible),
        "followups": [(f, _files(f, visible)) for f in petition_followups(petition)],
        "office": can(user, "portal.manage"),
        "push_pending": is_pending(report),
    }

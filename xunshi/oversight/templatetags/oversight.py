"""`{% filing_status round %}`: the state of a round's plan filing (报备) on the round's page.

The round's page belongs to rounds, below oversight; it shows this fragment through the tag,
resolved by name when the page renders. The office and the leading group of the round's body
see whether the plan went up, was returned (with the reason) or accepted; the office gets the
button that files it again.
"""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.accounts.access import can
from xunshi.rounds.models import Round

from ..models import FilingStatus
from ..queries import plan_filing, round_started

register = template.Library()


@register.inclusion_tag("oversight/_filing_status.html", takes_context=True)
def filing_status(context: Any, rnd: Round) -> dict[str, Any]:
    """The round's plan filing as its own body sees it; nothing for anybody else."""
    user = context["request"].user
    parent = rnd.body.parent
    if parent is None or not can(user, "oversight.view") or user.body_id != rnd.body_id:
        return {"show": False}
    filing = plan_filing(rnd)
    may_refile = round_started(rnd) if filing is None else filing.status == FilingStatus.RETURNED
    return {
        "show": True,
        "round": rnd,
        "parent": parent,
        "filing": filing,
        "may_refile": may_refile and can(user, "oversight.file"),
        "csrf_token": context.get("csrf_token"),
    }

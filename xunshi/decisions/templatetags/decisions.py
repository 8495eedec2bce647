"""Fragments of the leading group's records on the pages of rounds (floor below):
`{% round_approval round %}`, `{% year_plan_approval plan %}` and `{% paper_pledges team %}`.

Rounds cannot import this room; its templates load these tags by name, as the ledger shows
the lifecycle's stage buttons.
"""

from __future__ import annotations

from typing import Any

from django import template

from xunshi.accounts.access import can
from xunshi.accounts.models import Role, User
from xunshi.rounds.models import Round, Team, YearPlan, YearPlanStatus

from ..access import may_record
from ..forms import DecisionForm, PaperPledgeForm
from ..models import Decision, DecisionKind
from ..queries import (
    cadres_with_account,
    decision_of,
    paper_pledges_of,
    round_approvals,
)

register = template.Library()


def _reads_minutes(user: User) -> bool:
    return user.role in (Role.OFFICE, Role.LEADING_GROUP)


def _panel(
    context: Any, decision: Decision | None, action: str, pk: int, open_: bool
) -> dict[str, Any]:
    user = context["request"].user
    return {
        "decision": decision,
        "reads_minutes": _reads_minutes(user),
        "form": DecisionForm() if decision is None and open_ and may_record(user) else None,
        "office": user.role == Role.OFFICE,
        "action": action,
        "pk": pk,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("decisions/_approval.html", takes_context=True)
def round_approval(context: Any, round: Round) -> dict[str, Any]:
    """The round plan's approval by the leading group, or the form to record it (again, with
    the approval a change of the teams withdrew)."""
    decision, withdrawn = round_approvals(round)
    panel = _panel(context, decision, "round_approve", round.pk, round.inspections.exists())
    return panel | {"what": "round", "body": round.body, "withdrawn": withdrawn}


@register.inclusion_tag("decisions/_approval.html", takes_context=True)
def year_plan_approval(context: Any, plan: YearPlan) -> dict[str, Any]:
    """The year plan's approval by the leading group, or the form to record it (a draft)."""
    decision = decision_of(DecisionKind.YEAR_PLAN, year_plan=plan)
    open_ = plan.status == YearPlanStatus.DRAFT
    panel = _panel(context, decision, "year_plan_approve", plan.pk, open_)
    return panel | {"what": "year_plan", "body": plan.body}


@register.inclusion_tag("decisions/_paper_pledges.html", takes_context=True)
def paper_pledges(context: Any, team: Team, members: list[Any]) -> dict[str, Any]:
    """The paper pledges of the team's members, and for the office the form to enter one for
    a member without an account who has not signed."""
    user = context["request"].user
    papers = paper_pledges_of(members)
    with_account = cadres_with_account([m.cadre_id for m in members])
    may_enter = can(user, "pledge.record")
    rows = [
        {
            "member": m,
            "paper": papers.get(m.pk),
            "form": (
                PaperPledgeForm(prefix=f"m{m.pk}")
                if may_enter and m.pledge_signed_at is None and m.cadre_id not in with_account
                else None
            ),
        }
        for m in members
        if m.pk in papers or (may_enter and m.pledge_signed_at is None)
    ]
    return {
        "rows": rows,
        "reads_scans": _reads_minutes(user),
        "csrf_token": context.get("csrf_token"),
        "team": team,
    }

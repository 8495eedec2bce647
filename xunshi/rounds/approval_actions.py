"""The only code that writes the leading group's approval of a round's plan (审批巡视工作方案)
onto the round: set when the decisions room records it, withdrawn when the teams change.

The approval covers the teams as they stood at the meeting. A team formed, a member added or
a target given to a team not yet authorized (its inspections all still planned) withdraws it:
the round goes back to the leading group before any of its teams is authorized
(`_round_approved` in the lifecycle). The decision stays in the record as history. A change to
a team already authorized follows the checks of the change itself (avoidance, 一托N) and
leaves the approval as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xunshi.accounts.actors import Actor
from xunshi.audit.actions import record

from .models import Round, Stage, Team

__all__ = ["round_mark_plan_approved", "round_plan_approval_withdraw"]


def round_mark_plan_approved(*, actor: Actor, round: Round, on: dt.date, meeting: str) -> Round:
    """The round's plan approved at the meeting. Called by the decisions room's
    `decision_record` inside its transaction, which records the event."""
    round.plan_approved_on = on
    round.plan_approved_by_meeting = meeting
    round.save(update_fields=["plan_approved_on", "plan_approved_by_meeting"])
    return round


def round_plan_approval_withdraw(*, actor: Actor, team: Team, change: str) -> bool:
    """Withdraw the approval of the team's round when the team, not yet authorized, changes
    (`change` says how, for the audit trail); False when there was none to withdraw. Called
    inside the transaction of the change; the round object passed in is updated too."""
    rnd = team.round
    if rnd.plan_approved_on is None:
        return False
    if team.inspections.exclude(stage__in=[Stage.PLANNED, Stage.CANCELLED]).exists():
        return False
    with transaction.atomic():
        before = {
            "plan_approved_on": rnd.plan_approved_on,
            "plan_approved_by_meeting": rnd.plan_approved_by_meeting,
        }
        rnd.plan_approved_on = None
        rnd.plan_approved_by_meeting = ""
        rnd.save(update_fields=["plan_approved_on", "plan_approved_by_meeting"])
        record(
            actor=actor,
            action="rounds.round.plan_withdraw",
            obj=rnd,
            before=before,
            after={"plan_approved_on": None, "reason": change, "team": team.name},
        )
    return True

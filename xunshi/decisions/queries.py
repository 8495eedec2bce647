"""Read-side of the decisions: the records of a subject, and what waits for the leading group.

`waiting_for_group(user)` is what the leading group's page lists (and another helper's home
page counts): draft year plans, rounds with targets and no approved plan, reports to hear
(inspections at 巡视办审核), reports heard without the committee's decision. Counted and
limited in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from xunshi.accounts.models import Role, User
from xunshi.rounds.models import (
    Inspection,
    Round,
    Stage,
    TeamMembership,
    YearPlan,
    YearPlanStatus,
)

from .models import Decision, DecisionKind, PaperPledge

__all__ = [
    "Waiting",
    "cadres_with_account",
    "decision_of",
    "paper_pledges_of",
    "round_approvals",
    "round_approved",
    "rounds_waiting",
    "waiting_for_group",
    "year_plans_waiting",
]

WAITING_LIMIT = 50


@dataclass(frozen=True)
class Waiting:
    year_plans: list[YearPlan]
    rounds: list[Round]
    to_hear: list[Inspection]
    to_decide: list[Inspection]

    @property
    def total(self) -> int:
        return len(self.year_plans) + len(self.rounds) + len(self.to_hear) + len(self.to_decide)


def decision_of(
    kind: str,
    *,
    year_plan: YearPlan | None = None,
    round: Round | None = None,
    inspection: Inspection | None = None,
) -> Decision | None:
    """The decision of that kind on the subject, if recorded."""
    subject = {"year_plan": year_plan, "round": round, "inspection": inspection}
    return (
        Decision.objects.filter(kind=kind, **{k: v for k, v in subject.items() if v is not None})
        .select_related("recorded_by", "minutes")
        .first()
    )


def round_approved(round_id: int) -> bool:
    """Whether the leading group's approval of the round's plan stands (recorded, and not
    withdrawn since by a change of a team)."""
    return Round.objects.filter(pk=round_id, plan_approved_on__isnull=False).exists()


def round_approvals(round: Round) -> tuple[Decision | None, Decision | None]:
    """The round's approval that stands, and the last one a change of its teams withdrew
    (the last recorded, whatever the meetings' dates); at most one of the two."""
    last = (
        Decision.objects.filter(kind=DecisionKind.ROUND_PLAN, round=round)
        .select_related("recorded_by", "minutes")
        .order_by("-recorded_at", "-id")
        .first()
    )
    if round.plan_approved_on is not None:
        return last, None
    return None, last


def _unapproved_rounds(body_id: int) -> QuerySet[Round]:
    planned = Inspection.objects.filter(round=OuterRef("pk"), stage=Stage.PLANNED)
    return (
        Round.objects.filter(body_id=body_id, plan_approved_on__isnull=True)
        .filter(Exists(planned))
        .order_by("start", "pk")
    )


def year_plans_waiting(body_id: int) -> QuerySet[YearPlan]:
    """The body's year plans drafted and not yet approved by its leading group."""
    return YearPlan.objects.filter(body_id=body_id, status=YearPlanStatus.DRAFT)


def rounds_waiting(body_id: int) -> QuerySet[Round]:
    """The body's rounds with planned inspections and no approved plan."""
    return _unapproved_rounds(body_id)


def waiting_for_group(user: User) -> Waiting:
    """What waits for the leading group of the user's body (the office sees the same list)."""
    if user.role not in (Role.OFFICE, Role.LEADING_GROUP) or user.body_id is None:
        return Waiting([], [], [], [])
    body_id = user.body_id
    own = Inspection.objects.filter(round__body_id=body_id).select_related("round", "target")
    return Waiting(
        year_plans=list(
            YearPlan.objects.filter(body_id=body_id, status=YearPlanStatus.DRAFT).order_by(
                "year", "version"
            )[:WAITING_LIMIT]
        ),
        rounds=list(_unapproved_rounds(body_id)[:WAITING_LIMIT]),
        to_hear=list(own.filter(stage=Stage.OFFICE_REVIEWED).order_by("pk")[:WAITING_LIMIT]),
        to_decide=list(own.filter(stage=Stage.LEADING_GROUP_HEARD).order_by("pk")[:WAITING_LIMIT]),
    )


def paper_pledges_of(memberships: list[TeamMembership]) -> dict[int, PaperPledge]:
    """The paper pledges of the memberships, by membership id."""
    rows = PaperPledge.objects.filter(membership__in=memberships).select_related(
        "recorded_by", "scan"
    )
    return {p.membership_id: p for p in rows}


def cadres_with_account(cadre_ids: list[int]) -> set[int]:
    """Those of the cadres who have an active account of their own (and sign in person)."""
    rows = User.objects.filter(cadre_id__in=cadre_ids, is_active=True)
    return set(rows.values_list("cadre_id", flat=True))

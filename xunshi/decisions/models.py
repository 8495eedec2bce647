"""The leading group's decisions (领导小组决定) and the paper records that stand in for a
personal act.

A `Decision` is one act of the leading group (or of the Party committee) at a meeting: the
year's plan approved, a round's plan approved, a report heard, the committee's decision on it.
A leading-group user records it for the group; the office may record a decision taken on paper,
with the meeting's minutes attached (`on_paper`, `minutes`), and is named as recorder. The
lifecycle's stage table requires these records (`xunshi/lifecycle/actions.py`).

A `PaperPledge` is the discipline pledge a team member without an account signed on paper:
the office records it with the scan attached.

The records live here, above files and rounds, because they hang on both: on a year plan, a
round or an inspection (rounds) and on a stored file (files); rounds cannot point up at files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.files.models import Attachment
from xunshi.registry.models import InspectingBody
from xunshi.rounds.models import Inspection, Round, TeamMembership, YearPlan


class DecisionKind(models.TextChoices):
    YEAR_PLAN = "year_plan", _("审批年度工作计划")
    ROUND_PLAN = "round_plan", _("审批巡视工作方案")
    HEARING = "hearing", _("听取巡视情况汇报")
    COMMITTEE = "committee", _("党委研究决定")


# The kinds taken by the leading group; the committee's decision is taken by the committee's
# standing meeting (党委常委会), which the leading group's office records as well.
GROUP_KINDS = frozenset({DecisionKind.YEAR_PLAN, DecisionKind.ROUND_PLAN, DecisionKind.HEARING})
INSPECTION_KINDS = frozenset({DecisionKind.HEARING, DecisionKind.COMMITTEE})


class Decision(models.Model):
    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("事项"), max_length=16, choices=DecisionKind.choices)
    year_plan = models.ForeignKey(
        YearPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    meeting_number = models.PositiveSmallIntegerField(_("会议次序"))
    held_on = models.DateField(_("会议日期"))
    opinion = models.TextField(_("会议意见"), blank=True)
    on_paper = models.BooleanField(_("巡视办据会议纪要代为记录"), default=False)
    minutes = models.ForeignKey(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("会议纪要"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind="year_plan",
                    year_plan__isnull=False,
                    round__isnull=True,
                    inspection__isnull=True,
                )
                | models.Q(
                    kind="round_plan",
                    year_plan__isnull=True,
                    round__isnull=False,
                    inspection__isnull=True,
                )
                | models.Q(
                    kind__in=["hearing", "committee"],
                    year_plan__isnull=True,
                    round__isnull=True,
                    inspection__isnull=False,
                ),
                name="decision_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(on_paper=False) | models.Q(minutes__isnull=False),
                name="decision_paper_has_minutes",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_number__gte=1), name="decision_meeting_number"
            ),
            models.UniqueConstraint(
                fields=["year_plan"],
                condition=models.Q(kind="year_plan"),
                name="decision_one_per_year_plan",
            ),
            # A round's plan may be approved again after a change of its teams withdrew the
            # approval (`Round.plan_approved_on`); one standing approval is the action's check.
            models.UniqueConstraint(
                fields=["inspection", "kind"],
                condition=models.Q(kind__in=["hearing", "committee"]),
                name="decision_one_per_inspection_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}{self.get_kind_display()}"

    @property
    def meeting(self) -> str:
        """领导小组第N次会议, or 党委常委会第N次会议 for the committee's decision."""
        who = "党委常委会" if self.kind == DecisionKind.COMMITTEE else "领导小组"
        return f"{who}第{self.meeting_number}次会议"


class PaperPledge(models.Model):
    """A member's discipline pledge signed on paper, recorded by the office with the scan."""

    membership = models.OneToOneField(
        TeamMembership, on_delete=models.PROTECT, related_name="paper_pledge"
    )
    signed_on = models.DateField(_("签署日期"))
    scan = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, related_name="+", verbose_name=_("承诺书扫描件")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.membership}（纸质承诺）"

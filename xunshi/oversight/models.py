"""Oversight of the bodies below (上级对下级巡视巡察工作的监督指导, 上下联动): what a lower body
reports up (报备) and the points its guiding body sets for it (督导要点).

A `Filing` is made by the stage change that it reports (the lifecycle's effects call
`filing_create`), addressed to the body's parent; its `summary` holds only counts, dates,
names of units, teams and leaders and public titles, never the case records behind them. A
round's plan can be returned by the receiving office with a reason; the lower office then
files it again as the next version.

`BodyFigures` keeps each lower body's figures as `figures_refresh` last counted them, for the
pages of the bodies above (a province's page would otherwise count ten years of every body's
inspections, items and clues on each request).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.registry.models import InspectingBody, Term
from xunshi.rounds.models import Inspection, Round


class FilingKind(models.TextChoices):
    PLAN = "plan", _("巡察工作方案及组建情况")
    REPORT = "report", _("巡察报告情况")
    FEEDBACK = "feedback", _("反馈情况")
    RECTIFICATION = "rectification", _("整改情况报告")
    DISCLOSURE = "disclosure", _("整改情况公开")


class FilingStatus(models.TextChoices):
    FILED = "filed", _("已报备")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已审核")


class Filing(models.Model):
    """报备: the summary a lower body reports up to the body above it when something happens."""

    from_body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        related_name="filings_sent",
        verbose_name=_("报备单位"),
    )
    to_body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        related_name="filings_received",
        verbose_name=_("接收单位"),
    )
    kind = models.CharField(_("报备事项"), max_length=16, choices=FilingKind.choices)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="filings")
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="filings"
    )
    # Counts, dates, names of units, teams and leaders, public titles: nothing of a case record.
    summary = models.JSONField(_("摘要"), default=dict)
    filed_at = models.DateTimeField(_("报备时间"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("审核状态"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.FILED
    )
    review_reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [
            models.Index(fields=["from_body", "filed_at"]),
            models.Index(fields=["to_body", "status"]),
            models.Index(fields=["round", "kind", "version"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "kind", "version"],
                condition=models.Q(inspection__isnull=True),
                name="filing_unique_round_version",
            ),
            models.UniqueConstraint(
                fields=["inspection", "kind", "version"],
                condition=models.Q(inspection__isnull=False),
                name="filing_unique_inspection_version",
            ),
        ]

    def __str__(self) -> str:
        version = f"（第{self.version}版）" if self.version > 1 else ""
        target = f"·{self.inspection.target.name}" if self.inspection is not None else ""
        return f"{self.round.name}{target}：{self.get_kind_display()}{version}"


class OversightPoint(models.Model):
    """督导要点: what a higher body's office asks a lower body to attend to, by a date."""

    from_body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        related_name="points_set",
        verbose_name=_("提出单位"),
    )
    to_body = models.ForeignKey(
        InspectingBody,
        on_delete=models.PROTECT,
        related_name="points_received",
        verbose_name=_("督导对象"),
    )
    round = models.ForeignKey(
        Round,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversight_points",
        verbose_name=_("针对轮次"),
    )
    text = models.TextField(_("督导要点"))
    due = models.DateField(_("完成时限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_body", "created_at"])]

    def __str__(self) -> str:
        return f"{self.from_body.name}对{self.to_body.name}的督导要点"


class BodyFigures(models.Model):
    """The oversight figures of one body as `figures_refresh` counted them at `counted_at`,
    for the day `day` (the warnings, overdue clues and the term's pace depend on the day).
    Derived from the records and replaced at each count; the pages read them only while they
    are of today and recent (`figures.body_rows`)."""

    body = models.OneToOneField(
        InspectingBody, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("统计日期"))
    counted_at = models.DateTimeField(_("统计时间"))
    term = models.ForeignKey(Term, null=True, on_delete=models.SET_NULL, related_name="+")
    last_filing = models.DateTimeField(null=True)
    # BodyRow's numbers by name, the stages by phase under "phases".
    figures = models.JSONField(default=dict)

    def __str__(self) -> str:
        at = timezone.localtime(self.counted_at)
        return f"{self.body.name}的巡察工作数字（{at:%Y-%m-%d %H:%M}）"

"""China's working-day calendar and the versioned rule set that deadlines are computed from.

Only the exceptions to the Monday–Friday week are stored: a weekday that is a statutory
holiday (法定节假日休息) and a weekend day that is a make-up working day (调休上班). A year
counts as known only when its `CalendarYear` row exists; a year without one is never guessed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YearSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar软件包")
    MANUAL = "manual", _("管理员录入")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日休息")
    WORKDAY = "workday", _("调休上班")


class DeadlineKey(models.TextChoices):
    RECTIFICATION_PLAN = "rectification_plan", _("整改方案报送")
    RECTIFICATION_REPORT = "rectification_report", _("整改情况报告报送")
    CLUE_FEEDBACK = "clue_feedback", _("问题线索处置情况反馈")
    WARNING_GREEN = "warning_green", _("整改事项提醒")
    WARNING_YELLOW = "warning_yellow", _("整改事项黄色预警")


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("个工作日")
    CALENDAR_DAYS = "calendar_days", _("天")
    MONTHS = "months", _("个月")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=16, choices=YearSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年份")
        verbose_name_plural = _("工作日历年份")

    def __str__(self) -> str:
        return f"{self.year}年"


class Holiday(models.Model):
    """One exception to the Monday–Friday week."""

    calendar_year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年份")
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} {self.get_kind_display()}"


class DeadlineRuleSet(models.Model):
    """A version of the deadline rules: the deployment's (no body) or one body's own, which
    the body's office issued to replace the deployment's for its own work."""

    # A string reference: deadlines and the registry are siblings that do not import each other.
    body = models.ForeignKey(
        "registry.InspectingBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属党组织"),
    )
    version = models.PositiveIntegerField(_("版本"))
    note = models.CharField(_("修订说明"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修订人"),
    )
    created_at = models.DateTimeField(_("修订时间"), default=timezone.now)
    active = models.BooleanField(_("现行"), default=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("期限规则")
        verbose_name_plural = _("期限规则")
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True, body__isnull=True),
                name="deadline_one_active_ruleset",
            ),
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(active=True, body__isnull=False),
                name="deadline_one_active_ruleset_per_body",
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(body__isnull=True),
                name="deadline_ruleset_unique_version",
            ),
            models.UniqueConstraint(
                fields=["body", "version"],
                condition=Q(body__isnull=False),
                name="deadline_ruleset_unique_version_per_body",
            ),
        ]

    def __str__(self) -> str:
        return f"期限规则第{self.version}版"


class DeadlineRule(models.Model):
    rule_set = models.ForeignKey(
        DeadlineRuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("版本")
    )
    key = models.CharField(_("事项"), max_length=32, choices=DeadlineKey.choices)
    amount = models.PositiveSmallIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)

    class Meta:
        ordering = ["rule_set", "pk"]
        verbose_name = _("期限规则条目")
        verbose_name_plural = _("期限规则条目")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "key"], name="deadline_rule_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}：{self.amount}{self.get_unit_display()}"

"""The rectification ledger (整改台账): one item per problem of the feedback, filled in by the
inspected organization's liaison, reported on with evidence, and closed (销号) by the office.

An item's deadline warning (green, yellow, red) is computed from its deadline and the
active deadline rules, never stored. Supervision notices (督办函) and the public disclosure
(整改公开) are kept as records of what was sent and published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.findings.models import Problem
from xunshi.rounds.models import Inspection


class RectificationKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立行立改")
    CONCENTRATED = "concentrated", _("集中整改")
    LONG_TERM = "long_term", _("长期坚持")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待制定措施")
    IN_PROGRESS = "in_progress", _("整改中")
    CLAIMED = "claimed", _("申请销号")
    CLOSED = "closed", _("已销号")


OPEN_STATUSES = frozenset({ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.CLAIMED})


class RectificationItem(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="rectification_items"
    )
    seq = models.PositiveIntegerField(_("序号"))
    problem = models.ForeignKey(
        Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_items"
    )
    # A look-back (回头看) starts from its parent's open items.
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="carried_to"
    )
    title = models.CharField(_("问题"), max_length=200)
    measures = models.TextField(_("整改措施"), blank=True)
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    responsible_department = models.CharField(_("责任部门"), max_length=100, blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    kind = models.CharField(
        _("整改类型"), max_length=16, choices=RectificationKind.choices, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING
    )
    claimed_on = models.DateField(_("申请销号日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    # The figures of the disclosure, summed over the ledger.
    rules_revised = models.PositiveIntegerField(_("建立完善制度（项）"), default=0)
    funds_recovered = models.DecimalField(
        _("挽回或追缴资金（万元）"), max_digits=12, decimal_places=2, default=0
    )
    persons_sanctioned = models.PositiveIntegerField(_("问责处理（人）"), default=0)

    class Meta:
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="rect_item_unique_seq")
        ]
        # The open items, a few percent of a ledger table that keeps every closed item: what
        # the warnings count (oversight's figures, the village ledger's filters), by ledger;
        # and by deadline, for the red and yellow ones across all ledgers (督办's units and
        # totals, the ledger list's colour filters): a range of days, not every open item.
        indexes = [
            models.Index(
                fields=["inspection", "deadline"],
                condition=models.Q(
                    status__in=[ItemStatus.CLAIMED, ItemStatus.IN_PROGRESS, ItemStatus.PENDING]
                ),
                name="rect_item_open",
            ),
            models.Index(
                fields=["deadline", "inspection"],
                condition=models.Q(
                    status__in=[ItemStatus.CLAIMED, ItemStatus.IN_PROGRESS, ItemStatus.PENDING]
                ),
                name="rect_item_open_due",
            ),
            # Items claimed and awaiting the office's review: the office's to-do count.
            models.Index(
                fields=["inspection"],
                condition=models.Q(status=ItemStatus.CLAIMED),
                name="rect_item_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}"


class ProgressReport(models.Model):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="progress")
    reported_on = models.DateField(_("报告日期"))
    text = models.TextField(_("进展情况"))
    attachments = models.ManyToManyField("files.Attachment", blank=True, verbose_name=_("佐证材料"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "at", "id"]

    def __str__(self) -> str:
        return f"{self.item}的进展（{self.reported_on}）"


class SupervisionNotice(models.Model):
    """督办函: sent by the office to a unit about its yellow and red items."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="supervision_notices"
    )
    number = models.CharField(_("文号"), max_length=50, unique=True)
    issued_on = models.DateField(_("发出日期"))
    items = models.ManyToManyField(RectificationItem, related_name="notices")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The version of the 督办函's template (doctemplates) it was made with: a later edit of
    # the wording changes the next notice, never this one.
    template_version = models.PositiveIntegerField(_("模板版本"), default=1)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Disclosure(models.Model):
    """整改公开: the text published to the portal, generated from the ledger."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="disclosure"
    )
    text = models.TextField(_("公开内容"))
    published_on = models.DateField(_("公开日期"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.inspection.target.name}整改情况公开"

"""What the office makes of the on-site work: problems, clues, the report and its dues.

From approved working papers come the problems of the report; from any record, clues
(问题线索) for the discipline commission or the organization department, whose disposal
is followed to its due date. The report's own text, and the due dates that the feedback
sets (`InspectionDue`, which keep the rule they came from), live here too.

The tables keep the app label `inspections` (see docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.fieldwork.models import DocumentRequest, Petition, Talk, WorkingPaper
from xunshi.lib.sealed_fields import SealedCharField, SealedTextField
from xunshi.rounds.models import Inspection


class Problem(models.Model):
    """A problem of the report, made from one approved working paper. The report (internal)
    uses the paper's facts, qualification and responsibility; the feedback to the unit, its
    ledger and the disclosure use only the summary (问题表述), so nothing of the evidence
    behind a paper reaches the inspected organization."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="problems")
    paper = models.OneToOneField(WorkingPaper, on_delete=models.PROTECT, related_name="problem")
    seq = models.PositiveIntegerField(_("序号"))
    summary = models.TextField(_("问题表述"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "inspections"
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="problem_unique_seq")
        ]

    def __str__(self) -> str:
        return self.paper.title


class ClueRecipient(models.TextChoices):
    DISCIPLINE = "discipline", _("纪委监委")
    ORGANIZATION = "organization", _("组织部")
    OTHER = "other", _("其他")


class ClueDisposal(models.TextChoices):
    TALK_INQUIRY = "talk_inquiry", _("谈话函询")
    PRELIMINARY = "preliminary", _("初步核实")
    SHELVED = "shelved", _("暂存待查")
    CLOSED = "closed", _("予以了结")


class ClueSource(models.TextChoices):
    TALK = "talk", _("个别谈话")
    PETITION = "petition", _("信访")
    DOCUMENT = "document", _("调阅资料")
    PAPER = "paper", _("问题底稿")


class Clue(models.Model):
    """问题线索: a lead on a person, transferred to the body that can act on it, whose
    disposal must be reported back within the rule's period (3 months by default)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="clues")
    seq = models.PositiveIntegerField(_("序号"))
    # Sealed at rest (SM4-GCM, xunshi/lib/sealed_fields.py).
    persons = SealedCharField(_("涉及人员"), max_length=200)
    summary = SealedTextField(_("线索摘要"))
    source = models.CharField(_("来源"), max_length=16, choices=ClueSource.choices)
    talk = models.ForeignKey(Talk, null=True, blank=True, on_delete=models.PROTECT)
    petition = models.ForeignKey(Petition, null=True, blank=True, on_delete=models.PROTECT)
    document = models.ForeignKey(DocumentRequest, null=True, blank=True, on_delete=models.PROTECT)
    paper = models.ForeignKey(WorkingPaper, null=True, blank=True, on_delete=models.PROTECT)
    # 高密: only the team leader and the office see it.
    highly_confidential = models.BooleanField(_("高密"), default=False)
    recipient = models.CharField(_("拟移交"), max_length=16, choices=ClueRecipient.choices)
    recipient_other = models.CharField(_("其他移交单位"), max_length=100, blank=True)
    transferred_on = models.DateField(_("移交日期"), null=True, blank=True)
    receiving_body = models.CharField(_("接收单位"), max_length=100, blank=True)
    receiver = models.CharField(_("接收人"), max_length=50, blank=True)
    disposal_due = models.DateField(_("处置反馈期限"), null=True, blank=True)
    disposal_due_rule = models.CharField(_("期限依据"), max_length=100, blank=True)
    disposal = models.CharField(
        _("处置方式"), max_length=16, choices=ClueDisposal.choices, blank=True
    )
    outcome = models.TextField(_("处置结果"), blank=True)
    disposal_reported_on = models.DateField(_("反馈日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "inspections"
        ordering = ["inspection", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "seq"], name="clue_unique_seq")
        ]
        # The two lists the office watches, each a few percent of every clue ever recorded:
        # transferred clues whose disposal is not reported yet (by due date, the overdue
        # ones first) and clues not yet transferred (oldest first).
        indexes = [
            models.Index(
                fields=["disposal_due", "id"],
                condition=models.Q(disposal_reported_on__isnull=True, transferred_on__isnull=False),
                name="clue_awaiting_disposal",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(transferred_on__isnull=True),
                name="clue_untransferred",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.seq}号线索"


class ReportText(models.Model):
    """What the report says beyond its problems: the overview and the suggestions, written
    by the team; the problems come from the working papers."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="report")
    overview = models.TextField(_("基本情况"), blank=True)
    suggestions = models.TextField(_("意见建议"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "inspections"

    def __str__(self) -> str:
        return f"{self.inspection}的报告正文"


class DueKey(models.TextChoices):
    RECTIFICATION_PLAN = "rectification_plan", _("报送整改方案")
    RECTIFICATION_REPORT = "rectification_report", _("报送整改情况报告")


class InspectionDue(models.Model):
    """A due date set when the inspection entered a stage, with the rule it came from;
    a later change of the rules never moves it."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="dues")
    key = models.CharField(_("事项"), max_length=32, choices=DueKey.choices)
    start = models.DateField(_("起算日期"))
    due = models.DateField(_("截止日期"))
    rule_text = models.CharField(_("期限依据"), max_length=100)
    rule_version = models.PositiveIntegerField()
    met_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        app_label = "inspections"
        ordering = ["inspection", "due"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "key"], name="inspection_due_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}：{self.due}"

    @property
    def overdue(self) -> bool:
        """Not met and past its date today."""
        return self.met_on is None and self.due < timezone.localdate()

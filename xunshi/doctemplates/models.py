"""The wording of the office's documents as versioned docxtpl templates (see README.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.registry.models import InspectingBody


class TemplateKind(models.TextChoices):
    """The documents whose wording the office edits."""

    SUPERVISION_NOTICE = "supervision_notice", _("督办函")
    INSPECTION_REPORT = "inspection_report", _("巡视情况报告")
    FEEDBACK = "feedback", _("巡视反馈意见")
    RECTIFICATION_NOTICE = "rectification_notice", _("整改通知书")
    RECTIFICATION_REPORT = "rectification_report", _("整改情况报告")
    DECISION = "decision", _("巡视组组成人员及授权的决定")
    DOCREQUEST_SLIP = "docrequest_slip", _("调阅资料交接单")


class DocumentTemplate(models.Model):
    """One version of a body's template of a kind: a .docx with Jinja placeholders. Version
    1 is the shipped file (`shipped/<kind>.docx`) and has a row only once an upload follows it;
    versions are never changed or deleted, going back to an earlier one adds a new one."""

    # Each body words its own documents; a body without rows uses the shipped version 1.
    body = models.ForeignKey(InspectingBody, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=32, choices=TemplateKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    content = models.BinaryField(_("模板文件"))
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    restored_from = models.PositiveIntegerField(_("恢复自版本"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["body", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "kind", "version"], name="doctemplate_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}模板第{self.version}版"

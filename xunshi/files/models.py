"""An attachment: one checked file of one inspection, or of one body's office (the minutes of a
leading-group meeting, a signed paper pledge: records of a round or a year, not of one
inspection), kept on disk outside anything served.

The row holds what the upload was (the user's name for it, the kind found in its content,
its SHA-256); the bytes live under ``XUNSHI_FILES_ROOT`` in a file named by a random token
(`stored_name`) that says nothing about the original.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uploadscan import KINDS


class Audience(models.TextChoices):
    TEAM = "team", _("巡视组和巡视办")
    RECTIFICATION = "rectification", _("整改（被巡视单位联络员也可查看）")


class Attachment(models.Model):
    inspection = models.ForeignKey(
        "rounds.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    # A file of no one inspection is the body's: its office and leading group open it.
    body = models.ForeignKey(
        "registry.InspectingBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属党组织"),
    )
    audience = models.CharField(_("可见范围"), max_length=16, choices=Audience.choices)
    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(
        _("类型"), max_length=8, choices=[(k, v.label) for k, v in KINDS.items()]
    )
    mime = models.CharField(_("MIME 类型"), max_length=127)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_name = models.CharField(_("存储名"), max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["inspection", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=["team", "rectification"]),
                name="files_attachment_audience",
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="files_attachment_size"),
            models.CheckConstraint(
                condition=models.Q(inspection__isnull=False, body__isnull=True)
                | models.Q(inspection__isnull=True, body__isnull=False),
                name="files_attachment_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

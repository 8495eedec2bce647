"""The stage history of an inspection, kept beside the audit trail.

The table keeps the app label `inspections` (see docs/architecture.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xunshi.rounds.models import Inspection, Stage


class StageChange(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=32, choices=Stage.choices)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    on = models.DateField(_("日期"))
    reason = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "inspections"
        ordering = ["inspection", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()}→{self.get_to_stage_display()}"

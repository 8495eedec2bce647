"""The in-app reminders (提醒): one row per person, rule, object and due date.

A reminder says only what kind of thing waits (the rule), for which unit, by when, and where
to find it; never a word of the case (a clue's persons, a paper's title, a petition's text).
The rules that find them are `xunshi/desk/rules.py`; the job that writes them, and marks
resolved those whose thing no longer waits, is `reminders_run` (`xunshi/desk/actions.py`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    rule = models.CharField(_("提醒类别"), max_length=40)
    object_key = models.CharField(_("事项"), max_length=60)
    unit = models.CharField(_("单位"), max_length=200, blank=True)
    # The due date, or for a rule that counts waiting days the day the wait began (`Rule.since`).
    due = models.DateField(_("日期"))
    link = models.CharField(_("链接"), max_length=300)
    created = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    # When a run of the job no longer found the thing waiting for the person (acted on, met,
    # moved on): shown as 已处理 and left out of the unread count, never deleted.
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "rule", "object_key", "due"], name="notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.rule} {self.object_key} {self.due}"

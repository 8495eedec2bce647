"""The audit trail: one append-only, hash-chained row per change.

Each row's hash is HMAC-SM3 (keyed apart from the database) over the previous row's hash
and the row's own canonical JSON, including its sequence number, so a changed, deleted,
inserted or reordered row breaks the chain. `AuditHead` remembers the last sequence number
and hash, which catches rows cut off the end, under a MAC keyed with the audit key (which the
database does not hold), so that a head copied from an earlier row does not pass; the signed
checkpoints outside the database (`anchor.py`) catch a head replayed from an earlier state. The
database refuses UPDATE and DELETE on the table (see migration 0002).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    id = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_username = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=32)
    # Its own index (from 0001) is a prefix of audit_event_action_id; dropping it would
    # rebuild the table on SQLite and lose the append-only triggers.
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        # The trail's exact filters (its page and export) at two million rows, each with the id
        # behind it, so that a page newest first is a walk back along one index from its key.
        indexes = [
            models.Index(fields=["at"], name="audit_event_at"),
            models.Index(fields=["action", "id"], name="audit_event_action_id"),
            models.Index(fields=["object_type", "object_id", "id"], name="audit_event_object"),
            models.Index(fields=["object_id", "id"], name="audit_event_object_id"),
            models.Index(fields=["actor_id", "id"], name="audit_event_actor_id"),
            models.Index(fields=["actor_username", "id"], name="audit_event_username"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """A single row (id=1), locked while a new event is chained on."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # HMAC-SM3 of (last_id, last_hash, count) with the audit key: `chain.head_mac`.
    mac = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"#{self.last_id}"


class VerificationStatus(models.TextChoices):
    # The words of xunshi.jobs' JobStatus (which the audit, a floor below, cannot import).
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("出错")


class ChainVerification(models.Model):
    """One verification of the chain, run by the task worker (asked for on the audit page) or
    by `manage.py verify_audit`: how far it is, and what it found. One that passed remembers
    the row it verified up to (`through_id`, `through_hash`) under a MAC with the audit key,
    so that the next verification starts after it; a row set by hand does not carry the MAC
    and is not trusted (the next run starts from the first row)."""

    requested_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核验人"),
    )
    requested_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    full = models.BooleanField(_("从头核验"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.QUEUED,
    )
    progress = models.FloatField(_("进度"), default=0.0)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    # The rows after start_id were recomputed (0: the whole chain).
    start_id = models.BigIntegerField(_("起始序号"), default=0)
    through_id = models.BigIntegerField(_("核验至序号"), default=0)
    through_hash = models.CharField(max_length=64, blank=True)
    passed = models.BooleanField(_("通过"), default=False)
    break_seq = models.BigIntegerField(_("断裂序号"), null=True, blank=True)
    break_reason = models.TextField(_("核验结果"), blank=True)
    checkpoint_refused = models.TextField(blank=True)
    # HMAC-SM3 of (through_id, through_hash) with the audit key: `chain.verified_mac`.
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (VerificationStatus.DONE, VerificationStatus.FAILED)

    @property
    def checked(self) -> int:
        """How many rows this run recomputed."""
        return max(0, self.through_id - self.start_id)

    @property
    def percent(self) -> int:
        return 100 if self.finished else min(99, int(self.progress * 100))

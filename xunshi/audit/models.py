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

"""What the portal keeps: announcements, sealed submissions, replies, disclosures, throttles
and the challenge nonces already spent.

Nothing about a reporter is stored in the clear: a submission is its envelope (sealed to the
office's public key), the day it arrived, its status and, for a report, the slow digest of
its receipt code. No address, agent, time of day or cookie.
"""

from __future__ import annotations

import secrets

from django.db import models


class Announcement(models.Model):
    """An inspection on site, as pushed by the internal app (巡察公告)."""

    token = models.SlugField(max_length=64, unique=True)
    org_code = models.CharField(max_length=64)
    org_name = models.CharField(max_length=200)
    team = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField()
    phone = models.CharField(max_length=100)
    mailbox = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    scope = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-start", "org_name"]

    def __str__(self) -> str:
        return self.org_name

    @property
    def work_word(self) -> str:
        """巡视 for a provincial or central team, 巡察 below, as the team's own name says."""
        return "巡视" if "巡视" in self.team else "巡察"


def new_ref() -> str:
    return secrets.token_hex(16)


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    ACCEPTED = "accepted", "已受理"
    FORWARDED = "forwarded", "已转交"
    ANSWERED = "answered", "已答复"


class Kind(models.TextChoices):
    REPORT = "report", "反映"
    FOLLOWUP = "followup", "补充材料"


class Submission(models.Model):
    """A report or a follow-up, stored only as an envelope the portal cannot open."""

    seq = models.BigAutoField(primary_key=True)
    ref = models.CharField(max_length=32, unique=True, default=new_ref)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="followups"
    )
    day = models.DateField()
    envelope = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    receipt_digest = models.CharField(max_length=128, blank=True, db_index=True)
    pulled = models.BooleanField(default=False)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return self.ref


class Reply(models.Model):
    """A message from the team to the reporter, readable with the receipt code."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField()
    day = models.DateField()

    class Meta:
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.day}"


class Disclosure(models.Model):
    """A rectification disclosure (整改公开) published from the internal app."""

    key = models.CharField(max_length=100, unique=True)
    org_name = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    published_on = models.DateField()
    text = models.TextField()

    class Meta:
        ordering = ["-published_on", "key"]

    def __str__(self) -> str:
        return self.title


class ThrottleBucket(models.Model):
    """How many attempts a key made in one window; a row is deleted on the first request after
    its window ends. A receipt code's key is a keyed HMAC of it (PORTAL_THROTTLE_KEY), never
    a part of its stored digest."""

    key = models.CharField(max_length=100)
    window = models.DateTimeField()
    expires = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="throttle_key_window")
        ]

    def __str__(self) -> str:
        return self.key


class SpentNonce(models.Model):
    """A challenge nonce already used: a challenge is accepted once. The row is deleted on the
    first request after the challenge could no longer be accepted anyway (expired)."""

    nonce = models.CharField(max_length=32, unique=True)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce

"""What the internal app keeps of the public portal: the announcements it publishes there, every
submission it pulled (with the sealed original), and how far it has pulled.

A `PortalSubmission` is the encrypted original of what a reporter sent (the whole envelope, as
the portal stored it) plus where it went: the `Petition` it became, or why it could not be
routed. The report's text lives on the petition; a follow-up's text on its own row, shown on
the parent's petition page. The status and reply last pushed back are kept so that the push
only sends what changed (see actions.portal_push_pending).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xunshi.lib.sealed_fields import SealedTextField

DISCIPLINES = "政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律"


def default_scope(org_name: str = "被巡视单位") -> str:
    """The usual wording of what a team accepts, for the named organization."""
    return (
        f"巡视组主要受理反映{org_name}领导班子及其成员、下一级党组织领导班子主要负责人和"
        f"重要岗位领导干部问题的来信来电来访，重点是关于违反{DISCIPLINES}等方面的举报和反映。"
        "其他不属于巡视受理范围的信访问题，将按规定转交有关地方和部门处理。"
    )


def new_token() -> str:
    """An opaque, url-safe token of 128 random bits naming an announcement on the portal."""
    return secrets.token_urlsafe(16)


class PortalAnnouncement(models.Model):
    """巡视公告: how to reach a team on site, published on the portal with its QR code."""

    inspection = models.OneToOneField(
        "rounds.Inspection", on_delete=models.PROTECT, related_name="portal_announcement"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    phone = models.CharField(_("值班电话"), max_length=50)
    mailbox = models.CharField(_("邮政信箱"), max_length=100, blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    scope = models.TextField(_("受理范围"), default=default_scope)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.inspection.target.name}巡视公告"


class SubmissionKind(models.TextChoices):
    REPORT = "report", _("举报")
    FOLLOWUP = "followup", _("补充材料")


class Unrouted(models.TextChoices):
    """Why a submission did not become (part of) a petition; the office decides what next."""

    UNKNOWN_ANNOUNCEMENT = "unknown_announcement", _("找不到对应的巡视公告")
    NOT_TAKING = "not_taking", _("该巡视已不在受理信访阶段")
    NO_PARENT = "no_parent", _("找不到原举报或原举报尚未转为信访件")
    REFUSED = "refused", _("内容不完整，未能登记为信访件")
    UNREADABLE = "unreadable", _("无法解密（信封损坏或不是发给本办的）")


class PortalStatus(models.TextChoices):
    """What the reporter reads with the receipt; "" is the portal's own 已收到."""

    RECEIVED = "", _("已收到")
    ACCEPTED = "accepted", _("已受理")
    FORWARDED = "forwarded", _("已转交")
    ANSWERED = "answered", _("已答复")


class PortalSubmission(models.Model):
    ref = models.CharField(_("门户编号"), max_length=64, unique=True)
    seq = models.PositiveBigIntegerField(_("门户序号"), db_index=True)
    kind = models.CharField(_("类型"), max_length=16, choices=SubmissionKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    parent_ref = models.CharField(max_length=64, blank=True)
    day = models.DateField(_("提交日期"), null=True, blank=True)
    # The sealed original exactly as the portal kept it (SM2-wrapped SM4-GCM): the evidence,
    # with the files' metadata, stays encrypted at rest and is opened only on demand.
    envelope = models.BinaryField()
    announcement_token = models.CharField(max_length=64, blank=True)
    petition = models.ForeignKey(
        "inspections.Petition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portal_submissions",
    )
    routed = models.BooleanField(_("已分送"), default=False)
    reason = models.CharField(_("未分送原因"), max_length=32, choices=Unrouted.choices, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # A follow-up's text (a report's text is the petition's content), sealed at rest.
    content = SealedTextField(_("补充内容"), blank=True)
    attachments = models.ManyToManyField("files.Attachment", blank=True, related_name="+")
    # One entry per file sent, in order: {"name", "attachment": the clean copy's id or None,
    # "refused": why the internal check refused the clean copy, or ""}.
    files = models.JSONField(default=list, blank=True)
    pulled_at = models.DateTimeField(_("拉取时间"), default=timezone.now)
    # What the portal last acknowledged for this report (see actions.portal_push_pending).
    status = models.CharField(
        _("门户状态"), max_length=16, choices=PortalStatus.choices, blank=True, default=""
    )
    reply_sm3 = models.CharField(max_length=64, blank=True)
    # The MD5 of the petition's reply as it was stored when the portal acknowledged it: a change
    # detector the database computes too (`pending_rows`), not a seal; reply_sm3 is the record.
    reply_md5 = models.CharField(max_length=32, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    push_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"门户{self.get_kind_display()}{self.ref}"


class PortalCursor(models.Model):
    """The one row saying how far the pull has gone and how the last runs ended."""

    last_seq = models.PositiveBigIntegerField(default=0)
    pulled_at = models.DateTimeField(null=True, blank=True)
    pull_error = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    publish_error = models.CharField(max_length=300, blank=True)
    # SM3 of the last set published, so that an unchanged set is not audited every minute.
    published_sm3 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"门户拉取至第{self.last_seq}号"

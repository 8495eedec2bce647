"""Accounts: one role per person; team scope comes from team membership, not from the role.

Team leaders and members both hold the role ``inspector``; what they lead or belong to is
read from `rounds.TeamMembership` through their `cadre`. A liaison is tied to one `org`.
The three admins (三员) are separate roles and none of them reads case data.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("巡视办工作人员")
    LEADING_GROUP = "leading_group", _("领导小组成员")
    INSPECTOR = "inspector", _("巡视组干部")
    LIAISON = "liaison", _("被巡视单位联络员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    full_name = models.CharField(_("姓名"), max_length=50)
    cadre = models.OneToOneField(
        "registry.Cadre", null=True, blank=True, on_delete=models.PROTECT, related_name="user"
    )
    org = models.ForeignKey(
        "registry.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="liaisons"
    )
    # The inspecting body the account works for (省委巡视办, a 市委巡察办 …): the office and
    # the leading group see that body's work and, as supervision, the summaries of the
    # bodies below it; a team cadre's is the cadre's pool, a liaison's the unit's body.
    body = models.ForeignKey(
        "registry.InspectingBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("所属党组织"),
    )
    must_change_password = models.BooleanField(_("首次登录须改密码"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci"),
            models.CheckConstraint(
                condition=~models.Q(role="liaison") | models.Q(org__isnull=False),
                name="accounts_liaison_has_org",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="inspector") | models.Q(cadre__isnull=False),
                name="accounts_inspector_has_cadre",
            ),
            models.CheckConstraint(
                condition=models.Q(is_superuser=False), name="accounts_no_superuser"
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["office", "leading_group"])
                | models.Q(body__isnull=False),
                name="accounts_office_has_body",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class PasswordHistory(models.Model):
    """One password an account had: its hash only, written by `password_set` in the same
    transaction as the password; `PasswordHistoryValidator` refuses the last five again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed sign-ins of one user name from one client address.

    The user name is kept as a keyed hash (a password typed into the name box must not be
    stored); after a few failures the client waits longer after each one and solves a
    proof of work; the account itself is locked only after many failures from anywhere
    (django-axes, `AXES_FAILURE_LIMIT`)."""

    username_digest = models.CharField(_("用户名摘要"), max_length=64)
    ip_address = models.GenericIPAddressField(_("客户端地址"), null=True)
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    last_failure = models.DateTimeField(_("最近一次失败"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["username_digest", "ip_address"], name="login_throttle_once"
            )
        ]
        indexes = [models.Index(fields=["ip_address", "last_failure"], name="login_throttle_ip")]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.failures}"


class LoginChallenge(models.Model):
    """A single-use proof-of-work nonce issued to one client address: the login page's script
    finds a counter whose SHA-256 with the nonce starts with `bits` zero bits."""

    nonce = models.CharField(_("随机数"), max_length=64, unique=True)
    ip_address = models.GenericIPAddressField(_("客户端地址"), null=True)
    bits = models.PositiveSmallIntegerField(_("难度（位）"))
    created = models.DateTimeField(_("签发时间"))

    def __str__(self) -> str:
        return self.nonce


class LockoutAlert(models.Model):
    """An account locked after many failed sign-ins: shown to the security admin until the
    account is unlocked or the lock runs out."""

    username = models.CharField(_("用户名"), max_length=150)
    locked_at = models.DateTimeField(_("锁定时间"))
    failures = models.PositiveIntegerField(_("失败次数"), default=0)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-locked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.locked_at:%Y-%m-%d %H:%M}"

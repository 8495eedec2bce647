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
# The roles of the work (业务角色): none of them is ever held by an account that was an admin.
CASE_ROLES = frozenset({Role.OFFICE, Role.LEADING_GROUP, Role.INSPECTOR, Role.LIAISON})
_ADMIN_CHOICES = [(r.value, r.label) for r in Role if r in ADMIN_ROLES]
_ADMIN_VALUES = sorted(r.value for r in ADMIN_ROLES)
_CASE_VALUES = sorted(r.value for r in CASE_ROLES)


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
    # 三员分立 over the account's whole life, not only its one role of today: the admin role
    # it has held (it may hold no other role, ever) and whether it has held a role of the work
    # (it may never become an admin). Set by `user_grant_role` in the same save as the role.
    admin_role_once = models.CharField(
        _("曾任管理员角色"), max_length=32, choices=_ADMIN_CHOICES, blank=True
    )
    case_role_once = models.BooleanField(_("曾任业务角色"), default=False)

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
            # 三员分立: an admin is nobody of the pool and speaks for no unit …
            models.CheckConstraint(
                condition=~models.Q(role__in=_ADMIN_VALUES)
                | models.Q(cadre__isnull=True, org__isnull=True),
                name="accounts_admin_untied",
            ),
            # … holds one admin role in its life, remembered with the role …
            models.CheckConstraint(
                condition=~models.Q(role__in=_ADMIN_VALUES)
                | models.Q(admin_role_once=models.F("role")),
                name="accounts_admin_role_remembered",
            ),
            models.CheckConstraint(
                condition=models.Q(admin_role_once="")
                | models.Q(role="")
                | models.Q(role=models.F("admin_role_once")),
                name="accounts_admin_role_kept",
            ),
            # … and never a role of the work, before or after.
            models.CheckConstraint(
                condition=~models.Q(role__in=_CASE_VALUES) | models.Q(case_role_once=True),
                name="accounts_case_role_remembered",
            ),
            models.CheckConstraint(
                condition=models.Q(admin_role_once="") | models.Q(case_role_once=False),
                name="accounts_admin_or_case",
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


def is_admin_account(user: User) -> bool:
    """Whether the account is, or has been, one of the three admins (三员): changes to it need
    a second admin's approval (`AdminRequest`)."""
    return user.role in ADMIN_ROLES or bool(user.admin_role_once)


class AdminRequestKind(models.TextChoices):
    DISABLE = "disable", _("停用账号")
    ENABLE = "enable", _("启用账号")
    UNLOCK = "unlock", _("解除登录锁定")
    GRANT = "grant", _("授予管理员角色")


class AdminRequestStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class AdminRequest(models.Model):
    """A change to an admin's account that one admin asks for and another approves (三员
    相互制约): nothing changes until a different admin, neither the one who asked nor the one
    whose account it is, approves it; the change is then made in the same transaction."""

    target = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="admin_requests", verbose_name=_("账号")
    )
    kind = models.CharField(_("变更事项"), max_length=16, choices=AdminRequestKind.choices)
    role = models.CharField(_("角色"), max_length=32, choices=_ADMIN_CHOICES, blank=True)
    body = models.ForeignKey(
        "registry.InspectingBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属党组织"),
    )
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=AdminRequestStatus.choices,
        default=AdminRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("批准人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("target")),
                name="adminrequest_not_own_account",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (
                    ~models.Q(decided_by=models.F("requested_by"))
                    & ~models.Q(decided_by=models.F("target"))
                ),
                name="adminrequest_second_admin",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="grant") | ~models.Q(role=""),
                name="adminrequest_grant_has_role",
            ),
            models.UniqueConstraint(
                fields=["target", "kind"],
                condition=models.Q(status="pending"),
                name="adminrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target}"

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

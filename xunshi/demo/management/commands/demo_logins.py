"""manage.py demo_logins: the demo accounts, their roles, what they see, and the password."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from xunshi.accounts.models import User
from xunshi.demo.province import LOGINS, PASSWORD, demo_exists
from xunshi.rounds.models import TeamMembership


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _sees(user: User, sees: str) -> str:
    """The fixed description, made concrete with the user's team or organization."""
    if user.cadre_id is not None:
        m = (
            TeamMembership.objects.filter(cadre_id=user.cadre_id)
            .select_related("team__round")
            .order_by("-team__round__start")
            .first()
        )
        if m is not None:
            return f"{m.team}（{m.get_role_display()}）及其巡视对象"
    if user.org is not None:
        return f"{user.org.name}的反馈与整改"
    return sees


class Command(BaseCommand):
    help = "列出演示账号、角色、可见范围和共用密码（仅在已加载演示数据时）"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = demo_exists()
        except DatabaseError:  # not migrated yet
            loaded = False
        if not loaded:
            self.stdout.write("尚未加载演示数据：请先运行 manage.py migrate 和 manage.py seed_demo")
            return
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[name for name, _role, _sees in LOGINS]
            ).select_related("org")
        }
        rows = [("用户名", "姓名", "角色", "可以看到")]
        for username, _role, sees in LOGINS:
            user = users.get(username)
            if user is not None:
                rows.append((username, user.full_name, user.get_role_display(), _sees(user, sees)))
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write(
                "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False))
                + "  "
                + row[3]
            )
        self.stdout.write(f"\n所有演示账号的密码：{PASSWORD}")

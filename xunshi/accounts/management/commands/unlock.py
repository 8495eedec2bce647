"""`manage.py unlock USERNAME`: lift a sign-in lock from the server's command line, for when the
security admin, the one who unlocks in the application, is the one locked out. Recorded in the
audit trail as the system's act."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.accounts.actions import lockout_reset
from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User


class Command(BaseCommand):
    help = "解除一个账号的登录锁定（安全管理员本人被锁定时使用），并记入审计日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要解锁的用户名")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的账号。")
        count = lockout_reset(actor=SYSTEM, username=user.username)
        self.stdout.write(f"已解除 {user.username} 的登录锁定（清除 {count} 条失败记录）。")

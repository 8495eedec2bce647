"""`manage.py create_admins --system NAME --security NAME --audit NAME`: the first three
admin accounts of a new installation (三员), each with a one-time password printed once (or,
with ``--passwords-stdin``, three lines read from standard input: system, security, audit)
that must be changed at the first sign-in. Refused once any admin account exists; recorded in
the audit trail as the system's act."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.accounts.bootstrap_actions import (
    ADMIN_ORDER,
    NewAdmin,
    admins_create,
    one_time_password,
)
from xunshi.accounts.models import Role

OPTION = {Role.SYSTEM_ADMIN: "system", Role.SECURITY_ADMIN: "security", Role.AUDIT_ADMIN: "audit"}


class Command(BaseCommand):
    help = "创建首批三员账号（系统管理员、安全管理员、审计管理员），已有管理员时拒绝执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        for role in ADMIN_ORDER:
            name = OPTION[role]
            parser.add_argument(f"--{name}", required=True, help=f"{role.label}的用户名")
            parser.add_argument(f"--{name}-name", default="", help=f"{role.label}的姓名（可选）")
        parser.add_argument(
            "--passwords-stdin",
            action="store_true",
            help="从标准输入读取三行密码（依次为系统、安全、审计管理员），不生成一次性密码",
        )

    def handle(self, *args: Any, passwords_stdin: bool, **options: Any) -> None:
        if passwords_stdin:
            lines = [line.rstrip("\r\n") for line in sys.stdin.readlines()]
            passwords = [line for line in lines if line]
            if len(passwords) != 3:
                raise CommandError(
                    f"标准输入须有三行密码（系统、安全、审计管理员各一行），实际读到{len(passwords)}行。"
                )
        else:
            passwords = [one_time_password() for _ in ADMIN_ORDER]
        admins = [
            NewAdmin(
                role=role,
                username=options[OPTION[role]],
                full_name=options[f"{OPTION[role]}_name"],
                password=password,
            )
            for role, password in zip(ADMIN_ORDER, passwords, strict=True)
        ]
        try:
            users = admins_create(admins=admins)
        except ValidationError as error:
            raise CommandError("".join(error.messages)) from error
        self.stdout.write("已创建三员账号（首次登录须修改密码）：")
        for user, admin in zip(users, admins, strict=True):
            shown = "（密码取自标准输入）" if passwords_stdin else f"一次性密码：{admin.password}"
            self.stdout.write(f"  {Role(user.role).label}  {user.username}  {shown}")
        if not passwords_stdin:
            self.stdout.write("一次性密码只显示这一次，请当面分别交给三位管理员。")

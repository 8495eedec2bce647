"""``manage.py reminders``: write the reminders of what waits for every account and send the
daily digests (`reminders_run`), once, or ``--every N`` seconds until stopped (SIGTERM or
Ctrl-C end it cleanly between two rounds). A second round on a day writes nothing twice and
mails nobody twice."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from xunshi.desk.tasks import reminders_task
from xunshi.lib.every import repeat


class Command(BaseCommand):
    help = "为各账号生成待办提醒，并在配置了邮件服务器时每天发送一封提醒摘要邮件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.XUNSHI_REMINDERS_SECONDS,
            default=None,
            help="每隔多少秒重复一次（默认 XUNSHI_REMINDERS_SECONDS）；不给则只运行一次。",
        )
        parser.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, every: int | None, rounds: int, **options: Any) -> None:
        self.quiet = int(options.get("verbosity", 1)) < 1
        if every is None:
            self._round()
            return
        repeat(self._round, every, rounds=rounds)

    def _round(self) -> None:
        counts = reminders_task.call()
        if not self.quiet:
            self.stdout.write(
                "为{people}个账号新增提醒{created}条，标为已处理{resolved}条，发送提醒摘要邮件{mailed}封。".format(**counts)
            )

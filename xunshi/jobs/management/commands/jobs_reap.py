"""manage.py jobs_reap: fail the background jobs whose worker died.

A job counts as dead when it is running and its worker has written no progress (its
heartbeat) for `xunshi.jobs.actions.STALE_AFTER`. The worker also reaps before each task it
starts; this command is for a cron line, or after a crash when no task is due.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xunshi.jobs.actions import jobs_reap


class Command(BaseCommand):
    help = "将工作进程已中断（长时间没有心跳）的后台任务标记为出错。"

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = jobs_reap()
        self.stdout.write(f"已将{reaped}个中断的后台任务标记为出错。")

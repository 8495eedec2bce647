"""``manage.py reminders``: write the reminders of what waits for every account, mark resolved
those whose thing no longer waits and send the daily digests (`reminders_run`), once, or
``--every N`` seconds until stopped (SIGTERM or Ctrl-C end it cleanly between two rounds). A
second round on a day writes nothing twice and mails nobody twice."""

from __future__ import annotations

from typing import Any

from xunshi.desk.tasks import reminders_task
from xunshi.lib.every import EveryCommand


class Command(EveryCommand):
    help = "为各账号生成待办提醒，并在配置了邮件服务器时每天发送一封提醒摘要邮件。"
    every_setting = "XUNSHI_REMINDERS_SECONDS"
    task = reminders_task

    def report(self, result: Any, seconds: float) -> None:
        if not self.quiet:
            self.stdout.write(
                "为{people}个账号新增提醒{created}条，标为已处理{resolved}条，"
                "发送提醒摘要邮件{mailed}封。".format(**result)
            )

"""``manage.py portal_pull``: one round with the portal (pull, push, publish), or ``--every N``
seconds until stopped (SIGTERM or Ctrl-C end it cleanly between two rounds)."""

from __future__ import annotations

from typing import Any

from xunshi.intake.tasks import portal_sync_task
from xunshi.lib.every import EveryCommand


class Command(EveryCommand):
    help = "从码上巡察门户网站拉取新举报，推送办理状态，发布巡视公告和整改公开。"
    every_setting = "XUNSHI_PORTAL_PULL_SECONDS"
    task = portal_sync_task

    def report(self, result: Any, seconds: float) -> None:
        for error in result.pop("errors"):
            self.stderr.write(error)
        if not self.quiet:
            self.stdout.write(
                "拉取{pulled}件（转为信访件{routed}件，未分送{unrouted}件，无法解密{unreadable}件），"
                "推送{pushed}条，发布公告{announcements}条、整改公开{disclosures}条。".format(
                    **result
                )
            )

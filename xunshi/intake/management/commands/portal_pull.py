"""``manage.py portal_pull``: one round with the portal (pull, push, publish), or ``--every N``
seconds until stopped (SIGTERM or Ctrl-C end it cleanly between two rounds)."""

from __future__ import annotations

import argparse
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from xunshi.intake.tasks import portal_sync_task
from xunshi.lib.every import repeat


class Command(BaseCommand):
    help = "从码上巡察门户网站拉取新举报，推送办理状态，发布巡视公告和整改公开。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.XUNSHI_PORTAL_PULL_SECONDS,
            default=None,
            help="每隔多少秒重复一次（默认 XUNSHI_PORTAL_PULL_SECONDS）；不给则只运行一次。",
        )
        parser.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, every: int | None, rounds: int, **options: Any) -> None:
        self.quiet = int(options.get("verbosity", 1)) < 1
        if every is None:
            self._round()
            return
        repeat(self._round, every, rounds=rounds)

    def _round(self) -> None:
        counts = portal_sync_task.call()
        for error in counts.pop("errors"):
            self.stderr.write(error)
        if not self.quiet:
            self.stdout.write(
                "拉取{pulled}件（转为信访件{routed}件，未分送{unrouted}件，无法解密{unreadable}件），"
                "推送{pushed}条，发布公告{announcements}条、整改公开{disclosures}条。".format(
                    **counts
                )
            )

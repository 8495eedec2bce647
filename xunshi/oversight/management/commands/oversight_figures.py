"""``manage.py oversight_figures``: count every lower body's oversight figures once for the
pages of the bodies above (`figures_refresh`), or ``--every N`` seconds until stopped."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from xunshi.lib.every import repeat
from xunshi.oversight.actions import figures_refresh


class Command(BaseCommand):
    help = "统计各下级党组织的巡察工作数字，供上级党组织的上下联动页面使用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.XUNSHI_OVERSIGHT_FIGURES_SECONDS,
            default=None,
            help="每隔多少秒重复一次（默认 XUNSHI_OVERSIGHT_FIGURES_SECONDS）；不给则只运行一次。",
        )
        parser.add_argument("--rounds", type=int, default=0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, every: int | None, rounds: int, **options: Any) -> None:
        self.quiet = int(options.get("verbosity", 1)) < 1
        if every is None:
            self._count()
            return
        repeat(self._count, every, rounds=rounds)

    def _count(self) -> None:
        started = time.perf_counter()
        n = figures_refresh()
        if not self.quiet:
            seconds = time.perf_counter() - started
            self.stdout.write(f"已统计{n}个下级党组织的巡察工作数字，用时{seconds:.1f}秒。")

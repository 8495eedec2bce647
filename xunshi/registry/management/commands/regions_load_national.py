"""manage.py regions_load_national: load the country's divisions shipped in registry/data/.

    manage.py regions_load_national                        # provinces, cities, counties
    manage.py regions_load_national --depth township       # and every township
    manage.py regions_load_national --depth village --prefix 41   # Henan down to its villages

Adds the regions not yet in the registry and corrects the name, level and parent of those
that are, in one transaction with one audit event (none when nothing changed), so it can run
again after a new edition of the data. Regions are never deleted: organizations and cadres
point at them.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.accounts.actors import SYSTEM
from xunshi.registry.region_actions import regions_sync
from xunshi.registry.regions_national import DEPTHS, SOURCE, national_regions


class Command(BaseCommand):
    help = "加载随系统提供的全国行政区划（省、市、县，可选到乡镇或村），已有的更新名称、层级和上级"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--depth",
            choices=list(DEPTHS),
            default="county",
            help="加载到哪一级：county（县级，默认）、township（乡镇、街道）、village（村、社区）",
        )
        parser.add_argument(
            "--prefix",
            default="",
            help="只加载代码以此开头的区划及其上级，如 41（河南省）、4102（开封市）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        depth, prefix = options["depth"], options["prefix"].strip()
        if prefix and not (prefix.isdigit() and len(prefix) <= 12):
            raise CommandError(f"代码前缀“{prefix}”应为不超过12位的数字。")
        started = time.perf_counter()
        try:
            counts = regions_sync(
                actor=SYSTEM,
                rows=national_regions(depth=depth, prefix=prefix),
                source=SOURCE,
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        seconds = time.perf_counter() - started
        if counts.added + counts.updated + counts.unchanged == 0:
            raise CommandError(f"没有代码以“{prefix}”开头的行政区划。")
        self.stdout.write(
            f"行政区划：新增 {counts.added} 个，更新 {counts.updated} 个，"
            f"未变 {counts.unchanged} 个（{SOURCE}）；用时 {seconds:.1f} 秒"
        )

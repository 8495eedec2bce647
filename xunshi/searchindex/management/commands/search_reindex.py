from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.searchindex.actions import search_reindex
from xunshi.searchindex.kinds import search_kind, search_kinds


class Command(BaseCommand):
    help = "重建全文检索索引（默认全部类别；--kind 只重建指定类别）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", default=[], help="类别，如 paper、talk")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = []
        for name in options["kind"]:
            kind = search_kind(name)
            if kind is None:
                known = "、".join(k.name for k in search_kinds())
                raise CommandError(f"没有检索类别“{name}”；可选：{known}。")
            kinds.append(kind)
        counts = search_reindex(kinds or None)
        for name, n in counts.items():
            self.stdout.write(f"{name}: {n}")

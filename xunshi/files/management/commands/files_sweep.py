"""manage.py files_sweep: remove stored files that no attachment row refers to.

Such a file is left when the transaction around `attachment_store` rolled back after the
file was written. Files younger than --min-age-minutes (default 60) are left alone: their
transaction may still be open.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xunshi.files.actions import attachments_sweep


class Command(BaseCommand):
    help = "删除没有附件记录对应的存储文件（事务回滚后遗留的文件）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--min-age-minutes", type=float, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        removed = attachments_sweep(older_than_seconds=options["min_age_minutes"] * 60)
        self.stdout.write(f"已删除{len(removed)}个无记录的文件。")

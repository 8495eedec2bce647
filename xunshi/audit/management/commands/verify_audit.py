from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xunshi.audit.chain import verify_chain


class Command(BaseCommand):
    help = "重新计算审计日志哈希链，发现被改动、删除或重排的记录时以非零状态退出"

    def handle(self, *args: Any, **options: Any) -> None:
        count, brk = verify_chain()
        if brk is not None:
            raise CommandError(f"审计链在第 {brk.seq} 条断裂：{brk.reason}（已核验 {count} 条）")
        self.stdout.write(f"审计链完整：共 {count} 条记录")
